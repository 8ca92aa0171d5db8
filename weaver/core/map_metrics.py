"""Metrics that size nodes on the map, and communities that colour them, cached per network.

Each is a pure function of the members and active ties, with ``progress(fraction, message)``
and ``cancelled()`` callbacks so the UI can run it in a worker (see ``weaver.ui.tasks``).
Results are cached on the network's signature (``mapdata.network_signature``: member ids and
tie ids/ends/strength/direction), so moving nodes or renaming a member never recomputes them;
adding, removing or re-weighting a tie does.

Betweenness is exact up to ``EXACT_BETWEENNESS_MAX`` nodes. Above that it is estimated from
``BETWEENNESS_SAMPLES`` source nodes drawn with a fixed seed (networkx ``k=``, ``seed=``), so
the same network always gets the same sizes; with a few hundred pivots the ranking of the top
brokers is stable, which is what node size shows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

import networkx as nx

from .model import Member, Relationship

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLES = 256
SEED = 20261122

METRICS: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "meetings", "kcore")


class MetricCancelled(Exception):
    """Raised inside a computation when ``cancelled()`` turned true."""


class _Cache:
    """A small LRU of (metric, signature) -> values, safe to use from a worker thread."""

    def __init__(self, size: int = 16) -> None:
        self._data: OrderedDict[tuple[str, str], dict[str, float]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> dict[str, float] | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, str], value: dict[str, float]) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


CACHE = _Cache()


def _noop_progress(fraction: float, message: str) -> None:
    return None


def _never() -> bool:
    return False


def _signature(members: Sequence[Member], rels: Sequence[Relationship]) -> str:
    from .mapdata import network_signature

    return network_signature(sorted(m.id for m in members), sorted(rels, key=lambda r: r.id))


def _simple_graph(members: Sequence[Member], rels: Iterable[Relationship]) -> nx.Graph:
    """Undirected simple graph; parallel ties add their strengths as the pair's weight."""
    g = nx.Graph()
    g.add_nodes_from(m.id for m in members)
    for r in rels:
        if r.source_id in g and r.target_id in g:
            if g.has_edge(r.source_id, r.target_id):
                g[r.source_id][r.target_id]["weight"] += r.strength
            else:
                g.add_edge(r.source_id, r.target_id, weight=r.strength)
    return g


def compute_metric(
    metric: str,
    members: Sequence[Member],
    rels: Sequence[Relationship],
    *,
    signature: str | None = None,
    meetings: dict[str, int] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, float]:
    """Member id -> value of ``metric`` over the active ties ``rels`` (cached on the network)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    progress = progress or _noop_progress
    cancelled = cancelled or _never
    sig = signature or _signature(members, rels)
    if metric == "meetings":
        # Depends on attendance, not the ties: never cached on the network signature.
        return {m.id: float((meetings or {}).get(m.id, 0)) for m in members}
    cached = CACHE.get((metric, sig))
    if cached is not None:
        progress(1.0, "")
        return cached
    g = _simple_graph(members, rels)
    if metric == "degree":
        values = {n: float(d) for n, d in g.degree()}
    elif metric == "weighted_degree":
        values = {n: float(d) for n, d in g.degree(weight="weight")}
    elif metric == "kcore":
        g.remove_edges_from(nx.selfloop_edges(g))
        values = {n: float(c) for n, c in nx.core_number(g).items()}
    else:
        values = _betweenness(g, progress, cancelled)
    progress(1.0, "")
    CACHE.put((metric, sig), values)
    return values


def _betweenness(g: nx.Graph, progress: Progress, cancelled: Cancelled) -> dict[str, float]:
    """Brandes betweenness in chunks of sources so progress and cancel work."""
    import random

    nodes = sorted(g.nodes)
    n = len(nodes)
    if n <= EXACT_BETWEENNESS_MAX:
        sources = nodes
    else:
        sources = random.Random(SEED).sample(nodes, BETWEENNESS_SAMPLES)
    total: dict[str, float] = dict.fromkeys(nodes, 0.0)
    chunk = max(1, len(sources) // 20)
    for start in range(0, len(sources), chunk):
        if cancelled():
            raise MetricCancelled()
        part = nx.betweenness_centrality_subset(
            g, sources=sources[start : start + chunk], targets=nodes, normalized=False
        )
        for k, v in part.items():
            total[k] += v
        progress(min(1.0, (start + chunk) / len(sources)), "")
    # Scale a sample up to the whole network, then normalise like networkx (0..1).
    scale = n / len(sources) if sources else 1.0
    norm = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    # Unnormalised subset betweenness over sources S is (|S|/n) x the usual betweenness on
    # average; the usual normalisation for undirected graphs is 2 / ((n-1)(n-2)).
    return {k: v * scale * norm * 2 for k, v in total.items()}


def communities(
    members: Sequence[Member],
    rels: Sequence[Relationship],
    *,
    signature: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, int]:
    """Member id -> community number (0 = largest), by seeded Louvain on tie strength.

    Isolated members get no community (they are left out of the result).
    """
    progress = progress or _noop_progress
    cancelled = cancelled or _never
    sig = signature or _signature(members, rels)
    cached = CACHE.get(("community", sig))
    if cached is not None:
        return {k: int(v) for k, v in cached.items()}
    g = _simple_graph(members, rels)
    g.remove_nodes_from([n for n, d in g.degree() if d == 0])
    if cancelled():
        raise MetricCancelled()
    parts = nx.community.louvain_communities(g, weight="weight", seed=SEED) if len(g) else []
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    out = {mid: i for i, part in enumerate(parts) for mid in part}
    progress(1.0, "")
    CACHE.put(("community", sig), {k: float(v) for k, v in out.items()})
    return out
