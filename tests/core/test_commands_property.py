"""Property tests: random command sequences always undo to the exact starting document."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from weaver.core.commands import (
    AddEntities,
    AddMember,
    Command,
    DeleteEntities,
    DeleteEvents,
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
from weaver.core.model import (
    ATTENDANCE_ROLES,
    Affiliation,
    Attendance,
    ValidationError,
    ValueItem,
    new_id,
    utc_now,
)
from weaver.core.store import Document
from weaver.core.synthetic import synthetic_entities

# Any text SQLite can store as UTF-8 (lone surrogates cannot be encoded), NUL included.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
# Mapped, not filtered: blank draws become names, so hypothesis never gives up on a filter.
NAMES = TEXT.map(lambda s: s if s.strip() else s + "n")
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
OPT_DATES = st.none() | DATES
VALUE_ITEMS = st.lists(
    st.builds(ValueItem, st.sampled_from(("skill", "knowledge", "resource", "connection")), NAMES),
    max_size=2,
).map(tuple)
COORD = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)

MEMBER_FIELDS = {
    "name": NAMES,
    "email": TEXT,
    "role": TEXT,
    "notes": TEXT,
    "tags": st.lists(TEXT, max_size=3).map(tuple),
    "offers": VALUE_ITEMS,
    "needs": VALUE_ITEMS,
    "joined_on": OPT_DATES,
    "consent": st.sampled_from(("yes", "no", "not_asked")),
    "kind": st.sampled_from(("person", "organization")),
    "custom": st.dictionaries(NAMES, TEXT, max_size=2),
}
RELATIONSHIP_FIELDS = {
    "kind": TEXT,
    "strength": st.integers(1, 5),
    "direction": st.sampled_from(("undirected", "directed", "mutual")),
    "since": OPT_DATES,
    "ended_on": OPT_DATES,
    "notes": TEXT,
}
EVENT_FIELDS = {
    "title": NAMES,
    "kind": TEXT,
    "date": OPT_DATES,
    "in_person": st.booleans(),
    "trust_building": st.booleans(),
    "location": TEXT,
}


def _fast(wb: Document) -> Document:
    # Durability is not what this test checks; skipping fsync keeps many examples quick.
    wb.conn.execute("PRAGMA synchronous = OFF")
    return wb


def _ids(wb: Document, table: str, where: str = "") -> list[str]:
    # In insertion order, not sorted: ids are random UUIDs, but the order rows were written in
    # is the same every time hypothesis replays a sequence, so its draws stay reproducible.
    sql = f"SELECT id FROM {table} {f'WHERE {where}' if where else ''} ORDER BY rowid"
    return [r[0] for r in wb.conn.execute(sql)]


class CommandSequences(RuleBasedStateMachine):
    """Applies, undoes and redoes random commands like a user with an undo stack would."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="weaver-prop-"))
        self.wb = _fast(Document.create(self.folder / "prop.weaver"))
        seed = synthetic_entities(8, ties_per_member=2, seed=3, n_events=2)
        AddEntities(seed, "seed").apply(self.wb)
        self.start = self.wb.content_digest()
        self.done: list[Command] = []
        self.undone: list[Command] = []
        self.stamp = utc_now()

    # ---- pushing commands like an undo stack ---------------------------------------------

    def push(self, command: Command) -> None:
        before = self.wb.content_digest()
        history = len(self.wb.history())
        try:
            command.apply(self.wb)
        except ValidationError:
            # A refused edit changes nothing at all.
            assert self.wb.content_digest() == before
            assert len(self.wb.history()) == history
            assert not self.wb.in_transaction
            return
        self.done.append(command)
        self.undone.clear()

    def pick(self, data: Any, table: str, where: str = "") -> str | None:
        ids = _ids(self.wb, table, where)
        return data.draw(st.sampled_from(ids)) if ids else None

    def pick_many(self, data: Any, table: str) -> list[str]:
        ids = _ids(self.wb, table)
        return data.draw(st.lists(st.sampled_from(ids), max_size=3)) if ids else []

    # ---- rules -----------------------------------------------------------------------------

    @rule(name=NAMES, kind=st.sampled_from(("person", "organization")), offers=VALUE_ITEMS)
    def add_member(self, name: str, kind: str, offers: tuple[ValueItem, ...]) -> None:
        self.push(AddMember(new_member(name, kind=kind, offers=offers)))

    @rule(data=st.data())
    def add_relationship(self, data: Any) -> None:
        a, b = self.pick(data, "members"), self.pick(data, "members")
        if a and b and a != b:
            fields = data.draw(st.fixed_dictionaries({}, optional=RELATIONSHIP_FIELDS))
            try:
                rel = new_relationship(a, b, **fields)
            except ValidationError:
                return
            self.push(AddEntities([rel], "Add relationship"))

    @rule(data=st.data(), role=TEXT, since=OPT_DATES)
    def add_affiliation(self, data: Any, role: str, since: date | None) -> None:
        person = self.pick(data, "members", "kind = 'person'")
        org = self.pick(data, "members", "kind = 'organization'")
        if person and org:
            aff = Affiliation(new_id(), person, org, role, since, self.stamp, self.stamp)
            self.push(AddEntities([aff], "Add affiliation"))

    @rule(title=NAMES, day=OPT_DATES)
    def add_event(self, title: str, day: date | None) -> None:
        self.push(AddEntities([new_event(title, date=day)], "Add event"))

    @rule(data=st.data())
    def add_attendance(self, data: Any) -> None:
        event, member = self.pick(data, "events"), self.pick(data, "members")
        if not event or not member:
            return
        if self.wb.rows("attendance", "event_id = ? AND member_id = ?", (event, member)):
            return  # one attendance per member and event
        role = data.draw(st.sampled_from(ATTENDANCE_ROLES))
        att = Attendance(new_id(), event, member, role, self.stamp, self.stamp)
        self.push(AddEntities([att], "Add attendance"))

    @rule(data=st.data())
    def update_member(self, data: Any) -> None:
        member = self.pick(data, "members")
        if member:
            fields = data.draw(st.fixed_dictionaries({}, optional=MEMBER_FIELDS))
            self.push(UpdateMember(member, **fields))

    @rule(data=st.data())
    def update_relationship(self, data: Any) -> None:
        rel = self.pick(data, "relationships")
        if rel:
            fields = data.draw(st.fixed_dictionaries({}, optional=RELATIONSHIP_FIELDS))
            self.push(UpdateRelationship(rel, **fields))

    @rule(data=st.data())
    def update_event(self, data: Any) -> None:
        event = self.pick(data, "events")
        if event:
            fields = data.draw(st.fixed_dictionaries({}, optional=EVENT_FIELDS))
            self.push(UpdateEvent(event, **fields))

    @rule(data=st.data(), role=TEXT)
    def update_affiliation(self, data: Any, role: str) -> None:
        aff = self.pick(data, "affiliations")
        if aff:
            self.push(UpdateEntity("affiliations", aff, {"role": role}))

    @rule(data=st.data())
    def delete_members(self, data: Any) -> None:
        self.push(DeleteMembers(self.pick_many(data, "members")))

    @rule(data=st.data())
    def delete_relationships(self, data: Any) -> None:
        self.push(DeleteRelationships(self.pick_many(data, "relationships")))

    @rule(data=st.data())
    def delete_events(self, data: Any) -> None:
        self.push(DeleteEvents(self.pick_many(data, "events")))

    @rule(data=st.data(), table=st.sampled_from(("affiliations", "attendance")))
    def delete_other(self, data: Any, table: str) -> None:
        self.push(DeleteEntities(table, self.pick_many(data, table)))

    @rule(data=st.data())
    def move(self, data: Any) -> None:
        ids = self.pick_many(data, "members")
        self.push(MoveMembers({m: (data.draw(COORD), data.draw(COORD)) for m in ids}))

    @rule(data=st.data(), pinned=st.booleans())
    def pin(self, data: Any, pinned: bool) -> None:
        self.push(SetPinned(self.pick_many(data, "members"), pinned))

    @rule(
        name=TEXT,
        extra=st.dictionaries(st.sampled_from(("description", "view")), st.integers() | TEXT),
    )
    def settings(self, name: str, extra: dict[str, Any]) -> None:
        self.push(SetSettings({"name": name, **extra}))

    @rule(data=st.data(), record_met=st.booleans(), in_person=st.booleans(), title=NAMES)
    def log_meeting(self, data: Any, record_met: bool, in_person: bool, title: str) -> None:
        people = list(dict.fromkeys(self.pick_many(data, "members")))
        newcomers = [new_member(n) for n in data.draw(st.lists(NAMES, max_size=2))]
        attendees = [(m, "attendee") for m in people] + [(m.id, "host") for m in newcomers]
        event = new_event(title, date=data.draw(OPT_DATES), in_person=in_person)
        self.push(LogMeeting(event, attendees, new_members=newcomers, record_met=record_met))

    @rule(data=st.data(), name=NAMES, role=TEXT)
    def macro(self, data: Any, name: str, role: str) -> None:
        """Add a member, tie it to someone, edit it and delete another: one undo step."""
        newcomer = new_member(name)
        parts: list[Command] = [AddMember(newcomer), UpdateMember(newcomer.id, role=role)]
        other = self.pick(data, "members")
        if other:
            parts.append(AddEntities([new_relationship(newcomer.id, other)], "tie"))
            if data.draw(st.booleans()):
                parts.append(DeleteMembers([other]))
        self.push(Macro("Several things", parts))

    @precondition(lambda self: bool(self.done))
    @rule()
    def undo(self) -> None:
        command = self.done.pop()
        command.revert(self.wb)
        self.undone.append(command)

    @precondition(lambda self: bool(self.undone))
    @rule()
    def redo(self) -> None:
        command = self.undone.pop()
        command.apply(self.wb)
        self.done.append(command)

    @invariant()
    def consistent(self) -> None:
        assert self.wb.conn.execute("PRAGMA foreign_key_check").fetchone() is None
        assert not self.wb.in_transaction

    def teardown(self) -> None:
        try:
            end = self.wb.content_digest()
            applied = list(self.done)
            for command in reversed(applied):
                command.revert(self.wb)
            assert self.wb.content_digest() == self.start
            # ... and redoing everything gives the very same document again (same ids too).
            for command in applied:
                command.apply(self.wb)
            assert self.wb.content_digest() == end
            assert self.wb.integrity() == "ok"
        finally:
            self.wb.close()
            shutil.rmtree(self.folder, ignore_errors=True)


