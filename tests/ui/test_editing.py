"""Editing flows: member/relationship/affiliation dialogs and deletions, one undo step each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from weaver.core.commands import AddEntities, LogMeeting, new_event, new_member, new_relationship
from weaver.core.model import Affiliation
from weaver.core.store import Document
from weaver.ui import dialogs, editing
from weaver.ui.controller import Controller
from weaver.ui.dialogs.affiliation import AffiliationDialog
from weaver.ui.dialogs.member import MemberDialog
from weaver.ui.dialogs.relationship import RelationshipDialog


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> Controller:
    wb = Document.create(tmp_path / "net.weaver", name="Test")
    AddEntities(
        [
            new_member("Ana Ruiz", id="ana", tags=("youth",)),
            new_member("José Núñez", id="jose"),
            new_member("Bo Chen", id="bo"),
            new_member("Lone Wolf", id="lone"),
            new_member("Green Co-op", id="org", kind="organization"),
            new_relationship("ana", "jose", id="r1", kind="mentor"),
            new_relationship("ana", "bo", id="r2"),
            Affiliation(id="af1", person_id="ana", organization_id="org"),
        ],
        "seed",
    ).apply(wb)
    LogMeeting(new_event("Kickoff", date=date(2026, 1, 10)), [("ana", "host")]).apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


@pytest.fixture
def answers(monkeypatch):
    """Record every question/warning; answer questions with ``answers.reply``."""

    class Answers:
        def __init__(self) -> None:
            self.reply = dialogs.Button.Yes
            self.asked: list[tuple[str, str]] = []
            self.warned: list[str] = []

    a = Answers()

    def ask(parent, title, text, buttons=None, default=None, informative=""):
        a.asked.append((text, informative))
        return a.reply

    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "warn", lambda p, t, text, informative="": a.warned.append(text))
    return a


def fill_and_accept(monkeypatch, cls, fill):
    """Replace the modal loop: fill the real dialog's widgets, press OK, return its result."""

    def exec_(self):
        fill(self)
        self.accept()
        return self.result()

    monkeypatch.setattr(cls, "exec", exec_)


def test_add_person_with_organization_is_one_undo_step(monkeypatch, controller, answers):
    def fill(d: MemberDialog):
        d.name.setText("  Maya Lin ")
        d.role.setText("organizer")
        d.tags.setText("youth, arts,, youth")
        d.organization.setCurrentIndex(d.organization.findData("org"))
        d.joined.set_value(date(2025, 2, 3))

    fill_and_accept(monkeypatch, MemberDialog, fill)
    new_id = editing.add_member(None, controller, "person")
    m = controller.document.member(new_id)
    assert (m.name, m.role, m.tags, m.joined_on) == (
        "Maya Lin",
        "organizer",
        ("youth", "arts"),
        date(2025, 2, 3),
    )
    assert [a.organization_id for a in controller.document.affiliations_of(new_id)] == ["org"]
    assert controller.selected_members == (new_id,)
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Add member 'Maya Lin'"
    controller.undo_stack.undo()
    assert controller.document.member(new_id) is None
    assert controller.document.counts()["affiliations"] == 1


def test_add_organization_at_a_map_position(monkeypatch, controller, answers):
    fill_and_accept(monkeypatch, MemberDialog, lambda d: d.name.setText("Blue Trust"))
    new_id = editing.add_member(None, controller, "organization", position=(12.0, -3.5))
    m = controller.document.member(new_id)
    assert m.kind == "organization" and (m.x, m.y) == (12.0, -3.5)


def test_member_dialog_requires_a_name(qtbot, controller):
    d = MemberDialog(controller.document)
    qtbot.addWidget(d)
    ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    d.name.setText("X")
    assert ok.isEnabled()
    d.name.setText("   ")
    assert not ok.isEnabled()


