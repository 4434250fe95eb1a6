"""Who speaks in a news text: speech verbs, the people and bodies named, and who a verb's
subject is.

A *mention* is a place in the text that may name a speaker: a known actor's name or alias
(matched after :func:`factdb.evidence.names.normalize_name`, so case and diacritics do not
matter, and a possessive ``Lavrov’s`` names Lavrov), a pronoun (he, she), a role or
document noun (``the minister``, ``the letter``, ``the embassy``), or a run of capitalised
words that no actor is known by (a proposed new actor). Pronouns and role nouns are
resolved to the latest known actor mentioned before them that fits: a person for he, she,
the minister or the letter (its author), a body whose name holds the noun for the embassy.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from factdb.evidence.names import normalize_name
from factdb.evidence.passages import CUES

# Speech verbs: the attribution cues of factdb.evidence.passages, and a few more that
# introduce or carry on a quotation.
SPEECH_VERBS = (
    *(c for c in CUES if c != "according to"),
    "continues", "continued", "questions", "questioned", "replied", "replies", "declared",
    "declares", "emphasised", "emphasized", "commented", "remarked", "observed", "urged",
    "admitted", "tweeted", "expressing", "pointed out", "states", "say", "tell",
)
VERB = re.compile(
    r"\b(?:" + "|".join(v.replace(" ", r"\s+")
                        for v in sorted(SPEECH_VERBS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)

_PERSON_NOUNS = ("minister", "spokesman", "spokeswoman", "spokesperson", "president",
                 "chairman", "secretary", "ambassador", "official", "diplomat")
_DOCUMENT_NOUNS = ("letter", "document", "message", "statement")  # speak for their author
_BODY_NOUNS = ("delegation", "embassy", "ministry", "government", "agency", "department",
               "office", "council", "kremlin")
_ROLE = re.compile(
    r"\b[Tt]he\s+(?:[\w-]+\s+){0,3}?(?i:(?P<noun>"
    + "|".join(_PERSON_NOUNS + _DOCUMENT_NOUNS + _BODY_NOUNS) + r"))\b"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_TOKEN = re.compile(r"[\w][\w’'.-]*")
_POSSESSIVE = re.compile(r"[’']s$")
# Capitalised words that begin sentences or dates rather than names.
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "according", "it", "this", "that", "these", "those",
    "we", "i", "our", "they", "he", "she", "his", "her", "their", "but", "and", "or", "if",
    "while", "however", "otherwise", "for", "of", "to", "as", "after", "before", "when",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "image", "photo", "latest", "related", "see", "also", "you",
}
# Words of a title that precede a name: dropped from a proposed actor's name.
_TITLES = {
    "foreign", "defence", "defense", "prime", "deputy", "minister", "president", "secretary",
    "spokesman", "spokeswoman", "spokesperson", "chairman", "ambassador", "mr", "mrs", "ms",
    "dr", "prof", "general", "gen", "senator", "sen", "rep", "kremlin", "state", "mayor",
    "governor", "chancellor", "judge", "professor", "director", "chief",
}
_BODY_WORDS = {"ministry", "embassy", "council", "department", "government", "agency",
               "office", "news", "party", "union", "organisation", "organization", "bank",
               "committee", "service", "delegation", "alliance", "parliament"}
_PARTICLES = {"de", "van", "von", "der", "di", "da", "al", "bin", "le", "la"}
# What may stand between a subject and its verb: ``’s letter``, an aside in commas,
# auxiliaries and adverbs ("Peskov, who has argued", "Danilov, has pointed out").
_GAP = re.compile(
    r"^(?:[’']s\s+(?:letter|message|statement|spokesman|spokesperson|office)\s*)?"
    r"(?:,[^,.“”\"]{0,90},)?\s*"
    r"(?:(?:has|have|had|also|then|later|further|reportedly|again|who|,|on\s+[A-Z]\w+day"
    r"|yesterday|today)\s*)*$"
)
# A relative clause between a subject and its verb ("Moscow, which ... NATO, underlines"):
# the names inside it are not the subject.
_ASIDE = re.compile(r"^\s*,\s*(?:who|which)\b[^.“”\"]{0,200},\s*(?:(?:has|have|had|also)\s+)*$")
_WHOLE_GAP = 100  # the farthest a subject may stand before its verb, in characters

MentionKind = Literal["actor", "pronoun", "role", "name"]


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    titles: str = ""  # its description and roles, for "the minister", "the spokesman"


@dataclass(frozen=True)
class Mention:
    """A place that may name a speaker; ``actor`` is set for a known actor's name."""

    start: int
    end: int
    text: str
    kind: MentionKind
    actor: str | None = None


