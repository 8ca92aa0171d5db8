"""The .weaver document: format, locking, busy files, upgrades, history and the core API."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from weaver.core import schema
from weaver.core.commands import (
    AddEntities,
    AddMember,
    DeleteEvents,
    DeleteMembers,
    LogMeeting,
    MoveMembers,
    SetPinned,
    SetSettings,
    UpdateMember,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.errors import (
    DocumentBusy,
    DocumentError,
    DocumentLocked,
    MissingDocument,
    ReadOnlyDocument,
    RefusedDestination,
)
from weaver.core.lockfile import lock_path
from weaver.core.model import Affiliation, Attendance, ValueItem, new_id, utc_now
from weaver.core.store import Document


def _header_ints(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:100]
    return int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "network.weaver"


@pytest.fixture
def wb(path: Path):
    book = Document.create(path, name="Test network")
    yield book
    book.close()


def _small_network(wb: Document) -> dict[str, str]:
    """Ana, Ben, Cleo and an organization; ties, an affiliation, an event with attendance."""
    stamp = utc_now()
    ana = new_member("Ana", stamp, email="ana@example.org", tags=("housing",))
    ben = new_member("Ben", stamp)
    cleo = new_member("Cleo", stamp)
    org = new_member("Riverbend Food Bank", stamp, kind="organization")
    ab = new_relationship(ana.id, ben.id, stamp, strength=4)
    bc = new_relationship(ben.id, cleo.id, stamp)
    aff = Affiliation(new_id(), ana.id, org.id, "board", None, stamp, stamp)
    event = new_event("Spring forum", stamp, date=date(2026, 3, 1))
    att_a = Attendance(new_id(), event.id, ana.id, "host", stamp, stamp)
    att_b = Attendance(new_id(), event.id, ben.id, "attendee", stamp, stamp)
    AddEntities([ana, ben, cleo, org, ab, bc, aff, event, att_a, att_b], "seed").apply(wb)
    return {
        "ana": ana.id,
        "ben": ben.id,
        "cleo": cleo.id,
        "org": org.id,
        "ab": ab.id,
        "bc": bc.id,
        "aff": aff.id,
        "event": event.id,
        "att_a": att_a.id,
        "att_b": att_b.id,
    }


# ---- the file format ---------------------------------------------------------------------


def test_new_document_is_marked_versioned_and_in_rollback_journal_mode(wb, path):
    _small_network(wb)
    app_id, version = _header_ints(path)
    assert app_id == schema.APPLICATION_ID
    assert version == schema.SCHEMA_VERSION >= 1
    assert wb.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert wb.schema_version() == schema.SCHEMA_VERSION
    wb.close()
    leftovers = sorted(p.name for p in path.parent.iterdir())
    assert leftovers == [path.name], "no -wal/-shm/-journal or lock file after closing"


def test_foreign_keys_are_on_for_every_connection(wb, path):
    wb.close()
    for book in (Document.open(path), Document.open(path, readonly=True)):
        with book:
            assert book.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            sibling = book.sibling()
            assert sibling.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            sibling.close()


def test_foreign_keys_are_enforced_as_a_clear_refusal(wb):
    from weaver.core.model import ValidationError

    ghost = new_relationship(new_id(), new_id())
    with pytest.raises(ValidationError, match="no longer exists"):
        AddEntities([ghost], "dangling tie").apply(wb)
    assert wb.counts()["relationships"] == 0
    assert wb.history() == []
    assert not wb.in_transaction


def test_schema_guards_refuse_duplicates_and_change_nothing(wb):
    from weaver.core.model import ValidationError

    ids = _small_network(wb)
    before, history = wb.content_digest(), len(wb.history())
    stamp = utc_now()
    twice = Attendance(new_id(), ids["event"], ids["ana"], "speaker", stamp, stamp)
    newcomer = new_member("Newcomer")
    with pytest.raises(ValidationError, match="already recorded at that event"):
        AddEntities([newcomer, twice], "log again").apply(wb)
    ana_again = new_member("Ana again", id=ids["ana"])
    with pytest.raises(ValidationError, match="already exists"):
        AddMember(ana_again).apply(wb)
    assert wb.content_digest() == before
    assert len(wb.history()) == history
    assert wb.member(newcomer.id) is None


def test_writes_start_with_begin_immediate(wb):
    statements: list[str] = []
    wb.conn.set_trace_callback(statements.append)
    AddMember(new_member("Ana")).apply(wb)
    wb.conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"


def test_settings_live_in_the_document(wb, path):
    assert wb.setting("name") == "Test network"
    assert wb.settings()["private_fields"]["members"] == ["email", "phone", "notes"]
    wb.close()
    with Document.open(path, readonly=True) as again:
        assert again.name == "Test network"


# ---- a file another program is writing ---------------------------------------------------


def test_busy_file_is_refused_quickly_with_a_clear_message(wb, path):
    AddMember(new_member("Ana")).apply(wb)
    before = wb.content_digest()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(DocumentBusy, match="in use by another program"):
            AddMember(new_member("Ben")).apply(wb)
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert 1.0 <= waited < 6.0  # the 2 s busy timeout, not a hang
    assert not wb.in_transaction
    assert wb.content_digest() == before
    AddMember(new_member("Ben")).apply(wb)  # usable again once the other program is done
    assert wb.counts()["members"] == 2


def test_commit_blocked_by_a_reader_rolls_back_and_can_be_retried(wb, path):
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM members").fetchone()  # holds a shared lock
    command = AddMember(new_member("Ana"))
    try:
        with pytest.raises(DocumentBusy):
            command.apply(wb)
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert wb.counts()["members"] == 0
    assert wb.history() == []
    assert command.writes == []
    with pytest.raises(RuntimeError, match="never applied"):
        command.revert(wb)  # it never took effect, so there is nothing to undo
    command.apply(wb)
    assert wb.counts()["members"] == 1


def test_opening_a_file_exclusively_locked_elsewhere_is_busy_and_leaves_no_lock(wb, path):
    wb.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DocumentBusy, match="in use by another program"):
            Document.open(path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not lock_path(path).exists()


# ---- missing paths and creating ----------------------------------------------------------


@pytest.mark.parametrize("readonly", [False, True])
def test_opening_a_missing_path_raises_and_creates_nothing(tmp_path, readonly):
    missing = tmp_path / "nope.weaver"
    with pytest.raises(MissingDocument, match=r"nope\.weaver"):
        Document.open(missing, readonly=readonly)
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_an_existing_file_and_a_missing_folder(wb, path, tmp_path):
    with pytest.raises(DocumentError, match="already exists"):
        Document.create(path)
    with pytest.raises(DocumentError, match="does not exist"):
        Document.create(tmp_path / "no-such-folder" / "x.weaver")
    assert not (tmp_path / "no-such-folder").exists()


# ---- one writer: the lock file -----------------------------------------------------------


def test_second_writer_is_refused_but_read_only_opening_is_allowed(wb, path):
    AddMember(new_member("Ana")).apply(wb)
    assert lock_path(path).exists()
    with pytest.raises(DocumentLocked, match="read-only") as refused:
        Document.open(path)
    assert str(os.getpid()) not in str(refused.value)  # names a person and host, not a pid
    assert socket.gethostname() in str(refused.value)
    with Document.open(path, readonly=True) as viewer:
        assert [m.name for m in viewer.members()] == ["Ana"]
    assert lock_path(path).exists(), "the reader must not touch the writer's lock"
    wb.close()
    assert not lock_path(path).exists()
    with Document.open(path) as again:
        assert again.counts()["members"] == 1


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize(
    "content",
    [
        lambda: {"pid": _dead_pid(), "host": socket.gethostname(), "user": "x", "since": "then"},
        lambda: None,  # empty: the writer died between creating and filling it
    ],
    ids=["dead-pid", "empty"],
)
def test_a_stale_lock_is_taken_over(wb, path, content):
    wb.close()
    info = content()
    lock_path(path).write_text("" if info is None else json.dumps(info), encoding="utf-8")
    if info is None:  # a fresh empty lock may be mid-write: only an old one is stale
        os.utime(lock_path(path), (time.time() - 60, time.time() - 60))
    with Document.open(path) as again:
        held = json.loads(lock_path(path).read_text(encoding="utf-8"))
        assert held["pid"] == os.getpid()
        AddMember(new_member("Ana")).apply(again)
    assert not lock_path(path).exists()


def test_a_lock_from_another_computer_is_respected(wb, path):
    wb.close()
    info = {"pid": 1, "host": "someone-elses-laptop", "user": "dana", "since": "2026-11-20"}
    lock_path(path).write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(DocumentLocked, match="dana on someone-elses-laptop"):
        Document.open(path)
    assert json.loads(lock_path(path).read_text(encoding="utf-8")) == info


# ---- read-only opening -------------------------------------------------------------------


def test_read_only_opening_never_writes(wb, path):
    _small_network(wb)
    wb.close()
    before = _snapshot(path)
    with Document.open(path, readonly=True) as viewer:
        assert viewer.readonly
        assert viewer.counts()["members"] == 4
        assert viewer.integrity() == "ok"
        assert not lock_path(path).exists()
        with pytest.raises(ReadOnlyDocument):
            AddMember(new_member("Intruder")).apply(viewer)
        with pytest.raises(sqlite3.OperationalError):
            viewer.conn.execute("DELETE FROM members")
    assert _snapshot(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# ---- upgrading an older file -------------------------------------------------------------


def _version_zero_file(path: Path) -> None:
    """A Weaver file from before the first migration: marked, version 0, no tables."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


