"""Helpers shared by the io tests (no tests here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from weaver.core.commands import AddEntities, new_event, new_member, new_relationship
from weaver.core.io.importing import read_plan
from weaver.core.io.plan import ApplyImportPlan, ImportPlan
from weaver.core.model import Affiliation, Attendance, ValueItem, new_id
from weaver.core.store import Document
from weaver.core.synthetic import synthetic_entities

STAMP = "2025-03-01T09:00:00.000000Z"


def small_network(path: Path) -> Document:
    """A hand-made network touching every field: two people, an organization, ties, an event."""
    wb = Document.create(path, name="Riverside")
    ada = new_member(
        "Ada Lovelace",
        STAMP,
        email="ada@example.org",
        phone="+44 20 7946 0000",
        role="Organizer",
        location="Leeds",
        sector="housing",
        notes="Met at the =cooperative= fair",
        tags=("housing", "youth"),
        offers=(ValueItem("skill", "grant writing"),),
        needs=(ValueItem("connection", "city council"),),
        joined_on=dt.date(2021, 4, 5),
        consent="yes",
        x=1.25,
        y=-3.5,
        pinned=True,
        custom={"Pronouns": "she/her"},
        id="11111111-1111-4111-8111-111111111111",
    )
    ben = new_member(
        "Ben Okafor", STAMP, email="ben@example.org", id="22222222-2222-4222-8222-222222222222"
    )
    org = new_member(
        "Riverside Food Bank",
        STAMP,
        kind="organization",
        id="33333333-3333-4333-8333-333333333333",
    )
    tie = new_relationship(
        ada.id,
        ben.id,
        STAMP,
        kind="collaborator",
        strength=4,
        direction="mutual",
        since=dt.date(2022, 1, 2),
        notes="co-wrote the grant",
        id="44444444-4444-4444-8444-444444444444",
    )
    event = new_event(
        "Spring convening",
        STAMP,
        date=dt.date(2025, 3, 1),
        id="55555555-5555-4555-8555-555555555555",
    )
    aff = Affiliation(new_id(), ada.id, org.id, "board", dt.date(2020, 1, 1), STAMP, STAMP)
    att = Attendance(new_id(), event.id, ben.id, "host", STAMP, STAMP)
    AddEntities([ada, ben, org, tie, event, aff, att], "seed").apply(wb)
    return wb


def synthetic_network(path: Path, n: int = 200, events: int = 10) -> Document:
    wb = Document.create(path, name="Synthetic")
    AddEntities(synthetic_entities(n, seed=3, n_events=events), "seed").apply(wb)
    return wb


def import_file(wb: Document, source: Path, **kwargs) -> tuple[ImportPlan, ApplyImportPlan | None]:
    plan = read_plan(wb, source, **kwargs)
    if plan.blocking or plan.is_empty:
        return plan, None
    command = ApplyImportPlan(plan)
    command.apply(wb)
    return plan, command


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}