@dataclass(frozen=True)
class Speaker:
    """Who a verb's subject is: a known actor, or a proposed new one (``actor`` None)."""

    mention: Mention
    actor: str | None  # a known actor id, resolved through pronouns and role nouns
    name: str  # the name as seen (for a new actor, titles dropped)
    resolved_from: Mention | None = None  # the name a pronoun or role noun stands for


class Cast:
    """The known actors, found in a text by any of their names."""

    def __init__(self, actors: Iterable[Actor], names: Iterable[tuple[str, str]]) -> None:
        self.actors = {a.id: a for a in actors}
        by_name: dict[str, set[str]] = {}
        self.lower: set[str] = set()  # first words of names written in lower case
        for actor_id, name in names:
            by_name.setdefault(normalize_name(name), set()).add(actor_id)
            if name[:1].islower():
                self.lower.add(normalize_name(name.split()[0]))
        # A name two actors share names neither.
        self.names = {n: next(iter(ids)) for n, ids in by_name.items() if len(ids) == 1 and n}
        self.longest = max((len(n.split()) for n in self.names), default=1)
        self.first_words = {n.split()[0] for n in self.names}

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in ``text``, in order: known names win over role nouns, and role
        nouns over unknown capitalised words ("The Russian minister")."""
        names = self._names(text)
        found = [m for m in names if m.kind == "actor"]
        for pattern, kind in ((_ROLE, "role"), (_PRONOUN, "pronoun")):
            for m in pattern.finditer(text):
                if not any(f.start < m.end() and m.start() < f.end for f in found):
                    found.append(Mention(m.start(), m.end(), m.group(), kind))
        found += [m for m in names if m.kind != "actor"
                  and not any(f.start < m.end and m.start < f.end for f in found)]
        return sorted(found, key=lambda m: m.start)

    def _names(self, text: str) -> list[Mention]:
        tokens = list(_TOKEN.finditer(text))
        found: list[Mention] = []
        unknown: list[re.Match] = []
        i = 0
        while i < len(tokens):
            word = tokens[i].group()
            first = normalize_name(_POSSESSIVE.sub("", word.rstrip(".")))
            known = (word[0].isupper() or first in self.lower) and (
                first.split()[:1] and first.split()[0] in self.first_words)
            hit = self._known_at(text, tokens, i) if known else None
            if hit is None:
                unknown.append(tokens[i])
                i += 1
                continue
            n, mention = hit
            found.append(mention)
            found.extend(_unknown_names(text, unknown))
            unknown = []
            i += n
        found.extend(_unknown_names(text, unknown))
        return found

    def _known_at(self, text: str, tokens: list[re.Match], i: int) -> tuple[int, Mention] | None:
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            last = tokens[i + n - 1]
            if not _joined(text, tokens[i : i + n]):
                continue
            start = tokens[i].start()
            words = text[start:last.end()].rstrip(".")
            plain = _POSSESSIVE.sub("", words)
            actor = self.names.get(normalize_name(plain))
            if actor is not None:
                return n, Mention(start, start + len(plain), plain, "actor", actor)
        return None

    def speaker(self, mention: Mention, mentions: list[Mention]) -> Speaker:
        """Who a mention stands for (see the module docstring)."""
        if mention.kind == "actor":
            return Speaker(mention, mention.actor, mention.text)
        if mention.kind == "name":
            return Speaker(mention, None, proposed_name(mention.text))
        noun = mention.text.split()[-1].lower()
        person = mention.kind == "pronoun" or noun in _PERSON_NOUNS + _DOCUMENT_NOUNS
        earlier = [m for m in mentions if m.end <= mention.start][::-1]
        later = [m for m in mentions if m.start >= mention.end]
        # A letter's author may be named after it ("The letter ... sent by Lavrov").
        candidates = [m for m in earlier + (later if noun in _DOCUMENT_NOUNS else [])
                      if m.actor is not None and abs(mention.start - m.start) <= 3000]
        if noun in _PERSON_NOUNS:  # the latest person with that title, if one is known
            titled = [m for m in candidates
                      if noun in normalize_name(self.actors[m.actor].titles).split()]
            candidates = titled + candidates
        if mention.kind == "pronoun":  # or the latest full name no actor is known by
            candidates = [m for m in earlier if abs(mention.start - m.start) <= 3000 and (
                m.actor is not None or self._person_name(m))]
        for m in candidates:
            if m.actor is None:
                return Speaker(mention, None, proposed_name(m.text), m)
            actor = self.actors[m.actor]
            if (actor.kind == "person") if person else noun in normalize_name(actor.name):
                return Speaker(mention, actor.id, mention.text, m)
        return Speaker(mention, None, proposed_name(mention.text))

    def _person_name(self, m: Mention) -> bool:
        """Whether an unknown name looks like a person's: two to four words, no body's."""
        name = proposed_name(m.text)
        return m.kind == "name" and 2 <= len(name.split()) <= 4 and \
            self.kind_of(name) == "person"

    def kind_of(self, name: str) -> str:
        """A guess at a new actor's kind from its name."""
        words = set(normalize_name(name).split())
        return "organisation" if words & _BODY_WORDS or len(words) > 4 else "person"