def test_cancelled_dialog_changes_nothing(monkeypatch, controller, answers):
    monkeypatch.setattr(MemberDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert editing.add_member(None, controller) is None
    assert controller.undo_stack.count() == 0


def test_edit_member_moves_affiliation_in_one_step(monkeypatch, controller, answers):
    before = controller.document.content_digest()
    fill_and_accept(monkeypatch, MemberDialog, _edit_ana)
    assert editing.edit_member(None, controller, "ana")
    ana = controller.document.member("ana")
    assert ana.location == "Lima" and ana.consent == "yes"
    assert controller.document.affiliations_of("ana") == []
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.document.content_digest() == before


def _edit_ana(d: MemberDialog) -> None:
    assert d.name.text() == "Ana Ruiz" and d.organization.currentData() == "org"
    d.location.setText("Lima")
    d.consent.setCurrentIndex(d.consent.findData("yes"))
    d.organization.setCurrentIndex(d.organization.findData(""))


def test_add_relationship_by_type_ahead_without_accents(monkeypatch, controller, answers):
    def fill(d: RelationshipDialog):
        assert d.kind.currentText() == "colleague"  # the newest tie's kind
        d.target.setText("jose")  # "José Núñez" is the only match
        d.kind.setCurrentText("funder")
        d.strength.setValue(5)
        d.since.set_value(date(2024, 9, 1))

    fill_and_accept(monkeypatch, RelationshipDialog, fill)
    rel_id = editing.add_relationship(None, controller, source_id="bo")
    rel = controller.document.relationship(rel_id)
    assert (rel.source_id, rel.target_id, rel.kind, rel.strength, rel.since) == (
        "bo",
        "jose",
        "funder",
        5,
        date(2024, 9, 1),
    )
    assert controller.selected_relationships == (rel_id,)
    assert controller.undo_stack.count() == 1

    def again(d: RelationshipDialog):
        assert d.kind.currentText() == "funder"  # the kind chosen last time
        assert d.source.member_id() is None
        d.source.setText("LONE")
        d.target.set_member("org")

    fill_and_accept(monkeypatch, RelationshipDialog, again)
    second = controller.document.relationship(editing.add_relationship(None, controller))
    assert (second.source_id, second.target_id, second.kind) == ("lone", "org", "funder")


def test_relationship_dialog_says_what_is_missing(qtbot, controller):
    d = RelationshipDialog(controller.document, source_id="ana")
    qtbot.addWidget(d)
    d.target.setText("nobody like this")
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    assert "to" in d.error.text().lower() and not d.error.isHidden()
    d.target.setText("Ana Ruiz")  # the same member at both ends
    d.accept()
    assert "cannot link a member to themself" in d.error.text()


def test_edit_relationship_keeps_its_ends(monkeypatch, controller, answers):
    def fill(d: RelationshipDialog):
        assert d.source.isReadOnly()
        d.direction.setCurrentIndex(d.direction.findData("directed"))
        d.ended.set_value(date(2026, 1, 1))

    fill_and_accept(monkeypatch, RelationshipDialog, fill)
    assert editing.edit_relationship(None, controller, "r2")
    rel = controller.document.relationship("r2")
    assert rel.direction == "directed" and rel.ended_on == date(2026, 1, 1)


def test_add_affiliation_and_refuse_duplicates(monkeypatch, controller, answers, qtbot):
    def fill(d: AffiliationDialog):
        d.role.setText("board")

    fill_and_accept(monkeypatch, AffiliationDialog, fill)
    aff_id = editing.add_affiliation(None, controller, "bo", "org")
    assert [a.id for a in controller.document.affiliations_of("bo")] == [aff_id]
    d = AffiliationDialog(controller.document, "ana", "org")
    qtbot.addWidget(d)
    d.accept()
    assert "already" in d.error.text()
    assert editing.delete_affiliations(None, controller, [aff_id])
    assert controller.document.affiliations_of("bo") == []


def test_delete_member_confirmation_counts_what_goes_with_it(controller, answers):
    answers.reply = dialogs.Button.Cancel
    assert not editing.delete_members(None, controller, ["ana"])
    question, details = answers.asked[-1]
    assert "Ana Ruiz" in question
    assert "2 relationships" in details
    assert "1 affiliation" in details
    assert "1 meeting attendance record" in details
    assert controller.document.member("ana") is not None

    answers.reply = dialogs.Button.Yes
    assert editing.delete_members(None, controller, ["ana", "bo"])
    assert "2 members" in answers.asked[-1][0]
    assert controller.document.counts()["relationships"] == 0
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.document.counts()["relationships"] == 2


def test_delete_member_without_ties_does_not_ask(controller, answers):
    assert editing.delete_members(None, controller, ["lone"])
    assert answers.asked == []
    assert controller.document.member("lone") is None


def test_delete_relationships_is_one_step(controller, answers):
    assert editing.delete_relationships(None, controller, ["r1", "r2"])
    assert controller.document.counts()["relationships"] == 0
    controller.undo_stack.undo()
    assert controller.document.counts()["relationships"] == 2


def test_read_only_document_refuses_plainly(tmp_path, controller, answers):
    path = controller.document.path
    controller.close_document()
    controller.set_document(Document.open(path, readonly=True))
    assert editing.add_member(None, controller) is None
    assert not editing.delete_members(None, controller, ["lone"])
    assert answers.warned and "read-only" in answers.warned[0]
