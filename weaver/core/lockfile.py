"""One writer per document: a lock file beside it, like office suites' "~$file".

SQLite's own locks last one transaction; this lock lasts while a window has the document
open, so a second window can be told to open read-only instead of silently interleaving
edits.

How it stays correct when many processes try at once:

- The lock file is never seen half-written: its content is written to a private temporary
  file that is then hard-linked to the lock's name, which fails if a lock already exists
  (where a file system has no hard links, and on Windows, which cannot remove an open file,
  the lock is created with ``O_EXCL`` and filled at once; an empty or unreadable lock is
  presumed mid-write until it is :data:`UNFINISHED_GRACE_S` old).
- The holder keeps an operating-system lock on the lock file for as long as it holds it
  (``flock`` on POSIX, a byte-range lock on Windows). The OS drops it when the process dies,
  so a busy OS lock means a live holder, and every decision about an existing lock file
  (take over, release) is made while holding that OS lock: two processes can never both
  judge the same stale lock and both take it over. (A file system without OS locks, such as
  a share with no lock service, leaves only the content to go by.)
- A lock whose OS lock is free is still respected when its content names a live process on
  this machine (a holder without OS locks) or another machine (whose processes cannot be
  checked from here). It is stale when its process is gone: its pid is dead, or now belongs
  to a process younger than the lock.
- ``release()`` removes the lock file only if it is still the one this lock wrote (same file,
  same random token).

Temporary files beside a document carry their maker's pid in their name
(:func:`temporary_sibling`), so the ones a killed process left behind can be recognised and
removed (:func:`sweep_abandoned_temporaries`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .errors import DocumentError, DocumentLocked, ReadOnlyDocument

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

log = logging.getLogger(__name__)

# An empty or unreadable lock file, or a temporary file whose maker left no lock, younger than
# this may belong to a writer between two steps: it is left alone until then.
UNFINISHED_GRACE_S = 5.0
# A busy lock whose content does not (yet) name a live holder is usually another process
# judging or taking over a stale lock at this moment: wait this long for it to settle.
_SETTLE_WAIT_S = 0.5
_SETTLE_STEP_S = 0.01
_MAX_LOCK_BYTES = 64 * 1024
# Windows locks byte ranges and enforces them on reads: lock one byte far past the content so
# that others can still read who holds the document.
_WINDOWS_LOCK_OFFSET = 1 << 30
# Windows cannot delete a file that is open: release closes it first, then deletes it.
_UNLINK_WHILE_OPEN = sys.platform != "win32"
_O_BINARY = getattr(os, "O_BINARY", 0)

_TEMPORARY_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.(?P<tag>[0-9a-f]{8})\.tmp")
_TEMPORARY_SIDE_FILES = ("", "-journal", ".lock")


def lock_path(document: Path) -> Path:
    return document.with_name(document.name + ".lock")


def temporary_sibling(path: Path) -> Path:
    """A unique hidden name beside ``path`` (``.NAME.PID.HEX.tmp``) to build a file in.

    The pid in the name lets :func:`sweep_abandoned_temporaries` tell a file whose maker was
    killed from one still being written.
    """
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _holder_text(info: dict[str, object]) -> str:
    if not info:
        return "by another program that is opening it right now"
    who = info.get("user") or "someone"
    host = info.get("host") or "another computer"
    since = info.get("since") or "?"
    return f"by {who} on {host} since {since}"


# ---- the operating system's lock on an open file ---------------------------------------------

if sys.platform == "win32":

    def _os_lock(fd: int) -> bool | None:
        """Take the OS lock without waiting: True taken, False busy, None not supported."""
        try:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        except OSError:
            return None
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def _os_unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _os_lock(fd: int) -> bool | None:
        """Take the OS lock without waiting: True taken, False busy, None not supported.

        ``flock`` (not ``lockf``): it belongs to this open file, so a second lock on the same
        document in the same process is refused too.
        """
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # e.g. ENOLCK on a network share without a lock service
            return None
        return True

    def _os_unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def _file_id(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def _is_file_at(fd: int, path: Path) -> bool:
    """Whether the open file ``fd`` is still the file named ``path`` (not removed or replaced)."""
    try:
        return _file_id(os.fstat(fd)) == _file_id(os.stat(path))
    except OSError:
        return False


def _read_text(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    size = 0
    while size < _MAX_LOCK_BYTES:
        chunk = os.read(fd, _MAX_LOCK_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _parse(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _write_all(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class DocumentLock:
    def __init__(self, document: Path) -> None:
        self.document = document
        self.path = lock_path(document)
        self._fd: int | None = None
        self._token = ""
        # The lock file this lock created but could not yet fill (file systems without hard
        # links): empty because it is ours, not because a writer crashed.
        self._created: tuple[int, int] | None = None
        self._no_hard_links = False

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Hold the lock, or raise :class:`DocumentLocked` naming who holds it."""
        if self._fd is not None:
            return
        self._token = secrets.token_hex(16)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": os.environ.get("USER") or os.environ.get("USERNAME") or "",
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            # Precise creation time: tells a live holder from a new process that was given
            # the same pid after a crash or a reboot.
            "created": time.time(),
            # Tells this lock from any other, so release() removes only its own.
            "token": self._token,
        }
        content = json.dumps(info).encode("utf-8")
        self._created = None
        deadline = time.monotonic() + _SETTLE_WAIT_S
        while True:
            try:
                holder, settled = self._attempt(content)
            except DocumentError:
                raise
            except OSError as exc:  # a full disk, a share that went away
                raise self._cannot_lock_here(exc) from exc
            if self._fd is not None:
                return
            if settled or time.monotonic() >= deadline:
                raise DocumentLocked(self.document, _holder_text(holder))
            time.sleep(_SETTLE_STEP_S)

    def release(self) -> None:
        """Give the lock up, removing the lock file only if it is still the one written here."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        ours = False
        try:
            ours = _is_file_at(fd, self.path) and _parse(_read_text(fd)).get("token") == (
                self._token
            )
            if ours and _UNLINK_WHILE_OPEN:
                # Still holding the OS lock: anyone who opened this file meanwhile finds it
                # gone once they get the OS lock, and starts again.
                self.path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove lock file %s", self.path, exc_info=True)
        finally:
            _os_unlock(fd)
            os.close(fd)
        if ours and not _UNLINK_WHILE_OPEN:
            # Fails (and the file stays) if another process opened it in the meantime.
            with contextlib.suppress(OSError):
                self.path.unlink()

    # ---- one try -------------------------------------------------------------------------

    def _attempt(self, content: bytes) -> tuple[dict[str, object], bool]:
        """Try once. Holds the lock on success; otherwise returns what the lock file says and
        whether that is settled (a live holder) or may change in a moment."""
        try:
            if self._create(content):
                return {}, True
        except FileExistsError:
            pass
        else:
            return {}, False  # our new lock is being judged by another process: try again
        fd, writable = self._open_existing()
        if fd is None:
            return {}, False  # released a moment ago
        keep = False
        try:
            os_locked = _os_lock(fd)
            info = _parse(_read_text(fd))
            if os_locked is False:
                # A live process holds the OS lock: its holder, or one judging a stale lock.
                return info, bool(info) and not self._is_stale(info, fd)
            if not _is_file_at(fd, self.path):
                return info, False  # removed or replaced while we opened it
            if self._is_stale(info, fd):
                keep = self._take_over(fd, content, writable)
                return {}, True
            return info, bool(info)
        finally:
            if not keep:
                os.close(fd)  # also drops the OS lock, if we took it

    def _create(self, content: bytes) -> bool:
        """Create the lock file, complete and OS-locked. True when held; False when made but
        not held yet; FileExistsError when a lock file exists."""
        if _UNLINK_WHILE_OPEN and hasattr(os, "link") and not self._no_hard_links:
            tmp = temporary_sibling(self.path)
            fd = self._open_new(tmp)
            try:
                _os_lock(fd)  # a private new file: nobody else can hold it
                _write_all(fd, content)
                try:
                    os.link(tmp, self.path)
                except FileExistsError:
                    raise
                except OSError:
                    self._no_hard_links = True  # e.g. FAT: create the lock directly
                else:
                    self._fd = fd
                    return True
            finally:
                tmp.unlink(missing_ok=True)
                if self._fd != fd:
                    os.close(fd)
        fd = self._open_new(self.path)
        try:
            self._created = _file_id(os.fstat(fd))
            if _os_lock(fd) is False:
                os.close(fd)
                return False
            _write_all(fd, content)
        except OSError:
            # Ours alone (made just now, still empty to anyone else): leave nothing behind.
            os.close(fd)
            self.path.unlink(missing_ok=True)
            raise
        self._fd = fd
        return True

    def _open_existing(self) -> tuple[int | None, bool]:
        """The existing lock file, open (None if it is gone), and whether it could be opened
        for writing (another user's file may be readable only: enough to see who holds it)."""
        denied: OSError | None = None
        for flags, writable in ((os.O_RDWR, True), (os.O_RDONLY, False)):
            try:
                return os.open(self.path, flags | _O_BINARY), writable
            except FileNotFoundError:
                return None, False
            except PermissionError as exc:
                denied = exc
            except OSError as exc:
                raise self._cannot_lock_here(exc) from exc
        assert denied is not None
        raise self._cannot_lock_here(denied)

    def _take_over(self, stale_fd: int, content: bytes, writable: bool) -> bool:
        """Put this lock in place of the stale one open as ``stale_fd``, whose OS lock is held
        (so no other process is taking it over now). True when ``stale_fd`` is kept as ours."""
        if writable:
            _write_all(stale_fd, content)
            self._fd = stale_fd
            return True
        # Another user's lock file, which we may not write: replace it whole, complete and
        # OS-locked (whoever waits for the old file's OS lock then finds it replaced).
        tmp = temporary_sibling(self.path)
        fd = self._open_new(tmp)
        try:
            _os_lock(fd)
            _write_all(fd, content)
            os.replace(tmp, self.path)
        except OSError:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        self._fd = fd
        return False

    def _open_new(self, path: Path) -> int:
        try:
            return os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR | _O_BINARY, 0o644)
        except FileExistsError:
            raise
        except OSError as exc:
            raise self._cannot_lock_here(exc) from exc

    def _cannot_lock_here(self, exc: OSError) -> ReadOnlyDocument:
        # A read-only folder (a shared drive, a mounted image): no one can write here.
        return ReadOnlyDocument(
            self.document,
            f"cannot be edited: no lock file can be made beside it ({exc.strerror}); "
            "it can be opened read-only",
        )

    def _is_stale(self, info: dict[str, object], fd: int) -> bool:
        """Whether the lock file open as ``fd`` (content ``info``) may be taken over."""
        if not info:
            try:
                stat = os.fstat(fd)
            except OSError:
                return False
            if _file_id(stat) == self._created:
                return True  # the lock file this lock made, not filled yet
            # Empty or unreadable: its writer may be between creating and filling it (where
            # there are no hard links); only an old one was left by a crash.
            return time.time() - stat.st_mtime > UNFINISHED_GRACE_S
        if info.get("host") != socket.gethostname():
            return False  # cannot check a process on another machine; assume alive
        pid = info.get("pid")
        if not isinstance(pid, int) or not pid_alive(pid):
            return True
        created = info.get("created")
        started = _process_started(pid)
        # A process younger than the lock cannot have made it: its pid was reused.
        return isinstance(created, int | float) and started is not None and started > created + 2


