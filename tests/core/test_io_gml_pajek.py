"""GML and Pajek .net come in like GraphML (ids, labels, weights, direction, attributes);
broken ones are refused naming the line; formats Weaver does not read are refused by name,
listing the ones it does."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from weaver.cli import main
from weaver.core.io import safety
from weaver.core.io.importing import SUPPORTED, detect, read_plan
from weaver.core.store import Document

from .test_io_support import import_file

GEPHI = "gephi"


def ties(wb: Document) -> set[tuple[str, str, str, str, int]]:
    """(source, target, kind, direction, strength) of every relationship, by member name;
    an undirected tie's ends in alphabetical order (which end is "source" means nothing)."""
    names = {m.id: m.name for m in wb.members()}
    out = set()
    for r in wb.relationships():
        ends = (names[r.source_id], names[r.target_id])
        if r.direction == "undirected":
            ends = tuple(sorted(ends))
        out.add((*ends, r.kind, r.direction, r.strength))
    return out


def members(wb: Document) -> dict[str, object]:
    return {m.name: m for m in wb.members()}


def refusal(capsys, doc: Path, source: Path) -> str:
    """The exit code is 2, stdout is empty and stderr is one line: that line."""
    assert main(["import", str(doc), str(source)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


# ---- GML -----------------------------------------------------------------------------------

ATTRIBUTES_GML = """\
Creator "igraph version 0.10"
Version 1
graph [
  directed 1
  # Ana's position and colour; only the position is Weaver's to keep
  node [ id 1 label "Ana Ruiz" role "Organizer" sector "housing" Pronouns "she/her"
         graphics [ x 10.5 y -3.0 w 20 fill "#ff0000" ] ]
  node [ id 2 label "Ben Okafor" ]
  node [ id 3 name "Chris Lee" ]
  edge [ source 1 target 2 label "advice" value 4 since "2021-01-02" ]
  edge [ source 2 target 3 weight 2.5 ]
]
"""


def test_gml_with_attributes_imports_like_graphml(empty, tmp_path):
    source = tmp_path / "net.gml"
    source.write_text(ATTRIBUTES_GML, encoding="utf-8")
    plan, _ = import_file(empty, source)
    assert plan.format == "gml" and not plan.problems
    found = members(empty)
    assert set(found) == {"Ana Ruiz", "Ben Okafor", "Chris Lee"}  # label, else name
    ana = found["Ana Ruiz"]
    assert (ana.role, ana.sector, ana.custom) == ("Organizer", "housing", {"Pronouns": "she/her"})
    assert (ana.x, ana.y) == (10.5, -3.0)
    assert ties(empty) == {
        ("Ana Ruiz", "Ben Okafor", "advice", "directed", 4),  # GML's "value" is the weight
        ("Ben Okafor", "Chris Lee", "colleague", "directed", 3),
    }
    by_kind = {r.kind: r for r in empty.relationships()}
    assert by_kind["advice"].since.isoformat() == "2021-01-02"
    assert by_kind["colleague"].custom == {"weight": "2.5"}  # not a strength: kept as is


def test_undirected_weighted_gml_written_by_networkx_round_trips(empty, tmp_path):
    # networkx writes each node's key as its label, and numbers the ids.
    graph = nx.Graph()
    graph.add_node("Ana Ruiz", location="Leeds")
    graph.add_node("Chris Lee")  # an isolate is still a member
    graph.add_edge("Ben Okafor", "Ana Ruiz", weight=5, kind="funder")
    source = tmp_path / "net.gml"
    nx.write_gml(graph, source)
    plan, _ = import_file(empty, source)
    assert not plan.problems
    assert members(empty)["Ana Ruiz"].location == "Leeds"
    assert set(members(empty)) == {"Ana Ruiz", "Ben Okafor", "Chris Lee"}
    assert ties(empty) == {("Ana Ruiz", "Ben Okafor", "funder", "undirected", 5)}
    assert "id 0" in source.read_text()  # the file's ids are keys, never the members' names


def test_gml_from_gephis_test_suite(empty, data_dir):
    # Unquoted ids ("id A"), an edge label, and a UTF-8 label (GML is ASCII by the letter).
    plan, _ = import_file(empty, data_dir / GEPHI / "label.gml")
    assert not plan.problems
    assert set(members(empty)) == {"Node A", "Node B", "Node C"}
    assert {(s, t, kind) for s, t, kind, _, _ in ties(empty)} == {
        ("Node A", "Node B", "Edge B to A"),
        ("Node A", "Node C", "Edge C to A"),
    }
    plan, _ = import_file(empty, data_dir / GEPHI / "emojis.gml")
    assert "✅" in members(empty)


def test_gml_is_found_by_its_content_under_another_name(empty, tmp_path):
    source = tmp_path / "network.txt"
    source.write_text(ATTRIBUTES_GML, encoding="utf-8")
    assert detect(source) == "gml"
    plan = read_plan(empty, source)
    assert plan.format == "gml" and not plan.blocking
    assert len(plan.adds["relationships"]) == 2


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('graph [\n  node [ id 1 label "Ana" ]\n  node [ id 2\n', "line 4, column 1"),
        ('graph [\n  node [ id 1 label "Ana" ] }\n]\n', "line 2, column 29"),
        ("graph [ node [ id 1 ] edge [ source 1 target 9 ] ]", "undefined target 9"),
        ("graph [" + "a [" * 5000 + "]" * 5001, "nested too deeply"),
    ],
)
def test_malformed_gml_is_refused_naming_the_line(empty, tmp_path, capsys, text, where):
    source = tmp_path / "broken.gml"
    source.write_text(text, encoding="utf-8")
    plan = read_plan(empty, source)
    assert plan.blocking and len(plan.problems) == 1
    assert plan.problems[0].message.startswith("is not a readable GML file")
    assert where in plan.problems[0].message
    line = refusal(capsys, tmp_path / "doc.weaver", source)
    assert line.startswith(f"weaver: {source}: is not a readable GML file") and where in line
    assert empty.members() == []


