"""Accent- and case-insensitive text matching for the table search boxes.

Each row's visible text is folded once (when the row changes, with ``core.text.fold``, the one
normaliser), so a keystroke only runs plain substring tests over precomputed strings.
"""

from __future__ import annotations

from ..core.text import fold


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
