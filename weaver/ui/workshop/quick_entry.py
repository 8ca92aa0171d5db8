"""Quick entry (Ctrl+K): type names and ties as the room calls them out.

Suggestions appear as you type (fuzzy, accent-insensitive); Enter adds. "Ana ↔ Ben" adds a tie,
"Ana: Ben, Chris" records answers to the current prompt. Duplicates are never created: the
panel says "already in the network as …". Each line is one undo step.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import quickentry
from ...core.changes import Changes
from ...core.commands import SetSettings
from ...core.errors import DocumentError
from ...core.model import Member, ValidationError
from ...core.privacy import SETTING_KEY, PresentationPrivacy
from ..controller import Controller
from ..textmatch import plural
from .session import WorkshopSession

# The name being typed is whatever follows the last separator of the line.
_LAST_NAME = re.compile(r"(?:↔|<->|<>|--|—|:|,|;)\s*([^↔<>:,;—-]*)$")


class _EntryLine(QLineEdit):
    """A line edit that lets Up/Down/Tab drive the suggestion list."""

    navigate = Signal(int)
    complete = Signal()

    def event(self, event: QEvent) -> bool:
        # Tab normally moves focus before keyPressEvent sees it; here it completes a name
        # while suggestions are showing, and moves focus otherwise.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.has_suggestions
        ):
            self.complete.emit()
            return True
        return super().event(event)

    has_suggestions = False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down:
            self.navigate.emit(1)
        elif event.key() == Qt.Key.Key_Up:
            self.navigate.emit(-1)
        else:
            super().keyPressEvent(event)


class QuickEntryPanel(QWidget):
    def __init__(
        self,
        controller: Controller,
        session: WorkshopSession | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.session = session
        self._members: list[Member] = []
        self._names = quickentry.NameIndex(())
        self._stale = True

        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText(self.tr("e.g. Who do you turn to for funding advice?"))
        self.prompt.setAccessibleName(self.tr("Prompt shown on the projector"))
        self.prompt_kind = QLineEdit()
        self.prompt_kind.setPlaceholderText(self.tr("e.g. funding advice"))
        self.prompt_kind.setAccessibleName(self.tr("Kind of tie the answers create"))
        for edit in (self.prompt, self.prompt_kind):
            edit.editingFinished.connect(self._save_prompt)

        self.entry = _EntryLine()
        self.entry.setPlaceholderText(self.tr("Name, 'Ana ↔ Ben' or 'Ana: Ben, Chris' — Enter"))
        self.entry.setAccessibleName(self.tr("Quick entry"))
        self.entry.setClearButtonEnabled(True)
        self.entry.textEdited.connect(self._update_suggestions)
        self.entry.returnPressed.connect(self.commit)
        self.entry.navigate.connect(self._navigate)
        self.entry.complete.connect(self._complete)

        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName(self.tr("Members matching what you type"))
        self.suggestions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.suggestions.itemClicked.connect(lambda _item: self._complete())

        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.session_label = QLabel()
        self.session_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Prompt:"), self.prompt)
        form.addRow(self.tr("Answers are ties of kind:"), self.prompt_kind)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.entry)
        layout.addWidget(self.suggestions, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.session_label)

        controller.changed.connect(self._on_changed)
        controller.document_changed.connect(self._reload)
        controller.busy_changed.connect(lambda _busy: self._update_enabled())
        if session is not None:
            session.changed.connect(lambda _id: self._show_session())
        self._reload()

    # ---- state ---------------------------------------------------------------------------

    def focus_entry(self) -> None:
        self.entry.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.entry.selectAll()

    def _reload(self) -> None:
        self._stale = True  # the name index is rebuilt when next needed, not on every edit
        if self.controller.has_document:
            wb = self.controller.document
            rules = PresentationPrivacy.from_settings(wb.settings())
            self.prompt.setText(rules.prompt)
            self.prompt_kind.setText(rules.prompt_kind)
        self._update_enabled()
        self._show_session()

    def _index(self) -> quickentry.NameIndex:
        """Members and their name index as the document is now (rebuilt only after a change:
        on a big network, rebuilding after every edit would slow every edit down)."""
        if self._stale:
            has_doc = self.controller.has_document
            self._members = list(self.controller.all_members()) if has_doc else []
            self._names = quickentry.NameIndex(self._members)
            self._stale = False
        return self._names

    def _on_changed(self, changes: Changes) -> None:
        if changes.reset or SETTING_KEY in changes.settings:
            self._reload()
        elif changes.members:
            self._stale = True

    def _update_enabled(self) -> None:
        editable = self.controller.has_document and self.controller.editable
        for w in (self.entry, self.prompt, self.prompt_kind):
            w.setEnabled(editable)

    def _show_session(self) -> None:
        if self.session is not None and self.session.active:
            self.session_label.setText(
                self.tr("Workshop session on: everyone entered is recorded as attending.")
            )
        else:
            self.session_label.setText(
                self.tr("Tip: File ▸ Start workshop records who was in the room.")
            )

    def _save_prompt(self) -> None:
        if not (self.controller.has_document and self.controller.editable):
            return
        wb = self.controller.document
        rules = PresentationPrivacy.from_settings(wb.settings())
        updated = rules.to_setting() | {
            "prompt": self.prompt.text().strip(),
            "prompt_kind": self.prompt_kind.text().strip(),
        }
        if updated != rules.to_setting():
            self.controller.push(SetSettings({SETTING_KEY: updated}, self.tr("Change prompt")))

    # ---- suggestions ---------------------------------------------------------------------

    def _current_name(self) -> str:
        text = self.entry.text()
        match = _LAST_NAME.search(text)
        return (match.group(1) if match else text).strip()

    def _update_suggestions(self) -> None:
        self.suggestions.clear()
        for s in self._index().suggest(self._current_name()):
            item = QListWidgetItem(s.name)
            item.setData(Qt.ItemDataRole.UserRole, s.member_id)
            self.suggestions.addItem(item)
        if self.suggestions.count():
            self.suggestions.setCurrentRow(0)
        self.entry.has_suggestions = self.suggestions.count() > 0

    def _navigate(self, step: int) -> None:
        n = self.suggestions.count()
        if n:
            self.suggestions.setCurrentRow((self.suggestions.currentRow() + step) % n)

    def _complete(self) -> None:
        item = self.suggestions.currentItem()
        if item is None:
            return
        text = self.entry.text()
        typed = self._current_name()
        head = text[: len(text.rstrip()) - len(typed)] if typed else text
        self.entry.setText(head + item.text())
        self.suggestions.clear()
        self.entry.has_suggestions = False
        self.entry.setFocus()

    # ---- committing ----------------------------------------------------------------------

    def commit(self) -> None:
        text = self.entry.text()
        if not text.strip() or not self.controller.has_document:
            return
        self._index()  # members as they are now
        try:
            entry = quickentry.parse(text)
            result = quickentry.plan(
                entry,
                self._members,
                self.controller.all_relationships(),
                prompt_kind=self.prompt_kind.text(),
                workshop_event_id=self.session.event_id if self.session else None,
                attending=self.session.attending() if self.session else (),
            )
            if result.command is not None:
                self.controller.push(result.command)
        except (ValidationError, DocumentError) as exc:
            self.feedback.setText(str(exc))
            return
        said = list(result.messages)
        if result.added_members:
            n = len(result.added_members)
            said.insert(0, plural(self.tr("Added %n member(s)", "", n), n))
        if result.added_ties:
            n = result.added_ties
            said.insert(0, plural(self.tr("Added %n tie(s)", "", n), n))
        self.feedback.setText("; ".join(said) or self.tr("Nothing new."))
        self.entry.clear()
        self.suggestions.clear()
        self.entry.has_suggestions = False
        if result.members:
            self.controller.select(members=result.members)
