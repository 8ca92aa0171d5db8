"""Network measures: pure functions over the document's data and its networkx graph.

``load_network`` reads a workbook once into a plain ``NetworkData`` value (so the heavy work can
run in a worker thread with no database connection); everything else is a pure function of it.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from scipy import sparse

from .model import Affiliation, Attendance, Event, Member, Relationship
from .ratings import Rating, latest_ratings, rating_from_row

if TYPE_CHECKING:
    from .store import Workbook

RECENT_DAYS = 90
# Above this many members betweenness is estimated from a seeded sample of sources.
EXACT_BETWEENNESS_LIMIT = 1000
# Sampled sources above the limit: plenty to rank the top brokers, cheap with matrix products.
BETWEENNESS_WORK = 1_000_000  # sources x members
MIN_BETWEENNESS_SAMPLES = 100
SEED = 7


@dataclass
class NetworkData:
    """Everything the analysis needs, read from a document at one moment."""

    members: dict[str, Member]
    relationships: list[Relationship]
    events: dict[str, Event] = field(default_factory=dict)
    attendance: list[Attendance] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    # The document's history: (day, Changes as JSON) per applied or reverted command, in order.
    history: list[tuple[date, dict[str, Any]]] = field(default_factory=list)
    today: date = field(default_factory=date.today)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def active_relationships(self) -> list[Relationship]:
        return [
            r
            for r in self.relationships
            if r.is_active(self.today)
            and r.source_id in self.members
            and r.target_id in self.members
        ]

    def latest_ratings(self) -> dict[str, Rating]:
        if "latest" not in self._cache:
            self._cache["latest"] = latest_ratings(self.ratings)
        return self._cache["latest"]

    def graph(self) -> nx.Graph:
        """Undirected graph of active ties; several ties of one pair keep the strongest."""
        if "graph" not in self._cache:
            self._cache["graph"] = build_graph(
                self.members, self.active_relationships(), self.latest_ratings()
            )
        return self._cache["graph"]

    def events_of(self) -> dict[str, set[str]]:
        """Member id -> ids of the dated events (up to today) they attended."""
        if "events_of" not in self._cache:
            out: dict[str, set[str]] = defaultdict(set)
            for a in self.attendance:
                e = self.events.get(a.event_id)
                if e is not None and e.date is not None and e.date <= self.today:
                    out[a.member_id].add(a.event_id)
            self._cache["events_of"] = out
        return self._cache["events_of"]

    def last_in_person(self) -> dict[str, date]:
        """Member id -> date of their latest in-person event up to today."""
        if "last_in_person" not in self._cache:
            last: dict[str, date] = {}
            for m, evs in self.events_of().items():
                dates = [self.events[e].date for e in evs if self.events[e].in_person]
                if dates:
                    last[m] = max(d for d in dates if d is not None)
            self._cache["last_in_person"] = last
        return self._cache["last_in_person"]

    def recently_met(self, days: int = RECENT_DAYS) -> set[str]:
        since = self.today - timedelta(days=days)
        return {m for m, d in self.last_in_person().items() if d >= since and m in self.members}


def load_network(wb: Workbook, today: date | None = None) -> NetworkData:
    """Read what the analysis needs (on the thread that owns ``wb``)."""
    return NetworkData(
        members={m.id: m for m in wb.members()},
        relationships=wb.relationships(),
        events={e.id: e for e in wb.events()},
        attendance=wb.attendance(),
        affiliations=wb.affiliations(),
        ratings=[rating_from_row(r) for r in wb.rows("ratings")],
        history=[(date.fromisoformat(h["at"][:10]), h["changes"]) for h in wb.history()],
        settings=wb.settings(),
        today=today or date.today(),
    )


def trust_factor(rating: Rating | None) -> float:
    """0.25–1 from the latest trust scores; unrated ties count as fairly trusted (0.75)."""
    if rating is None or rating.trust is None:
        return 0.75
    return rating.trust / 4


def build_graph(
    members: dict[str, Member],
    relationships: Iterable[Relationship],
    ratings: dict[str, Rating] | None = None,
) -> nx.Graph:
    """Nodes are members; an edge per tied pair with ``strength`` (1–5), ``weight`` (strength
    scaled by trust, for suggestions and communities) and the relationship ``id``."""
    ratings = ratings or {}
    g = nx.Graph()
    g.add_nodes_from(members)
    for r in relationships:
        a, b = r.source_id, r.target_id
        weight = r.strength / 5 * trust_factor(ratings.get(r.id))
        old = g.get_edge_data(a, b)
        if old is None or r.strength > old["strength"]:
            g.add_edge(a, b, strength=r.strength, weight=weight, id=r.id)
    return g


def directed_graph(relationships: Iterable[Relationship]) -> nx.DiGraph:
    """The directed ties only: "directed" adds one arc, "mutual" both."""
    d = nx.DiGraph()
    for r in relationships:
        if r.direction == "directed":
            d.add_edge(r.source_id, r.target_id)
        elif r.direction == "mutual":
            d.add_edge(r.source_id, r.target_id)
            d.add_edge(r.target_id, r.source_id)
    return d


# ---- measures -----------------------------------------------------------------------------


def density(g: nx.Graph) -> float:
    return nx.density(g) if g.number_of_nodes() > 1 else 0.0


def average_degree(g: nx.Graph) -> float:
    n = g.number_of_nodes()
    return 2 * g.number_of_edges() / n if n else 0.0


def components(g: nx.Graph) -> list[set[str]]:
    """Connected groups, biggest first (an isolate is a component of one)."""
    return sorted(nx.connected_components(g), key=len, reverse=True)


def isolates(g: nx.Graph) -> list[str]:
    return list(nx.isolates(g))


def average_clustering(g: nx.Graph) -> float:
    return nx.average_clustering(g) if g.number_of_nodes() else 0.0


def reciprocity(relationships: Iterable[Relationship]) -> float | None:
    """Share of directed arcs whose reverse exists too; None when no tie has a direction."""
    d = directed_graph(relationships)
    if d.number_of_edges() == 0:
        return None
    return float(nx.reciprocity(d))


def core_numbers(g: nx.Graph) -> dict[str, int]:
    # A relationship never joins a member to itself, so the graph has no self-loops.
    return nx.core_number(g)


@dataclass(frozen=True)
class CorePeriphery:
    k: int  # the main core's k (every core member has at least k ties inside it)
    core: frozenset[str]
    periphery: frozenset[str]  # tied members outside the core (isolates are neither)


def core_periphery(g: nx.Graph) -> CorePeriphery:
    cores = core_numbers(g)
    k = max(cores.values(), default=0)
    if k < 2:  # a forest has no core: everyone tied is periphery
        tied = frozenset(n for n, c in cores.items() if c > 0)
        return CorePeriphery(k, frozenset(), tied)
    core = frozenset(n for n, c in cores.items() if c == k)
    periphery = frozenset(n for n, c in cores.items() if 0 < c < k)
    return CorePeriphery(k, core, periphery)


def communities(g: nx.Graph, seed: int = SEED) -> list[set[str]]:
    """Louvain communities of tied members (seeded, so the same network gives the same
    answer), biggest first; isolates are left out."""
    tied = [n for n in g if g.degree(n) > 0]
    if not tied:
        return []
    index = {m: i for i, m in enumerate(tied)}
    rows, cols, vals = [], [], []
    for a, b, w in g.edges(data="weight"):
        rows += [index[a], index[b]]
        cols += [index[b], index[a]]
        vals += [float(w), float(w)]
    adj = sparse.csr_array((vals, (rows, cols)), shape=(len(tied), len(tied)))
    labels = louvain(adj, seed)
    groups: dict[int, set[str]] = defaultdict(set)
    for m, label in zip(tied, labels.tolist(), strict=True):
        groups[label].add(m)
    return sorted(groups.values(), key=lambda c: (-len(c), min(c)))


def louvain(adj: Any, seed: int = SEED, threshold: float = 1e-7) -> np.ndarray:
    """Louvain (Blondel et al. 2008) on a symmetric weighted adjacency matrix: a community
    label per node. Local moving runs over plain Python lists (no per-edge dict lookups as in
    networkx); each level's graph is aggregated with one sparse product."""
    rng = random.Random(seed)
    n = adj.shape[0]
    labels = np.arange(n)
    m2 = float(adj.sum())  # 2m: every edge counted from both ends
    if m2 <= 0:
        return labels
    level = sparse.csr_array(adj)
    best_q = _modularity_of(level, np.arange(n), m2)
    while True:
        moved, comm = _local_moving(level, m2, rng)
        if not moved:
            break
        _, comm = np.unique(comm, return_inverse=True)
        q = _modularity_of(level, comm, m2)
        if q - best_q <= threshold:
            break
        best_q = q
        labels = comm[labels]
        k = int(comm.max()) + 1
        member = sparse.csr_array(
            (np.ones(len(comm)), (np.arange(len(comm)), comm)), shape=(len(comm), k)
        )
        level = sparse.csr_array(member.T @ level @ member)
    return labels


