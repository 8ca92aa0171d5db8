"""Row images the store writes, and the Changes record a sequence of them makes.

Part of the store: commands describe their writes as ``RowWrite`` images, which
:class:`weaver.core.store.Document` applies.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from .changes import ENTITIES, Changes, EntityChanges
from .codec import POSITION_COLUMNS, TABLE_KEYS, Row


class RowWrite:
    """One row's before and after image. ``None`` on a side means the row is absent."""

    __slots__ = ("after", "before", "table")

    def __init__(self, table: str, before: Row | None, after: Row | None) -> None:
        self.table = table
        self.before = before
        self.after = after

    @property
    def key(self) -> Any:
        row = self.after if self.after is not None else self.before
        assert row is not None
        return row[TABLE_KEYS[self.table]]

    def inverted(self) -> RowWrite:
        return RowWrite(self.table, self.after, self.before)

    def __repr__(self) -> str:
        change = f"{self.before is not None}->{self.after is not None}"
        return f"RowWrite({self.table}, {self.key!r}, {change})"


def changes_of(writes: Iterable[RowWrite]) -> Changes:
    """The Changes record for a sequence of row writes."""
    per: dict[str, dict[str, set[str]]] = {
        e: {"added": set(), "updated": set(), "removed": set()} for e in ENTITIES
    }
    positions: set[str] = set()
    settings: set[str] = set()
    for w in writes:
        if w.table == "settings":
            settings.add(w.key)
            continue
        bucket = per[w.table]
        key = w.key
        if w.before is None:
            bucket["removed"].discard(key)
            bucket["added"].add(key)
        elif w.after is None:
            if key in bucket["added"]:
                bucket["added"].discard(key)
            else:
                bucket["removed"].add(key)
            bucket["updated"].discard(key)
        else:
            changed = {c for c in w.after if w.before.get(c) != w.after[c]}
            if not changed:
                continue
            if w.table == "members" and changed <= POSITION_COLUMNS:
                positions.add(key)
            elif key not in bucket["added"]:
                bucket["updated"].add(key)
    parts = {
        e: EntityChanges(frozenset(b["added"]), frozenset(b["updated"]), frozenset(b["removed"]))
        for e, b in per.items()
    }
    positions -= parts["members"].added | parts["members"].removed
    return Changes(**parts, positions=frozenset(positions), settings=frozenset(settings))


def integrity_error_text(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "the change refers to a member, tie or event that no longer exists"
    if "attendance.event_id" in text:
        return "that member is already recorded at that event"
    if "UNIQUE" in text or "PRIMARY KEY" in text:
        return f"an entry with that id already exists ({text})"
    return f"the document refused the change ({text})"
