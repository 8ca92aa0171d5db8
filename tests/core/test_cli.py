"""The command line's shape: subcommands, exit codes, read-only info, one-line refusals."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core import schema
from weaver.core.lockfile import lock_path
from weaver.core.store import Document
from weaver.core.synthetic import write_synthetic

from .test_store import _crash_mid_transaction

ROOT = Path(__file__).resolve().parents[2]


def _weaver(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "weaver", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "net.weaver"
    write_synthetic(path, 40, seed=3, n_events=6)
    return path


def _folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_info_json_reports_the_document(doc):
    result = _weaver("info", str(doc), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    for key in (
        "members",
        "people",
        "organizations",
        "relationships",
        "events",
        "attendance",
        "schema_version",
        "integrity",
    ):
        assert key in info
    with Document.open(doc, readonly=True) as wb:
        counts = wb.counts()
    assert info["members"] == counts["members"] == 40
    assert info["people"] + info["organizations"] == 40
    assert info["relationships"] == counts["relationships"]
    assert info["events"] == 6
    assert info["attendance"] == counts["attendance"]
    assert info["schema_version"] == schema.SCHEMA_VERSION
    assert info["integrity"] == "ok"


def test_info_text(doc, capsys):
    assert main(["info", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "Synthetic network (40 members)" in out
    assert "integrity" in out and "ok" in out
    assert "relationships" in out


def test_info_is_read_only_even_while_the_document_is_being_edited(doc, capsys):
    with Document.open(doc):  # a window has it open for editing
        before = _folder_state(doc.parent)
        assert lock_path(doc).exists()
        assert main(["info", str(doc), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["members"] == 40
        assert _folder_state(doc.parent) == before


def test_info_never_upgrades_an_older_file(tmp_path, capsys):
    old = tmp_path / "old.weaver"
    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    before = _folder_state(tmp_path)
    assert main(["info", str(old), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["members"] == 0 and info["integrity"] == "ok"
    assert _folder_state(tmp_path) == before, "no migration, no backup copy, no lock"


def test_info_after_a_crash_reads_the_last_committed_state(doc, capsys):
    _crash_mid_transaction(doc)
    before = _folder_state(doc.parent)
    assert main(["info", str(doc), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["members"] == 40 and info["integrity"] == "ok"
    assert _folder_state(doc.parent) == before


def test_info_on_a_missing_file_exits_2_with_one_line(tmp_path):
    missing = tmp_path / "missing.weaver"
    result = _weaver("info", str(missing))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"weaver: {missing}: no such file"]
    assert not missing.exists()


@pytest.mark.parametrize("command", [["info", "--json"], ["info"], ["report", "--json"]])
def test_a_reader_that_stops_early_is_not_an_error(doc, command):
    """`weaver info x --json | head` ended in 'unexpected error' (the pipe closed early)."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before a byte is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "weaver", command[0], str(doc), *command[1:]],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert result.stderr == ""


def test_usage_errors_exit_2(capsys):
    assert main(["info"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()  # one line, not argparse's block
    assert line == (
        "weaver: info: the following arguments are required: file (see 'weaver info --help')"
    )
    assert main(["bench", "--only", "no-such-group"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no benchmark group 'no-such-group'" in err[0] and "store" in err[0]


def test_help_and_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("weaver ")
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for sub in ("demo", "info", "bench"):
        assert f"weaver {sub}" in out
    assert main(["info", "--help"]) == 0
    assert "read-only" in capsys.readouterr().out


def test_demo_refuses_an_existing_file_and_a_missing_folder(doc, tmp_path, capsys):
    before = _folder_state(doc.parent)
    assert main(["demo", str(doc)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0] and "--force" in err[0]
    assert _folder_state(doc.parent) == before
    nowhere = tmp_path / "no-such-folder" / "demo.weaver"
    assert main(["demo", str(nowhere)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-folder" in err[0]
    assert not nowhere.parent.exists()
