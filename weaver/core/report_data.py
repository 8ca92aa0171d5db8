"""The weaving report as plain data: one JSON-ready dict that the JSON, xlsx and PDF outputs
(and the Health panel's exports) all come from.

Private fields never enter it: no e-mail, phone, notes, custom fields or rating notes, none of
the member fields the document marks private, and members whose consent is "no" are never named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .health import SCORECARD_LABELS, Health, assess, monthly_series
from .metrics import NetworkData, load_network
from .privacy import PresentationPrivacy
from .profile import profile_from_settings
from .snapshots import Snapshot, ordered, snapshot_from_row, trends
from .weaving import (
    answered_suggestions,
    cold_days,
    explain,
    nudges,
    offers_and_needs,
    suggest_introductions,
)

if TYPE_CHECKING:
    from .store import Workbook

Progress = Callable[[float, str], None]
PRIVATE_NAME = "(private member)"
# Member columns a report may show, unless the document marks them private.
MEMBER_COLUMNS = ("kind", "role", "sector", "location", "tags")


def _noop(_f: float, _m: str) -> None:
    pass


def load_snapshots(wb: Workbook) -> list[Snapshot]:
    return ordered(snapshot_from_row(r) for r in wb.rows("snapshots"))


def report_from_workbook(
    wb: Workbook, today: date | None = None, progress: Progress = _noop, top: int = 50
) -> dict[str, Any]:
    data = load_network(wb, today)
    return build_report(data, load_snapshots(wb), progress=progress, top=top)


class _Namer:
    """Names for a report: members whose consent is "no" stay anonymous."""

    def __init__(self, data: NetworkData) -> None:
        self.members = data.members

    def __call__(self, member_id: str) -> str:
        m = self.members.get(member_id)
        if m is None:
            return "(deleted member)"
        return PRIVATE_NAME if m.consent == "no" else m.name


def _private_member_fields(settings: Mapping[str, Any]) -> set[str]:
    private = settings.get("private_fields") or {}
    fields = private.get("members", []) if isinstance(private, dict) else []
    return {str(f) for f in fields}


def build_report(
    data: NetworkData,
    snapshots: list[Snapshot] | None = None,
    progress: Progress = _noop,
    top: int = 50,
    health: Health | None = None,
) -> dict[str, Any]:
    """Everything in the weaving report. Pure: fit for a worker thread."""
    snapshots = snapshots or []
    health = health or assess(data, lambda f, m: progress(0.7 * f, m))
    name = _Namer(data)
    community_of = health.community_of
    progress(0.75, "Suggesting introductions")
    suggestions = suggest_introductions(data, top, community_of)
    progress(0.85, "Matching offers and needs")
    needs = offers_and_needs(data, community_of)
    found_nudges = nudges(data, health.ties)
    progress(0.92, "Monthly series")
    monthly = monthly_series(data)
    card = health.scorecard
    private = _private_member_fields(data.settings)
    columns = [c for c in MEMBER_COLUMNS if c not in private]
    # Offers, needs and tags stay out when the document marks them private; tags hidden from
    # presentations stay out too.
    show_matches = not ({"offers", "needs"} & private)
    hidden_tags: tuple[str, ...] | None = (
        None if "tags" in private else PresentationPrivacy.from_settings(data.settings).private_tags
    )
    profile = profile_from_settings(data.settings)

    report: dict[str, Any] = {
        "name": str(data.settings.get("name", "")),
        "generated_on": data.today.isoformat(),
        "profile": profile.to_json(),
        "members": card["members"],
        "relationships": len(data.active_relationships()),
        "ties": card["ties"],
        "density": card["density"],
        "average_degree": card["average_degree"],
        "components": card["components"],
        "isolates": card["isolates"],
        "average_clustering": card["average_clustering"],
        "reciprocity": card["reciprocity"],
        "core_size": card["core_size"],
        "periphery_size": card["periphery_size"],
        "communities": card["communities"],
        "modularity": card["modularity"],
        "brokers": [name(m) for m, _ in health.brokers],
        "bridges": card["bridges"],
        "in_person_share_90d": card["in_person_share_90d"],
        "suggestions": [
            {
                "a": name(s.a),
                "b": name(s.b),
                "score": s.score,
                "reasons": list(
                    explain(
                        s, data.members, community_of, matches=show_matches, hidden_tags=hidden_tags
                    )
                ),
            }
            for s in suggestions
        ],
        "cold_ties": card["cold_ties"],
        "cold_tie_days": cold_days(data.settings),
        "stage": health.stage,
        "stage_evidence": list(health.evidence),
        "scorecard": [
            {"key": k, "measure": SCORECARD_LABELS[k], "value": card.get(k)}
            for k in SCORECARD_LABELS
        ],
        "trends": {k: [[d, v] for d, v in series] for k, series in trends(snapshots).items()},
        "snapshots": [{"date": s.taken_on.isoformat(), "label": s.label} for s in snapshots],
        "monthly": monthly,
        "broker_scores": [
            {"name": name(m), "betweenness": round(score, 5)} for m, score in health.brokers
        ],
        "bridge_ties": sorted(sorted((name(a), name(b))) for a, b in health.bridges),
        "community_list": [
            {
                "community": i + 1,
                "size": len(part),
                "members": sorted(name(m) for m in part)[:12],
            }
            for i, part in enumerate(health.communities)
        ],
        "offers_and_needs": [
            {
                "member": name(n.member_id),
                "type": n.need.type,
                "need": n.need.text,
                "offered_by": [
                    {
                        "name": name(o.member_id),
                        "other_cluster": o.across_clusters,
                        "already_tied": o.tied,
                    }
                    for o in n.offerers
                ],
                "offerers": n.total_offerers,
            }
            for n in (needs if show_matches else [])
        ],
        "nudges": [
            {
                "kind": x.kind,
                "members": [name(m) for m in x.member_ids],
                "text": _nudge_text(x.kind, [name(m) for m in x.member_ids], x, data),
                "days": x.days,
            }
            for x in found_nudges
        ],
        "answered_suggestions": [
            {"a": name(x.a), "b": name(x.b), "status": x.status, "on": x.on}
            for x in answered_suggestions(data)
        ],
        "member_columns": [
            "name",
            *columns,
            "ties",
            "position",
            "community",
            "brokerage",
            "last_in_person",
            "meetings_90d",
        ],
        "member_table": [
            _member_row(data, health, m, name, columns, hidden_tags or ())
            for m in sorted(data.members, key=lambda m: name(m).casefold())
        ],
    }
    progress(1.0, "Done")
    return report


def _nudge_text(kind: str, names: list[str], x: Any, data: NetworkData) -> str:
    """The nudge's sentence, rebuilt with report-safe names."""
    if not any(n == PRIVATE_NAME for n in names):
        return str(x.text)
    if kind == "cold_tie":
        return f"{names[0]} and {names[1]} last met in person {x.days} days ago"
    if kind == "no_contact":
        return (
            f"{names[0]}: no in-person contact for {x.days} days"
            if x.days
            else (f"{names[0]}: no in-person contact on record")
        )
    if kind == "isolate":
        return f"{names[0]} has no ties yet"
    return f"{names[0]} joined recently and has few ties"


