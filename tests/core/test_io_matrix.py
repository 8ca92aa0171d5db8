"""Adjacency matrices: a clean one imports without warnings and keeps every member (even one
with no ties); a self-tie says whom it named twice; merged header cells still warn."""

from __future__ import annotations

import openpyxl
import pytest

from weaver.core.io.importing import read_plan
from weaver.core.model import Relationship, ValidationError
from weaver.core.store import Document

from .test_io_support import import_file

# Names across the first row and down the first column, the corner cell blank; Dee's row and
# column are all zeros: a member with no ties yet.
MATRIX = [
    [None, "Ana Ruiz", "Ben Okafor", "Chris Lee", "Dee Park"],
    ["Ana Ruiz", 0, 1, 0, 0],
    ["Ben Okafor", 1, 0, 4, 0],
    ["Chris Lee", 0, 0, 0, 0],
    ["Dee Park", 0, 0, 0, 0],
]
TIES = {
    ("Ana Ruiz", "Ben Okafor", 1),
    ("Ben Okafor", "Ana Ruiz", 1),
    ("Ben Okafor", "Chris Lee", 4),
}


def write_csv(path, rows) -> None:
    path.write_text(
        "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\n",
        encoding="utf-8",
    )


def write_xlsx(path, rows, merged: str = "") -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    book.save(path)


def directed_ties(wb: Document) -> set[tuple[str, str, int]]:
    names = {m.id: m.name for m in wb.members()}
    out = set()
    for r in wb.relationships():
        out.add((names[r.source_id], names[r.target_id], r.strength))
        if r.direction == "mutual":
            out.add((names[r.target_id], names[r.source_id], r.strength))
    return out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_clean_matrix_imports_without_warnings_and_keeps_isolates(empty, tmp_path, suffix):
    source = tmp_path / f"matrix{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(source, MATRIX)
    plan, _ = import_file(empty, source)
    assert any("adjacency matrix" in n for n in plan.notices)
    assert plan.problems == []  # the blank corner cell is not a missing header
    assert sorted(m.name for m in empty.members()) == [
        "Ana Ruiz",
        "Ben Okafor",
        "Chris Lee",  # a column with a tie, a row of zeros
        "Dee Park",  # all zeros: still a member, with no ties
    ]
    assert directed_ties(empty) == TIES


def test_matrix_isolate_matches_the_member_already_in_the_network(empty, tmp_path):
    source = tmp_path / "matrix.csv"
    write_csv(source, MATRIX)
    import_file(empty, source)
    plan = read_plan(empty, source)
    assert plan.adds["members"] == [] and not plan.problems


def test_matrix_self_tie_says_whom_it_names_twice(empty, tmp_path):
    rows = [list(r) for r in MATRIX]
    rows[2][2] = 3  # Ben Okafor's own cell on the diagonal
    source = tmp_path / "matrix.csv"
    write_csv(source, rows)
    plan, _ = import_file(empty, source)
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (3, "Ben Okafor")
    assert problem.message == (
        "links 'Ben Okafor' to themself; a relationship needs two different members — row skipped"
    )
    assert directed_ties(empty) == TIES


def test_relationship_to_oneself_is_refused_in_plain_words():
    with pytest.raises(ValidationError, match="cannot link a member to themself"):
        Relationship("r1", "m1", "m1")


def test_merged_header_cells_still_warn(empty, tmp_path):
    # "Contact" merged over two columns: the second holds phone numbers under no header.
    source = tmp_path / "members.xlsx"
    write_xlsx(
        source,
        [
            ["Name", "Contact", None, "Sector"],
            ["Ana Ruiz", "ana@example.org", "+44 1", "housing"],
            ["Ben Okafor", "ben@example.org", "+44 2", "health"],
        ],
        merged="B1:C1",
    )
    plan = read_plan(empty, source)
    (problem,) = plan.problems
    assert "no header (merged header cells?)" in problem.message
    assert (problem.sheet, problem.row, problem.column) == ("Matrix", 1, "C")


def test_matrix_column_without_a_name_still_warns(empty, tmp_path):
    rows = [list(r) for r in MATRIX]
    rows[0][3] = None  # Chris Lee's column has a tie but lost its name
    source = tmp_path / "matrix.csv"
    write_csv(source, rows)
    plan = read_plan(empty, source)
    assert [(p.row, p.column) for p in plan.problems] == [(1, "D")]
    assert "no header" in plan.problems[0].message
