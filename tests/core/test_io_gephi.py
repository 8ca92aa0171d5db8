"""Gephi's spreadsheet inputs: node/edge tables, adjacency lists and matrices, CSV dialects.

Where Weaver's semantics match Gephi's, the edges are compared with the lists Gephi's own tests
expect (``expected/``). Two differences are by design: a relationship joins two different
members (Gephi's self-loops are reported and skipped), and A->B plus B->A is one mutual tie.
"""

from __future__ import annotations

import csv

import pytest

from weaver.core.io.importing import read_plan
from weaver.core.store import Document

from .test_io_support import import_file

SHEETS = "gephi/spreadsheet"


def directed_edges(wb: Document) -> set[tuple[str, str, float]]:
    """Every relationship as Gephi's directed edges (a mutual tie is both ways)."""
    names = {m.id: m.name for m in wb.members()}
    out = set()
    for r in wb.relationships():
        weight = float(r.custom.get("weight", 1))
        s, t = names[r.source_id], names[r.target_id]
        out.add((s, t, weight))
        if r.direction == "mutual":
            out.add((t, s, float(r.custom.get("reverse weight", weight))))
    return out


def expected_edges(path) -> set[tuple[str, str, float]]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        (r["Source"], r["Target"], float(r["Weight"])) for r in rows if r["Source"] != r["Target"]
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("adj_list.csv", "testAdjacencyList_edges.csv"),
        ("matrix.csv", "testMatrix_CSV_edges.csv"),
        ("matrix.xlsx", "testMatrix_Excel_edges.csv"),
        ("complex_matrix.csv", "testComplexMatrix_edges.csv"),
    ],
)
def test_edges_match_what_gephi_expects(empty, data_dir, source, expected):
    plan, _ = import_file(empty, data_dir / SHEETS / source)
    assert not plan.blocking
    assert directed_edges(empty) == expected_edges(data_dir / SHEETS / "expected" / expected)
    loops = [p for p in plan.problems if "two different members" in p.message]
    with (data_dir / SHEETS / "expected" / expected).open(encoding="utf-8") as f:
        assert len(loops) == sum(1 for r in csv.DictReader(f) if r["Source"] == r["Target"])


def test_matrix_says_how_it_was_read(empty, data_dir):
    plan = read_plan(empty, data_dir / SHEETS / "matrix.csv")
    assert any("adjacency matrix" in n for n in plan.notices)
    plan = read_plan(empty, data_dir / SHEETS / "adj_list.csv")
    assert any("adjacency list" in n for n in plan.notices)


def test_edge_table_alone_creates_its_members_and_merges_opposites(empty, data_dir):
    plan, _ = import_file(
        empty, data_dir / SHEETS / "edges_table_opposite_force_undirected_merged.csv"
    )
    assert plan.counts()["added"]["members"] == 2
    (rel,) = empty.relationships()
    names = {m.id: m.name for m in empty.members()}
    assert {names[rel.source_id], names[rel.target_id]} == {"loja", "postalecu911"}


def test_repeated_edges_add_up_their_weights(empty, data_dir):
    import_file(empty, data_dir / SHEETS / "edges_table_repeated_without_ids.csv")
    names = {m.id: m.name for m in empty.members()}
    weights = {
        (names[r.source_id], names[r.target_id]): float(r.custom.get("weight", r.strength))
        for r in empty.relationships()
    }
    # As Gephi merges them (expected/testEdgesTableRepeatedWithoutIds_Merged_edges.csv).
    assert weights == {("1", "2"): 7.5, ("3", "4"): 2.0, ("2", "3"): 2.0}


def test_edge_types_kind_and_label(empty, data_dir):
    plan, _ = import_file(empty, data_dir / SHEETS / "edges_table_types_test.csv")
    assert not plan.blocking
    rels = sorted(empty.relationships(), key=lambda r: r.kind)
    assert [(r.kind, r.direction) for r in rels] == [("1", "undirected"), ("8", "directed")]


