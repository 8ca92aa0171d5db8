"""The main window's File menu: new, open, open recent, save a copy, import, export, close.

A mixin so the window module stays about composing the window; everything here goes through
``dialogs.open_file`` (refusals explained, read-only offered) and the controller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.destination import check_destination
from ..core.errors import DocumentError
from ..core.store import Document
from . import dialogs
from .dialogs import open_file
from .dialogs.errors import report_exception
from .tasks import Task, run_task

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from .controller import Controller
    from .settings import Preferences


class FileCommands:
    """File operations of :class:`~weaver.ui.main_window.MainWindow` (a QMainWindow)."""

    controller: Controller
    prefs: Preferences
    recent_menu: QMenu

    def _document(self) -> Document | None:
        return self.controller.document if self.controller.has_document else None

    def set_document(self, document: Document) -> None:
        self.controller.set_document(document)
        self.prefs.add_recent_file(document.path)

    def open_path(self, path: Path | str, *, ask_to_create: bool = True) -> bool:
        """Open ``path`` (asking, explaining refusals); True if it is now the open document."""
        if not self._can_switch():
            return False
        current = self._document()
        if current is not None and Path(path).resolve() == current.path.resolve():
            return True
        document = open_file.open_document(self, path, ask_to_create=ask_to_create)
        if document is None:
            return False
        self.set_document(document)
        return True

    def _can_switch(self) -> bool:
        if (
            self.controller.has_document
            and not self.controller.readonly
            and not self.controller.editable
        ):
            dialogs.inform(
                self,
                self.tr("Please wait"),
                self.tr("A long change is still being written; try again when it is done."),
            )
            return False
        return True

    def new_document(self) -> None:
        path = open_file.choose_file_to_save(self, self.tr("New network"))
        if path is None or not self._can_switch():
            return
        document = open_file.create_document(self, path)
        if document is not None:
            self.set_document(document)

    def open_document(self) -> None:
        current = self._document()
        path = open_file.choose_file_to_open(self, current.path if current else None)
        if path is not None:
            self.open_path(path, ask_to_create=False)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.prefs.recent_files()
        for n, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{n % 10} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self._open_recent(p))
        if not recent:
            self.recent_menu.addAction(self.tr("No recent networks")).setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("&Clear Menu"))
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self.prefs.clear_recent_files)

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            self.prefs.remove_recent_file(path)
        self.open_path(path, ask_to_create=False)

    def save_copy(self) -> None:
        wb = self._document()
        if wb is None:
            return
        suggested = wb.path.with_name(f"{wb.path.stem} copy{wb.path.suffix}")
        dest = open_file.choose_file_to_save(self, self.tr("Save a copy as"), suggested)
        if dest is not None:
            self.save_copy_to(dest)

    def save_copy_to(self, dest: Path) -> Task | None:
        wb = self._document()
        if wb is None:
            return None
        try:  # refused before the task starts: the network itself, a document, a folder…
            check_destination(dest, source=wb.path)
        except DocumentError as exc:
            dialogs.warn(self, self.tr("Copy not saved"), exc.reason, str(exc.path))
            return None

        def copy(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Path:
            progress(-1.0, "")
            # The main connection belongs to the UI thread: copy through one of our own.
            sibling = wb.sibling()
            try:
                sibling.save_copy(dest)
            finally:
                sibling.close()
            return dest

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DocumentError):
                dialogs.warn(self, self.tr("Copy not saved"), exc.reason, str(exc.path))
            else:
                report_exception(self, exc, self.tr("saving a copy"))

        task = run_task(
            self,
            self.tr("Saving a copy…"),
            copy,
            on_done=lambda p: self.statusBar().showMessage(
                self.tr("Saved a copy to {0}").format(p), 6000
            ),
            on_error=failed,
            cancellable=False,
        )
        return task

    def import_file(self) -> None:
        from .dialogs.import_dialog import run_import_dialog

        run_import_dialog(self, self.controller)

    def export_file(self) -> None:
        from .dialogs.export_dialog import run_export_dialog

        run_export_dialog(self, self.controller)

    def close_document(self) -> None:
        if self._can_switch():
            self.controller.close_document()