CommandSequences.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_random_command_sequences_undo_to_the_start = CommandSequences.TestCase


# ---- apply -> revert -> apply ------------------------------------------------------------


def _one_command(draw: Any, wb: Document) -> Command:
    members = _ids(wb, "members")
    rels = _ids(wb, "relationships")
    events = _ids(wb, "events")
    kind = draw(st.sampled_from(("add", "update", "delete", "move", "meeting", "macro")))
    if kind == "add":
        return AddMember(new_member(draw(NAMES)))
    if kind == "update":
        fields = draw(st.fixed_dictionaries({}, optional=MEMBER_FIELDS))
        return UpdateMember(draw(st.sampled_from(members)), **fields)
    if kind == "delete":
        table = draw(st.sampled_from(("members", "relationships", "events")))
        ids = {"members": members, "relationships": rels, "events": events}[table]
        return DeleteEntities(table, draw(st.lists(st.sampled_from(ids), max_size=4)))
    if kind == "move":
        chosen = draw(st.lists(st.sampled_from(members), max_size=5))
        return MoveMembers({m: (draw(COORD), draw(COORD)) for m in chosen})
    if kind == "meeting":
        people = draw(st.lists(st.sampled_from(members), max_size=4, unique=True))
        event = new_event(draw(NAMES), date=draw(OPT_DATES))
        return LogMeeting(event, [(p, "attendee") for p in people], record_met=True)
    newcomer = new_member(draw(NAMES))
    return Macro(
        "macro",
        [
            AddMember(newcomer),
            AddEntities([new_relationship(newcomer.id, draw(st.sampled_from(members)))], "t"),
            DeleteRelationships(draw(st.lists(st.sampled_from(rels), max_size=2))),
        ],
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_apply_revert_apply_gives_the_same_ids_and_content(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("arap")
    with _fast(Document.create(folder / "doc.weaver")) as wb:
        AddEntities(synthetic_entities(12, seed=5, n_events=3), "seed").apply(wb)
        start = wb.content_digest()
        try:
            command = _one_command(data.draw, wb)
            first = command.apply(wb)
        except ValidationError:
            assert wb.content_digest() == start
            return
        applied = wb.content_digest()
        writes = [(w.table, w.key) for w in command.writes]
        command.revert(wb)
        assert wb.content_digest() == start
        second = command.apply(wb)
        assert wb.content_digest() == applied
        assert second == first
        assert [(w.table, w.key) for w in command.writes] == writes
        assert wb.integrity() == "ok"
