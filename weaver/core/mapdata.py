"""MapSnapshot: the arrays the network map draws directly (no Qt here).

The map view never walks entities: it draws one scatter item from ``pos``/``sizes``/``colors``
/``kinds`` and one edge item from ``edges``. A snapshot is built from a :class:`Workbook` (or
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
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from .changes import Changes
from .model import Affiliation, Attendance, Event, Member, Relationship

if TYPE_CHECKING:
    from .store import Workbook

RGBA = tuple[int, int, int, int]

MIN_SIZE, MAX_SIZE = 8.0, 30.0
COLD_AFTER_DAYS = 365

# Colour-blind-safe categorical palette (Okabe-Ito without black and yellow, plus three of Paul
# Tol's "muted" hues). Every colour is mid-luminance, so it reads on a light and a dark canvas.
PALETTE: tuple[RGBA, ...] = (
    (0, 114, 178, 255),  # blue
    (230, 159, 0, 255),  # orange
    (0, 158, 115, 255),  # bluish green
    (204, 121, 167, 255),  # reddish purple
    (86, 180, 233, 255),  # sky blue
    (213, 94, 0, 255),  # vermillion
    (68, 170, 153, 255),  # teal
    (153, 153, 51, 255),  # olive
    (170, 68, 153, 255),  # purple
    (221, 204, 119, 255),  # sand
)
OTHER_COLOR: RGBA = (150, 150, 150, 255)  # categories past the tenth
NONE_COLOR: RGBA = (200, 200, 200, 255)  # members with no value for the field
OTHER_LABEL = "Other"
NONE_LABEL = "(none)"

KIND_PERSON, KIND_ORGANIZATION = 0, 1

# Fields the map can colour by besides any custom field (``custom:<name>`` or the bare name).
COLOR_FIELDS: tuple[str, ...] = (
    "kind",
    "organization",
    "sector",
    "tag",
    "location",
    "role",
    "community",
)
# Metrics the map can size by; the costly ones come from ``map_metrics`` (cached).
SIZE_METRICS: tuple[str, ...] = (
    "none",
    "degree",
    "weighted_degree",
    "meetings",
    "betweenness",
    "kcore",
)
CHEAP_METRICS = frozenset({"none", "degree", "weighted_degree", "meetings"})


@dataclass(frozen=True)
class MapSource:
    """Plain entity lists to build a snapshot from, when there is no Workbook (tests, demo)."""

    members: Sequence[Member]
    relationships: Sequence[Relationship] = ()
    affiliations: Sequence[Affiliation] = ()
    events: Sequence[Event] = ()
    attendance: Sequence[Attendance] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_workbook(cls, wb: Workbook) -> MapSource:
        return cls(
            members=wb.members(),
            relationships=wb.relationships(),
            affiliations=wb.affiliations(),
            events=wb.events(),
            attendance=wb.attendance(),
            settings=wb.settings(),
        )


@dataclass(frozen=True)
class MapTooltip:
    """What hovering a node may show. Plain data: the view translates and formats it."""

    name: str
    kind: str | None  # None when "kind" is private
    organizations: tuple[str, ...]  # a person's organizations; () for an organization
    relationships: int  # active ties drawn on the map
    meetings: int  # events attended
    members: int  # people affiliated (organizations only; 0 for people)


@dataclass
class MapSnapshot:
    """Everything the map draws, as arrays indexed by node row / edge row."""

    ids: list[str]
    index: dict[str, int]
    pos: np.ndarray  # (N, 2) float64
    pinned: np.ndarray  # (N,) bool
    placed: np.ndarray  # (N,) bool: False where the member had no saved position
    kinds: np.ndarray  # (N,) uint8: 0 person, 1 organization
    labels: list[str]
    sizes: np.ndarray  # (N,) float32 diameter (device-independent px at zoom 1)
    size_values: np.ndarray  # (N,) float64 raw metric values
    colors: np.ndarray  # (N, 4) uint8 RGBA
    color_values: list[str]  # (N) the category each node was coloured by ("" = none)
    legend: list[tuple[str, RGBA]]
    legend_counts: list[int]
    edges: np.ndarray  # (M, 2) int32 node rows
    edge_ids: list[str]
    edge_strength: np.ndarray  # (M,) float32, 1..5
    edge_directed: np.ndarray  # (M,) bool: arrow from source to target
    edge_mutual: np.ndarray  # (M,) bool: arrows both ways
    edge_cold: np.ndarray  # (M,) bool: no in-person meeting together in the last 12 months
    edge_ended: np.ndarray  # (M,) bool: only True when built with include_ended
    edge_kinds: list[str]
    degree: np.ndarray  # (N,) int32 active ties
    meetings: np.ndarray  # (N,) int32 events attended
    organizations: list[tuple[str, ...]]  # (N) names of a person's organizations
    affiliated: np.ndarray  # (N,) int32 people affiliated with an organization
    color_by: str = "kind"
    size_by: str = "degree"
    as_of: date | None = None
    include_ended: bool = False
    signature: str = ""  # changes when members or ties change (metrics cache key)
    private_member_fields: frozenset[str] = frozenset()

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def n_edges(self) -> int:
        return len(self.edge_ids)

    def tooltip(self, i: int) -> MapTooltip:
        private = self.private_member_fields
        return MapTooltip(
            name=self.labels[i],
            kind=None if "kind" in private else ("organization" if self.kinds[i] else "person"),
            organizations=() if "organization" in private else self.organizations[i],
            relationships=int(self.degree[i]),
            meetings=int(self.meetings[i]),
            members=int(self.affiliated[i]),
        )

    def positions(self) -> dict[str, tuple[float, float]]:
        """Member id -> (x, y), e.g. to push a MoveMembers command after a layout."""
        return {mid: (float(x), float(y)) for mid, (x, y) in zip(self.ids, self.pos, strict=True)}

    def with_positions(self, positions: Mapping[str, tuple[float, float]]) -> MapSnapshot:
        """A copy with some members moved (a live drag), all other arrays shared."""
        pos = self.pos.copy()
        placed = self.placed.copy()
        for mid, (x, y) in positions.items():
            i = self.index.get(mid)
            if i is not None:
                pos[i] = (x, y)
                placed[i] = True
        return replace(self, pos=pos, placed=placed)

    def neighbours(self, rows: Iterable[int], depth: int = 1) -> np.ndarray:
        """Rows within ``depth`` steps of ``rows`` (included), following drawn edges."""
        n = self.n_nodes
        keep = np.zeros(n, dtype=bool)
        frontier = np.zeros(n, dtype=bool)
        frontier[list(rows)] = True
        keep |= frontier
        a, b = self.edges[:, 0], self.edges[:, 1]
        for _ in range(max(0, depth)):
            nxt = np.zeros(n, dtype=bool)
            nxt[b[frontier[a]]] = True
            nxt[a[frontier[b]]] = True
            frontier = nxt & ~keep
            if not frontier.any():
                break
            keep |= frontier
        return np.flatnonzero(keep)


# ---- building ---------------------------------------------------------------------------------


def build_snapshot(
    source: Workbook | MapSource,
    *,
    color_by: str = "kind",
    size_by: str = "degree",
    as_of: date | None = None,
    include_ended: bool = False,
    metric_values: Mapping[str, float] | None = None,
    communities: Mapping[str, int] | None = None,
) -> MapSnapshot:
    """Build the arrays for the map.

    ``as_of`` (default today) decides which ties have ended and which are cold. For a costly
    ``size_by`` ("betweenness", "kcore") pass ``metric_values`` computed in a worker with
    :func:`weaver.core.map_metrics.compute_metric`; without them they are computed here through
    the same cache. ``communities`` (member id -> community number) feeds ``color_by="community"``;
    without it communities are detected here (cached).
    """
    src = source if isinstance(source, MapSource) else MapSource.from_workbook(source)
    as_of = as_of or date.today()
    members = sorted(src.members, key=lambda m: m.id)
    ids = [m.id for m in members]
    index = {mid: i for i, mid in enumerate(ids)}
    n = len(ids)
    private = _private_member_fields(src.settings)

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

    recent = _recent_in_person_events(src.events, src.attendance, as_of)
    empty: frozenset[str] = frozenset()
    cold = np.fromiter(
        (recent.get(r.source_id, empty).isdisjoint(recent.get(r.target_id, empty)) for r in rels),
        dtype=bool,
        count=m_count,
    )

    degree = (
        np.bincount(edges.ravel(), minlength=n).astype(np.int32)
        if m_count
        else np.zeros(n, dtype=np.int32)
    )
    meetings = np.zeros(n, dtype=np.int32)
    for a in src.attendance:
        i = index.get(a.member_id)
        if i is not None:
            meetings[i] += 1

    names = {m.id: m.name for m in members}
    orgs_of: dict[str, list[str]] = defaultdict(list)
    affiliated = np.zeros(n, dtype=np.int32)
    for af in sorted(src.affiliations, key=lambda a: (a.person_id, a.organization_id)):
        if af.person_id in index and af.organization_id in index:
            orgs_of[af.person_id].append(names[af.organization_id])
            affiliated[index[af.organization_id]] += 1
    organizations = [tuple(orgs_of.get(mid, ())) for mid in ids]

    signature = network_signature(ids, rels)
    values = _size_values(
        size_by, ids, edges, strength, meetings, signature, metric_values, members, rels
    )
    sizes = scale_sizes(values)

    categories = _categories(
        color_by, members, organizations, signature, communities, rels, private
    )
    colors, legend, legend_counts = color_categories(categories)

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
        color_values=categories,
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
    source: Workbook | MapSource,
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
        and not (changes.settings & {"private_fields"})
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
    source: Workbook | MapSource,
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


# ---- colours, sizes ---------------------------------------------------------------------------


def color_categories(values: Sequence[str]) -> tuple[np.ndarray, list[tuple[str, RGBA]], list[int]]:
    """RGBA per value and the legend: the ten most frequent categories get palette colours (ties
    broken by name, so the same data always gets the same colours), the rest "Other" grey,
    members without a value "(none)"."""
    counts = Counter(v for v in values if v)
    ranked = sorted(counts, key=lambda v: (-counts[v], v.casefold(), v))
    named = ranked[: len(PALETTE)] if len(ranked) <= len(PALETTE) else ranked[: len(PALETTE) - 1]
    color_of = {v: PALETTE[k] for k, v in enumerate(named)}
    colors = np.empty((len(values), 4), dtype=np.uint8)
    for i, v in enumerate(values):
        colors[i] = color_of.get(v, OTHER_COLOR) if v else NONE_COLOR
    legend = [(v, color_of[v]) for v in named]
    legend_counts = [counts[v] for v in named]
    other = sum(counts[v] for v in ranked[len(named) :])
    if other:
        legend.append((OTHER_LABEL, OTHER_COLOR))
        legend_counts.append(other)
    none = sum(1 for v in values if not v)
    if none:
        legend.append((NONE_LABEL, NONE_COLOR))
        legend_counts.append(none)
    return colors, legend, legend_counts


def scale_sizes(values: np.ndarray) -> np.ndarray:
    """Diameters MIN_SIZE..MAX_SIZE with area proportional to the value (sqrt scale)."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return np.zeros(0, dtype=np.float32)
    v = np.clip(np.nan_to_num(v, nan=0.0), 0.0, None)
    top = float(v.max())
    if top <= 0:
        return np.full(v.shape, (MIN_SIZE + MAX_SIZE) / 3, dtype=np.float32)
    return (MIN_SIZE + (MAX_SIZE - MIN_SIZE) * np.sqrt(v / top)).astype(np.float32)


