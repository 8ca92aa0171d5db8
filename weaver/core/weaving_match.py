"""Text matching for weaving: when an offer meets a need, and keys for member pairs.

Accents, case, punctuation and simple plurals do not stop a match (:func:`normalise`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .model import Member, ValueItem
from .text import fold


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """'Grant-Writing ' -> 'grant writing'; 'Workshops' -> 'workshop'. Accents, case,
    punctuation and simple plurals do not stop a match."""
    words = re.sub(r"[^\w]+", " ", fold(text)).split()
    return " ".join(_singular(w) for w in words)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def item_key(item: ValueItem) -> tuple[str, str]:
    return item.type, normalise(item.text)


def pair_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


def offer_index(members: Iterable[Member]) -> dict[tuple[str, str], list[str]]:
    """Who offers what: each offer's matching key -> the ids of the members offering it."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in members:
        for item in dict.fromkeys(item_key(i) for i in m.offers):
            index[item].append(m.id)
    return index
