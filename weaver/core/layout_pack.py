"""Where the separate pieces of a layout go: components packed in rows, isolated members on a
ring around the picture (tie-length units; used by :mod:`weaver.core.layout`), and — for members
added to a map someone is looking at — the free spot nearest the view, and how far the view has
to move to show them (scene units; the view is plain numbers, no Qt).

A rectangle is ``(left, top, width, height)`` with y growing downwards, as the map's view has it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

PACK_GAP = 1.5  # space between packed components, in tie lengths
# The free-space search looks at most this many grid cells along a side (its cells grow on a
# very zoomed-out view, so a search stays a few milliseconds whatever the map's size).
FREE_GRID_CELLS = 301
# Grid cells per clearance: finer finds tighter gaps, coarser searches faster.
CELLS_PER_CLEARANCE = 3

Rect = tuple[float, float, float, float]


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


def grid(count: int, spacing: float) -> np.ndarray:
    """``count`` points on a square-ish grid ``spacing`` apart, row by row, centred on 0."""
    columns = max(1, math.ceil(math.sqrt(count)))
    k = np.arange(count)
    points = np.column_stack([k % columns, k // columns]).astype(float) * spacing
    if count:
        points -= (points.min(axis=0) + points.max(axis=0)) / 2
    return points


def free_offset(
    piece: np.ndarray, occupied: np.ndarray, view: Rect, clearance: float
) -> np.ndarray:
    """The shift (dx, dy) that puts ``piece`` (its members' positions) where every one of them
    is at least ``clearance`` from every ``occupied`` position, as near the middle of ``view``
    as can be: wholly inside the view (half a clearance in from its edges) when there is room
    there, else the clear spot nearest the view's middle.

    The search runs on a grid around the view's middle reaching past everything occupied (so a
    clear spot always exists): a cell is blocked when an occupied position is within the
    clearance plus the cell's half-diagonal of it, and the piece fits where none of the cells its
    members fall in is blocked, which guarantees the clearance exactly."""
    piece = np.asarray(piece, dtype=float).reshape(-1, 2)
    occupied = np.asarray(occupied, dtype=float).reshape(-1, 2)
    occupied = occupied[np.isfinite(occupied).all(axis=1)]
    left, top, width, height = (float(v) for v in view)
    middle = np.array([left + width / 2, top + height / 2])
    lo, hi = piece.min(axis=0), piece.max(axis=0)
    piece_mid = (lo + hi) / 2
    if len(occupied) == 0:
        return middle - piece_mid
    clearance = max(float(clearance), 1e-9)
    half = (hi - lo) / 2
    reach = max(
        float(np.abs(occupied - middle).max()) + float(half.max()) + 2 * clearance,
        width / 2,
        height / 2,
    )
    step = max(clearance / CELLS_PER_CLEARANCE, 2 * reach / (FREE_GRID_CELLS - 1))
    k = math.ceil(reach / step)
    axis = np.arange(-k, k + 1) * step
    # cells[i, j] is the cell at (middle.x + axis[j], middle.y + axis[i]).
    gx, gy = np.meshgrid(middle[0] + axis, middle[1] + axis)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    guard = clearance + step * math.sqrt(0.5)
    nearest, _ = cKDTree(occupied).query(centres, distance_upper_bound=guard)
    blocked = (nearest < guard).reshape(gx.shape)
    # The cells the piece's members fall in, relative to the cell of the piece's middle.
    cells = np.unique(np.rint((piece - piece_mid) / step).astype(np.int64), axis=0)
    pad = int(np.abs(cells).max()) if len(cells) else 0
    padded = np.pad(blocked, pad, constant_values=False)  # past the grid: clear
    size = blocked.shape[0]
    hit = np.zeros_like(blocked)
    for dx, dy in cells:
        hit |= padded[pad + dy : pad + dy + size, pad + dx : pad + dx + size]
    inside = (
        (gx - half[0] >= left + clearance / 2)
        & (gx + half[0] <= left + width - clearance / 2)
        & (gy - half[1] >= top + clearance / 2)
        & (gy + half[1] <= top + height - clearance / 2)
    )
    distance = np.hypot(gx - middle[0], gy - middle[1])
    # Inside the view beats any spot outside it; nearer the middle beats farther.
    score = np.where(hit, np.inf, distance + np.where(inside, 0.0, 4 * reach))
    best = int(np.argmin(score))
    if not np.isfinite(score.flat[best]):  # cannot happen (the grid reaches past everything)
        spot = np.array([occupied[:, 0].max() + clearance + half[0], middle[1]])
    else:
        spot = centres[best]
    return spot - piece_mid


def reveal_view(view: Rect, visible: Rect, box: Rect, margin: float) -> Rect | None:
    """Where the view goes to show ``box`` (what was added, grown by a member's radius): None
    when the box is already inside ``visible`` (the part of ``view`` the user sees clear of the
    legend); otherwise ``view`` panned as little as possible, and zoomed out only as much as
    needed, so that the box sits inside the visible part with ``margin`` around it (a margin
    measured at the current zoom, so it grows with a zoom-out as pixels do)."""
    vx, vy, vw, vh = (float(v) for v in visible)
    bx, by, bw, bh = (float(v) for v in box)
    if bx >= vx and by >= vy and bx + bw <= vx + vw and by + bh <= vy + vh:
        return None

    def zoom_for(extent: float, room: float) -> float:
        if room > 2 * margin:
            return extent / (room - 2 * margin)
        return (extent + 2 * margin) / max(room, 1e-9)

    scale = max(1.0, zoom_for(bw, vw), zoom_for(bh, vh))
    new_w, new_h = vw * scale, vh * scale
    room = max(0.0, min(margin * scale, (new_w - bw) / 2, (new_h - bh) / 2))

    def pan(start: float, extent: float, new_extent: float, b0: float, b_extent: float) -> float:
        kept_middle = start + extent / 2 - new_extent / 2
        lowest, highest = b0 + b_extent + room - new_extent, b0 - room
        return min(max(kept_middle, lowest), highest)

    new_x = pan(vx, vw, new_w, bx, bw)
    new_y = pan(vy, vh, new_h, by, bh)
    left, top, width, height = (float(v) for v in view)
    return (
        new_x - (vx - left) * scale,
        new_y - (vy - top) * scale,
        width * scale,
        height * scale,
    )
