"""Link resolution for an import: relationships, events, affiliations and attendance.

Both ends of a link are found among the file's members or the network's (see
:meth:`~weaver.core.io.resolve_members.MemberResolver.member_ref`); a pair repeated in a
node-edge file folds into one relationship.
"""

from __future__ import annotations

from typing import Any

from ..model import Affiliation, Attendance, Event, Relationship
from .draft import LinkRow
from .plan import Cancelled
from .resolve_members import MemberResolver, name_key


class LinkResolver(MemberResolver):
    """Relationships, events, affiliations and attendance: each link's ends made members."""

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
                # Say what the row did (named one member at both ends), not the rule it broke.
                self._problem(
                    row,
                    f"links '{self.member_name(source, row.a)}' to themself; a relationship "
                    "needs two different members — row skipped",
                    row.b_column,
                )
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
        by_title = {
            (name_key(r["title"]), r["date"]): r["id"] for r in self.rows["events"].values()
        }
        for row in self.draft.events:
            if not row.id:  # a row typed in by hand: the same title on the same day is the same
                day = row.fields.get("date")
                key = (name_key(str(row.fields.get("title", ""))), day.isoformat() if day else None)
                row.id = by_title.get(key, "")
            result = self._record("events", row, dict(row.fields), Event)
            if result:
                self.seen["events"].add(result)
                self.event_keys[row.id or result] = result
                self.event_keys.setdefault(name_key(str(row.fields.get("title", ""))), result)

    def affiliations(self) -> None:
        for row in self.draft.affiliations:
            ends = self._ends(
                row,
                ("the file", "the file"),
                self.draft.create_organizations,
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
                row.b if row.b in self.rows["events"] else self.event_keys.get(name_key(row.b))
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


def _strength(weight: float | None, default: Any) -> Any:
    if weight is not None and 1 <= weight <= 5 and float(weight).is_integer():
        return int(weight)
    return default


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