def test_an_older_file_is_copied_with_vacuum_into_before_it_is_migrated(path):
    _version_zero_file(path)
    original = path.read_bytes()
    with Document.open(path) as book:
        assert book.schema_version() == schema.SCHEMA_VERSION
        assert book.counts()["members"] == 0
        AddMember(new_member("Ana")).apply(book)
    backup = path.with_name("network.before-upgrade-v0.weaver")
    assert backup.exists()
    assert _header_ints(backup) == (schema.APPLICATION_ID, 0)
    check = sqlite3.connect(backup)
    assert check.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    check.close()
    assert _header_ints(path) == (schema.APPLICATION_ID, schema.SCHEMA_VERSION)
    assert path.read_bytes() != original
    with Document.open(path, readonly=True) as again:
        assert [m.name for m in again.members()] == ["Ana"]
        assert again.integrity() == "ok"


def test_upgrade_uses_vacuum_into(path, monkeypatch):
    _version_zero_file(path)
    seen: list[str] = []
    original_upgrade = Document._upgrade

    def traced(self, version):
        self.conn.set_trace_callback(seen.append)
        try:
            original_upgrade(self, version)
        finally:
            self.conn.set_trace_callback(None)

    monkeypatch.setattr(Document, "_upgrade", traced)
    Document.open(path).close()
    vacuum = next(i for i, s in enumerate(seen) if s.startswith("VACUUM INTO"))
    create = next(i for i, s in enumerate(seen) if "CREATE TABLE" in s)
    assert vacuum < create, "the copy is taken before any migration runs"


