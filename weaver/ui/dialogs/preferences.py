"""Preferences: the user's own (kept in QSettings) and this network's (kept in the document,
changed with an undoable command)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import SetSettings
from ...core.errors import DocumentError
from ...core.model import ValidationError
from ..controller import Controller
from ..settings import Preferences


class PreferencesDialog(QDialog):
    def __init__(
        self,
        controller: Controller,
        prefs: Preferences,
        parent: QWidget | None = None,
        *,
        network_first: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.controller = controller
        self.prefs = prefs
        self.tabs = QTabWidget()

        general = QWidget()
        form = QFormLayout(general)
        self.reopen_check = QCheckBox(self.tr("On start, reopen the network I used last"))
        self.reopen_check.setChecked(prefs.reopen_last())
        form.addRow(self.reopen_check)
        clear = QPushButton(self.tr("Clear the list of recent networks"))
        clear.setAutoDefault(False)
        clear.clicked.connect(prefs.clear_recent_files)
        form.addRow(clear)
        self.tabs.addTab(general, self.tr("&General"))

        network = QWidget()
        nform = QFormLayout(network)
        self.name_edit = QLineEdit()
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        nform.addRow(self.tr("&Name:"), self.name_edit)
        nform.addRow(self.tr("&Description:"), self.description_edit)
        note = QLabel(self.tr("These are saved in the network file and shared with it."))
        note.setWordWrap(True)
        nform.addRow(note)
        if controller.has_document:
            wb = controller.document
            self.name_edit.setText(str(wb.setting("name") or ""))
            self.description_edit.setPlainText(str(wb.setting("description") or ""))
        network.setEnabled(controller.editable)
        self.network_tab = self.tabs.addTab(network, self.tr("This &network"))
        if network_first:
            self.tabs.setCurrentIndex(self.network_tab)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.prefs.set_value(
            "start/reopen_last", "true" if self.reopen_check.isChecked() else "false"
        )
        if self.controller.editable:
            name = " ".join(self.name_edit.text().split())
            if not name:
                self._error(self.tr("A network needs a name."))
                return
            values = {"name": name, "description": self.description_edit.toPlainText().strip()}
            try:
                self.controller.push(SetSettings(values, self.tr("Change network settings")))
            except (ValidationError, DocumentError) as exc:
                self._error(str(exc))
                return
        super().accept()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
