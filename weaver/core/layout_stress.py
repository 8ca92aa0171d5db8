"""The force-directed layout's engine: sparse stress majorization from pivot MDS, in numpy.

Used by :mod:`weaver.core.layout` (the public entry points); everything here works on one
connected component in tie-length units.

Tie lengths are not all equal: a tie between two members who share most of their contacts is
short, a tie between two otherwise separate circles (a bridge) is long, and strong ties are a
little shorter than weak ones (:func:`tie_lengths`). Graph distances are then weighted shortest
paths over those lengths. That is what lets communities show as clusters with air between them
instead of one uniform disc: pure hop-count stress draws a small-world network as a round
hairball, because every member is within a few hops of every other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path
from scipy.spatial import cKDTree

Step = Callable[[float, str], None]

PIVOTS = 60  # pivots for the sparse stress model (quality plateaus around 50–100)
EXACT_STRESS_MAX = 250  # components up to this size use all pairs (exact stress)
MIN_GAP = 0.1  # members closer than this (in tie lengths) are pushed apart
# Tie length = (1 + BRIDGE_STRETCH · (1 − overlap)) · (STRENGTH_BASE − STRENGTH_STEP · strength),
# then divided by the median, so the typical tie is one unit long.
BRIDGE_STRETCH = 1.5
STRENGTH_BASE = 1.3
STRENGTH_STEP = 0.08


def tie_lengths(adj: csr_matrix, ti: np.ndarray, tj: np.ndarray, strength: np.ndarray | None):
    """Ideal length of each tie ``ti[k]–tj[k]`` (median 1).

    ``overlap`` is the cosine similarity of the two ends' closed neighbourhoods (each member
    with their contacts): 1 inside a clique, small for a bridge between separate circles.
    """
    if len(ti) == 0:
        return np.zeros(0)
    common = np.asarray(adj.multiply(adj @ adj)[ti, tj]).ravel()
    degree = np.diff(adj.indptr)
    overlap = (common + 2) / np.sqrt((degree[ti] + 1.0) * (degree[tj] + 1.0))
    length = 1.0 + BRIDGE_STRETCH * (1.0 - overlap)
    if strength is not None:
        length *= STRENGTH_BASE - STRENGTH_STEP * np.clip(strength, 1, 5)
    return length / float(np.median(length))


@dataclass(frozen=True)
class StressModel:
    """The terms of the (sparse) stress model of one component, in tie-length units.

    Tie terms: each tie pulls its two ends ``tie_len`` apart (weight ``1 / tie_len²``). Pivot
    terms, kept as a dense (k, n) block so an iteration is a few whole-array operations: node
    ``i`` wants to be ``dist[p, i]`` from pivot ``p``, with weight ``region[p] / dist²`` (each
    pivot stands for the members nearest to it). Up to ``EXACT_STRESS_MAX`` nodes every node is
    a pivot of weight ``1 / dist²``, which is plain (exact) stress.
    """

    tie_i: np.ndarray
    tie_j: np.ndarray
    tie_len: np.ndarray
    pivots: np.ndarray
    dist: np.ndarray  # (k, n) float32
    weight: np.ndarray  # (k, n) float32, 0 where a term is left out
    start: np.ndarray  # pivot MDS picture (n, 2)


def stress_model(
    adj: csr_matrix, strength: csr_matrix | None, rng: np.random.Generator
) -> StressModel:
    """``adj``: 0/1 adjacency of one component; ``strength``: the same pattern holding each
    pair's tie strength (or None)."""
    n = adj.shape[0]
    coo = adj.tocoo()
    ti, tj = coo.row.astype(np.int64), coo.col.astype(np.int64)
    strong = None if strength is None else np.asarray(strength[ti, tj]).ravel()
    tie_len = tie_lengths(adj, ti, tj, strong)
    lengths = csr_matrix((tie_len, (ti, tj)), shape=(n, n))
    if n <= EXACT_STRESS_MAX:
        dist = shortest_path(lengths, method="D", directed=False)
        with np.errstate(divide="ignore"):
            weight = np.where(dist > 0, 1.0 / dist**2, 0.0)
        start = _pivot_mds(dist[_maxmin_rows(dist, min(n, PIVOTS), rng)])
        empty = np.zeros(0, dtype=np.int64)
        return StressModel(
            empty,
            empty,
            np.zeros(0),
            np.arange(n),
            dist.astype(np.float32),
            weight.astype(np.float32),
            start,
        )
    piv, dist = _pivots(lengths, PIVOTS, rng)
    weight = _pivot_weights(dist)
    tied = adj[piv].tocoo()
    weight[tied.row, tied.col] = 0.0
    return StressModel(
        ti,
        tj,
        tie_len,
        piv,
        dist.astype(np.float32),
        weight.astype(np.float32),
        _pivot_mds(dist),
    )


