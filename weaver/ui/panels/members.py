"""MembersPanel (placeholder while the full panel lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ..controller import Controller


class MembersPanel(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search…"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
