"""Node and edge tables for Gephi as two CSV files (``weaver export … --format nodes-edges``).

Gephi's spreadsheet importer reads nodes ``Id``/``Label``/attributes and edges
``Source``/``Target``/``Type``/``Weight``/``Label``; the files come back into Weaver through the
node/edge reader, the pair read together whichever of the two is named.
"""

from __future__ import annotations

import csv

import pytest

from weaver.cli import main
from weaver.core.commands import AddEntities, new_member, new_relationship
from weaver.core.io import nodes_edges_out
from weaver.core.io.exporting import export, written_files
from weaver.core.io.importing import read_plan
from weaver.core.store import Document

from .test_io_support import STAMP, import_file, small_network

ADA, BEN = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def wb(tmp_path):
    book = small_network(tmp_path / "net.weaver")
    cleo = new_member('=HYPERLINK("http://x")', STAMP, role="+31 20 555", tags=("@home",))
    dee = new_member("Dee Ng", STAMP, kind="organization", custom={"Size": "-12"})
    ties = [
        new_relationship(cleo.id, ADA, STAMP, kind="mentor", direction="directed", strength=5),
        new_relationship(dee.id, BEN, STAMP, kind="funder", custom={"weight": "2.5"}),
    ]
    AddEntities([cleo, dee, *ties], "more").apply(book)
    yield book
    book.close()


def read(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows accents
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_two_files_with_gephis_columns(wb, tmp_path):
    fmt = export(wb, tmp_path / "net.csv", "nodes-edges")
    assert fmt == "nodes-edges"
    nodes_path, edges_path = tmp_path / "net-nodes.csv", tmp_path / "net-edges.csv"
    assert written_files(tmp_path / "net.csv", fmt) == [nodes_path, edges_path]
    assert not (tmp_path / "net.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv") == [
        "net-edges.csv",
        "net-nodes.csv",
    ]  # no temporary files left behind
    nodes, edges = read(nodes_path), read(edges_path)
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:5] == ["Source", "Target", "Type", "Weight", "Label"]
    assert "email" not in nodes[0] and "notes" not in edges[0]  # private by default

    # Gephi's semantics: edges join node ids; Type says directed or not; Weight is numeric;
    # Label is the kind of tie; a node's Label is its name.
    ids = {n["Id"]: n for n in nodes}
    members = {m.id: m for m in wb.members()}
    assert set(ids) == set(members)
    for node in nodes:
        assert node["Label"].removeprefix("'") == members[node["Id"]].name
    rels = {(r.source_id, r.target_id): r for r in wb.relationships()}
    assert len(edges) == len(rels)
    for edge in edges:
        assert edge["Source"] in ids and edge["Target"] in ids
        rel = rels[edge["Source"], edge["Target"]]
        assert edge["Type"] == ("Undirected" if rel.direction == "undirected" else "Directed")
        assert edge["direction"] == rel.direction  # Gephi has no mutual type: kept beside it
        assert float(edge["Weight"]) == float(rel.custom.get("weight", rel.strength))
        assert edge["Label"] == rel.kind


def test_text_is_escaped_against_formula_injection(wb, tmp_path):
    export(wb, tmp_path / "net.csv", "nodes-edges")
    nodes = read(tmp_path / "net-nodes.csv")
    cleo = next(n for n in nodes if "HYPERLINK" in n["Label"])
    assert cleo["Label"] == '\'=HYPERLINK("http://x")'
    assert cleo["role"] == "'+31 20 555"
    assert cleo["tags"] == "'@home"
    dee = next(n for n in nodes if n["Label"] == "Dee Ng")
    assert dee["Size"] == "'-12"


@pytest.mark.parametrize("named", ["net-nodes.csv", "net-edges.csv"])
def test_the_pair_reimports_through_the_node_edge_reader(wb, tmp_path, named):
    export(wb, tmp_path / "net.csv", "nodes-edges", include_private=True)
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / named)
        assert plan.format == "nodes-edges"
        assert not plan.problems, plan.problems
        other = "net-edges.csv" if named == "net-nodes.csv" else "net-nodes.csv"
        assert any(other in n for n in plan.notices)
        fields = ("id", "kind", "name", "email", "role", "tags", "offers", "needs", "notes")
        mine = {m.id: tuple(getattr(m, f) for f in fields) for m in wb.members()}
        theirs = {m.id: tuple(getattr(m, f) for f in fields) for m in copy.members()}
        assert theirs == mine  # escapes undone: the text is exactly the member's
        assert {m.id: m.custom for m in copy.members()} == {m.id: m.custom for m in wb.members()}
        assert {m.id: m.joined_on for m in copy.members()} == {
            m.id: m.joined_on for m in wb.members()
        }
        fields = ("id", "source_id", "target_id", "kind", "direction", "strength", "since")
        mine = {tuple(getattr(r, f) for f in fields) for r in wb.relationships()}
        assert {tuple(getattr(r, f) for f in fields) for r in copy.relationships()} == mine
        assert {r.id: r.custom for r in copy.relationships()} == {
            r.id: r.custom for r in wb.relationships()
        }
        # And into the network it came from: nothing changes.
        assert read_plan(wb, tmp_path / named).is_empty


def test_a_lone_file_reads_alone(wb, tmp_path):
    export(wb, tmp_path / "net.csv", "nodes-edges")
    (tmp_path / "net-nodes.csv").unlink()
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "net-edges.csv")
        assert not any("read together" in n for n in plan.notices)
        # A single edge table creates its members (named by id, as Gephi does).
        assert copy.counts()["relationships"] == wb.counts()["relationships"]


def test_existing_files_are_replaced_only_when_both_are_written(wb, tmp_path, monkeypatch):
    export(wb, tmp_path / "net.csv", "nodes-edges")
    before = {p.name: p.read_bytes() for p in tmp_path.glob("net-*.csv")}
    calls = []

    def failing(path, header, rows):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        path.write_text("partial", encoding="utf-8")

    monkeypatch.setattr(nodes_edges_out, "write_csv", failing)
    with pytest.raises(OSError):
        export(wb, tmp_path / "net.csv", "nodes-edges")
    assert {p.name: p.read_bytes() for p in tmp_path.glob("net-*.csv")} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv") == sorted(before)


def test_cli_says_which_files_it_wrote(tmp_path, capsys):
    small_network(tmp_path / "net.weaver").close()
    dest = tmp_path / "out" / "gephi.csv"
    dest.parent.mkdir()
    code = main(["export", str(tmp_path / "net.weaver"), str(dest), "--format", "nodes-edges"])
    assert code == 0
    out = capsys.readouterr().out
    assert str(dest.parent / "gephi-nodes.csv") in out
    assert str(dest.parent / "gephi-edges.csv") in out
    assert "(nodes-edges)" in out
    assert sorted(p.name for p in dest.parent.iterdir()) == ["gephi-edges.csv", "gephi-nodes.csv"]
    # Without --format, .csv is still the member list.
    assert main(["export", str(tmp_path / "net.weaver"), str(tmp_path / "list.csv")]) == 0
    assert "(members-csv)" in capsys.readouterr().out


def test_a_name_already_ending_in_nodes_gives_the_same_pair(tmp_path):
    a, b = nodes_edges_out.csv_paths(tmp_path / "net-nodes.csv")
    assert (a.name, b.name) == ("net-nodes.csv", "net-edges.csv")
    assert nodes_edges_out.csv_paths(tmp_path / "net-edges.csv") == (a, b)
