"""How the map shows members: node colours (palette, categories, legend) and node sizes.

Pure numpy over member lists; :mod:`mapdata` builds a snapshot with them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import networkx as nx
import numpy as np

from .model import Member

RGBA = tuple[int, int, int, int]

MIN_SIZE, MAX_SIZE = 8.0, 30.0

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


def field_name(color_by: str) -> str:
    return color_by.removeprefix("custom:")


def size_values(
    size_by: str,
    ids: list[str],
    edges: np.ndarray,
    strength: np.ndarray,
    meetings: np.ndarray,
    metric_values: Mapping[str, float] | None,
    graph: Callable[[], nx.Graph],
) -> np.ndarray:
    """The raw value each node is sized by. The cheap ones come from the drawn arrays; the
    costly ones from :mod:`weaver.core.network.measures` over ``graph()`` (the one graph,
    cached), unless the caller computed them in a worker (``metric_values``)."""
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
        from .map_metrics import metric_of_graph

        values = metric_of_graph(size_by, graph())
        return np.fromiter((float(values.get(mid, 0.0)) for mid in ids), float, count=n)
    raise ValueError(f"cannot size the map by {size_by!r}; choose one of {', '.join(SIZE_METRICS)}")


def categories(
    color_by: str,
    members: Sequence[Member],
    organizations: Sequence[tuple[str, ...]],
    communities: Mapping[str, int] | None,
    graph: Callable[[], nx.Graph],
    private: frozenset[str],
) -> list[str]:
    """The category each member is coloured by ("" = none). Communities are Health's
    clusters: the same Louvain on the same graph (``graph()``), unless given."""
    if field_name(color_by) in private:
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
            from .map_metrics import communities_of_graph

            communities = communities_of_graph(graph())
        return [
            f"Community {communities[m.id] + 1}" if m.id in communities else "" for m in members
        ]
    name = field_name(color_by)
    return [str(m.custom.get(name, "") or "").strip() for m in members]
