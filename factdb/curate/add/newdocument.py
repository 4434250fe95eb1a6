"""A new document's seed file, drafted from its text: what can be known filled in, what
cannot left as a marked placeholder, recognised boilerplate proposed in comments.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from factdb.errors import FactdbError
from factdb.evidence.locate import occurrences
from factdb.seeds.format import PLACEHOLDER
from factdb.seeds.write import render

MAX_TEXT_BYTES = 20 * 1024 * 1024
ID_WORDS = 6
_STOP = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "with",
         "at", "by", "from", "as", "its", "it", "be", "that", "this"}


def read_article(path: Path) -> tuple[bytes, str]:
    """The bytes and text of an article file; refuse anything that is not UTF-8 text."""
    path = Path(path)
    if not path.exists():
        raise FactdbError(f"{path}: no such file; give the path of the article's text")
    if not path.is_file():
        raise FactdbError(f"{path}: is not a file; give the path of the article's text")
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise FactdbError(f"{path}: larger than {MAX_TEXT_BYTES // 1048576} MiB; is this "
                              "an article's text?")
        raw = path.read_bytes()
    except OSError as exc:
        raise FactdbError(f"{path}: cannot read it ({exc.strerror})") from None
    if not raw.strip():
        raise FactdbError(f"{path}: is empty; save the article's text in it first")
    if b"\0" in raw:
        raise FactdbError(f"{path}: is a binary file (it holds NUL bytes), not text; save the "
                          "article as plain UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FactdbError(f"{path}:{line}:{column}: not valid UTF-8 (byte "
                          f"0x{raw[exc.start]:02x}); save the article as UTF-8 text") from None
    if "\r" in text:
        raise FactdbError(f"{path}: has Windows (CRLF) or old Mac line endings; convert it to "
                          "LF (e.g. `dos2unix`) so offsets mean one thing")
    return raw, text


def first_line(text: str) -> str:
    """The title a text most likely starts with: its first line that has words."""
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff").strip()
        if line:
            return line
    return ""


def slug(text: str, words: int = ID_WORDS) -> str:
    """An id from some words: lower-case ASCII words joined by hyphens, small words dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", plain.replace("'", ""))
    kept = [t for t in tokens if t not in _STOP] or tokens
    return "-".join(kept[:words])[:80].strip("-")


# -- boilerplate the tool recognises: (kind, line pattern, to the end?) ----------------------
_BOILERPLATE = (
    ("navigation", r"(skip to (main )?content|main menu|menu|home|search|log ?in|sign in|"
                   r"toggle navigation|you are here:?.*)", False),
    ("navigation", r"[^|›»]{1,30}(\s*[|›»]\s*[^|›»]{1,30}){2,}", False),
    ("other", r"(share( this( article| story| post)?)?|tweet|print|email|facebook|twitter|"
              r"linkedin|whatsapp|share on \w+)(\s*[|·,]\s*\w+)*:?", False),
    ("other", r".*(sign up for|subscribe to) (our|the) .*newsletter.*", False),
    ("other", r"(do you want to )?report an? (error|typo).*", False),
    ("comment-form", r"(leave a (reply|comment)|\d* ?comments?|post a comment|"
                     r"join the (conversation|discussion))", True),
    ("related-links", r"(related (posts|stories|articles|news)|read more|more from .*|"
                      r"you may also like|recommended( for you)?|most read)( .*)?:?", True),
    ("see-also", r"see also:?.*", False),
    ("credit", r"(\(?(photo|image|picture|foto|illustration)s?( credit)?\s*[:/©].*|"
               r".*\((photo|image|picture):? [^)]*\)|©.*)", False),
    ("advert", r"(advertisement|sponsored( content)?|ad)", False),
)
_PATTERNS = [(kind, re.compile(rf"^(?:{pattern})$", re.IGNORECASE), to_end)
             for kind, pattern, to_end in _BOILERPLATE]


@dataclass(frozen=True)
class Suggestion:
    kind: str
    words: str
    occurrence: int | None
    to_end: bool
    line: int

    def yaml(self) -> str:
        parts = [f"kind: {self.kind}", f"words: {json.dumps(self.words, ensure_ascii=False)}"]
        if self.occurrence:
            parts.append(f"occurrence: {self.occurrence}")
        if self.to_end:
            parts.append("to_end: true")
        return "{" + ", ".join(parts) + "}"


def suggest_boilerplate(text: str) -> list[Suggestion]:
    """Lines that look like page furniture rather than the article, first match per line."""
    found: list[Suggestion] = []
    offset = 0
    for number, raw in enumerate(text.splitlines(keepends=True), 1):
        line = raw.strip()
        start = offset + raw.find(line) if line else offset
        offset += len(raw)
        if not line or len(line) > 200:
            continue
        for kind, pattern, to_end in _PATTERNS:
            if pattern.match(line):
                starts = occurrences(text, line)
                which = starts.index(start) + 1 if len(starts) > 1 else None
                found.append(Suggestion(kind, line, which, to_end, number))
                break
        if found and found[-1].to_end:
            break  # everything after is covered
    return found


def placeholder(what: str) -> str:
    return f"{PLACEHOLDER} {what}"


LANGUAGE_TODO = placeholder("the text's language code, such as en")
VALUE_TODO = placeholder("the publication date, YYYY-MM-DD (or YYYY-MM, YYYY)")
BASIS_TODO = placeholder("stated (the page gives the date) or inferred (add inferred_from)")


def document_yaml(record: dict, source: Path, suggestions: list[Suggestion]) -> str:
    """The seed file of a new document: a header saying what is left to do, the record, and
    the recognised boilerplate as comments for the curator to confirm."""
    body = render({"document": record})
    todo = PLACEHOLDER in body
    head = [f"# Added by `factdb add document` from {source.name}."]
    if todo:
        head.append(f"# Replace every {PLACEHOLDER} value (`factdb check` lists them by line).")
    lines = [*head, body.rstrip("\n")]
    if suggestions:
        lines += [
            "  # Boilerplate `factdb add` recognised (line of the text, then the region). Check",
            "  # each against the text; uncomment the ones that are not the article:",
            "  # boilerplate:",
            *(f"  #   - {s.yaml()}  # text line {s.line}" for s in suggestions),
        ]
    lines += ["", "# Statements go below: factdb add statement --document "
              f"{record['id']} --speaker NAME --speech direct --words \"...\""]
    return "\n".join(lines) + "\n"
