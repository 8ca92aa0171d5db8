"""What the map sizes and colours nodes by, read from the one graph and the one set of measures.

The map builds the same graph as Health (:func:`weaver.core.network.graph.build_graph`: the
same members, current ties and latest trust ratings on the same day) and asks the same
measures (:mod:`weaver.core.network.measures`), so "Colour by community" shows Health's clusters
and "Size by brokerage" Health's brokers. Results are cached on the graph's signature, so moving
nodes or renaming a member never recomputes them; a new, removed, re-weighted or re-rated tie
does. ``progress(fraction, message)`` and ``cancelled()`` let the UI run them in a worker
(``MetricCancelled`` when cancelled).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import networkx as nx

from .model import Member, Relationship
from .network import measures
from .network.graph import build_graph
from .network.measures import Cancelled, Progress, never_cancelled, no_progress
from .ratings import Rating, latest_ratings

METRICS: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "meetings", "kcore")


def map_graph(
    members: Iterable[Member],
    relationships: Iterable[Relationship],
    ratings: Iterable[Rating],
    as_of: date,
) -> nx.Graph:
    """The one graph of what the map shows (``ratings``: every rating; the latest counts)."""
    return build_graph(members, relationships, latest_ratings(ratings), as_of=as_of)


def metric_of_graph(
    metric: str,
    g: nx.Graph,
    *,
    meetings: Mapping[str, int] | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> dict[str, float]:
    """Member id -> value of ``metric`` on the graph."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    if metric == "meetings":
        return {m: float((meetings or {}).get(m, 0)) for m in g}
    if metric == "degree":
        values = measures.degree(g)
    elif metric == "weighted_degree":
        values = measures.weighted_degree(g)
    elif metric == "kcore":
        values = {n: float(c) for n, c in measures.core_numbers(g).items()}
    else:
        values = measures.betweenness(g, progress, cancelled)
    progress(1.0, "")
    return values


def communities_of_graph(
    g: nx.Graph, progress: Progress = no_progress, cancelled: Cancelled = never_cancelled
) -> dict[str, int]:
    """Member id -> community number, 0 = largest (Health numbers the same groups from 1).
    Members without ties get none."""
    parts = measures.communities(g, progress, cancelled)
    return {m: i for i, part in enumerate(parts) for m in part}


def compute_metric(
    metric: str,
    members: Sequence[Member],
    relationships: Sequence[Relationship],
    ratings: Iterable[Rating],
    *,
    as_of: date,
    meetings: Mapping[str, int] | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> dict[str, float]:
    """:func:`metric_of_graph` on :func:`map_graph` (for a worker thread)."""
    g = map_graph(members, relationships, ratings, as_of)
    return metric_of_graph(metric, g, meetings=meetings, progress=progress, cancelled=cancelled)


def communities(
    members: Sequence[Member],
    relationships: Sequence[Relationship],
    ratings: Iterable[Rating],
    *,
    as_of: date,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> dict[str, int]:
    """:func:`communities_of_graph` on :func:`map_graph` (for a worker thread)."""
    g = map_graph(members, relationships, ratings, as_of)
    return communities_of_graph(g, progress, cancelled)
