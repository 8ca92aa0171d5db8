"""Ratings and snapshots of an import (the Weaver workbook's own sheets).

A rating names its relationship by id, or typed in by hand by the two members' names; a
snapshot typed in by hand is the same one when it has the same day and label.
"""

from __future__ import annotations

from ..ratings import Rating
from ..snapshots import Snapshot
from .draft import LinkRow
from .resolve_links import LinkResolver
from .resolve_members import name_key


class RatingResolver(LinkResolver):
    """Ratings and snapshots, on top of members and links."""

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
            by_day.setdefault((r["taken_on"], name_key(r["label"])), r["id"])
        for row in self.draft.snapshots:
            day = row.fields.get("taken_on")
            if not row.id and day is not None:  # typed in by hand: same day, same label
                same = by_day.get((day.isoformat(), name_key(str(row.fields.get("label", "")))), "")
                row.id = same if same not in self.seen["snapshots"] else ""
            result = self._record("snapshots", row, dict(row.fields), Snapshot)
            if result:
                self.seen["snapshots"].add(result)
