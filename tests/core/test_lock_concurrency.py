"""The document lock under real concurrency: many processes at once, stale take-overs, release.

Each test starts its processes together (forked, so starting 200 is cheap) and has them race
for the same document's lock. What must hold: never two holders at once; of many processes
that see the same stale lock exactly one takes it over; and a process releases only the lock
it wrote.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from weaver.core import lockfile
from weaver.core.errors import DocumentLocked
from weaver.core.lockfile import DocumentLock, lock_path
from weaver.core.store import Document

if "fork" not in multiprocessing.get_all_start_methods():
    pytest.skip("needs fork to start hundreds of processes quickly", allow_module_level=True)

CTX = multiprocessing.get_context("fork")
# 200 processes in all, racing in rounds: the dangerous moment is the first instant of a race
# (everyone finds no lock, or the same stale one), so several rounds test it several times.
ROUNDS = 8
PER_ROUND = 25
START_TIMEOUT_S = 30


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(params=["hard-links", "no-hard-links"])
def links(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a lock file is made: published complete with a hard link, or (on file
    systems without hard links, such as FAT on a USB stick) created empty and then filled."""
    if request.param == "no-hard-links":

        def no_link(*args: object, **kwargs: object) -> None:
            raise PermissionError(1, "Operation not permitted")  # what vfat answers

        monkeypatch.setattr(lockfile.os, "link", no_link)  # forked processes inherit it
    return str(request.param)


def _stale_lock(document: Path) -> dict[str, object]:
    """A lock left by a crashed writer on this machine: its process is gone."""
    info = {
        "pid": _dead_pid(),
        "host": socket.gethostname(),
        "user": "crashed",
        "since": "2026-01-01 09:00 UTC",
        "created": time.time() - 3600,
    }
    lock_path(document).write_text(json.dumps(info), encoding="utf-8")
    return info


