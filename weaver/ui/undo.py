"""QUndoCommand around a core command: Qt's undo stack, the core's undo logic."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.changes import Changes
from ..core.commands import Command
from ..core.store import Document


class UndoableCommand(QUndoCommand):
    """Pushed *after* the core command was applied once, so errors surface before the push
    and the stack never holds a command that failed."""

    def __init__(
        self,
        command: Command,
        document: Callable[[], Document],
        notify: Callable[[Changes], None],
    ) -> None:
        super().__init__(command.label)
        self.command = command
        self._document = document
        self._notify = notify
        self._skip_first_redo = True
        self.added_members: frozenset[str] = frozenset()
        # Follow-ups the app made on its own right after this command (placing a new member on
        # the map): one gesture, one undo step, so they are undone and redone with it.
        self.followers: list[Command] = []

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        wb = self._document()
        self._notify(self.command.apply(wb))
        for follower in self.followers:
            self._notify(follower.apply(wb))

    def undo(self) -> None:
        wb = self._document()
        for follower in reversed(self.followers):
            self._notify(follower.revert(wb))
        self._notify(self.command.revert(wb))
