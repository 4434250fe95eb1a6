"""Deterministic synthetic seed folders in factdb's own format, at any number of statements.

The shapes follow the curated seeds: one ``documents/<id>.yaml`` per article holding its
``document:``, ``statements:`` and ``events:``, the article text in ``texts/`` (with its
sha256), actors with aliases seen in documents and roles quoted from them, and relations in
their own files. Every quoted passage is placed in its document's text by construction and
located as factdb does (``occurrence`` is written when the words repeat), so the folder
builds without a single problem. The same size always gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from factdb.evidence.locate import occurrences

GENERATOR_VERSION = "1"
STATEMENTS_PER_DOCUMENT = (6, 14)  # ten on average
EVENTS_PER_DOCUMENT = (1, 4)
ACTORS_PER_STATEMENTS = 50  # one actor for every 50 statements
RELATIONS_PER_STATEMENTS = 20
ACTORS_PER_FILE = 1000
RELATIONS_PER_FILE = 2000
SEEN_IN_LIMIT = 3  # curators list a few sightings of a name, not every one

_SYLLABLES = ("ka", "lo", "mi", "ren", "to", "va", "sa", "nor", "di", "el", "ber", "gu", "in",
              "po", "ta", "sel", "mar", "ri", "an", "os", "ke", "lu", "vi", "ho", "ra", "det")
_COMMON = ("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was",
           "by", "at", "from", "it", "an", "be", "this", "which", "or", "are", "not", "its",
           "would", "has", "had", "said", "will", "talks", "security", "minister", "border",
           "government", "officials", "agreement", "week", "country", "support", "meeting")
_FIRST = ("Anna", "Pekka", "Sergey", "Maria", "Jens", "Olaf", "Sanna", "Dmitry", "Ursula",
          "Antony", "Liz", "Emmanuel", "Kaja", "Andrzej", "Volodymyr", "Jüri", "Gitanas",
          "Ingrida", "Edgars", "Krišjānis", "Mette", "Magdalena", "Jonas", "Petr", "Zuzana",
          "Viktor", "Karl", "Nikos", "Alexander", "Boris", "Jake", "Wendy", "Heiko", "Ivan")
_ROLES = ("Foreign Minister", "Prime Minister", "Defence Minister", "President",
          "spokesperson of the ministry", "ambassador", "Secretary General", "deputy minister")
_KINDS = ("meeting", "letter sent", "talks", "sanctions announced", "troop movement",
          "statement issued", "visit", "phone call")
_PARTIES = ("Green League", "Social Democrats", "Centre Party", "National Coalition", None, None)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_NAV = "Home News World Politics Menu Search"
_SAFE = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u201c][^\"'#{}\[\]&*!|>%@`\n]*")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def size_label(statements: int) -> str:
    """10000 -> '10k', 1000000 -> '1M', 300 -> '300'."""
    if statements % 1_000_000 == 0:
        return f"{statements // 1_000_000}M"
    if statements % 1000 == 0:
        return f"{statements // 1000}k"
    return str(statements)


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '300' -> 300."""
    text = text.strip()
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


@dataclass
class Actor:
    id: str
    name: str
    surname: str
    kind: str = "person"
    party: str | None = None
    seen: dict[str, list[str]] = field(default_factory=dict)
    role: tuple[str, str, str] | None = None  # (role, document, words)


@dataclass
class Summary:
    """What a generated folder holds."""

    statements: int = 0
    documents: int = 0
    events: int = 0
    actors: int = 0
    relations: int = 0
    files: int = 0
    bytes: int = 0


def scalar(value: object) -> str:
    """A YAML scalar: plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if (_SAFE.fullmatch(text) and ": " not in text and " #" not in text
            and not text.endswith((":", " ")) and text.lower() not in _YAML_WORDS
            and not re.fullmatch(r"[-+]?[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def _mapping(item: dict, indent: int, first_dash: bool) -> list[str]:
    """Block YAML for a mapping; nested dicts and lists of dicts are expanded."""
    lines = []
    pad = " " * indent
    for i, (key, value) in enumerate(item.items()):
        if value is None:
            continue
        lead = (pad[:-2] + "- ") if first_dash and i == 0 else pad
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines.extend(_mapping(value, indent + 2, False))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{lead}{key}:")
            for sub in value:
                lines.extend(_mapping(sub, indent + 4, True))
        elif isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return lines


def dump(sections: dict) -> str:
    """A seed file's text: top-level sections, each a mapping or a list of mappings."""
    out = []
    for name, value in sections.items():
        if not value:
            continue
        out.append(f"{name}:")
        if isinstance(value, dict):
            out.extend(_mapping(value, 2, False))
        else:
            for item in value:
                out.extend(_mapping(item, 4, True))
        out.append("")
    return "\n".join(out)


