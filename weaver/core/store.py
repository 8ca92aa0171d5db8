"""Workbook: the one module that runs SQL against a ``.weaver`` document.

A document is one SQLite file in rollback-journal mode (no WAL side files beside a file people
copy and e-mail). Every change runs in one ``BEGIN IMMEDIATE`` transaction and commits at once:
there is no unsaved state. Reads return frozen entities; writes are row images (see
``commands``), so undo restores exactly what was there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from . import schema
from .changes import ENTITIES, Changes, EntityChanges
from .codec import (
    FROM_ROW,
    POSITION_COLUMNS,
    TABLE_KEYS,
    Row,
    entities_from_rows,
    setting_to_row,
    setting_value,
)
from .errors import (
    DamagedDocument,
    DocumentBusy,
    DocumentError,
    MissingDocument,
    NewerDocument,
    NotAWeaverDocument,
    ReadOnlyDocument,
)
from .lockfile import DocumentLock
from .model import (
    Affiliation,
    Attendance,
    Event,
    Member,
    Relationship,
    ValidationError,
    utc_now,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 2000

DEFAULT_SETTINGS: dict[str, Any] = {
    "name": "Untitled network",
    "description": "",
    # Fields hidden from presentation mode, shared maps and anonymised exports.
    "private_fields": {"members": ["email", "phone", "notes"], "relationships": ["notes"]},
}


class RowWrite:
    """One row's before and after image. ``None`` on a side means the row is absent."""

    __slots__ = ("after", "before", "table")

    def __init__(self, table: str, before: Row | None, after: Row | None) -> None:
        self.table = table
        self.before = before
        self.after = after

    @property
    def key(self) -> Any:
        row = self.after if self.after is not None else self.before
        assert row is not None
        return row[TABLE_KEYS[self.table]]

    def inverted(self) -> RowWrite:
        return RowWrite(self.table, self.after, self.before)

    def __repr__(self) -> str:
        change = f"{self.before is not None}->{self.after is not None}"
        return f"RowWrite({self.table}, {self.key!r}, {change})"


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


