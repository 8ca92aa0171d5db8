"""GEXF 1.3 and GraphML: exports open in networkx and in a second, independent reader;
Gephi's files (including the www.gexf.net/1.3 namespace networkx refuses) come in."""

from __future__ import annotations

import xml.dom.minidom

import networkx as nx
import pytest

from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan
from weaver.core.store import Document

from .test_io_support import import_file, nonzero

ADA = "11111111-1111-4111-8111-111111111111"
BEN = "22222222-2222-4222-8222-222222222222"


def test_gexf_export_opens_in_networkx(wb, tmp_path):
    export(wb, tmp_path / "net.gexf", "gexf")
    text = (tmp_path / "net.gexf").read_text(encoding="utf-8")
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    g = nx.read_gexf(tmp_path / "net.gexf")
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 1
    ada = g.nodes[ADA]
    assert ada["label"] == "Ada Lovelace"
    assert ada["kind"] == "person"
    assert ada["tags"] == "housing|youth"
    assert ada["Pronouns"] == "she/her"
    assert ada["viz"]["position"]["x"] == pytest.approx(1.25)
    assert "color" in ada["viz"]
    assert "email" not in ada and "notes" not in ada  # private by default
    edge = g.edges[ADA, BEN]
    assert edge["weight"] == 4.0 and edge["kind"] == "collaborator"


def test_gexf_export_opens_in_a_second_reader(wb, tmp_path):
    export(wb, tmp_path / "net.gexf", "gexf", include_private=True)
    dom = xml.dom.minidom.parse(str(tmp_path / "net.gexf"))
    nodes = dom.getElementsByTagName("node")
    edges = dom.getElementsByTagName("edge")
    assert len(nodes) == 3 and len(edges) == 1
    assert edges[0].getAttribute("type") == "mutual"
    titles = {a.getAttribute("title") for a in dom.getElementsByTagName("attribute")}
    assert {"email", "notes", "kind", "tags"} <= titles
    assert dom.getElementsByTagName("viz:position")


def test_gexf_round_trip_changes_nothing(wb, tmp_path):
    export(wb, tmp_path / "net.gexf", "gexf")
    assert read_plan(wb, tmp_path / "net.gexf").is_empty
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "net.gexf")
        assert not plan.problems
        ada = copy.member(ADA)
        assert (ada.kind, ada.tags, ada.x, ada.y) == ("person", ("housing", "youth"), 1.25, -3.5)
        (rel,) = copy.relationships()
        assert (rel.direction, rel.strength, rel.kind) == ("mutual", 4, "collaborator")


def test_graphml_export_opens_in_networkx_and_minidom(wb, tmp_path):
    export(wb, tmp_path / "net.graphml", "graphml")
    g = nx.read_graphml(tmp_path / "net.graphml")
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 1
    assert g.nodes[ADA]["label"] == "Ada Lovelace"
    assert g.nodes[ADA]["x"] == pytest.approx(1.25)
    assert "email" not in g.nodes[ADA]
    dom = xml.dom.minidom.parse(str(tmp_path / "net.graphml"))
    assert len(dom.getElementsByTagName("node")) == 3
    assert dom.getElementsByTagName("graph")[0].getAttribute("edgedefault") == "directed"
    assert g.edges[ADA, BEN]["direction"] == "mutual"


def test_graphml_round_trip(wb, tmp_path):
    export(wb, tmp_path / "net.graphml", "graphml", include_private=True)
    assert read_plan(wb, tmp_path / "net.graphml").is_empty
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "net.graphml")
        assert not plan.problems
        assert copy.member(ADA).email == "ada@example.org"
        assert copy.relationships()[0].direction == "mutual"


@pytest.mark.parametrize("name", ["dynamicedgeweight.gexf", "slice.gexf", "data.gexf"])
def test_gephi_gexf_files_including_the_www_1_3_namespace(tmp_path, data_dir, name):
    with Document.create(tmp_path / "e.weaver") as empty:
        plan, _ = import_file(empty, data_dir / "gephi" / "gexf" / name)
        assert not plan.blocking, plan.problems
        assert empty.counts()["members"] >= 1


def test_slice_gexf_reads_attributes_and_edges(tmp_path, data_dir):
    with Document.create(tmp_path / "e.weaver") as empty:
        import_file(empty, data_dir / "gephi" / "gexf" / "slice.gexf")
        members = {m.name: m for m in empty.members()}
        assert members["Node 1"].custom["Price"] == "12"
        (rel,) = empty.relationships()
        assert rel.direction == "directed" and rel.strength == 2


def test_gexf_without_a_graph_is_a_clear_error(tmp_path, data_dir):
    with Document.create(tmp_path / "e.weaver") as empty:
        plan = read_plan(empty, data_dir / "gephi" / "gexf" / "meta.gexf")
        assert plan.blocking and "without a <graph>" in plan.problems[0].message


@pytest.mark.parametrize("name", ["cdata.graphml", "withdesc.graphml"])
def test_gephi_graphml_files(tmp_path, data_dir, name):
    with Document.create(tmp_path / "e.weaver") as empty:
        plan, _ = import_file(empty, data_dir / "gephi" / name)
        assert not plan.blocking
        assert nonzero(plan.counts()["added"])["members"] >= 2
