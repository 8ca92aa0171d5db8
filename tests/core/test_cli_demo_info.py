"""``weaver demo FILE`` and ``weaver info FILE [--json]`` through the real entry point."""

from __future__ import annotations

import json
import shutil
import socket
from datetime import date
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core.health import assess
from weaver.core.lockfile import lock_path
from weaver.core.metrics import load_network
from weaver.core.store import Document

AS_OF = "2026-11-22"
INFO_KEYS = {
    "members",
    "people",
    "organizations",
    "relationships",
    "events",
    "attendance",
    "schema_version",
    "integrity",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo written by the CLI; tests that change files work on copies of it."""
    path = tmp_path_factory.mktemp("demo") / "riverbend.weaver"
    with pytest.MonkeyPatch.context() as mp:
        home = tmp_path_factory.mktemp("home")
        mp.setenv("WEAVER_LOG_DIR", str(home / "logs"))
        assert main(["demo", str(path), "--as-of", AS_OF]) == 0
    return path


@pytest.fixture
def copy(written: Path, tmp_path: Path) -> Path:
    target = tmp_path / "riverbend.weaver"
    shutil.copyfile(written, target)
    return target


def _one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_demo_writes_the_network_and_says_what_is_in_it(tmp_path: Path, capsys) -> None:
    path = tmp_path / "riverbend.weaver"
    assert main(["demo", str(path), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    with Document.open(path, readonly=True) as wb:
        counts = wb.counts()
    assert str(path) in out
    assert f"{counts['members']} members" in out and f"{counts['events']} events" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riverbend.weaver"]


def test_info_prints_a_readable_summary(written: Path, capsys) -> None:
    assert main(["info", str(written)]) == 0
    out = capsys.readouterr().out
    assert "Riverbend Community Network" in out
    assert "people" in out and "organizations" in out
    assert "integrity      ok" in out


def test_info_json_is_one_object_with_the_promised_keys(written: Path, capsys) -> None:
    assert main(["info", "--json", str(written)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) >= INFO_KEYS
    assert info["integrity"] == "ok"
    assert info["members"] == info["people"] + info["organizations"]
    assert 140 <= info["people"] <= 160 and 35 <= info["organizations"] <= 45
    assert 420 <= info["relationships"] <= 520 and 70 <= info["events"] <= 90
    assert info["attendance"] > info["events"]
    assert isinstance(info["schema_version"], int) and info["schema_version"] >= 1
    assert info["last_event"] <= AS_OF < "2027"


def test_info_says_relationships_and_tied_pairs_in_their_own_words(written: Path, capsys) -> None:
    """All relationships (and how many ended) and tied pairs are different numbers on the demo;
    each has one word, and the JSON keeps ``relationships`` for every one recorded."""
    today = date.today()
    with Document.open(written, readonly=True) as wb:
        data = load_network(wb, today)
    total = len(data.relationships)
    ended = sum(1 for r in data.relationships if not r.is_active(today))
    pairs = assess(data).scorecard["ties"]  # the Health panel's "Tied pairs"
    assert len({total, total - ended, pairs}) == 3 and ended > 0

    assert main(["info", str(written)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"  relationships  {total}, {ended} ended" in lines
    assert any(line.startswith(f"  tied pairs     {pairs}  ") for line in lines)
    text = "\n".join(lines)
    assert f"{pairs} relationships" not in text and f"{total - ended} relationships" not in text

    assert main(["info", "--json", str(written)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["relationships"], info["ended_relationships"], info["tied_pairs"]) == (
        total,
        ended,
        pairs,
    )


def test_info_never_changes_the_file_or_leaves_a_lock(copy: Path, capsys) -> None:
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    assert main(["info", str(copy)]) == 0
    assert main(["info", "--json", str(copy)]) == 0
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert not lock_path(copy).exists()


def test_demo_refuses_an_existing_file_without_force(copy: Path, capsys) -> None:
    copy.write_bytes(b"someone's work")
    assert main(["demo", str(copy), "--as-of", AS_OF]) == 2
    line = _one_clean_line(capsys.readouterr().err)
    assert str(copy) in line and "already exists" in line and "--force" in line
    assert copy.read_bytes() == b"someone's work"


def test_demo_force_replaces_an_existing_file(copy: Path, capsys) -> None:
    copy.write_bytes(b"old")
    assert main(["demo", str(copy), "--force", "--as-of", AS_OF]) == 0
    with Document.open(copy, readonly=True) as wb:
        assert wb.integrity() == "ok" and wb.counts()["members"] > 100
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


def test_demo_force_refuses_a_document_open_for_editing(copy: Path, capsys) -> None:
    before = copy.read_bytes()
    with Document.open(copy):
        assert main(["demo", str(copy), "--force", "--as-of", AS_OF]) == 2
        line = _one_clean_line(capsys.readouterr().err)
    assert str(copy) in line and "open for editing" in line
    assert copy.read_bytes() == before


def test_demo_force_takes_over_a_stale_lock_and_leaves_none(copy: Path, capsys) -> None:
    # A writer that crashed: its lock names this machine and a process that is gone.
    stale = {"pid": 2**22 + 12345, "host": socket.gethostname(), "user": "x", "since": "?"}
    lock_path(copy).write_text(json.dumps(stale))
    assert main(["demo", str(copy), "--force", "--as-of", AS_OF]) == 0
    assert f"weaver {copy}" in capsys.readouterr().out
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing/riverbend.weaver", "does not exist"),
        ("a-file/riverbend.weaver", "is not a folder"),
    ],
)
def test_demo_refuses_a_place_it_cannot_write(tmp_path: Path, capsys, where, reason) -> None:
    (tmp_path / "a-file").write_text("a regular file, not a folder")
    assert main(["demo", str(tmp_path / where), "--as-of", AS_OF]) == 2
    line = _one_clean_line(capsys.readouterr().err)
    assert line.startswith("weaver: ") and str(tmp_path / where) in line and reason in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_demo_rejects_a_bad_date(tmp_path: Path, capsys) -> None:
    assert main(["demo", str(tmp_path / "x.weaver"), "--as-of", "22/11/2026"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert not (tmp_path / "x.weaver").exists()


@pytest.mark.parametrize("content", [None, b"", b"PK\x03\x04 a spreadsheet"])
def test_info_refuses_what_is_not_a_document(tmp_path: Path, capsys, content) -> None:
    path = tmp_path / "thing.weaver"
    if content is not None:
        path.write_bytes(content)
    assert main(["info", str(path)]) == 2
    line = _one_clean_line(capsys.readouterr().err)
    assert str(path) in line
    assert path.exists() == (content is not None)
    if content is not None:
        assert path.read_bytes() == content