def colorable_fields(source: Workbook | MapSource) -> list[str]:
    """Fields offered in "Colour by": the built-in ones plus every custom field in use, minus
    private ones (a colour legend would reveal them)."""
    src = source if isinstance(source, MapSource) else MapSource.from_workbook(source)
    private = _private_member_fields(src.settings)
    custom = sorted({k for m in src.members for k in m.custom})
    return [
        f
        for f in (*COLOR_FIELDS, *(f"custom:{k}" for k in custom))
        if _field_name(f) not in private
    ]


def network_signature(member_ids: Iterable[str], rels: Iterable[Relationship]) -> str:
    """A digest of who is in the network and how they are tied (ids, ends, strength), so derived
    figures (metrics, communities) are recomputed only when it changes."""
    h = hashlib.blake2b(digest_size=16)
    for mid in member_ids:
        h.update(mid.encode())
        h.update(b"\0")
    h.update(b"\1")
    for r in rels:
        h.update(f"{r.id}|{r.source_id}|{r.target_id}|{r.strength}|{r.direction}\0".encode())
    return h.hexdigest()


# ---- helpers ----------------------------------------------------------------------------------


def _private_member_fields(settings: Mapping[str, Any]) -> frozenset[str]:
    private = settings.get("private_fields") or {}
    if isinstance(private, Mapping):
        return frozenset(str(f) for f in private.get("members", ()))
    return frozenset(str(f) for f in private)


