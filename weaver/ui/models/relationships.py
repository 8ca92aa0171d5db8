"""Relationships between members, named by their ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from ...core.changes import Changes
from ...core.codec import FROM_ROW
from ...core.commands import UpdateRelationship
from ...core.model import DIRECTIONS, RELATIONSHIP_KINDS, STRENGTH_MAX, STRENGTH_MIN, Relationship
from .base import Column, Editor, EntityTableModel


def direction_label(direction: str) -> str:
    labels = {
        "undirected": QCoreApplication.translate("relationships", "Undirected"),
        "directed": QCoreApplication.translate("relationships", "Directed (from → to)"),
        "mutual": QCoreApplication.translate("relationships", "Mutual"),
    }
    return labels.get(direction, direction)


@dataclass(frozen=True)
class RelationshipRow:
    relationship: Relationship
    source_name: str
    target_name: str


class RelationshipsModel(EntityTableModel):
    def __init__(self, controller: Any, parent: Any = None) -> None:
        self._names: dict[str, str] = {}
        self._ends: dict[str, tuple[str, str]] = {}
        # member id -> ids of its relationships: a rename refreshes only the rows that show it
        self._by_member: dict[str, set[str]] = {}
        super().__init__(controller, parent)

    def make_columns(self) -> list[Column]:
        tr = self.tr

        def field(name: str) -> Any:
            return lambda r: getattr(r.relationship, name)

        def setter(name: str) -> Any:
            return lambda rel, v: UpdateRelationship(rel.id, tr("Edit relationship"), **{name: v})

        directions = tuple((direction_label(d), d) for d in DIRECTIONS)
        return [
            Column("source", tr("From"), lambda r: r.source_name),
            Column("target", tr("To"), lambda r: r.target_name),
            Column(
                "kind",
                tr("Kind"),
                field("kind"),
                editor=Editor("combo", dynamic=lambda: tuple((k, k) for k in self.kinds())),
                update=setter("kind"),
            ),
            Column(
                "direction",
                tr("Direction"),
                field("direction"),
                text=direction_label,
                editor=Editor("choice", directions),
                update=setter("direction"),
            ),
            Column(
                "strength",
                tr("Strength"),
                field("strength"),
                editor=Editor("int", minimum=STRENGTH_MIN, maximum=STRENGTH_MAX),
                update=lambda rel, v: UpdateRelationship(
                    rel.id, tr("Edit relationship"), strength=int(v)
                ),
                numeric=True,
                tooltip=tr("How strong the tie is, from 1 (weak) to 5 (strong)"),
            ),
            Column(
                "since", tr("Since"), field("since"), editor=Editor("date"), update=setter("since")
            ),
            Column(
                "ended_on",
                tr("Ended"),
                field("ended_on"),
                editor=Editor("date"),
                update=setter("ended_on"),
            ),
            Column(
                "notes", tr("Notes"), field("notes"), editor=Editor("text"), update=setter("notes")
            ),
        ]

    def kinds(self) -> list[str]:
        """Kinds in use first, then the suggestions."""
        used = {row.relationship.kind for row in self._rows.values()}
        return sorted(used, key=str.casefold) + [k for k in RELATIONSHIP_KINDS if k not in used]

    def describe(self, row_object: RelationshipRow) -> str:
        return f"'{row_object.source_name} – {row_object.target_name}'"

    def entity(self, row_object: RelationshipRow) -> Relationship:
        return row_object.relationship

    def relationship(self, rel_id: str) -> Relationship | None:
        row = self.row_object(rel_id)
        return row.relationship if row else None

    def load_all(self) -> dict[str, RelationshipRow]:
        self._names = {m.id: m.name for m in self.controller.all_members()}
        self._ends, self._by_member = {}, {}
        return self._rows_for(self.controller.all_relationships(), fresh=True)

    def load(self, ids: Iterable[str]) -> dict[str, RelationshipRow]:
        rows = self.controller.document.rows_by_keys("relationships", ids)
        return self._rows_for([FROM_ROW["relationships"](r) for r in rows])

    def _rows_for(
        self, rels: list[Relationship], *, fresh: bool = False
    ) -> dict[str, RelationshipRow]:
        out = {}
        ends, by_member, names = self._ends, self._by_member, self._names
        for r in rels:
            rid, a, b = r.id, r.source_id, r.target_id
            if not fresh:
                self._forget_ends(rid)
            ends[rid] = (a, b)
            if a in by_member:
                by_member[a].add(rid)
            else:
                by_member[a] = {rid}
            if b in by_member:
                by_member[b].add(rid)
            else:
                by_member[b] = {rid}
            out[rid] = RelationshipRow(r, names.get(a, "?"), names.get(b, "?"))
        return out

    def affected(self, changes: Changes) -> tuple[set[str], set[str], set[str]]:
        rels = changes.relationships
        added, updated, removed = set(rels.added), set(rels.updated), set(rels.removed)
        for rid in removed:
            self._forget_ends(rid)
        members = changes.members
        for mid in members.removed:
            self._names.pop(mid, None)
        if members.updated or members.added:
            renamed = set()
            ids = members.updated | members.added
            for r in self.controller.document.rows_by_keys("members", ids):
                if self._names.get(r["id"]) != r["name"]:
                    renamed.add(r["id"])
                    self._names[r["id"]] = r["name"]
            if renamed:
                for mid in renamed:
                    updated |= self._by_member.get(mid, set())
        return added, updated - removed - added, removed

    def _forget_ends(self, rel_id: str) -> None:
        ends = self._ends.pop(rel_id, None)
        if ends is not None:
            for mid in ends:
                rels = self._by_member.get(mid)
                if rels is not None:
                    rels.discard(rel_id)
                    if not rels:
                        del self._by_member[mid]
