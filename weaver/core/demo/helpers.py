"""Small helpers for the demo: reading the content tables, seeded ids, stamps and sampling."""

from __future__ import annotations

import random
import unicodedata
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..model import ValueItem


def parse_blocks(text: str) -> list[tuple[list[str], dict[str, str]]]:
    """Records of ``a | b | c`` headers with indented ``key: value`` lines under them."""
    records: list[tuple[list[str], dict[str, str]]] = []
    for raw in text.replace("\\\n", "").splitlines():
        if not raw.strip():
            continue
        if raw.startswith(" "):
            key, _, value = raw.strip().partition(": ")
            records[-1][1][key] = value
        else:
            records.append(([part.strip() for part in raw.split("|")], {}))
    return records


def parse_items(text: str) -> tuple[ValueItem, ...]:
    """``"skill: grant writing; resource: garden plots"`` -> value items."""
    items = []
    for part in text.split(";"):
        if part.strip():
            kind, _, what = part.strip().partition(": ")
            items.append(ValueItem(kind, what))
    return tuple(items)


def ascii_slug(text: str, sep: str = ".") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join("".join(c for c in w if c.isalnum()).lower() for w in plain.split())


def stamp_of(day: date, minute: int) -> str:
    """A UTC stamp on ``day`` at ``minute`` past midnight, formatted like ``utc_now()``."""
    moment = datetime.combine(day, time(0, 0), UTC) + timedelta(minutes=minute)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seeded_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def weighted_sample(
    rng: random.Random, items: list[Any], weights: list[float], k: int
) -> list[Any]:
    """k distinct items, each drawn with probability proportional to its weight."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0]
    keyed.sort(reverse=True)
    return [items[i] for _, i in keyed[:k]]