def test_gml_with_more_nodes_than_a_table_holds_is_refused_before_parsing(
    empty, tmp_path, monkeypatch
):
    monkeypatch.setattr("weaver.core.io.gml_pajek.MAX_GRAPH_ITEMS", 3)
    source = tmp_path / "big.gml"
    source.write_text("graph [" + "".join(f"node [ id {i} ]" for i in range(4)) + "]")
    plan = read_plan(empty, source)
    assert plan.blocking and "holds 4 nodes, more than the 3" in plan.problems[0].message


def test_graph_file_over_the_size_limit_is_refused_unread(empty, tmp_path, monkeypatch):
    monkeypatch.setattr("weaver.core.io.importing.MAX_SOURCE_BYTES", 100)
    monkeypatch.setattr(safety, "MAX_SOURCE_BYTES", 100)
    source = tmp_path / "big.net"
    source.write_text("*Vertices 200\n" + "\n".join(f'{i} "v{i}"' for i in range(1, 201)))
    plan = read_plan(empty, source)
    assert plan.blocking and "more than Weaver imports at once" in plan.problems[0].message


# ---- Pajek ---------------------------------------------------------------------------------

PAJEK = """\
% written by hand, as Pajek users do
*Network riverside
*Vertices 5
1 "Ana Ruiz" 0.1 0.2 0.5 ellipse ic Red
2 "Ben Okafor" 0.3 0.4
3 "Chris Lee"
*Arcs :1 "advice"
1 2 4
2 3 1.5
*Edges
3 1 2
*Arcslist
4 1 2
"""


def test_pajek_with_arcs_edges_lists_and_unlisted_vertices(empty, tmp_path):
    source = tmp_path / "net.net"
    source.write_text(PAJEK, encoding="utf-8")
    plan, _ = import_file(empty, source)
    assert plan.format == "pajek" and not plan.problems
    found = members(empty)
    # Vertices 4 and 5 are declared but not listed: named by their number, 5 an isolate.
    assert set(found) == {"Ana Ruiz", "Ben Okafor", "Chris Lee", "4", "5"}
    ana = found["Ana Ruiz"]
    assert (ana.x, ana.y, ana.custom) == (0.1, 0.2, {"ic": "Red"})  # z and shape left out
    assert (found["Ben Okafor"].x, found["Ben Okafor"].y) == (0.3, 0.4)
    assert ties(empty) == {
        ("Ana Ruiz", "Ben Okafor", "advice", "directed", 4),  # the relation names the kind
        ("Ben Okafor", "Chris Lee", "advice", "directed", 3),
        ("Ana Ruiz", "Chris Lee", "colleague", "undirected", 2),  # *Edges after *Arcs
        ("4", "Ana Ruiz", "colleague", "directed", 3),
        ("4", "Ben Okafor", "colleague", "directed", 3),
    }
    weights = {r.custom.get("weight") for r in empty.relationships()}
    assert "1.5" in weights


