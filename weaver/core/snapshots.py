"""Snapshots: the health measures of a day, kept in the document to read trends from.

A snapshot stores the scorecard (numbers only) plus just enough of the network to say what
changed since: member ids and names, tie pairs, and who had in-person contact lately. Names are
kept so a member deleted since can still be named in a comparison.

This module imports only the domain model (the row codec is in ``codec``, the commands in
``commands``); computing the measures lives
in ``health``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import ValidationError, new_id, utc_now


@dataclass(frozen=True)
class Snapshot:
    id: str
    taken_on: date
    taken_at: str
    label: str = ""
    measures: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.taken_on, date):
            raise ValidationError("a snapshot needs a date")

    @property
    def scorecard(self) -> dict[str, float]:
        return dict(self.measures.get("scorecard", {}))

    @property
    def title(self) -> str:
        return f"{self.taken_on.isoformat()} {self.label}".strip()


def new_snapshot(measures: dict[str, Any], taken_on: date, label: str = "") -> Snapshot:
    return Snapshot(
        id=new_id(), taken_on=taken_on, taken_at=utc_now(), label=label, measures=measures
    )


def ordered(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    return sorted(snapshots, key=lambda s: (s.taken_on, s.taken_at))


def trends(snapshots: Iterable[Snapshot]) -> dict[str, list[tuple[str, float]]]:
    """Each scorecard measure across snapshots, oldest first: name -> [(date, value)]."""
    out: dict[str, list[tuple[str, float]]] = {}
    for s in ordered(snapshots):
        for name, value in s.scorecard.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.setdefault(name, []).append((s.taken_on.isoformat(), float(value)))
    return out


@dataclass(frozen=True)
class Comparison:
    """What changed between an earlier and a later snapshot."""

    earlier: Snapshot
    later: Snapshot
    measures: list[tuple[str, float | None, float | None]]  # name, earlier, later
    new_members: list[str]  # names
    members_gone: list[str]
    new_ties: list[tuple[str, str]]  # pairs of names
    lost_ties: list[tuple[str, str]]
    gone_quiet: list[str]  # had in-person contact lately at the earlier date, not at the later

    def to_json(self) -> dict[str, Any]:
        return {
            "earlier": self.earlier.title,
            "later": self.later.title,
            "measures": [{"name": n, "earlier": a, "later": b} for n, a, b in self.measures],
            "new_members": self.new_members,
            "members_gone": self.members_gone,
            "new_ties": [list(p) for p in self.new_ties],
            "lost_ties": [list(p) for p in self.lost_ties],
            "gone_quiet": self.gone_quiet,
        }


def compare(a: Snapshot, b: Snapshot) -> Comparison:
    """Compare two snapshots; the older one is taken as "earlier" whatever the order given."""
    earlier, later = ordered([a, b]) if a.id != b.id else (a, b)
    ma, mb = earlier.measures, later.measures
    names = {**ma.get("members", {}), **mb.get("members", {})}

    def name(member_id: str) -> str:
        return str(names.get(member_id, "(unknown)"))

    def pairs(m: Mapping[str, Any]) -> set[tuple[str, str]]:
        return {tuple(sorted(p)) for p in m.get("ties", [])}  # type: ignore[misc]

    def named_pairs(ps: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return sorted((name(x), name(y)) for x, y in ps)

    members_a, members_b = set(ma.get("members", {})), set(mb.get("members", {}))
    ties_a, ties_b = pairs(ma), pairs(mb)
    active_a, active_b = set(ma.get("in_person_recent", [])), set(mb.get("in_person_recent", []))
    card_a, card_b = earlier.scorecard, later.scorecard
    measures = [(n, card_a.get(n), card_b.get(n)) for n in dict.fromkeys([*card_a, *card_b])]
    return Comparison(
        earlier=earlier,
        later=later,
        measures=measures,
        new_members=sorted(name(m) for m in members_b - members_a),
        members_gone=sorted(name(m) for m in members_a - members_b),
        new_ties=named_pairs(ties_b - ties_a),
        lost_ties=named_pairs(ties_a - ties_b),
        gone_quiet=sorted(name(m) for m in (active_a - active_b) & members_b),
    )
