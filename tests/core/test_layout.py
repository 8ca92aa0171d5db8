"""The network layouts: deterministic, pins kept, incremental placement, components packed,
quality (normalised stress) at least networkx's, and communities drawn as clusters."""

from __future__ import annotations

import random
from datetime import date
from itertools import pairwise

import networkx as nx
import numpy as np
import pytest

from weaver.core import layout
from weaver.core.layout import (
    EDGE_LENGTH,
    LayoutCancelled,
    circle_layout,
    force_layout,
    group_layout,
    layout_positions,
    layout_quality,
)
from weaver.core.model import Member, Relationship
from weaver.core.synthetic import preferential_attachment


def ba(n: int, seed: int = 1) -> np.ndarray:
    return np.array(preferential_attachment(n, 3, random.Random(seed)), dtype=np.int64)


def planted(groups: int = 4, size: int = 30, p_in: float = 0.3, p_out: float = 0.01):
    g = nx.planted_partition_graph(groups, size, p_in, p_out, seed=3)
    return np.array(list(g.edges()), dtype=np.int64), np.repeat(np.arange(groups), size)


# ---- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [40, 600])  # exact stress and the sparse (pivot) model
def test_same_graph_and_seed_give_the_same_picture(n: int) -> None:
    edges = ba(n)
    a = force_layout(n, edges, seed=5)
    b = force_layout(n, edges.copy(), seed=5)
    assert np.array_equal(a, b)
    assert np.isfinite(a).all()


def test_layout_positions_is_deterministic_and_ignores_ended_ties() -> None:
    members = [Member(id=f"m{i}", name=f"M {i}") for i in range(30)]
    rels = [
        Relationship(id=f"r{i}", source_id=f"m{i}", target_id=f"m{(i + 1) % 30}") for i in range(30)
    ]
    ended = Relationship(id="gone", source_id="m0", target_id="m15", ended_on=date(2025, 1, 1))
    first = layout_positions(members, rels, seed=2)
    assert first == layout_positions(members, [*rels, ended], seed=2)
    assert set(first) == {m.id for m in members}


# ---- pins and incremental placement --------------------------------------------------------


def test_fixed_nodes_never_move() -> None:
    n = 300
    edges = ba(n)
    initial = np.full((n, 2), np.nan)
    fixed = np.zeros(n, dtype=bool)
    fixed[[0, 7, 99]] = True
    initial[fixed] = [(1000.0, 0.0), (-500.0, 250.5), (3.25, -7.0)]
    pos = force_layout(n, edges, seed=1, fixed=fixed, initial=initial)
    assert np.array_equal(pos[fixed], initial[fixed])
    assert np.isfinite(pos).all()


def test_pinned_members_keep_their_saved_place() -> None:
    members = [
        Member(id=f"m{i}", name=f"M {i}", x=float(i), y=2.0 * i, pinned=i in (3, 4))
        for i in range(20)
    ]
    rels = [Relationship(id=f"r{i}", source_id=f"m{i}", target_id=f"m{i + 1}") for i in range(19)]
    pos = layout_positions(members, rels)
    assert pos["m3"] == (3.0, 6.0) and pos["m4"] == (4.0, 8.0)
    pos = layout_positions(members, rels, pinned={"m5": (-9.0, 9.0)})
    assert pos["m5"] == (-9.0, 9.0)


def test_incremental_placement_keeps_everyone_else_and_puts_newcomers_near_ties() -> None:
    n_old = 400
    edges = ba(n_old)
    old = force_layout(n_old, edges, seed=0)
    # Ten newcomers, each tied to two existing members (or to the previous newcomer).
    rng = np.random.default_rng(4)
    new_edges = []
    for k in range(10):
        new = n_old + k
        new_edges += [(new, int(rng.integers(n_old))), (new, int(rng.integers(n_old)))]
        if k:
            new_edges.append((new, new - 1))
    n = n_old + 10
    all_edges = np.vstack([edges, np.array(new_edges)])
    initial = np.vstack([old, np.full((10, 2), np.nan)])
    placed = np.isfinite(initial).all(axis=1)
    pos = force_layout(n, all_edges, seed=0, fixed=placed, initial=initial)
    assert np.allclose(pos[:n_old], old, atol=1e-9)
    extent = np.ptp(old, axis=0).max()
    for k in range(10):
        new = n_old + k
        ties = [b for a, b in new_edges if a == new] + [a for a, b in new_edges if b == new]
        nearest = np.linalg.norm(pos[ties] - pos[new], axis=1).min()
        assert nearest < max(3 * EDGE_LENGTH, 0.1 * extent)


