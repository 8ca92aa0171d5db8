"""The one graph builder: members as nodes, current ties as edges, one weighting rule."""

from __future__ import annotations

from datetime import date

import pytest

from weaver.core.model import Member, Relationship
from weaver.core.network.graph import (
    build_directed_graph,
    build_graph,
    network_signature,
    trust_factor,
)
from weaver.core.ratings import new_rating

TODAY = date(2026, 11, 22)
MEMBERS = [
    Member(id="a", name="Ada"),
    Member(id="b", name="Ben", kind="organization"),
    Member(id="c", name="Cy"),
    Member(id="d", name="Dee"),
]


def tie(rid: str, s: str, t: str, **kw) -> Relationship:
    return Relationship(id=rid, source_id=s, target_id=t, **kw)


def test_members_are_nodes_with_their_kind() -> None:
    g = build_graph(MEMBERS, [], as_of=TODAY)
    assert list(g.nodes) == ["a", "b", "c", "d"]
    assert g.nodes["b"]["kind"] == "organization" and g.nodes["a"]["name"] == "Ada"


def test_weight_is_strength_scaled_by_the_latest_trust() -> None:
    r = tie("r1", "a", "c", strength=5)
    low = new_rating("r1", TODAY, reliability=1, mission_support=1, openness=1)
    assert build_graph(MEMBERS, [r], as_of=TODAY)["a"]["c"]["weight"] == pytest.approx(0.75)
    rated = build_graph(MEMBERS, [r], {"r1": low}, as_of=TODAY)["a"]["c"]
    assert rated["weight"] == pytest.approx(0.25) == trust_factor(low)
    assert rated["distance"] == pytest.approx(4.0) and rated["id"] == "r1"


def test_ended_ties_unknown_ends_and_self_ties_are_left_out() -> None:
    rels = [
        tie("r1", "a", "b", since=date(2020, 1, 1), ended_on=date(2026, 1, 1)),
        tie("r2", "a", "ghost"),
        tie("r3", "c", "d", since=date(2020, 1, 1), ended_on=date(2027, 1, 1)),
    ]
    g = build_graph(MEMBERS, rels, as_of=TODAY)
    assert [tuple(sorted(e)) for e in g.edges] == [("c", "d")]


def test_parallel_ties_keep_the_closest_whatever_their_order() -> None:
    weak, strong = tie("r1", "a", "b", strength=2), tie("r2", "b", "a", strength=5)
    forward = build_graph(MEMBERS, [weak, strong], as_of=TODAY)
    backward = build_graph(list(reversed(MEMBERS)), [strong, weak], as_of=TODAY)
    assert forward["a"]["b"]["id"] == backward["a"]["b"]["id"] == "r2"
    assert forward.graph["signature"] == backward.graph["signature"]


def test_signature_follows_ties_and_trust_not_names() -> None:
    r = tie("r1", "a", "c", strength=3)
    base = network_signature(["a", "c"], [r])
    assert network_signature(["a", "c"], [r]) == base
    rated = {"r1": new_rating("r1", TODAY, reliability=4, mission_support=4, openness=4)}
    assert network_signature(["a", "c"], [r], rated) != base
    assert network_signature(["a", "c"], [tie("r1", "a", "c", strength=4)]) != base


def test_directed_graph_follows_each_ties_direction() -> None:
    rels = [
        tie("r1", "a", "b", direction="directed"),
        tie("r2", "b", "c", direction="mutual"),
        tie("r3", "c", "d"),
    ]
    d = build_directed_graph(MEMBERS, rels, as_of=TODAY)
    assert set(d.edges) == {("a", "b"), ("b", "c"), ("c", "b")}
    both = build_directed_graph(MEMBERS, rels, as_of=TODAY, undirected_ties=True)
    assert {("c", "d"), ("d", "c")} <= set(both.edges)
