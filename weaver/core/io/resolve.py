"""Match a reader's draft against the open network and produce the import plan.

Members are matched by id, then e-mail, then exact name (case and surrounding spaces ignored);
the plan records which rule matched each one. Rows that change nothing are left alone, so a
round trip with no edits writes nothing and keeps every timestamp.
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
from ..store import Workbook
from .draft import Draft, LinkRow, MemberRow, Row
from .plan import TABLES, Cancelled, ImportPlan, Match

Check = Callable[[], bool]


def _fold(text: str) -> str:
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


class Resolver:
    def __init__(
        self, draft: Draft, wb: Workbook, *, prune: bool, cancelled: Check | None = None
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
            self.by_name.setdefault(_fold(r["name"]), r["id"])
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
        name = _fold(str(row.fields.get("name", "")))
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
            self.names.setdefault(_fold(str(name)), member_id)

    def member_ref(self, key: str, *, create: bool, row: Row, kind: str = "person") -> str | None:
        """The member a file key (id or name) refers to."""
        if not key:
            return None
        if key in self.keys:
            return self.keys[key]
        if key in self.rows["members"]:
            return key
        folded = _fold(key)
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

    # ---- links ---------------------------------------------------------------------------

    def _ends(
        self,
        row: LinkRow,
        what: tuple[str, str],
        create: bool,
        kinds: tuple[str, str] = ("person", "person"),
    ) -> tuple[str, str] | None:
        if not self.plan.prune:  # the common case: both ends are members of this file
            keys = self.keys
            a, b = keys.get(row.a), keys.get(row.b)
            if a is not None and b is not None:
                return a, b
        ends: list[str] = []
        for key, column, is_id in (
            (row.a, row.a_column, row.a_is_id),
            (row.b, row.b_column, row.b_is_id),
        ):
            if not key:
                self._problem(row, f"'{column}' is empty; row skipped", column)
                return None
            target = self.member_ref(
                key, create=create and not is_id, row=row, kind=kinds[len(ends)]
            )
            if target is None:
                where = what[len(ends)]
                if is_id:
                    self._problem(
                        row,
                        f"'{column}' refers to id {key}, which is not in {where}",
                        column,
                        blocking=True,
                    )
                else:
                    self._problem(
                        row,
                        f"'{column}' names '{key}', who is not in {where}; row skipped",
                        column,
                    )
                return None
            if self._pruned(target):
                self._problem(
                    row,
                    f"'{column}' refers to '{key}', who is not in {what[len(ends)]} and is "
                    "removed (prune); row skipped",
                    column,
                )
                return None
            ends.append(target)
        return ends[0], ends[1]

    def _pruned(self, member_id: str) -> bool:
        """With prune, a complete file's members are exactly its rows: others go."""
        return (
            self.plan.prune
            and self.draft.complete
            and member_id in self.rows["members"]
            and member_id not in self.seen["members"]
        )

    def relationships(self) -> None:
        where = f"the {self.draft.member_sheet} sheet" if self.draft.member_sheet else "the file"
        # A relationship is the same one when it joins the same pair with the same kind.
        by_pair: dict[tuple[frozenset[str], str], str] = {}
        for r in self.rows["relationships"].values():
            by_pair.setdefault(
                (frozenset((r["source_id"], r["target_id"])), r["kind"].casefold()), r["id"]
            )
        merged: dict[tuple[frozenset[str], str], tuple[LinkRow, dict[str, Any], str, str]] = {}
        order: list[tuple[frozenset[str], str]] = []
        for i, row in enumerate(self.draft.relationships):
            if i % 1000 == 0 and self.cancelled():
                raise Cancelled
            ends = self._ends(row, (where, where), self.draft.create_endpoints)
            if ends is None:
                self.plan.skipped["relationships"] += 1
                continue
            source, target = ends
            if source == target:
                self._problem(row, "a relationship joins two different members; row skipped")
                self.plan.skipped["relationships"] += 1
                continue
            if row.id and (self.draft.complete or row.id in self.rows["relationships"]):
                # The Weaver workbook: every row is its own relationship, matched by id.
                self._link("relationships", row, source, target)
                continue
            pair = frozenset((source, target))
            key = (pair, str(row.fields.get("kind", "")).casefold())
            if key in merged:
                self._fold_duplicate(merged[key], row, source, target)
                continue
            if not row.id and key in by_pair:
                row.id = by_pair[key]
            merged[key] = (row, dict(row.fields), source, target)
            order.append(key)
        for key in order:
            row, fields, source, target = merged[key]
            row.fields = fields
            self._link("relationships", row, source, target)

    def _fold_duplicate(self, first: tuple, row: LinkRow, source: str, target: str) -> None:
        """A pair repeated in a node-edge file is one relationship: weights add up, opposite
        directed rows make it mutual (Gephi merges the same way)."""
        first_row, fields, s0, _ = first
        opposite = source != s0 and fields.get("direction") in ("directed", "mutual")
        if opposite:
            # A->B and B->A: one mutual tie; a different weight back is kept beside it.
            fields["direction"] = "mutual"
            if row.weight is not None and row.weight != first_row.weight:
                first_row.custom["reverse weight"] = _num(row.weight)
        elif row.weight is not None:
            first_row.weight = (first_row.weight or 0) + row.weight
            fields["strength"] = _strength(first_row.weight, fields.get("strength"))
            first_row.custom["weight"] = _num(first_row.weight)
        self.plan.skipped["relationships"] += 1
        self.merged += 1

    def _link(self, table: str, row: LinkRow, a: str, b: str) -> None:
        self.referenced.update((a, b))
        fields = dict(row.fields)
        if table == "relationships":
            fields.update(source_id=a, target_id=b)
            key = row.id
            result = self._record(table, row, fields, Relationship)
            if result and key and result != key:
                self.rel_keys.setdefault(key, result)  # the file's own key for a new id
        elif table == "affiliations":
            fields.update(person_id=a, organization_id=b)
            self._record(table, row, fields, Affiliation)
        else:
            fields.update(event_id=b, member_id=a)
            self._record(table, row, fields, Attendance)
        self.seen[table].add(row.id or "")

    def events(self) -> None:
        self.event_keys: dict[str, str] = {}
        by_title = {(_fold(r["title"]), r["date"]): r["id"] for r in self.rows["events"].values()}
        for row in self.draft.events:
            if not row.id:  # a row typed in by hand: the same title on the same day is the same
                day = row.fields.get("date")
                key = (_fold(str(row.fields.get("title", ""))), day.isoformat() if day else None)
                row.id = by_title.get(key, "")
            result = self._record("events", row, dict(row.fields), Event)
            if result:
                self.seen["events"].add(result)
                self.event_keys[row.id or result] = result
                self.event_keys.setdefault(_fold(str(row.fields.get("title", ""))), result)

    def affiliations(self) -> None:
        for row in self.draft.affiliations:
            ends = self._ends(
                row,
                ("the file", "the file"),
                self.draft.create_endpoints,
                ("person", "organization"),
            )
            if ends is None:
                self.plan.skipped["affiliations"] += 1
                continue
            if ends[0] == ends[1]:
                self.plan.skipped["affiliations"] += 1
                continue
            if not row.id:
                same = next(
                    (
                        r["id"]
                        for r in self.rows["affiliations"].values()
                        if r.get("person_id") == ends[0] and r.get("organization_id") == ends[1]
                    ),
                    "",
                )
                if same:
                    row.id = same
                    self.seen["affiliations"].add(same)
                    self.unchanged["affiliations"] = self.unchanged.get("affiliations", 0) + 1
                    continue
            self._link("affiliations", row, ends[0], ends[1])

    def attendance(self) -> None:
        known = {
            (r.get("event_id"), r.get("member_id")): r["id"]
            for r in self.rows["attendance"].values()
        }
        pairs = set(known)
        for row in self.draft.attendance:
            member = self.member_ref(row.a, create=False, row=row)
            event = self.event_keys.get(row.b) or (
                row.b if row.b in self.rows["events"] else self.event_keys.get(_fold(row.b))
            )
            if member is not None and self._pruned(member):
                self.plan.skipped["attendance"] += 1
                continue
            if member is None or event is None:
                missing, column = (row.a, row.a_column) if member is None else (row.b, row.b_column)
                self._problem(
                    row,
                    f"'{column}' refers to {missing}, which is not in the file or the network",
                    column,
                    blocking=row.a_is_id if member is None else row.b_is_id,
                )
                self.plan.skipped["attendance"] += 1
                continue
            if row.id not in self.rows["attendance"] and (event, member) in pairs:
                if not row.id and (event, member) in known:
                    self.unchanged["attendance"] = self.unchanged.get("attendance", 0) + 1
                    self.seen["attendance"].add(known[event, member])
                else:
                    self._problem(row, "this member is already listed for this event; row skipped")
                    self.plan.skipped["attendance"] += 1
                continue
            pairs.add((event, member))
            self._link("attendance", row, member, event)

    # ---- ratings and snapshots (the Weaver workbook) --------------------------------------

    def ratings(self) -> None:
        """Each rating by id; it names its relationship by id (a miss blocks, as for any id)
        or, typed in by hand, by the two members' names (the pair's one relationship)."""
        if not self.draft.ratings:
            return
        self.rel_pairs: dict[frozenset[str], set[str]] = {}
        if any(not row.a_is_id for row in self.draft.ratings):
            self._index_pairs()
        # A row typed in by hand (no id): the same tie rated on the same day is the same rating.
        by_day: dict[tuple[str, str], str] = {}
        for r in self.rows["ratings"].values():
            by_day.setdefault((r["relationship_id"], r["rated_on"]), r["id"])
        for row in self.draft.ratings:
            rel = self._rating_relationship(row)
            if rel is None:
                self.plan.skipped["ratings"] += 1
                continue
            day = row.fields.get("rated_on")
            if not row.id and day is not None:
                same = by_day.get((rel, day.isoformat()), "")
                row.id = same if same not in self.seen["ratings"] else ""
            fields = dict(row.fields, relationship_id=rel)
            result = self._record("ratings", row, fields, Rating)
            if result:
                self.seen["ratings"].add(result)

    def _index_pairs(self) -> None:
        """Member pair -> relationship ids, as they will be once the plan is applied."""
        ends = {
            r["id"]: (r["source_id"], r["target_id"])
            for r in self.rows["relationships"].values()
            if "source_id" in r
        }
        for rel in self.plan.adds["relationships"]:
            ends[rel.id] = (rel.source_id, rel.target_id)
        for _before, rel in self.plan.updates["relationships"]:
            ends[rel.id] = (rel.source_id, rel.target_id)
        for rel_id, pair in ends.items():
            self.rel_pairs.setdefault(frozenset(pair), set()).add(rel_id)

    def _rating_relationship(self, row: LinkRow) -> str | None:
        if row.a_is_id:
            rel = self.rel_keys.get(row.a) or (
                row.a if row.a in self.rows["relationships"] else None
            )
            if rel is None:
                self._problem(
                    row,
                    f"'{row.a_column}' refers to id {row.a}, which is not in the Relationships "
                    "sheet or the network",
                    row.a_column,
                    blocking=True,
                )
                return None
            if self._rel_pruned(rel):
                self._problem(
                    row,
                    f"'{row.a_column}' refers to a relationship that is not in the Relationships "
                    "sheet and is removed (prune); row skipped",
                    row.a_column,
                )
                return None
            return rel
        if not row.a or not row.b:
            self._problem(
                row,
                "needs the 'Relationship ID' (or the 'Source' and 'Target' names); row skipped",
                "Relationship ID",
            )
            return None
        ends = [self.member_ref(k, create=False, row=row) for k in (row.a, row.b)]
        found = (
            {r for r in self.rel_pairs.get(frozenset(ends), ()) if not self._rel_pruned(r)}
            if None not in ends
            else set()
        )
        if len(found) != 1:
            why = "no relationship joins" if not found else "several relationships join"
            self._problem(
                row,
                f"{why} '{row.a}' and '{row.b}'; give the 'Relationship ID'; row skipped",
                row.a_column,
            )
            return None
        return found.pop()

    def _has(self, table: str) -> bool:
        return table in self.draft.sheets or bool(getattr(self.draft, table))

    def _rel_pruned(self, rel_id: str) -> bool:
        return (
            self.plan.prune
            and self.draft.complete
            and self._has("relationships")
            and rel_id in self.rows["relationships"]
            and rel_id not in self.seen["relationships"]
        )

    def snapshots(self) -> None:
        by_day: dict[tuple[str, str], str] = {}
        for r in self.rows["snapshots"].values():
            by_day.setdefault((r["taken_on"], _fold(r["label"])), r["id"])
        for row in self.draft.snapshots:
            day = row.fields.get("taken_on")
            if not row.id and day is not None:  # typed in by hand: same day, same label
                same = by_day.get((day.isoformat(), _fold(str(row.fields.get("label", "")))), "")
                row.id = same if same not in self.seen["snapshots"] else ""
            result = self._record("snapshots", row, dict(row.fields), Snapshot)
            if result:
                self.seen["snapshots"].add(result)

    # ---- settings ------------------------------------------------------------------------

    def settings(self) -> None:
        """A Weaver workbook's network settings restore into an empty network only: merged
        into a network that has members, its own name and privacy rules stay."""
        if not self.draft.settings:
            return
        stored = {r["key"]: r for r in self.wb.rows("settings")}
        changed = {
            k: v for k, v in self.draft.settings.items() if stored.get(k, {}).get("value") != v
        }
        if not changed:
            return
        if self.rows["members"] and set(self.rows["members"]) - {
            e.id for e in self.plan.adds["members"]
        }:
            self.plan.notices.append(
                "the file's network settings (name, privacy, saved views) were not applied: "
                "this network already has its own"
            )
            return
        self.plan.settings = {k: (stored.get(k), v) for k, v in changed.items()}

    # ---- pruning -------------------------------------------------------------------------

    def prune(self) -> None:
        tables = TABLES if self.draft.complete else ("members",)
        for table in tables:
            if table != "members" and not self._has(table):
                continue  # a sheet the file does not have says nothing about those rows
            keep = self.seen[table] | {e.id for e in self.plan.adds[table]} | self.referenced
            keep |= set(self.keys.values())
            self.plan.removes[table] = [key for key in self.rows[table] if key not in keep]


_MEMBER_FIELDS = {f.name for f in dataclasses.fields(Member)} - {"id", "custom"}
# Entities with custom fields (the file's unknown columns land there).
_HAS_CUSTOM = {
    cls
    for cls in (Member, Relationship, Event, Affiliation, Attendance, Rating, Snapshot)
    if "custom" in {f.name for f in dataclasses.fields(cls)}
}


def _strength(weight: float | None, default: Any) -> Any:
    if weight is not None and 1 <= weight <= 5 and float(weight).is_integer():
        return int(weight)
    return default


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def resolve(
    draft: Draft, wb: Workbook, *, prune: bool = False, cancelled: Check | None = None
) -> ImportPlan:
    r = Resolver(draft, wb, prune=prune, cancelled=cancelled)
    r.members()
    r.events()
    r.relationships()
    r.affiliations()
    r.attendance()
    r.ratings()
    r.snapshots()
    if prune:
        r.prune()
    r.settings()
    for table, n in r.unchanged.items():
        r.plan.unchanged[table] += n
    if r.merged:
        r.plan.notices.append(
            f"{r.merged} repeated relationship row(s) were merged into the first of their pair"
        )
    return r.plan
