"""Member resolution for an import: match each member row of a draft to the open network.

Members are matched by id, then e-mail, then exact name (case and surrounding spaces ignored);
the plan records which rule matched each one. This module also holds the shared bookkeeping
(:meth:`MemberResolver._record`) that adds or updates one row of any table.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from typing import Any

from ..codec import FROM_ROW
from ..model import (
    Affiliation,
    Attendance,
    Event,
    Member,
    Relationship,
    ValidationError,
    new_id,
    utc_now,
)
from ..ratings import Rating
from ..snapshots import Snapshot
from ..store import Document
from .draft import Draft, MemberRow, Row
from .plan import TABLES, Cancelled, ImportPlan, Match

Check = Callable[[], bool]


def name_key(text: str) -> str:
    """How names match on import: case and runs of spaces ignored, accents kept."""
    return " ".join(text.split()).casefold()


_UUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)


def _is_uuid(text: str) -> bool:
    return bool(_UUID.fullmatch(text))


def _same_float(a: Any, b: Any) -> bool:
    return (
        isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, rel_tol=1e-12)
    ) or a == b


class MemberResolver:
    """The network as it is now, the plan being built, and the members of the file."""

    def __init__(
        self, draft: Draft, wb: Document, *, prune: bool, cancelled: Check | None = None
    ) -> None:
        self.draft = draft
        self.wb = wb
        self.stamp = utc_now()
        self.cancelled = cancelled or (lambda: False)
        self.plan = ImportPlan(draft.file, draft.format, prune=prune)
        self.plan.problems = list(draft.problems)
        self.plan.columns = list(draft.columns)
        self.plan.notices = list(draft.notices)
        for entity, n in draft.skipped.items():
            self.plan.skipped[entity] += n
        self.unchanged: dict[str, int] = {}
        # The network as it is now.
        self.rows: dict[str, dict[str, dict[str, Any]]] = {
            t: {r["id"]: r for r in wb.rows(t)} for t in TABLES
        }
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for r in self.rows["members"].values():
            if r["email"]:
                self.by_email.setdefault(r["email"].strip().casefold(), r["id"])
            self.by_name.setdefault(name_key(r["name"]), r["id"])
        # File key -> member id, for resolving the file's own references.
        self.keys: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.seen: dict[str, set[str]] = {t: set() for t in self.rows}
        # Ids this import adds, per table.
        self.added: dict[str, set[str]] = {t: set() for t in self.rows}
        # Final state of each member this import touches (new or updated), by id.
        # Members and events that kept rows point at: never pruned.
        self.referenced: set[str] = set()
        self.merged = 0
        # Relationships of this file given a new id: the file's key -> id (for ratings).
        self.rel_keys: dict[str, str] = {}

    # ---- helpers -------------------------------------------------------------------------

    def _problem(self, row: Row, message: str, column: str = "", blocking: bool = False) -> None:
        self.draft.problem(message, sheet=row.sheet, row=row.row, column=column, blocking=blocking)
        self.plan.problems.append(self.draft.problems[-1])

    def _merge(self, table: str, existing: Any, row: Row, new_fields: dict[str, Any]) -> Any:
        # The file's timestamps describe the row as exported; an edit gets a new one.
        fields = {k: v for k, v in new_fields.items() if k not in ("created_at", "updated_at")}
        if hasattr(existing, "custom"):
            kept_blank = {k: v for k, v in existing.custom.items() if v == ""}
            if self.draft.complete:
                fields["custom"] = kept_blank | row.custom
            else:
                fields["custom"] = existing.custom | row.custom
        for name in ("x", "y"):
            if name in fields and _same_float(fields[name], getattr(existing, name, None)):
                fields[name] = getattr(existing, name)
        return dataclasses.replace(existing, **fields)

    def _record(self, table: str, row: Row, fields: dict[str, Any], build: Callable) -> str | None:
        """Add or update one entity of ``table``; returns its id (None when skipped)."""
        if row.id and row.id in self.seen[table]:
            column = "ID" if self.draft.format == "weaver" else ""
            self._problem(row, f"repeats the id {row.id} of an earlier row; row skipped", column)
            self.plan.skipped[table] += 1
            return None
        current = self.rows[table].get(row.id) if row.id else None
        try:
            if current is not None:
                existing = FROM_ROW[table](current)
                after = self._merge(table, existing, row, fields)
                if after == existing:
                    self.unchanged[table] = self.unchanged.get(table, 0) + 1
                else:
                    if hasattr(after, "updated_at"):
                        after = dataclasses.replace(after, updated_at=self.stamp)
                    self.plan.updates[table].append((current, after))
                return existing.id
            if table == "snapshots":  # a snapshot says when it was taken, nothing more
                stamps = {"taken_at": fields.pop("taken_at", None) or self.stamp}
            else:
                stamps = {
                    "created_at": fields.pop("created_at", None) or self.stamp,
                    "updated_at": fields.pop("updated_at", None) or self.stamp,
                }
            entity_id = row.id if row.id and _is_uuid(row.id) else new_id()
            if build in _HAS_CUSTOM:
                fields["custom"] = dict(row.custom)
            entity = build(id=entity_id, **fields, **stamps)
        except (ValidationError, TypeError, ValueError) as exc:
            self._problem(row, f"{exc}; row skipped")
            self.plan.skipped[table] += 1
            return None
        self.plan.adds[table].append(entity)
        self.rows[table][entity.id] = {"id": entity.id}
        self.added[table].add(entity.id)
        self.seen[table].add(entity.id)
        return entity.id

    # ---- members -------------------------------------------------------------------------

    def members(self) -> None:
        first_row: dict[str, int | None] = {}
        for i, row in enumerate(self.draft.members):
            if i % 1000 == 0 and self.cancelled():
                raise Cancelled
            rule, member_id = self._match(row)
            if member_id and member_id in self.seen["members"]:
                self._problem(
                    row,
                    f"'{row.fields.get('name', row.key)}' repeats the member of row "
                    f"{first_row.get(member_id)}; row skipped",
                )
                self.plan.skipped["members"] += 1
                self._remember(row, member_id)
                continue
            if member_id:
                row.id = member_id
            fields = {k: v for k, v in row.fields.items() if k in _MEMBER_FIELDS}
            result = self._record("members", row, fields, Member)
            if result is None:
                continue
            if rule and result:
                self.plan.matched_by[result] = rule
                self.plan.matches.append(
                    Match(
                        row.sheet,
                        row.row,
                        str(row.fields.get("name", row.key)),
                        result,
                        str(self.rows["members"][result].get("name", "")),
                        rule,
                    )
                )
            self.seen["members"].add(result)
            first_row[result] = row.row
            self._remember(row, result)

    def _match(self, row: MemberRow) -> tuple[str, str | None]:
        existing = self.rows["members"]
        if row.id and row.id in existing and row.id not in self.added["members"]:
            return "id", row.id
        email = str(row.fields.get("email", "")).strip().casefold()
        if email and email in self.by_email:
            return "email", self.by_email[email]
        name = name_key(str(row.fields.get("name", "")))
        if name and name in self.by_name:
            return "name", self.by_name[name]
        # Already added from an earlier row of this file (a repeated node).
        for key in (row.id, row.key):
            if key and key in self.keys:
                return "", self.keys[key]
        return "", None

    def _remember(self, row: MemberRow, member_id: str) -> None:
        for key in (row.key, row.id):
            if key:
                self.keys.setdefault(key, member_id)
        name = row.fields.get("name")
        if name:
            self.names.setdefault(name_key(str(name)), member_id)

    def member_name(self, member_id: str, fallback: str) -> str:
        """The name of a member this import adds or finds (for messages), else ``fallback``
        (the file's own key). Only used when reporting a row, so a scan of the adds is fine."""
        name = self.rows["members"].get(member_id, {}).get("name")
        if name:
            return str(name)
        added = next((m for m in self.plan.adds["members"] if m.id == member_id), None)
        return added.name if added is not None else fallback

    def member_ref(self, key: str, *, create: bool, row: Row, kind: str = "person") -> str | None:
        """The member a file key (id or name) refers to."""
        if not key:
            return None
        if key in self.keys:
            return self.keys[key]
        if key in self.rows["members"]:
            return key
        folded = name_key(key)
        if folded in self.names:
            return self.names[folded]
        if folded in self.by_name:
            return self.by_name[folded]
        if create:
            member = MemberRow(row.sheet, row.row, {"name": key, "kind": kind}, key=key)
            result = self._record("members", member, dict(member.fields), Member)
            if result:
                self.seen["members"].add(result)
                self._remember(member, result)
            return result
        return None


_MEMBER_FIELDS = {f.name for f in dataclasses.fields(Member)} - {"id", "custom"}
# Entities with custom fields (the file's unknown columns land there).
_HAS_CUSTOM = {
    cls
    for cls in (Member, Relationship, Event, Affiliation, Attendance, Rating, Snapshot)
    if "custom" in {f.name for f in dataclasses.fields(cls)}
}
