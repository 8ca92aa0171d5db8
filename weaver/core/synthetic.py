"""Generated networks for benchmarks and scale tests: deterministic and scale-free-like.

Ties follow preferential attachment (Barabási–Albert: each newcomer links to
``ties_per_member`` existing members, picked in proportion to the ties they already have), so
a few hubs and a long tail appear as in real networks. Everything — ids, names, dates, fields —
comes from one seeded ``random.Random``, so the same arguments always give the same network,
on any machine and any Python version (no global random state, no networkx version drift).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .model import (
    ATTENDANCE_ROLES,
    EVENT_KINDS,
    RELATIONSHIP_KINDS,
    VALUE_TYPES,
    Affiliation,
    Attendance,
    Event,
    Member,
    Relationship,
    ValueItem,
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "Ada Amara Ben Carmen Dara Eli Fatima Gabe Hana Ivan Jada Kofi Lena Malik Nia Omar Priya "
    "Quinn Rosa Sam Tariq Uma Vera Wes Xin Yara Zane Aiko Bruno Chloe Diego Esme Femi Gita"
)
_LAST = _words(
    "Abbott Baptiste Chen Diallo Eriksen Flores Garcia Haddad Ibarra Jensen Kaur Lindqvist "
    "Moreau Nakamura Okafor Petrov Quispe Rahman Silva Tanaka Umar Varga Walsh Xu Yilmaz Zuberi"
)
_ORG_WORDS = _words(
    "River Valley Harbor Commons Prairie Summit Cedar Bridge Northside Eastgate Hillcrest Lakeside"
)
_ORG_KINDS = (
    "Food Bank",
    "Community Foundation",
    "Housing Trust",
    "Youth Alliance",
    "Health Clinic",
    "Arts Collective",
    "Credit Union",
    "Tenants Union",
    "County Office",
    "Makerspace",
)
_SECTORS = (
    "nonprofit",
    "philanthropy",
    "government",
    "business",
    "education",
    "health",
    "faith",
    "arts",
)
_ROLES = (
    "Director",
    "Organizer",
    "Program Officer",
    "Coordinator",
    "Volunteer",
    "Board Member",
    "Researcher",
    "Owner",
)
_PLACES = ("Riverbend", "Millbrook", "Eastport", "Oak Hollow", "Fairview", "Stonebridge")
_TAGS = (
    "housing",
    "food",
    "youth",
    "climate",
    "health",
    "arts",
    "jobs",
    "immigration",
    "transit",
    "education",
)
_VALUE_TEXT = {
    "skill": ("grant writing", "facilitation", "data analysis", "translation", "design"),
    "knowledge": ("zoning law", "local history", "public health", "school budgets"),
    "resource": ("meeting space", "small grants", "a van", "printing", "volunteers"),
    "connection": ("city council", "the school board", "local press", "funders"),
}
_EVENT_TITLES = ("Coffee", "Working group", "Listening session", "Potluck", "Site visit", "Forum")


@dataclass(frozen=True)
class SyntheticNetwork:
    """The generated entities. Iterating yields all of them, ready for ``AddEntities``."""

    members: list[Member]
    relationships: list[Relationship]
    affiliations: list[Affiliation]
    events: list[Event]
    attendance: list[Attendance]

    def __iter__(self) -> Iterator[Any]:
        yield from self.members
        yield from self.events
        yield from self.affiliations
        yield from self.relationships
        yield from self.attendance

    def __len__(self) -> int:
        return (
            len(self.members)
            + len(self.relationships)
            + len(self.affiliations)
            + len(self.events)
            + len(self.attendance)
        )


def preferential_attachment(n: int, m: int, rng: random.Random) -> list[tuple[int, int]]:
    """Barabási–Albert edges over nodes ``0..n-1``: about ``m`` ties per node, no repeats."""
    if n <= 1 or m <= 0:
        return []
    m = min(m, n - 1)
    edges: list[tuple[int, int]] = []
    # Each node appears here once per tie it has: picking uniformly from it is picking
    # in proportion to degree.
    repeated: list[int] = []
    targets = list(range(m))
    for source in range(m, n):
        for t in targets:
            edges.append((source, t))
        repeated.extend(targets)
        repeated.extend([source] * len(targets))
        chosen: set[int] = set()
        while len(chosen) < m:
            chosen.add(rng.choice(repeated))
        targets = sorted(chosen)
    return edges


def synthetic_entities(
    n_members: int,
    ties_per_member: int = 3,
    seed: int = 1,
    n_events: int = 0,
    as_of: date = date(2026, 1, 1),
) -> SyntheticNetwork:
    """A network of ``n_members`` (about 1 in 8 an organization), ``~ties_per_member * n``
    relationships, affiliations of people to organizations, and ``n_events`` events in the two
    years before ``as_of`` with 3–12 attendees each."""
    rng = random.Random(seed)
    stamp = f"{as_of.isoformat()}T00:00:00.000000Z"

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def day_before(max_days: int) -> date:
        return as_of - timedelta(days=rng.randrange(1, max_days))

    members = [_member(i, rng, uid(), stamp, day_before) for i in range(n_members)]
    ids = [m.id for m in members]

    relationships = []
    for a, b in preferential_attachment(n_members, ties_per_member, rng):
        since = day_before(3 * 365)
        ended = since + timedelta(days=rng.randrange(30, 700)) if rng.random() < 0.05 else None
        relationships.append(
            Relationship(
                id=uid(),
                source_id=ids[a],
                target_id=ids[b],
                kind=rng.choice(RELATIONSHIP_KINDS),
                direction=rng.choices(("undirected", "directed", "mutual"), (8, 1, 1))[0],
                strength=rng.choices((1, 2, 3, 4, 5), (2, 3, 4, 2, 1))[0],
                since=since,
                ended_on=ended if ended and ended < as_of else None,
                notes="met at the spring forum" if rng.random() < 0.1 else "",
                created_at=stamp,
                updated_at=stamp,
            )
        )

    orgs = [m for m in members if m.is_organization]
    affiliations = []
    if orgs:
        for person in (m for m in members if not m.is_organization):
            if rng.random() < 0.6:
                org = rng.choice(orgs)
                affiliations.append(
                    Affiliation(
                        id=uid(),
                        person_id=person.id,
                        organization_id=org.id,
                        role=rng.choice(_ROLES),
                        since=day_before(5 * 365),
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )

    events: list[Event] = []
    attendance: list[Attendance] = []
    for i in range(n_events):
        kind = rng.choice(EVENT_KINDS)
        event = Event(
            id=uid(),
            title=f"{rng.choice(_EVENT_TITLES)} #{i + 1}",
            kind=kind,
            date=day_before(730),
            location=rng.choice(_PLACES),
            in_person=rng.random() < 0.8,
            trust_building=rng.random() < 0.3,
            created_at=stamp,
            updated_at=stamp,
        )
        events.append(event)
        size = min(n_members, 2 if kind == "one-to-one" else rng.randint(3, 12))
        for j, idx in enumerate(rng.sample(range(n_members), size)):
            attendance.append(
                Attendance(
                    id=uid(),
                    event_id=event.id,
                    member_id=ids[idx],
                    role="host" if j == 0 else rng.choices(ATTENDANCE_ROLES, (12, 1, 1, 1))[0],
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
    return SyntheticNetwork(members, relationships, affiliations, events, attendance)


def _member(i: int, rng: random.Random, mid: str, stamp: str, day_before: Any) -> Member:
    is_org = rng.random() < 0.125
    if is_org:
        name = f"{rng.choice(_ORG_WORDS)} {rng.choice(_ORG_KINDS)} {i}"
        email = f"info{i}@example.org"
        role = ""
    else:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {i}"
        email = f"person{i}@example.org"
        role = rng.choice(_ROLES)
    return Member(
        id=mid,
        name=name,
        kind="organization" if is_org else "person",
        email=email,
        phone=f"555-{rng.randrange(10000):04d}" if rng.random() < 0.5 else "",
        role=role,
        location=rng.choice(_PLACES),
        sector=rng.choice(_SECTORS),
        notes="prefers e-mail" if rng.random() < 0.1 else "",
        tags=tuple(rng.sample(_TAGS, rng.randint(0, 3))),
        offers=_items(rng),
        needs=_items(rng),
        joined_on=day_before(5 * 365),
        consent=rng.choices(("yes", "no", "not_asked"), (6, 1, 3))[0],
        custom={"cohort": str(2020 + i % 6)} if i % 4 == 0 else {},
        created_at=stamp,
        updated_at=stamp,
    )


def _items(rng: random.Random) -> tuple[ValueItem, ...]:
    out = []
    for _ in range(rng.choices((0, 1, 2), (4, 4, 2))[0]):
        kind = rng.choice(VALUE_TYPES)
        out.append(ValueItem(kind, rng.choice(_VALUE_TEXT[kind])))
    return tuple(dict.fromkeys(out))


def write_synthetic(
    path: Path | str,
    n_members: int,
    *,
    seed: int = 1,
    n_events: int = 0,
    ties_per_member: int = 3,
) -> None:
    """Create a new document at ``path`` holding a synthetic network (one command)."""
    from .commands import AddEntities
    from .store import Document

    network = synthetic_entities(n_members, ties_per_member, seed=seed, n_events=n_events)
    with Document.create(path, name=f"Synthetic network ({n_members} members)") as wb:
        AddEntities(network, f"Generate {n_members} members").apply(wb)
