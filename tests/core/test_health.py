"""Health measures, ratings, monthly series and snapshots compared across time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from weaver.core import health, snapshots
from weaver.core.codec import rating_from_row, snapshot_from_row
from weaver.core.commands import (
    AddEntities,
    DeleteMembers,
    DeleteRatings,
    DeleteRelationships,
    EditRating,
    LogMeeting,
    RateTie,
    TakeSnapshot,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.metrics import load_network
from weaver.core.model import ValidationError
from weaver.core.profile import NetworkProfile, SetProfile, profile_from_settings
from weaver.core.ratings import history_of, latest_ratings, new_rating
from weaver.core.store import Document

TODAY = date(2026, 11, 22)


@pytest.fixture
def wb(tmp_path):
    book = Document.create(tmp_path / "net.weaver")
    people = [
        new_member(n, id=n.lower(), joined_on=date(2026, 1, 15)) for n in ("Ana", "Ben", "Cleo")
    ]
    people.append(new_member("Dev", id="dev", joined_on=date(2026, 9, 3)))
    rels = [
        new_relationship("ana", "ben", id="ab", since=date(2026, 2, 1)),
        new_relationship("ben", "cleo", id="bc", since=date(2026, 3, 1)),
        new_relationship("cleo", "dev", id="cd", since=date(2026, 9, 10)),
    ]
    AddEntities([*people, *rels], "setup").apply(book)
    meet = new_event("Circle", date=TODAY - timedelta(days=20))
    LogMeeting(meet, [("ana", "attendee"), ("ben", "attendee")]).apply(book)
    yield book
    book.close()


def rows(wb, table):
    return wb.rows(table)


def test_scorecard(wb):
    h = health.assess(load_network(wb, TODAY))
    card = h.scorecard
    assert card["members"] == 4 and card["ties"] == 3
    assert card["density"] == pytest.approx(0.5)
    assert card["components"] == 1 and card["isolates"] == 0
    assert card["bridges"] == 3  # a path: every tie holds it together
    assert card["in_person_share_90d"] == pytest.approx(0.5)
    assert card["reciprocity"] is None
    assert set(card) == set(health.SCORECARD_LABELS)
    assert h.stage in ("scattered fragments", "hub-and-spoke", "multi-hub", "core/periphery")


def test_monthly_series(wb):
    series = health.monthly_series(load_network(wb, TODAY), months=12)
    assert [m["month"] for m in series][-1] == "2026-11" and len(series) == 12
    by_month = {m["month"]: m for m in series}
    assert by_month["2026-01"]["members"] == 3 and by_month["2026-01"]["ties"] == 0
    assert by_month["2026-03"]["ties"] == 2
    assert by_month["2026-09"]["members"] == 4 and by_month["2026-09"]["ties"] == 3
    assert by_month["2026-11"]["meetings"] == 1
    assert by_month["2026-11"]["in_person_share"] == pytest.approx(0.5)
    assert by_month["2026-06"]["in_person_share"] == 0


def test_ratings_history_latest_and_undo(wb):
    first = new_rating("ab", date(2026, 5, 1), reliability=2, openness=3, notes="private note")
    second = new_rating("ab", date(2026, 10, 1), reliability=4, influence=3)
    RateTie(first).apply(wb)
    cmd = RateTie(second)
    cmd.apply(wb)
    stored = [rating_from_row(r) for r in rows(wb, "ratings")]
    assert latest_ratings(stored)["ab"].id == second.id
    assert [r.id for r in history_of(stored, "ab")] == [second.id, first.id]
    assert second.trust == 4 and second.value == 3 and first.trust == 2.5
    assert [r.id for r in wb.ratings_of("ab")] == [second.id, first.id]
    assert wb.latest_rating("ab").id == second.id and wb.latest_rating("bc") is None
    cmd.revert(wb)
    assert latest_ratings(rating_from_row(r) for r in rows(wb, "ratings"))["ab"].id == first.id
    EditRating(first.id, openness=1).apply(wb)
    assert wb.row("ratings", first.id)["openness"] == 1
    DeleteRatings([first.id]).apply(wb)
    assert rows(wb, "ratings") == []


def test_rating_validation():
    with pytest.raises(ValidationError):
        new_rating("ab", TODAY, reliability=5)
    with pytest.raises(ValidationError):
        new_rating("ab", TODAY)


def test_deleting_a_tie_or_member_takes_its_ratings_and_undo_restores_them(wb):
    RateTie(new_rating("ab", TODAY, reliability=3)).apply(wb)
    RateTie(new_rating("bc", TODAY, openness=2)).apply(wb)
    delete = DeleteRelationships(["ab"])
    changes = delete.apply(wb)
    assert len(changes.ratings.removed) == 1 and len(rows(wb, "ratings")) == 1
    delete.revert(wb)
    assert len(rows(wb, "ratings")) == 2
    gone = DeleteMembers(["ben"])
    gone.apply(wb)
    assert rows(wb, "ratings") == []
    gone.revert(wb)
    assert len(rows(wb, "ratings")) == 2 and wb.integrity() == "ok"


def test_snapshots_compare(wb):
    first = health.take_snapshot(load_network(wb, TODAY), "before")
    TakeSnapshot(first).apply(wb)
    # Later: Eve joins and meets Ana; Ben and Cleo fall out; nobody meets Ben again.
    later_day = TODAY + timedelta(days=80)
    AddEntities(
        [new_member("Eve", id="eve"), new_relationship("ana", "eve", id="ae")], "grow"
    ).apply(wb)
    DeleteRelationships(["bc"]).apply(wb)
    LogMeeting(new_event("Walk", date=later_day), [("ana", "host"), ("eve", "attendee")]).apply(wb)
    second = health.take_snapshot(load_network(wb, later_day), "after")
    TakeSnapshot(second).apply(wb)

    stored = [snapshot_from_row(r) for r in rows(wb, "snapshots")]
    assert {s.label for s in stored} == {"before", "after"}
    diff = snapshots.compare(stored[1], stored[0])  # order given does not matter
    assert diff.earlier.label == "before"
    assert diff.new_members == ["Eve"]
    assert diff.members_gone == []
    assert diff.new_ties == [("Ana", "Eve")]
    assert diff.lost_ties == [("Ben", "Cleo")]
    assert diff.gone_quiet == ["Ben"]
    measures = {n: (a, b) for n, a, b in diff.measures}
    assert measures["members"] == (4, 5)
    trend = snapshots.trends(stored)
    assert [v for _, v in trend["members"]] == [4.0, 5.0]
    assert diff.to_json()["new_ties"] == [["Ana", "Eve"]]


def test_profile_round_trip_and_undo(wb):
    profile = NetworkProfile(
        name="Valley Food Network",
        purpose="Feed the valley",
        value_proposition="Shared trucks",
        stage="alignment",
        answers={"governance": "A rotating council"},
    )
    cmd = SetProfile(profile)
    cmd.apply(wb)
    back = profile_from_settings(wb.settings())
    assert back == profile
    cmd.revert(wb)
    assert profile_from_settings(wb.settings()).purpose == ""
    with pytest.raises(ValidationError):
        NetworkProfile(name="x", stage="finished")


def test_monthly_series_counts_deleted_members_from_the_history(tmp_path):
    from weaver.core.metrics import NetworkData

    history = [
        (date(2026, 2, 10), {"members": {"added": ["x", "y"]}, "relationships": {"added": ["t"]}}),
        (date(2026, 5, 3), {"members": {"removed": ["x"]}, "relationships": {"removed": ["t"]}}),
        (date(2026, 6, 1), {"members": {"removed": ["y"]}}),
        (date(2026, 6, 2), {"members": {"added": ["y"]}}),  # the delete was undone
    ]
    y = new_member("Y", id="y", joined_on=date(2026, 2, 10))
    data = NetworkData(members={"y": y}, relationships=[], today=TODAY, history=history)
    by_month = {m["month"]: m for m in health.monthly_series(data, months=12)}
    assert by_month["2026-01"]["members"] == 0
    assert by_month["2026-03"]["members"] == 2 and by_month["2026-03"]["ties"] == 1
    assert by_month["2026-05"]["members"] == 1 and by_month["2026-05"]["ties"] == 0
    assert by_month["2026-11"]["members"] == 1
