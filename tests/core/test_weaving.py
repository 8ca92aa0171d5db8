"""Suggested introductions, offers & needs and nudges on a hand-made network whose answers
are obvious."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from weaver.core import weaving
from weaver.core.commands import (
    AddEntities,
    LogMeeting,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.metrics import load_network
from weaver.core.model import ValueItem
from weaver.core.network.facts import COLD_DAYS_KEY
from weaver.core.store import Document
from weaver.core.weaving_answers import MarkDismissed, MarkIntroduced, Reopen, answered_suggestions
from weaver.core.weaving_match import normalise
from weaver.core.weaving_offers import offers_and_needs
from weaver.core.weaving_suggest import statuses, suggest_introductions

TODAY = date(2026, 11, 22)


def skill(text: str) -> ValueItem:
    return ValueItem("skill", text)


@pytest.fixture
def wb(tmp_path):
    """Two clusters.

    West: Ana and Ben both know Cleo and Dev but not each other (the obvious introduction).
    Cleo and Dev had a tie that ended: never suggest it again. Hal (consent "no") knows Ana
    and Ben too and must never be suggested or named.
    East: Eve, Finn and Gus in a triangle; Eve offers grant writing, which Ben needs.
    Ivy is on her own; Jo joined last month with one tie.
    """
    people = {
        "ana": new_member("Ana", id="ana", tags=("climate",)),
        "ben": new_member("Ben", id="ben", tags=("Climate",), needs=(skill("grant-writing"),)),
        "cleo": new_member("Cleo", id="cleo"),
        "dev": new_member("Dev", id="dev"),
        "hal": new_member("Hal", id="hal", consent="no", email="hal@example.org"),
        "eve": new_member("Eve", id="eve", offers=(skill("Grant Writing"),)),
        "finn": new_member("Finn", id="finn"),
        "gus": new_member("Gus", id="gus"),
        "ivy": new_member("Ivy", id="ivy"),
        "jo": new_member("Jo", id="jo", joined_on=TODAY - timedelta(days=30)),
    }
    ties = [
        ("ana", "cleo", 5),
        ("ben", "cleo", 5),
        ("ana", "dev", 4),
        ("ben", "dev", 4),
        ("ana", "hal", 3),
        ("ben", "hal", 3),
        ("eve", "finn", 3),
        ("finn", "gus", 3),
        ("eve", "gus", 3),
        ("jo", "gus", 2),
    ]
    rels = [new_relationship(a, b, strength=s, id=f"{a}-{b}") for a, b, s in ties]
    rels.append(
        new_relationship(
            "cleo", "dev", id="cleo-dev", since=date(2020, 1, 1), ended_on=date(2022, 1, 1)
        )
    )
    book = Document.create(tmp_path / "net.weaver")
    AddEntities([*people.values(), *rels], "setup").apply(book)
    # Ana and Cleo last met in person 200 days ago: a tie going cold.
    old = new_event("Coffee", kind="one-to-one", date=TODAY - timedelta(days=200))
    LogMeeting(old, [("ana", "attendee"), ("cleo", "attendee")]).apply(book)
    recent = new_event("Forum", date=TODAY - timedelta(days=10))
    LogMeeting(recent, [("eve", "attendee"), ("finn", "attendee"), ("gus", "host")]).apply(book)
    yield book
    book.close()


def test_the_obvious_introduction_comes_first(wb):
    data = load_network(wb, TODAY)
    found = suggest_introductions(data, 10)
    first = found[0]
    assert {first.a, first.b} == {"ana", "ben"}
    assert set(first.shared_contacts) == {"cleo", "dev", "hal"}
    assert first.shared_tags == ("climate",)
    text = " / ".join(first.reasons)
    assert "3 shared contacts" in text and "Cleo" in text and "Dev" in text
    assert "Hal" not in text  # consent "no": counted, never named
    assert "both tagged 'climate'" in text
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)


def test_never_ended_ties_nor_consent_no(wb):
    found = suggest_introductions(load_network(wb, TODAY), 100)
    pairs = {frozenset((s.a, s.b)) for s in found}
    assert frozenset(("cleo", "dev")) not in pairs  # their tie ended
    assert all("hal" not in p for p in pairs)
    assert all(not {"ana", "cleo"} <= p for p in pairs)  # already tied


def test_offer_meets_need_across_clusters(wb):
    data = load_network(wb, TODAY)
    found = suggest_introductions(data, 100)
    match = next(s for s in found if {s.a, s.b} == {"eve", "ben"})
    assert match.shared_contacts == ()
    assert "Eve offers Grant Writing; Ben needs it" in match.reasons
    community_of = {"ana": 1, "ben": 1, "cleo": 1, "dev": 1, "eve": 2, "finn": 2, "gus": 2}
    needs = offers_and_needs(data, community_of)
    assert len(needs) == 1
    [need] = needs
    assert need.member_id == "ben" and need.need.text == "grant-writing"
    assert [o.member_id for o in need.offerers] == ["eve"]
    assert need.offerers[0].across_clusters and not need.offerers[0].tied
    assert need.total_offerers == 1


def test_normalised_text_matching():
    assert normalise("  Grant-Writing ") == normalise("grant writing")
    assert normalise("Workshops") == normalise("workshop")
    assert normalise("Café  Policies") == "cafe policy"
    assert normalise("business") == "business"


def test_mark_introduced_logs_an_event_and_becomes_tie_formed(wb):
    cmd = MarkIntroduced(wb, "ana", "ben", on=TODAY)
    changes = cmd.apply(wb)
    [event_id] = changes.events.added
    event = wb.event(event_id)
    assert event.kind == "introduction" and event.date == TODAY
    assert {a.member_id for a in wb.attendance_of_event(event_id)} == {"ana", "ben"}
    data = load_network(wb, TODAY)
    assert all({s.a, s.b} != {"ana", "ben"} for s in suggest_introductions(data, 100))
    [answered] = answered_suggestions(data)
    assert answered.status == "introduced" and answered.event_id == event_id

    AddEntities([new_relationship("ana", "ben")], "they met").apply(wb)
    [answered] = answered_suggestions(load_network(wb, TODAY))
    assert answered.status == "tie formed"

    cmd.revert(wb)  # undo takes back the event and the mark
    assert wb.event(event_id) is None
    assert statuses(wb.settings()) == {}


def test_dismissed_and_reopened(wb):
    MarkDismissed(wb, "ben", "ana", on=TODAY).apply(wb)
    data = load_network(wb, TODAY)
    assert all({s.a, s.b} != {"ana", "ben"} for s in suggest_introductions(data, 100))
    assert answered_suggestions(data)[0].status == "dismissed"
    Reopen(wb, "ana", "ben").apply(wb)
    first = suggest_introductions(load_network(wb, TODAY), 1)[0]
    assert {first.a, first.b} == {"ana", "ben"}


def test_nudges(wb):
    found = weaving.nudges(load_network(wb, TODAY))
    by_kind: dict[str, list[weaving.Nudge]] = {}
    for n in found:
        by_kind.setdefault(n.kind, []).append(n)
    [cold] = by_kind["cold_tie"]
    assert set(cold.member_ids) == {"ana", "cleo"} and cold.days == 200
    assert "200 days" in cold.text
    assert {n.member_ids[0] for n in by_kind["isolate"]} == {"ivy"}
    assert {n.member_ids[0] for n in by_kind["newcomer"]} == {"jo"}
    quiet = {n.member_ids[0] for n in by_kind["no_contact"]}
    assert "ana" in quiet and "eve" not in quiet and "ivy" in quiet


def test_cold_tie_days_is_configurable(wb):
    from weaver.core.commands import SetSettings

    SetSettings({COLD_DAYS_KEY: 365}).apply(wb)
    found = weaving.nudges(load_network(wb, TODAY))
    assert not [n for n in found if n.kind == "cold_tie"]


def test_one_text_normaliser_for_search_and_matching():
    """Five normalisers disagreed (issue 13); every search and match now starts from fold."""
    from weaver.core.text import fold
    from weaver.core.weaving_match import normalise

    assert fold("  José  ÑÚÑEZ ") == "jose nunez"
    assert fold("Øyvind Straße") == "oyvind strasse"  # letters that do not decompose
    assert normalise("Øyvind's Workshops") == "oyvind s workshop"
