"""Placing members added to a map someone is looking at: next to their ties, or in the free space
nearest the view (clear of everyone by the clearance); and how far the view has to move to show
them. Pure geometry: the view is plain numbers (left, top, width, height), y downwards."""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.spatial import cKDTree

from weaver.core.layout import force_layout, place_new_members
from weaver.core.layout_pack import free_offset, grid, reveal_view


def clearance_of(points: np.ndarray, occupied: np.ndarray) -> float:
    return float(cKDTree(occupied).query(points)[0].min())


def inside(points: np.ndarray, rect: tuple[float, float, float, float]) -> bool:
    left, top, width, height = rect
    x, y = points[:, 0], points[:, 1]
    return bool(((x >= left) & (x <= left + width) & (y >= top) & (y <= top + height)).all())


def lattice(side: int, spacing: float, origin=(0.0, 0.0)) -> np.ndarray:
    i, j = np.meshgrid(np.arange(side), np.arange(side))
    return np.column_stack([i.ravel(), j.ravel()]) * spacing + np.asarray(origin)


# ---- the free spot nearest the view -------------------------------------------------------------


def test_a_piece_goes_into_the_empty_part_of_the_view_clear_of_everyone():
    occupied = lattice(10, 60.0)  # a block from (0, 0) to (540, 540)
    view = (300.0, 300.0, 800.0, 600.0)  # its bottom-right corner and empty space beyond
    piece = np.array([[0.0, 0.0], [60.0, 0.0], [30.0, 50.0]])
    placed = piece + free_offset(piece, occupied, view, clearance=60.0)
    assert inside(placed, view)
    assert clearance_of(placed, occupied) >= 60.0
    # The nearest such spot to the middle of the view, not some far corner of it.
    middle = np.array([700.0, 600.0])
    assert np.linalg.norm(placed.mean(axis=0) - middle) < 200.0
    # The piece moves whole: its shape is kept.
    assert np.allclose(placed - placed[0], piece - piece[0])


def test_a_hole_in_the_middle_of_the_view_is_used():
    occupied = lattice(21, 50.0)
    hole = np.linalg.norm(occupied - 500.0, axis=1) < 260.0
    occupied = occupied[~hole]
    view = (0.0, 0.0, 1000.0, 1000.0)
    single = np.zeros((1, 2))
    spot = single + free_offset(single, occupied, view, clearance=100.0)
    assert np.linalg.norm(spot[0] - 500.0) < 60.0
    assert clearance_of(spot, occupied) >= 100.0


def test_with_no_room_in_the_view_the_nearest_clear_spot_outside_it():
    occupied = lattice(30, 40.0)  # 0..1160 each way, denser than the clearance allows
    view = (400.0, 400.0, 300.0, 200.0)
    piece = lattice(2, 40.0)
    placed = piece + free_offset(piece, occupied, view, clearance=50.0)
    assert clearance_of(placed, occupied) >= 50.0
    assert not inside(placed, view)
    # Just past the edge of the block nearest the view, not anywhere farther out.
    spot = placed.mean(axis=0)
    beyond = np.maximum(-spot, spot - 1160.0).max()
    assert 50.0 <= beyond <= 50.0 + 3 * 40.0


def test_nothing_occupied_puts_the_piece_in_the_middle_of_the_view():
    piece = np.array([[0.0, 0.0], [100.0, 0.0]])
    placed = piece + free_offset(piece, np.zeros((0, 2)), (10.0, 20.0, 200.0, 100.0), 60.0)
    assert placed.mean(axis=0) == pytest.approx((110.0, 70.0))


def test_the_search_stays_fast_on_a_big_map_and_a_big_piece():
    rng = np.random.default_rng(0)
    occupied = rng.uniform(0.0, 6000.0, size=(5000, 2))
    piece = rng.uniform(0.0, 900.0, size=(600, 2))
    start = time.perf_counter()
    placed = piece + free_offset(piece, occupied, (2500.0, 2500.0, 800.0, 500.0), 60.0)
    assert time.perf_counter() - start < 2.0
    assert clearance_of(placed, occupied) >= 60.0


def test_grid_spacing_and_centre():
    points = grid(5, 10.0)
    assert points.shape == (5, 2)
    assert (points.min(axis=0) + points.max(axis=0)) / 2 == pytest.approx((0.0, 0.0))
    gaps = cKDTree(points).query(points, k=2)[0][:, 1]
    assert gaps.min() == pytest.approx(10.0)


# ---- placing new members ------------------------------------------------------------------------


def existing_network() -> tuple[np.ndarray, np.ndarray]:
    """A ring of 12 members, ties 60 long, around (0, 0)."""
    n = 12
    angles = 2 * np.pi * np.arange(n) / n
    radius = 60.0 / (2 * np.sin(np.pi / n))
    pos = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    edges = np.array([(i, (i + 1) % n) for i in range(n)])
    return pos, edges


