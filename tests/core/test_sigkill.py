"""Killing a writer with SIGKILL at random moments never leaves a half-written document."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from weaver.core.lockfile import lock_path
from weaver.core.store import Document
from weaver.core.synthetic import write_synthetic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WRITER = Path(__file__).with_name("sigkill_writer.py")
ROUNDS = 30
GROUP_SIZE = 5  # sigkill_writer.GROUP_SIZE


def _tag_counts(wb: Document, round_no: int) -> dict[str, tuple[int, int, int, int]]:
    """Per transaction tag of this round: (members, events, attendance, relationships)."""
    prefix = f"r{round_no}-t"
    counts: dict[str, list[int]] = {}

    def bump(tag: str, slot: int) -> None:
        counts.setdefault(tag, [0, 0, 0, 0])[slot] += 1

    for m in wb.members():
        if m.custom.get("tx", "").startswith(prefix):
            bump(m.custom["tx"], 0)
    events = {e.id: e.notes for e in wb.events() if e.notes.startswith(prefix)}
    for tag in events.values():
        bump(tag, 1)
    for a in wb.attendance():
        if a.event_id in events:
            bump(events[a.event_id], 2)
    for r in wb.relationships():
        if r.notes.startswith(prefix):
            bump(r.notes, 3)
    return {tag: tuple(c) for tag, c in counts.items()}  # type: ignore[misc]


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _is_hot(journal: Path) -> bool:
    """A rollback journal still holding a change to undo (SQLite zeroes or deletes it after)."""
    try:
        with journal.open("rb") as f:
            return f.read(8) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False


def _start_writer(path: Path, round_no: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(round_no)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise AssertionError(f"writer did not start: {line!r} {proc.stderr.read()[-2000:]}")
    return proc


def test_sigkill_at_random_moments_leaves_whole_transactions(tmp_path):
    path = tmp_path / "crash.weaver"
    write_synthetic(path, 20, seed=2)
    rng = random.Random(20261122)
    interrupted = 0
    committed_total = 0
    started = time.monotonic()

    for round_no in range(ROUNDS):
        proc = _start_writer(path, round_no)
        time.sleep(rng.uniform(0.0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
        assert proc.returncode == -signal.SIGKILL

        assert lock_path(path).exists(), "the killed writer's lock is left behind"
        journal = path.with_name(path.name + "-journal")
        if _is_hot(journal):
            interrupted += 1

        # A reader sees the last committed state without touching the file (even with a
        # hot journal left by the crash).
        before = path.read_bytes()
        with Document.open(path, readonly=True) as viewer:
            seen = viewer.content_digest()
        assert path.read_bytes() == before

        # The stale lock is detected and taken over by the next writer.
        with Document.open(path) as wb:
            assert wb.integrity() == "ok"
            assert wb.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert wb.conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert wb.content_digest() == seen

            counts = _tag_counts(wb, round_no)
            whole = (GROUP_SIZE, 1, GROUP_SIZE, GROUP_SIZE)
            partial = {tag: c for tag, c in counts.items() if c != whole}
            assert not partial, f"round {round_no}: half-written transactions {partial}"
            last = wb.setting(f"last_r{round_no}")
            expected = set() if last is None else {f"r{round_no}-t{n}" for n in range(last + 1)}
            assert set(counts) == expected, f"round {round_no}: settings and rows disagree"
            committed_total += len(counts)
        assert not lock_path(path).exists()
        assert not _is_hot(journal), "the writable opening rolled the crash back"

    elapsed = time.monotonic() - started
    assert committed_total > 0, "no transaction ever committed: the test proves nothing"
    assert interrupted > 0, "no kill landed inside a transaction: the test proves nothing"
    assert elapsed < 120
