"""Errors a user can act on. Each names the file and says why, in one line."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A document that cannot be opened or written as asked. ``str()`` is the message to show."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class MissingDocument(DocumentError):
    pass


class NotAWeaverDocument(DocumentError):
    pass


class NewerDocument(DocumentError):
    pass


class DamagedDocument(DocumentError):
    pass


class DocumentBusy(DocumentError):
    """Another program holds a write lock on the SQLite file right now."""


class DocumentLocked(DocumentError):
    """Another Weaver window (or program) has the document open for writing."""

    def __init__(self, path: Path | str, holder: str) -> None:
        self.holder = holder
        super().__init__(
            path, f"is open for editing elsewhere ({holder}); it can be opened read-only"
        )


class ReadOnlyDocument(DocumentError):
    pass


class RefusedDestination(DocumentError):
    """A file Weaver will not write to: a document, a locked file, a folder, a device…"""
