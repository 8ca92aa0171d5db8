"""Where the separate pieces of a layout go: components packed in rows, isolated members on a
ring around the picture. Tie-length units; used by :mod:`weaver.core.layout`."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

PACK_GAP = 1.5  # space between packed components, in tie lengths


def rings(count: int, around: np.ndarray) -> np.ndarray:
    """Isolated members on rings just outside the bulk of the picture ``around`` (tie-length
    units), starting at the top: the periphery of the network, in plain sight. The ring hugs
    where most members are (a far-out leaf does not push it away); a spot that would land on a
    member moves outwards until it is clear."""
    centre = around.mean(axis=0)
    reach = np.linalg.norm(around - centre, axis=1)
    radius = float(np.percentile(reach, 90)) + PACK_GAP
    out: list[np.ndarray] = []
    left = count
    while left > 0:
        take = min(left, max(6, int(2 * np.pi * radius)))
        angles = np.pi / 2 - 2 * np.pi * np.arange(take) / take
        out.append(centre + radius * np.column_stack([np.cos(angles), np.sin(angles)]))
        left -= take
        radius += 1.0
    spots = np.vstack(out)
    tree = cKDTree(around)
    for _ in range(50):
        near = tree.query(spots, distance_upper_bound=0.5)[0] < 0.5
        if not near.any():
            break
        outward = spots[near] - centre
        outward /= np.maximum(np.linalg.norm(outward, axis=1, keepdims=True), 1e-9)
        spots[near] += 0.5 * outward
    return spots


def pack(pieces: list[np.ndarray], placed: np.ndarray | None, gap: float = PACK_GAP) -> list:
    """Offsets that lay the pieces out in rows (shelf packing), biggest first, roughly square
    overall; beside (to the right of) already placed nodes when there are any."""
    boxes = []
    for p in pieces:
        lo, hi = p.min(axis=0), p.max(axis=0)
        boxes.append((lo, hi, hi - lo + gap))
    total = sum(float(w * h) for _, _, (w, h) in boxes)
    widest = max(float(s[0]) for _, _, s in boxes)
    row_width = max(widest, float(np.sqrt(total)) * 1.1)
    if placed is not None and len(placed):
        lo_p, hi_p = placed.min(axis=0), placed.max(axis=0)
        origin = np.array([hi_p[0] + gap * 2, hi_p[1]])
        row_width = max(widest, float(hi_p[1] - lo_p[1]), row_width)
    else:
        origin = np.array([-row_width / 2, 0.0])
    offsets = []
    x, y, row_h = 0.0, 0.0, 0.0
    for lo, _hi, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y - row_h, 0.0
        # Place the box's top-left corner at (x, y); y grows downwards in rows.
        offsets.append(origin + np.array([x - lo[0], y - (lo[1] + h - gap)]))
        x += w
        row_h = max(row_h, h)
    if placed is None:
        # Centre the whole arrangement on the origin.
        all_lo = np.min([o + b[0] for o, b in zip(offsets, boxes, strict=True)], axis=0)
        all_hi = np.max([o + b[1] for o, b in zip(offsets, boxes, strict=True)], axis=0)
        centre = (all_lo + all_hi) / 2
        offsets = [o - centre for o in offsets]
    return offsets
