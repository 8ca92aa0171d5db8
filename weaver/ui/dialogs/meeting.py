"""Log a meeting: the event, who came (chosen by type-ahead, new people added on the fly), each
with a role, and optionally "record that attendees met". Everything is one undo step
(the core's ``LogMeeting``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import LogMeeting, new_event, new_member
from ...core.errors import DocumentError
from ...core.model import ATTENDANCE_ROLES, EVENT_KINDS, Member, ValidationError
from ...core.text import fold
from ..controller import Controller
from ..textmatch import plural
from ..theme import icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 2


class _FoldedFilter(QSortFilterProxyModel):
    """Keeps names containing every typed word, ignoring accents and case ("jose r" finds
    "José Ruiz")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        if not self._words:
            return False  # nothing typed yet: no popup
        folded = self.sourceModel().index(row, 0, parent).data(FOLDED_ROLE) or ""
        return all(word in folded for word in self._words)


class MemberPicker(QLineEdit):
    """A line edit that completes member names; emits ``picked(member_id)`` or, when Return is
    pressed on a name nobody has, ``new_name(text)``."""

    picked = Signal(str)
    new_name = Signal(str)

    def __init__(self, members: Iterable[Member], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = QStandardItemModel(self)
        self._by_folded: dict[str, str] = {}
        for m in sorted(members, key=lambda m: fold(m.name)):
            item = QStandardItem(m.name if not m.is_organization else f"{m.name} ({m.kind})")
            item.setData(m.id, ID_ROLE)
            item.setData(fold(m.name), FOLDED_ROLE)
            item.setEditable(False)
            self._source.appendRow(item)
            self._by_folded.setdefault(fold(m.name), m.id)
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self._source)
        self.completer_ = QCompleter(self._filter, self)
        # We filter ourselves (accent-insensitive); the completer only shows the popup.
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.textEdited.connect(self._edited)

    def add_member(self, member: Member) -> None:
        item = QStandardItem(member.name)
        item.setData(member.id, ID_ROLE)
        item.setData(fold(member.name), FOLDED_ROLE)
        self._source.appendRow(item)
        self._by_folded.setdefault(fold(member.name), member.id)

    def _edited(self, text: str) -> None:
        self._filter.set_text(text)
        if self._filter.rowCount():
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        member_id = index.data(ID_ROLE)
        if member_id:
            self.picked.emit(member_id)
            # Clear after the completer has written the chosen text into the line edit.
            self.clear()
            self._filter.set_text("")

    def matches(self, text: str) -> list[str]:
        self._filter.set_text(text)
        return [self._filter.index(r, 0).data(ID_ROLE) for r in range(self._filter.rowCount())]

    def choose_text(self, text: str) -> None:
        """Take ``text`` as typed: an exact (folded) name, else the only match, else new."""
        text = " ".join(text.split())
        if not text:
            return
        exact = self._by_folded.get(fold(text))
        found = [exact] if exact else self.matches(text)
        self.clear()
        self._filter.set_text("")
        if len(found) == 1:
            self.picked.emit(found[0])
        elif not found:
            self.new_name.emit(text)
        else:
            self.setText(text)  # ambiguous: show the choices again
            self._edited(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = self.completer_.popup()
            current = popup.currentIndex() if popup.isVisible() else QModelIndex()
            text = self.text()
            if text.strip() or current.isValid():
                # Return takes the name: a name typed in full, else the highlighted choice,
                # else what was typed. It must not also press the dialog's default button
                # (an ignored Return goes on to the dialog), nor reach the completer.
                popup.hide()
                if current.isValid() and fold(" ".join(text.split())) not in self._by_folded:
                    self._activated(current)
                else:
                    self.choose_text(text)
                event.accept()
                return
        super().keyPressEvent(event)  # Return in an empty box: the dialog's default button


class LogMeetingDialog(QDialog):
    def __init__(
        self,
        controller: Controller,
        parent: QWidget | None = None,
        attendees: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Log a meeting"))
        self.setWindowIcon(icon("meeting-log"))
        self._members = {m.id: m for m in controller.document.members()}
        self._new_members: dict[str, Member] = {}
        self._rows: list[str] = []  # member ids, in table order

        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("e.g. Coffee with the river cleanup group"))
        form.addRow(self.tr("&Title:"), self.title_edit)
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems(list(EVENT_KINDS))
        self.kind_combo.setCurrentText("meeting")
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("&Date:"), self.date_edit)
        self.location_edit = QLineEdit()
        form.addRow(self.tr("&Location:"), self.location_edit)
        checks = QHBoxLayout()
        self.in_person_check = QCheckBox(self.tr("&In person"))
        self.in_person_check.setChecked(True)
        self.trust_check = QCheckBox(self.tr("T&rust-building"))
        self.trust_check.setToolTip(
            self.tr("A gathering meant to build trust (a meal, a retreat), not only business")
        )
        checks.addWidget(self.in_person_check)
        checks.addWidget(self.trust_check)
        checks.addStretch(1)
        form.addRow("", checks)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText(self.tr("What was discussed, what comes next"))
        form.addRow(self.tr("&Notes:"), self.notes_edit)

        people = QGroupBox(self.tr("Attendees"))
        people_layout = QVBoxLayout(people)
        pick_row = QHBoxLayout()
        self.picker = MemberPicker(self._members.values())
        self.picker.setPlaceholderText(
            self.tr("Type a name, then Return (a new name adds a person)")
        )
        self.picker.setAccessibleName(self.tr("Add attendee"))
        self.picker.picked.connect(self.add_attendee)
        self.picker.new_name.connect(self.add_new_person)
        add_button = QPushButton(self.tr("&Add"))
        add_button.setAutoDefault(False)
        add_button.clicked.connect(lambda: self.picker.choose_text(self.picker.text()))
        pick_row.addWidget(self.picker, 1)
        pick_row.addWidget(add_button)
        people_layout.addLayout(pick_row)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Attendees"))
        self.table.setTabKeyNavigation(False)
        people_layout.addWidget(self.table, 1)
        remove_row = QHBoxLayout()
        self.count_label = QLabel()
        remove_row.addWidget(self.count_label, 1)
        self.remove_button = QPushButton(icon("edit-delete"), self.tr("&Remove"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        remove_row.addWidget(self.remove_button)
        people_layout.addLayout(remove_row)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected)
        self.met_check = QCheckBox(self.tr("Record that attendees &met"))
        self.met_check.setToolTip(
            self.tr(
                "Creates a relationship between attendees who have none, and strengthens "
                "existing ones by one (up to 5). In-person meetings only."
            )
        )
        people_layout.addWidget(self.met_check)
        self.in_person_check.toggled.connect(self._sync)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: palette(link);")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Log meeting"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(people, 1)
        layout.addLayout(top, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        for member_id in attendees:
            self.add_attendee(member_id)
        self._sync()
        self.title_edit.setFocus()
        self.resize(self.sizeHint().expandedTo(self.fontMetrics().size(0, "M" * 70)))

    # ---- attendees -----------------------------------------------------------------------

    def add_attendee(self, member_id: str, role: str = "attendee") -> None:
        member = self._members.get(member_id) or self._new_members.get(member_id)
        if member is None or member_id in self._rows:
            return
        row = self.table.rowCount()
        self.table.insertRow(row)
        label = member.name + (self.tr(" (new)") if member_id in self._new_members else "")
        self.table.setItem(row, 0, QTableWidgetItem(label))
        roles = QComboBox()
        roles.addItems(list(ATTENDANCE_ROLES))
        roles.setCurrentText(role)
        roles.setAccessibleName(self.tr("Role of {0}").format(member.name))
        self.table.setCellWidget(row, 1, roles)
        self._rows.append(member_id)
        self._sync()

    def add_new_person(self, name: str) -> str:
        """A person the network does not know yet: created with the meeting (same undo step)."""
        member = new_member(name, kind="person")
        self._new_members[member.id] = member
        self.picker.add_member(member)
        self.add_attendee(member.id)
        return member.id

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            member_id = self._rows.pop(row)
            self._new_members.pop(member_id, None)
            self.table.removeRow(row)
        self._sync()

    def attendees(self) -> list[tuple[str, str]]:
        return [
            (member_id, self.table.cellWidget(row, 1).currentText())
            for row, member_id in enumerate(self._rows)
        ]

    def set_role(self, member_id: str, role: str) -> None:
        self.table.cellWidget(self._rows.index(member_id), 1).setCurrentText(role)

    def _sync(self) -> None:
        n = len(self._rows)
        self.count_label.setText(plural(self.tr("%n attendee(s)", "", n), n))
        self.remove_button.setEnabled(n > 0)
        self.met_check.setEnabled(self.in_person_check.isChecked() and n >= 2)

    # ---- the result ----------------------------------------------------------------------

    def command(self) -> LogMeeting:
        """The core command for what the form says (raises ValidationError)."""
        day: date = self.date_edit.date().toPython()
        event = new_event(
            self.title_edit.text(),
            kind=self.kind_combo.currentText().strip() or "meeting",
            date=day,
            location=self.location_edit.text().strip(),
            in_person=self.in_person_check.isChecked(),
            trust_building=self.trust_check.isChecked(),
            notes=self.notes_edit.toPlainText().strip(),
        )
        return LogMeeting(
            event,
            self.attendees(),
            new_members=[m for m in self._new_members.values() if m.id in self._rows],
            record_met=self.met_check.isEnabled() and self.met_check.isChecked(),
        )

    def accept(self) -> None:
        if self.picker.text().strip():
            # A name typed but not yet added: take it rather than silently dropping it.
            self.picker.choose_text(self.picker.text())
        try:
            self.controller.push(self.command())
        except (ValidationError, DocumentError) as exc:
            self._show_error(str(exc))
            return
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        if not self.title_edit.text().strip():
            self.title_edit.setFocus()


def open_log_meeting(
    parent: QWidget | None, controller: Controller, attendees: Iterable[str] | None = None
) -> LogMeetingDialog:
    """Show the dialog window-modally without blocking; it logs the meeting when accepted.
    ``attendees`` defaults to the members selected now."""
    if attendees is None:
        attendees = controller.selected_members
    dialog = LogMeetingDialog(controller, parent, attendees)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