def _field_name(color_by: str) -> str:
    return color_by.removeprefix("custom:")


def _recent_in_person_events(
    events: Iterable[Event], attendance: Iterable[Attendance], as_of: date
) -> dict[str, frozenset[str]]:
    """Member id -> in-person events attended within the last COLD_AFTER_DAYS up to ``as_of``."""
    since = as_of - timedelta(days=COLD_AFTER_DAYS)
    recent = {
        e.id for e in events if e.in_person and e.date is not None and since <= e.date <= as_of
    }
    out: dict[str, set[str]] = defaultdict(set)
    for a in attendance:
        if a.event_id in recent:
            out[a.member_id].add(a.event_id)
    return {k: frozenset(v) for k, v in out.items()}


def _size_values(
    size_by: str,
    ids: list[str],
    edges: np.ndarray,
    strength: np.ndarray,
    meetings: np.ndarray,
    signature: str,
    metric_values: Mapping[str, float] | None,
    members: Sequence[Member],
    rels: Sequence[Relationship],
) -> np.ndarray:
    n = len(ids)
    if metric_values is not None:
        return np.fromiter((float(metric_values.get(mid, 0.0)) for mid in ids), float, count=n)
    if size_by == "none":
        return np.zeros(n)
    if size_by == "degree":
        return np.bincount(edges.ravel(), minlength=n).astype(np.float64)
    if size_by == "weighted_degree":
        w = np.repeat(strength.astype(np.float64), 2)
        return np.bincount(edges.ravel(), weights=w, minlength=n) if len(edges) else np.zeros(n)
    if size_by == "meetings":
        return meetings.astype(np.float64)
    if size_by in SIZE_METRICS:
        from . import map_metrics

        values = map_metrics.compute_metric(size_by, members, rels, signature=signature)
        return np.fromiter((float(values.get(mid, 0.0)) for mid in ids), float, count=n)
    raise ValueError(f"cannot size the map by {size_by!r}; choose one of {', '.join(SIZE_METRICS)}")


def _categories(
    color_by: str,
    members: Sequence[Member],
    organizations: Sequence[tuple[str, ...]],
    signature: str,
    communities: Mapping[str, int] | None,
    rels: Sequence[Relationship],
    private: frozenset[str],
) -> list[str]:
    if _field_name(color_by) in private:
        # A private field never reaches the map, not even as a colour.
        return ["" for _ in members]
    if color_by == "kind":
        return [m.kind for m in members]
    if color_by == "organization":
        # A person is coloured by their first organization, an organization by itself.
        return [
            m.name if m.is_organization else (orgs[0] if orgs else "")
            for m, orgs in zip(members, organizations, strict=True)
        ]
    if color_by == "tag":
        return [m.tags[0] if m.tags else "" for m in members]
    if color_by in ("sector", "location", "role"):
        return [str(getattr(m, color_by) or "").strip() for m in members]
    if color_by == "community":
        if communities is None:
            from . import map_metrics

            communities = map_metrics.communities(members, rels, signature=signature)
        return [
            f"Community {communities[m.id] + 1}" if m.id in communities else "" for m in members
        ]
    name = _field_name(color_by)
    return [str(m.custom.get(name, "") or "").strip() for m in members]
