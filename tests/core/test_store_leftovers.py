"""What a document leaves around it: temporaries of killed writers, upgrade backups, and what is
refused as a document (a FIFO, a folder, a device) before anything opens it."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core import schema
from weaver.core.commands import AddMember, new_member
from weaver.core.demo import write_demo
from weaver.core.errors import NotAWeaverDocument
from weaver.core.lockfile import lock_path
from weaver.core.store import Document

AS_OF = "2026-11-22"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _age(path: Path, seconds: float = 60) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


# ---- temporaries left by a writer that was killed ----------------------------------------


def _temporary(folder: Path, pid: int, tag: str, *, lock_host: str | None) -> list[Path]:
    """What ``weaver demo`` leaves when killed mid-write: the half-built document, its
    journal, and (while it was being written) its lock naming the writer."""
    base = folder / f".riverbend.weaver.{pid}.{tag}.tmp"
    journal = base.with_name(base.name + "-journal")
    base.write_bytes(b"SQLite format 3\x00 half a document")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 a journal")
    files = [base, journal]
    if lock_host is not None:
        info = {"pid": pid, "host": lock_host, "user": "x", "since": "?", "created": 1.0}
        lock_path(base).write_text(json.dumps(info), encoding="utf-8")
        files.append(lock_path(base))
    return files


def _write_demo(folder: Path) -> None:
    write_demo(folder / "riverbend.weaver", as_of=date.fromisoformat(AS_OF))


def _open_for_editing(folder: Path) -> None:
    with Document.open(folder / "network.weaver") as wb:
        AddMember(new_member("Ana")).apply(wb)


def _create(folder: Path) -> None:
    Document.create(folder / "new.weaver").close()


@pytest.mark.parametrize(
    "operation",
    [_write_demo, _open_for_editing, _create],
    ids=["weaver-demo", "open-for-editing", "create"],
)
def test_temporaries_of_a_killed_writer_are_removed_and_nothing_else(
    tmp_path: Path, operation: Callable[[Path], None]
) -> None:
    Document.create(tmp_path / "network.weaver").close()
    here = socket.gethostname()
    dead = _dead_pid()
    crashed = _temporary(tmp_path, dead, "0123abcd", lock_host=here)
    lockless_old = _temporary(tmp_path, dead, "4567ef01", lock_host=None)
    for file in lockless_old:
        _age(file)
    # Kept: its maker may still be between two steps (no lock says who it is).
    lockless_fresh = _temporary(tmp_path, dead, "89abcdef", lock_host=None)
    # Kept: a process with that pid is alive on this machine.
    live = _temporary(tmp_path, os.getpid(), "fedcba98", lock_host=here)
    # Kept: written from another computer on a shared folder, whose processes we cannot see.
    remote = _temporary(tmp_path, dead, "76543210", lock_host="someone-elses-laptop")
    unrelated = [tmp_path / ".notes.tmp", tmp_path / f".x.{dead}.not-hex.tmp"]
    for file in unrelated:
        file.write_text("not ours")

    operation(tmp_path)

    for file in crashed + lockless_old:
        assert not file.exists(), f"{file.name} was left behind"
    for file in lockless_fresh + live + remote + unrelated:
        assert file.exists(), f"{file.name} was removed while it may still be in use"


_RUN_WEAVER = "from weaver.cli import main; raise SystemExit(main())"


def _kill_demo_mid_write(path: Path) -> list[str]:
    """Run ``weaver demo`` in another process and kill it once its temporary document holds
    its lock (so the leftovers are the document, its lock and perhaps its journal)."""
    for _attempt in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", _RUN_WEAVER, "demo", str(path), "--as-of", AS_OF],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.endswith(".tmp.lock") for p in path.parent.iterdir()):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
        proc.wait(timeout=30)
        left = sorted(p.name for p in path.parent.iterdir() if p.name.startswith("."))
        if proc.returncode == -signal.SIGKILL and left:
            return left
        path.unlink(missing_ok=True)
    raise AssertionError("could not kill weaver demo while it was writing")


@pytest.mark.timeout(120)
def test_weaver_demo_removes_what_a_killed_weaver_demo_left(tmp_path: Path, capsys) -> None:
    path = tmp_path / "riverbend.weaver"
    left = _kill_demo_mid_write(path)
    assert any(name.endswith(".tmp.lock") for name in left), left
    assert not path.exists()
    assert main(["demo", str(path), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# ---- the backup made before an upgrade ---------------------------------------------------


def _version_zero_file(path: Path) -> None:
    """A Weaver file from before the first migration: marked, version 0, no tables."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


def _user_version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


def test_an_upgrade_never_runs_without_a_fresh_backup(tmp_path: Path) -> None:
    path = tmp_path / "network.weaver"
    earlier = tmp_path / "network.before-upgrade-v0.weaver"
    earlier.write_bytes(b"an earlier backup the user keeps")
    _version_zero_file(path)
    with Document.open(path) as book:
        assert book.schema_version() == schema.SCHEMA_VERSION
    assert earlier.read_bytes() == b"an earlier backup the user keeps", "never replaced"
    second = tmp_path / "network.before-upgrade-v0-2.weaver"
    assert _user_version(second) == 0
    with Document.open(second, readonly=True) as old:
        assert old.schema_version() == schema.SCHEMA_VERSION  # read through a private upgrade

    # The same document found old again (restored from elsewhere): a third backup.
    path.unlink()
    _version_zero_file(path)
    Document.open(path).close()
    assert _user_version(tmp_path / "network.before-upgrade-v0-3.weaver") == 0
    assert earlier.read_bytes() == b"an earlier backup the user keeps"
    assert not any(p.name.endswith(".lock") for p in tmp_path.iterdir())


# ---- what is not a regular file is refused before it is opened ----------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "network.weaver"
    os.mkfifo(path)
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("name\nAna\nBen\n", encoding="utf-8")
    return path


def _commands(document: Path, source: Path, out: Path) -> list[list[str]]:
    return [
        ["info", str(document)],
        ["info", str(document), "--json"],
        ["export", str(document), str(out)],
        ["import", str(document), str(source)],
        ["import", str(document), str(source), "--dry-run"],
    ]


def _refused_in_one_line(capsys, args: list[str], document: Path, reason: str) -> None:
    assert main(args) == 2, args
    captured = capsys.readouterr()
    assert captured.out == "", args
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert lines[0].startswith(f"weaver: {document}: ") and reason in lines[0], lines[0]


@pytest.mark.timeout(20)
def test_a_fifo_as_the_document_is_refused_at_once(
    fifo: Path, source: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "members.xlsx"
    for args in _commands(fifo, source, out):
        _refused_in_one_line(capsys, args, fifo, "is not a regular file but a named pipe (FIFO)")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.weaver", "people.csv"]


@pytest.mark.timeout(20)
def test_a_folder_as_the_document_is_refused(source: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "network.weaver"
    folder.mkdir()
    out = tmp_path / "members.xlsx"
    for args in _commands(folder, source, out):
        _refused_in_one_line(capsys, args, folder, "is a folder")
    assert not out.exists()
    assert list(folder.iterdir()) == []


@pytest.mark.timeout(20)
def test_workbook_open_refuses_special_files_before_opening_them(fifo: Path) -> None:
    for readonly in (True, False):
        with pytest.raises(NotAWeaverDocument, match="named pipe"):
            Document.open(fifo, readonly=readonly)
    assert not lock_path(fifo).exists()
    if Path("/dev/null").exists():
        with pytest.raises(NotAWeaverDocument, match="is not a regular file but a device"):
            Document.open("/dev/null", readonly=True)