def _pivot_weights(dist: np.ndarray) -> np.ndarray:
    """Weights of the pivot terms (Ortmann et al.'s partial regions): pivot ``p`` speaks for the
    members of its region (those nearest to it) that are at most half as far from ``p`` as node
    ``i`` is, so a pivot counts for many members only when seen from afar; ``÷ dist²`` as in
    stress. Zero for the node itself."""
    k, n = dist.shape
    owner = np.argmin(dist, axis=0)
    weight = np.zeros((k, n))
    for p in range(k):
        mine = np.sort(dist[p, owner == p])
        count = np.searchsorted(mine, dist[p] / 2, side="right").astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            weight[p] = np.where(dist[p] > 0, np.maximum(count, 1.0) / dist[p] ** 2, 0.0)
    return weight


def _pivots(lengths: csr_matrix, k: int, rng: np.random.Generator):
    """``k`` random pivots (seeded) and their distances (k, n). Random pivots make the picture
    robust: max-min pivots (each the farthest from those chosen) all sit on the rim, and which
    rim nodes win a tie in distance changed the stress by a quarter."""
    n = lengths.shape[0]
    chosen = np.sort(rng.choice(n, size=min(k, n), replace=False))
    dist = shortest_path(lengths, method="D", directed=False, indices=chosen)
    return chosen, dist