def test_read_only_opening_of_an_older_file_upgrades_in_memory_only(path):
    _version_zero_file(path)
    before = _snapshot(path)
    with Document.open(path, readonly=True) as viewer:
        assert viewer.schema_version() == schema.SCHEMA_VERSION
        assert viewer.counts()["members"] == 0
    assert _snapshot(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# ---- ids, timestamps, no-op updates, history ---------------------------------------------


def test_ids_are_uuids(wb):
    ids = _small_network(wb)
    for key in ("ana", "ab", "event", "aff", "att_a"):
        assert uuid.UUID(ids[key]).version == 4


def _parse_utc(stamp: str) -> datetime:
    assert stamp.endswith("Z")
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_timestamps_are_utc_stamped_at_build_and_restored_on_revert(wb):
    built = datetime.now(UTC)
    ana = new_member("Ana")
    assert ana.created_at == ana.updated_at
    assert abs((_parse_utc(ana.created_at) - built).total_seconds()) < 5
    AddMember(ana).apply(wb)
    assert wb.member(ana.id).created_at == ana.created_at

    edit = UpdateMember(ana.id, role="Organizer")
    stamp = edit.stamp
    time.sleep(0.002)
    edit.apply(wb)
    edited = wb.member(ana.id)
    assert edited.updated_at == stamp > ana.updated_at
    assert edited.created_at == ana.created_at
    edit.revert(wb)
    assert wb.member(ana.id) == ana
    time.sleep(0.002)
    edit.apply(wb)  # redo: the very same stamp, not a new one
    assert wb.member(ana.id).updated_at == stamp


def test_an_update_that_changes_nothing_writes_nothing(wb):
    ana = new_member("Ana", role="Organizer", tags=("housing", "food"))
    AddMember(ana).apply(wb)
    history_before = len(wb.history())
    total_before = wb.conn.total_changes
    same = UpdateMember(ana.id, role="Organizer", name="  Ana ", tags=["housing", "food", "Food"])
    changes = same.apply(wb)
    assert not changes
    assert same.did_nothing
    assert wb.conn.total_changes == total_before
    assert len(wb.history()) == history_before
    assert not same.revert(wb)
    assert wb.conn.total_changes == total_before


def test_history_records_apply_and_revert(wb):
    ana = new_member("Ana")
    add = AddMember(ana)
    add.apply(wb)
    edit = UpdateMember(ana.id, role="Organizer", label="Edit Ana's role")
    edit.apply(wb)
    edit.revert(wb)
    history = wb.history()
    assert [(h["action"], h["command"]) for h in history] == [
        ("apply", "AddEntities"),
        ("apply", "UpdateEntity"),
        ("revert", "UpdateEntity"),
    ]
    assert history[0]["label"] == "Add member 'Ana'"
    assert history[0]["changes"] == {"members": {"added": [ana.id]}}
    assert history[1]["label"] == "Edit Ana's role"
    assert history[1]["changes"] == {"members": {"updated": [ana.id]}}
    assert history[2]["changes"] == {"members": {"updated": [ana.id]}}
    stamps = [h["at"] for h in history]
    assert stamps == sorted(stamps)
    assert [h["seq"] for h in history] == [1, 2, 3]


# ---- deleting with everything attached ---------------------------------------------------


def test_deleting_a_member_takes_its_ties_and_undo_restores_them_with_the_same_ids(wb):
    ids = _small_network(wb)
    before = wb.content_digest()
    delete = DeleteMembers([ids["ana"]])
    changes = delete.apply(wb)
    assert changes.members.removed == {ids["ana"]}
    assert changes.relationships.removed == {ids["ab"]}
    assert changes.affiliations.removed == {ids["aff"]}
    assert changes.attendance.removed == {ids["att_a"]}
    assert {r.id for r in wb.relationships()} == {ids["bc"]}
    assert wb.affiliations() == []
    assert {a.id for a in wb.attendance()} == {ids["att_b"]}
    assert wb.event(ids["event"]) is not None
    assert wb.integrity() == "ok"
    after = wb.content_digest()

    undo = delete.revert(wb)
    assert undo.members.added == {ids["ana"]}
    assert undo.relationships.added == {ids["ab"]}
    assert wb.content_digest() == before
    delete.apply(wb)
    assert wb.content_digest() == after


def test_deleting_an_event_takes_its_attendance(wb):
    ids = _small_network(wb)
    before = wb.content_digest()
    delete = DeleteEvents([ids["event"]])
    changes = delete.apply(wb)
    assert changes.attendance.removed == {ids["att_a"], ids["att_b"]}
    assert wb.attendance() == []
    assert wb.counts()["members"] == 4
    delete.revert(wb)
    assert wb.content_digest() == before


def test_deleting_a_member_in_one_transaction(wb):
    ids = _small_network(wb)
    statements: list[str] = []
    wb.conn.set_trace_callback(statements.append)
    DeleteMembers([ids["ana"], ids["ben"]]).apply(wb)
    wb.conn.set_trace_callback(None)
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("COMMIT") == 1


# ---- save a copy -------------------------------------------------------------------------


def test_save_copy_leaves_deleted_data_out(wb, path, tmp_path):
    secret = "SECRET-" + uuid.uuid4().hex
    AddMember(new_member("Ana")).apply(wb)
    gossip = new_member("Gossip", notes=secret * 20)
    AddMember(gossip).apply(wb)
    DeleteMembers([gossip.id]).apply(wb)
    copy = tmp_path / "copy.weaver"
    wb.save_copy(copy)
    assert secret.encode() not in copy.read_bytes()
    if wb.conn.execute("PRAGMA secure_delete").fetchone()[0] == 0:
        # Without secure_delete the freed page still holds it: the copy is what is safe to send.
        assert secret.encode() in path.read_bytes()
    with Document.open(copy, readonly=True) as sent:
        assert sent.content_digest() == wb.content_digest()
        assert sent.integrity() == "ok"
        assert _header_ints(copy) == (schema.APPLICATION_ID, schema.SCHEMA_VERSION)
    assert not copy.with_name(".copy.weaver.tmp").exists()


def test_save_copy_to_an_unwritable_place_is_a_clear_error(wb, tmp_path):
    with pytest.raises(DocumentError, match="cannot be written"):
        wb.save_copy(tmp_path / "no-such-folder" / "copy.weaver")


# ---- round trips and reads ---------------------------------------------------------------


def test_every_member_field_round_trips(wb, path):
    full = new_member(
        "Dara Okafor",
        kind="person",
        email="dara@example.org",
        phone="555-0101",
        role="Organizer",
        location="Riverbend",
        sector="nonprofit",
        notes="Prefers mornings.\nMulti-line, ünïcode ✓",
        tags=("housing", "youth"),
        offers=(ValueItem("skill", "grant writing"), ValueItem("connection", "city council")),
        needs=(ValueItem("resource", "meeting space"),),
        joined_on=date(2024, 5, 6),
        consent="yes",
        x=1.5,
        y=-2.25,
        pinned=True,
        custom={"Shoe size": "42", "Pronouns": "they/them"},
    )
    AddMember(full).apply(wb)
    wb.close()
    with Document.open(path, readonly=True) as again:
        assert again.members() == [full]
        assert again.member(full.id) == full
        assert again.members_by_ids([full.id, new_id()]) == [full]


def test_relationships_of_and_counts(wb):
    ids = _small_network(wb)
    assert {r.id for r in wb.relationships_of([ids["ben"]])} == {ids["ab"], ids["bc"]}
    assert {r.id for r in wb.relationships_of([ids["ana"], ids["cleo"]])} == {
        ids["ab"],
        ids["bc"],
    }
    counts = wb.counts()
    assert counts["members"] == 4
    assert counts["people"] == 3
    assert counts["organizations"] == 1
    assert counts["relationships"] == 2
    assert counts["affiliations"] == 1
    assert counts["events"] == 1
    assert counts["attendance"] == 2
    assert wb.integrity() == "ok"


def test_sibling_connection_can_write_from_a_worker_thread(wb):
    results: list[int] = []

    def work() -> None:
        sibling = wb.sibling()
        try:
            AddMember(new_member("From a thread")).apply(sibling)
            results.append(sibling.counts()["members"])
        finally:
            sibling.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert results == [1]
    assert [m.name for m in wb.members()] == ["From a thread"]


# ---- the meeting log ---------------------------------------------------------------------


def _meeting(wb: Document, people: list[str], **fields) -> LogMeeting:
    event = new_event("Coffee", date=date(2026, 4, 2), **fields)
    return LogMeeting(event, [(p, "attendee") for p in people], record_met=True)


def test_log_meeting_creates_and_strengthens_ties_and_undoes_exactly(wb):
    ids = _small_network(wb)  # ana-ben strength 4, ben-cleo strength 3
    ended = new_relationship(ids["ana"], ids["cleo"], strength=2, ended_on=date(2025, 1, 1))
    AddEntities([ended], "old tie").apply(wb)
    before = wb.content_digest()

    meeting = _meeting(wb, [ids["ana"], ids["ben"], ids["cleo"]])
    changes = meeting.apply(wb)
    rels = {r.id: r for r in wb.relationships()}
    assert rels[ids["ab"]].strength == 5
    assert rels[ids["bc"]].strength == 4
    assert rels[ids["ab"]].updated_at == meeting.stamp
    new_ties = [r for r in rels.values() if r.kind == "met"]
    assert len(new_ties) == 1, "the ended ana-cleo tie does not count: a new one is made"
    tie = new_ties[0]
    assert {tie.source_id, tie.target_id} == {ids["ana"], ids["cleo"]}
    assert tie.strength == 1
    assert tie.since == date(2026, 4, 2)
    assert rels[ended.id] == ended
    assert changes.relationships.added == {tie.id}
    assert changes.relationships.updated == {ids["ab"], ids["bc"]}
    assert changes.events.added == {meeting.event.id}
    assert len(changes.attendance.added) == 3

    after = wb.content_digest()
    meeting.revert(wb)
    assert wb.content_digest() == before
    meeting.apply(wb)
    assert wb.content_digest() == after

    again = _meeting(wb, [ids["ana"], ids["ben"]])
    again.apply(wb)
    assert wb.relationship(ids["ab"]).strength == 5, "capped at 5"
    assert not again.did_nothing  # the event and attendance are still logged


def test_log_meeting_not_in_person_records_no_ties(wb):
    ids = _small_network(wb)
    meeting = _meeting(wb, [ids["ana"], ids["cleo"]], in_person=False)
    changes = meeting.apply(wb)
    assert not changes.relationships
    assert wb.relationship(ids["ab"]).strength == 4


def test_log_meeting_with_a_new_member(wb):
    ids = _small_network(wb)
    newcomer = new_member("Newcomer")
    event = new_event("Intro coffee", date=date(2026, 5, 1), kind="one-to-one")
    meeting = LogMeeting(
        event,
        [(ids["ana"], "host"), (newcomer.id, "attendee")],
        new_members=[newcomer],
        record_met=True,
    )
    meeting.apply(wb)
    assert wb.member(newcomer.id) is not None
    assert len(wb.relationships_of([newcomer.id])) == 1
    meeting.revert(wb)
    assert wb.member(newcomer.id) is None
    assert wb.integrity() == "ok"


def test_member_validation_happens_when_building(wb):
    from weaver.core.model import ValidationError

    with pytest.raises(ValidationError, match="name"):
        new_member("   ")
    ana = new_member("Ana")
    AddMember(ana).apply(wb)
    with pytest.raises(ValidationError):
        UpdateMember(ana.id, name=" ").apply(wb)
    with pytest.raises(ValidationError):
        UpdateMember(ana.id, consent="maybe").apply(wb)
    assert wb.member(ana.id) == ana
    assert wb.history()[-1]["command"] == "AddEntities"


def _crash_mid_transaction(path: Path) -> None:
    """A writer that dies (no cleanup at all) after changing rows but before committing.

    A tiny page cache makes SQLite sync the journal and write changed pages into the file
    before the commit, as a big transaction would: the journal left behind is "hot".
    """
    code = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 2")
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE members SET name = 'CRASHED'")
conn.execute(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
    "INSERT INTO history (at, action, command, label, changes) "
    "SELECT 'x', 'apply', 'X', hex(randomblob(500)), '{}' FROM n"
)
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def test_read_only_opening_after_a_crash_reads_the_last_committed_state(wb, path):
    _small_network(wb)
    committed = wb.content_digest()
    wb.close()
    _crash_mid_transaction(path)
    journal = path.with_name(path.name + "-journal")
    assert journal.read_bytes()[:8] == bytes.fromhex("d9d505f920a163d7"), "a hot journal"
    before = _snapshot(path), journal.read_bytes()
    with Document.open(path, readonly=True) as viewer:
        assert viewer.readonly
        assert viewer.content_digest() == committed
        assert viewer.integrity() == "ok"
        with pytest.raises(ReadOnlyDocument):
            AddMember(new_member("Intruder")).apply(viewer)
    assert (_snapshot(path), journal.read_bytes()) == before, "the reader touched nothing"
    with Document.open(path) as writer:  # the next writer rolls the crash back for real
        assert writer.content_digest() == committed
    assert not journal.exists() or journal.read_bytes()[:8] != bytes.fromhex("d9d505f920a163d7")


def test_a_read_only_folder_offers_read_only_opening(wb, path, tmp_path, monkeypatch):
    """No lock file can be made (a read-only share): a clear refusal, never a traceback."""
    from weaver.core import lockfile

    AddMember(new_member("Ana")).apply(wb)
    wb.close()

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lockfile.os, "open", denied)
    with pytest.raises(ReadOnlyDocument, match="opened read-only") as refused:
        Document.open(path)
    assert "Permission denied" in str(refused.value)
    with Document.open(path, readonly=True) as viewer:
        assert [m.name for m in viewer.members()] == ["Ana"]
    with pytest.raises(DocumentError, match="is not writable"):
        Document.create(tmp_path / "new.weaver")
    assert not (tmp_path / "new.weaver").exists()


