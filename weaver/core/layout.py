"""Network layouts in numpy: force-directed (sparse stress), circle, and group-by-field.

The force-directed layout is *sparse stress majorization* (Ortmann, Klimenta & Brandes, "A Sparse
Stress Model", 2016) started from *pivot MDS* (Brandes & Pich, 2006); the engine is in
:mod:`weaver.core.layout_stress`:

1. Give every tie an ideal length: short inside a close-knit group, long for a bridge, a little
   shorter for a strong tie (so communities show as clusters, not one uniform disc).
2. Pick ``k`` random (seeded) pivots and run one Dijkstra from each (C code in scipy).
3. Pivot MDS turns the n×k distance table into a first picture in milliseconds.
4. A few dozen vectorised stress iterations pull every tie towards its length and every member
   towards its graph distance from the pivots (weighted by the pivot's partial region, so the
   pivots stand for all the other members).
5. A short ForceAtlas2-style refinement (:mod:`weaver.core.layout_refine`, repulsion on an FFT
   grid) lets close-knit groups contract and pushes groups apart, so communities read as
   clusters around a core instead of one round hairball.
6. Members that landed on top of each other are pushed apart (k-d tree pairs within a radius).

The cost is O(k·(n + m)) per iteration instead of O(n²), which is why 2,000 members lay out in a
fraction of networkx's ``spring_layout`` time; stress is the standard measure of how faithfully a
picture shows graph distances, and :func:`layout_quality` reports it for any layout.

Rules every layout here keeps:
- Deterministic: same graph, same ``seed`` → same positions (no global random state).
- Fixed (pinned) nodes never move, not by a hair.
- Incremental: with ``initial`` positions, members that have one keep it exactly; only the others
  are placed, next to their neighbours.
- Disconnected parts are laid out on their own and packed in rows next to each other, biggest
  first, so nothing drifts off-screen; isolated members sit on a ring just around the picture
  (the periphery), or in a grid when nobody has a tie.
- Members added to a map someone is looking at (:func:`place_new_members`) go next to their ties;
  those with no tie to anyone placed go to the free space nearest the view.
- Long runs report ``progress(fraction, message)`` and stop when ``cancelled()`` turns true
  (raising :class:`LayoutCancelled`).

Positions are in scene units; a tie is about ``EDGE_LENGTH`` long in a fresh layout. When
existing positions are kept, the unit is taken from them (median tie length) instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, shortest_path

from .layout_pack import PACK_GAP as PACK_GAP
from .layout_pack import Rect, free_offset, grid, pack, rings
from .layout_refine import REFINE_ITERATIONS, refine
from .layout_stress import (
    fit_to,
    near_neighbours,
    spread,
    stress_iterations,
    stress_model,
)
from .model import Member, Relationship

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

EDGE_LENGTH = 60.0
ITERATIONS = 30
STRESS_SHARE = 0.8  # of a component's progress; the refinement is the rest


class LayoutCancelled(Exception):
    """The user cancelled a running layout."""


def _quiet(fraction: float, message: str) -> None:
    return None


def _never() -> bool:
    return False


# ---- entity-level entry point -----------------------------------------------------------------


def layout_positions(
    members: Sequence[Member],
    relationships: Iterable[Relationship],
    *,
    seed: int = 0,
    pinned: Mapping[str, tuple[float, float]] | Iterable[str] | None = None,
    initial: Mapping[str, tuple[float, float]] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[str, tuple[float, float]]:
    """Member id -> (x, y) for every member, by the force-directed layout.

    ``pinned``: ids (positions taken from ``initial`` or the member's saved x/y) or a mapping
    id -> (x, y); they stay exactly there. ``None`` means the members marked pinned that have a
    saved position. ``initial``: positions to keep (incremental placement): members in it stay
    put and only the others are placed near their neighbours. Without it the whole network is
    laid out afresh. Ended relationships are ignored.
    """
    ids = [m.id for m in members]
    index = {mid: i for i, mid in enumerate(ids)}
    n = len(ids)
    saved = {m.id: (m.x, m.y) for m in members if m.x is not None and m.y is not None}
    start = np.full((n, 2), np.nan)
    fixed = np.zeros(n, dtype=bool)
    for mid, (x, y) in (initial or {}).items():
        if mid in index:
            start[index[mid]] = (x, y)
            fixed[index[mid]] = True
    if pinned is None:
        pins: dict[str, tuple[float, float]] = {
            m.id: saved[m.id] for m in members if m.pinned and m.id in saved
        }
    elif isinstance(pinned, Mapping):
        pins = dict(pinned)
    else:
        known = saved | dict(initial or {})
        pins = {mid: known[mid] for mid in pinned if mid in known}
    for mid, (x, y) in pins.items():
        if mid in index:
            start[index[mid]] = (x, y)
            fixed[index[mid]] = True
    ties = [
        r
        for r in relationships
        if r.ended_on is None and r.source_id in index and r.target_id in index
    ]
    edges = np.array(
        [(index[r.source_id], index[r.target_id]) for r in ties], dtype=np.int64
    ).reshape(-1, 2)
    strength = np.array([r.strength for r in ties], dtype=float)
    pos = force_layout(
        n,
        edges,
        seed=seed,
        fixed=fixed,
        initial=start,
        weights=strength,
        progress=progress,
        cancelled=cancelled,
    )
    return {mid: (float(pos[i, 0]), float(pos[i, 1])) for i, mid in enumerate(ids)}


# ---- array-level layouts ----------------------------------------------------------------------


def force_layout(
    n: int,
    edges: np.ndarray,
    *,
    seed: int = 0,
    fixed: np.ndarray | None = None,
    initial: np.ndarray | None = None,
    edge_length: float | None = None,
    iterations: int = ITERATIONS,
    weights: np.ndarray | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> np.ndarray:
    """(n, 2) positions for nodes ``0..n-1`` tied by ``edges`` (M, 2).

    ``fixed`` nodes keep their ``initial`` position exactly. Components holding a fixed node are
    completed around it; the others are laid out from scratch and packed beside them.
    ``weights``: each edge's tie strength (1–5; stronger ties are drawn a little shorter), or
    None for all equal.
    """
    progress = progress or _quiet
    cancelled = cancelled or _never
    rng = np.random.default_rng(seed)
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    fixed = np.zeros(n, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool).copy()
    if initial is not None:
        pos[:] = np.nan_to_num(initial)
        fixed &= ~np.isnan(initial).any(axis=1)
    if weights is None:
        edges = _clean_edges(edges, n)
    else:
        edges, weights = _clean_edges(edges, n, weights)
    kept = pos[fixed].copy()  # restored bit for bit at the end (scaling rounds)
    unit = edge_length or _unit_from(pos, fixed, edges)
    adj = _adjacency(n, edges)
    strength = None if weights is None else _strength_matrix(n, edges, weights)
    n_comp, labels = connected_components(adj, directed=False)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_comp + 1))
    comps = [order[bounds[c] : bounds[c + 1]] for c in range(n_comp)]
    done = 0

    def step(fraction: float, message: str) -> None:
        if cancelled():
            raise LayoutCancelled()
        progress(min(1.0, (done + fraction * size) / n), message)

    loose: list[np.ndarray] = []  # laid-out components to pack (hop units, centred)
    loose_nodes: list[np.ndarray] = []
    for nodes in sorted(comps, key=lambda c: (-len(c), int(c[0]))):
        size = len(nodes)
        sub = adj[nodes][:, nodes].tocsr()
        sub_strength = None if strength is None else strength[nodes][:, nodes].tocsr()
        anchored = fixed[nodes]
        if anchored.any():
            local = _complete_anchored(
                sub, sub_strength, pos[nodes] / unit, anchored, rng, iterations, step
            )
            pos[nodes] = local * unit
        else:
            loose.append(_layout_component(sub, sub_strength, rng, iterations, step))
            loose_nodes.append(nodes)
        done += size
    if loose:
        placed = fixed | np.zeros(n, dtype=bool)
        for nodes in comps:
            if fixed[nodes].any():
                placed[nodes] = True
        alone = [len(c) == 1 for c in loose]
        if all(alone) and not placed.any():
            alone = [False] * len(loose)  # only isolated members: a plain grid
        together = zip(loose, loose_nodes, alone, strict=True)
        pieces = [(c, nodes) for c, nodes, a in together if not a]
        if pieces:
            offsets = pack([c for c, _ in pieces], pos[placed] / unit if placed.any() else None)
            for (local, nodes), off in zip(pieces, offsets, strict=True):
                pos[nodes] = (local + off) * unit
                placed[nodes] = True
        singles = np.array([nodes[0] for nodes, a in zip(loose_nodes, alone, strict=True) if a])
        if len(singles):
            pos[singles] = rings(len(singles), pos[placed] / unit) * unit
    pos[fixed] = kept
    progress(1.0, "")
    return pos


def place_new_members(
    n: int,
    edges: np.ndarray,
    pos: np.ndarray,
    placed: np.ndarray,
    *,
    view: Rect | None = None,
    clearance: float = 0.0,
    seed: int = 0,
    weights: np.ndarray | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> np.ndarray:
    """Positions for the members without one (``placed`` false) while every placed member keeps
    its position exactly.

    A newcomer tied (directly or through other newcomers) to a placed member goes next to its
    ties (the incremental :func:`force_layout`). The others — a group tied only among
    themselves, or members with no tie at all — go, each group whole and the untied ones in one
    grid, to the free space nearest the middle of ``view`` (the rectangle the user is looking
    at, ``(left, top, width, height)``): inside it when there is room, at least ``clearance``
    (and a tie length) from everyone. Without a view, or when nothing is placed yet, they are
    packed beside the picture as :func:`force_layout` does."""
    placed = np.asarray(placed, dtype=bool)
    initial = np.where(placed[:, None], pos, np.nan)
    result = force_layout(
        n,
        edges,
        seed=seed,
        fixed=placed.copy(),
        initial=initial,
        weights=weights,
        progress=progress,
        cancelled=cancelled,
    )
    if view is None or not placed.any() or placed.all():
        return result
    clean = _clean_edges(edges, n)
    gap = max(float(clearance), _unit_from(result, placed, clean))
    _, labels = connected_components(_adjacency(n, clean), directed=False)
    anchored = np.isin(labels, labels[placed])
    occupied = result[anchored]
    alone = np.bincount(labels, minlength=n)[labels] == 1
    groups = [np.flatnonzero(labels == c) for c in np.unique(labels[~anchored & ~alone])]
    pieces = [(nodes, result[nodes]) for nodes in groups]
    singles = np.flatnonzero(~anchored & alone)
    if len(singles):
        pieces.append((singles, grid(len(singles), gap)))
    for nodes, piece in sorted(pieces, key=lambda p: -len(p[0])):  # biggest first: most room
        result[nodes] = piece + free_offset(piece, occupied, view, gap)
        occupied = np.vstack([occupied, result[nodes]])
    return result


def circle_layout(
    n: int,
    edges: np.ndarray,
    *,
    fixed: np.ndarray | None = None,
    initial: np.ndarray | None = None,
    edge_length: float = EDGE_LENGTH,
) -> np.ndarray:
    """Members on one circle, neighbours next to each other (breadth-first order within each
    component, biggest component first), one tie length apart. Fixed nodes stay put."""
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    edges = _clean_edges(edges, n)
    adj = _adjacency(n, edges)
    order = _bfs_order(adj)
    free = np.ones(n, dtype=bool)
    if fixed is not None and initial is not None:
        free = ~(np.asarray(fixed, dtype=bool) & ~np.isnan(initial).any(axis=1))
    ring = order[free[order]]
    radius = max(edge_length, len(ring) * edge_length / (2 * np.pi))
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(ring)) / max(1, len(ring))
    pos[ring] = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    if not free.all():
        assert initial is not None
        pos[~free] = initial[~free]
        # Centre the ring on the pinned members so the picture stays where the user put it.
        pos[ring] += initial[~free].mean(axis=0)
    return pos


def group_layout(
    n: int,
    edges: np.ndarray,
    groups: Sequence[str],
    *,
    seed: int = 0,
    fixed: np.ndarray | None = None,
    initial: np.ndarray | None = None,
    edge_length: float = EDGE_LENGTH,
    weights: np.ndarray | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
    """One cluster per value of a field: each group is laid out on its own ties (force-directed)
    and the groups are packed in rows, biggest first. Returns positions and each group's centre
    (for captions). Members with no value form the group ``""``. Fixed nodes stay put.
    ``weights``: tie strengths as for :func:`force_layout`."""
    progress = progress or _quiet
    cancelled = cancelled or _never
    if weights is None:
        edges = _clean_edges(edges, n)
        weights = np.full(len(edges), 3.0)
    else:
        edges, weights = _clean_edges(edges, n, weights)
    values = list(groups)
    counts = Counter(values)
    names = sorted(counts, key=lambda g: (-counts[g], g == "", g))
    number = {name: k for k, name in enumerate(names)}
    member_of = np.array([number[v] for v in values], dtype=np.int64)
    same = member_of[edges[:, 0]] == member_of[edges[:, 1]] if len(edges) else np.zeros(0, bool)
    inner, inner_w = edges[same], weights[same]
    pieces: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    for k, name in enumerate(names):
        if cancelled():
            raise LayoutCancelled()
        nodes = np.flatnonzero(member_of == k)
        remap = np.full(n, -1)
        remap[nodes] = np.arange(len(nodes))
        mine = member_of[inner[:, 0]] == k
        local = force_layout(
            len(nodes),
            remap[inner[mine]],
            seed=seed,
            edge_length=1.0,
            weights=inner_w[mine],
            cancelled=cancelled,
        )
        pieces.append(local - local.mean(axis=0))
        rows.append(nodes)
        progress((k + 1) / len(names), name)
    # Groups need clear air between them, more than components do.
    offsets = pack(pieces, None, gap=3.0)
    pos = np.zeros((n, 2))
    centres: dict[str, tuple[float, float]] = {}
    for name, nodes, local, off in zip(names, rows, pieces, offsets, strict=True):
        pos[nodes] = (local + off) * edge_length
        c = (local + off).mean(axis=0) * edge_length
        centres[name] = (float(c[0]), float(c[1]))
    if fixed is not None and initial is not None:
        keep = np.asarray(fixed, dtype=bool) & ~np.isnan(initial).any(axis=1)
        pos[keep] = initial[keep]
    return pos, centres


# ---- quality ----------------------------------------------------------------------------------


def layout_quality(
    pos: np.ndarray, edges: np.ndarray, *, pairs: int = 20000, seed: int = 0
) -> float:
    """Normalised stress of a layout (lower is better; 0 = graph distances drawn exactly).

    Over a fixed seeded sample of node pairs in the same component, with graph distance D (hops)
    and drawn distance d scaled by the best factor s: ``sum((s·d − D)² / D²) / pairs``. The
    optimal scaling makes the measure independent of a layout's overall size, so two layouts of
    the same graph (e.g. ours and networkx's) compare fairly with the same ``seed``.
    """
    n = len(pos)
    edges = _clean_edges(edges, n)
    adj = _adjacency(n, edges)
    rng = np.random.default_rng(seed)
    sources = rng.choice(n, size=min(n, max(1, pairs // 100)), replace=False)
    dist = shortest_path(adj, unweighted=True, directed=False, indices=sources)
    per = max(1, pairs // len(sources))
    src = np.repeat(np.arange(len(sources)), per)
    dst = rng.integers(0, n, size=len(src))
    big_d = dist[src, dst]
    ok = np.isfinite(big_d) & (big_d > 0)
    big_d = big_d[ok]
    d = np.linalg.norm(pos[sources[src[ok]]] - pos[dst[ok]], axis=1)
    w = 1.0 / big_d**2
    s = float((w * d * big_d).sum() / max((w * d * d).sum(), 1e-12))
    return float((w * (s * d - big_d) ** 2).sum() / max(1, len(big_d)))


# ---- internals --------------------------------------------------------------------------------


def _clean_edges(edges: np.ndarray, n: int, weights: np.ndarray | None = None):
    """Edges without loops or out-of-range ends (and their weights, when given)."""
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    keep = (e[:, 0] != e[:, 1]) & (e.min(axis=1, initial=0) >= 0) & (e.max(axis=1, initial=0) < n)
    if weights is None:
        return e[keep]
    w = np.asarray(weights, dtype=float).reshape(-1)
    if len(w) != len(e):
        raise ValueError(f"{len(w)} weights for {len(e)} edges")
    return e[keep], w[keep]


def _strength_matrix(n: int, edges: np.ndarray, weights: np.ndarray) -> csr_matrix:
    """Symmetric matrix of each tied pair's strongest tie."""
    if len(edges) == 0:
        return csr_matrix((n, n))
    e = np.concatenate([edges, edges[:, ::-1]])
    w = np.concatenate([weights, weights])
    order = np.lexsort((-w, e[:, 1], e[:, 0]))
    e, w = e[order], w[order]
    first = np.ones(len(e), dtype=bool)
    first[1:] = (e[1:] != e[:-1]).any(axis=1)
    return csr_matrix((w[first], (e[first, 0], e[first, 1])), shape=(n, n))


def _adjacency(n: int, edges: np.ndarray) -> csr_matrix:
    e = np.concatenate([edges, edges[:, ::-1]]) if len(edges) else np.zeros((0, 2), np.int64)
    m = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
    m.data[:] = 1.0  # parallel ties count once
    return m


def _unit_from(pos: np.ndarray, fixed: np.ndarray, edges: np.ndarray) -> float:
    """Tie length of the kept positions (median), so added members match their scale."""
    if len(edges) and fixed.sum() >= 2:
        both = fixed[edges[:, 0]] & fixed[edges[:, 1]]
        if both.sum() >= 3:
            lengths = np.linalg.norm(pos[edges[both, 0]] - pos[edges[both, 1]], axis=1)
            med = float(np.median(lengths))
            if med > 1e-9:
                return med
    return EDGE_LENGTH


def _bfs_order(adj: csr_matrix) -> np.ndarray:
    from scipy.sparse.csgraph import breadth_first_order

    n = adj.shape[0]
    seen = np.zeros(n, dtype=bool)
    out: list[np.ndarray] = []
    degree = np.diff(adj.indptr)
    _, labels = connected_components(adj, directed=False)
    comps = sorted(np.unique(labels), key=lambda c: -(labels == c).sum())
    for c in comps:
        nodes = np.flatnonzero(labels == c)
        root = nodes[np.argmax(degree[nodes])]
        order = breadth_first_order(adj, root, directed=False, return_predecessors=False)
        out.append(order[~seen[order]])
        seen[order] = True
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _layout_component(
    adj: csr_matrix,
    strength: csr_matrix | None,
    rng: np.random.Generator,
    iterations: int,
    step: Callable[[float, str], None],
) -> np.ndarray:
    """A fresh layout of one connected component, centred, in tie-length units."""
    n = adj.shape[0]
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    model = stress_model(adj, strength, rng)
    pos = model.start + rng.normal(scale=0.05, size=model.start.shape)  # separates twins
    free = np.ones(n, dtype=bool)
    pos = stress_iterations(pos, model, free, iterations, _share(step, 0.0, STRESS_SHARE))
    pos = _refined(pos, adj, strength, free, step)
    pos = spread(pos, free)
    return pos - pos.mean(axis=0)


def _share(step: Callable[[float, str], None], start: float, end: float):
    """A progress callback for one phase: its 0..1 mapped onto ``start..end``."""
    return lambda fraction, message: step(start + (end - start) * fraction, message)


def _refined(
    pos: np.ndarray,
    adj: csr_matrix,
    strength: csr_matrix | None,
    free: np.ndarray,
    step: Callable[[float, str], None],
) -> np.ndarray:
    """The force-directed refinement (the last fifth of the progress), then the scale reset to
    a median tie of one unit."""
    coo = (adj if strength is None else strength).tocoo()
    ti, tj = coo.row.astype(np.int64), coo.col.astype(np.int64)
    w = coo.data / coo.data.mean() if len(coo.data) else coo.data
    pos = refine(pos, ti, tj, w, free, REFINE_ITERATIONS, _share(step, STRESS_SHARE, 1.0))
    if free.all() and len(ti):
        med = float(np.median(np.linalg.norm(pos[ti] - pos[tj], axis=1)))
        if med > 1e-9:
            pos = pos / med
    return pos


def _complete_anchored(
    adj: csr_matrix,
    strength: csr_matrix | None,
    pos: np.ndarray,
    fixed: np.ndarray,
    rng: np.random.Generator,
    iterations: int,
    step: Callable[[float, str], None],
) -> np.ndarray:
    """Place the free members of a component that holds fixed ones (tie-length units)."""
    free = ~fixed
    if not free.any():
        return pos
    model = stress_model(adj, strength, rng)
    pos = pos.copy()
    if fixed.mean() >= 0.5:
        # Mostly kept (incremental): start each newcomer next to its placed neighbours.
        pos[free] = near_neighbours(adj, pos, fixed, rng)[free]
    else:
        # Mostly new (a layout with a few pins): fit the pivot MDS picture onto the pins.
        fitted = fit_to(model.start, pos, fixed)
        pos[free] = fitted[free] + rng.normal(scale=0.05, size=(free.sum(), 2))
    refining = fixed.mean() < 0.5  # a fresh layout around a few pins looks like any other
    share = STRESS_SHARE if refining else 1.0
    pos = stress_iterations(pos, model, free, iterations, _share(step, 0.0, share))
    if refining:
        pos = _refined(pos, adj, strength, free, step)
    return spread(pos, free)