def _joined(text: str, tokens: list[re.Match]) -> bool:
    """Whether tokens follow each other with single spaces (one name, not across lines)."""
    return all(text[a.end():b.start()] in (" ", "-") for a, b in itertools.pairwise(tokens))


def _unknown_names(text: str, tokens: list[re.Match]) -> list[Mention]:
    """Runs of capitalised words (particles allowed inside) that name no known actor."""
    found: list[Mention] = []
    run: list[re.Match] = []
    for tok in tokens:
        if run and not _joined(text, [run[-1], tok]):
            found.extend(_name_of(text, run))
            run = []
        word = tok.group()
        if word[0].isupper() or (run and word in _PARTICLES):
            run.append(tok)
        else:
            found.extend(_name_of(text, run))
            run = []
    found.extend(_name_of(text, run))
    return found


def _name_of(text: str, run: list[re.Match]) -> list[Mention]:
    while run and run[-1].group() in _PARTICLES:
        run = run[:-1]
    while run and run[0].group().lower().rstrip(".") in _NOT_NAMES:
        run = run[1:]
    if not run:
        return []
    start = run[0].start()
    plain = _POSSESSIVE.sub("", text[start:run[-1].end()].rstrip("."))
    role = plain.split()[-1].lower() in _PERSON_NOUNS + _DOCUMENT_NOUNS + _BODY_NOUNS
    return [Mention(start, start + len(plain), plain, "role" if role else "name")]


def proposed_name(seen: str) -> str:
    """A new actor's name from the words seen: titles and a leading article dropped."""
    words = seen.split()
    while len(words) > 1 and words[0].lower().strip(".") in _TITLES | {"the"}:
        words = words[1:]
    return " ".join(words)


def slug(text: str, most: int = 60) -> str:
    """A seed id from some words: lower case, ASCII letters and digits joined by hyphens."""
    words = normalize_name(text).encode("ascii", "ignore").decode().split()
    out = ""
    for word in words:
        word = re.sub(r"[^a-z0-9]", "", word)
        if word and len(out) + len(word) + 1 <= most:
            out = f"{out}-{word}" if out else word
    return out or "actor"


def subject_before(text: str, verb_start: int, mentions: list[Mention], lo: int) -> Mention | None:
    """The mention that is the subject of the verb at ``verb_start`` (not before ``lo``)."""
    before = [m for m in mentions if lo <= m.start and m.end <= verb_start]
    for m in reversed(before):  # past a relative clause first
        if _ASIDE.match(text[m.end:verb_start]):
            return m
    if before and verb_start - before[-1].end <= _WHOLE_GAP \
            and _GAP.match(text[before[-1].end:verb_start]):
        return before[-1]
    return None


def subject_after(text: str, verb_end: int, mentions: list[Mention], hi: int) -> Mention | None:
    """The mention just after a verb ("said the delegation", "highlighted Peskov")."""
    for m in mentions:
        if m.start >= verb_end:
            gap = text[verb_end:m.start]
            return m if m.end <= hi and gap.strip() == "" and len(gap) <= 2 else None
    return None


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October"
          r"|November|December)")
DATE_WORDS = re.compile(
    rf"\b(?:(?:on\s+)?{_WEEKDAY}(?:,?\s+{_MONTH}\s+\d{{1,2}})?"
    rf"|(?:last|next|this)\s+(?:week|month|year|{_WEEKDAY}|{_MONTH})"
    rf"|(?:early|mid|late)[-\s]+(?:{_MONTH}|\d{{4}})"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    rf"|in\s+{_MONTH}|yesterday|today|tomorrow)\b"
)


def date_words(text: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """The first date expression inside any of ``spans`` of ``text``."""
    for lo, hi in spans:
        m = DATE_WORDS.search(text, lo, hi)
        if m:
            return m.group()
    return None
