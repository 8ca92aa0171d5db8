"""File ▸ Import: detect the format, preview what would change, then import as one undo step.

Reading and matching run in a worker (progress, Cancel; the window keeps painting) on the
worker's own connection. The preview shows how each column is read (editable: choosing another
field reads the file again), how many members, relationships, events… would be added, updated,
left unchanged or skipped, which rule matched existing members, and every problem with its
sheet, row and column. Importing is a long write in a worker inside one transaction (Cancel
rolls it back); the import then sits on the undo stack as one step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.io.importing import FORMAT_NAMES, FORMATS, read_plan
from ...core.io.mapping import CUSTOM, IGNORE, choices_for
from ...core.io.nodes_edges import MISSING_MEMBERS_NOTICE
from ...core.io.plan import TABLES, ApplyImportPlan, Cancelled, ImportPlan
from ...core.store import Document
from ...logs import log
from ..tasks import LongUndoable, Task, TaskCancelled, run_task, run_write_task

FILE_FILTER = (
    "Spreadsheets and graphs (*.xlsx *.xlsm *.csv *.tsv *.txt *.gexf *.graphml *.xml *.gml *.net)"
)


def _read(
    main: Document,
    path: Path,
    fmt: str,
    prune: bool,
    overrides: dict[tuple[str, int], str],
    create_missing_members: bool = False,
    *,
    progress: Any,
    cancelled: Any,
) -> ImportPlan:
    # The worker reads through its own connection: a sqlite3 connection belongs to its thread.
    wb = main.sibling()
    try:
        return read_plan(
            wb,
            path,
            fmt=fmt,
            prune=prune,
            overrides=overrides,
            progress=progress,
            cancelled=cancelled,
            create_missing_members=create_missing_members,
        )
    except Cancelled:
        raise TaskCancelled() from None
    finally:
        wb.close()


class ImportDialog(QDialog):
    """The preview. ``plan`` is the latest one read; ``applied`` turns True once imported."""

    def __init__(self, controller: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.path = Path(path)
        self.plan: ImportPlan | None = None
        self.applied = False
        self.task: Task | None = None
        self.overrides: dict[tuple[str, int], str] = {}
        self._generation = 0
        self.setWindowTitle(self.tr("Import {0}").format(self.path.name))
        self.setSizeGripEnabled(True)

        self.format = QComboBox(self)
        for fmt in FORMATS:
            label = self.tr("Detect automatically") if fmt == "auto" else FORMAT_NAMES[fmt]
            self.format.addItem(label, fmt)
        self.format.setAccessibleName(self.tr("Format"))
        self.prune = QCheckBox(self.tr("Remove members missing from the file"), self)
        self.prune.setToolTip(
            self.tr(
                "Members (and, for a Weaver workbook, relationships, events and the rest) "
                "that the file leaves out are deleted. Undo brings them back."
            )
        )
        self.create_missing = QCheckBox(
            self.tr("Add people the relationships name but the file's member list lacks"), self
        )
        self.create_missing.setToolTip(
            self.tr(
                "Without this, such relationships are skipped and each is listed under "
                "Problems, so a typo in an id cannot add a stranger to the network."
            )
        )
        self.create_missing.setVisible(False)  # shown when the file has such relationships
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.matched = QLabel(self)
        self.matched.setWordWrap(True)

        # Every table an import can touch: the Weaver workbook also carries tie ratings and
        # health snapshots (always zero for other formats, like events for a member list).
        self.counts = QTableWidget(len(TABLES), 5, self)
        self.counts.setHorizontalHeaderLabels(
            [
                self.tr("Add"),
                self.tr("Update"),
                self.tr("Unchanged"),
                self.tr("Skip"),
                self.tr("Remove"),
            ]
        )
        self.counts.setVerticalHeaderLabels([self._entity_label(e) for e in TABLES])
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.mapping = QTableWidget(0, 3, self)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Sheet"), self.tr("Column"), self.tr("Read as")]
        )
        self.mapping.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.problems = QTableWidget(0, 4, self)
        self.problems.setHorizontalHeaderLabels(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Problem")]
        )
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems.setWordWrap(True)

        self.matches = QTableWidget(0, 4, self)
        self.matches.setHorizontalHeaderLabels(
            [
                self.tr("Row"),
                self.tr("In the file"),
                self.tr("In the network"),
                self.tr("Matched by"),
            ]
        )
        self.matches.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matches.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        for table in (self.mapping, self.matches, self.problems):
            table.verticalHeader().setVisible(False)
            table.setAlternatingRowColors(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.counts, self.tr("Changes"))
        self.tabs.addTab(self.mapping, self.tr("Columns"))
        self.tabs.addTab(self.matches, self.tr("Matches"))
        self.tabs.addTab(self.problems, self.tr("Problems"))

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("File:"), QLabel(str(self.path), self))
        form.addRow(self.tr("Format:"), self.format)
        form.addRow("", self.prune)
        form.addRow("", self.create_missing)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.matched)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 36)

        self._reread = QTimer(self, singleShot=True, interval=0)
        self._reread.timeout.connect(self.preview)
        self.format.currentIndexChanged.connect(self._options_changed)
        self.prune.toggled.connect(self._options_changed)
        self.create_missing.toggled.connect(self._options_changed)
        self.import_button.setEnabled(False)

    # ---- reading ------------------------------------------------------------------------

    def _entity_label(self, entity: str) -> str:
        return {
            "members": self.tr("Members"),
            "relationships": self.tr("Relationships"),
            "events": self.tr("Events"),
            "attendance": self.tr("Attendance"),
            "affiliations": self.tr("Affiliations"),
            "ratings": self.tr("Tie ratings"),
            "snapshots": self.tr("Health snapshots"),
        }[entity]

    def _options_changed(self) -> None:
        if self.sender() is self.format:
            self.overrides.clear()  # another format reads other columns
        self._reread.start()

    def preview(self) -> Task:
        """Read the file again (in a worker) with the current options."""
        if self.task is not None and self.task.running:
            self.task.cancel()
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Reading {0}…").format(self.path.name))
        self._generation += 1
        generation = self._generation

        def current(callback: Any) -> Any:
            # A read replaced by a newer one (the options changed) reports nothing.
            def call(*args: Any) -> None:
                if generation == self._generation:
                    callback(*args)

            return call

        self.task = run_task(
            self,
            self.tr("Reading {0}…").format(self.path.name),
            _read,
            self.controller.document,
            self.path,
            self.format.currentData(),
            self.prune.isChecked(),
            dict(self.overrides),
            self.create_missing.isChecked(),
            on_done=current(self.show_plan),
            on_error=current(self._read_failed),
            on_cancelled=current(self._read_cancelled),
        )
        return self.task

    def _read_failed(self, exc: BaseException) -> None:
        log.error("reading %s for import failed", self.path, exc_info=exc)
        self.summary.setText(self.tr("{0} cannot be read: {1}").format(self.path.name, exc))

    def _read_cancelled(self) -> None:
        self.summary.setText(self.tr("Reading was cancelled; nothing was imported."))

    # ---- showing the plan --------------------------------------------------------------

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.create_missing.setVisible(
            self.create_missing.isChecked() or MISSING_MEMBERS_NOTICE in plan.notices
        )
        counts = plan.counts()
        for r, entity in enumerate(TABLES):
            values = [
                counts["added"][entity],
                counts["updated"][entity],
                counts["unchanged"][entity],
                counts["skipped"][entity],
                counts.get("removed", {}).get(entity, 0),
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(f"{value:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(r, c, item)
        self.counts.setColumnHidden(4, not plan.prune)
        self._show_mapping(plan)
        self._show_matches(plan)
        self._show_problems(plan)
        self.summary.setText(self._summary_text(plan))
        matches = plan.match_counts()
        parts = [
            self.tr("{0} by id").format(matches["id"]) if matches["id"] else "",
            self.tr("{0} by e-mail").format(matches["email"]) if matches["email"] else "",
            self.tr("{0} by exact name").format(matches["name"]) if matches["name"] else "",
        ]
        parts = [p for p in parts if p]
        self.matched.setText(
            self.tr("Already in the network, matched {0}.").format(", ".join(parts))
            if parts
            else self.tr("No member of the file is in the network yet.")
        )
        self.import_button.setEnabled(
            not plan.blocking and not plan.is_empty and self.controller.editable
        )
        if plan.problems:
            self.tabs.setTabText(3, self.tr("Problems ({0})").format(len(plan.problems)))
            if plan.blocking:
                self.tabs.setCurrentWidget(self.problems)
        else:
            self.tabs.setTabText(3, self.tr("Problems"))

    def _summary_text(self, plan: ImportPlan) -> str:
        kind = FORMAT_NAMES.get(plan.format, plan.format)
        if plan.blocking:
            return self.tr(
                "{0} ({1}) cannot be imported: fix the problems marked “blocks the import” "
                "and try again. Nothing was changed."
            ).format(plan.source, kind)
        if not self.controller.editable:
            return self.tr("The network is open read-only: nothing can be imported into it.")
        if plan.is_empty:
            return self.tr(
                "{0} ({1}) holds nothing new: importing it would change nothing."
            ).format(plan.source, kind)
        lines = [self.tr("{0} ({1}) is ready to import.").format(plan.source, kind)]
        lines += plan.notices
        return "\n".join(lines)

    def _field_label(self, field: str) -> str:
        if field == IGNORE:
            return self.tr("(ignore this column)")
        if field.startswith(CUSTOM):
            return self.tr("Custom field “{0}”").format(field[len(CUSTOM) :])
        return field.replace("_", " ").capitalize()

    def _show_mapping(self, plan: ImportPlan) -> None:
        self.mapping.setRowCount(len(plan.columns))
        for r, col in enumerate(plan.columns):
            self.mapping.setItem(r, 0, QTableWidgetItem(col.sheet or self.path.name))
            self.mapping.setItem(r, 1, QTableWidgetItem(col.header))
            combo = QComboBox(self.mapping)
            header_custom = CUSTOM + col.header
            for choice in choices_for(col.table, col.field):
                combo.addItem(self._field_label(choice), choice)
            if combo.findData(header_custom) < 0:
                combo.addItem(self._field_label(header_custom), header_custom)
            combo.setCurrentIndex(max(combo.findData(col.field), 0))
            combo.setAccessibleName(self.tr("Read column {0} as").format(col.header))
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, key=(col.sheet, col.index): self._remap(key, c.currentData())
            )
            self.mapping.setCellWidget(r, 2, combo)

    def _remap(self, key: tuple[str, int], field: str) -> None:
        self.overrides[key] = field
        self._reread.start()

    def _show_matches(self, plan: ImportPlan) -> None:
        rules = {
            "id": self.tr("same id"),
            "email": self.tr("same e-mail"),
            "name": self.tr("same name"),
        }
        self.matches.setRowCount(len(plan.matches))
        for r, m in enumerate(plan.matches):
            where = f"{m.sheet} {m.row}" if m.sheet else str(m.row or "")
            for c, text in enumerate([where, m.file_name, m.member_name, rules[m.rule]]):
                self.matches.setItem(r, c, QTableWidgetItem(text))
        self.tabs.setTabText(
            2,
            self.tr("Matches ({0})").format(len(plan.matches))
            if plan.matches
            else self.tr("Matches"),
        )

    def _show_problems(self, plan: ImportPlan) -> None:
        self.problems.setRowCount(len(plan.problems))
        for r, p in enumerate(plan.problems):
            message = p.message
            if p.blocking:
                message = self.tr("Blocks the import: {0}").format(message)
            cells = [p.sheet, "" if p.row is None else str(p.row), p.column, message]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(p))
                self.problems.setItem(r, c, item)
        self.problems.setColumnHidden(0, not any(p.sheet for p in plan.problems))
        self.problems.resizeRowsToContents()

    # ---- importing ---------------------------------------------------------------------

    def apply(self) -> Task | None:
        """Import the previewed plan: a long write in a worker, then one undo step."""
        plan = self.plan
        if plan is None or plan.blocking or plan.is_empty or not self.controller.editable:
            return None
        command = ApplyImportPlan(plan, self.tr("Import {0}").format(self.path.name))

        def write(wb: Document, progress: Any, cancelled: Any) -> Changes:
            command.progress = progress
            command.cancelled = cancelled
            try:
                return command.apply(wb)
            except Cancelled:
                raise TaskCancelled() from None

        def done(changes: Changes) -> None:
            command.progress = command.cancelled = None
            # Undo and redo of a big import run in a worker too. The map places the members it
            # added right after; that placement joins this step (Controller.push_follow_up).
            undoable = LongUndoable(command, self.controller, self.parent())
            undoable.added_members = changes.members.added
            self.controller.undo_stack.push(undoable)
            self.applied = True
            self.accept()

        def failed(exc: BaseException) -> None:
            self.summary.setText(self.tr("The import failed and was rolled back: {0}").format(exc))
            self.import_button.setEnabled(False)

        def cancelled_() -> None:
            self.summary.setText(self.tr("The import was cancelled; nothing was changed."))

        self.import_button.setEnabled(False)
        self.task = run_write_task(
            self,
            self.controller,
            self.tr("Importing {0}…").format(self.path.name),
            write,
            on_done=done,
            on_error=failed,
            on_cancelled=cancelled_,
        )
        return self.task

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            return
        super().reject()


def choose_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        _tr("Import a spreadsheet or graph"),
        "",
        _tr(FILE_FILTER) + ";;" + _tr("All files (*)"),
    )
    return Path(name) if name else None


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("ImportDialog", text)


def run_import_dialog(
    parent: QWidget | None, controller: Any, path: Path | str | None = None
) -> bool:
    """Ask for a file (unless given, e.g. dropped on the window), preview it, import it.
    True when something was imported."""
    if not controller.has_document:
        return False
    chosen = Path(path) if path else choose_file(parent)
    if chosen is None:
        return False
    dialog = ImportDialog(controller, chosen, parent)
    dialog.preview()
    dialog.exec()
    return dialog.applied
