"""A short force-directed refinement after the stress layout, so communities show as clusters.

Stress draws graph distances faithfully, which for a small-world network means a uniform disc:
every member is within a few hops of every other. A few ForceAtlas2-style iterations (Jacomy et
al., 2014) then let close-knit groups contract and push groups apart: ties attract (scaled by
strength), every pair of members repels in proportion to their degrees, and a weak gravity keeps
the periphery in.

Repulsion is computed on a grid by FFT (particle-mesh, as in cosmology codes): each member's
mass is spread over the four nearest grid points, the grid is convolved once with the 2-D
``r / |r|²`` kernel, and the force read back at each member. That is O(n + G² log G) per
iteration instead of O(n²), with no tree to build.

Works in tie-length units on one connected component; fixed members never move.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

REFINE_ITERATIONS = 40
GRAVITY = 0.3  # pull towards the centre, as a share of the repulsion felt at the rim
MAX_STEP = 0.5  # largest move of one member in one iteration, in tie lengths
MIN_REFINE = 20  # smaller components keep their stress layout as it is


@lru_cache(maxsize=4)
def _kernel(grid: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the x and y components of ``r / |r|²`` on a (2G, 2G) grid (offsets wrapped)."""
    size = 2 * grid
    off = np.fft.fftfreq(size, d=1.0 / size)  # 0, 1, ..., G-1, -G, ..., -1
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def repulsion(pos: np.ndarray, mass: np.ndarray, grid: int) -> np.ndarray:
    """Sum over j of ``mass_i · mass_j · (p_i − p_j) / |p_i − p_j|²`` for every i, on a grid."""
    lo = pos.min(axis=0)
    h = max(float(np.ptp(pos, axis=0).max()), 1e-9) / (grid - 2)
    g = (pos - lo) / h + 0.5
    cell = np.floor(g).astype(np.int64)
    f = g - cell
    fx, fy = f[:, 0], f[:, 1]
    corners = (
        (0, (1 - fx) * (1 - fy)),
        (grid, fx * (1 - fy)),
        (1, (1 - fx) * fy),
        (grid + 1, fx * fy),
    )
    flat = cell[:, 0] * grid + cell[:, 1]
    rho = np.zeros(grid * grid)
    for shift, w in corners:
        rho += np.bincount(flat + shift, weights=mass * w, minlength=grid * grid)
    kx, ky = _kernel(grid)
    size = (2 * grid, 2 * grid)
    spectrum = np.fft.rfft2(rho.reshape(grid, grid), s=size)
    field = [np.fft.irfft2(spectrum * k, s=size)[:grid, :grid].ravel() / h for k in (kx, ky)]
    out = np.zeros_like(pos)
    for shift, w in corners:
        out[:, 0] += field[0][flat + shift] * w
        out[:, 1] += field[1][flat + shift] * w
    return out * mass[:, None]


def refine(
    pos: np.ndarray,
    ti: np.ndarray,
    tj: np.ndarray,
    tie_weight: np.ndarray,
    free: np.ndarray,
    iterations: int = REFINE_ITERATIONS,
    step: Callable[[float, str], None] | None = None,
) -> np.ndarray:
    """ForceAtlas2-like iterations from ``pos`` (tie-length units). ``ti``/``tj`` list each tie
    in both directions; ``tie_weight`` is its attraction (1 = an average tie). ``step`` is called
    after each iteration (it may raise to cancel)."""
    n = len(pos)
    if n < MIN_REFINE or not free.any() or len(ti) == 0 or iterations <= 0:
        return pos
    pos = pos.copy()
    mass = np.bincount(ti, minlength=n).astype(float) + 1.0
    grid = 64 if n <= 8000 else 128
    # Scale the repulsion so the starting picture is in balance (virial: for 1/d repulsion
    # r·F is m_i·m_j for every pair, for linear attraction it is w·d²), so the refinement
    # reshapes the picture rather than blowing it up or shrinking it.
    d2 = ((pos[ti] - pos[tj]) ** 2).sum(axis=1)
    pairs = (mass.sum() ** 2 - (mass**2).sum()) / 2
    k_rep = float((tie_weight * d2).sum() / 2 / max(pairs, 1e-9))
    centre = pos[free].mean(axis=0) if free.all() else pos[~free].mean(axis=0)
    radius = float(np.sqrt(((pos - centre) ** 2).sum(axis=1).mean())) or 1.0
    pull_in = GRAVITY * k_rep * mass * mass.sum() / radius  # of the repulsion felt at the rim
    for it in range(iterations):
        force = k_rep * repulsion(pos, mass, grid)
        diff = pos[tj] - pos[ti]
        pull = diff * tie_weight[:, None]
        force[:, 0] += np.bincount(ti, weights=pull[:, 0], minlength=n)
        force[:, 1] += np.bincount(ti, weights=pull[:, 1], minlength=n)
        to_centre = centre - pos
        dist = np.maximum(np.linalg.norm(to_centre, axis=1), 1e-9)
        force += (pull_in / dist)[:, None] * to_centre
        move = force / mass[:, None]
        cool = 1.0 - 0.8 * it / iterations
        size = np.maximum(np.linalg.norm(move, axis=1), 1e-12)
        move *= (np.minimum(size, MAX_STEP * cool) / size)[:, None]
        pos[free] += move[free]
        if step is not None:
            step((it + 1) / iterations, "")
    return pos
