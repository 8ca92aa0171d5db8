"""The Members panel: people and organizations in one table."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .. import editing
from ..controller import Controller
from ..models.members import MembersModel
from .table_panel import TablePanel


class MembersPanel(TablePanel):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, MembersModel(controller), parent)
        self.search.setPlaceholderText(self.tr("Search members (name, tags, sector…)"))
        self.table.setAccessibleName(self.tr("Members"))
        self.add_person = self.add_button(
            "member-add", self.tr("Add person"), self.tr("Add a person…"), self._add_person
        )
        self.add_org = self.add_button(
            "organization-add",
            self.tr("Add organization"),
            self.tr("Add an organization…"),
            self._add_org,
        )
        self.delete = self.add_button(
            "edit-delete",
            self.tr("Delete members"),
            self.tr("Delete the selected members"),
            self._delete_selected,
            needs_selection=True,
        )
        self.finish_toolbar()

    def selection_ids(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> tuple:
        return members

    def publish_selection(self, ids: list[str]) -> None:
        self.controller.select(members=ids)

    def open_row(self, entity_id: str) -> None:
        if self.controller.editable:
            editing.edit_member(self, self.controller, entity_id)

    def delete_rows(self, ids: list[str]) -> None:
        editing.delete_members(self, self.controller, ids)

    def _add_person(self) -> None:
        editing.add_member(self, self.controller, "person")

    def _add_org(self) -> None:
        editing.add_member(self, self.controller, "organization")

    def _tags(self) -> list[str]:
        model = self.model
        assert isinstance(model, MembersModel)
        return model.all_tags()
