"""One writer per document: a lock file beside it, like office suites' "~$file".

SQLite's own locks last one transaction; this lock lasts while a window has the document
open, so a second window can be told to open read-only instead of silently interleaving
edits. A lock left by a crashed process on this machine is detected (its pid is gone) and
taken over.
"""

from __future__ import annotations

import json
import os
import socket
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
        return not isinstance(pid, int) or not _pid_alive(pid)
