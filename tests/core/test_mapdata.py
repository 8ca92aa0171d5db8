"""MapSnapshot: the arrays the map draws, built from plain entities (no Qt, no file)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from weaver.core.changes import Changes, EntityChanges
from weaver.core.layout import force_layout
from weaver.core.mapdata import build_snapshot, update_snapshot
from weaver.core.mapdata_snapshot import MapSource
from weaver.core.mapdata_style import (
    MAX_SIZE,
    MIN_SIZE,
    NONE_COLOR,
    NONE_LABEL,
    OTHER_COLOR,
    OTHER_LABEL,
    PALETTE,
    color_categories,
    scale_sizes,
)
from weaver.core.model import Attendance, Event, Member, Relationship
from weaver.core.network.graph import network_signature

AS_OF = date(2026, 11, 22)


def source(**settings) -> MapSource:
    members = [
        Member(id="m3", name="Cy", sector="arts"),
        Member(id="m1", name="Ada", x=1.0, y=2.0, pinned=True, sector="arts"),
        Member(id="m2", name="Ben", kind="organization", x=-3.0, y=4.0),
        Member(id="m4", name="Dee"),
    ]
    rels = [
        Relationship(id="r2", source_id="m2", target_id="m3", strength=5, direction="mutual"),
        Relationship(id="r1", source_id="m1", target_id="m2", direction="directed"),
        Relationship(
            id="r3",
            source_id="m3",
            target_id="m4",
            since=date(2020, 1, 1),
            ended_on=date(2025, 1, 1),
        ),
        Relationship(id="r4", source_id="m1", target_id="ghost"),
    ]
    events = [
        Event(id="e1", title="Potluck", date=date(2026, 10, 1)),
        Event(id="e2", title="Old forum", date=date(2023, 1, 1)),
    ]
    attendance = [
        Attendance(id="a1", event_id="e1", member_id="m2"),
        Attendance(id="a2", event_id="e1", member_id="m3"),
        Attendance(id="a3", event_id="e2", member_id="m1"),
        Attendance(id="a4", event_id="e2", member_id="m2"),
    ]
    return MapSource(
        members=members,
        relationships=rels,
        events=events,
        attendance=attendance,
        settings=settings,
    )


def test_rows_follow_member_ids_and_positions_are_kept() -> None:
    snap = build_snapshot(source(), as_of=AS_OF)
    assert snap.ids == ["m1", "m2", "m3", "m4"]
    assert snap.index == {"m1": 0, "m2": 1, "m3": 2, "m4": 3}
    assert snap.pos.shape == (4, 2) and snap.pos[1].tolist() == [-3.0, 4.0]
    assert snap.placed.tolist() == [True, True, False, False]
    assert snap.pinned.tolist() == [True, False, False, False]
    assert snap.kinds.tolist() == [0, 1, 0, 0]
    assert snap.labels == ["Ada", "Ben", "Cy", "Dee"]


def test_edges_are_active_ties_between_known_members() -> None:
    snap = build_snapshot(source(), as_of=AS_OF)
    assert snap.edge_ids == ["r1", "r2"]  # r3 ended, r4 points at nobody
    assert snap.edges.tolist() == [[0, 1], [1, 2]]
    assert snap.edge_strength.tolist() == [3.0, 5.0]
    assert snap.edge_directed.tolist() == [True, False]
    assert snap.edge_mutual.tolist() == [False, True]
    assert snap.degree.tolist() == [1, 2, 1, 0]
    assert snap.n_nodes == 4 and snap.n_edges == 2


def test_ended_ties_depend_on_the_date_and_can_be_shown() -> None:
    before = build_snapshot(source(), as_of=date(2024, 6, 1))
    assert "r3" in before.edge_ids and not before.edge_ended.any()
    shown = build_snapshot(source(), as_of=AS_OF, include_ended=True)
    assert shown.edge_ids == ["r1", "r2", "r3"]
    assert shown.edge_ended.tolist() == [False, False, True]


def test_ties_without_a_recent_meeting_together_are_cold() -> None:
    snap = build_snapshot(source(), as_of=AS_OF)
    # m2 and m3 met at the potluck last month; m1 and m2 only at a forum years ago.
    assert snap.edge_cold.tolist() == [True, False]
    assert snap.meetings.tolist() == [1, 2, 1, 0]


def test_colours_rank_categories_and_mark_missing_values() -> None:
    colors, legend, counts = color_categories(["b", "a", "b", "", "c", "a", "b"])
    assert [label for label, _ in legend] == ["b", "a", "c", NONE_LABEL]
    assert counts == [3, 2, 1, 1]
    assert tuple(colors[0]) == PALETTE[0] and tuple(colors[1]) == PALETTE[1]
    assert tuple(colors[3]) == NONE_COLOR


def test_past_ten_categories_the_rest_are_other() -> None:
    values = [f"v{k:02d}" for k in range(14)]
    colors, legend, counts = color_categories(values)
    assert len(legend) == len(PALETTE)
    assert legend[-1] == (OTHER_LABEL, OTHER_COLOR) and counts[-1] == 14 - (len(PALETTE) - 1)
    assert tuple(colors[-1]) == OTHER_COLOR


def test_colour_by_a_field() -> None:
    snap = build_snapshot(source(), color_by="sector", as_of=AS_OF)
    assert snap.color_values == ["arts", "", "arts", ""]
    assert tuple(snap.colors[0]) == tuple(snap.colors[2]) == PALETTE[0]


def test_sizes_scale_area_with_the_value() -> None:
    sizes = scale_sizes(np.array([0.0, 1.0, 4.0]))
    assert sizes[0] == pytest.approx(MIN_SIZE) and sizes[2] == pytest.approx(MAX_SIZE)
    assert sizes[1] == pytest.approx(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * 0.5)
    flat = scale_sizes(np.zeros(3))
    assert len(set(flat.tolist())) == 1
    assert scale_sizes(np.zeros(0)).shape == (0,)


def test_tooltip_leaves_out_private_fields() -> None:
    snap = build_snapshot(source(private_fields=["kind"]), as_of=AS_OF)
    tip = snap.tooltip(1)
    assert tip.name == "Ben" and tip.kind is None
    assert tip.relationships == 2 and tip.meetings == 2
    assert build_snapshot(source(), as_of=AS_OF).tooltip(1).kind == "organization"


def test_neighbours_follow_drawn_edges() -> None:
    snap = build_snapshot(source(), as_of=AS_OF)
    assert snap.neighbours([0]).tolist() == [0, 1]
    assert snap.neighbours([0], depth=2).tolist() == [0, 1, 2]
    assert snap.neighbours([3], depth=5).tolist() == [3]


def test_moving_members_touches_only_positions() -> None:
    src = source()
    snap = build_snapshot(src, as_of=AS_OF)
    dragged = snap.with_positions({"m3": (7.0, 8.0)})
    assert dragged.pos[2].tolist() == [7.0, 8.0] and dragged.placed[2]
    assert snap.pos[2].tolist() == [0.0, 0.0]  # the original is untouched
    assert dragged.edges is snap.edges
    assert dragged.positions()["m3"] == (7.0, 8.0)

    moved = [m if m.id != "m4" else Member(id="m4", name="Dee", x=5.0, y=6.0) for m in src.members]
    after = MapSource(moved, src.relationships, (), src.events, src.attendance)
    updated = update_snapshot(snap, Changes(positions=frozenset({"m4"})), after)
    assert updated.pos[3].tolist() == [5.0, 6.0] and updated.placed[3]
    assert updated.edges is snap.edges
    assert update_snapshot(snap, Changes(), after) is snap


def test_other_changes_rebuild_and_change_the_signature() -> None:
    src = source()
    snap = build_snapshot(src, as_of=AS_OF)
    rels = [*src.relationships, Relationship(id="r5", source_id="m1", target_id="m4")]
    grown = MapSource(src.members, rels, (), src.events, src.attendance)
    changes = Changes(relationships=EntityChanges(added=frozenset({"r5"})))
    rebuilt = update_snapshot(snap, changes, grown)
    assert "r5" in rebuilt.edge_ids
    assert rebuilt.signature != snap.signature
    assert network_signature(["a"], []) == network_signature(["a"], [])


def test_the_layout_runs_on_snapshot_arrays() -> None:
    """What the map's layout action does: core layout on the snapshot's edges and strengths."""
    snap = build_snapshot(source(), as_of=AS_OF)
    fixed = snap.pinned & snap.placed
    initial = np.where(fixed[:, None], snap.pos, np.nan)
    pos = force_layout(
        snap.n_nodes, snap.edges, fixed=fixed, initial=initial, weights=snap.edge_strength
    )
    assert np.isfinite(pos).all()
    assert pos[0].tolist() == [1.0, 2.0]  # the pinned member stays