def test_a_new_component_is_placed_beside_the_kept_picture() -> None:
    edges = ba(100)
    old = force_layout(100, edges, seed=0)
    extra = np.array([(100, 101), (101, 102)])
    initial = np.vstack([old, np.full((3, 2), np.nan)])
    pos = force_layout(103, np.vstack([edges, extra]), fixed=np.arange(103) < 100, initial=initial)
    assert np.array_equal(pos[:100], old)
    assert pos[100:, 0].min() > old[:, 0].max()  # to the right, not on top


# ---- components ---------------------------------------------------------------------------


def test_components_are_separated_and_kept_close() -> None:
    parts = [ba(120, 1), ba(60, 2) + 120, ba(30, 3) + 180, np.array([(210, 211)])]
    edges = np.vstack(parts)
    n = 215  # 212..214 are isolated members
    pos = force_layout(n, edges, seed=0)
    groups = [range(0, 120), range(120, 180), range(180, 210), range(210, 212)]
    groups += [[212], [213], [214]]
    boxes = [(pos[list(g)].min(axis=0), pos[list(g)].max(axis=0)) for g in groups]
    for i, (lo_a, hi_a) in enumerate(boxes):
        for lo_b, hi_b in boxes[i + 1 :]:
            overlap = (lo_a < hi_b + 1e-9) & (lo_b < hi_a + 1e-9)
            assert not overlap.all(), "two components overlap"
    # Nothing drifts away: the whole picture is about as wide as its biggest part allows.
    assert np.ptp(pos, axis=0).max() < 40 * EDGE_LENGTH


def test_isolated_members_ring_the_picture_without_landing_on_anyone() -> None:
    n = 312
    edges = ba(300)
    pos = force_layout(n, edges, seed=0)
    main, alone = pos[:300], pos[300:]
    centre = main.mean(axis=0)
    reach = np.linalg.norm(main - centre, axis=1)
    ring = np.linalg.norm(alone - centre, axis=1)
    assert (ring > np.percentile(reach, 90)).all()
    assert (ring < reach.max() + 3 * EDGE_LENGTH).all()
    gaps = np.linalg.norm(alone[:, None] - pos[None, :], axis=2)
    np.fill_diagonal(gaps[:, 300:], np.inf)
    assert gaps.min() >= 0.5 * EDGE_LENGTH - 1e-9


def test_a_network_without_ties_is_a_grid() -> None:
    pos = force_layout(9, np.zeros((0, 2)))
    assert len(np.unique(pos[:, 0].round(6))) == 3 and len(np.unique(pos[:, 1].round(6))) == 3


def test_empty_single_and_loop_inputs() -> None:
    assert force_layout(0, np.zeros((0, 2))).shape == (0, 2)
    assert force_layout(1, np.zeros((0, 2))).tolist() == [[0.0, 0.0]]
    pos = force_layout(3, np.array([(0, 0), (0, 1), (1, 2), (2, 5)]))  # loop and bad end
    assert np.isfinite(pos).all() and len({tuple(p) for p in pos}) == 3


def test_weights_must_match_edges() -> None:
    with pytest.raises(ValueError):
        force_layout(3, np.array([(0, 1), (1, 2)]), weights=np.array([3.0]))


# ---- quality ------------------------------------------------------------------------------


def test_quality_is_at_least_networkx_spring_layout() -> None:
    n = 400
    edges = ba(n)
    ours = layout_quality(force_layout(n, edges, seed=0), edges)
    g = nx.Graph(edges.tolist())
    p = nx.spring_layout(g, seed=0)
    theirs = layout_quality(np.array([p[i] for i in range(n)]), edges)
    assert ours < 0.25
    assert theirs / ours >= 0.97