def _maxmin_rows(dist: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Max-min pivot rows of a full distance matrix."""
    chosen = [int(rng.integers(len(dist)))]
    nearest = dist[chosen[0]].copy()
    while len(chosen) < k and nearest.max() > 0:
        chosen.append(int(np.argmax(nearest)))
        np.minimum(nearest, dist[chosen[-1]], out=nearest)
    return np.array(chosen)


def _pivot_mds(dist: np.ndarray) -> np.ndarray:
    """Pivot MDS (Brandes & Pich): double-centre the squared k×n distances, take the top two
    eigenvectors of the small k×k product."""
    c = -0.5 * dist.T**2
    c -= c.mean(axis=0)
    c -= c.mean(axis=1, keepdims=True)
    vals, vecs = np.linalg.eigh(c.T @ c)
    top = vecs[:, np.argsort(vals)[::-1][:2]]
    x = c @ top
    for axis in range(x.shape[1]):  # a sign convention, so the picture never flips between runs
        j = np.argmax(np.abs(x[:, axis]))
        if x[j, axis] < 0:
            x[:, axis] = -x[:, axis]
    if x.shape[1] < 2:
        x = np.column_stack([x[:, 0], np.zeros(len(x))])
    # Scale to the size of the distances (the stress iterations settle the exact scale).
    return x / max(float(np.sqrt((x**2).sum(axis=1)).mean()), 1e-9) * float(dist.mean())


def stress_iterations(
    pos: np.ndarray, model: StressModel, free: np.ndarray, iterations: int, step: Step
) -> np.ndarray:
    """Localised stress majorization: each free node moves to the weighted average of where each
    of its terms wants it (Jacobi-style, all nodes at once). The (k, n) pivot block is float32:
    half the memory traffic, and a picture needs no more precision; its two work buffers are
    reused across iterations."""
    n = len(pos)
    ti, tj = model.tie_i, model.tie_j
    piv, pw = model.pivots, model.weight
    pwd = pw * model.dist
    tw = 1.0 / model.tie_len**2 if len(ti) else np.zeros(0)
    den = pw.sum(axis=0, dtype=np.float64) + np.bincount(ti, weights=tw, minlength=n)
    den[den == 0] = 1.0
    tol = 1e-3 * max(1.0, float(np.ptp(pos, axis=0).max()))
    k = len(piv)
    block = np.empty((k, n), dtype=np.float32)  # reused: squared distance, then coefficient
    other = np.empty((k, n), dtype=np.float32)
    once = ti < tj  # each tie once; both ends are updated from it
    ai, aj = ti[once], tj[once]
    a_len, a_w = (model.tie_len[once], tw[once]) if len(ti) else (np.zeros(0), np.zeros(0))
    for it in range(iterations):
        # Pivot terms: node i wants to sit at p + d (i - p) / |i - p|. With c = w d / |i - p|
        # the sum over pivots is x_i · sum(c) + sum((w - c) p): whole-array passes over the
        # (k, n) block, and einsum rather than BLAS (tiny matrix products gain nothing from
        # threads, and lose a lot when other processes hold the cores).
        x32 = pos[:, 0].astype(np.float32)
        y32 = pos[:, 1].astype(np.float32)
        px, py = x32[piv], y32[piv]
        np.subtract(x32[None, :], px[:, None], out=block)
        np.square(block, out=block)
        np.subtract(y32[None, :], py[:, None], out=other)
        np.square(other, out=other)
        block += other
        np.maximum(block, 1e-12, out=block)
        np.sqrt(block, out=block)
        np.divide(pwd, block, out=block)  # block now holds c
        total = block.sum(axis=0, dtype=np.float64)
        np.subtract(pw, block, out=block)  # and now w - c
        new = np.empty((n, 2))  # the sum of where each term wants the node, weighted
        new[:, 0] = pos[:, 0] * total + np.einsum("pi,p->i", block, px)
        new[:, 1] = pos[:, 1] * total + np.einsum("pi,p->i", block, py)
        if len(ai):
            dx0 = pos[ai, 0] - pos[aj, 0]
            dy0 = pos[ai, 1] - pos[aj, 1]
            scale = a_len / np.maximum(np.sqrt(dx0 * dx0 + dy0 * dy0), 1e-9)
            for axis, d in ((0, dx0), (1, dy0)):
                push = d * scale
                new[:, axis] += np.bincount(ai, weights=a_w * (pos[aj, axis] + push), minlength=n)
                new[:, axis] += np.bincount(aj, weights=a_w * (pos[ai, axis] - push), minlength=n)
        new /= den[:, None]
        moved = float(np.abs(new[free] - pos[free]).max()) if free.any() else 0.0
        pos[free] = new[free]
        step((it + 1) / (iterations + 2), "")
        if moved < tol:
            break
    return pos


def spread(pos: np.ndarray, free: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Push apart members closer than MIN_GAP tie lengths (structurally equivalent members, e.g.
    the leaves of one hub, would otherwise sit on top of each other)."""
    if len(pos) < 2 or not free.any():
        return pos
    for _ in range(rounds):
        pairs = cKDTree(pos).query_pairs(MIN_GAP, output_type="ndarray")
        if len(pairs) == 0:
            break
        a, b = pairs[:, 0], pairs[:, 1]
        diff = pos[a] - pos[b]
        length = np.sqrt((diff**2).sum(axis=1))
        # Coincident pairs get a direction from their indices: deterministic, never zero.
        zero = length < 1e-9
        angle = (a[zero] * 2.399963 + b[zero]) % (2 * np.pi)
        diff[zero] = np.column_stack([np.cos(angle), np.sin(angle)])
        length[zero] = 1.0
        push = ((MIN_GAP - np.minimum(length, MIN_GAP)) / 2 / length)[:, None] * diff
        share_a = np.where(free[b], 1.0, 2.0) * free[a]
        share_b = np.where(free[a], 1.0, 2.0) * free[b]
        delta = np.zeros_like(pos)
        for col in range(2):
            delta[:, col] += np.bincount(a, weights=push[:, col] * share_a, minlength=len(pos))
            delta[:, col] -= np.bincount(b, weights=push[:, col] * share_b, minlength=len(pos))
        pos += delta
    return pos


def near_neighbours(
    adj: csr_matrix, pos: np.ndarray, placed: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Newcomers at the mean of their placed neighbours plus a short random offset, spreading
    outwards ring by ring until the whole component is placed."""
    pos = pos.copy()
    placed = placed.copy()
    while not placed.all():
        counts = adj @ placed.astype(float)
        sums = adj @ (pos * placed[:, None])
        ready = ~placed & (counts > 0)
        if not ready.any():  # cannot happen inside one component; guards a bad input
            pos[~placed] = pos[placed].mean(axis=0)
            break
        angle = rng.uniform(0, 2 * np.pi, size=ready.sum())
        pos[ready] = sums[ready] / counts[ready, None] + np.column_stack(
            [np.cos(angle), np.sin(angle)]
        )
        placed |= ready
    return pos


def fit_to(start: np.ndarray, pos: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Rotate/reflect and translate ``start`` so its fixed nodes best match ``pos`` (Procrustes,
    scale kept: both are in tie-length units)."""
    a = start[fixed]
    b = pos[fixed]
    ca, cb = a.mean(axis=0), b.mean(axis=0)
    if len(a) < 2:
        return start - ca + cb
    u, _, vt = np.linalg.svd((a - ca).T @ (b - cb))
    return (start - ca) @ (u @ vt) + cb
