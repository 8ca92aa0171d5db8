"""Opening a document from the window: refusals explained, a locked file offered read-only,
a missing one created after asking. The file is never touched unless the user says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ...core.errors import (
    DamagedDocument,
    DocumentBusy,
    DocumentError,
    DocumentLocked,
    NewerDocument,
    NotAWeaverDocument,
    ReadOnlyDocument,
)
from ...core.store import Document
from ...logs import log
from .. import dialogs

FILE_FILTER = "Weaver networks (*.weaver);;All files (*)"
SUFFIX = ".weaver"


def _tr(text: str) -> str:
    return QCoreApplication.translate("OpenFile", text)


def refusal_title(exc: DocumentError) -> str:
    """A headline for why a document could not be opened."""
    if isinstance(exc, NotAWeaverDocument):
        return _tr("This file is not a Weaver network")
    if isinstance(exc, NewerDocument):
        return _tr("This network was made by a newer version of Weaver")
    if isinstance(exc, DamagedDocument):
        return _tr("This network file is damaged")
    if isinstance(exc, DocumentBusy):
        return _tr("This network file is in use")
    if isinstance(exc, DocumentLocked):
        return _tr("This network is open elsewhere")
    if isinstance(exc, ReadOnlyDocument):
        return _tr("This network cannot be changed here")
    return _tr("This network cannot be opened")


def refuse(parent: QWidget | None, exc: DocumentError) -> None:
    """Tell the user why; nothing else happens (the file was not changed)."""
    log.info("refused to open: %s", exc)
    dialogs.warn(
        parent,
        _tr("Cannot open {0}").format(exc.path.name),
        refusal_title(exc),
        _tr("{0}\n\n{1}\n\nThe file was not changed.").format(exc.path, exc.reason),
    )


def _reason(exc: DocumentError) -> str:
    """The reason as a sentence ("The file is a read-only file; …")."""
    reason = exc.reason.removesuffix("; it can be opened read-only")
    return _tr("The file {0}.").format(reason)


def open_document(
    parent: QWidget | None, path: Path | str, *, ask_to_create: bool = True
) -> Document | None:
    """Open ``path`` for editing, asking the user what to do when it cannot be; None if not."""
    path = Path(path)
    if not path.exists():
        if not ask_to_create:
            refuse(parent, DocumentError(path, _tr("no such file")))
            return None
        answer = dialogs.ask(
            parent,
            _tr("Create a new network?"),
            _tr("{0} does not exist.").format(path.name),
            informative=_tr("Create a new, empty network at {0}?").format(path),
        )
        if answer != dialogs.Button.Yes:
            return None
        return create_document(parent, path)
    try:
        return Document.open(path)
    except (DocumentLocked, ReadOnlyDocument) as exc:
        return _offer_readonly(parent, exc)
    except DocumentError as exc:
        refuse(parent, exc)
        return None


def _offer_readonly(
    parent: QWidget | None, exc: DocumentLocked | ReadOnlyDocument
) -> Document | None:
    """The file can be read but not changed here: offer to open it read-only."""
    if isinstance(exc, DocumentLocked):
        text = _tr("{0} is open for editing elsewhere ({1}).").format(exc.path.name, exc.holder)
        informative = _tr(
            "Only one window can change a network at a time. You can open it read-only to look "
            "at it; your copy will not show changes made elsewhere until you reopen it."
        )
    else:
        text = _tr("{0} cannot be changed here.").format(exc.path.name)
        informative = _tr(
            "{0}\n\nYou can open it read-only to look at it, export it or save a copy you can "
            "change."
        ).format(_reason(exc))
    log.info("offering read-only: %s", exc)
    answer = dialogs.ask(
        parent,
        _tr("Open read-only?"),
        text,
        dialogs.Button.Open | dialogs.Button.Cancel,
        dialogs.Button.Open,
        informative=informative,
    )
    if answer != dialogs.Button.Open:
        return None
    try:
        return Document.open(exc.path, readonly=True)
    except DocumentError as again:
        refuse(parent, again)
        return None


def create_document(parent: QWidget | None, path: Path | str) -> Document | None:
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(SUFFIX)
    try:
        return Document.create(path, name=path.stem)
    except DocumentError as exc:
        dialogs.warn(parent, _tr("Cannot create {0}").format(path.name), exc.reason, str(path))
        return None


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def choose_file_to_open(parent: QWidget | None, start: Path | None = None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        _tr("Open network"),
        str(start.parent if start else documents_folder()),
        _tr(FILE_FILTER),
    )
    return Path(name) if name else None


def choose_file_to_save(
    parent: QWidget | None, title: str, suggested: Path | None = None
) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(suggested or Path(documents_folder()) / f"network{SUFFIX}"),
        _tr(FILE_FILTER),
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(SUFFIX)
