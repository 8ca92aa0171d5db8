"""The facts of the meeting log: per member and per tie, with the one cold-tie rule.

Per member: ties, meetings attended, the last in-person meeting, meetings in the last
``RECENT_DAYS`` days. Per tie: in-person meetings together, trust-building events together,
when the two last met in person, the latest trust and value, and whether the tie is cold.

The cold-tie rule (one function, :func:`is_cold`, used by the map, the Weaving nudges, Health and
the report): a tie is cold when its two members last met in person together more than the
document's ``cold_tie_days`` setting ago (default 180, :func:`cold_days`). A tie whose members
never met in person together is not called cold: nothing went cold, and each of them shows up
under "no in-person contact" instead.

Only dated events up to ``as_of`` count as met (a meeting planned for next week is not a
meeting yet); "meetings" counts every event a member attended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import networkx as nx

from ..model import Attendance, Event, Relationship
from ..ratings import Rating

COLD_DAYS_KEY = "cold_tie_days"
DEFAULT_COLD_DAYS = 180
RECENT_DAYS = 90

# An event as the facts need it: (date or None, in person).
EventDay = tuple[date | None, bool]


def cold_days(settings: Mapping[str, Any]) -> int:
    """The document's ``cold_tie_days`` setting (at least 1), or the default 180."""
    try:
        return max(1, int(settings.get(COLD_DAYS_KEY) or DEFAULT_COLD_DAYS))
    except (TypeError, ValueError):
        return DEFAULT_COLD_DAYS


def is_cold(last_met_together: date | None, as_of: date, cold_after_days: int) -> bool:
    """THE cold-tie rule (module doc)."""
    return last_met_together is not None and (as_of - last_met_together).days > cold_after_days


def attendance_summary(
    attended: Iterable[tuple[str, str]], event_days: Mapping[str, EventDay], as_of: date
) -> tuple[dict[str, int], dict[str, date]]:
    """From (event id, member id) pairs: member -> events attended, and member -> date of the
    latest in-person event up to ``as_of``. The members table keeps its own indexes of pairs
    and event days and reads its columns from here."""
    meetings: dict[str, int] = defaultdict(int)
    last: dict[str, date] = {}
    for event_id, member_id in attended:
        meetings[member_id] += 1
        day, in_person = event_days.get(event_id, (None, False))
        if in_person and day is not None and day <= as_of:
            seen = last.get(member_id)
            if seen is None or day > seen:
                last[member_id] = day
    return dict(meetings), last


@dataclass(frozen=True)
class MeetingLog:
    """Who attended what, indexed once for the facts (build with :func:`meeting_log`)."""

    as_of: date
    events: Mapping[str, Event]
    met: Mapping[str, frozenset[str]]  # member -> dated events attended up to as_of
    met_in_person: Mapping[str, frozenset[str]]  # ... of those, the in-person ones
    meetings: Mapping[str, int]  # member -> events attended (any date)
    last_in_person: Mapping[str, date]  # member -> latest in-person event up to as_of


def meeting_log(
    events: Iterable[Event], attendance: Iterable[Attendance], as_of: date
) -> MeetingLog:
    by_id = {e.id: e for e in events}
    pairs = [(a.event_id, a.member_id) for a in attendance if a.event_id in by_id]
    days = {e.id: (e.date, e.in_person) for e in by_id.values()}
    meetings, last = attendance_summary(pairs, days, as_of)
    met: dict[str, set[str]] = defaultdict(set)
    in_person: dict[str, set[str]] = defaultdict(set)
    for event_id, member_id in pairs:
        e = by_id[event_id]
        if e.date is not None and e.date <= as_of:
            met[member_id].add(event_id)
            if e.in_person:
                in_person[member_id].add(event_id)
    return MeetingLog(
        as_of=as_of,
        events=by_id,
        met={m: frozenset(s) for m, s in met.items()},
        met_in_person={m: frozenset(s) for m, s in in_person.items()},
        meetings=meetings,
        last_in_person=last,
    )


_NONE: frozenset[str] = frozenset()


def last_met_together(log: MeetingLog, a: str, b: str) -> date | None:
    """The date of the latest in-person event both attended, up to ``as_of``."""
    shared = log.met_in_person.get(a, _NONE) & log.met_in_person.get(b, _NONE)
    return max((log.events[e].date for e in shared), default=None)  # type: ignore[type-var]


def cold_ties(
    relationships: Iterable[Relationship], log: MeetingLog, settings: Mapping[str, Any]
) -> set[str]:
    """Ids of the cold ties among ``relationships`` (the rule: :func:`is_cold`)."""
    limit = cold_days(settings)
    return {
        r.id
        for r in relationships
        if is_cold(last_met_together(log, r.source_id, r.target_id), log.as_of, limit)
    }


@dataclass(frozen=True)
class TieFacts:
    relationship_id: str
    meetings_in_person: int
    trust_building_events: int
    last_in_person: date | None
    days_since: int | None
    trust: float | None
    value: float | None
    cold: bool


def tie_facts(
    relationships: Iterable[Relationship],
    log: MeetingLog,
    ratings: Mapping[str, Rating],
    settings: Mapping[str, Any],
) -> dict[str, TieFacts]:
    """Per relationship: in-person meetings together, trust-building events together, last
    in-person contact and days since, latest trust and value, cold or not."""
    limit = cold_days(settings)
    out: dict[str, TieFacts] = {}
    for r in relationships:
        shared = log.met.get(r.source_id, _NONE) & log.met.get(r.target_id, _NONE)
        evs = [log.events[e] for e in shared]
        in_person = [e for e in evs if e.in_person]
        last = last_met_together(log, r.source_id, r.target_id)
        rating = ratings.get(r.id)
        out[r.id] = TieFacts(
            relationship_id=r.id,
            meetings_in_person=len(in_person),
            trust_building_events=sum(1 for e in evs if e.trust_building),
            last_in_person=last,
            days_since=(log.as_of - last).days if last else None,
            trust=rating.trust if rating else None,
            value=rating.value if rating else None,
            cold=is_cold(last, log.as_of, limit),
        )
    return out


@dataclass(frozen=True)
class MemberFacts:
    member_id: str
    ties: int  # members tied to them on the graph
    meetings: int  # events attended
    last_in_person: date | None
    meetings_recent: int  # dated events attended in the last RECENT_DAYS days


def member_facts(g: nx.Graph, log: MeetingLog) -> dict[str, MemberFacts]:
    """Per member of the graph: ties, meetings, last met in person, recent meetings."""
    since = log.as_of - timedelta(days=RECENT_DAYS)
    out: dict[str, MemberFacts] = {}
    for m in g:
        recent = sum(1 for e in log.met.get(m, ()) if (d := log.events[e].date) and d >= since)
        out[m] = MemberFacts(
            member_id=m,
            ties=g.degree(m),
            meetings=log.meetings.get(m, 0),
            last_in_person=log.last_in_person.get(m),
            meetings_recent=recent,
        )
    return out


def recently_met(log: MeetingLog, member_ids: Iterable[str], days: int = RECENT_DAYS) -> set[str]:
    """Members who met someone in person in the last ``days`` days."""
    since = log.as_of - timedelta(days=days)
    return {m for m in member_ids if (d := log.last_in_person.get(m)) is not None and d >= since}
