"""QUndoCommand around a core command: Qt's undo stack, the core's undo logic."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.changes import Changes
from ..core.commands import Command
from ..core.store import Workbook


class UndoableCommand(QUndoCommand):
    """Pushed *after* the core command was applied once, so errors surface before the push
    and the stack never holds a command that failed."""

    def __init__(
        self,
        command: Command,
        workbook: Callable[[], Workbook],
        notify: Callable[[Changes], None],
    ) -> None:
        super().__init__(command.label)
        self.command = command
        self._workbook = workbook
        self._notify = notify
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._notify(self.command.apply(self._workbook()))

    def undo(self) -> None:
        self._notify(self.command.revert(self._workbook()))
