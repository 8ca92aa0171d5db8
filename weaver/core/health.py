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

import networkx as nx

from .metrics import NetworkData
from .network import facts, measures
from .network.facts import RECENT_DAYS, TieFacts
from .network.measures import CorePeriphery
from .snapshots import Snapshot, new_snapshot

Progress = Callable[[float, str], None]

# Scorecard measures in reading order, with the label a person reads.
SCORECARD_LABELS: dict[str, str] = {
    "members": "Members",
    "ties": "Tied pairs",  # distinct pairs with a current relationship, not relationships
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
    members: dict[str, MemberReading]
    ties: dict[str, TieFacts]
    recently_met: set[str]

    @property
    def community_of(self) -> dict[str, int]:
        return measures.community_numbers(self.communities)


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
    comps = measures.components(g)
    progress(0.15, "Finding the core")
    cp = measures.core_periphery(g)
    progress(0.25, "Finding communities")
    parts = measures.communities(g)
    progress(0.45, "Measuring brokerage")
    broker_scores = measures.betweenness(g, lambda f, m: progress(0.45 + 0.3 * f, m))
    progress(0.75, "Reading ties and meetings")
    found_bridges = measures.bridges(g)
    log = data.meeting_log()
    ties = facts.tie_facts(data.relationships, log, data.latest_ratings(), data.settings)
    readings = member_readings(data, cp, parts, broker_scores)
    stage, evidence = stage_reading(g, comps, cp, names)
    recent = facts.recently_met(log, data.members)
    n = g.number_of_nodes()
    cold = sum(1 for r in data.active_relationships() if ties[r.id].cold)
    scorecard: dict[str, float | None] = {
        "members": n,
        "ties": g.number_of_edges(),
        "density": round(measures.density(g), 4),
        "average_degree": round(measures.average_degree(g), 2),
        "components": len(comps),
        "isolates": sum(1 for c in comps if len(c) == 1),
        "average_clustering": round(measures.average_clustering(g), 4),
        "reciprocity": _round(measures.reciprocity(data.directed_graph()), 4),
        "core_size": len(cp.core),
        "periphery_size": len(cp.periphery),
        "communities": len(parts),
        "modularity": round(measures.modularity(g, parts), 4),
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
        brokers=measures.top_brokers(broker_scores, top_brokers),
        bridges=found_bridges,
        members=readings,
        ties=ties,
        recently_met=recent,
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# ---- per member ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberReading:
    """A member's facts (:mod:`weaver.core.network.facts`) and their place in the structure."""

    member_id: str
    ties: int
    meetings: int
    last_in_person: date | None
    meetings_recent: int  # events attended in the last RECENT_DAYS days
    position: str  # "core", "periphery" or "isolate"
    community: int | None  # 1-based, biggest first
    brokerage: float


def member_readings(
    data: NetworkData,
    cp: CorePeriphery,
    parts: list[set[str]],
    broker_scores: dict[str, float],
) -> dict[str, MemberReading]:
    g = data.graph()
    community_of = measures.community_numbers(parts)
    out: dict[str, MemberReading] = {}
    for m, f in facts.member_facts(g, data.meeting_log()).items():
        position = "core" if m in cp.core else "periphery" if f.ties > 0 else "isolate"
        out[m] = MemberReading(
            member_id=m,
            ties=f.ties,
            meetings=f.meetings,
            last_in_person=f.last_in_person,
            meetings_recent=f.meetings_recent,
            position=position,
            community=community_of.get(m),
            brokerage=broker_scores.get(m, 0.0),
        )
    return out


# ---- the structural stage ------------------------------------------------------------------

STAGES = ("scattered fragments", "hub-and-spoke", "multi-hub", "core/periphery")


def stage_reading(
    g: nx.Graph,
    comps: list[set[str]] | None = None,
    cp: CorePeriphery | None = None,
    names: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """Where the network stands on the path scattered fragments → hub-and-spoke → multi-hub →
    core/periphery (Krebs & Holley), with the evidence in words."""
    n = g.number_of_nodes()
    comps = comps if comps is not None else measures.components(g)
    cp = cp or measures.core_periphery(g)
    names = names or {}
    if n == 0:
        return STAGES[0], ["the network has no members yet"]
    groups = [c for c in comps if len(c) > 1]
    largest = len(groups[0]) / n if groups else 0.0
    n_isolates = sum(1 for c in comps if len(c) == 1)
    centralization = measures.degree_centralization(g)
    found_hubs = measures.hubs(g)
    core_share = len(cp.core) / n
    evidence = [
        (
            f"{len(groups)} separate group{'s' if len(groups) != 1 else ''} of tied members; "
            f"the largest holds {largest:.0%} of members"
        )
        if groups
        else "no two members are tied yet",
        f"{n_isolates} member{'s' if n_isolates != 1 else ''} without ties",
    ]
    if largest <= 0.5:
        evidence.append("no group holds more than half of the members yet")
        return STAGES[0], evidence
    evidence.append(f"degree centralization {centralization:.2f} (1 = one star)")
    hub_names = ", ".join(names.get(h, h) for h in found_hubs[:3])
    if found_hubs:
        evidence.append(
            f"{len(found_hubs)} hub{'s' if len(found_hubs) != 1 else ''} "
            f"(far more ties than most): {hub_names}" + ("…" if len(found_hubs) > 3 else "")
        )
    else:
        evidence.append("no member stands out as a hub")
    if cp.core:
        evidence.append(
            f"core: {len(cp.core)} members ({core_share:.0%}) each tied to at least {cp.k} "
            "others in the core"
        )
    else:
        evidence.append("no core yet: ties form chains and stars, not a dense group")
    if cp.k >= 3 and 0.05 <= core_share <= 0.5 and largest >= 0.7 and centralization < 0.5:
        evidence.append("a dense core with a wide periphery around it")
        return STAGES[3], evidence
    if core_share > 0.5:
        evidence.append("the core takes in most members: no distinct periphery")
    if centralization >= 0.5 or len(found_hubs) == 1:
        evidence.append("most ties run through one central weaver")
        return STAGES[1], evidence
    if len(found_hubs) >= 2:
        evidence.append("several hubs hold the network together")
        return STAGES[2], evidence
    if cp.core:
        evidence.append("ties are spread evenly: no hub, one dense group")
        return STAGES[3], evidence
    evidence.append("ties run in chains without hubs or a core")
    return STAGES[0], evidence


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
    log = data.meeting_log()
    for m, evs in log.met_in_person.items():
        dates = sorted(d for e in evs if (d := data.events[e].date))
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
    """A snapshot of today's measures (push ``TakeSnapshot(result)`` to store it)."""
    health = health or assess(data, progress)
    return new_snapshot(snapshot_measures(data, health), data.today, label)
