"""File-level helpers of the store: header checks, connections, SQLite errors in plain words.

Part of the store (the only code that runs SQL); :class:`weaver.core.store.Document` opens its
connections through these.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from pathlib import Path

from . import schema
from .errors import (
    DamagedDocument,
    DocumentBusy,
    DocumentError,
    MissingDocument,
    NewerDocument,
    NotAWeaverDocument,
    ReadOnlyDocument,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 2000


def inspect_header(path: Path) -> tuple[int, int]:
    """(application_id, user_version) from the file header, refusing what is not a document.

    Reading the 100-byte header first means a foreign or newer file is refused without SQLite
    ever opening it, so its bytes cannot change. What is not a regular file is refused before
    it is opened at all: opening a FIFO waits for a writer forever, a device may never end.
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise MissingDocument(path, "no such file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror})") from exc
    _refuse_non_regular(path, mode)
    try:
        header = _read_header(path)
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror})") from exc
    if not header:
        raise NotAWeaverDocument(path, "is an empty file, not a Weaver document")
    if not header.startswith(SQLITE_MAGIC):
        hint = " (it looks like a spreadsheet: use Import)" if header[:2] == b"PK" else ""
        raise NotAWeaverDocument(path, f"is not a Weaver document{hint}")
    if len(header) < 100:
        raise DamagedDocument(path, "is damaged (the file is truncated)")
    user_version, application_id = (
        struct.unpack(">i", header[60:64])[0],
        struct.unpack(">i", header[68:72])[0],
    )
    if application_id != schema.APPLICATION_ID:
        raise NotAWeaverDocument(path, "is a SQLite database but not a Weaver document")
    if user_version > schema.SCHEMA_VERSION:
        raise NewerDocument(
            path,
            f"was made by a newer version of Weaver (format {user_version}; "
            f"this version reads up to {schema.SCHEMA_VERSION}); update Weaver to open it",
        )
    return application_id, user_version


def special_file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in words (from ``st_mode``)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _refuse_non_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise NotAWeaverDocument(path, "is a folder, not a Weaver document")
    if not stat.S_ISREG(mode):
        raise NotAWeaverDocument(
            path, f"is not a regular file but {special_file_kind(mode)}, not a Weaver document"
        )


def _read_header(path: Path) -> bytes:
    """The first 100 bytes of ``path``, checked again once open: the file named may have been
    replaced since it was checked, and only a regular file's bytes may be read."""
    with path.open("rb") as f:
        _refuse_non_regular(path, os.fstat(f.fileno()).st_mode)
        return f.read(100)


def open_connection(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def file_uri(path: Path, mode: str) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode={mode}"


# SQLITE_READONLY_ROLLBACK: a hot journal a read-only connection is not allowed to roll back.
_SQLITE_READONLY_ROLLBACK = 776


def is_wal_mode(path: Path) -> bool:
    """The header's read/write versions are 2 in WAL mode (1 in rollback-journal mode)."""
    try:
        with path.open("rb") as f:
            return f.read(20)[18:20] == b"\x02\x02"
    except OSError:
        return False


def needs_journal_rollback(path: Path, exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == _SQLITE_READONLY_ROLLBACK and path.with_name(path.name + "-journal").exists()


def document_error_from(path: Path, exc: sqlite3.Error) -> DocumentError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DocumentBusy(path, "is in use by another program; try again in a moment")
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DamagedDocument(path, f"is damaged ({text})")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDocument(path, "cannot be written (read-only file or folder)")
    if "unable to open" in text:
        return DocumentError(path, f"cannot be opened ({text})")
    return DamagedDocument(path, f"cannot be read ({text})")
