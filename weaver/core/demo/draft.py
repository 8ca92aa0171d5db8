"""The story's working material: members, ties and meetings while the network is being written.

Ages count days back from ``as_of`` and members are known by short keys ("nadia", "foodhub",
"p017"); only :mod:`.document` turns them into dated entities with ids. :class:`Draft` holds
the state every chapter of the story shares (:mod:`.story`, :mod:`.meetings`, :mod:`.document`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..model import ValueItem
from .content import VALUES
from .helpers import parse_blocks


@dataclass
class DraftMember:
    """A member while the story is being written (ages are days before ``as_of``)."""

    key: str
    id: str
    name: str
    kind: str
    groups: tuple[str, ...]
    org: str = ""  # main organization (people) — its key
    title: str = ""
    aff_role: str = ""
    flags: tuple[str, ...] = ()
    joined_age: int = 0
    activity: float = 1.0
    drift_age: int = 0  # stopped coming to meetings this many days ago; 0: still active
    offers: tuple[ValueItem, ...] = ()
    needs: tuple[ValueItem, ...] = ()
    notes: str = ""
    town: str = ""
    sector: str = ""
    domain: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def is_crowd(self) -> bool:
        """One of the generated people (not a hand-written character, not a newcomer)."""
        return "crowd" in self.flags


@dataclass
class DraftTie:
    a: str
    b: str
    kind: str
    strength: int
    since_age: int
    direction: str = "undirected"
    ended_age: int | None = None
    notes: str = ""
    cold: bool = False


@dataclass
class DraftMeeting:
    title: str
    kind: str
    scope: tuple[str, ...]
    age: int
    in_person: bool
    trust: bool
    size: tuple[int, int]
    host: str = ""
    notes: str = ""
    attendees: dict[str, str] = field(default_factory=dict)  # member key -> role


class Draft:
    """The network as written so far, and the few moves every chapter makes on it."""

    def __init__(self, as_of: date, seed: int) -> None:
        self.as_of = as_of
        self.seed = seed
        # Content and ids come from separate streams, so tuning the story's wording
        # never reshuffles ids, and nothing drawn depends on as_of.
        self.rng = random.Random(seed)
        self.ids = random.Random(f"weaver-demo-ids:{seed}")
        self.members: dict[str, DraftMember] = {}
        self.ties: list[DraftTie] = []
        self.pairs: set[frozenset[str]] = set()
        self.degree: dict[str, int] = {}
        self.meetings: list[DraftMeeting] = []
        self.values = [
            (ValueItem(t, text), tuple(by.split()), tuple(need.split()))
            for (t, text, by, need), _ in parse_blocks(VALUES)
        ]
        self.used_names: set[str] = set()
        self.phones = [f"({area}) 555-01{n:02d}" for area in (541, 458) for n in range(100)]
        self.rng.shuffle(self.phones)

    def day(self, age: int) -> date:
        return self.as_of - timedelta(days=age)

    def people(self, *groups: str) -> list[DraftMember]:
        return [
            m
            for m in self.members.values()
            if m.is_person and (not groups or set(groups) & set(m.groups))
        ]

    def _add(self, member: DraftMember) -> DraftMember:
        self.members[member.key] = member
        self.degree[member.key] = 0
        return member

    def _tie(self, a: str, b: str, kind: str, strength: int, since_age: int, **kw: Any) -> DraftTie:
        tie = DraftTie(a, b, kind, strength, max(14, since_age), **kw)
        self.ties.append(tie)
        self.pairs.add(frozenset((a, b)))
        self.degree[a] += 1
        self.degree[b] += 1
        return tie
