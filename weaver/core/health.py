"""Network health: the scorecard, the structural stage, monthly series and snapshots.

``assess`` computes every measure once from a ``NetworkData`` (pure, fit for a worker thread);
the report, the Health panel and snapshots all read from its result.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import metrics
from .metrics import RECENT_DAYS, CorePeriphery, NetworkData
from .snapshots import Snapshot, new_snapshot
from .weaving import nudges

Progress = Callable[[float, str], None]

# Scorecard measures in reading order, with the label a person reads.
SCORECARD_LABELS: dict[str, str] = {
    "members": "Members",
    "ties": "Ties",
    "density": "Density",
    "average_degree": "Average ties per member",
    "components": "Separate groups",
    "isolates": "Members without ties",
    "average_clustering": "Average clustering",
    "reciprocity": "Reciprocity of directed ties",
    "core_size": "Core size",
    "periphery_size": "Periphery size",
    "communities": "Communities",
    "modularity": "Modularity",
    "bridges": "Bridges (ties that hold groups together)",
    "in_person_share_90d": "Met in person in the last 90 days",
    "cold_ties": "Ties going cold",
}
SHARE_MEASURES = frozenset({"density", "in_person_share_90d", "reciprocity"})


@dataclass
class Health:
    today: date
    scorecard: dict[str, float | None]
    stage: str
    evidence: list[str]
    core: CorePeriphery
    communities: list[set[str]]
    brokers: list[tuple[str, float]]
    bridges: list[tuple[str, str]]
    members: dict[str, MemberFacts]
    ties: dict[str, TieFacts]
    recently_met: set[str]

    @property
    def community_of(self) -> dict[str, int]:
        return {m: i + 1 for i, part in enumerate(self.communities) for m in part}


def _noop(_fraction: float, _message: str) -> None:
    pass


def assess(data: NetworkData, progress: Progress = _noop, top_brokers: int = 10) -> Health:
    """Every health measure of the network as it stands on ``data.today``."""
    progress(0.05, "Building the network")
    g = data.graph()
    # The evidence names hubs: members whose consent is "no" stay unnamed.
    names = {
        m: mem.name if mem.consent != "no" else "(private member)"
        for m, mem in data.members.items()
    }
    comps = metrics.components(g)
    progress(0.15, "Finding the core")
    cp = metrics.core_periphery(g)
    progress(0.25, "Finding communities")
    parts = metrics.communities(g)
    progress(0.45, "Measuring brokerage")
    broker_scores = metrics.betweenness(g)
    progress(0.75, "Reading ties and meetings")
    found_bridges = metrics.bridges(g)
    ties = tie_facts(data)
    facts = member_facts(data, cp, parts, broker_scores)
    stage, evidence = metrics.stage_reading(g, comps, cp, names)
    recent = data.recently_met()
    n = g.number_of_nodes()
    cold = sum(1 for x in nudges(data, ties) if x.kind == "cold_tie")
    scorecard: dict[str, float | None] = {
        "members": n,
        "ties": g.number_of_edges(),
        "density": round(metrics.density(g), 4),
        "average_degree": round(metrics.average_degree(g), 2),
        "components": len(comps),
        "isolates": sum(1 for c in comps if len(c) == 1),
        "average_clustering": round(metrics.average_clustering(g), 4),
        "reciprocity": _round(metrics.reciprocity(data.active_relationships()), 4),
        "core_size": len(cp.core),
        "periphery_size": len(cp.periphery),
        "communities": len(parts),
        "modularity": round(metrics.modularity(g, parts), 4),
        "bridges": len(found_bridges),
        "in_person_share_90d": round(len(recent) / n, 4) if n else 0.0,
        "cold_ties": cold,
    }
    progress(1.0, "Done")
    return Health(
        today=data.today,
        scorecard=scorecard,
        stage=stage,
        evidence=evidence,
        core=cp,
        communities=parts,
        brokers=metrics.top_brokers(broker_scores, top_brokers),
        bridges=found_bridges,
        members=facts,
        ties=ties,
        recently_met=recent,
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# ---- per tie and per member -------------------------------------------------------------


@dataclass(frozen=True)
class TieFacts:
    relationship_id: str
    meetings_in_person: int
    trust_building_events: int
    last_in_person: date | None
    days_since: int | None
    trust: float | None
    value: float | None


def tie_facts(data: NetworkData) -> dict[str, TieFacts]:
    """Per relationship: in-person meetings together, trust-building events together, last
    in-person contact and days since, latest trust and value."""
    events_of = data.events_of()
    latest = data.latest_ratings()
    out: dict[str, TieFacts] = {}
    for r in data.relationships:
        shared = events_of.get(r.source_id, set()) & events_of.get(r.target_id, set())
        evs = [data.events[e] for e in shared]
        in_person = [e for e in evs if e.in_person]
        last = max((e.date for e in in_person if e.date), default=None)
        rating = latest.get(r.id)
        out[r.id] = TieFacts(
            relationship_id=r.id,
            meetings_in_person=len(in_person),
            trust_building_events=sum(1 for e in evs if e.trust_building),
            last_in_person=last,
            days_since=(data.today - last).days if last else None,
            trust=rating.trust if rating else None,
            value=rating.value if rating else None,
        )
    return out


@dataclass(frozen=True)
class MemberFacts:
    member_id: str
    ties: int
    last_in_person: date | None
    meetings_recent: int  # events attended in the last RECENT_DAYS days
    position: str  # "core", "periphery" or "isolate"
    community: int | None  # 1-based, biggest first
    brokerage: float


def member_facts(
    data: NetworkData,
    cp: CorePeriphery,
    parts: list[set[str]],
    broker_scores: dict[str, float],
) -> dict[str, MemberFacts]:
    g = data.graph()
    since = data.today - timedelta(days=RECENT_DAYS)
    community_of = {m: i + 1 for i, part in enumerate(parts) for m in part}
    events_of = data.events_of()
    last = data.last_in_person()
    out: dict[str, MemberFacts] = {}
    for m in data.members:
        recent = sum(1 for e in events_of.get(m, ()) if (d := data.events[e].date) and d >= since)
        position = "core" if m in cp.core else "periphery" if g.degree(m) > 0 else "isolate"
        out[m] = MemberFacts(
            member_id=m,
            ties=g.degree(m),
            last_in_person=last.get(m),
            meetings_recent=recent,
            position=position,
            community=community_of.get(m),
            brokerage=broker_scores.get(m, 0.0),
        )
    return out


# ---- monthly series from the history and the meeting log -------------------------------------


def _created_on(stamp: str) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None


def month_ends(today: date, months: int) -> list[date]:
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        out.append(min(today, _last_day(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _last_day(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def monthly_series(data: NetworkData, months: int = 24) -> list[dict[str, Any]]:
    """Per month (oldest first): members and active ties at the month's end, meetings held in
    the month and the share of members met in person in the 90 days up to its end.

    A member counts from the day they joined (or were entered), a tie from its start until it
    ended; meetings come from the meeting log. Members and ties deleted since are counted from
    the document's history, from when they were added until they were deleted.
    """
    ends = month_ends(data.today, months)
    joined = sorted(
        d for m in data.members.values() if (d := m.joined_on or _created_on(m.created_at))
    )
    ties = [
        (r.since or _created_on(r.created_at), r.ended_on)
        for r in data.relationships
        if r.source_id in data.members and r.target_id in data.members
    ]
    gone_members = deleted_spans(data.history, "members", set(data.members))
    gone_ties = deleted_spans(data.history, "relationships", {r.id for r in data.relationships})
    joined = sorted(joined + [a for a, _ in gone_members])
    left = sorted(b for _, b in gone_members)
    ties += gone_ties
    starts = sorted(s for s, _ in ties if s)
    stops = sorted(e for s, e in ties if s and e)
    event_dates = sorted(e.date for e in data.events.values() if e.date)
    in_person_dates: dict[str, list[date]] = {}
    for m, evs in data.events_of().items():
        dates = sorted(d for e in evs if data.events[e].in_person and (d := data.events[e].date))
        if dates:
            in_person_dates[m] = dates
    member_since = {
        m: d
        for m, mem in data.members.items()
        if (d := mem.joined_on or _created_on(mem.created_at))
    }
    out = []
    for end in ends:
        start = end.replace(day=1)
        n_members = bisect.bisect_right(joined, end) - bisect.bisect_right(left, end)
        n_ties = bisect.bisect_right(starts, end) - bisect.bisect_right(stops, end)
        meetings = bisect.bisect_right(event_dates, end) - bisect.bisect_left(event_dates, start)
        window = end - timedelta(days=RECENT_DAYS)
        met = 0
        for m, dates in in_person_dates.items():
            if member_since.get(m, end) > end:
                continue
            i = bisect.bisect_right(dates, end)
            if i and dates[i - 1] >= window:
                met += 1
        out.append(
            {
                "month": end.strftime("%Y-%m"),
                "members": n_members,
                "ties": n_ties,
                "meetings": meetings,
                "in_person_share": round(met / n_members, 4) if n_members else 0.0,
            }
        )
    return out


def deleted_spans(
    history: list[tuple[date, dict[str, Any]]], entity: str, still_here: set[str]
) -> list[tuple[date, date]]:
    """(added, deleted) days of the ``entity`` rows the history saw added and later deleted
    (and not brought back by an undo)."""
    added: dict[str, date] = {}
    removed: dict[str, date] = {}
    for day, changes in history:
        part = changes.get(entity) or {}
        for key in part.get("added", ()):
            added.setdefault(key, day)
            removed.pop(key, None)
        for key in part.get("removed", ()):
            removed[key] = day
    return [
        (added[k], day)
        for k, day in removed.items()
        if k in added and k not in still_here and added[k] <= day
    ]


# ---- snapshots -------------------------------------------------------------------------------


def snapshot_measures(data: NetworkData, health: Health) -> dict[str, Any]:
    """What a snapshot keeps: the scorecard and stage, plus members, ties and who met in person
    lately, so a later comparison can name what changed."""
    pairs = {tuple(sorted((r.source_id, r.target_id))) for r in data.active_relationships()}
    return {
        "scorecard": {k: v for k, v in health.scorecard.items() if v is not None},
        "stage": health.stage,
        "members": {m: mem.name for m, mem in data.members.items()},
        "ties": sorted(list(p) for p in pairs),
        "in_person_recent": sorted(health.recently_met),
    }


def take_snapshot(
    data: NetworkData, label: str = "", health: Health | None = None, progress: Progress = _noop
) -> Snapshot:
    """A snapshot of today's measures (push ``snapshots.TakeSnapshot(result)`` to store it)."""
    health = health or assess(data, progress)
    return new_snapshot(snapshot_measures(data, health), data.today, label)
