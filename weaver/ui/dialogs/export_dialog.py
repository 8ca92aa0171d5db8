"""File ▸ Export: every format Weaver writes, with the network's private fields named.

Every format, the Weaver workbook included, leaves out private fields and names no member who
did not consent unless the user ticks the box; the dialog says in one line, before writing, what
the export leaves out or includes (the share view's own words, as on the command line).
Writing runs in a worker on its own read connection; the file appears only when complete.
Gephi's node and edge tables are written as one workbook or as two CSV files (``…-nodes.csv``
and ``…-edges.csv``): the dialog names both before and after writing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...core.destination import check_destination
from ...core.errors import DocumentError
from ...core.io.exporting import (
    CSV_PAIR,
    FORMAT_NAMES,
    FORMATS,
    SUFFIX,
    export,
    privacy_summary,
    written_files,
)
from ...core.store import Document
from .. import dialogs
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
        "nodes-edges": _tr(
            "Nodes and Edges tables for Gephi's spreadsheet importer: one workbook with two "
            "sheets, or two CSV files."
        ),
        "gexf": _tr("GEXF 1.3 with kinds, tags, fields, positions and colours, for Gephi."),
        "graphml": _tr("GraphML with every field as a typed attribute (yEd, Cytoscape, networkx)."),
    }


def _write(main: Document, dest: Path, fmt: str, include_private: bool, *, progress, cancelled):
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
        self.written_files: list[Path] = []
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Export"))
        wb = controller.document
        # What the export leaves out, with and without the box ticked (the share view's words).
        self.privacy_lines = {
            ticked: privacy_summary(wb, include_private=ticked) for ticked in (False, True)
        }
        self.withholds_something = self.privacy_lines[False] != "nothing is marked private"
        self.formats = QListWidget(self)
        self.formats.setAccessibleName(self.tr("Format"))
        for fmt in FORMATS:
            item = QListWidgetItem(FORMAT_NAMES[fmt], self.formats)
            item.setData(Qt.ItemDataRole.UserRole, fmt)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        # Formats with a choice of file type (Gephi's tables: a workbook or two CSV files).
        self.file_type = QComboBox(self)
        self.file_type.addItem(self.tr("One Excel workbook (.xlsx)"), ".xlsx")
        self.file_type.addItem(self.tr("Two CSV files, nodes and edges (.csv)"), ".csv")
        self.file_type.setAccessibleName(self.tr("File type"))
        self.file_type_label = QLabel(self.tr("File type:"), self)
        self.file_type_label.setBuddy(self.file_type)
        self.file_note = QLabel(self)
        self.file_note.setWordWrap(True)
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
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_type_label)
        file_row.addWidget(self.file_type, 1)
        layout.addLayout(file_row)
        layout.addWidget(self.file_note)
        layout.addWidget(self.include_private)
        layout.addWidget(self.privacy_note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.formats.currentRowChanged.connect(self._format_changed)
        self.file_type.currentIndexChanged.connect(self._show_file_note)
        self.include_private.toggled.connect(self._show_privacy)
        self.formats.setCurrentRow(FORMATS.index("members"))

    @property
    def fmt(self) -> str:
        item = self.formats.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else "members"

    @property
    def suffix(self) -> str:
        """The extension of the file to choose: the format's own, or the chosen file type."""
        if self.fmt in CSV_PAIR:
            return str(self.file_type.currentData())
        return SUFFIX[self.fmt]

    @property
    def writes_pair(self) -> bool:
        return self.fmt in CSV_PAIR and self.suffix == ".csv"

    def _show_file_note(self) -> None:
        if self.writes_pair:
            nodes, edges = written_files(Path(self.suggested_name()), self.fmt)
            self.file_note.setText(
                self.tr(
                    "Writes two files side by side: the name you choose with -nodes and -edges "
                    "added (e.g. {0} and {1})."
                ).format(nodes.name, edges.name)
            )
        self.file_note.setVisible(self.writes_pair)

    def _format_changed(self) -> None:
        fmt = self.fmt
        self.description.setText(_descriptions()[fmt])
        choice = fmt in CSV_PAIR
        self.file_type.setVisible(choice)
        self.file_type_label.setVisible(choice)
        self._show_file_note()
        self.include_private.setEnabled(self.withholds_something)
        self.include_private.setChecked(False)
        self.include_private.setText(
            self.tr("Include private fields and name members who did not consent")
        )
        self._show_privacy()

    def _show_privacy(self) -> None:
        """Say, before anything is written, what this export leaves out (or includes)."""
        line = self.privacy_lines[self.include_private.isChecked()]
        self.privacy_note.setText(self.tr("This export: {0}.").format(line))

    def suggested_name(self) -> str:
        stem = re.sub(r"[^\w\- ]+", "", self.controller.document.name).strip() or "network"
        extra = {
            "members": " members",
            "members-csv": " members",
            "kumu": " kumu",
            "nodes-edges": " gephi",
        }.get(self.fmt, "")
        if self.writes_pair:
            extra = ""  # "Net.csv" writes Net-nodes.csv and Net-edges.csv
        return f"{stem}{extra}{self.suffix}"

    def choose_and_export(self) -> None:
        folder = self.controller.document.path.parent
        suffix = self.suffix
        kind = FORMAT_NAMES[self.fmt]
        if self.fmt in CSV_PAIR:
            kind = self.file_type.currentText()
        options = QFileDialog.Option(0)
        if self.writes_pair:
            # The name chosen is not itself written: ask about the two real files below.
            options |= QFileDialog.Option.DontConfirmOverwrite
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export as"),
            str(folder / self.suggested_name()),
            self.tr("{0} (*{1})").format(kind, suffix),
            options=options,
        )
        if not name:
            return
        dest = Path(name)
        if dest.suffix.casefold() != suffix:
            dest = dest.with_name(dest.name + suffix)
        try:  # refused before the task starts: a document, a locked file, a folder…
            for path in written_files(dest, self.fmt):
                check_destination(path)
        except DocumentError as exc:
            dialogs.warn(self, self.tr("Nothing exported"), exc.reason, str(exc.path))
            return
        if self.writes_pair and not self._may_replace(written_files(dest, self.fmt)):
            return
        self.export_to(dest)

    def _may_replace(self, files: list[Path]) -> bool:
        existing = [p for p in files if p.exists()]
        if not existing:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Replace files?"),
            (
                self.tr("{0} already exists. Replace it?")
                if len(existing) == 1
                else self.tr("{0} already exist. Replace them?")
            ).format(self.tr(" and ").join(p.name for p in existing)),
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_to(self, dest: Path) -> Task:
        """Write the chosen format to ``dest`` in a worker (an existing file is replaced only
        once the new one is complete)."""
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Writing {0}…").format(dest.name))

        def done(fmt: str) -> None:
            self.written = dest
            self.written_files = written_files(dest, fmt)
            self.status.setText(self.written_message())
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
            self.controller.document,
            dest,
            self.fmt,
            self.include_private.isChecked(),
            on_done=done,
            on_error=failed,
            on_cancelled=cancelled,
            cancellable=False,  # a half-written export is discarded anyway; writing is quick
        )
        return self.task

    def written_message(self) -> str:
        """What was written, naming every file (two for the CSV tables)."""
        files = self.written_files
        if not files:
            return ""
        if len(files) == 1:
            return self.tr("Exported {0}").format(files[0].name)
        return self.tr("Exported {0} and {1} in {2}").format(
            files[0].name, files[1].name, files[0].parent
        )


def run_export_dialog(parent: QWidget | None, controller: Any) -> Path | None:
    """Choose a format and a file, then write it. The path written, or None.

    The window's status bar (when ``parent`` has one) names the file(s) written."""
    if not controller.has_document:
        return None
    dialog = ExportDialog(controller, parent)
    dialog.exec()
    status_bar = getattr(parent, "statusBar", None)
    if dialog.written is not None and callable(status_bar):
        status_bar().showMessage(dialog.written_message(), 10_000)
    return dialog.written
