"""Name matching that ignores case and diacritics ("Gruško" finds "grusko")."""

from __future__ import annotations

import re
import unicodedata


def normalize_name(name: str) -> str:
    """Casefold, strip diacritics and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("'", "")
    return re.sub(r"[^\w]+", " ", plain).strip()
