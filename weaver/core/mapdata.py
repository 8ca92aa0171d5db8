"""MapSnapshot: the arrays the network map draws directly (no Qt here).

The map view never walks entities: it draws one scatter item from ``pos``/``sizes``/``colors``
/``kinds`` and one edge item from ``edges``. A snapshot is built from a :class:`Document` (or
from plain entity lists, see :class:`MapSource`) in one pass of numpy work, and refreshed from
a :class:`Changes` record: a drag or a layout run only touches ``pos``/``pinned``; anything else
rebuilds, which is cheap (well under 100 ms for 5,000 members / 15,000 ties).

Conventions
- Node ``i`` is member ``ids[i]``; ``index[member_id] == i``. Rows are ordered by member id so
  the same document always gives the same arrays.
- ``edges[j]`` is ``(source_row, target_row)`` of relationship ``edge_ids[j]``. Every active
  relationship is its own edge (so a click can select exactly that relationship); ended ones
  are left out unless ``include_ended=True``.
- ``sizes`` is a node diameter in device-independent pixels at zoom 1 (``MIN_SIZE``..
  ``MAX_SIZE``, area proportional to the metric); ``size_values`` holds the raw metric.
- ``colors`` is (N, 4) RGBA ``uint8``; ``legend`` lists ``(label, rgba)`` in the order shown.
- ``tooltip(i)`` returns only public facts (name, kind, organizations, counts): never a field
  listed in the document's ``private_fields`` setting, and never e-mail, phone or notes.

The snapshot's types are in :mod:`mapdata_snapshot`, colours and sizes in :mod:`mapdata_style`.
Cold ties, meeting counts, communities and costly sizes come from :mod:`weaver.core.network`
(the same functions Health, Weaving and the report use).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .changes import Changes
from .mapdata_snapshot import MapSnapshot, MapSource
from .mapdata_style import (
    COLOR_FIELDS,
    categories,
    color_categories,
    field_name,
    scale_sizes,
    size_values,
)
from .network.facts import COLD_DAYS_KEY, cold_ties, meeting_log
from .network.graph import build_graph, current_ties, network_signature
from .privacy import PrivateFields
from .ratings import latest_ratings

if TYPE_CHECKING:
    from .store import Document

KIND_PERSON, KIND_ORGANIZATION = 0, 1


# ---- building ---------------------------------------------------------------------------------


def build_snapshot(
    source: Document | MapSource,
    *,
    color_by: str = "kind",
    size_by: str = "degree",
    as_of: date | None = None,
    include_ended: bool = False,
    metric_values: Mapping[str, float] | None = None,
    communities: Mapping[str, int] | None = None,
) -> MapSnapshot:
    """Build the arrays for the map.

    ``as_of`` (default today) decides which ties have ended and which are cold (the document's
    ``cold_tie_days``, :func:`weaver.core.network.facts.is_cold`). For a costly ``size_by``
    ("betweenness", "kcore") pass ``metric_values`` computed in a worker with
    :func:`weaver.core.map_metrics.compute_metric`; without them they are computed here through
    the same cache. ``communities`` (member id -> community number) feeds ``color_by="community"``;
    without it communities are detected here (Health's, cached).
    """
    src = source if isinstance(source, MapSource) else MapSource.from_workbook(source)
    as_of = as_of or date.today()
    members = sorted(src.members, key=lambda m: m.id)
    ids = [m.id for m in members]
    index = {mid: i for i, mid in enumerate(ids)}
    n = len(ids)
    private = PrivateFields.from_settings(src.settings).members

    pos = np.zeros((n, 2), dtype=np.float64)
    placed = np.zeros(n, dtype=bool)
    for i, m in enumerate(members):
        if m.x is not None and m.y is not None:
            pos[i] = (m.x, m.y)
            placed[i] = True
    pinned = np.fromiter((m.pinned for m in members), dtype=bool, count=n)
    kinds = np.fromiter((m.kind == "organization" for m in members), dtype=np.uint8, count=n)
    labels = [m.name for m in members]

    rels = [
        r
        for r in sorted(src.relationships, key=lambda r: r.id)
        if r.source_id in index and r.target_id in index and (include_ended or r.is_active(as_of))
    ]
    m_count = len(rels)
    edges = np.empty((m_count, 2), dtype=np.int32)
    for j, r in enumerate(rels):
        edges[j, 0] = index[r.source_id]
        edges[j, 1] = index[r.target_id]
    strength = np.fromiter((r.strength for r in rels), dtype=np.float32, count=m_count)
    directed = np.fromiter((r.direction == "directed" for r in rels), dtype=bool, count=m_count)
    mutual = np.fromiter((r.direction == "mutual" for r in rels), dtype=bool, count=m_count)
    ended = np.fromiter((not r.is_active(as_of) for r in rels), dtype=bool, count=m_count)

    log = meeting_log(src.events, src.attendance, as_of)
    cold_ids = cold_ties(rels, log, src.settings)
    cold = np.fromiter((r.id in cold_ids for r in rels), dtype=bool, count=m_count)

    degree = (
        np.bincount(edges.ravel(), minlength=n).astype(np.int32)
        if m_count
        else np.zeros(n, dtype=np.int32)
    )
    meetings = np.fromiter((log.meetings.get(mid, 0) for mid in ids), dtype=np.int32, count=n)

    names = {m.id: m.name for m in members}
    orgs_of: dict[str, list[str]] = defaultdict(list)
    affiliated = np.zeros(n, dtype=np.int32)
    for af in sorted(src.affiliations, key=lambda a: (a.person_id, a.organization_id)):
        if af.person_id in index and af.organization_id in index:
            orgs_of[af.person_id].append(names[af.organization_id])
            affiliated[index[af.organization_id]] += 1
    organizations = [tuple(orgs_of.get(mid, ())) for mid in ids]

    ratings = latest_ratings(src.ratings)
    signature = network_signature(ids, current_ties(ids, src.relationships, as_of), ratings)

    @cache
    def graph() -> Any:  # the one graph, built only when a costly size or communities need it
        return build_graph(members, src.relationships, ratings, as_of=as_of)

    values = size_values(size_by, ids, edges, strength, meetings, metric_values, graph)
    sizes = scale_sizes(values)

    shown_as = categories(color_by, members, organizations, communities, graph, private)
    colors, legend, legend_counts = color_categories(shown_as)

    return MapSnapshot(
        ids=ids,
        index=index,
        pos=pos,
        pinned=pinned,
        placed=placed,
        kinds=kinds,
        labels=labels,
        sizes=sizes,
        size_values=values,
        colors=colors,
        color_values=shown_as,
        legend=legend,
        legend_counts=legend_counts,
        edges=edges,
        edge_ids=[r.id for r in rels],
        edge_strength=strength,
        edge_directed=directed,
        edge_mutual=mutual,
        edge_cold=cold,
        edge_ended=ended,
        edge_kinds=[r.kind for r in rels],
        degree=degree,
        meetings=meetings,
        organizations=organizations,
        affiliated=affiliated,
        color_by=color_by,
        size_by=size_by,
        as_of=as_of,
        include_ended=include_ended,
        signature=signature,
        private_member_fields=private,
    )


def update_snapshot(
    snapshot: MapSnapshot,
    changes: Changes,
    source: Document | MapSource,
    **options: Any,
) -> MapSnapshot:
    """The snapshot after ``changes``: positions only -> update ``pos``/``pinned`` from the
    document; anything else -> rebuild with the same options (overridable via ``options``)."""
    only_positions = (
        not changes.reset
        and not changes.members
        and not changes.relationships
        and not changes.affiliations
        and not changes.events
        and not changes.attendance
        and not changes.ratings  # trust weighs the ties communities are found on
        and not (changes.settings & {"private_fields", COLD_DAYS_KEY})
        and not options
    )
    if only_positions:
        if not changes.positions:
            return snapshot
        if isinstance(source, MapSource):
            moved = [m for m in source.members if m.id in changes.positions]
        else:
            moved = source.members_by_ids(changes.positions)
        pos = snapshot.pos.copy()
        pinned = snapshot.pinned.copy()
        placed = snapshot.placed.copy()
        for m in moved:
            i = snapshot.index.get(m.id)
            if i is None:
                continue
            pinned[i] = m.pinned
            if m.x is not None and m.y is not None:
                pos[i] = (m.x, m.y)
                placed[i] = True
        return replace(snapshot, pos=pos, pinned=pinned, placed=placed)
    settings = {
        "color_by": snapshot.color_by,
        "size_by": snapshot.size_by,
        "as_of": snapshot.as_of,
        "include_ended": snapshot.include_ended,
    } | options
    return build_snapshot(source, **settings)


def recolor(
    snapshot: MapSnapshot,
    source: Document | MapSource,
    color_by: str,
    communities: Mapping[str, int] | None = None,
) -> MapSnapshot:
    """Same snapshot coloured by another field (legend included)."""
    return (
        update_snapshot(snapshot, Changes(reset=True), source, color_by=color_by)
        if (communities is None)
        else build_snapshot(
            source,
            color_by=color_by,
            size_by=snapshot.size_by,
            as_of=snapshot.as_of,
            include_ended=snapshot.include_ended,
            communities=communities,
        )
    )


def colorable_fields(source: Document | MapSource) -> list[str]:
    """Fields offered in "Colour by": the built-in ones plus every custom field in use, minus
    private ones (a colour legend would reveal them)."""
    src = source if isinstance(source, MapSource) else MapSource.from_workbook(source)
    private = PrivateFields.from_settings(src.settings).members
    custom = sorted({k for m in src.members for k in m.custom})
    return [
        f for f in (*COLOR_FIELDS, *(f"custom:{k}" for k in custom)) if field_name(f) not in private
    ]
