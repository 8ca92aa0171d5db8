"""Undoable commands: every change to a document goes through one of these.

A command plans its row writes the first time it is applied (reading the document inside the
same transaction), keeps them, and from then on applies or reverts exactly those images. So
apply -> revert -> apply gives the same ids and timestamps, and later commands keep pointing at
real rows. Timestamps are taken when a command is built.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from .changes import Changes
from .codec import FROM_ROW, TO_ROW, Row, setting_to_row, to_row
from .model import (
    STRENGTH_MAX,
    Attendance,
    Event,
    Member,
    Relationship,
    ValidationError,
    new_id,
    utc_now,
)
from .ratings import Rating
from .snapshots import Snapshot
from .store import Document
from .store_rows import RowWrite, changes_of

# Insert order that satisfies foreign keys (deletes run in reverse).
TABLE_ORDER = (
    "members",
    "events",
    "affiliations",
    "relationships",
    "attendance",
    "ratings",
    "snapshots",
)


class Command:
    """Base: subclasses implement :meth:`_plan`."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.stamp = utc_now()
        self._writes: list[RowWrite] | None = None

    def _plan(self, wb: Document) -> list[RowWrite]:
        raise NotImplementedError

    def _first_apply(self, wb: Document) -> list[RowWrite]:
        writes = self._plan(wb)
        wb.write_rows(writes)
        return writes

    def apply(self, wb: Document) -> Changes:
        with wb.transaction():
            writes = self._first_apply(wb) if self._writes is None else self._writes
            if writes is self._writes:
                wb.write_rows(writes)
            changes = changes_of(writes)
            if changes:
                wb.record_history("apply", type(self).__name__, self.label, changes)
        # Kept only once committed: a plan from a rolled-back attempt (busy file, failed
        # check) must not be taken for an applied one by a later revert or retry.
        self._writes = writes
        return changes

    def revert(self, wb: Document) -> Changes:
        if self._writes is None:
            raise RuntimeError(f"cannot revert {self.label!r}: it was never applied")
        inverse = [w.inverted() for w in reversed(self._writes)]
        with wb.transaction():
            changes = wb.write_rows(inverse)
            if changes:
                wb.record_history("revert", type(self).__name__, self.label, changes)
        return changes

    @property
    def writes(self) -> list[RowWrite]:
        return list(self._writes or [])

    @property
    def did_nothing(self) -> bool:
        """True once applied if it found nothing to change (an edit to the same value)."""
        return self._writes is not None and not changes_of(self._writes)


class Macro(Command):
    """Several commands as one undo step, in one transaction."""

    def __init__(self, label: str, commands: Sequence[Command]) -> None:
        super().__init__(label)
        self.commands = list(commands)

    def _first_apply(self, wb: Document) -> list[RowWrite]:
        writes: list[RowWrite] = []
        for command in self.commands:
            # Each part plans against what the earlier parts already wrote.
            writes += command._first_apply(wb)
        return writes


# ---- building new entities ---------------------------------------------------------------


def stamped(entity: Any, stamp: str) -> Any:
    return dataclasses.replace(entity, created_at=stamp, updated_at=stamp)


def new_member(name: str, stamp: str | None = None, **fields: Any) -> Member:
    stamp = stamp or utc_now()
    return Member(
        id=fields.pop("id", None) or new_id(),
        name=name,
        created_at=stamp,
        updated_at=stamp,
        **fields,
    )


def new_relationship(
    source_id: str, target_id: str, stamp: str | None = None, **fields: Any
) -> Relationship:
    stamp = stamp or utc_now()
    return Relationship(
        id=fields.pop("id", None) or new_id(),
        source_id=source_id,
        target_id=target_id,
        created_at=stamp,
        updated_at=stamp,
        **fields,
    )


def new_event(title: str, stamp: str | None = None, **fields: Any) -> Event:
    stamp = stamp or utc_now()
    return Event(
        id=fields.pop("id", None) or new_id(),
        title=title,
        created_at=stamp,
        updated_at=stamp,
        **fields,
    )


# ---- adding ------------------------------------------------------------------------------


class AddEntities(Command):
    """Add any entities (members, events, affiliations, relationships, attendance) at once."""

    def __init__(self, entities: Iterable[Any], label: str) -> None:
        super().__init__(label)
        rows = [to_row(e) for e in entities]
        order = {t: i for i, t in enumerate(TABLE_ORDER)}
        self._rows = sorted(rows, key=lambda tr: order[tr[0]])

    def _plan(self, wb: Document) -> list[RowWrite]:
        return [RowWrite(table, None, row) for table, row in self._rows]


def AddMember(member: Member) -> AddEntities:  # noqa: N802 - reads as a command class
    noun = "organization" if member.is_organization else "member"
    return AddEntities([member], f"Add {noun} '{member.name}'")


# ---- updating ----------------------------------------------------------------------------

_TABLE_OF = {cls: table for cls, (table, _) in TO_ROW.items()}
_NOUN = {
    "members": "member",
    "relationships": "relationship",
    "affiliations": "affiliation",
    "events": "event",
    "attendance": "attendance",
    "ratings": "rating",
    "snapshots": "snapshot",
}


