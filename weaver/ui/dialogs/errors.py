"""Unexpected errors: a dialog with a one-line summary and "Copy details"; the traceback goes to
the rotating log. Never a silent failure, never a raw traceback in the user's face."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ...logs import log, log_dir, log_file


def _tr(text: str) -> str:
    return QCoreApplication.translate("ErrorDialog", text)


class ErrorDialog(QDialog):
    """Summary on top; details (the traceback) folded away, copyable in one click."""

    def __init__(self, summary: str, details: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Something went wrong"))
        self.details = details
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        top.addWidget(icon)
        text = QLabel(summary)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(text, 1)
        layout.addLayout(top)
        hint = QLabel(
            _tr(
                "Your document is safe: every change was saved when it was made. The details "
                "below are also in the log file:\n{0}"
            ).format(log_file())
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setVisible(False)
        self.details_view.setAccessibleName(_tr("Error details"))
        layout.addWidget(self.details_view, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = QPushButton(_tr("Show details"))
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(_tr("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        log_button = QPushButton(_tr("Open log folder"))
        log_button.clicked.connect(open_log_folder)
        for b in (self.show_button, self.copy_button, log_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_button.setEnabled(bool(details))
        self.copy_button.setEnabled(bool(details))

    def _toggle_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.show_button.setText(_tr("Hide details") if shown else _tr("Show details"))
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def open_log_folder() -> None:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


# Tests replace this to see what would have been shown without a modal loop.
def present(dialog: ErrorDialog) -> None:
    dialog.exec()


def show_error(parent: QWidget | None, summary: str, details: str = "") -> None:
    present(ErrorDialog(summary, details, parent))


def is_refusal(exc: BaseException) -> bool:
    """A refusal the user can act on (invalid input, a file that cannot be written), not a bug."""
    from ...core.errors import DocumentError
    from ...core.model import ValidationError

    return isinstance(exc, (ValidationError, DocumentError))


def show_refusal(parent: QWidget | None, exc: BaseException, doing: str = "") -> None:
    """Say plainly why nothing was changed: no traceback, no "something went wrong"."""
    from .. import dialogs

    log.info("refused%s: %s", f" while {doing}" if doing else "", exc)
    title = _tr("Could not finish {0}").format(doing) if doing else _tr("Not changed")
    dialogs.warn(parent, title, str(exc))


def report_exception(
    parent: QWidget | None, exc: BaseException, doing: str = "", *, tb: TracebackType | None = None
) -> None:
    """Log ``exc`` with its traceback and show the error dialog (a refusal — a ValidationError
    or DocumentError — is shown plainly instead, see :func:`show_refusal`)."""
    if is_refusal(exc):
        show_refusal(parent, exc, doing)
        return
    details = "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))
    log.error("unexpected error%s:\n%s", f" while {doing}" if doing else "", details)
    what = (
        _tr("Weaver ran into an unexpected problem while {0}.").format(doing)
        if doing
        else (_tr("Weaver ran into an unexpected problem."))
    )
    summary = f"{what}\n\n{type(exc).__name__}: {exc}"
    show_error(parent, summary, details)


_showing = False


def install_excepthook(parent: Callable[[], QWidget | None] = QApplication.activeWindow) -> None:
    """Route uncaught exceptions (e.g. in slots) to the log and the error dialog; a refusal
    (e.g. an edit the core rejects in a slot that did not catch it) is shown plainly."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        global _showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if _showing:  # an error while the dialog is up: log it, don't stack dialogs
            log.error("further error: %s", "".join(traceback.format_exception(kind, exc, tb)))
            return
        _showing = True
        try:
            report_exception(parent(), exc, tb=tb)
        finally:
            _showing = False

    sys.excepthook = hook
