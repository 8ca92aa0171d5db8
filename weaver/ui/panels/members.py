"""The Members panel: people and organizations in one table."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from .. import editing
from ..controller import Controller
from ..models.members import MembersModel
from .table_panel import TablePanel


class MembersPanel(TablePanel):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, MembersModel(controller), parent)
        self.search.setPlaceholderText(self.tr("Search members (name, tags, sector…)"))
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName(self.tr("Show"))
        self.kind_filter.setToolTip(self.tr("Show people, organizations or both"))
        self.kind_filter.addItem(self.tr("Everyone"), "")
        self.kind_filter.addItem(self.tr("People"), "person")
        self.kind_filter.addItem(self.tr("Organizations"), "organization")
        self.kind_filter.currentIndexChanged.connect(self._kind_filter_changed)
        self.toolbar.addWidget(self.kind_filter)
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

    def show_kind(self, kind: str) -> None:
        """Show only people ("person"), only organizations, or everyone ("")."""
        self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(kind)))

    def _kind_filter_changed(self) -> None:
        kind = self.kind_filter.currentData()
        model = self.model
        assert isinstance(model, MembersModel)

        def keep(member_id: str) -> bool:
            member = model.member(member_id)
            return member is not None and member.kind == kind

        self._syncing = True  # hiding rows is not the user deselecting them
        try:
            self.proxy.set_row_filter(keep if kind else None)
        finally:
            self._syncing = False
        self._update_count()

    def _tags(self) -> list[str]:
        model = self.model
        assert isinstance(model, MembersModel)
        return model.all_tags()