def _local_moving(level: Any, m2: float, rng: random.Random) -> tuple[bool, np.ndarray]:
    n = level.shape[0]
    indptr, indices, data = level.indptr.tolist(), level.indices.tolist(), level.data.tolist()
    degree = np.asarray(level.sum(axis=1)).ravel().tolist()
    comm = list(range(n))
    total = list(degree)  # summed degree of each community
    order = list(range(n))
    rng.shuffle(order)
    moved_any = False
    improved = True
    while improved:
        improved = False
        for i in order:
            ki = degree[i]
            own = comm[i]
            weights: dict[int, float] = {}
            for p in range(indptr[i], indptr[i + 1]):
                j = indices[p]
                if j != i:
                    c = comm[j]
                    weights[c] = weights.get(c, 0.0) + data[p]
            total[own] -= ki
            best, best_gain = own, weights.get(own, 0.0) - total[own] * ki / m2
            for c, w in weights.items():
                gain = w - total[c] * ki / m2
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            total[best] += ki
            if best != own:
                comm[i] = best
                improved = moved_any = True
    return moved_any, np.asarray(comm)


def _modularity_of(level: Any, comm: np.ndarray, m2: float) -> float:
    coo = level.tocoo()
    inside = float(coo.data[comm[coo.row] == comm[coo.col]].sum())
    totals = np.bincount(comm, weights=np.asarray(level.sum(axis=1)).ravel())
    return inside / m2 - float(((totals / m2) ** 2).sum())


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
    inside = np.bincount(
        ca[(ca == cb) & (ca >= 0)], weights=w[(ca == cb) & (ca >= 0)], minlength=len(parts)
    )
    degree = np.bincount(ca[ca >= 0], weights=w[ca >= 0], minlength=len(parts)) + np.bincount(
        cb[cb >= 0], weights=w[cb >= 0], minlength=len(parts)
    )
    return float((inside / m - (degree / (2 * m)) ** 2).sum())