def test_quality_measure_is_scale_free_and_prefers_faithful_pictures() -> None:
    edges = np.array([(i, i + 1) for i in range(19)])  # a path
    straight = np.column_stack([np.arange(20.0), np.zeros(20)])
    assert layout_quality(straight, edges) == pytest.approx(0.0, abs=1e-12)
    assert layout_quality(straight * 37, edges) == pytest.approx(0.0, abs=1e-12)
    shuffled = straight[np.random.default_rng(0).permutation(20)]
    assert layout_quality(shuffled, edges) > 0.1


def test_communities_are_drawn_as_clusters() -> None:
    edges, group = planted()
    pos = force_layout(len(group), edges, seed=0)
    same = group[:, None] == group[None, :]
    d = np.linalg.norm(pos[:, None] - pos[None, :], axis=2)
    off_diagonal = ~np.eye(len(group), dtype=bool)
    assert d[~same].mean() > 1.8 * d[same & off_diagonal].mean()


# ---- progress and cancel ------------------------------------------------------------------


def test_progress_reaches_one_and_cancel_stops() -> None:
    seen: list[float] = []
    force_layout(500, ba(500), progress=lambda f, _m: seen.append(f))
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    assert all(a <= b + 1e-12 for a, b in pairwise(seen))
    with pytest.raises(LayoutCancelled):
        force_layout(500, ba(500), cancelled=lambda: True)
    # Cancel late, during the force-directed refinement.
    calls = iter(range(10**6))
    total = len(seen)
    with pytest.raises(LayoutCancelled):
        force_layout(500, ba(500), cancelled=lambda: next(calls) >= total - 5)


# ---- circle and group layouts -------------------------------------------------------------


def test_circle_layout_puts_everyone_on_one_ring_and_keeps_pins() -> None:
    n = 50
    edges = ba(n)
    pos = circle_layout(n, edges)
    radius = np.linalg.norm(pos, axis=1)
    assert np.allclose(radius, radius[0])
    fixed = np.zeros(n, dtype=bool)
    fixed[4] = True
    initial = np.full((n, 2), np.nan)
    initial[4] = (123.0, 456.0)
    pos = circle_layout(n, edges, fixed=fixed, initial=initial)
    assert tuple(pos[4]) == (123.0, 456.0)


def test_group_layout_clusters_by_value_and_reports_centres() -> None:
    n = 90
    edges = ba(n)
    values = ["a"] * 40 + ["b"] * 30 + [""] * 20
    pos, centres = group_layout(n, edges, values, seed=0)
    assert set(centres) == {"a", "b", ""}
    labels = np.array(values)
    for name, (cx, cy) in centres.items():
        mine = pos[labels == name]
        others = pos[labels != name]
        own = np.linalg.norm(mine - (cx, cy), axis=1).mean()
        assert own < np.linalg.norm(others - (cx, cy), axis=1).mean()
    again, _ = group_layout(n, edges, values, seed=0)
    assert np.array_equal(pos, again)
    weighted, _ = group_layout(n, edges, values, weights=np.full(len(edges), 5.0))
    assert np.isfinite(weighted).all()


def test_group_layout_handles_many_distinct_values_quickly() -> None:
    n = 3000
    pos, centres = group_layout(n, ba(n), [f"org {i % 1500}" for i in range(n)])
    assert len(centres) == 1500 and np.isfinite(pos).all()


def test_module_keeps_the_names_the_map_uses() -> None:
    for name in ("force_layout", "circle_layout", "group_layout", "layout_positions"):
        assert callable(getattr(layout, name))


def test_the_demo_reads_as_its_story_clusters() -> None:
    """The built-in demo's three clusters (food, housing, youth) are drawn as separate sectors:
    members of one cluster sit clearly closer to each other than to the other clusters."""
    from weaver.core.demo import build_demo

    demo = build_demo(date(2026, 11, 22))
    keys = ["food & farms", "housing & health", "youth & arts"]
    members = [m for m in demo.members if sum(k in m.tags for k in keys) == 1]
    label = np.array([next(k for k, t in enumerate(keys) if t in m.tags) for m in members])
    pos = np.array([(m.x, m.y) for m in members], dtype=float)
    d = np.linalg.norm(pos[:, None] - pos[None, :], axis=2)
    same = label[:, None] == label[None, :]
    off_diagonal = ~np.eye(len(members), dtype=bool)
    assert d[same & off_diagonal].mean() < 0.65 * d[~same].mean()
