"""The store's reads: frozen entities, raw rows, settings, counts and checks.

Part of the store (the only code that runs SQL). :class:`DocumentReads` is a mixin of
:class:`weaver.core.store.Document`; it reads through ``self.conn`` and never writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from .changes import ENTITIES
from .codec import FROM_ROW, TABLE_KEYS, Row, entities_from_rows, rating_from_row, setting_value
from .model import Affiliation, Attendance, Event, Member, Relationship
from .privacy import DEFAULT_PRIVATE_FIELDS, PRIVATE_FIELDS_KEY
from .ratings import Rating, history_of

DEFAULT_SETTINGS: dict[str, Any] = {
    "name": "Untitled network",
    "description": "",
    # Fields hidden from presentation mode, shared maps and anonymised exports.
    PRIVATE_FIELDS_KEY: DEFAULT_PRIVATE_FIELDS,
}


class DocumentReads:
    """Read methods of a Document (see :mod:`weaver.core.store`)."""

    path: Path
    conn: sqlite3.Connection

    def row(self, table: str, key: Any) -> Row | None:
        r = self.conn.execute(
            f"SELECT * FROM {table} WHERE {TABLE_KEYS[table]} = ?", (key,)
        ).fetchone()
        return dict(r) if r is not None else None

    def rows(self, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Row]:
        sql = f"SELECT * FROM {table}" + (f" WHERE {where}" if where else "")
        # Plain tuples zipped with the column names build dicts faster than sqlite3.Row.
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, tuple(params))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r, strict=True)) for r in cursor]

    def rows_by_keys(self, table: str, keys: Iterable[Any]) -> list[Row]:
        keys = list(keys)
        out: list[Row] = []
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            chunk = keys[i : i + 500]
            out += self.rows(table, f"{TABLE_KEYS[table]} IN ({','.join('?' * len(chunk))})", chunk)
        return out

    def _entities(self, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Any]:
        sql = f"SELECT * FROM {table}" + (f" WHERE {where}" if where else "")
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, tuple(params))
        return entities_from_rows(table, [d[0] for d in cursor.description], cursor)

    def members(self) -> list[Member]:
        return self._entities("members")

    def member(self, member_id: str) -> Member | None:
        r = self.row("members", member_id)
        return FROM_ROW["members"](r) if r else None

    def members_by_ids(self, ids: Iterable[str]) -> list[Member]:
        return [FROM_ROW["members"](r) for r in self.rows_by_keys("members", ids)]

    def relationships(self) -> list[Relationship]:
        return self._entities("relationships")

    def relationship(self, rel_id: str) -> Relationship | None:
        r = self.row("relationships", rel_id)
        return FROM_ROW["relationships"](r) if r else None

    def relationships_of(self, member_ids: Iterable[str]) -> list[Relationship]:
        ids = list(member_ids)
        out: dict[str, Relationship] = {}
        for i in range(0, len(ids), 400):
            chunk = ids[i : i + 400]
            marks = ",".join("?" * len(chunk))
            for rel in self._entities(
                "relationships", f"source_id IN ({marks}) OR target_id IN ({marks})", chunk * 2
            ):
                out[rel.id] = rel
        return list(out.values())

    def affiliations(self) -> list[Affiliation]:
        return self._entities("affiliations")

    def affiliations_of(self, member_id: str) -> list[Affiliation]:
        return self._entities(
            "affiliations", "person_id = ? OR organization_id = ?", (member_id, member_id)
        )

    def events(self) -> list[Event]:
        return self._entities("events")

    def event(self, event_id: str) -> Event | None:
        r = self.row("events", event_id)
        return FROM_ROW["events"](r) if r else None

    def attendance(self) -> list[Attendance]:
        return self._entities("attendance")

    def attendance_of_event(self, event_id: str) -> list[Attendance]:
        return self._entities("attendance", "event_id = ?", (event_id,))

    def attendance_of_member(self, member_id: str) -> list[Attendance]:
        return self._entities("attendance", "member_id = ?", (member_id,))

    def ratings_of(self, relationship_id: str) -> list[Rating]:
        """Every rating of one relationship, newest first (for a details panel or a dialog)."""
        rows = self.rows("ratings", "relationship_id = ?", (relationship_id,))
        return history_of((rating_from_row(r) for r in rows), relationship_id)

    def latest_rating(self, relationship_id: str) -> Rating | None:
        found = self.ratings_of(relationship_id)
        return found[0] if found else None

    def settings(self) -> dict[str, Any]:
        stored = {r["key"]: setting_value(r) for r in self.rows("settings")}
        return DEFAULT_SETTINGS | stored

    def setting(self, key: str, default: Any = None) -> Any:
        r = self.row("settings", key)
        if r is not None:
            return setting_value(r)
        return DEFAULT_SETTINGS.get(key, default)

    @property
    def name(self) -> str:
        return str(self.setting("name") or self.path.stem)

    def history(self) -> list[Row]:
        rows = self.rows("history")
        for r in rows:
            r["changes"] = json.loads(r["changes"])
        return rows

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self.conn.execute(sql).fetchone()[0])

        return {
            "members": one("SELECT count(*) FROM members"),
            "people": one("SELECT count(*) FROM members WHERE kind = 'person'"),
            "organizations": one("SELECT count(*) FROM members WHERE kind = 'organization'"),
            "relationships": one("SELECT count(*) FROM relationships"),
            "affiliations": one("SELECT count(*) FROM affiliations"),
            "events": one("SELECT count(*) FROM events"),
            "attendance": one("SELECT count(*) FROM attendance"),
            "history": one("SELECT count(*) FROM history"),
        }

    def ended_relationships(self, on: date) -> int:
        """How many relationships have ended by ``on``: the complement of
        ``Relationship.is_active(on)`` (an end date on or before that day), counted in SQL so
        the status bar can say it after every edit."""
        sql = "SELECT count(*) FROM relationships WHERE ended_on IS NOT NULL AND ended_on <= ?"
        return int(self.conn.execute(sql, (on.isoformat(),)).fetchone()[0])

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def integrity(self) -> str:
        """'ok' when SQLite's integrity and foreign-key checks both pass, else the first fault."""
        result = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return str(result)
        fk = self.conn.execute("PRAGMA foreign_key_check").fetchone()
        if fk is not None:
            return f"foreign key violation in {fk[0]} row {fk[1]} -> {fk[2]}"
        return "ok"

    def content_digest(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every document table (not history), sorted: for "is it identical?"."""
        tables = [*ENTITIES, "settings"]
        return {
            t: sorted(tuple(r) for r in self.conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in tables
        }