def _process_started(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds), where the system tells (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        # Fields after the command name (which may hold spaces or ')'): starttime is 22nd.
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        return time.time() - uptime + start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


# ---- temporaries left by a killed process --------------------------------------------------


def sweep_abandoned_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed Weaver process left in ``folder``; return them.

    A temporary (``.NAME.PID.HEX.tmp``, with its ``-journal`` and ``.lock``) is abandoned
    when its maker is gone: no process has its pid on this machine, and either its lock can
    be taken over (its owner is dead; a lock from another machine is respected) or, with no
    lock, it is older than :data:`UNFINISHED_GRACE_S`. Anything in doubt is kept; nothing
    here raises.
    """
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    groups: dict[str, int] = {}
    for name in names:
        match = _TEMPORARY_NAME.match(name)
        if match and name[match.end() :] in _TEMPORARY_SIDE_FILES:
            groups[name[: match.end()]] = int(match["pid"])
    removed: list[Path] = []
    for base, pid in sorted(groups.items()):
        if pid_alive(pid):
            continue  # its maker (or a process on this machine with its pid) may be writing it
        with contextlib.suppress(OSError, DocumentError):
            removed += _remove_temporary(folder / base)
    if removed:
        log.info("removed temporary files left by a process that is gone: %s", removed)
    return removed


def _remove_temporary(base: Path) -> list[Path]:
    files = [base.with_name(base.name + side) for side in ("", "-journal")]
    lock = DocumentLock(base)
    if lock.path.exists():
        lock.acquire()  # refuses while its owner may be alive
        try:
            present = [file for file in files if file.exists()]
            for file in present:
                file.unlink()
        finally:
            lock.release()
        return [*present, lock.path]
    now = time.time()
    present = [file for file in files if file.exists()]
    if any(now - file.stat().st_mtime <= UNFINISHED_GRACE_S for file in present):
        return []
    for file in present:
        file.unlink(missing_ok=True)
    return present


def live_holder(document: Path) -> str | None:
    """Who has ``document`` open for editing now ("by … on … since …"), or None: no lock
    beside it, or one left by a crashed process (which the next writer takes over). Used by
    every output writer to refuse a destination that is an open document."""
    path = lock_path(document)
    try:
        fd = os.open(path, os.O_RDONLY | _O_BINARY)
    except (FileNotFoundError, NotADirectoryError):  # no lock, or no such folder
        return None
    except OSError:
        return _holder_text({})  # there, but unreadable: treat it as held
    try:
        info = _parse(_read_text(fd))
        taken = _os_lock(fd)
        if taken is False:
            return _holder_text(info)  # a live process holds the OS lock
        if taken:
            _os_unlock(fd)
        return None if DocumentLock(document)._is_stale(info, fd) else _holder_text(info)
    finally:
        os.close(fd)
