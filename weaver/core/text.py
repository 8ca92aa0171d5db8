"""Text folding for search and matching: accent- and case-insensitive, whitespace-normalised.

:func:`fold` is the one normaliser every search and match starts from: the tables' search
boxes, the map's Find, quick entry, the meeting dialog's type-ahead and the weaving matches
(which add punctuation and plurals on top, in ``weaving_match.normalise``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that do not decompose into base + combining mark but that people type plainly.
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``"  José  ÑÚÑEZ "`` -> ``"jose nunez"``: casefolded, accents stripped, letters that do
    not decompose (ß, æ, ø…) spelled as people type them, spaces collapsed."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_EXTRA).split())


def initials(name: str) -> str:
    """'Ana María Ruiz' -> 'A. M. R.'; keeps it short for a crowded projector."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return " ".join(f"{p[0].upper()}." for p in parts[:3])
