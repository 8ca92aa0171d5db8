"""File-level helpers of the store: header checks, connections, SQLite errors in plain words.

Part of the store (the only code that runs SQL); :mod:`weaver.core.store` re-exports
``inspect_header`` and the constants.
"""

from __future__ import annotations

import sqlite3
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
    ever opening it, so its bytes cannot change.
    """
    if not path.exists():
        raise MissingDocument(path, "no such file")
    if path.is_dir():
        raise NotAWeaverDocument(path, "is a folder, not a Weaver document")
    try:
        with path.open("rb") as f:
            header = f.read(100)
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


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _file_uri(path: Path, mode: str) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode={mode}"


# SQLITE_READONLY_ROLLBACK: a hot journal a read-only connection is not allowed to roll back.
_SQLITE_READONLY_ROLLBACK = 776


def _is_wal(path: Path) -> bool:
    """The header's read/write versions are 2 in WAL mode (1 in rollback-journal mode)."""
    try:
        with path.open("rb") as f:
            return f.read(20)[18:20] == b"\x02\x02"
    except OSError:
        return False


def _needs_rollback(path: Path, exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == _SQLITE_READONLY_ROLLBACK and path.with_name(path.name + "-journal").exists()


def _translate(path: Path, exc: sqlite3.Error) -> DocumentError:
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