class Workbook:
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
    def create(cls, path: Path | str, *, name: str = "Untitled network") -> Workbook:
        path = Path(path)
        if path.exists():
            raise DocumentError(path, "already exists")
        if not path.parent.exists():
            raise DocumentError(path, f"cannot be created: folder {path.parent} does not exist")
        lock = DocumentLock(path)
        try:
            lock.acquire()
        except ReadOnlyDocument as exc:
            raise DocumentError(
                path, f"cannot be created: folder {path.parent} is not writable"
            ) from exc
        try:
            conn = _connect(_file_uri(path, "rwc"))
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
    def open(cls, path: Path | str, *, readonly: bool = False) -> Workbook:
        """Open an existing document. Read-only opening never migrates, locks or writes."""
        path = Path(path)
        _, version = inspect_header(path)
        if readonly:
            return cls._open_readonly(path, version)
        if not os.access(path, os.W_OK):
            # SQLite would open it anyway and fail only at the first edit: say so now.
            raise ReadOnlyDocument(path, "is a read-only file; it can be opened read-only")
        lock = DocumentLock(path)
        lock.acquire()
        try:
            conn = _connect(_file_uri(path, "rw"))
            wb = cls(path, conn, readonly=False, lock=lock)
            wb._check_integrity()
            if version < schema.SCHEMA_VERSION:
                wb._upgrade(version)
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.DatabaseError as exc:
            lock.release()
            raise _translate(path, exc) from exc
        except BaseException:
            lock.release()
            raise
        return wb

    @classmethod
    def _open_readonly(cls, path: Path, version: int) -> Workbook:
        if _is_wal(path):
            # Reading a WAL-mode file (made by another tool) creates -wal/-shm files beside
            # it even read-only: read a private copy instead, so nothing appears there.
            return cls._open_rolled_back_copy(path, "-wal")
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(_file_uri(path, "ro"))
            wb = cls(path, conn, readonly=True, lock=None)
            wb._check_integrity()
            if version < schema.SCHEMA_VERSION:
                # Upgrade a private in-memory copy: the file itself is never written.
                memory = _connect("file::memory:")
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
            if _needs_rollback(path, exc):
                return cls._open_rolled_back_copy(path)
            raise _translate(path, exc) from exc
        return wb

    @classmethod
    def _open_rolled_back_copy(cls, path: Path, sidecar: str = "-journal") -> Workbook:
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
                disk = _connect(_file_uri(copy, "rw"))
                memory = _connect("file::memory:")
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
            raise _translate(path, exc) from exc
        except OSError as exc:
            raise DocumentError(path, f"cannot be read ({exc.strerror})") from exc
        return wb

    def _check_integrity(self) -> None:
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            raise DamagedDocument(self.path, f"is damaged ({rows[0]})")

    def _upgrade(self, version: int) -> None:
        backup = self.path.with_name(
            f"{self.path.stem}.before-upgrade-v{version}{self.path.suffix}"
        )
        if not backup.exists():
            self.conn.execute("VACUUM INTO ?", (str(backup),))
        with self.transaction():
            schema.migrate(Database(self.conn))

    def sibling(self) -> Workbook:
        """A second connection to the same document, for a worker thread's long write.

        It shares this workbook's lock (it is the same writer) and must be closed by the thread
        that uses it.
        """
        if self._memory_copy:
            # The content lives in this connection's memory, which another thread may not
            # touch: read the file the same way again (it is read-only, so it is the same).
            return Workbook.open(self.path, readonly=True)
        conn = _connect(_file_uri(self.path, "ro" if self.readonly else "rw"))
        return Workbook(self.path, conn, readonly=self.readonly, lock=None)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workbook:
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
                raise _translate(self.path, exc) from exc
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
                raise _translate(self.path, exc) from exc

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
            raise ValidationError(_conflict_text(exc)) from exc
        return changes_of(writes)

    def record_history(self, action: str, command: str, label: str, changes: Changes) -> None:
        self.conn.execute(
            "INSERT INTO history (at, action, command, label, changes) VALUES (?, ?, ?, ?, ?)",
            (utc_now(), action, command, label, json.dumps(changes.to_json(), sort_keys=True)),
        )

    # ---- reads ---------------------------------------------------------------------------

    def row(self, table: str, key: Any) -> Row | None:
        r = self.conn.execute(
            f"SELECT * FROM {table} WHERE {TABLE_KEYS[table]} = ?", (key,)
        ).fetchone()
        return dict(r) if r is not None else None

    def rows(self, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Row]:
        sql = f"SELECT * FROM {table}" + (f" WHERE {where}" if where else "")
        # Plain tuples zipped with the column names build dicts faster than sqlite3.Row.
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, tuple(params))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r, strict=True)) for r in cursor]

    def rows_by_keys(self, table: str, keys: Iterable[Any]) -> list[Row]:
        keys = list(keys)
        out: list[Row] = []
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            chunk = keys[i : i + 500]
            out += self.rows(table, f"{TABLE_KEYS[table]} IN ({','.join('?' * len(chunk))})", chunk)
        return out

    def _entities(self, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Any]:
        sql = f"SELECT * FROM {table}" + (f" WHERE {where}" if where else "")
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, tuple(params))
        return entities_from_rows(table, [d[0] for d in cursor.description], cursor)

    def members(self) -> list[Member]:
        return self._entities("members")

    def member(self, member_id: str) -> Member | None:
        r = self.row("members", member_id)
        return FROM_ROW["members"](r) if r else None

    def members_by_ids(self, ids: Iterable[str]) -> list[Member]:
        return [FROM_ROW["members"](r) for r in self.rows_by_keys("members", ids)]

    def relationships(self) -> list[Relationship]:
        return self._entities("relationships")

    def relationship(self, rel_id: str) -> Relationship | None:
        r = self.row("relationships", rel_id)
        return FROM_ROW["relationships"](r) if r else None

    def relationships_of(self, member_ids: Iterable[str]) -> list[Relationship]:
        ids = list(member_ids)
        out: dict[str, Relationship] = {}
        for i in range(0, len(ids), 400):
            chunk = ids[i : i + 400]
            marks = ",".join("?" * len(chunk))
            for rel in self._entities(
                "relationships", f"source_id IN ({marks}) OR target_id IN ({marks})", chunk * 2
            ):
                out[rel.id] = rel
        return list(out.values())

    def affiliations(self) -> list[Affiliation]:
        return self._entities("affiliations")

    def affiliations_of(self, member_id: str) -> list[Affiliation]:
        return self._entities(
            "affiliations", "person_id = ? OR organization_id = ?", (member_id, member_id)
        )

    def events(self) -> list[Event]:
        return self._entities("events")

    def event(self, event_id: str) -> Event | None:
        r = self.row("events", event_id)
        return FROM_ROW["events"](r) if r else None

    def attendance(self) -> list[Attendance]:
        return self._entities("attendance")

    def attendance_of_event(self, event_id: str) -> list[Attendance]:
        return self._entities("attendance", "event_id = ?", (event_id,))

    def attendance_of_member(self, member_id: str) -> list[Attendance]:
        return self._entities("attendance", "member_id = ?", (member_id,))

    def settings(self) -> dict[str, Any]:
        stored = {r["key"]: setting_value(r) for r in self.rows("settings")}
        return DEFAULT_SETTINGS | stored

    def setting(self, key: str, default: Any = None) -> Any:
        r = self.row("settings", key)
        if r is not None:
            return setting_value(r)
        return DEFAULT_SETTINGS.get(key, default)

    @property
    def name(self) -> str:
        return str(self.setting("name") or self.path.stem)

    def history(self) -> list[Row]:
        rows = self.rows("history")
        for r in rows:
            r["changes"] = json.loads(r["changes"])
        return rows

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self.conn.execute(sql).fetchone()[0])

        return {
            "members": one("SELECT count(*) FROM members"),
            "people": one("SELECT count(*) FROM members WHERE kind = 'person'"),
            "organizations": one("SELECT count(*) FROM members WHERE kind = 'organization'"),
            "relationships": one("SELECT count(*) FROM relationships"),
            "affiliations": one("SELECT count(*) FROM affiliations"),
            "events": one("SELECT count(*) FROM events"),
            "attendance": one("SELECT count(*) FROM attendance"),
            "history": one("SELECT count(*) FROM history"),
        }

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def integrity(self) -> str:
        """'ok' when SQLite's integrity and foreign-key checks both pass, else the first fault."""
        result = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return str(result)
        fk = self.conn.execute("PRAGMA foreign_key_check").fetchone()
        if fk is not None:
            return f"foreign key violation in {fk[0]} row {fk[1]} -> {fk[2]}"
        return "ok"

    def content_digest(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every document table (not history), sorted: for "is it identical?"."""
        tables = [*ENTITIES, "settings"]
        return {
            t: sorted(tuple(r) for r in self.conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in tables
        }

    def save_copy(self, dest: Path | str) -> None:
        """Write a compact copy (VACUUM INTO leaves freed pages with deleted data behind)."""
        dest = Path(dest)
        if dest.resolve() == self.path.resolve():
            # Replacing the open file would leave this connection writing to a deleted one.
            raise DocumentError(dest, "is the open document itself; choose another name")
        if dest.is_dir():
            raise DocumentError(dest, "is a folder")
        # Replacing a document another window is editing would pull it from under it.
        lock = DocumentLock(dest) if dest.exists() else None
        if lock is not None:
            lock.acquire()
        tmp = dest.with_name(f".{dest.name}.tmp")
        try:
            tmp.unlink(missing_ok=True)
            self.conn.execute("VACUUM INTO ?", (str(tmp),))
            tmp.replace(dest)
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            raise DocumentError(dest, f"cannot be written ({exc})") from exc
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DocumentError(dest, f"cannot be written ({exc.strerror})") from exc
        finally:
            if lock is not None:
                lock.release()


def changes_of(writes: Iterable[RowWrite]) -> Changes:
    """The Changes record for a sequence of row writes."""
    per: dict[str, dict[str, set[str]]] = {
        e: {"added": set(), "updated": set(), "removed": set()} for e in ENTITIES
    }
    positions: set[str] = set()
    settings: set[str] = set()
    for w in writes:
        if w.table == "settings":
            settings.add(w.key)
            continue
        bucket = per[w.table]
        key = w.key
        if w.before is None:
            bucket["removed"].discard(key)
            bucket["added"].add(key)
        elif w.after is None:
            if key in bucket["added"]:
                bucket["added"].discard(key)
            else:
                bucket["removed"].add(key)
            bucket["updated"].discard(key)
        else:
            changed = {c for c in w.after if w.before.get(c) != w.after[c]}
            if not changed:
                continue
            if w.table == "members" and changed <= POSITION_COLUMNS:
                positions.add(key)
            elif key not in bucket["added"]:
                bucket["updated"].add(key)
    parts = {
        e: EntityChanges(frozenset(b["added"]), frozenset(b["updated"]), frozenset(b["removed"]))
        for e, b in per.items()
    }
    positions -= parts["members"].added | parts["members"].removed
    return Changes(**parts, positions=frozenset(positions), settings=frozenset(settings))


def _conflict_text(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "the change refers to a member, tie or event that no longer exists"
    if "attendance.event_id" in text:
        return "that member is already recorded at that event"
    if "UNIQUE" in text or "PRIMARY KEY" in text:
        return f"an entry with that id already exists ({text})"
    return f"the document refused the change ({text})"


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
