"""Every measure of the network, on networkx, cached by the network's signature.

One function per measure (degree, betweenness, closeness, eigenvector, communities, core and
periphery, bridges, brokers, and the scorecard's density, clustering, reciprocity…), each a
function of the graph from :func:`weaver.core.network.graph.build_graph`. The map, Health,
Weaving and the report all call these, so they cannot disagree.

The costly ones are cached in :data:`CACHE` on ``(measure, g.graph["signature"])``: moving or
renaming a member never recomputes them; adding, removing, re-weighting or re-rating a tie
does. Callers get a copy, never the cached value itself.

Communities are networkx's Louvain (``seed=SEED``, weight = the tie's closeness), isolates left
out, biggest first. Betweenness (brokerage) counts hops, normalised as networkx does, exact
while ``sources × (members + ties)`` stays within ``BETWEENNESS_WORK``; above that it is
networkx's estimate from a seeded sample of sources (the same network always gives the same
figures; the top brokers, which is what is shown, are stable). The long computations take
``progress(fraction, message)`` and ``cancelled()`` callbacks and raise
:class:`MetricCancelled` when asked to stop.
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

SEED = 7
# Exact betweenness while sources x (members + ties) stays within this (every member is a
# source up to about 1,000 members in a sparse network; the demo is far below it). Above it,
# a seeded sample of this many "edge visits" worth of sources, at least MIN_BETWEENNESS_SAMPLES.
BETWEENNESS_WORK = 2_000_000
MIN_BETWEENNESS_SAMPLES = 48
# Sources per chunk of a betweenness computation: progress and cancel between chunks.
BETWEENNESS_CHUNKS = 20


class MetricCancelled(Exception):
    """Raised inside a computation when ``cancelled()`` turned true."""


class MeasureCache:
    """A small thread-safe LRU of (measure, signature) -> value, shared by every view (the map
    and the Health panel compute in worker threads)."""

    def __init__(self, size: int = 64) -> None:
        self._data: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Any | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, str], value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


CACHE = MeasureCache()


def no_progress(fraction: float, message: str) -> None:
    """A ``progress`` callback that shows nothing."""


def never_cancelled() -> bool:
    return False


def signature_of(g: nx.Graph) -> str:
    """The signature :func:`build_graph` stored on the graph (a graph built elsewhere gets
    one from its nodes and weighted edges, so the cache still tells networks apart)."""
    sig = g.graph.get("signature")
    if sig is None:
        import hashlib

        h = hashlib.blake2b(digest_size=16)
        h.update(repr(sorted(map(str, g.nodes))).encode())
        h.update(repr(sorted((str(a), str(b), w) for a, b, w in g.edges(data="weight"))).encode())
        sig = g.graph["signature"] = h.hexdigest()
    return sig


def _cached(name: str, g: nx.Graph, compute: Callable[[], Any]) -> Any:
    key = (name, signature_of(g))
    value = CACHE.get(key)
    if value is None:
        value = compute()
        CACHE.put(key, value)
    return value


# ---- per member ---------------------------------------------------------------------------


def degree(g: nx.Graph) -> dict[str, float]:
    """Members each member is tied to."""
    return {n: float(d) for n, d in g.degree()}


def weighted_degree(g: nx.Graph) -> dict[str, float]:
    """Summed closeness of a member's ties (see the weighting rule in ``graph``)."""
    return {n: float(d) for n, d in g.degree(weight="weight")}


def core_numbers(g: nx.Graph) -> dict[str, int]:
    """Each member's k-core number (the graph has no self-loops: ``build_graph`` drops them)."""
    return dict(_cached("core_numbers", g, lambda: nx.core_number(g)))


