"""One writer per document: a lock file beside it, like office suites' "~$file".

SQLite's own locks last one transaction; this lock lasts while a window has the document
open, so a second window can be told to open read-only instead of silently interleaving
edits. A lock left by a crashed process on this machine is detected (its pid is gone, or now
belongs to a process younger than the lock) and taken over.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from .errors import DocumentLocked, ReadOnlyDocument


def lock_path(document: Path) -> Path:
    return document.with_name(document.name + ".lock")


def _pid_alive(pid: int) -> bool:
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
    who = info.get("user") or "someone"
    host = info.get("host") or "another computer"
    since = info.get("since") or "?"
    return f"by {who} on {host} since {since}"


class DocumentLock:
    def __init__(self, document: Path) -> None:
        self.document = document
        self.path = lock_path(document)
        self._held = False

    def acquire(self) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": os.environ.get("USER") or os.environ.get("USERNAME") or "",
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            # Precise creation time: tells a live holder from a new process that was given
            # the same pid after a crash or a reboot.
            "created": time.time(),
        }
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._is_stale():
                    self.path.unlink(missing_ok=True)
                    continue
                raise DocumentLocked(self.document, _holder_text(self._read())) from None
            except OSError as exc:
                # A read-only folder (a shared drive, a mounted image): no one can write here.
                raise ReadOnlyDocument(
                    self.document,
                    f"cannot be edited: no lock file can be made beside it ({exc.strerror}); "
                    "it can be opened read-only",
                ) from exc
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(info, f)
            self._held = True
            return
        raise DocumentLocked(self.document, _holder_text(self._read()))

    def release(self) -> None:
        if self._held:
            self.path.unlink(missing_ok=True)
            self._held = False

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _is_stale(self) -> bool:
        info = self._read()
        if not info:
            # Empty or unreadable: a writer crashed between creating and filling it.
            return True
        if info.get("host") != socket.gethostname():
            return False  # cannot check a process on another machine; assume alive
        pid = info.get("pid")
        if not isinstance(pid, int) or not _pid_alive(pid):
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
