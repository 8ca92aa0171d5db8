"""Destinations no writer may touch (issue 11), shared by tests/core and tests/ui.

Each trap is a place a user could name by mistake as the file to write: the document itself,
another document, a file open in a window, a document's lock or journal, a folder, a FIFO, a
folder that is missing or cannot be written. A writer handed one must refuse it and leave every
byte (and every modification time) as it was, with no temporary file behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from weaver.core.lockfile import DocumentLock, lock_path

TRAPS = (
    "the document itself",
    "another document",
    "a locked document",
    "a locked file",
    "a lock file",
    "a journal",
    "a folder",
    "a fifo",
    "a missing folder",
    "a read-only folder",
    "an unwritable folder",
)
# Traps whose name is fixed (the document, a lock, a journal): the file name asked for is
# ignored, so a writer may refuse them for their extension before it looks any further.
FIXED_NAME = {"the document itself", "a lock file", "a journal"}
# Root may write anywhere os.access can see; sysfs still refuses new files (EACCES), which is
# what a read-only share looks like to a writer.
UNWRITABLE = Path("/sys")


@dataclass
class Trap:
    kind: str
    path: Path
    watched: list[Path]  # folders whose every entry must stay as it was


def make_trap(
    kind: str, document: Path, folder: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> Trap:
    """Lay the trap ``kind`` in ``folder`` under ``name`` (when its name is free)."""
    folder.mkdir(exist_ok=True)
    watched = [document.parent, folder]
    if kind == "the document itself":
        path = document
    elif kind == "another document":
        path = folder / name
        shutil.copyfile(document, path)
    elif kind == "a locked document":
        path = folder / name
        shutil.copyfile(document, path)
        DocumentLock(path).acquire()  # held by this (live) process: a window has it open
    elif kind == "a locked file":
        path = folder / name
        path.write_bytes(b"someone else's file\n")
        DocumentLock(path).acquire()
    elif kind == "a lock file":
        held = folder / "held.weaver"
        shutil.copyfile(document, held)
        DocumentLock(held).acquire()
        path = lock_path(held)
    elif kind == "a journal":
        held = folder / "held.weaver"
        shutil.copyfile(document, held)
        path = held.with_name(held.name + "-journal")
        path.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    elif kind == "a folder":
        path = folder / name
        path.mkdir()
        (path / "inside.txt").write_text("kept\n", encoding="utf-8")
    elif kind == "a fifo":
        path = folder / name
        os.mkfifo(path)
    elif kind == "a missing folder":
        path = folder / "missing" / name
    elif kind == "a read-only folder":
        read_only = folder / "read-only"
        read_only.mkdir()
        real_access = os.access

        def access(p, mode, *args, **kwargs) -> bool:
            if Path(p) == read_only and mode & os.W_OK:
                return False
            return real_access(p, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        path = read_only / name
    elif kind == "an unwritable folder":
        if not sys.platform.startswith("linux") or not UNWRITABLE.is_dir():
            pytest.skip("needs Linux's /sys")
        path = UNWRITABLE / f"weaver-test-{name}"
        watched = [document.parent]
    else:
        raise AssertionError(kind)
    return Trap(kind, path, watched)


def snapshot(folders: list[Path]) -> dict[str, tuple]:
    """Every entry under ``folders``: its type, size, modification time and content digest."""
    seen: dict[str, tuple] = {}
    for folder in folders:
        for path in sorted([folder, *folder.rglob("*")]):
            info = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            seen[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return seen


def assert_untouched(trap: Trap, before: dict[str, tuple]) -> None:
    assert snapshot(trap.watched) == before
    if trap.kind == "an unwritable folder":
        assert not list(UNWRITABLE.glob("*weaver-test*"))


def one_refusal(captured) -> str:  # captured: pytest's CaptureResult
    """The single ``weaver: …`` line of a refusal (exit 2), with nothing on stdout."""
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("weaver: ") and "Traceback" not in captured.err
    return lines[0]
