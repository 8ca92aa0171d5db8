"""Every command's refusal is the same contract: exit 2, one line on stderr naming what is
wrong, nothing on stdout, nothing changed (issue 11: a refused import source printed its reason
on stdout; the README promises one line on stderr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core.synthetic import write_synthetic


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "net.weaver"
    write_synthetic(path, 20, seed=1, n_events=2)
    return path


def bad_inputs(tmp: Path, doc: Path) -> dict[str, list[str]]:
    """One bad input per command (destinations have their own matrix in test_destinations)."""
    not_a_document = tmp / "notes.txt"
    not_a_document.write_text("just text\n", encoding="utf-8")
    unsupported = tmp / "graph.dot"
    unsupported.write_text("digraph G { a -> b }\n", encoding="utf-8")
    return {
        "info: not a document": ["info", str(not_a_document)],
        "info: missing": ["info", str(tmp / "missing.weaver")],
        "import: unsupported source": ["import", str(doc), str(unsupported)],
        "import: missing source": ["import", str(doc), str(tmp / "nope.csv")],
        "import: unknown format": ["import", str(doc), str(unsupported), "--format", "dot"],
        "export: unknown extension": ["export", str(doc), str(tmp / "out.pdf")],
        "export: not a document": ["export", str(not_a_document), str(tmp / "out.csv")],
        "report: bad date": ["report", str(doc), "--today", "yesterday"],
        "report: bad output type": ["report", str(doc), "--out", str(tmp / "r.docx")],
        "demo: bad date": ["demo", str(tmp / "d.weaver"), "--as-of", "someday"],
        "demo: existing without --force": ["demo", str(doc)],
        "new: existing without --force": ["new", str(doc)],
        "bench: unknown group": ["bench", "--only", "nosuch"],
        "window: bad size": [str(doc), "--screenshot", str(tmp / "s.png"), "--size", "big"],
        "window: --present alone": [str(doc), "--present"],
    }


@pytest.mark.parametrize(
    "case",
    [
        "info: not a document",
        "info: missing",
        "import: unsupported source",
        "import: missing source",
        "import: unknown format",
        "export: unknown extension",
        "export: not a document",
        "report: bad date",
        "report: bad output type",
        "demo: bad date",
        "demo: existing without --force",
        "new: existing without --force",
        "bench: unknown group",
        "window: bad size",
        "window: --present alone",
    ],
)
def test_every_refusal_is_exit_2_and_one_line_on_stderr(case, doc, tmp_path, capsys):
    args = bad_inputs(tmp_path, doc)[case]
    before = doc.read_bytes()
    files_before = sorted(p.name for p in tmp_path.iterdir())
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("weaver: "), lines[0]
    assert doc.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