class UpdateEntity(Command):
    """Set fields of one entity. Setting the values it already has writes nothing."""

    def __init__(self, table: str, key: str, fields: Mapping[str, Any], label: str = "") -> None:
        cls = next(c for c, t in _TABLE_OF.items() if t == table)
        allowed = {f.name for f in dataclasses.fields(cls)} - {"id", "created_at", "updated_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValidationError(f"unknown {_NOUN[table]} field(s): {', '.join(sorted(unknown))}")
        super().__init__(label or f"Edit {_NOUN[table]}")
        self.table = table
        self.key = key
        self.fields = dict(fields)

    def _plan(self, wb: Document) -> list[RowWrite]:
        before = wb.row(self.table, self.key)
        if before is None:
            raise ValidationError(f"that {_NOUN[self.table]} no longer exists")
        entity = FROM_ROW[self.table](before)
        edited = dataclasses.replace(entity, **self.fields)
        if edited == entity:
            return []
        after = to_row(dataclasses.replace(edited, updated_at=self.stamp))[1]
        return [RowWrite(self.table, before, after)]


def UpdateMember(member_id: str, label: str = "", **fields: Any) -> UpdateEntity:  # noqa: N802
    return UpdateEntity("members", member_id, fields, label)


def UpdateRelationship(rel_id: str, label: str = "", **fields: Any) -> UpdateEntity:  # noqa: N802
    return UpdateEntity("relationships", rel_id, fields, label)


def UpdateEvent(event_id: str, label: str = "", **fields: Any) -> UpdateEntity:  # noqa: N802
    return UpdateEntity("events", event_id, fields, label)


class MoveMembers(Command):
    """Set map positions of many members at once (a drag, a layout run). Not an "edit" of the
    member, so ``updated_at`` is left alone."""

    def __init__(self, positions: Mapping[str, tuple[float, float]], label: str = "") -> None:
        n = len(positions)
        super().__init__(label or ("Move member" if n == 1 else f"Move {n} members"))
        self.positions = {k: (float(x), float(y)) for k, (x, y) in positions.items()}
        if not all(math.isfinite(v) for xy in self.positions.values() for v in xy):
            # SQLite would store NaN as NULL: the member would silently lose its place.
            raise ValidationError("a map position must be a finite number")

    def _plan(self, wb: Document) -> list[RowWrite]:
        writes = []
        for before in wb.rows_by_keys("members", self.positions):
            x, y = self.positions[before["id"]]
            if before["x"] != x or before["y"] != y:
                writes.append(RowWrite("members", before, before | {"x": x, "y": y}))
        return writes


class SetPinned(Command):
    def __init__(self, member_ids: Iterable[str], pinned: bool) -> None:
        ids = list(member_ids)
        verb = "Pin" if pinned else "Unpin"
        super().__init__(f"{verb} {len(ids)} member{'s' if len(ids) != 1 else ''}")
        self.ids = ids
        self.pinned = int(pinned)

    def _plan(self, wb: Document) -> list[RowWrite]:
        return [
            RowWrite("members", before, before | {"pinned": self.pinned})
            for before in wb.rows_by_keys("members", self.ids)
            if before["pinned"] != self.pinned
        ]


class SetSettings(Command):
    """Change network settings stored in the document (name, privacy, saved views…)."""

    def __init__(self, values: Mapping[str, Any], label: str = "Change network settings") -> None:
        super().__init__(label)
        self.values = dict(values)

    def _plan(self, wb: Document) -> list[RowWrite]:
        writes = []
        for key, value in self.values.items():
            before = wb.row("settings", key)
            after = setting_to_row(key, value)
            if before != after:
                writes.append(RowWrite("settings", before, after))
        return writes


# ---- deleting ----------------------------------------------------------------------------


class DeleteEntities(Command):
    """Delete entities and everything that depends on them, in one transaction.

    Members take their relationships, affiliations and attendance with them; events take their
    attendance. Undo puts all of it back with the same ids.
    """

    def __init__(self, table: str, keys: Iterable[str], label: str = "") -> None:
        keys = list(dict.fromkeys(keys))
        n = len(keys)
        noun = _NOUN[table]
        super().__init__(
            label or f"Delete {n} {noun}{'s' if n != 1 and noun != 'attendance' else ''}"
        )
        self.table = table
        self.keys = keys

    def _plan(self, wb: Document) -> list[RowWrite]:
        doomed: dict[str, dict[str, Row]] = {t: {} for t in TABLE_ORDER}
        for row in wb.rows_by_keys(self.table, self.keys):
            doomed[self.table][row["id"]] = row
        ids = list(doomed[self.table])
        for chunk in _chunks(ids, 400):
            marks = ",".join("?" * len(chunk))
            if self.table == "members":
                for t, where, params in (
                    ("attendance", f"member_id IN ({marks})", chunk),
                    (
                        "affiliations",
                        f"person_id IN ({marks}) OR organization_id IN ({marks})",
                        chunk * 2,
                    ),
                    (
                        "relationships",
                        f"source_id IN ({marks}) OR target_id IN ({marks})",
                        chunk * 2,
                    ),
                ):
                    for row in wb.rows(t, where, params):
                        doomed[t][row["id"]] = row
            elif self.table == "events":
                for row in wb.rows("attendance", f"event_id IN ({marks})", chunk):
                    doomed["attendance"][row["id"]] = row
        # A relationship's ratings go with it (whether it goes alone or with a member).
        for chunk in _chunks(list(doomed["relationships"]), 400):
            marks = ",".join("?" * len(chunk))
            for row in wb.rows("ratings", f"relationship_id IN ({marks})", chunk):
                doomed["ratings"][row["id"]] = row
        return [RowWrite(t, row, None) for t in reversed(TABLE_ORDER) for row in doomed[t].values()]


def DeleteMembers(ids: Iterable[str], label: str = "") -> DeleteEntities:  # noqa: N802
    return DeleteEntities("members", ids, label)


def DeleteRelationships(ids: Iterable[str], label: str = "") -> DeleteEntities:  # noqa: N802
    return DeleteEntities("relationships", ids, label)


def DeleteEvents(ids: Iterable[str], label: str = "") -> DeleteEntities:  # noqa: N802
    return DeleteEntities("events", ids, label)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ---- the meeting log ---------------------------------------------------------------------


class LogMeeting(Command):
    """Log an event with its attendees (and any people added on the fly).

    With ``record_met``, in-person attendees who already share an active tie have it
    strengthened by one (capped at 5); those who do not get a new tie of ``met_kind``,
    strength 1, dated the meeting's day. All of it is one undo step.
    """

    def __init__(
        self,
        event: Event,
        attendees: Sequence[tuple[str, str]],
        *,
        new_members: Sequence[Member] = (),
        record_met: bool = False,
        met_kind: str = "met",
    ) -> None:
        super().__init__(f"Log meeting '{event.title}'")
        self.event = stamped(event, self.stamp) if not event.created_at else event
        self.new_members = list(new_members)
        self.attendees = list(dict.fromkeys(attendees))
        self.record_met = record_met
        self.met_kind = met_kind
        # Ids are decided now so redo recreates the very same rows.
        self._attendance = [
            Attendance(
                id=new_id(),
                event_id=self.event.id,
                member_id=m,
                role=role,
                created_at=self.stamp,
                updated_at=self.stamp,
            )
            for m, role in self.attendees
        ]

    def _plan(self, wb: Document) -> list[RowWrite]:
        writes = [RowWrite("members", None, to_row(m)[1]) for m in self.new_members]
        writes.append(RowWrite("events", None, to_row(self.event)[1]))
        writes += [RowWrite("attendance", None, to_row(a)[1]) for a in self._attendance]
        if self.record_met and self.event.in_person:
            writes += self._ties(wb)
        return writes

    def _ties(self, wb: Document) -> list[RowWrite]:
        people = [m for m, _ in self.attendees]
        known = {r.id: r for r in wb.relationships_of(people)}
        by_pair: dict[frozenset[str], Relationship] = {}
        for rel in known.values():
            if rel.ended_on is not None:
                continue
            pair = frozenset((rel.source_id, rel.target_id))
            # Strengthen the strongest existing tie of the pair, not every one of them.
            if pair not in by_pair or rel.strength > by_pair[pair].strength:
                by_pair[pair] = rel
        writes = []
        for a, b in combinations(people, 2):
            rel = by_pair.get(frozenset((a, b)))
            if rel is None:
                new = new_relationship(
                    a,
                    b,
                    self.stamp,
                    kind=self.met_kind,
                    strength=1,
                    since=self.event.date,
                    id=_pair_id(self.event.id, a, b),
                )
                writes.append(RowWrite("relationships", None, to_row(new)[1]))
            elif rel.strength < STRENGTH_MAX:
                before = to_row(rel)[1]
                after = before | {"strength": rel.strength + 1, "updated_at": self.stamp}
                writes.append(RowWrite("relationships", before, after))
        return writes


def _pair_id(event_id: str, a: str, b: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"weaver:met:{event_id}:{a}:{b}"))


# ---- ratings and snapshots: records added, edited and deleted like any entity ---------------


def RateTie(rating: Rating, label: str = "Rate relationship") -> Command:  # noqa: N802
    """Add one dated rating of a tie (undoable)."""
    return AddEntities([rating], label)


def EditRating(rating_id: str, label: str = "Edit rating", **fields_: Any) -> Command:  # noqa: N802
    return UpdateEntity("ratings", rating_id, fields_, label)


def DeleteRatings(ids: Iterable[str], label: str = "Delete rating") -> Command:  # noqa: N802
    return DeleteEntities("ratings", ids, label)


def TakeSnapshot(snapshot: Snapshot) -> Command:  # noqa: N802
    """Keep today's health measures in the document (undoable)."""
    return AddEntities([snapshot], f"Take snapshot {snapshot.title}")


def DeleteSnapshots(ids: Iterable[str], label: str = "Delete snapshot") -> Command:  # noqa: N802
    return DeleteEntities("snapshots", ids, label)