def test_a_newcomer_with_a_tie_goes_next_to_it_and_nobody_else_moves():
    pos, edges = existing_network()
    n = len(pos) + 1
    all_pos = np.vstack([pos, [[0.0, 0.0]]])
    placed = np.arange(n) < len(pos)
    all_edges = np.vstack([edges, [[3, 12]]])
    view = (-600.0, -600.0, 300.0, 200.0)  # looking somewhere else entirely
    result = place_new_members(n, all_edges, all_pos, placed, view=view, clearance=30.0)
    assert np.array_equal(result[placed], pos)
    assert np.linalg.norm(result[12] - pos[3]) <= 3 * 60.0


def test_a_group_tied_only_among_themselves_lands_whole_in_the_view():
    pos, edges = existing_network()
    k = len(pos)
    new = np.array([(k, k + 1), (k + 1, k + 2), (k + 2, k), (k + 2, k + 3)])
    n = k + 4
    all_pos = np.vstack([pos, np.zeros((4, 2))])
    placed = np.arange(n) < k
    view = (150.0, -200.0, 600.0, 400.0)  # the ring's right edge and empty space beyond
    result = place_new_members(n, np.vstack([edges, new]), all_pos, placed, view=view)
    assert np.array_equal(result[placed], pos)
    assert inside(result[k:], view)
    assert clearance_of(result[k:], pos) >= 60.0 * 0.999
    # Its own layout, moved whole: the same picture force_layout draws for it.
    alone = force_layout(n, np.vstack([edges, new]), fixed=placed, initial=all_pos)
    assert np.allclose(result[k:] - result[k], alone[k:] - alone[k])


def test_untied_newcomers_go_in_a_grid_in_the_view_clear_of_everyone():
    pos, edges = existing_network()
    k = len(pos)
    n = k + 5
    all_pos = np.vstack([pos, np.zeros((5, 2))])
    placed = np.arange(n) < k
    view = (-400.0, -300.0, 800.0, 600.0)  # the whole ring with room around it
    result = place_new_members(n, edges, all_pos, placed, view=view, clearance=80.0)
    newcomers = result[k:]
    assert inside(newcomers, view)
    assert clearance_of(newcomers, pos) >= 80.0
    gaps = cKDTree(newcomers).query(newcomers, k=2)[0][:, 1]
    assert gaps.min() == pytest.approx(80.0)


def test_without_a_view_newcomers_are_packed_as_the_layout_does():
    pos, edges = existing_network()
    k = len(pos)
    all_pos = np.vstack([pos, np.zeros((2, 2))])
    placed = np.arange(k + 2) < k
    result = place_new_members(k + 2, edges, all_pos, placed, view=None)
    initial = np.where(placed[:, None], all_pos, np.nan)
    assert np.array_equal(result, force_layout(k + 2, edges, fixed=placed, initial=initial))


def test_placement_is_deterministic():
    pos, edges = existing_network()
    k = len(pos)
    all_pos = np.vstack([pos, np.zeros((6, 2))])
    placed = np.arange(k + 6) < k
    more = np.vstack([edges, [(k, k + 1), (k + 2, 0)]])
    view = (0.0, 0.0, 500.0, 300.0)
    first = place_new_members(k + 6, more, all_pos, placed, view=view, clearance=40.0)
    again = place_new_members(k + 6, more.copy(), all_pos.copy(), placed, view=view, clearance=40.0)
    assert np.array_equal(first, again)


# ---- moving the view to show them ---------------------------------------------------------------


def test_what_is_already_in_view_does_not_move_it():
    view = (0.0, 0.0, 400.0, 300.0)
    assert reveal_view(view, view, (100.0, 100.0, 50.0, 20.0), 10.0) is None


def test_a_box_just_outside_is_shown_by_a_pan_alone():
    view = (0.0, 0.0, 400.0, 300.0)
    target = reveal_view(view, view, (420.0, 100.0, 30.0, 30.0), 10.0)
    assert target is not None
    left, top, width, height = target
    assert (width, height) == (400.0, 300.0)  # no zoom
    assert top == 0.0  # nothing to do vertically
    assert left + width == pytest.approx(420.0 + 30.0 + 10.0)  # just far enough, with margin


def test_a_box_bigger_than_the_view_zooms_out_only_as_much_as_needed():
    view = (0.0, 0.0, 400.0, 300.0)
    box = (-300.0, 50.0, 800.0, 100.0)
    left, top, width, height = reveal_view(view, view, box, 10.0)
    scale = width / 400.0
    assert height == pytest.approx(300.0 * scale)  # the aspect is kept
    assert width == pytest.approx(800.0 + 2 * 10.0 * scale)  # the box and its margin fit exactly
    assert left == pytest.approx(-300.0 - 10.0 * scale)
    assert top <= 50.0 and top + height >= 150.0


def test_the_legend_corner_is_not_counted_as_visible():
    view = (0.0, 0.0, 400.0, 300.0)
    beside_legend = (100.0, 0.0, 300.0, 300.0)  # a legend covers the left quarter
    box = (20.0, 100.0, 20.0, 20.0)  # under the legend
    target = reveal_view(view, beside_legend, box, 10.0)
    assert target is not None
    left, _top, width, _height = target
    assert width == 400.0
    # The visible part (a quarter in from the view's left) now starts left of the box.
    assert left + 100.0 <= 20.0 - 10.0
