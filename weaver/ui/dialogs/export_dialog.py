"""File ▸ Export: every format Weaver writes, with the network's private fields named.

The Weaver workbook is the complete record (private fields always in); every other format
leaves the private fields out unless the user ticks the box, which says which fields those are.
Writing runs in a worker on its own read connection; the file appears only when complete.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.io.exporting import COMPLETE, FORMAT_NAMES, FORMATS, SUFFIX, export
from ...core.io.privacy import describe_private
from ...core.store import Workbook
from ..tasks import Task, run_task


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def _descriptions() -> dict[str, str]:
    return {
        "weaver": _tr(
            "Every member, organization, relationship, event and attendance with its id. Edit "
            "it in Excel and import it again: changed cells update, new rows add."
        ),
        "members": _tr(
            "One row per member with organizations, tags, offers, needs, relationship and "
            "meeting counts and the last in-person meeting: the list to share."
        ),
        "members-csv": _tr("The member list as UTF-8 CSV (opens with accents intact in Excel)."),
        "kumu": _tr("Elements and Connections sheets, ready for Kumu's importer."),
        "nodes-edges": _tr("Nodes and Edges sheets for Gephi's spreadsheet importer."),
        "gexf": _tr("GEXF 1.3 with kinds, tags, fields, positions and colours, for Gephi."),
        "graphml": _tr("GraphML with every field as a typed attribute (yEd, Cytoscape, networkx)."),
    }


def _write(main: Workbook, dest: Path, fmt: str, include_private: bool, *, progress, cancelled):
    wb = main.sibling()  # the worker reads through its own connection
    try:
        return export(wb, dest, fmt, include_private=include_private, progress=progress)
    finally:
        wb.close()


class ExportDialog(QDialog):
    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.written: Path | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Export"))
        wb = controller.workbook
        self.private = describe_private(wb)
        self.formats = QListWidget(self)
        self.formats.setAccessibleName(self.tr("Format"))
        for fmt in FORMATS:
            item = QListWidgetItem(FORMAT_NAMES[fmt], self.formats)
            item.setData(Qt.ItemDataRole.UserRole, fmt)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.include_private = QCheckBox(self)
        self.privacy_note = QLabel(self)
        self.privacy_note.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.choose_and_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Export {0} as:").format(wb.name), self))
        layout.addWidget(self.formats, 1)
        layout.addWidget(self.description)
        layout.addWidget(self.include_private)
        layout.addWidget(self.privacy_note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.formats.currentRowChanged.connect(self._format_changed)
        self.formats.setCurrentRow(FORMATS.index("members"))

    @property
    def fmt(self) -> str:
        item = self.formats.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else "members"

    def _format_changed(self) -> None:
        fmt = self.fmt
        self.description.setText(_descriptions()[fmt])
        fields = ", ".join(self.private) or self.tr("none")
        if fmt in COMPLETE:
            self.include_private.setChecked(True)
            self.include_private.setEnabled(False)
            self.include_private.setText(self.tr("Include private fields"))
            self.privacy_note.setText(
                self.tr(
                    "The Weaver workbook is the complete record: it always includes the private "
                    "fields ({0}). Share it only with people who may see them."
                ).format(fields)
            )
        else:
            self.include_private.setEnabled(bool(self.private))
            self.include_private.setChecked(False)
            self.include_private.setText(self.tr("Include private fields: {0}").format(fields))
            self.privacy_note.setText(
                self.tr(
                    "The network's settings say which fields are private; they are left out "
                    "unless ticked."
                )
            )

    def suggested_name(self) -> str:
        stem = re.sub(r"[^\w\- ]+", "", self.controller.workbook.name).strip() or "network"
        extra = {
            "members": " members",
            "members-csv": " members",
            "kumu": " kumu",
            "nodes-edges": " gephi",
        }.get(self.fmt, "")
        return f"{stem}{extra}{SUFFIX[self.fmt]}"

    def choose_and_export(self) -> None:
        folder = self.controller.workbook.path.parent
        suffix = SUFFIX[self.fmt]
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export as"),
            str(folder / self.suggested_name()),
            self.tr("{0} (*{1})").format(FORMAT_NAMES[self.fmt], suffix),
        )
        if name:
            dest = Path(name)
            if dest.suffix.casefold() != suffix:
                dest = dest.with_name(dest.name + suffix)
            self.export_to(dest)

    def export_to(self, dest: Path) -> Task:
        """Write the chosen format to ``dest`` in a worker (an existing file is replaced only
        once the new one is complete)."""
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Writing {0}…").format(dest.name))

        def done(_fmt: str) -> None:
            self.written = dest
            self.accept()

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Nothing was written: {0}").format(exc))

        def cancelled() -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Export cancelled; nothing was written."))

        self.task = run_task(
            self,
            self.tr("Exporting {0}…").format(dest.name),
            _write,
            self.controller.workbook,
            dest,
            self.fmt,
            self.include_private.isChecked(),
            on_done=done,
            on_error=failed,
            on_cancelled=cancelled,
            cancellable=False,  # a half-written export is discarded anyway; writing is quick
        )
        return self.task


def run_export_dialog(parent: QWidget | None, controller: Any) -> Path | None:
    """Choose a format and a file, then write it. The path written, or None."""
    if not controller.has_document:
        return None
    dialog = ExportDialog(controller, parent)
    dialog.exec()
    return dialog.written
