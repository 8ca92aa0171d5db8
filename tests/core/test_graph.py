"""The shared networkx builder: members as nodes, active ties as edges, direction honoured."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx

from weaver.core.commands import AddEntities
from weaver.core.graph import active_ties, build_graph, graph_from_workbook
from weaver.core.model import Member, Relationship
from weaver.core.store import Workbook

MEMBERS = [
    Member(id="a", name="Ada"),
    Member(id="b", name="Ben", kind="organization"),
    Member(id="c", name="Cy"),
    Member(id="d", name="Dee"),
]


def tie(rid: str, s: str, t: str, **kw) -> Relationship:
    return Relationship(id=rid, source_id=s, target_id=t, **kw)


def test_members_are_nodes_with_their_kind() -> None:
    g = build_graph(MEMBERS, [])
    assert set(g.nodes) == {"a", "b", "c", "d"}
    assert g.nodes["b"]["kind"] == "organization" and g.nodes["a"]["name"] == "Ada"
    assert not g.is_directed()


def test_edges_carry_strength_weight_and_id() -> None:
    g = build_graph(MEMBERS, [tie("r1", "a", "b", strength=4, kind="friend")])
    data = g.edges["a", "b"]
    assert data["id"] == "r1" and data["kind"] == "friend" and data["strength"] == 4
    assert data["weight"] == 0.8 and data["distance"] == 1.25


def test_custom_weight() -> None:
    g = build_graph(MEMBERS, [tie("r1", "a", "b", strength=2)], weight_of=lambda r: 7.0)
    assert g.edges["a", "b"]["weight"] == 7.0


def test_ended_ties_are_left_out_as_of_a_date() -> None:
    rels = [
        tie("r1", "a", "b", since=date(2024, 1, 1), ended_on=date(2025, 6, 1)),
        tie("r2", "b", "c"),
    ]
    assert set(build_graph(MEMBERS, rels).edges) == {("b", "c")}
    before_end = build_graph(MEMBERS, rels, as_of=date(2025, 5, 31))
    assert before_end.has_edge("a", "b")
    assert not build_graph(MEMBERS, rels, as_of=date(2025, 6, 1)).has_edge("a", "b")
    assert [r.id for r in active_ties(rels, date(2026, 1, 1))] == ["r2"]


def test_parallel_ties_keep_the_strongest_and_unknown_ends_are_skipped() -> None:
    rels = [
        tie("weak", "a", "b", strength=2),
        tie("strong", "b", "a", strength=5),
        tie("ghost", "a", "zz"),
    ]
    g = build_graph(MEMBERS, rels)
    assert g.number_of_edges() == 1
    assert g.edges["a", "b"]["id"] == "strong"
    assert "zz" not in g


def test_directed_graph_follows_each_ties_direction() -> None:
    rels = [
        tie("r1", "a", "b", direction="directed"),
        tie("r2", "b", "c", direction="mutual"),
        tie("r3", "c", "d"),
    ]
    d = build_graph(MEMBERS, rels, directed=True)
    assert isinstance(d, nx.DiGraph)
    assert set(d.edges) == {("a", "b"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c")}
    only = build_graph(MEMBERS, rels, directed=True, undirected_ties=False)
    assert set(only.edges) == {("a", "b"), ("b", "c"), ("c", "b")}
    assert set(only.nodes) == {"a", "b", "c", "d"}


def test_graph_from_workbook(tmp_path: Path) -> None:
    path = tmp_path / "g.weaver"
    with Workbook.create(path, name="G") as wb:
        AddEntities([*MEMBERS, tie("r1", "a", "c", strength=5)], "add").apply(wb)
        g = graph_from_workbook(wb)
    assert g.number_of_nodes() == 4
    assert g.edges["a", "c"]["strength"] == 5
