"""The controller owns the open Document, the QUndoStack and the one shared selection.

Widgets never run SQL: they read through ``controller.document`` and change the document only
with ``controller.push(core_command)``. Every change is announced once with ``changed(Changes)``;
every view refreshes only what that record names.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.changes import RESET, Changes
from ..core.commands import Command
from ..core.errors import ReadOnlyDocument
from ..core.model import Member, Relationship
from ..core.store import Document
from .undo import UndoableCommand


class Controller(QObject):
    #: A command was applied or reverted (or a long write committed): refresh what it names.
    changed = Signal(object)
    #: The shared selection changed: (member ids, relationship ids), each a tuple.
    selection_changed = Signal(object, object)
    #: A different document was opened (or the document was closed: document is None).
    document_changed = Signal()
    #: Editing paused (True) or resumed (False), e.g. while a long write runs in a worker.
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self.undo_stack = QUndoStack(self)
        self._members: tuple[str, ...] = ()
        self._relationships: tuple[str, ...] = ()
        self._busy = False
        # Every member / relationship as read after the last change that touched them:
        # several views load them all when a document opens; one read serves them all.
        self._all_members: list[Member] | None = None
        self._all_relationships: list[Relationship] | None = None

    # ---- the document --------------------------------------------------------------------

    @property
    def document(self) -> Document:
        if self._document is None:
            raise RuntimeError("no document is open")
        return self._document

    @property
    def has_document(self) -> bool:
        return self._document is not None

    @property
    def readonly(self) -> bool:
        return self._document is None or self._document.readonly

    @property
    def editable(self) -> bool:
        return not self.readonly and not self._busy

    def set_document(self, document: Document | None) -> None:
        """Take ownership of ``document`` (closing the previous one)."""
        old = self._document
        self.undo_stack.clear()
        self._document = document
        self._all_members = self._all_relationships = None
        self._members = self._relationships = ()
        if old is not None and old is not document:
            old.close()
        self.document_changed.emit()
        self.selection_changed.emit((), ())
        self.changed.emit(RESET)

    def close_document(self) -> None:
        self.set_document(None)

    def all_members(self) -> list[Member]:
        """``document.members()``, read once per change (shared by the views; do not mutate
        the list — the members themselves are frozen)."""
        if self._all_members is None:
            self._all_members = self.document.members()
        return self._all_members

    def all_relationships(self) -> list[Relationship]:
        """``document.relationships()``, read once per change (see :meth:`all_members`)."""
        if self._all_relationships is None:
            self._all_relationships = self.document.relationships()
        return self._all_relationships

    # ---- changing it ---------------------------------------------------------------------

    def push(self, command: Command) -> Changes:
        """Apply ``command`` and put it on the undo stack. Raises what the core raises
        (ValidationError, DocumentError) with nothing changed: callers that can show the reason
        in place catch it; ``editing.push`` shows it as a message, and one that escapes a slot is
        shown plainly by the excepthook (``dialogs.errors.show_refusal``), never as a crash."""
        if self._document is None:
            raise ReadOnlyDocument("", "no network is open")
        if self.readonly:
            raise ReadOnlyDocument(self.document.path, "is open read-only")
        if self._busy:
            raise ReadOnlyDocument(self.document.path, "is busy with a long change; wait for it")
        changes = command.apply(self.document)
        if command.did_nothing:
            return changes
        undoable = UndoableCommand(command, lambda: self.document, self.notify)
        undoable.added_members = changes.members.added
        self.undo_stack.push(undoable)
        self.notify(changes)
        return changes

    def push_follow_up(self, command: Command, members: Iterable[str]) -> Changes:
        """Apply ``command``, something the app does on its own about ``members`` (placing them
        on the map). If the last step added those members (one member from a dialog, or the
        many of an import, whose step undoes in a worker), the follow-up joins that step — Undo
        takes back the add and its placement together; otherwise it is a step of its own."""
        wanted = frozenset(members)
        stack = self.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() == stack.count() else None
        if (
            not isinstance(top, UndoableCommand)
            or not wanted
            or not wanted <= top.added_members
            or self.readonly
            or self._busy
        ):
            return self.push(command)
        changes = command.apply(self.document)
        if not command.did_nothing:
            top.followers.append(command)
            self.notify(changes)
        return changes

    def notify(self, changes: Changes) -> None:
        """Announce a change (also used after a worker's long write commits)."""
        if not changes:
            return
        if changes.reset or changes.members:
            self._all_members = None
        if changes.reset or changes.relationships:
            self._all_relationships = None
        if changes.members.removed or changes.relationships.removed:
            gone_m = changes.members.removed
            gone_r = changes.relationships.removed
            members = tuple(m for m in self._members if m not in gone_m)
            rels = tuple(r for r in self._relationships if r not in gone_r)
            if (members, rels) != (self._members, self._relationships):
                self._members, self._relationships = members, rels
                self.selection_changed.emit(members, rels)
        self.changed.emit(changes)

    def set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # ---- the shared selection ------------------------------------------------------------

    @property
    def selected_members(self) -> tuple[str, ...]:
        return self._members

    @property
    def selected_relationships(self) -> tuple[str, ...]:
        return self._relationships

    def select(self, members: Iterable[str] = (), relationships: Iterable[str] = ()) -> None:
        members_t = tuple(dict.fromkeys(members))
        rels_t = tuple(dict.fromkeys(relationships))
        if (members_t, rels_t) == (self._members, self._relationships):
            return
        self._members, self._relationships = members_t, rels_t
        self.selection_changed.emit(members_t, rels_t)
