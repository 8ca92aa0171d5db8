"""``weaver new FILE [--name NAME] [--force]``: an empty network from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.commandline.info import summary
from weaver.core.commands import AddEntities, new_member
from weaver.core.lockfile import lock_path
from weaver.core.store import Document


@pytest.fixture(autouse=True)
def _own_log(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEAVER_LOG_DIR", str(tmp_path_factory.mktemp("logs")))


def _one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _document_with_a_member(path: Path) -> None:
    with Document.create(path, name="Old network") as wb:
        AddEntities([new_member("Ana Ruiz")], "add Ana").apply(wb)


def test_new_makes_an_empty_network_named_after_the_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "coalition.weaver"
    assert main(["new", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and len(out.strip().splitlines()) == 1
    assert str(path) in out and "coalition" in out
    info = summary(path)
    assert info["name"] == "coalition" and info["integrity"] == "ok"
    assert (info["members"], info["relationships"], info["events"], info["history"]) == (
        0,
        0,
        0,
        0,
    )
    # Nothing else left in the folder: no lock, no journal, no temporary file.
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_new_takes_the_name_given(tmp_path: Path, capsys) -> None:
    path = tmp_path / "net.weaver"
    assert main(["new", str(path), "--name", "  River Valley Food Coalition "]) == 0
    assert "River Valley Food Coalition" in capsys.readouterr().out
    assert summary(path)["name"] == "River Valley Food Coalition"
    # The new document opens for editing in the window's way (lock taken, then released).
    with Document.open(path) as wb:
        assert wb.settings()["name"] == "River Valley Food Coalition"


def test_new_refuses_an_existing_file_without_force(tmp_path: Path, capsys) -> None:
    path = tmp_path / "net.weaver"
    _document_with_a_member(path)
    before = path.read_bytes()
    assert main(["new", str(path)]) == 2
    out, err = capsys.readouterr()
    line = _one_clean_line(err)
    assert out == ""
    assert line == f"weaver: {path}: already exists (use --force to replace it)"
    assert path.read_bytes() == before


def test_new_force_replaces_an_existing_document(tmp_path: Path, capsys) -> None:
    path = tmp_path / "net.weaver"
    _document_with_a_member(path)
    assert main(["new", str(path), "--force", "--name", "Fresh start"]) == 0
    info = summary(path)
    assert info["name"] == "Fresh start" and info["members"] == 0 and info["integrity"] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_new_force_refuses_a_document_open_in_a_window(tmp_path: Path, capsys) -> None:
    path = tmp_path / "net.weaver"
    _document_with_a_member(path)
    before = path.read_bytes()
    with Document.open(path):  # what a Weaver window holds while the network is open
        assert main(["new", str(path), "--force"]) == 2
        out, err = capsys.readouterr()
        line = _one_clean_line(err)
        assert out == ""
        assert line.startswith(f"weaver: {path}: ") and "open for editing" in line
        assert path.read_bytes() == before
    assert summary(path)["members"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert not lock_path(path).exists()


def test_new_force_refuses_a_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "network.weaver"
    folder.mkdir()
    assert main(["new", str(folder), "--force"]) == 2
    assert "is a folder" in _one_clean_line(capsys.readouterr().err)
    assert folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_new_force_refuses_a_fifo(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe.weaver"
    os.mkfifo(fifo)
    assert main(["new", str(fifo), "--force"]) == 2
    assert "FIFO" in _one_clean_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]


def test_new_refuses_a_missing_folder(tmp_path: Path, capsys) -> None:
    path = tmp_path / "missing" / "net.weaver"
    assert main(["new", str(path)]) == 2
    line = _one_clean_line(capsys.readouterr().err)
    assert str(path) in line and "does not exist" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_refuses_a_read_only_folder(tmp_path: Path, capsys) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert main(["new", str(folder / "net.weaver")]) == 2
        assert "read-only" in _one_clean_line(capsys.readouterr().err)
    finally:
        folder.chmod(0o755)


def test_new_is_listed_in_the_help(capsys) -> None:
    assert main(["--help"]) == 0
    assert "weaver new" in capsys.readouterr().out