def betweenness(
    g: nx.Graph,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> dict[str, float]:
    """Brokerage: normalised betweenness over hops (networkx), exact or sampled (module doc).

    Computed in chunks of sources with ``nx.betweenness_centrality_subset`` so progress and
    cancel work; summed over all sources this is exactly ``nx.betweenness_centrality``.
    """
    key = ("betweenness", signature_of(g))
    cached = CACHE.get(key)
    if cached is not None:
        progress(1.0, "")
        return dict(cached)
    nodes = sorted(g.nodes)
    n = len(nodes)
    sources = betweenness_sources(nodes, g.number_of_edges())
    total = dict.fromkeys(nodes, 0.0)
    chunk = max(1, len(sources) // BETWEENNESS_CHUNKS)
    for start in range(0, len(sources), chunk):
        if cancelled():
            raise MetricCancelled()
        part = nx.betweenness_centrality_subset(
            g, sources=sources[start : start + chunk], targets=nodes, normalized=False
        )
        for k, v in part.items():
            total[k] += v
        progress(min(1.0, (start + chunk) / len(sources)), "")
    # The subset form halves each undirected pair's count, as unnormalised betweenness does;
    # networkx's normalisation is 2 / ((n-1)(n-2)), and a sample of k sources is scaled by n/k.
    scale = 2 / ((n - 1) * (n - 2)) * n / len(sources) if n > 2 else 0.0
    values = {k: v * scale for k, v in total.items()}
    CACHE.put(key, values)
    progress(1.0, "")
    return dict(values)


def betweenness_sources(nodes: list[str], n_ties: int) -> list[str]:
    """All members when exact betweenness fits ``BETWEENNESS_WORK``, else a seeded sample."""
    n = len(nodes)
    per_source = max(1, n + n_ties)
    if n * per_source <= BETWEENNESS_WORK:
        return list(nodes)
    k = min(n, max(MIN_BETWEENNESS_SAMPLES, BETWEENNESS_WORK // per_source))
    return sorted(random.Random(SEED).sample(nodes, k))


def closeness(g: nx.Graph) -> dict[str, float]:
    """How near a member is to everyone they can reach (networkx, hops)."""
    return dict(_cached("closeness", g, lambda: nx.closeness_centrality(g)))


def eigenvector(g: nx.Graph) -> dict[str, float]:
    """Tied to members who are themselves well tied (networkx, weighted by closeness)."""

    def compute() -> dict[str, float]:
        if g.number_of_edges() == 0:
            return dict.fromkeys(g, 0.0)
        return nx.eigenvector_centrality_numpy(g, weight="weight")

    return dict(_cached("eigenvector", g, compute))


def top_brokers(scores: dict[str, float], top: int = 10) -> list[tuple[str, float]]:
    """The ``top`` members by brokerage (above zero), best first, ties by id."""
    ranked = sorted(((m, s) for m, s in scores.items() if s > 0), key=lambda ms: (-ms[1], ms[0]))
    return ranked[:top]


# ---- groups -------------------------------------------------------------------------------


def communities(
    g: nx.Graph,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> list[set[str]]:
    """Louvain communities of the tied members (networkx, seeded, weighted by closeness),
    biggest first (ties by smallest id); members without ties belong to none."""
    key = ("communities", signature_of(g))
    cached = CACHE.get(key)
    if cached is None:
        tied = g.subgraph(n for n in g if g.degree(n) > 0)
        if cancelled():
            raise MetricCancelled()
        parts = (
            nx.community.louvain_communities(tied, weight="weight", seed=SEED) if len(tied) else []
        )
        cached = tuple(frozenset(p) for p in sorted(parts, key=lambda c: (-len(c), min(c))))
        CACHE.put(key, cached)
    progress(1.0, "")
    return [set(p) for p in cached]


def community_numbers(parts: list[set[str]]) -> dict[str, int]:
    """Member id -> 1-based community number (1 = largest), as every view shows it."""
    return {m: i + 1 for i, part in enumerate(parts) for m in part}


def modularity(g: nx.Graph, parts: list[set[str]]) -> float:
    """Weighted modularity of a partition (as networkx defines it, resolution 1), summed with
    numpy: networkx's own takes longer than finding the communities on a big network."""
    label = {m: i for i, part in enumerate(parts) for m in part}
    edges = [(label.get(a, -1), label.get(b, -1), w) for a, b, w in g.edges(data="weight")]
    if not edges or not parts:
        return 0.0
    ca, cb, w = (np.asarray(x) for x in zip(*edges, strict=True))
    w = w.astype(float)
    m = w.sum()
    if m <= 0:
        return 0.0
    same = (ca == cb) & (ca >= 0)
    inside = np.bincount(ca[same], weights=w[same], minlength=len(parts))
    total = np.bincount(ca[ca >= 0], weights=w[ca >= 0], minlength=len(parts)) + np.bincount(
        cb[cb >= 0], weights=w[cb >= 0], minlength=len(parts)
    )
    return float((inside / m - (total / (2 * m)) ** 2).sum())


def components(g: nx.Graph) -> list[set[str]]:
    """Connected groups, biggest first (an isolate is a component of one)."""
    return sorted(nx.connected_components(g), key=len, reverse=True)


def isolates(g: nx.Graph) -> list[str]:
    return list(nx.isolates(g))


@dataclass(frozen=True)
class CorePeriphery:
    k: int  # the main core's k (every core member has at least k ties inside it)
    core: frozenset[str]
    periphery: frozenset[str]  # tied members outside the core (isolates are neither)


def core_periphery(g: nx.Graph) -> CorePeriphery:
    """The main k-core is the core; everyone else tied is periphery (a forest has no core)."""
    cores = core_numbers(g)
    k = max(cores.values(), default=0)
    if k < 2:
        tied = frozenset(n for n, c in cores.items() if c > 0)
        return CorePeriphery(k, frozenset(), tied)
    core = frozenset(n for n, c in cores.items() if c == k)
    periphery = frozenset(n for n, c in cores.items() if 0 < c < k)
    return CorePeriphery(k, core, periphery)


def bridges(g: nx.Graph) -> list[tuple[str, str]]:
    """Ties whose loss would split a group in two."""
    return list(_cached("bridges", g, lambda: tuple(nx.bridges(g))))


# ---- the whole network ----------------------------------------------------------------------


def density(g: nx.Graph) -> float:
    return nx.density(g) if g.number_of_nodes() > 1 else 0.0


def average_degree(g: nx.Graph) -> float:
    n = g.number_of_nodes()
    return 2 * g.number_of_edges() / n if n else 0.0


def average_clustering(g: nx.Graph) -> float:
    if not g.number_of_nodes():
        return 0.0
    return float(_cached("average_clustering", g, lambda: nx.average_clustering(g)))


def reciprocity(d: nx.DiGraph) -> float | None:
    """Share of directed arcs whose reverse exists too (``build_directed_graph``); None when
    no tie has a direction."""
    if d.number_of_edges() == 0:
        return None
    return float(nx.reciprocity(d))


def degree_centralization(g: nx.Graph) -> float:
    """Freeman degree centralization: 1 for a perfect star, 0 when all have the same degree."""
    n = g.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in g.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def hubs(g: nx.Graph) -> list[str]:
    """Members with far more ties than most: at least 4 and 2.5 times the average."""
    if g.number_of_nodes() == 0:
        return []
    threshold = max(4.0, 2.5 * average_degree(g))
    found = [m for m, d in g.degree() if d >= threshold]
    return sorted(found, key=lambda m: -g.degree(m))