def test_a_no_op_command_leaves_the_file_untouched(wb, path):
    ana = new_member("Ana", role="Organizer")
    AddMember(ana).apply(wb)
    before = _snapshot(path)
    time.sleep(0.01)
    assert not UpdateMember(ana.id, role="Organizer").apply(wb)
    assert not SetPinned([ana.id], False).apply(wb)
    assert not SetSettings({"name": "Test network"}).apply(wb)
    assert _snapshot(path) == before


def test_bulk_loading_gives_exactly_what_row_by_row_conversion_gives(wb):
    from weaver.core.codec import FROM_ROW
    from weaver.core.synthetic import synthetic_entities

    _small_network(wb)
    AddEntities(synthetic_entities(80, seed=6, n_events=8), "more").apply(wb)
    MoveMembers({wb.members()[0].id: (1.0, 2.0)}).apply(wb)
    for table, load in (
        ("members", wb.members),
        ("relationships", wb.relationships),
        ("affiliations", wb.affiliations),
        ("events", wb.events),
        ("attendance", wb.attendance),
    ):
        loaded = load()
        one_by_one = [FROM_ROW[table](r) for r in wb.rows(table)]
        assert loaded == one_by_one
        assert [repr(e) for e in loaded] == [repr(e) for e in one_by_one]
        assert [type(e) for e in loaded] == [type(e) for e in one_by_one]
    member = wb.members()[0]
    assert isinstance(member.tags, tuple) and isinstance(member.pinned, bool)
    with pytest.raises(dataclasses.FrozenInstanceError):
        member.name = "changed"  # type: ignore[misc]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_lock_whose_pid_now_belongs_to_a_younger_process_is_stale(wb, path):
    """After a crash or reboot the old pid may be reused: a process younger than the lock
    cannot be its holder."""
    wb.close()
    reused = {
        "pid": os.getpid(),  # alive, but started long after the lock was made
        "host": socket.gethostname(),
        "user": "x",
        "since": "2026-01-01 09:00 UTC",
        "created": time.time() - 30 * 86400,
    }
    lock_path(path).write_text(json.dumps(reused), encoding="utf-8")
    with Document.open(path):
        assert json.loads(lock_path(path).read_text(encoding="utf-8"))["created"] > time.time() - 60
    live = reused | {"created": time.time()}
    lock_path(path).write_text(json.dumps(live), encoding="utf-8")
    with pytest.raises(DocumentLocked):
        Document.open(path)
    lock_path(path).unlink()


