"""Each undoable command: what it writes, what Changes it reports, and how it undoes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from weaver.core.changes import Changes, EntityChanges
from weaver.core.commands import (
    AddEntities,
    AddMember,
    DeleteEntities,
    DeleteMembers,
    DeleteRelationships,
    LogMeeting,
    Macro,
    MoveMembers,
    SetPinned,
    SetSettings,
    UpdateEntity,
    UpdateEvent,
    UpdateMember,
    UpdateRelationship,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.model import Affiliation, Attendance, ValidationError, new_id, utc_now
from weaver.core.store import Document
from weaver.core.store_read import DEFAULT_SETTINGS
from weaver.core.synthetic import synthetic_entities


@pytest.fixture
def wb(tmp_path: Path):
    book = Document.create(tmp_path / "commands.weaver")
    yield book
    book.close()


def _people(wb: Document, *names: str):
    members = [new_member(n) for n in names]
    AddEntities(members, "people").apply(wb)
    return members


def _unchanged(wb: Document, action) -> None:
    """``action`` must raise ValidationError and leave document and history as they were."""
    digest, history = wb.content_digest(), len(wb.history())
    with pytest.raises(ValidationError):
        action()
    assert wb.content_digest() == digest
    assert len(wb.history()) == history
    assert not wb.in_transaction


# ---- adding ------------------------------------------------------------------------------


def test_add_entities_orders_rows_for_foreign_keys(wb):
    ana, ben = new_member("Ana"), new_member("Ben", kind="organization")
    tie = new_relationship(ana.id, ben.id)
    event = new_event("Forum")
    stamp = utc_now()
    att = Attendance(new_id(), event.id, ana.id, "host", stamp, stamp)
    aff = Affiliation(new_id(), ana.id, ben.id, "staff", date(2020, 1, 1), stamp, stamp)
    command = AddEntities([att, tie, aff, event, ben, ana], "all at once")  # any order
    changes = command.apply(wb)
    assert changes.members.added == {ana.id, ben.id}
    assert changes.relationships.added == {tie.id}
    assert changes.affiliations.added == {aff.id}
    assert changes.events.added == {event.id}
    assert changes.attendance.added == {att.id}
    assert wb.integrity() == "ok"
    reverted = command.revert(wb)
    assert reverted.members.removed == {ana.id, ben.id}
    assert reverted.attendance.removed == {att.id}
    assert wb.counts()["members"] == 0


def test_add_member_labels(wb):
    assert AddMember(new_member("Ana")).label == "Add member 'Ana'"
    assert AddMember(new_member("Food Bank", kind="organization")).label == (
        "Add organization 'Food Bank'"
    )


def test_revert_before_apply_is_an_error(wb):
    with pytest.raises(RuntimeError, match="never applied"):
        AddMember(new_member("Ana")).revert(wb)


# ---- updating ----------------------------------------------------------------------------


def test_update_rejects_unknown_fields_when_built():
    with pytest.raises(ValidationError, match="unknown member field"):
        UpdateMember("x", shoe_size=42)
    with pytest.raises(ValidationError, match="unknown relationship field"):
        UpdateRelationship("x", id="other")


def test_update_of_a_deleted_member_is_refused(wb):
    (ana,) = _people(wb, "Ana")
    DeleteMembers([ana.id]).apply(wb)
    _unchanged(wb, lambda: UpdateMember(ana.id, role="Organizer").apply(wb))


def test_invalid_relationship_edits_change_nothing(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    tie = new_relationship(ana.id, ben.id, since=date(2024, 1, 1))
    AddEntities([tie], "tie").apply(wb)
    _unchanged(wb, lambda: UpdateRelationship(tie.id, strength=9).apply(wb))
    _unchanged(wb, lambda: UpdateRelationship(tie.id, direction="sideways").apply(wb))
    _unchanged(wb, lambda: UpdateRelationship(tie.id, ended_on=date(2023, 1, 1)).apply(wb))
    _unchanged(wb, lambda: UpdateRelationship(tie.id, target_id=ana.id).apply(wb))


def test_ending_a_tie_is_an_update_not_a_delete(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    tie = new_relationship(ana.id, ben.id, since=date(2024, 1, 1))
    AddEntities([tie], "tie").apply(wb)
    end = UpdateRelationship(tie.id, ended_on=date(2026, 6, 1))
    changes = end.apply(wb)
    assert changes.relationships.updated == {tie.id}
    ended = wb.relationship(tie.id)
    assert ended.ended_on == date(2026, 6, 1)
    assert not ended.is_active(date(2026, 7, 1))
    assert ended.is_active(date(2026, 5, 1))
    end.revert(wb)
    assert wb.relationship(tie.id) == tie


def test_update_event_and_affiliation(wb):
    (ana,) = _people(wb, "Ana")
    (org,) = [new_member("Org", kind="organization")]
    AddMember(org).apply(wb)
    event = new_event("Forum", date=date(2026, 1, 5))
    stamp = utc_now()
    aff = Affiliation(new_id(), ana.id, org.id, "staff", None, stamp, stamp)
    AddEntities([event, aff], "e").apply(wb)
    UpdateEvent(event.id, title="  Spring forum ", trust_building=True).apply(wb)
    assert wb.event(event.id).title == "Spring forum"
    assert wb.event(event.id).trust_building
    _unchanged(wb, lambda: UpdateEvent(event.id, end_date=date(2025, 1, 1)).apply(wb))
    UpdateEntity("affiliations", aff.id, {"role": "board"}).apply(wb)
    assert wb.affiliations_of(ana.id)[0].role == "board"


# ---- positions, pins and settings --------------------------------------------------------


def test_move_members_is_a_position_change_only(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    move = MoveMembers({ana.id: (10, 20), ben.id: (-1.5, 2), new_id(): (0, 0)})
    assert move.label == "Move 3 members"
    changes = move.apply(wb)
    assert changes.positions == {ana.id, ben.id}
    assert not changes.members
    moved = wb.member(ana.id)
    assert (moved.x, moved.y) == (10.0, 20.0)
    assert moved.updated_at == ana.updated_at, "moving is not editing"
    again = MoveMembers({ana.id: (10, 20)})
    assert not again.apply(wb)
    assert again.did_nothing
    move.revert(wb)
    assert (wb.member(ana.id).x, wb.member(ana.id).y) == (None, None)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_move_members_refuses_positions_that_are_not_numbers(wb, bad):
    (ana,) = _people(wb, "Ana")
    with pytest.raises(ValidationError, match="finite"):
        MoveMembers({ana.id: (bad, 0.0)})
    with pytest.raises(ValidationError, match="finite"):
        MoveMembers({ana.id: (0.0, bad)})


def test_set_pinned(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    pin = SetPinned([ana.id, ben.id], True)
    assert pin.label == "Pin 2 members"
    assert pin.apply(wb).positions == {ana.id, ben.id}
    assert all(m.pinned for m in wb.members())
    assert SetPinned([ana.id], True).apply(wb).positions == frozenset()
    assert SetPinned([ana.id], False).label == "Unpin 1 member"
    pin.revert(wb)
    assert not any(m.pinned for m in wb.members())


def test_settings_change_and_undo(wb):
    change = SetSettings({"name": "Riverbend Network", "description": "Food justice"})
    changes = change.apply(wb)
    assert changes.settings == {"name", "description"}
    assert wb.setting("name") == "Riverbend Network"
    assert wb.setting("description") == "Food justice"
    assert not SetSettings({"name": "Riverbend Network"}).apply(wb)
    views = SetSettings({"saved_views": [{"name": "Funders", "filter": {"kind": "funder"}}]})
    views.apply(wb)
    assert wb.setting("saved_views")[0]["name"] == "Funders"
    views.revert(wb)
    assert wb.setting("saved_views") is None
    assert wb.row("settings", "saved_views") is None
    change.revert(wb)
    assert wb.setting("name") == "Untitled network"
    assert wb.setting("description") == DEFAULT_SETTINGS["description"]


# ---- deleting ----------------------------------------------------------------------------


def test_delete_labels_and_duplicates(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    delete = DeleteMembers([ana.id, ben.id, ana.id])
    assert delete.label == "Delete 2 members"
    assert delete.apply(wb).members.removed == {ana.id, ben.id}
    assert DeleteMembers([new_id()]).apply(wb) == Changes()
    assert DeleteEntities("attendance", []).label == "Delete 0 attendance"


def test_deleting_relationships_keeps_the_members(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    first = new_relationship(ana.id, ben.id, kind="colleague")
    second = new_relationship(ana.id, ben.id, kind="friend")  # same pair, another kind
    AddEntities([first, second], "ties").apply(wb)
    delete = DeleteRelationships([first.id])
    changes = delete.apply(wb)
    assert changes.relationships.removed == {first.id}
    assert not changes.members
    assert [r.kind for r in wb.relationships()] == ["friend"]
    delete.revert(wb)
    assert {r.id for r in wb.relationships()} == {first.id, second.id}


def test_deleting_affiliations_and_attendance(wb):
    ana, org = new_member("Ana"), new_member("Org", kind="organization")
    event = new_event("Forum")
    stamp = utc_now()
    aff = Affiliation(new_id(), ana.id, org.id, "staff", None, stamp, stamp)
    att = Attendance(new_id(), event.id, ana.id, "attendee", stamp, stamp)
    AddEntities([ana, org, event, aff, att], "seed").apply(wb)
    assert DeleteEntities("affiliations", [aff.id]).apply(wb).affiliations.removed == {aff.id}
    assert DeleteEntities("attendance", [att.id]).apply(wb).attendance.removed == {att.id}
    assert wb.counts()["members"] == 2 and wb.counts()["events"] == 1


def test_deleting_many_members_crosses_the_query_chunks_and_undoes(wb):
    wb.conn.execute("PRAGMA synchronous = OFF")  # speed only; not what this test checks
    network = synthetic_entities(1300, seed=9, n_events=20)
    AddEntities(network, "seed").apply(wb)
    before = wb.content_digest()
    doomed = [m.id for m in network.members[:1100]]  # > 400 and > 500 per query chunk
    delete = DeleteMembers(doomed)
    changes = delete.apply(wb)
    assert len(changes.members.removed) == 1100
    assert wb.counts()["members"] == 200
    assert wb.integrity() == "ok"
    left = {m.id for m in wb.members()}
    assert all(r.source_id in left and r.target_id in left for r in wb.relationships())
    delete.revert(wb)
    assert wb.content_digest() == before


# ---- macros ------------------------------------------------------------------------------


def test_macro_is_one_step_and_merges_changes(wb):
    (ana,) = _people(wb, "Ana")
    newcomer = new_member("Newcomer")
    macro = Macro(
        "Introduce a newcomer",
        [
            AddMember(newcomer),
            UpdateMember(newcomer.id, role="Volunteer"),
            AddEntities([new_relationship(ana.id, newcomer.id, kind="introduced")], "tie"),
            UpdateMember(ana.id, notes="introduced the newcomer"),
        ],
    )
    statements: list[str] = []
    wb.conn.set_trace_callback(statements.append)
    changes = macro.apply(wb)
    wb.conn.set_trace_callback(None)
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert changes.members.added == {newcomer.id}
    assert changes.members.updated == {ana.id}
    assert wb.member(newcomer.id).role == "Volunteer"
    assert [h["label"] for h in wb.history()][-1] == "Introduce a newcomer"
    before_revert = len(wb.history())
    macro.revert(wb)
    assert wb.member(newcomer.id) is None
    assert wb.member(ana.id).notes == ""
    assert len(wb.history()) == before_revert + 1


def test_a_failing_part_undoes_the_whole_macro(wb):
    (ana,) = _people(wb, "Ana")
    macro = Macro(
        "Half good",
        [AddMember(new_member("Ben")), UpdateMember(ana.id, consent="perhaps")],
    )
    _unchanged(wb, lambda: macro.apply(wb))
    assert [m.name for m in wb.members()] == ["Ana"]
    assert macro.writes == []


# ---- the meeting log ---------------------------------------------------------------------


def test_log_meeting_records_event_attendance_and_ties(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    event = new_event("Coffee", date=date(2026, 2, 2), kind="one-to-one")
    meeting = LogMeeting(
        event,
        [(ana.id, "host"), (ben.id, "attendee"), (ben.id, "attendee")],
        record_met=True,
        met_kind="acquaintance",
    )
    assert meeting.label == "Log meeting 'Coffee'"
    changes = meeting.apply(wb)
    assert changes.events.added == {event.id}
    assert len(changes.attendance.added) == 2
    (tie,) = wb.relationships()
    assert tie.kind == "acquaintance" and tie.strength == 1 and tie.since == date(2026, 2, 2)
    assert {a.role for a in wb.attendance_of_event(event.id)} == {"host", "attendee"}
    # Logging it again (after undo) recreates the very same rows.
    first = wb.content_digest()
    meeting.revert(wb)
    assert wb.counts()["events"] == 0 and wb.counts()["relationships"] == 0
    meeting.apply(wb)
    assert wb.content_digest() == first


def test_log_meeting_without_record_met_leaves_ties_alone(wb):
    ana, ben = _people(wb, "Ana", "Ben")
    LogMeeting(new_event("Call", in_person=True), [(ana.id, "host"), (ben.id, "attendee")]).apply(
        wb
    )
    assert wb.relationships() == []


# ---- Changes ------------------------------------------------------------------------------


def test_entity_changes_merge_like_an_undo_stack():
    add = EntityChanges(added=frozenset({"a"}))
    remove = EntityChanges(removed=frozenset({"a"}))
    update = EntityChanges(updated=frozenset({"a"}))
    assert not add.merged(remove)  # added then removed: nothing happened
    assert add.merged(update) == add  # added then edited: still just added
    assert remove.merged(add) == update  # removed then re-added: reads as an update
    total = Changes.combine(
        [Changes(members=add), Changes(positions=frozenset({"b"})), Changes(settings={"name"})]
    )
    assert total.members.added == {"a"}
    assert total.positions == {"b"}
    assert total.to_json() == {
        "members": {"added": ["a"]},
        "positions": ["b"],
        "settings": ["name"],
    }
    assert not Changes()
    assert Changes(reset=True)
