"""The weaving report as plain data: one JSON-ready dict that the JSON, xlsx and PDF outputs
(and the Health panel's exports) all come from.

Everything goes through the document's share view (:mod:`weaver.core.privacy`): no e-mail,
phone, notes, custom fields or rating notes, none of the member fields the document marks
private, no private tag; a member whose consent is "no" is one row "Member N" in the member
table with no figure of theirs, and is left out of every list that would single them out
(brokers, bridges, clusters, suggestions, offers and needs, nudges).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from .codec import snapshot_from_row
from .health import SCORECARD_LABELS, Health, assess, monthly_series
from .metrics import NetworkData, load_network
from .network.facts import cold_days
from .privacy import ShareView
from .profile import profile_from_settings
from .snapshots import Snapshot, ordered, trends
from .weaving import nudges
from .weaving_answers import answered_suggestions
from .weaving_offers import offers_and_needs
from .weaving_suggest import explain, suggest_introductions

if TYPE_CHECKING:
    from .store import Document

Progress = Callable[[float, str], None]
# Member columns a report may show, unless the document marks them private.
MEMBER_COLUMNS = ("kind", "role", "sector", "location", "tags")


def _noop(_f: float, _m: str) -> None:
    pass


def load_snapshots(wb: Document) -> list[Snapshot]:
    return ordered(snapshot_from_row(r) for r in wb.rows("snapshots"))


def report_from_workbook(
    wb: Document, today: date | None = None, progress: Progress = _noop, top: int = 50
) -> dict[str, Any]:
    data = load_network(wb, today)
    return build_report(data, load_snapshots(wb), progress=progress, top=top)


def _share_view(data: NetworkData) -> ShareView:
    return ShareView(data.members.values(), data.settings)


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
    view = _share_view(data)

    def name(member_id: str) -> str:
        m = data.members.get(member_id)
        return "(deleted member)" if m is None else view.name(m)

    def shown(*member_ids: str) -> bool:
        """Lists name only members who consented: even as "Member N", a broker or the one
        person with a need would be singled out in a small network."""
        return not any(view.is_anonymous(m) for m in member_ids)

    community_of = health.community_of
    progress(0.75, "Suggesting introductions")
    suggestions = suggest_introductions(data, top, community_of)
    progress(0.85, "Matching offers and needs")
    needs = offers_and_needs(data, community_of)
    found_nudges = nudges(data, health.ties)
    progress(0.92, "Monthly series")
    monthly = monthly_series(data)
    card = health.scorecard
    private = view.private.members
    columns = [c for c in MEMBER_COLUMNS if c not in private]
    # Offers, needs and tags stay out when the document marks them private; tags hidden from
    # presentations stay out too.
    show_matches = not ({"offers", "needs"} & private)
    hidden_tags: tuple[str, ...] | None = None if "tags" in private else tuple(view.private_tags)
    profile = profile_from_settings(data.settings)

    report: dict[str, Any] = {
        "name": str(data.settings.get("name", "")),
        "generated_on": data.today.isoformat(),
        "profile": profile.to_json(),
        "members": card["members"],
        # One word per count (as `weaver info` and the status bar say them): all relationships,
        # the current ones, and "ties" in the scorecard are tied pairs.
        "relationships": len(data.relationships),
        "current_relationships": len(data.active_relationships()),
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
        "brokers": [name(m) for m, _ in health.brokers if shown(m)],
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
            if shown(s.a, s.b)
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
            {"name": name(m), "betweenness": round(score, 5)}
            for m, score in health.brokers
            if shown(m)
        ],
        "bridge_ties": sorted(sorted((name(a), name(b))) for a, b in health.bridges if shown(a, b)),
        "community_list": [
            {
                "community": i + 1,
                "size": len(part),
                "members": sorted(name(m) for m in part if shown(m))[:12],
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
                    if shown(o.member_id)
                ],
                "offerers": n.total_offerers,
            }
            for n in (needs if show_matches else [])
            if shown(n.member_id)
        ],
        "nudges": [
            {
                "kind": x.kind,
                "members": [name(m) for m in x.member_ids],
                "text": x.text,
                "days": x.days,
            }
            for x in found_nudges
            if shown(*x.member_ids)
        ],
        # How many nudges of each kind name a member who said no (counted, never listed), so
        # a list can say why it is shorter than the scorecard's count.
        "nudges_withheld": dict(Counter(x.kind for x in found_nudges if not shown(*x.member_ids))),
        "answered_suggestions": [
            {"a": name(x.a), "b": name(x.b), "status": x.status, "on": x.on}
            for x in answered_suggestions(data)
            if shown(x.a, x.b)
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
            _member_row(data, health, view, m, columns)
            for m in sorted(data.members, key=lambda m: name(m).casefold())
        ],
    }
    progress(1.0, "Done")
    return report


def _member_row(
    data: NetworkData, health: Health, view: ShareView, member_id: str, columns: list[str]
) -> dict[str, Any]:
    m = data.members[member_id]
    if view.is_anonymous(member_id):
        # The alias and the kind only: ties, cluster, brokerage and last meeting would be
        # enough to tell who it is in a small network.
        blank = dict.fromkeys([*columns, *_FIGURES], "")
        return blank | {"name": view.name(m), "kind": m.kind}
    f = health.members[member_id]
    shared = view.member(m)
    row: dict[str, Any] = {"id": m.id, "name": shared.name}
    for c in columns:
        value = getattr(shared, c)
        row[c] = ", ".join(value) if c == "tags" else value
    row |= {
        "ties": f.ties,
        "position": f.position,
        "community": f.community,
        "brokerage": round(f.brokerage, 5),
        "last_in_person": f.last_in_person.isoformat() if f.last_in_person else "",
        "meetings_90d": f.meetings_recent,
    }
    return row


_FIGURES = ("ties", "position", "community", "brokerage", "last_in_person", "meetings_90d")


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
    view = _share_view(data)
    nodes = [
        {
            "x": float(pos[m][0]),
            "y": float(pos[m][1]),
            "community": community_of.get(m, 0),
            "degree": g.degree(m),
            "label": data.members[m].name if m in top and not view.is_anonymous(m) else "",
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