def _member_row(
    data: NetworkData,
    health: Health,
    member_id: str,
    name: Callable[[str], str],
    columns: list[str],
    hidden_tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    m = data.members[member_id]
    f = health.members[member_id]
    hidden = m.consent == "no"
    row: dict[str, Any] = {"name": name(member_id)}
    for c in columns:
        value = getattr(m, c)
        if c == "tags":
            hidden = {t.casefold() for t in hidden_tags}
            value = ", ".join(t for t in value if t.casefold() not in hidden)
        row[c] = "" if hidden and c != "kind" else value
    row |= {
        "ties": f.ties,
        "position": f.position,
        "community": f.community,
        "brokerage": round(f.brokerage, 5),
        "last_in_person": f.last_in_person.isoformat() if f.last_in_person else "",
        "meetings_90d": f.meetings_recent,
    }
    return row


def map_data(data: NetworkData, health: Health, labels: int = 15) -> dict[str, Any]:
    """Where to draw each member for the report's map: saved positions when every member has
    one, else the map's own layout (or a seeded spring layout), plus community colours and
    labels for the best connected few. Consent "no" members are unlabelled dots."""
    members = list(data.members.values())
    ids = [m.id for m in members]
    index = {m: i for i, m in enumerate(ids)}
    saved = {m.id: (m.x, m.y) for m in members if m.x is not None and m.y is not None}
    if len(saved) == len(members):
        pos = saved
    else:
        pos = _layout(data, saved)
    community_of = health.community_of
    g = data.graph()
    top = sorted(ids, key=lambda m: (-g.degree(m), data.members[m].name))[:labels]
    name = _Namer(data)
    nodes = [
        {
            "x": float(pos[m][0]),
            "y": float(pos[m][1]),
            "community": community_of.get(m, 0),
            "degree": g.degree(m),
            "label": name(m) if m in top and name(m) != PRIVATE_NAME else "",
        }
        for m in ids
    ]
    edges = [[index[a], index[b]] for a, b in g.edges() if a in index and b in index]
    return {"nodes": nodes, "edges": edges}


def _layout(
    data: NetworkData, saved: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    members = list(data.members.values())
    try:  # the map's own layout, when this build has it
        from .layout import layout_positions

        return layout_positions(members, data.active_relationships(), seed=1, initial=saved or None)
    except ImportError:
        import networkx as nx

        return {
            k: (float(v[0]), float(v[1]))
            for k, v in nx.spring_layout(data.graph(), seed=1, iterations=30).items()
        }
