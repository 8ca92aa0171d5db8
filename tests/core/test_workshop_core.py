"""Workshop mode's pure rules: presentation privacy, growth replay, quick entry."""

from dataclasses import replace
from datetime import date

import pytest

from weaver.core import quickentry as qe
from weaver.core.commands import AddEntities, new_event, new_member, new_relationship
from weaver.core.model import Affiliation, Attendance, ValidationError
from weaver.core.privacy import PresentationPrivacy, pseudonym, public_label, public_members
from weaver.core.replay import build_timeline
from weaver.core.store import Document


def _people():
    ana = new_member(
        "Ana María Ruiz",
        consent="yes",
        email="ana@example.org",
        phone="555-0101",
        notes="private note",
        tags=("funder", "secret-tag"),
    )
    ben = new_member("Ben Okafor", consent="no", email="ben@example.org")
    cy = new_member("Cy Tran", consent="not_asked")
    org = new_member("River Trust", kind="organization", consent="yes")
    return ana, ben, cy, org


def test_public_members_show_only_allowed_fields():
    ana, ben, cy, org = _people()
    aff = [Affiliation(id="a1", person_id=ana.id, organization_id=org.id)]
    rules = PresentationPrivacy(private_tags=("secret-tag",))
    shown = public_members([ana, ben, cy, org], aff, rules)
    assert shown[ana.id].label == "Ana María Ruiz"
    assert shown[ana.id].organizations == ("River Trust",)
    assert shown[ana.id].tags == ("funder",)
    assert shown[ben.id].label is None and shown[ben.id].appearance == "anonymous"
    assert shown[cy.id].label == "Cy Tran"
    text = " ".join(p.tooltip() for p in shown.values())
    for secret in ("ana@example.org", "555-0101", "private note", "secret-tag", "Ben Okafor"):
        assert secret not in text


def test_privacy_settings_hide_what_they_say():
    ana, ben, cy, org = _people()
    rules = PresentationPrivacy(
        label_mode="initials", consent_no="hidden", consent_not_asked="anonymous"
    )
    shown = public_members([ana, ben, cy, org], [], rules)
    assert ben.id not in shown
    assert shown[cy.id].label is None
    assert shown[ana.id].label == "A. M. R."
    assert public_label(ana, PresentationPrivacy(label_mode="pseudonym")) == pseudonym(ana.id)
    # consent "no" can never be shown by name, whatever the setting says
    assert PresentationPrivacy(consent_no="name").consent_no == "anonymous"


def test_privacy_round_trips_through_settings():
    rules = PresentationPrivacy(
        label_mode="initials", prompt="Who do you turn to?", private_tags=("x",)
    )
    again = PresentationPrivacy.from_settings({"presentation": rules.to_setting()})
    assert again == rules
    assert PresentationPrivacy.from_settings({}) == PresentationPrivacy()


def test_replay_shows_only_what_existed_then():
    ana, ben, cy, _org = _people()
    ana = replace(ana, joined_on=date(2025, 1, 1))
    ben = replace(ben, joined_on=date(2025, 6, 1))
    meeting = new_event("Shared meal", date=date(2025, 3, 1))
    att = [Attendance(id="t1", event_id=meeting.id, member_id=cy.id)]
    # No since-date and no shared meeting: it shows from when it was entered (today).
    tie_old = new_relationship(ana.id, cy.id)
    tie = new_relationship(ana.id, ben.id, since=date(2025, 7, 1), ended_on=date(2026, 1, 1))
    tl = build_timeline([ana, ben, cy], [tie, tie_old], [meeting], att)
    assert tl.members_on(date(2025, 2, 1)) == {ana.id}
    assert tl.members_on(date(2025, 3, 1)) == {ana.id, cy.id}
    assert tl.ties_on(date(2025, 6, 15)) == set()
    assert tie_old.id in tl.ties_on(date.today())
    assert tie.id in tl.ties_on(date(2025, 8, 1))
    assert tie.id not in tl.ties_on(date(2026, 1, 1))  # ended that day


def test_parse_lines():
    assert qe.parse("  Ana   Ruiz ") == qe.NameEntry("Ana Ruiz")
    assert qe.parse("Ana ↔ Ben") == qe.TieEntry("Ana", "Ben")
    assert qe.parse("Ana <-> Ben") == qe.TieEntry("Ana", "Ben")
    assert qe.parse("Ana: Ben, Chris; Dana") == qe.AnswersEntry("Ana", ("Ben", "Chris", "Dana"))
    for bad in ("", "Ana ↔ ", ": Ben", "A ↔ B ↔ C"):
        with pytest.raises(ValidationError):
            qe.parse(bad)


def test_suggest_is_fuzzy_and_accent_blind():
    jose = new_member("José Álvarez")
    other = new_member("Joanna Smith")
    names = [s.name for s in qe.suggest("jose", [jose, other])]
    assert names[0] == "José Álvarez"
    assert qe.suggest("alvar", [jose, other])[0].name == "José Álvarez"
    assert qe.suggest("", [jose]) == []


def test_plan_adds_ties_and_deduplicates(tmp_path):
    wb = Document.create(tmp_path / "w.weaver")
    jose = new_member("José Álvarez")
    AddEntities([jose], "seed").apply(wb)

    p = qe.plan(qe.parse("jose alvarez"), wb.members(), wb.relationships())
    assert p.command is None and p.messages == ["already in the network as José Álvarez"]

    p = qe.plan(qe.parse("José ↔ Dana Lee"), wb.members(), wb.relationships())
    assert p.added_ties == 1 and len(p.added_members) == 1
    p.command.apply(wb)
    assert wb.counts()["members"] == 2 and wb.counts()["relationships"] == 1

    again = qe.plan(qe.parse("Dana Lee <-> josé"), wb.members(), wb.relationships())
    assert again.command is None and any("already tied" in m for m in again.messages)

    event = new_event("Workshop", kind="workshop")
    AddEntities([event], "w").apply(wb)
    p = qe.plan(
        qe.parse("Dana: Eve, José"),
        wb.members(),
        wb.relationships(),
        prompt_kind="funding advice",
        workshop_event_id=event.id,
    )
    changes = p.command.apply(wb)
    assert len(changes.attendance.added) == 3  # Dana, Eve (new), José
    rels = [r for r in wb.relationships() if r.kind == "funding advice"]
    assert len(rels) == 2 and all(r.direction == "directed" for r in rels)
    p.command.revert(wb)
    assert wb.counts()["members"] == 2
    wb.close()