def _day_words(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


class _Generator:
    def __init__(self, statements: int, seed: int):
        self.rng = random.Random(seed)
        self.target = statements
        rng = self.rng
        words = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
                 for _ in range(4000)}
        self.vocabulary = sorted(words) + list(_COMMON) * 20
        self.sentences = [self._sentence() for _ in range(max(2000, min(200_000, statements)))]
        n_actors = max(12, statements // ACTORS_PER_STATEMENTS)
        self.actors = self._people(n_actors)
        self.outlets = [Actor(f"outlet-{i:04d}", f"The {self._word().title()} Herald",
                              "Herald", kind="media-outlet")
                        for i in range(max(3, n_actors // 40))]
        weights = [1 / (i + 1) ** 0.8 for i in range(n_actors)]  # a few actors in most news
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.summary = Summary()
        self.facts: list[tuple[str, str]] = []  # (fact id, document id)

    def _word(self) -> str:
        return self.rng.choice(self.vocabulary)

    def _sentence(self) -> str:
        n = self.rng.randint(8, 26)
        words = [self._word() for _ in range(n)]
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(1, n), "country’s")
        if n > 12 and self.rng.random() < 0.4:
            words[n // 2] += ","
        return " ".join(words).capitalize() + "."

    def _people(self, count: int) -> list[Actor]:
        people, used = [], set()
        while len(people) < count:
            surname = "".join(self.rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            if self.rng.random() < 0.1:
                surname = surname.replace("a", "ä", 1).replace("s", "š", 1)
            if surname in used:
                continue
            used.add(surname)
            first = self.rng.choice(_FIRST)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{first} {surname}".lower()
                          .translate(str.maketrans("äšüā", "asua"))).strip("-")
            people.append(Actor(f"{slug}-{len(people)}", f"{first} {surname}", surname,
                                party=self.rng.choice(_PARTIES)))
        return people

    def _pick_actors(self, k: int) -> list[Actor]:
        chosen = self.rng.choices(self.actors, cum_weights=self.cum, k=k * 2)
        return list({a.id: a for a in chosen}.values())[:k]

    # -- one document ----------------------------------------------------------------------
    def document(self, index: int, root: Path) -> tuple[dict, int]:
        rng = self.rng
        doc_id = f"doc-{index:07d}"
        published = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        n_statements = min(rng.randint(*STATEMENTS_PER_DOCUMENT),
                           self.target - self.summary.statements)
        n_events = rng.randint(*EVENTS_PER_DOCUMENT)
        cast = self._pick_actors(rng.randint(4, 8))
        title = self._sentence()[:-1][:90].rstrip(",")
        pieces: list[str] = []
        at = 0
        marks: list[tuple[str, int, str]] = []  # (key, start, words)

        def put(text: str, key: str | None = None, words: str = "", after: str = "") -> None:
            """Append ``text``; with a key, then ``words`` (marked as evidence) and ``after``."""
            nonlocal at
            pieces.append(text)
            at += len(text)
            if key is not None:
                marks.append((key, at, words))
                pieces.append(words + after)
                at += len(words + after)

        put(f"{title}\n{_day_words(published)}\n\n")
        boilerplate = []
        regions = []
        if rng.random() < 0.3:
            regions.append((at, at + len(_NAV)))
            put(_NAV + "\n\n")
            boilerplate.append({"kind": "navigation", "words": _NAV})
        body = rng.sample(self.sentences, n_statements + n_events + rng.randint(10, 25))
        plain = body[n_statements + n_events:]
        items = [("q", s) for s in body[:n_statements]] + \
                [("e", s) for s in body[n_statements:n_statements + n_events]] + \
                [("p", s) for s in plain]
        rng.shuffle(items)
        statements, events, quoted = [], [], []
        role_actor = next((a for a in cast if a.role is None), None) \
            if rng.random() < 0.5 else None
        if role_actor is not None:
            role = rng.choice(_ROLES)
            words = f"{role} {role_actor.name}"
            put("The ", "role", words, " spoke to reporters. ")
            role_actor.role = (role, doc_id, words)
        for n, (kind, sentence) in enumerate(items):
            if kind == "q":
                speaker = cast[len(statements) % len(cast)]
                words = sentence
                if rng.random() < 0.75:
                    style = rng.random()
                    if style < 0.5:
                        put("“", f"q{len(statements)}", words, f"” said {speaker.name}. ")
                    else:
                        put(f"{speaker.surname} said: “", f"q{len(statements)}", words, "” ")
                    speech = "direct"
                else:
                    words = f"{sentence[0].lower()}{sentence[1:]}"
                    put(f"{speaker.name} told reporters that ", f"q{len(statements)}", words,
                        " ")
                    speech = "reported"
                statements.append({"speaker": speaker, "speech": speech, "words": words})
                quoted.append(speaker)
            elif kind == "e":
                when = published - timedelta(days=rng.randrange(1, 20))
                month = rng.random() < 0.1
                date_words = f"in {_MONTHS[when.month - 1]} {when.year}" if month \
                    else f"on {_day_words(when)}"
                text = f"{sentence[:-1]} {date_words}."
                put("", f"e{len(events)}", text, " ")
                events.append({"when": when, "month": month, "date_words": date_words,
                               "sentence": sentence})
            else:
                put(sentence + (" " if n % 4 else "\n\n"))
        skip = None
        if rng.random() < 0.1 and plain:
            skip = plain[0]
        related = rng.random() < 0.2
        if related:
            regions.append((at + 2, 1 << 62))
            put("\n\nRelated links\n" + "\n".join(self._sentence() for _ in range(3)))
            boilerplate.append({"kind": "related-links", "words": "Related links",
                                "to_end": True})
        text = "".join(pieces).rstrip() + "\n"
        raw = text.encode()
        sha = hashlib.sha256(raw).hexdigest()
        file_name = f"{index:07d}_{sha[:16]}.txt"
        (root / "texts" / file_name).write_bytes(raw)

        def passage(words: str, start: int) -> dict:
            starts = occurrences(text, words)
            if len(starts) == 1:
                return {"words": words}
            return {"words": words, "occurrence": starts.index(start) + 1}

        located = {key: passage(words, start) for key, start, words in marks}
        for actor in cast:
            for name in (actor.name, actor.surname):
                seen = actor.seen.setdefault(name, [])
                start = text.find(name)
                # only where the first sighting is the one factdb picks (whole word, article)
                if len(seen) < SEEN_IN_LIMIT and start != -1 and \
                        _whole_word(text, start, start + len(name)) and \
                        not any(a <= start < b for a, b in regions):
                    seen.append(doc_id)
        if role_actor is not None:
            role, _, words = role_actor.role
            role_actor.role = (role, doc_id, located["role"])
        outlet = self.rng.choice(self.outlets)
        document = {
            "id": doc_id, "file": file_name, "sha256": sha, "title": title,
            "publisher": outlet.id, "author": rng.choice(self.actors).name,
            "url": f"https://news.example.org/{published:%Y/%m}/{doc_id}", "language": "en",
            "published": {"value": published.isoformat(), "basis": "stated",
                          "words": _day_words(published)},
            "boilerplate": boilerplate or None,
            "skips": [{"words": skip, "reason": "background; no claim"}] if skip else None,
        }
        said_words = _day_words(published)
        st_records = []
        for j, st in enumerate(statements):
            sid = f"{doc_id}-q{j}"
            roll = rng.random()
            if roll < 0.6:
                said = {"value": published.isoformat(), "basis": "stated", "words": said_words}
            elif roll < 0.85:
                said = {"value": published.isoformat(), "basis": "inferred",
                        "inferred_from": "published the same day"}
            else:
                said = None
            st_records.append({"id": sid, "speaker": st["speaker"].id, "speech": st["speech"],
                               **located[f"q{j}"], "said": said,
                               "venue": "press conference" if roll > 0.9 else None})
            self.facts.append((sid, doc_id))
        ev_records = []
        for j, ev in enumerate(events):
            eid = f"{doc_id}-e{j}"
            when = ev["when"]
            value = f"{when:%Y-%m}" if ev["month"] else when.isoformat()
            people = rng.sample(cast, min(len(cast), rng.randint(1, 3)))
            ev_records.append({
                "id": eid, "description": ev["sentence"][:-1][:120],
                "kind": rng.choice(_KINDS),
                "date": {"value": value, "basis": "stated", "words": ev["date_words"]},
                "place": "Helsinki" if rng.random() < 0.3 else None,
                "participants": [{"actor": p.id, "role": "host" if k == 0 else None}
                                 for k, p in enumerate(people)],
                "sources": [{"document": doc_id, **located[f"e{j}"]}],
            })
            self.facts.append((eid, doc_id))
        sections = {"document": document, "statements": st_records, "events": ev_records}
        content = dump(sections)
        path = root / "documents" / f"{doc_id}.yaml"
        path.write_text(content, encoding="utf-8")
        self.summary.statements += len(st_records)
        self.summary.events += len(ev_records)
        self.summary.documents += 1
        self.summary.files += 2
        self.summary.bytes += len(raw) + len(content.encode())
        return document, len(st_records)

    # -- the folder ------------------------------------------------------------------------
    def run(self, root: Path) -> Summary:
        for sub in ("texts", "documents", "actors", "relations"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        index = 0
        while self.summary.statements < self.target:
            self.document(index, root)
            index += 1
        self.write_actors(root)
        self.write_relations(root)
        return self.summary

    def write_actors(self, root: Path) -> None:
        records = []
        for actor in self.outlets:
            records.append({"id": actor.id, "name": actor.name, "kind": "media-outlet"})
        for actor in self.actors:
            aliases = [{"name": name, "seen_in": docs} for name, docs in actor.seen.items()
                       if docs]
            role = actor.role
            records.append({
                "id": actor.id, "name": actor.name, "kind": actor.kind,
                "description": f"politician, {actor.party or 'independent'}",
                "party": actor.party, "aliases": aliases or None,
                "roles": [{"role": role[0], "document": role[1], **role[2]}] if role else None,
            })
        self._write_shards(root / "actors", "actors", records, ACTORS_PER_FILE)
        self.summary.actors = len(records)

    def write_relations(self, root: Path) -> None:
        rng = self.rng
        records = []
        count = max(1, self.summary.statements // RELATIONS_PER_STATEMENTS)
        for k in range(count):
            i = rng.randrange(len(self.facts) - 1)
            (fact, fact_doc), (other, _) = self.facts[i], self.facts[i + 1]
            records.append({
                "id": f"rel-{k:07d}", "kind": rng.choice(("corroborates", "contradicts")),
                "fact": fact, "fact_document": fact_doc if "-e" in fact else None,
                "other": other, "note": "the second account repeats the first in other words",
            })
        self._write_shards(root / "relations", "relations", records, RELATIONS_PER_FILE)
        self.summary.relations = len(records)

    def _write_shards(self, folder: Path, section: str, records: list, per_file: int) -> None:
        for n in range(0, len(records), per_file):
            content = dump({section: records[n:n + per_file]})
            (folder / f"{section}-{n // per_file:04d}.yaml").write_text(content, "utf-8")
            self.summary.files += 1
            self.summary.bytes += len(content.encode())


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def generate(statements: int, root: Path, seed: int = 7) -> Summary:
    """Write a seed folder with ``statements`` statements to ``root`` (reused if complete)."""
    root = Path(root)
    marker = root / ".complete.json"
    stamp = {"version": GENERATOR_VERSION, "statements": statements, "seed": seed}
    if marker.is_file():
        saved = json.loads(marker.read_text())
        if saved.get("stamp") == stamp:
            return Summary(**saved["summary"])
    if root.exists():
        import shutil

        shutil.rmtree(root)
    root.mkdir(parents=True)
    summary = _Generator(statements, seed).run(root)
    marker.write_text(json.dumps({"stamp": stamp, "summary": summary.__dict__}))
    return summary