def _downgrade_to_v1(path: Path) -> None:
    """What a document written by the first release looked like (only migration 1)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE IF EXISTS ratings")
    conn.execute("DROP TABLE IF EXISTS snapshots")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name <> 'm001_initial'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


@pytest.mark.skipif(schema.SCHEMA_VERSION < 2, reason="needs a second migration")
def test_a_first_release_document_is_upgraded_with_its_data_and_a_backup(wb, path):
    _small_network(wb)
    content = wb.content_digest()
    wb.close()
    _downgrade_to_v1(path)
    v1_bytes = path.read_bytes()
    with Document.open(path, readonly=True) as viewer:  # readable without upgrading the file
        assert viewer.schema_version() == schema.SCHEMA_VERSION
    assert path.read_bytes() == v1_bytes
    with Document.open(path) as book:
        assert book.schema_version() == schema.SCHEMA_VERSION
        assert book.content_digest() == content
        assert book.integrity() == "ok"
    backup = path.with_name("network.before-upgrade-v1.weaver")
    assert _header_ints(backup) == (schema.APPLICATION_ID, 1)
    with Document.open(backup, readonly=True) as old:
        assert old.counts()["members"] == 4
    assert not lock_path(backup).exists()


def test_a_read_only_file_is_refused_for_editing_at_once(wb, path, monkeypatch):
    wb.close()
    real_access = os.access

    def no_write(target, mode, *args, **kwargs):
        if Path(target) == path and mode & os.W_OK:
            return False
        return real_access(target, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", no_write)
    with pytest.raises(ReadOnlyDocument, match="read-only file; it can be opened read-only"):
        Document.open(path)
    assert not lock_path(path).exists()
    with Document.open(path, readonly=True) as viewer:
        assert viewer.name == "Test network"


def test_save_copy_refuses_the_open_document_and_one_open_elsewhere(wb, path, tmp_path):
    AddMember(new_member("Ana")).apply(wb)
    before = wb.content_digest()
    with pytest.raises(DocumentError, match="open document itself"):
        wb.save_copy(path)
    with pytest.raises(DocumentError, match="open document itself"):
        wb.save_copy(tmp_path / "." / path.name)
    assert wb.content_digest() == before
    AddMember(new_member("Ben")).apply(wb)  # still writing to the real file
    wb.close()
    with Document.open(path, readonly=True) as check:
        assert check.counts()["members"] == 2

    other = tmp_path / "other.weaver"
    # Another window is editing `other`.
    with Document.create(other) as elsewhere, Document.open(path, readonly=True) as source:
        with pytest.raises(RefusedDestination, match="is open for editing"):
            source.save_copy(other)
        assert elsewhere.counts()["members"] == 0
        folder = tmp_path / "a-folder"
        folder.mkdir()
        with pytest.raises(DocumentError, match="is a folder"):
            source.save_copy(folder)
    with Document.open(path, readonly=True) as source:
        with pytest.raises(RefusedDestination, match="is a Weaver document"):
            source.save_copy(other)  # closed now, but a copy never replaces a document
        source.save_copy(tmp_path / "fresh.weaver")
    assert not lock_path(other).exists()
    with Document.open(tmp_path / "fresh.weaver", readonly=True) as copy:
        assert copy.counts()["members"] == 2


def _in_thread(fn):
    result: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return result[0]


@pytest.mark.parametrize("kind", ["crashed", "older"])
def test_a_worker_thread_can_read_a_document_held_in_memory(wb, path, tmp_path, kind):
    """Read-only views of crashed or older files live in memory; a worker's sibling (Save a
    Copy, metrics) must see the same content, not fail or see the raw file."""
    _small_network(wb)
    committed = wb.content_digest()
    wb.close()
    if kind == "crashed":
        _crash_mid_transaction(path)
    else:
        _downgrade_to_v1(path)
    before = _snapshot(path)
    copy = tmp_path / "copy.weaver"
    with Document.open(path, readonly=True) as viewer:

        def work() -> tuple[dict, int]:
            sibling = viewer.sibling()
            try:
                sibling.save_copy(copy)
                return sibling.content_digest(), sibling.schema_version()
            finally:
                sibling.close()

        digest, version = _in_thread(work)
        assert version == schema.SCHEMA_VERSION
        if kind == "crashed":
            assert digest == committed == viewer.content_digest()
    assert _snapshot(path) == before
    with Document.open(copy, readonly=True) as sent:
        assert sent.counts()["members"] == 4
        assert sent.integrity() == "ok"


def _to_wal_with_uncheckpointed_change(path: Path) -> None:
    """What another SQLite tool may leave: WAL mode, the latest change still in the -wal."""
    code = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("UPDATE settings SET value = '\\"Renamed elsewhere\\"' WHERE key = 'name'")
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def test_a_wal_mode_file_is_read_without_side_files_and_converted_when_edited(wb, path):
    _small_network(wb)
    wb.close()
    _to_wal_with_uncheckpointed_change(path)
    assert path.with_name(path.name + "-wal").exists()
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    with Document.open(path, readonly=True) as viewer:
        assert viewer.name == "Renamed elsewhere"  # the change still in the -wal is seen
        assert viewer.counts()["members"] == 4
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before
    with Document.open(path) as book:
        assert book.name == "Renamed elsewhere"
        assert book.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        AddMember(new_member("Dana")).apply(book)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert path.read_bytes()[18:20] == b"\x01\x01"
