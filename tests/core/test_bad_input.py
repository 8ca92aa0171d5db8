"""Files that are not Weaver documents (or are damaged or too new) are refused, untouched."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from weaver.core import schema
from weaver.core.errors import (
    DamagedDocument,
    DocumentError,
    NewerDocument,
    NotAWeaverDocument,
)
from weaver.core.store import Document
from weaver.core.synthetic import write_synthetic

ROOT = Path(__file__).resolve().parents[2]


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _xlsx(path: Path) -> None:
    from openpyxl import Workbook as Sheet

    book = Sheet()
    book.active.append(["name", "email"])
    book.active.append(["Ana", "ana@example.org"])
    book.save(path)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()


def _weaver(path: Path) -> None:
    write_synthetic(path, 60, seed=4, n_events=5)


def _truncated(path: Path) -> None:
    _weaver(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _truncated_header(path: Path) -> None:
    _weaver(path)
    path.write_bytes(path.read_bytes()[:60])


def _damaged(path: Path) -> None:
    _weaver(path)
    data = bytearray(path.read_bytes())
    page = 4096
    # Scribble over the middle pages (the b-trees), keeping the header intact.
    data[page * 2 : page * 6] = random.Random(3).randbytes(page * 4)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    _weaver(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


BAD_FILES: dict[str, tuple[Callable[[Path], None], type[DocumentError], str]] = {
    "random-bytes": (_random_bytes, NotAWeaverDocument, "is not a Weaver document"),
    "xlsx": (_xlsx, NotAWeaverDocument, "spreadsheet"),
    "empty": (_empty, NotAWeaverDocument, "empty file"),
    "foreign-sqlite": (_foreign_sqlite, NotAWeaverDocument, "not a Weaver document"),
    "truncated": (_truncated, DamagedDocument, "damaged"),
    "truncated-header": (_truncated_header, DamagedDocument, "truncated"),
    "damaged": (_damaged, DamagedDocument, "damaged"),
    "newer": (_newer, NewerDocument, "newer version of Weaver"),
}


@pytest.fixture(params=sorted(BAD_FILES))
def bad(request, tmp_path) -> tuple[Path, type[DocumentError], str]:
    make, error, words = BAD_FILES[request.param]
    path = tmp_path / f"{request.param}.weaver"
    make(path)
    return path, error, words


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("readonly", [False, True], ids=["edit", "read-only"])
def test_bad_files_are_refused_clearly_and_left_untouched(bad, readonly):
    path, error, words = bad
    before = _state(path.parent)
    with pytest.raises(error) as refused:
        Document.open(path, readonly=readonly)
    message = str(refused.value)
    assert words in message
    assert path.name in message
    assert "\n" not in message
    assert "Traceback" not in message
    # Not a byte changed, and nothing left beside it (no lock, journal or upgrade copy).
    assert _state(path.parent) == before


def test_a_folder_is_not_a_document(tmp_path):
    folder = tmp_path / "looks.weaver"
    folder.mkdir()
    with pytest.raises(NotAWeaverDocument, match="folder"):
        Document.open(folder)


def test_cli_info_refuses_bad_files_with_one_line_and_exit_2(bad):
    path, _error, words = bad
    before = _state(path.parent)
    for extra in ([], ["--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "weaver", "info", str(path), *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("weaver: ")
        assert path.name in lines[0] and words in lines[0]
        assert "Traceback" not in result.stderr
    assert _state(path.parent) == before


def test_an_unexpected_error_exits_1_and_keeps_the_traceback_in_the_log(tmp_path, monkeypatch):
    path = tmp_path / "fine.weaver"
    _weaver(path)
    log_dir = tmp_path / "logs"
    monkeypatch.setenv("WEAVER_LOG_DIR", str(log_dir))
    code = (
        "import sys\n"
        "from weaver.core.store import Document\n"
        "def broken(self):\n"
        "    raise ZeroDivisionError('simulated bug in counts')\n"
        "Document.counts = broken\n"
        "from weaver.cli import main\n"
        "sys.exit(main(['info', sys.argv[1]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    log_file = log_dir / "weaver.log"
    assert str(log_file) in lines[0]
    assert "Traceback" not in result.stderr
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "ZeroDivisionError: simulated bug in counts" in logged