@pytest.mark.parametrize("name", ["test_utf8_chars.csv", "test_utf8_chars_with_bom.csv"])
def test_utf8_node_tables_with_and_without_bom(empty, data_dir, name):
    plan, _ = import_file(empty, data_dir / SHEETS / name)
    members = {m.name: m for m in empty.members()}
    assert set(members) == {"uno", "dos"}  # the repeated "2" is one member (first row wins)
    assert members["uno"].custom["utf8"] == "漢語"
    assert members["dos"].custom["utf8"] == "blabla"
    assert any("repeats" in p.message and p.row == 4 for p in plan.problems)


def test_nodes_table_with_a_blank_first_line(empty, data_dir):
    _plan, _ = import_file(empty, data_dir / SHEETS / "nodes_table_types_test.csv")
    members = {m.name for m in empty.members()}
    assert members == {"1", "2", "3", "4", "5"}  # no label: the node shows its id


def test_dynamic_weights_are_reported_not_crashed(empty, data_dir):
    plan = read_plan(empty, data_dir / SHEETS / "edges_table_dynamic_weights.csv")
    assert not plan.blocking
    assert any(p.column == "weight" and "not a number" in p.message for p in plan.problems)


def test_space_separated_edge_table(empty, data_dir):
    plan, _ = import_file(empty, data_dir / SHEETS / "edges_table_with_timeset_intervals.csv")
    assert not plan.blocking
    assert {m.name for m in empty.members()} == {"Fred", "Alice", "Dirk"}


def test_xls_says_save_it_as_xlsx(empty, data_dir):
    before = empty.content_digest()
    plan = read_plan(empty, data_dir / SHEETS / "repeated_headers.xls")
    assert plan.blocking
    assert "save it as .xlsx" in plan.problems[0].message
    assert empty.content_digest() == before


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(empty, tmp_path, delimiter):
    path = tmp_path / "people.csv"
    path.write_text(
        delimiter.join(["Full name", "Email address", "Organisation"])
        + "\n"
        + delimiter.join(["Zoë Brontë", "zoe@example.org", "Acme, Inc."])
        + "\n",
        encoding="utf-8",
    )
    plan, _ = import_file(empty, path)
    assert not plan.problems
    zoe = next(m for m in empty.members() if m.kind == "person")
    assert (zoe.name, zoe.email) == ("Zoë Brontë", "zoe@example.org")
    org = next(m for m in empty.members() if m.kind == "organization")
    assert org.name == "Acme, Inc."
    assert empty.affiliations()[0].person_id == zoe.id


def test_cp1252_fallback_with_a_notice(empty, tmp_path):
    path = tmp_path / "excel-windows.csv"
    path.write_bytes("Name;City\nJosé Müller;Zürich\n".encode("cp1252"))
    plan, _ = import_file(empty, path)
    assert any("Windows-1252" in n for n in plan.notices)
    (member,) = empty.members()
    assert (member.name, member.location) == ("José Müller", "Zürich")


def test_mapping_overrides_from_the_preview(empty, tmp_path):
    from weaver.core.io.mapping import IGNORE, choices_for

    path = tmp_path / "survey.csv"
    path.write_text("Respondent,Department,Secret\nAna,Housing,x\n", encoding="utf-8")
    plan = read_plan(empty, path)
    assert plan.blocking  # "Respondent" is no known name header…
    assert [c.header for c in plan.columns] == ["Respondent", "Department", "Secret"]  # …listed
    plan = read_plan(empty, path, overrides={("", 0): "name", ("", 1): "sector", ("", 2): IGNORE})
    assert not plan.blocking
    (ana,) = plan.adds["members"]
    assert (ana.name, ana.sector, ana.custom) == ("Ana", "Housing", {})
    assert [c.field for c in plan.columns] == ["name", "sector", IGNORE]
    assert {"name", "email", "tags", IGNORE} <= set(choices_for("members"))
    assert {"source", "target", "weight"} <= set(choices_for("relationships"))
