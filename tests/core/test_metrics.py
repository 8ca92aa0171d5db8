"""Network measures checked against networkx on graphs whose answers are known."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from weaver.core.commands import new_member, new_relationship
from weaver.core.health import stage_reading
from weaver.core.metrics import NetworkData
from weaver.core.network import measures as metrics

TODAY = date(2026, 11, 22)


def data_from_graph(g: nx.Graph, directions: dict | None = None) -> NetworkData:
    members = {str(n): new_member(f"M{n}", id=str(n)) for n in g.nodes}
    rels = [
        new_relationship(str(a), str(b), direction=(directions or {}).get((a, b), "undirected"))
        for a, b in g.edges
    ]
    return NetworkData(members=members, relationships=rels, today=TODAY)


@pytest.fixture
def karate() -> tuple[nx.Graph, NetworkData]:
    g = nx.karate_club_graph()
    return g, data_from_graph(g)


def test_basic_measures_match_networkx(karate):
    g, data = karate
    ours = data.graph()
    assert ours.number_of_nodes() == 34 and ours.number_of_edges() == 78
    assert metrics.density(ours) == pytest.approx(nx.density(g))
    assert metrics.average_degree(ours) == pytest.approx(2 * 78 / 34)
    assert metrics.average_clustering(ours) == pytest.approx(nx.average_clustering(g))
    assert len(metrics.components(ours)) == 1
    assert metrics.isolates(ours) == []


def test_core_periphery_is_the_main_k_core(karate):
    g, data = karate
    cp = metrics.core_periphery(data.graph())
    expected = {str(n) for n in nx.k_core(g).nodes}
    assert cp.k == max(nx.core_number(g).values()) == 4
    assert cp.core == expected
    assert cp.periphery == {str(n) for n in g} - expected


def test_communities_and_modularity_are_seeded_louvain(karate):
    _g, data = karate
    ours = data.graph()
    first = metrics.communities(ours)
    assert first == metrics.communities(ours)  # seeded: the same answer every time
    assert set().union(*first) == set(ours)
    assert all(not (a & b) for i, a in enumerate(first) for b in first[i + 1 :])
    q = metrics.modularity(ours, first)
    assert q == pytest.approx(nx.community.modularity(ours, first, weight="weight"))
    reference = nx.community.louvain_communities(ours, weight="weight", seed=metrics.SEED)
    assert q >= nx.community.modularity(ours, reference, weight="weight") - 0.01
    assert 0.38 < q < 0.43  # karate's best partitions score about 0.42


def test_louvain_finds_planted_communities():
    g = nx.planted_partition_graph(5, 20, 0.5, 0.01, seed=2)
    data = data_from_graph(g)
    found = metrics.communities(data.graph())
    planted = [{str(n) for n in range(i * 20, i * 20 + 20)} for i in range(5)]
    assert sorted(map(sorted, found)) == sorted(map(sorted, planted))
    big = data_from_graph(nx.barabasi_albert_graph(2000, 3, seed=5)).graph()
    ours = metrics.modularity(big, metrics.communities(big))
    theirs = nx.community.modularity(
        big, nx.community.louvain_communities(big, weight="weight", seed=1), weight="weight"
    )
    assert ours >= theirs - 0.02


def test_betweenness_exact_below_limit_and_sampled_above(monkeypatch):
    g = nx.karate_club_graph()
    ours = data_from_graph(g).graph()
    exact = nx.betweenness_centrality(g)
    scores = metrics.betweenness(ours)
    for n in g:
        assert scores[str(n)] == pytest.approx(exact[n])
    assert metrics.top_brokers(scores, 2)[0][0] == "0"

    monkeypatch.setattr(metrics, "BETWEENNESS_WORK", 60 * 1200)
    big = nx.barabasi_albert_graph(400, 2, seed=3)
    big_ours = data_from_graph(big).graph()
    sampled = metrics.betweenness(big_ours)
    exact_big = nx.betweenness_centrality(big)
    top_exact = {str(n) for n, _ in sorted(exact_big.items(), key=lambda x: -x[1])[:5]}
    top_sampled = {m for m, _ in metrics.top_brokers(sampled, 10)}
    assert len(top_exact & top_sampled) >= 3  # the big brokers are found from a sample


def test_bridges_are_ties_whose_loss_splits_the_network():
    g = nx.barbell_graph(4, 2)  # two cliques joined by a path: 3 bridges
    ours = data_from_graph(g).graph()
    found = {frozenset(e) for e in metrics.bridges(ours)}
    assert found == {frozenset((str(a), str(b))) for a, b in nx.bridges(g)}
    assert len(found) == 3


def test_reciprocity_of_directed_ties():
    g = nx.path_graph(4)
    directions = {(0, 1): "directed", (1, 2): "mutual", (2, 3): "undirected"}
    data = data_from_graph(g, directions)
    d = nx.DiGraph([("0", "1"), ("1", "2"), ("2", "1")])
    assert metrics.reciprocity(data.directed_graph()) == pytest.approx(nx.reciprocity(d))
    assert metrics.reciprocity(data_from_graph(nx.path_graph(3)).directed_graph()) is None


def test_ended_ties_are_left_out_and_strongest_tie_of_a_pair_kept():
    a, b, c = (new_member(n, id=n) for n in "abc")
    rels = [
        new_relationship("a", "b", strength=2),
        new_relationship("a", "b", strength=5),
        new_relationship("b", "c", since=date(2020, 1, 1), ended_on=date(2021, 1, 1)),
    ]
    data = NetworkData(members={m.id: m for m in (a, b, c)}, relationships=rels, today=TODAY)
    g = data.graph()
    assert g.number_of_edges() == 1 and g["a"]["b"]["strength"] == 5
    assert metrics.isolates(g) == ["c"]


@pytest.mark.parametrize(
    ("graph", "stage"),
    [
        (nx.union(nx.complete_graph(3), nx.complete_graph(range(3, 6))), "scattered fragments"),
        (nx.star_graph(12), "hub-and-spoke"),
        (
            nx.compose_all(
                [nx.star_graph(range(i * 10, i * 10 + 10)) for i in range(4)]
                + [nx.cycle_graph([0, 10, 20, 30])]
            ),
            "multi-hub",
        ),
    ],
)
def test_stage_reading(graph, stage):
    data = data_from_graph(graph)
    found, evidence = stage_reading(data.graph())
    assert found == stage
    assert evidence and all(isinstance(e, str) for e in evidence)


def test_core_periphery_stage():
    core = nx.complete_graph(8)
    g = core.copy()
    for i in range(8, 48):  # each periphery member tied to one or two core members
        g.add_edge(i, i % 8)
        if i % 2:
            g.add_edge(i, (i + 3) % 8)
    found, evidence = stage_reading(data_from_graph(g).graph())
    assert found == "core/periphery", evidence


def test_stage_without_ties_or_hubs():
    lonely = data_from_graph(nx.empty_graph(3))
    stage, evidence = stage_reading(lonely.graph())
    assert stage == "scattered fragments" and "no two members are tied yet" in evidence
    chain, _ = stage_reading(data_from_graph(nx.path_graph(6)).graph())
    assert chain == "scattered fragments"
    ring_of_cliques = nx.ring_of_cliques(5, 4)
    even, evidence = stage_reading(data_from_graph(ring_of_cliques).graph())
    assert even == "core/periphery", evidence


def test_closeness_and_eigenvector_are_networkx_on_the_one_graph(karate):
    g, data = karate
    ours = data.graph()
    reference = nx.closeness_centrality(g)
    assert metrics.closeness(ours)["0"] == pytest.approx(reference[0])
    eig = nx.eigenvector_centrality_numpy(ours, weight="weight")
    assert metrics.eigenvector(ours) == pytest.approx(eig)


def test_a_cancelled_betweenness_stops_and_caches_nothing():
    g = data_from_graph(nx.barabasi_albert_graph(120, 2, seed=9)).graph()
    with pytest.raises(metrics.MetricCancelled):
        metrics.betweenness(g, cancelled=lambda: True)
    seen: list[float] = []
    scores = metrics.betweenness(g, progress=lambda f, _m: seen.append(f))
    assert seen[-1] == 1.0 and len(seen) > 2  # progress came in steps, not only at the end
    assert scores == pytest.approx(
        {
            str(k): v
            for k, v in nx.betweenness_centrality(nx.barabasi_albert_graph(120, 2, seed=9)).items()
        }
    )