def test_pajek_written_by_networkx_round_trips(empty, tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("Ana Ruiz", "Ben Okafor", weight=3)
    graph.add_edge("Ben Okafor", "Chris Lee", weight=1)
    graph.add_node("Dee Isolate")
    source = tmp_path / "net.net"
    nx.write_pajek(graph, source)
    plan, _ = import_file(empty, source)
    assert not plan.problems
    assert set(members(empty)) == {"Ana Ruiz", "Ben Okafor", "Chris Lee", "Dee Isolate"}
    assert ties(empty) == {
        ("Ana Ruiz", "Ben Okafor", "colleague", "directed", 3),
        ("Ben Okafor", "Chris Lee", "colleague", "directed", 1),
    }


def test_pajek_matrix_and_detection_by_content(empty, tmp_path):
    source = tmp_path / "matrix.txt"
    source.write_text('*Vertices 3\n1 "A"\n2 "B"\n3 "C"\n*Matrix\n0 1 0\n0 0 2.5\n0 0 0\n')
    assert detect(source) == "pajek"
    plan, _ = import_file(empty, source)
    assert not plan.problems
    assert {(s, t) for s, t, *_ in ties(empty)} == {("A", "B"), ("B", "C")}


def test_bad_pajek_lines_are_skipped_naming_the_line(empty, tmp_path):
    source = tmp_path / "net.net"
    source.write_text(
        '*Vertices 2\n1 "Ana Ruiz"\n2 "Ben\n*Edges\n1 9\n1 1\n1 2\n', encoding="utf-8"
    )
    plan, _ = import_file(empty, source)
    messages = [str(p) for p in plan.problems]
    assert any("line 3: no closing quotation" in m for m in messages), messages
    assert any("line 5: refers to vertex 9, which *Vertices does not list" in m for m in messages)
    # A self-loop says what it did, naming the member, not the rule it broke.
    assert any("links 'Ana Ruiz' to themself" in m for m in messages), messages
    assert ties(empty) == {("2", "Ana Ruiz", "colleague", "undirected", 3)}


def test_pajek_without_vertices_is_refused(empty, tmp_path, capsys):
    source = tmp_path / "net.net"
    source.write_text("*Edges\n1 2\n")
    line = refusal(capsys, tmp_path / "doc.weaver", source)
    assert line == (
        f"weaver: {source}: is not a readable Pajek file: it lists no *Vertices; "
        "nothing was imported"
    )


# ---- what Weaver does not read --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        (f"{GEPHI}/dot/basic.dot", "a Graphviz DOT graph"),
        (f"{GEPHI}/emptyattribute.vna", "a NetDraw VNA file"),
    ],
)
def test_unsupported_graph_files_are_refused_with_the_list(
    empty, data_dir, tmp_path, capsys, name, what
):
    source = data_dir / name
    plan = read_plan(empty, source)
    expected = f"format not supported ({what}); Weaver imports: {SUPPORTED}"
    assert [p.message for p in plan.problems] == [expected] and plan.blocking
    assert ".gml, .net" in SUPPORTED
    line = refusal(capsys, tmp_path / "doc.weaver", source)
    assert line == f"weaver: {source}: {expected}; nothing was imported"
    assert not (tmp_path / "doc.weaver").exists()


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("notes.docx", b"PK\x03\x04 not really", "a Word document"),
        ("data.json", b'{"nodes": []}', "a JSON file"),
        ("paper.pdf", b"%PDF-1.7\n", "a PDF document"),
        ("graph.gv.bak", b"digraph G {\n a -> b;\n}\n", "a Graphviz DOT graph"),
        ("export.dat", b"\x00\x01\x02binary", ".dat file, not a table of text"),
        ("export.xyz", b'{"a": 1}', ".xyz file, not a table of text"),
    ],
)
def test_other_files_are_refused_with_the_list(empty, tmp_path, name, content, what):
    source = tmp_path / name
    source.write_bytes(content)
    plan = read_plan(empty, source)
    assert [p.message for p in plan.problems] == [
        f"format not supported ({what}); Weaver imports: {SUPPORTED}"
    ]


@pytest.mark.parametrize("name", ["ties.txt", "ties.tsv", "ties.csv", "ties.dat", "ties"])
def test_text_tables_are_still_read_as_tables(empty, tmp_path, name):
    source = tmp_path / name
    source.write_text("Source\tTarget\nAna Ruiz\tBen Okafor\n", encoding="utf-8")
    assert detect(source) == "csv"
    plan, _ = import_file(empty, source)
    assert not plan.problems
    assert ties(empty) == {("Ana Ruiz", "Ben Okafor", "colleague", "undirected", 3)}


def test_adjacency_list_txt_is_still_an_adjacency_list(empty, tmp_path):
    source = tmp_path / "adjacency.txt"
    source.write_text("Ana;Ben;Chris\nBen;Chris\n", encoding="utf-8")
    plan = read_plan(empty, source)
    assert any("adjacency list" in n for n in plan.notices) and not plan.blocking