def bridges(g: nx.Graph) -> list[tuple[str, str]]:
    """Ties whose loss would split a group in two."""
    return list(nx.bridges(g))


def betweenness(g: nx.Graph, seed: int = SEED) -> dict[str, float]:
    """Brokerage: normalised betweenness (as networkx computes it), exact up to
    EXACT_BETWEENNESS_LIMIT members, else estimated from a seeded sample of sources.

    Brandes' algorithm run for a batch of sources at once with sparse matrix products: the
    breadth-first levels and the back-propagation of dependencies are a handful of numpy
    operations per level instead of a Python loop per node.
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    if n <= EXACT_BETWEENNESS_LIMIT:
        sources = list(range(n))
    else:
        k = min(n, max(MIN_BETWEENNESS_SAMPLES, BETWEENNESS_WORK // n))
        sources = sorted(random.Random(seed).sample(range(n), k))
    adj = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=None, format="csr")
    adj.data[:] = 1.0
    total = np.zeros(n)
    for i in range(0, len(sources), 128):
        total += _dependencies(adj, np.asarray(sources[i : i + 128]))
    # networkx's scaling for normalised betweenness without endpoints
    k = len(sources)
    if k == n:
        total /= (n - 1) * (n - 2)
    else:
        is_source = np.zeros(n, dtype=bool)
        is_source[sources] = True
        total = np.where(is_source, total / ((k - 1) * (n - 2)), total / (k * (n - 2)))
    return dict(zip(nodes, total.tolist(), strict=True))


def _dependencies(adj: Any, sources: np.ndarray) -> np.ndarray:
    """Sum over ``sources`` of each node's dependency (Brandes), one column per source."""
    n, k = adj.shape[0], len(sources)
    cols = np.arange(k)
    sigma = np.zeros((n, k))
    sigma[sources, cols] = 1.0
    seen = sigma > 0
    levels = [seen.copy()]
    frontier = sigma.copy()
    while True:
        reach = adj @ frontier  # paths into each node from the current level
        new = (reach > 0) & ~seen
        if not new.any():
            break
        sigma[new] = reach[new]
        seen |= new
        levels.append(new)
        frontier = np.where(new, sigma, 0.0)
    delta = np.zeros((n, k))
    safe = np.where(sigma > 0, sigma, 1.0)
    for d in range(len(levels) - 1, 0, -1):
        coeff = np.where(levels[d], (1.0 + delta) / safe, 0.0)
        delta += np.where(levels[d - 1], sigma * (adj @ coeff), 0.0)
    delta[sources, cols] = 0.0
    return delta.sum(axis=1)


def top_brokers(scores: dict[str, float], top: int = 10) -> list[tuple[str, float]]:
    ranked = sorted(((m, s) for m, s in scores.items() if s > 0), key=lambda ms: (-ms[1], ms[0]))
    return ranked[:top]


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
    n = g.number_of_nodes()
    if n == 0:
        return []
    threshold = max(4.0, 2.5 * average_degree(g))
    found = [m for m, d in g.degree() if d >= threshold]
    return sorted(found, key=lambda m: -g.degree(m))


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
    comps = comps if comps is not None else components(g)
    cp = cp or core_periphery(g)
    names = names or {}
    if n == 0:
        return STAGES[0], ["the network has no members yet"]
    groups = [c for c in comps if len(c) > 1]
    largest = len(groups[0]) / n if groups else 0.0
    n_isolates = sum(1 for c in comps if len(c) == 1)
    centralization = degree_centralization(g)
    found_hubs = hubs(g)
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


def finite(value: float | None) -> float | None:
    """JSON has no NaN: map it to None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
