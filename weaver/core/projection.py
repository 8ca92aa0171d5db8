"""What the projector draws: the map's arrays passed through the presentation privacy rules.

Everything a shared screen shows comes out of :func:`project`: labels are public labels
(names, initials or pseudonyms; anonymous dots have none), members hidden by the rules are
gone, colours and the legend are computed from public facts only (kind, organization, public
tags, community), and tooltips are :meth:`PublicMember.tooltip`. A growth-replay date and a
spotlight or focus narrow what is shown; the arrays stay aligned so the view draws them as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from .mapdata_snapshot import MapSnapshot, neighbourhood_mask
from .mapdata_style import NONE_LABEL, RGBA, color_categories
from .privacy import PublicMember
from .replay import Timeline

PROJECTOR_COLOR_FIELDS = ("kind", "organization", "tag", "community")
ANONYMOUS_LABEL = "Anonymous"


@dataclass
class Projection:
    ids: list[str]
    pos: np.ndarray  # (N, 2)
    is_org: np.ndarray  # (N,) bool
    labels: list[str]  # "" for anonymous dots
    tooltips: list[str]
    sizes: np.ndarray  # (N,) diameters at zoom 1, before the projector's scale
    colors: np.ndarray  # (N, 4) uint8
    legend: list[tuple[str, RGBA]]
    legend_counts: list[int]
    edges: np.ndarray  # (M, 2) rows into the arrays above
    edge_ids: list[str]
    strength: np.ndarray
    cold: np.ndarray
    directed: np.ndarray
    highlight: np.ndarray | None  # (N,) bool: spotlight / focus; None = everything lit

    @property
    def n_nodes(self) -> int:
        return len(self.ids)


def _category(p: PublicMember, color_by: str, community: str) -> str:
    if p.label is None:
        return ""  # an anonymous dot says nothing about itself
    if color_by == "kind":
        return "Organization" if p.kind == "organization" else "Person"
    if color_by == "organization":
        if p.kind == "organization":
            return p.label
        return p.organizations[0] if p.organizations else ""
    if color_by == "tag":
        return p.tags[0] if p.tags else ""
    if color_by == "community":
        return community
    return ""


def project(
    snap: MapSnapshot,
    public: Mapping[str, PublicMember],
    *,
    color_by: str = "kind",
    timeline: Timeline | None = None,
    day: date | None = None,
    spotlight: tuple[str, str] | None = None,
    focus: tuple[str, int] | None = None,
) -> Projection:
    """The projector's arrays. ``spotlight`` is (colour field, category) to light up;
    ``focus`` is (member id, depth) to show a neighbourhood; both fade the rest."""
    keep_rows = [i for i, mid in enumerate(snap.ids) if mid in public]
    edge_keep = np.ones(snap.n_edges, dtype=bool)
    if timeline is not None and day is not None:
        present = timeline.members_on(day)
        keep_rows = [i for i in keep_rows if snap.ids[i] in present]
        ties = timeline.ties_on(day)
        edge_keep &= np.array([e in ties for e in snap.edge_ids], dtype=bool)
    rows = np.asarray(keep_rows, dtype=np.int64)
    new_index = np.full(snap.n_nodes, -1, dtype=np.int64)
    new_index[rows] = np.arange(len(rows))
    e = snap.edges
    if len(e):
        edge_keep &= (new_index[e[:, 0]] >= 0) & (new_index[e[:, 1]] >= 0)
    edge_rows = np.flatnonzero(edge_keep)
    edges = (
        new_index[e[edge_rows]].astype(np.int32) if len(edge_rows) else np.zeros((0, 2), np.int32)
    )

    ids = [snap.ids[i] for i in rows]
    people = [public[mid] for mid in ids]
    communities = snap.color_values if snap.color_by == "community" else [""] * snap.n_nodes
    values = [_category(p, color_by, communities[i]) for p, i in zip(people, rows, strict=True)]
    colors, legend, counts = color_categories(values)
    anonymous = np.array([p.label is None for p in people], dtype=bool)
    named_without_value = any(
        v == "" and p.label is not None for v, p in zip(values, people, strict=True)
    )
    if anonymous.any() and not named_without_value:
        # Every grey "(none)" dot is an anonymous member: say so in the legend.
        legend = [(ANONYMOUS_LABEL if lbl == NONE_LABEL else lbl, rgba) for lbl, rgba in legend]

    highlight: np.ndarray | None = None
    if spotlight is not None:
        field_name, category = spotlight
        if field_name == color_by:
            highlight = np.array([v == category for v in values], dtype=bool)
        else:
            highlight = np.array(
                [
                    _category(p, field_name, communities[i]) == category
                    for p, i in zip(people, rows, strict=True)
                ],
                dtype=bool,
            )
    if focus is not None:
        member_id, depth = focus
        if member_id in ids:
            start = ids.index(member_id)
            lit = neighbourhood_mask(len(ids), edges, [start], depth)
            highlight = lit if highlight is None else highlight & lit

    return Projection(
        ids=ids,
        pos=snap.pos[rows].copy(),
        is_org=snap.kinds[rows].astype(bool),
        labels=[p.label or "" for p in people],
        tooltips=[p.tooltip() for p in people],
        sizes=snap.sizes[rows].astype(float),
        colors=colors,
        legend=legend,
        legend_counts=counts,
        edges=edges,
        edge_ids=[snap.edge_ids[j] for j in edge_rows],
        strength=snap.edge_strength[edge_rows],
        cold=snap.edge_cold[edge_rows],
        directed=snap.edge_directed[edge_rows],
        highlight=highlight,
    )
