"""Accent- and case-insensitive text matching for the table search boxes.

Each row's visible text is folded once (when the row changes), so a keystroke only runs
plain substring tests over precomputed strings.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that do not decompose into base + combining mark but that people type plainly.
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``"José Ñúñez"`` -> ``"jose nunez"``: casefolded, accents stripped, spaces collapsed."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_EXTRA).split())


def needles(query: str) -> tuple[str, ...]:
    """The folded words of a query; a row matches when it contains every one of them."""
    return tuple(fold(query).split())


def matches(folded_haystack: str, words: tuple[str, ...]) -> bool:
    return all(w in folded_haystack for w in words)


def plural(translated: str, n: int) -> str:
    """Finish a ``tr("%n item(s)", "", n)`` text when no translation supplied the plural
    forms (plain English): "1 item(s)" -> "1 item", "3 item(s)" -> "3 items"."""
    if "(s)" not in translated:
        return translated
    return translated.replace("(s)", "" if n == 1 else "s")
