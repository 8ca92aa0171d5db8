"""Entities to SQLite rows and back.

Rows are plain dicts of column -> SQL value. Commands record rows (not entities) as their
before/after images, so undo restores exactly what was stored, byte for byte.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from .model import Affiliation, Attendance, Event, Member, Relationship, ValueItem
from .ratings import SCORE_FIELDS, Rating
from .snapshots import Snapshot

Row = dict[str, Any]

# Table name -> entity kind used in Changes and history.
ENTITY_TABLES: dict[str, str] = {
    "members": "members",
    "affiliations": "affiliations",
    "relationships": "relationships",
    "events": "events",
    "attendance": "attendance",
    "ratings": "ratings",
    "snapshots": "snapshots",
    "settings": "settings",
}
TABLE_KEYS: dict[str, str] = {table: "id" for table in ENTITY_TABLES} | {"settings": "key"}

# Member columns that only place the member on the map: changing them is a "position" change.
POSITION_COLUMNS = frozenset({"x", "y", "pinned"})


def _date_out(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date_in(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _json(value: Any) -> str:
    # sort_keys + compact separators: the same value always gives the same text, so
    # "did anything change?" is a plain string comparison.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _items_out(items: tuple[ValueItem, ...]) -> str:
    return _json([[i.type, i.text] for i in items])


def _trusted(cls: type[Any], **values: Any) -> Any:
    """Build an entity from a stored row without re-running its validation.

    Rows were validated when they were written (and the schema's CHECKs hold them to it), so
    checking them again on every load only slows opening a big document. Edits still validate:
    commands build new values with ``dataclasses.replace``, which runs ``__post_init__``.
    """
    entity = object.__new__(cls)
    entity.__dict__.update(values)  # frozen: bypass the blocked __setattr__
    return entity


def _list_in(text: str | None) -> list[Any]:
    # Most rows hold empty lists: skipping the JSON parser for them speeds up loading.
    return [] if not text or text == "[]" else json.loads(text)


def _dict_in(text: str | None) -> dict[str, Any]:
    return {} if not text or text == "{}" else json.loads(text)


@functools.lru_cache(maxsize=4096)
def _items_in(text: str | None) -> tuple[ValueItem, ...]:
    # Cached: members often share the same offers/needs, and the result is immutable.
    return tuple(ValueItem(t, s) for t, s in _list_in(text))


@functools.lru_cache(maxsize=4096)
def _tags_in(text: str | None) -> tuple[str, ...]:
    return tuple(_list_in(text))


def member_to_row(m: Member) -> Row:
    return {
        "id": m.id,
        "kind": m.kind,
        "name": m.name,
        "email": m.email,
        "phone": m.phone,
        "role": m.role,
        "location": m.location,
        "sector": m.sector,
        "notes": m.notes,
        "tags": _json(list(m.tags)),
        "offers": _items_out(m.offers),
        "needs": _items_out(m.needs),
        "joined_on": _date_out(m.joined_on),
        "consent": m.consent,
        "x": m.x,
        "y": m.y,
        "pinned": int(m.pinned),
        "custom": _json(m.custom),
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def member_from_row(r: Row) -> Member:
    return _trusted(
        Member,
        id=r["id"],
        kind=r["kind"],
        name=r["name"],
        email=r["email"],
        phone=r["phone"],
        role=r["role"],
        location=r["location"],
        sector=r["sector"],
        notes=r["notes"],
        tags=_tags_in(r["tags"]),
        offers=_items_in(r["offers"]),
        needs=_items_in(r["needs"]),
        joined_on=_date_in(r["joined_on"]),
        consent=r["consent"],
        x=r["x"],
        y=r["y"],
        pinned=bool(r["pinned"]),
        custom=_dict_in(r["custom"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def affiliation_to_row(a: Affiliation) -> Row:
    return {
        "id": a.id,
        "person_id": a.person_id,
        "organization_id": a.organization_id,
        "role": a.role,
        "since": _date_out(a.since),
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def affiliation_from_row(r: Row) -> Affiliation:
    return _trusted(
        Affiliation,
        id=r["id"],
        person_id=r["person_id"],
        organization_id=r["organization_id"],
        role=r["role"],
        since=_date_in(r["since"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def relationship_to_row(rel: Relationship) -> Row:
    return {
        "id": rel.id,
        "source_id": rel.source_id,
        "target_id": rel.target_id,
        "kind": rel.kind,
        "direction": rel.direction,
        "strength": rel.strength,
        "since": _date_out(rel.since),
        "ended_on": _date_out(rel.ended_on),
        "notes": rel.notes,
        "custom": _json(rel.custom),
        "created_at": rel.created_at,
        "updated_at": rel.updated_at,
    }


def relationship_from_row(r: Row) -> Relationship:
    return _trusted(
        Relationship,
        id=r["id"],
        source_id=r["source_id"],
        target_id=r["target_id"],
        kind=r["kind"],
        direction=r["direction"],
        strength=r["strength"],
        since=_date_in(r["since"]),
        ended_on=_date_in(r["ended_on"]),
        notes=r["notes"],
        custom=_dict_in(r["custom"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def event_to_row(e: Event) -> Row:
    return {
        "id": e.id,
        "title": e.title,
        "kind": e.kind,
        "date": _date_out(e.date),
        "end_date": _date_out(e.end_date),
        "location": e.location,
        "in_person": int(e.in_person),
        "trust_building": int(e.trust_building),
        "notes": e.notes,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    }


def event_from_row(r: Row) -> Event:
    return _trusted(
        Event,
        id=r["id"],
        title=r["title"],
        kind=r["kind"],
        date=_date_in(r["date"]),
        end_date=_date_in(r["end_date"]),
        location=r["location"],
        in_person=bool(r["in_person"]),
        trust_building=bool(r["trust_building"]),
        notes=r["notes"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def attendance_to_row(a: Attendance) -> Row:
    return {
        "id": a.id,
        "event_id": a.event_id,
        "member_id": a.member_id,
        "role": a.role,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def attendance_from_row(r: Row) -> Attendance:
    return _trusted(
        Attendance,
        id=r["id"],
        event_id=r["event_id"],
        member_id=r["member_id"],
        role=r["role"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def setting_to_row(key: str, value: Any) -> Row:
    return {"key": key, "value": _json(value)}


def setting_value(row: Row) -> Any:
    return json.loads(row["value"])


# Ratings and snapshots (their own modules hold the domain; the rows are the codec's).


def rating_to_row(r: Rating) -> dict[str, Any]:
    return {
        "id": r.id,
        "relationship_id": r.relationship_id,
        "rated_on": r.rated_on.isoformat(),
        **{n: getattr(r, n) for n in SCORE_FIELDS},
        "notes": r.notes,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def rating_from_row(row: dict[str, Any]) -> Rating:
    return Rating(
        id=row["id"],
        relationship_id=row["relationship_id"],
        rated_on=date.fromisoformat(row["rated_on"]),
        **{n: row[n] for n in SCORE_FIELDS},
        notes=row["notes"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def snapshot_to_row(s: Snapshot) -> dict[str, Any]:
    return {
        "id": s.id,
        "taken_on": s.taken_on.isoformat(),
        "taken_at": s.taken_at,
        "label": s.label,
        "measures": json.dumps(
            s.measures, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ),
    }


def snapshot_from_row(row: Mapping[str, Any]) -> Snapshot:
    return Snapshot(
        id=row["id"],
        taken_on=date.fromisoformat(row["taken_on"]),
        taken_at=row["taken_at"],
        label=row["label"],
        measures=json.loads(row["measures"]),
    )


TO_ROW: dict[type, tuple[str, Callable[[Any], Row]]] = {
    Member: ("members", member_to_row),
    Affiliation: ("affiliations", affiliation_to_row),
    Relationship: ("relationships", relationship_to_row),
    Event: ("events", event_to_row),
    Attendance: ("attendance", attendance_to_row),
    Rating: ("ratings", rating_to_row),
    Snapshot: ("snapshots", snapshot_to_row),
}
FROM_ROW: dict[str, Callable[[Row], Any]] = {
    "members": member_from_row,
    "affiliations": affiliation_from_row,
    "relationships": relationship_from_row,
    "events": event_from_row,
    "attendance": attendance_from_row,
    "ratings": rating_from_row,
    "snapshots": snapshot_from_row,
}


def to_row(entity: Any) -> tuple[str, Row]:
    """(table, row) for any entity."""
    table, convert = TO_ROW[type(entity)]
    return table, convert(entity)


# ---- fast bulk loading -------------------------------------------------------------------

# Columns whose stored form differs from the entity's value; every other column is stored as
# the value itself. Used to load thousands of rows at once (opening a big document).
_DECODE: dict[type, dict[str, Callable[[Any], Any]]] = {
    Member: {
        "tags": _tags_in,
        "offers": _items_in,
        "needs": _items_in,
        "joined_on": _date_in,
        "pinned": bool,
        "custom": _dict_in,
    },
    Affiliation: {"since": _date_in},
    Relationship: {"since": _date_in, "ended_on": _date_in, "custom": _dict_in},
    Event: {"date": _date_in, "end_date": _date_in, "in_person": bool, "trust_building": bool},
    Attendance: {},
}


def entities_from_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[Any]:
    """Entities from raw row tuples (in ``columns`` order), as ``FROM_ROW`` would make them.

    The fast path skips per-row dicts of keyword arguments; it is used only when the table's
    columns are exactly the entity's fields, and otherwise ``FROM_ROW`` does the work.
    """
    cls = next((c for c, (t, _) in TO_ROW.items() if t == table), None)
    decode = _DECODE.get(cls) if cls is not None else None
    if decode is None or set(columns) != {f.name for f in dataclasses.fields(cls)}:
        convert = FROM_ROW[table]
        return [convert(dict(zip(columns, r, strict=True))) for r in rows]
    steps = [(i, column, decode[column]) for i, column in enumerate(columns) if column in decode]
    new, set_attr = object.__new__, object.__setattr__
    out = []
    for r in rows:
        values = dict(zip(columns, r, strict=True))
        for i, column, fn in steps:
            values[column] = fn(r[i])
        entity = new(cls)
        set_attr(entity, "__dict__", values)  # as _trusted, without copying the dict
        out.append(entity)
    return out
