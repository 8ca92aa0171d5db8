"""The domain: frozen dataclasses for everything a network document holds.

Entities are plain values. The store turns them into rows and back (see ``codec``); commands
build new values with ``dataclasses.replace`` and never mutate one in place.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal, NewType

MemberId = NewType("MemberId", str)
RelationshipId = NewType("RelationshipId", str)
AffiliationId = NewType("AffiliationId", str)
EventId = NewType("EventId", str)
AttendanceId = NewType("AttendanceId", str)

Kind = Literal["person", "organization"]
KINDS: tuple[str, ...] = ("person", "organization")

Consent = Literal["yes", "no", "not_asked"]
CONSENTS: tuple[str, ...] = ("yes", "no", "not_asked")

Direction = Literal["undirected", "directed", "mutual"]
DIRECTIONS: tuple[str, ...] = ("undirected", "directed", "mutual")

# The four ways a network creates value (NetGains): what members offer and need.
VALUE_TYPES: tuple[str, ...] = ("skill", "knowledge", "resource", "connection")

ATTENDANCE_ROLES: tuple[str, ...] = ("attendee", "host", "facilitator", "speaker")

# Suggestions for the free-text kinds; users may type any other.
RELATIONSHIP_KINDS: tuple[str, ...] = (
    "colleague",
    "collaborator",
    "friend",
    "funder",
    "mentor",
    "advisor",
    "partner",
)
EVENT_KINDS: tuple[str, ...] = (
    "one-to-one",
    "meeting",
    "workshop",
    "convening",
    "site visit",
    "meal",
    "call",
    "introduction",
)

STRENGTH_MIN, STRENGTH_MAX = 1, 5


class ValidationError(ValueError):
    """A value a user typed (or a file held) that the document cannot accept."""


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    """An ISO-8601 UTC timestamp with microseconds, sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ValueItem:
    """One offer or need: a typed item with free text ("skill: grant writing")."""

    type: str
    text: str

    def __post_init__(self) -> None:
        if self.type not in VALUE_TYPES:
            raise ValidationError(
                f"offer/need type must be one of {', '.join(VALUE_TYPES)}, not {self.type!r}"
            )
        if not self.text.strip():
            raise ValidationError("offer/need text must not be empty")

    def __str__(self) -> str:
        return f"{self.type}: {self.text}"


@dataclass(frozen=True)
class Member:
    id: MemberId
    name: str
    kind: Kind = "person"
    email: str = ""
    phone: str = ""
    role: str = ""
    location: str = ""
    sector: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    offers: tuple[ValueItem, ...] = ()
    needs: tuple[ValueItem, ...] = ()
    joined_on: date | None = None
    consent: Consent = "not_asked"
    x: float | None = None
    y: float | None = None
    pinned: bool = False
    custom: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name:
            raise ValidationError("a member needs a name")
        object.__setattr__(self, "name", name)
        if self.kind not in KINDS:
            raise ValidationError(f"kind must be person or organization, not {self.kind!r}")
        if self.consent not in CONSENTS:
            raise ValidationError(f"consent must be yes, no or not_asked, not {self.consent!r}")
        object.__setattr__(self, "tags", _clean_tags(self.tags))

    @property
    def is_organization(self) -> bool:
        return self.kind == "organization"


@dataclass(frozen=True)
class Affiliation:
    """A person's tie to an organization (staff, board, volunteer…)."""

    id: AffiliationId
    person_id: MemberId
    organization_id: MemberId
    role: str = ""
    since: date | None = None
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        if self.person_id == self.organization_id:
            raise ValidationError("a member cannot be affiliated with itself")


@dataclass(frozen=True)
class Relationship:
    id: RelationshipId
    source_id: MemberId
    target_id: MemberId
    kind: str = "colleague"
    direction: Direction = "undirected"
    strength: int = 3
    since: date | None = None
    ended_on: date | None = None
    notes: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        if self.source_id == self.target_id:
            raise ValidationError("a relationship cannot link a member to themself")
        if self.direction not in DIRECTIONS:
            raise ValidationError(
                f"direction must be undirected, directed or mutual, not {self.direction!r}"
            )
        if not (isinstance(self.strength, int) and STRENGTH_MIN <= self.strength <= STRENGTH_MAX):
            raise ValidationError(
                f"strength must be a whole number from {STRENGTH_MIN} to {STRENGTH_MAX}"
            )
        object.__setattr__(self, "kind", self.kind.strip() or "colleague")
        if self.since and self.ended_on and self.ended_on < self.since:
            raise ValidationError("a relationship cannot end before it began")

    def is_active(self, on: date | None = None) -> bool:
        if self.ended_on is None:
            return True
        return on is not None and on < self.ended_on

    def other(self, member_id: str) -> MemberId:
        return self.target_id if member_id == self.source_id else self.source_id


@dataclass(frozen=True)
class Event:
    """A meeting or trust-building event."""

    id: EventId
    title: str
    kind: str = "meeting"
    date: date | None = None
    end_date: date | None = None
    location: str = ""
    in_person: bool = True
    trust_building: bool = False
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        title = self.title.strip() if isinstance(self.title, str) else ""
        if not title:
            raise ValidationError("an event needs a title")
        object.__setattr__(self, "title", title)
        if self.date and self.end_date and self.end_date < self.date:
            raise ValidationError("an event cannot end before it starts")


@dataclass(frozen=True)
class Attendance:
    id: AttendanceId
    event_id: EventId
    member_id: MemberId
    role: str = "attendee"
    created_at: str = ""
    updated_at: str = ""


def _clean_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Trim, drop empties and case-insensitive duplicates, keep first spelling and order."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        t = " ".join(str(tag).split())
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return tuple(out)
