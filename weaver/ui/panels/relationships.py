"""The Relationships panel: every tie, named by its two ends."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .. import editing
from ..controller import Controller
from ..models.relationships import RelationshipsModel
from .table_panel import TablePanel


class RelationshipsPanel(TablePanel):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, RelationshipsModel(controller), parent)
        self.search.setPlaceholderText(self.tr("Search relationships (names, kind, notes…)"))
        self.table.setAccessibleName(self.tr("Relationships"))
        self.add = self.add_button(
            "relationship-add",
            self.tr("Add relationship"),
            self.tr("Add a relationship between two members…"),
            self._add,
        )
        self.delete = self.add_button(
            "edit-delete",
            self.tr("Delete relationships"),
            self.tr("Delete the selected relationships"),
            self._delete_selected,
            needs_selection=True,
        )
        self.finish_toolbar()

    def selection_ids(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> tuple:
        return relationships

    def publish_selection(self, ids: list[str]) -> None:
        self.controller.select(relationships=ids)

    def open_row(self, entity_id: str) -> None:
        if self.controller.editable:
            editing.edit_relationship(self, self.controller, entity_id)

    def delete_rows(self, ids: list[str]) -> None:
        editing.delete_relationships(self, self.controller, ids)

    def _add(self) -> None:
        members = self.controller.selected_members
        editing.add_relationship(
            self,
            self.controller,
            members[0] if members else None,
            members[1] if len(members) > 1 else None,
        )