class Race:
    """Counters shared by the racing processes."""

    def __init__(self) -> None:
        self.start = CTX.Event()
        self.holders = CTX.Value("i", 0)  # how many hold the lock right now
        self.most_holders = CTX.Value("i", 0)  # the most that ever held it at once
        self.successes = CTX.Value("i", 0)
        self.tried = CTX.Value("i", 0)  # how many have finished their attempt
        self.errors = CTX.Value("i", 0)  # anything but DocumentLocked

    def run(self, target, document: Path, n: int) -> None:
        procs = [CTX.Process(target=target, args=(self, document, n)) for _ in range(n)]
        for proc in procs:
            proc.start()
        self.start.set()
        deadline = time.monotonic() + START_TIMEOUT_S
        for proc in procs:
            proc.join(max(0.1, deadline - time.monotonic()))
        stuck = [proc for proc in procs if proc.is_alive()]
        for proc in stuck:
            proc.kill()
            proc.join()
        assert not stuck, f"{len(stuck)} processes did not finish"
        assert all(proc.exitcode == 0 for proc in procs)
        assert self.errors.value == 0

    def enter(self) -> None:
        with self.holders.get_lock():
            self.holders.value += 1
            self.most_holders.value = max(self.most_holders.value, self.holders.value)
        with self.successes.get_lock():
            self.successes.value += 1

    def leave(self) -> None:
        with self.holders.get_lock():
            self.holders.value -= 1

    def done_trying(self) -> None:
        with self.tried.get_lock():
            self.tried.value += 1

    def wait_until_all_tried(self, n: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.tried.value < n and time.monotonic() < deadline:
            time.sleep(0.005)


def _hold_briefly(race: Race, document: Path, n: int) -> None:
    race.start.wait(START_TIMEOUT_S)
    lock = DocumentLock(document)
    try:
        lock.acquire()
    except DocumentLocked:
        return
    except Exception:
        with race.errors.get_lock():
            race.errors.value += 1
        raise
    race.enter()
    time.sleep(0.002)
    race.leave()
    lock.release()


def _hold_until_all_tried(race: Race, document: Path, n: int) -> None:
    race.start.wait(START_TIMEOUT_S)
    lock = DocumentLock(document)
    try:
        lock.acquire()
    except DocumentLocked:
        race.done_trying()
        return
    except Exception:
        with race.errors.get_lock():
            race.errors.value += 1
        raise
    race.enter()
    race.done_trying()
    race.wait_until_all_tried(n)  # keep it while every other process tries
    race.leave()
    lock.release()


def _open_until_all_tried(race: Race, document: Path, n: int) -> None:
    """The same through Document.open, as two ``weaver import`` runs of one document do."""
    race.start.wait(START_TIMEOUT_S)
    try:
        wb = Document.open(document)
    except DocumentLocked:
        race.done_trying()
        return
    except Exception:
        with race.errors.get_lock():
            race.errors.value += 1
        raise
    race.enter()
    race.done_trying()
    race.wait_until_all_tried(n)
    race.leave()
    wb.close()


@pytest.mark.timeout(60)
def test_200_processes_acquiring_at_once_never_hold_it_together(tmp_path: Path, links: str) -> None:
    document = tmp_path / "network.weaver"
    for round_no in range(ROUNDS):
        race = Race()
        race.run(_hold_briefly, document, PER_ROUND)
        assert race.successes.value >= 1
        assert race.most_holders.value == 1, f"round {round_no}: two held the lock at once"
        assert not lock_path(document).exists(), "the last holder removed its lock"
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "no temporary file is left"


@pytest.mark.timeout(60)
def test_while_one_of_200_processes_holds_the_lock_none_of_the_others_gets_it(
    tmp_path: Path,
    links: str,
) -> None:
    document = tmp_path / "network.weaver"
    for round_no in range(ROUNDS):
        race = Race()
        race.run(_hold_until_all_tried, document, PER_ROUND)
        assert race.successes.value == 1, f"round {round_no}: {race.successes.value} holders"
        assert not lock_path(document).exists()


@pytest.mark.timeout(60)
def test_of_many_processes_that_find_the_same_stale_lock_exactly_one_takes_it_over(
    tmp_path: Path,
    links: str,
) -> None:
    document = tmp_path / "network.weaver"
    for round_no in range(ROUNDS):
        _stale_lock(document)
        race = Race()
        race.run(_hold_until_all_tried, document, PER_ROUND)
        assert race.successes.value == 1, f"round {round_no}: {race.successes.value} holders"
        assert not lock_path(document).exists()


@pytest.mark.timeout(60)
def test_concurrent_writers_of_one_document_are_refused_but_one(tmp_path: Path) -> None:
    document = tmp_path / "network.weaver"
    Document.create(document, name="Shared").close()
    _stale_lock(document)  # and a crashed writer before them
    race = Race()
    race.run(_open_until_all_tried, document, 40)
    assert race.successes.value == 1
    assert not lock_path(document).exists()


# ---- release() removes only its own lock ------------------------------------------------------


def _hold_until_told(document: Path, held, release) -> None:  # type: ignore[no-untyped-def]
    lock = DocumentLock(document)
    lock.acquire()
    held.set()
    release.wait(START_TIMEOUT_S)
    lock.release()


def _holder_process(document: Path):  # type: ignore[no-untyped-def]
    held, release = CTX.Event(), CTX.Event()
    proc = CTX.Process(target=_hold_until_told, args=(document, held, release))
    proc.start()
    assert held.wait(START_TIMEOUT_S)
    return proc, release


def test_release_keeps_a_lock_made_after_its_own_was_removed(tmp_path: Path) -> None:
    document = tmp_path / "network.weaver"
    proc, release = _holder_process(document)
    lock_path(document).unlink()  # removed by hand (or by a tool) while the holder runs
    mine = DocumentLock(document)
    mine.acquire()  # a new lock file: now this process holds the document
    release.set()
    proc.join(START_TIMEOUT_S)
    assert proc.exitcode == 0
    assert lock_path(document).exists(), "the first holder deleted a lock it no longer owned"
    assert json.loads(lock_path(document).read_text(encoding="utf-8"))["pid"] == os.getpid()
    with pytest.raises(DocumentLocked):
        DocumentLock(document).acquire()
    mine.release()
    assert not lock_path(document).exists()


def test_release_keeps_a_lock_another_writer_has_taken_over(tmp_path: Path) -> None:
    document = tmp_path / "network.weaver"
    proc, release = _holder_process(document)
    # A writer that cannot see this machine's OS locks (another computer on a share) judged
    # the lock stale and wrote its own into the same file.
    theirs = {"pid": 4242, "host": "someone-elses-laptop", "user": "dana", "since": "now"}
    lock_path(document).write_text(json.dumps(theirs), encoding="utf-8")
    release.set()
    proc.join(START_TIMEOUT_S)
    assert proc.exitcode == 0
    assert json.loads(lock_path(document).read_text(encoding="utf-8")) == theirs
    with pytest.raises(DocumentLocked, match="dana on someone-elses-laptop"):
        DocumentLock(document).acquire()


def test_a_killed_holder_is_taken_over_at_once_and_a_live_one_never(tmp_path: Path) -> None:
    document = tmp_path / "network.weaver"
    proc, _release = _holder_process(document)
    with pytest.raises(DocumentLocked, match=socket.gethostname()):
        DocumentLock(document).acquire()
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(START_TIMEOUT_S)
    lock = DocumentLock(document)
    lock.acquire()
    assert json.loads(lock_path(document).read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()


def test_a_fresh_empty_lock_is_presumed_mid_write_not_stale(tmp_path: Path, links: str) -> None:
    """An empty lock file may be one whose writer has not filled it yet: taking it over
    would give the document two writers. Only an old empty one was left by a crash."""
    document = tmp_path / "network.weaver"
    lock_path(document).write_bytes(b"")
    with pytest.raises(DocumentLocked):
        DocumentLock(document).acquire()
    assert lock_path(document).read_bytes() == b""
    past = time.time() - 60
    os.utime(lock_path(document), (past, past))
    lock = DocumentLock(document)
    lock.acquire()
    assert json.loads(lock_path(document).read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()
    assert not lock_path(document).exists()


def test_a_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    document = tmp_path / "network.weaver"
    first = DocumentLock(document)
    first.acquire()
    with pytest.raises(DocumentLocked):
        DocumentLock(document).acquire()
    first.release()
    second = DocumentLock(document)
    second.acquire()
    second.release()


def test_a_stale_lock_file_we_may_not_write_is_replaced_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user's lock file (mode 0644, theirs) can be read but not written: a stale one
    is replaced by a new file; a live one is still reported with its holder."""
    document = tmp_path / "network.weaver"
    _stale_lock(document)
    real_open = os.open

    def not_ours(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == lock_path(document) and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(lockfile.os, "open", not_ours)
    stale_inode = lock_path(document).stat().st_ino
    lock = DocumentLock(document)
    lock.acquire()
    assert lock_path(document).stat().st_ino != stale_inode
    assert json.loads(lock_path(document).read_text(encoding="utf-8"))["pid"] == os.getpid()
    with pytest.raises(DocumentLocked, match=socket.gethostname()):
        DocumentLock(document).acquire()
    lock.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
