"""Document: the one module that runs SQL against a ``.weaver`` document.

A document is one SQLite file in rollback-journal mode (no WAL side files beside a file people
copy and e-mail). Every change runs in one ``BEGIN IMMEDIATE`` transaction and commits at once:
there is no unsaved state. Reads return frozen entities; writes are row images (see
``commands``), so undo restores exactly what was there.

The store is this module and its siblings, the only code that runs SQL: ``store_files`` (file
header checks, connections, error translation), ``store_rows`` (row images and the Changes they
make) and ``store_read`` (the read methods, mixed into :class:`Document`). Import each name
from the module that defines it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlite_utils import Database

from . import schema
from .changes import Changes
from .codec import TABLE_KEYS, setting_to_row
from .errors import DamagedDocument, DocumentError, ReadOnlyDocument
from .lockfile import DocumentLock, sweep_abandoned_temporaries
from .model import ValidationError, utc_now
from .store_files import (
    document_error_from,
    file_uri,
    inspect_header,
    is_wal_mode,
    needs_journal_rollback,
    open_connection,
)
from .store_read import DEFAULT_SETTINGS, DocumentReads
from .store_rows import RowWrite, changes_of, integrity_error_text


class Document(DocumentReads):
    """An open document. Create with :meth:`create` or :meth:`open`; close when done."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, *, readonly: bool, lock: DocumentLock | None
    ) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self._lock = lock
        self._depth = 0
        # True when the content is a private in-memory copy (an older or crashed file read
        # without writing it): it cannot be reached through the file.
        self._memory_copy = False

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, *, name: str = "Untitled network") -> Document:
        path = Path(path)
        if path.exists():
            raise DocumentError(path, "already exists")
        if not path.parent.exists():
            raise DocumentError(path, f"cannot be created: folder {path.parent} does not exist")
        sweep_abandoned_temporaries(path.parent)
        lock = DocumentLock(path)
        try:
            lock.acquire()
        except ReadOnlyDocument as exc:
            raise DocumentError(
                path, f"cannot be created: folder {path.parent} is not writable"
            ) from exc
        try:
            conn = open_connection(file_uri(path, "rwc"))
        except sqlite3.Error as exc:
            lock.release()
            raise DocumentError(path, f"cannot be created ({exc})") from exc
        except OSError as exc:
            lock.release()
            raise DocumentError(path, f"cannot be created ({exc.strerror})") from exc
        wb = cls(path, conn, readonly=False, lock=lock)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            with wb.transaction():
                schema.migrate(Database(conn))
                for key, value in (DEFAULT_SETTINGS | {"name": name}).items():
                    wb._write(RowWrite("settings", None, setting_to_row(key, value)))
        except sqlite3.OperationalError as exc:
            wb.close()
            path.unlink(missing_ok=True)
            raise DocumentError(path, f"cannot be written ({exc})") from exc
        return wb

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Document:
        """Open an existing document. Read-only opening never migrates, locks or writes."""
        path = Path(path)
        _, version = inspect_header(path)
        if readonly:
            return cls._open_readonly(path, version)
        if not os.access(path, os.W_OK):
            # SQLite would open it anyway and fail only at the first edit: say so now.
            raise ReadOnlyDocument(path, "is a read-only file; it can be opened read-only")
        # Opening for editing may write in this folder; reading never does, so only here.
        sweep_abandoned_temporaries(path.parent)
        lock = DocumentLock(path)
        lock.acquire()
        try:
            conn = open_connection(file_uri(path, "rw"))
            wb = cls(path, conn, readonly=False, lock=lock)
            wb._check_integrity()
            if version < schema.SCHEMA_VERSION:
                wb._upgrade(version)
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.DatabaseError as exc:
            lock.release()
            raise document_error_from(path, exc) from exc
        except BaseException:
            lock.release()
            raise
        return wb

    @classmethod
    def _open_readonly(cls, path: Path, version: int) -> Document:
        if is_wal_mode(path):
            # Reading a WAL-mode file (made by another tool) creates -wal/-shm files beside
            # it even read-only: read a private copy instead, so nothing appears there.
            return cls._open_rolled_back_copy(path, "-wal")
        conn: sqlite3.Connection | None = None
        try:
            conn = open_connection(file_uri(path, "ro"))
            wb = cls(path, conn, readonly=True, lock=None)
            wb._check_integrity()
            if version < schema.SCHEMA_VERSION:
                # Upgrade a private in-memory copy: the file itself is never written.
                memory = open_connection("file::memory:")
                conn.backup(memory)
                conn.close()
                wb.conn = memory
                wb.readonly = False
                with wb.transaction():
                    schema.migrate(Database(memory))
                wb.readonly = True
                wb._memory_copy = True
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            if needs_journal_rollback(path, exc):
                return cls._open_rolled_back_copy(path)
            raise document_error_from(path, exc) from exc
        return wb

    @classmethod
    def _open_rolled_back_copy(cls, path: Path, sidecar: str = "-journal") -> Document:
        """Read a private in-memory copy of a document that cannot be read in place untouched.

        Either its writer crashed mid-change (its rollback journal is left: a read-only
        connection may not roll it back in place) or it is in WAL mode (reading would create
        -wal/-shm files beside it). The copy of file + ``sidecar`` is rolled back or
        checkpointed privately; the file itself stays untouched (the next writable opening
        rolls it back or converts it for real).
        """
        journal = path.with_name(path.name + sidecar)
        try:
            with tempfile.TemporaryDirectory(prefix="weaver-recover-") as tmp:
                copy = Path(tmp) / path.name
                shutil.copyfile(path, copy)
                if journal.exists():
                    shutil.copyfile(journal, Path(tmp) / journal.name)
                disk = open_connection(file_uri(copy, "rw"))
                memory = open_connection("file::memory:")
                try:
                    disk.backup(memory)  # the first read rolls the copy's journal back
                finally:
                    disk.close()
            wb = cls(path, memory, readonly=False, lock=None)
            wb._check_integrity()
            if wb.schema_version() < schema.SCHEMA_VERSION:
                with wb.transaction():
                    schema.migrate(Database(memory))
            wb.readonly = True
            wb._memory_copy = True
        except sqlite3.DatabaseError as exc:
            raise document_error_from(path, exc) from exc
        except OSError as exc:
            raise DocumentError(path, f"cannot be read ({exc.strerror})") from exc
        return wb

    def _check_integrity(self) -> None:
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            raise DamagedDocument(self.path, f"is damaged ({rows[0]})")

    def _upgrade(self, version: int) -> None:
        self.conn.execute("VACUUM INTO ?", (str(self._free_backup_name(version)),))
        with self.transaction():
            schema.migrate(Database(self.conn))

    def _free_backup_name(self, version: int) -> Path:
        """``NAME.before-upgrade-vN.weaver``, or ``…-vN-2``, ``-3``… when that is taken.

        A migration never runs without a fresh copy of what it changes, and an earlier copy
        (from an upgrade that was later undone by restoring a backup, say) is never replaced.
        Holding the document's lock, no other Weaver is upgrading it at the same time.
        """
        stem = f"{self.path.stem}.before-upgrade-v{version}"
        backup = self.path.with_name(f"{stem}{self.path.suffix}")
        n = 1
        while backup.exists() or backup.is_symlink():
            n += 1
            backup = self.path.with_name(f"{stem}-{n}{self.path.suffix}")
        return backup

    def sibling(self) -> Document:
        """A second connection to the same document, for a worker thread's long write.

        It shares this workbook's lock (it is the same writer) and must be closed by the thread
        that uses it.
        """
        if self._memory_copy:
            # The content lives in this connection's memory, which another thread may not
            # touch: read the file the same way again (it is read-only, so it is the same).
            return Document.open(self.path, readonly=True)
        conn = open_connection(file_uri(self.path, "ro" if self.readonly else "rw"))
        return Document(self.path, conn, readonly=self.readonly, lock=None)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions and writes ---------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (nested calls join the outer one)."""
        if self.readonly:
            raise ReadOnlyDocument(self.path, "is open read-only")
        if self._depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise document_error_from(self.path, exc) from exc
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0 and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise document_error_from(self.path, exc) from exc

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def _write(self, w: RowWrite) -> None:
        key_col = TABLE_KEYS[w.table]
        if w.before is None and w.after is not None:
            cols = list(w.after)
            self.conn.execute(
                f"INSERT INTO {w.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [w.after[c] for c in cols],
            )
        elif w.after is None and w.before is not None:
            cur = self.conn.execute(f"DELETE FROM {w.table} WHERE {key_col} = ?", (w.key,))
            if cur.rowcount != 1:
                raise RuntimeError(f"expected to delete {w.table} {w.key!r}, found none")
        elif w.before is not None and w.after is not None:
            changed = [c for c in w.after if w.before.get(c) != w.after[c]]
            if not changed:
                return
            cur = self.conn.execute(
                f"UPDATE {w.table} SET {', '.join(f'{c} = ?' for c in changed)} "
                f"WHERE {key_col} = ?",
                [w.after[c] for c in changed] + [w.key],
            )
            if cur.rowcount != 1:
                raise RuntimeError(f"expected to update {w.table} {w.key!r}, found none")

    def write_rows(self, writes: Sequence[RowWrite]) -> Changes:
        """Write row images in order (inside the caller's transaction) and say what changed."""
        assert self._depth > 0, "write_rows needs a transaction"
        try:
            i = 0
            while i < len(writes):
                w = writes[i]
                if w.before is None and w.after is not None:
                    # A run of inserts into one table with the same columns goes in as one
                    # executemany: creating or importing thousands of rows stays fast.
                    cols = tuple(w.after)
                    j = i + 1
                    while (
                        j < len(writes)
                        and writes[j].table == w.table
                        and writes[j].before is None
                        and writes[j].after is not None
                        and tuple(writes[j].after) == cols  # type: ignore[arg-type]
                    ):
                        j += 1
                    if j - i > 1:
                        self.conn.executemany(
                            f"INSERT INTO {w.table} ({', '.join(cols)}) "
                            f"VALUES ({', '.join('?' * len(cols))})",
                            [tuple(x.after.values()) for x in writes[i:j]],  # type: ignore[union-attr]
                        )
                        i = j
                        continue
                self._write(w)
                i += 1
        except sqlite3.IntegrityError as exc:
            # The schema's own guards (ids, references, one attendance per event and member):
            # a refused change, rolled back with its transaction, not a crash.
            raise ValidationError(integrity_error_text(exc)) from exc
        return changes_of(writes)

    def record_history(self, action: str, command: str, label: str, changes: Changes) -> None:
        self.conn.execute(
            "INSERT INTO history (at, action, command, label, changes) VALUES (?, ?, ?, ?, ?)",
            (utc_now(), action, command, label, json.dumps(changes.to_json(), sort_keys=True)),
        )

    def save_copy(self, dest: Path | str) -> None:
        """Write a compact copy (VACUUM INTO leaves freed pages with deleted data behind).

        ``dest`` must be a new file: never this document, another Weaver document (open
        elsewhere or not), a folder, or anything else ``check_destination`` refuses."""
        from .destination import atomic_path  # the one rule for every file Weaver writes

        dest = Path(dest)
        try:
            with atomic_path(dest, source=self.path) as tmp:
                # VACUUM INTO fills an empty file: the placeholder atomic_path made beside dest.
                self.conn.execute("VACUUM INTO ?", (str(tmp),))
        except sqlite3.Error as exc:
            raise DocumentError(dest, f"cannot be written ({exc})") from exc
