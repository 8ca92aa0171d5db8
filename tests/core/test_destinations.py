"""Issue 11: no output may overwrite a document; every writer checks its destination.

``check_destination`` is the one rule; every command that writes a file is run here against
every trap (tests/destination_traps.py) and must refuse it with exit 2, one line on stderr,
nothing on stdout, and every byte, modification time and folder listing unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core import destination
from weaver.core.destination import atomic_path, check_destination, new_file_mode
from weaver.core.errors import RefusedDestination
from weaver.core.lockfile import DocumentLock, lock_path
from weaver.core.store import Document

from ..destination_traps import (
    FIXED_NAME,
    TRAPS,
    UNWRITABLE,
    assert_untouched,
    make_trap,
    one_refusal,
    snapshot,
)
from .test_io_support import small_network


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "net.weaver"
    small_network(path).close()
    return path


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# ---- every command that writes, against every trap ----------------------------------------

# (name, the file name a trap takes, argv for a destination, files written for a destination)
EXPORTS = [(f"export --format {f}", ".xlsx", f) for f in ("weaver", "members", "kumu")] + [
    ("export --format nodes-edges", ".xlsx", "nodes-edges"),
    ("export --format gexf", ".gexf", "gexf"),
    ("export --format graphml", ".graphml", "graphml"),
    ("export (member list .csv)", ".csv", None),
]


def _export_argv(fmt: str | None):
    def argv(doc: Path, dest: Path) -> list[str]:
        return ["export", str(doc), str(dest), *(["--format", fmt] if fmt else [])]

    return argv


def _pair_argv(doc: Path, trap: Path) -> list[str]:
    # The trap lies where the second file of the pair goes (DEST-edges.csv): the first one,
    # already begun, must be discarded too.
    dest = trap.with_name(trap.name.replace("-edges.csv", ".csv"))
    return ["export", str(doc), str(dest), "--format", "nodes-edges"]


COMMANDS = {
    **{name: (f"out{suffix}", _export_argv(fmt)) for name, suffix, fmt in EXPORTS},
    "export --format nodes-edges (two .csv)": ("out-edges.csv", _pair_argv),
    "report --out .xlsx": (
        "report.xlsx",
        lambda doc, dest: ["report", str(doc), "--out", str(dest)],
    ),
    "report --out .pdf": ("report.pdf", lambda doc, dest: ["report", str(doc), "--out", str(dest)]),
    "demo --force": ("demo.weaver", lambda doc, dest: ["demo", str(dest), "--force"]),
}
# Writing a document on purpose may replace an unlocked document (that is what --force is
# for): test_demo_force_replaces_only_an_unlocked_document.
ALLOWED = {("demo --force", "the document itself"), ("demo --force", "another document")}


@pytest.mark.parametrize(
    "command, kind",
    [(c, k) for c in COMMANDS for k in TRAPS if (c, k) not in ALLOWED],  # ALLOWED: see below
)
def test_every_writer_refuses_every_trap(
    command: str, kind: str, doc: Path, tmp_path: Path, capfd, monkeypatch
) -> None:
    name, argv = COMMANDS[command]
    trap = make_trap(kind, doc, tmp_path / "dest", name, monkeypatch)
    before = snapshot(trap.watched)
    capfd.readouterr()
    assert main(argv(doc, trap.path)) == 2
    line = one_refusal(capfd.readouterr())
    if kind not in FIXED_NAME:
        assert trap.path.name in line or trap.path.parent.name in line
    assert_untouched(trap, before)


def test_demo_force_replaces_only_an_unlocked_document(doc: Path, tmp_path: Path, capfd) -> None:
    other = tmp_path / "other.weaver"
    shutil.copyfile(doc, other)
    assert main(["demo", str(other), "--force", "--as-of", "2026-11-22"]) == 0
    with Document.open(other, readonly=True) as wb:
        assert wb.counts()["members"] > 100
    assert not lock_path(other).exists()


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_onto_the_document_itself_names_the_reason(doc: Path, capfd, fmt: str) -> None:
    """The issue's own example: this used to exit 0 and replace the network with a GEXF file."""
    before = doc.read_bytes()
    assert main(["export", str(doc), str(doc), "--format", fmt]) == 2
    line = one_refusal(capfd.readouterr())
    assert (
        line == f"weaver: {doc}: is a Weaver document and would be replaced; choose a new "
        "name (or delete the old file first)"
    )
    assert doc.read_bytes() == before


def test_a_report_into_an_unwritable_folder_is_one_line(doc: Path, tmp_path: Path) -> None:
    """It used to print ~250 'QPainter … not active' lines before its message. Qt writes them
    itself (and pytest-qt would swallow them in-process): run the real command."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WEAVER_LOG_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "weaver", "report", str(doc), "--out", f"{UNWRITABLE}/r.pdf"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"weaver: {UNWRITABLE}/r.pdf: cannot be written: no file can be made in folder "
        f"{UNWRITABLE} (Permission denied)"
    ] or done.stderr.splitlines() == [
        f"weaver: {UNWRITABLE}/r.pdf: cannot be written: folder {UNWRITABLE} is read-only "
        "(or not yours to write in)"
    ]  # root (os.access says yes, creating the file fails) or any other user


# ---- the files written follow the umask ---------------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exports_and_reports_get_the_umask_mode(
    doc: Path, tmp_path: Path, capfd, umask: int, mode: int
) -> None:
    old = os.umask(umask)
    try:
        outputs = [tmp_path / "out.gexf", tmp_path / "out.xlsx", tmp_path / "report.xlsx"]
        assert main(["export", str(doc), str(outputs[0])]) == 0
        assert main(["export", str(doc), str(outputs[1]), "--format", "kumu"]) == 0
        assert main(["report", str(doc), "--out", str(outputs[2])]) == 0
        pair = tmp_path / "pair.csv"
        assert main(["export", str(doc), str(pair), "--format", "nodes-edges"]) == 0
        outputs += [tmp_path / "pair-nodes.csv", tmp_path / "pair-edges.csv"]
        with Document.open(doc, readonly=True) as wb:
            wb.save_copy(tmp_path / "copy.weaver")
        outputs.append(tmp_path / "copy.weaver")
    finally:
        os.umask(old)
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in outputs} == {
        p.name: oct(mode) for p in outputs
    }
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_umask_is_read_without_proc(monkeypatch, umask_022) -> None:
    def no_proc(*args, **kwargs):
        raise OSError("no /proc here")

    monkeypatch.setattr(destination, "open", no_proc, raising=False)
    assert new_file_mode() == 0o644
    assert os.umask(0o022) == 0o022  # and the umask is left as it was


# ---- check_destination, rule by rule --------------------------------------------------------


def test_a_plain_new_or_existing_file_may_be_written(tmp_path: Path) -> None:
    assert check_destination(tmp_path / "new.xlsx") == (tmp_path / "new.xlsx").resolve()
    plain = tmp_path / "old.gexf"
    plain.write_text("<gexf/>", encoding="utf-8")
    assert check_destination(plain) == plain.resolve()
    other_sqlite = tmp_path / "other.db"
    sqlite3.connect(other_sqlite).execute("CREATE TABLE t (x)").connection.close()
    assert check_destination(other_sqlite) == other_sqlite  # SQLite, but not Weaver's


def test_a_document_is_told_by_its_content_and_by_its_name(doc: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "members.xlsx"
    shutil.copyfile(doc, disguised)
    with pytest.raises(RefusedDestination, match="is a Weaver document"):
        check_destination(disguised)
    named = tmp_path / "empty.weaver"
    named.touch()
    with pytest.raises(RefusedDestination, match="is a Weaver document"):
        check_destination(named)
    assert check_destination(tmp_path / "new.weaver") == tmp_path / "new.weaver"
    assert check_destination(disguised, may_replace_document=True) == disguised


def test_the_source_document_is_refused_by_identity(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"  # identity, not content: whatever the file holds
    source.write_text("x", encoding="utf-8")
    alias = tmp_path / "alias.txt"
    os.link(source, alias)
    for spelled in (source, alias, tmp_path / "." / "notes.txt"):
        with pytest.raises(RefusedDestination, match="is the open document itself"):
            check_destination(spelled, source=source)


@pytest.mark.parametrize("suffix", [".lock", "-journal", "-wal", "-shm"])
def test_a_documents_companion_files_are_refused(doc: Path, tmp_path: Path, suffix: str) -> None:
    # By name, existing or not, even with --force's permission to replace a document.
    with pytest.raises(RefusedDestination, match=r"of the Weaver document net\.weaver"):
        check_destination(doc.with_name(doc.name + suffix), may_replace_document=True)
    disguised = tmp_path / "book.xlsx"  # a document under another name: found by content
    shutil.copyfile(doc, disguised)
    with pytest.raises(RefusedDestination, match=r"of the Weaver document book\.xlsx"):
        check_destination(disguised.with_name(disguised.name + suffix))
    # Not a document's: an ordinary name that happens to end so.
    plain = tmp_path / "notes"
    plain.write_text("x", encoding="utf-8")
    assert check_destination(tmp_path / f"notes{suffix}") == tmp_path / f"notes{suffix}"


def test_a_live_lock_refuses_and_a_stale_one_does_not(tmp_path: Path) -> None:
    shared = tmp_path / "shared.xlsx"
    shared.write_bytes(b"PK")
    lock = DocumentLock(shared)
    lock.acquire()
    try:
        with pytest.raises(RefusedDestination, match="is open for editing"):
            check_destination(shared, may_replace_document=True)
    finally:
        lock.release()
    # Left by a process that is gone: the next writer takes it over, so it does not refuse.
    lock_path(shared).write_text(
        json.dumps({"pid": _dead_pid(), "host": socket.gethostname(), "created": 0}),
        encoding="utf-8",
    )
    assert check_destination(shared) == shared


def _dead_pid() -> int:
    pid = 4_000_000
    while Path(f"/proc/{pid}").exists():
        pid += 1
    return pid


def test_folders_and_special_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedDestination, match="is a folder"):
        check_destination(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(RefusedDestination, match=r"is a named pipe \(FIFO\), not a file"):
        check_destination(fifo)
    with pytest.raises(RefusedDestination, match="is a device, not a file"):
        check_destination("/dev/null", may_replace_document=True)
    short = Path(tempfile.mkdtemp(prefix="w"))  # a socket's path must be short
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(short / "s.gexf"))
            with pytest.raises(RefusedDestination, match="is a socket"):
                check_destination(short / "s.gexf")
    finally:
        shutil.rmtree(short)


def test_links_are_followed_to_what_they_lead_to(doc: Path, tmp_path: Path) -> None:
    to_doc = tmp_path / "shortcut.gexf"
    to_doc.symlink_to(doc)
    with pytest.raises(RefusedDestination, match=r"shortcut\.gexf: is a Weaver document"):
        check_destination(to_doc)
    to_folder = tmp_path / "folder.xlsx"
    to_folder.symlink_to(tmp_path)
    with pytest.raises(RefusedDestination, match="is a folder"):
        check_destination(to_folder)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "gone" / "x.csv")
    with pytest.raises(RefusedDestination, match=r"folder .*gone does not exist"):
        check_destination(dangling)
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    with pytest.raises(RefusedDestination, match=r"loop\.csv: cannot be written"):
        check_destination(loop)
    plain = tmp_path / "real.csv"
    plain.write_text("a\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(plain)
    assert check_destination(link) == plain
    with atomic_path(link) as tmp:  # the file the link leads to is written; the link stays
        tmp.write_text("b\n", encoding="utf-8")
    assert link.is_symlink() and plain.read_text(encoding="utf-8") == "b\n"


def test_folders_that_cannot_take_the_file(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(RefusedDestination, match=r"folder .*missing does not exist"):
        check_destination(tmp_path / "missing" / "x.xlsx")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(RefusedDestination, match="a-file is not a folder"):
        check_destination(tmp_path / "a-file" / "x.xlsx")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m, **k: False if Path(p) == tmp_path else real_access(p, m, **k)
    )
    with pytest.raises(RefusedDestination, match="is read-only"):
        check_destination(tmp_path / "x.xlsx")


def test_a_folder_that_refuses_new_files_despite_os_access(tmp_path: Path, monkeypatch) -> None:
    """os.access can say yes where creating the file fails (root, ACLs, read-only mounts): the
    temporary file's PermissionError is the same refusal, and nothing is left behind."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    refused = pytest.raises(
        RefusedDestination, match=r"no file can be made .*\(Permission denied\)"
    )
    with refused, atomic_path(tmp_path / "x.gexf"):
        raise AssertionError("never reached")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_leaves_nothing_when_the_writer_fails(tmp_path: Path, umask_022) -> None:
    dest = tmp_path / "out.gexf"
    dest.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError), atomic_path(dest) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise ValueError("the writer broke")
    assert [p.name for p in tmp_path.iterdir()] == ["out.gexf"]
    assert dest.read_text(encoding="utf-8") == "old"
    with atomic_path(dest) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert dest.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o644
