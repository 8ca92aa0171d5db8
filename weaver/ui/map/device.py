"""Device-pixel helpers shared by the map's drawing layers (:mod:`.edge_layer`,
:mod:`.label_layer`): which part of the item is on screen, mapping arrays through the painter's
transform, clipping segments to the viewport, pre-mixed colours and one-path segment batches.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QTransform


def visible_rect(painter: QPainter, pad_px: float = 40.0) -> tuple[QRectF, QTransform, float]:
    """The device area in item coordinates (padded), the painter transform and its scale."""
    t = painter.worldTransform()
    scale = float(np.sqrt(abs(t.determinant()))) or 1.0
    device = QRectF(painter.viewport()).adjusted(-pad_px, -pad_px, pad_px, pad_px)
    inv, ok = t.inverted()
    return (inv.mapRect(device) if ok else QRectF()), t, scale


def to_device(t: QTransform, xy: np.ndarray) -> np.ndarray:
    """Map (K, 2) item coordinates to device pixels with a 2D affine transform."""
    out = np.empty_like(xy, dtype=float)
    out[:, 0] = t.m11() * xy[:, 0] + t.m21() * xy[:, 1] + t.dx()
    out[:, 1] = t.m12() * xy[:, 0] + t.m22() * xy[:, 1] + t.dy()
    return out


def clip_segments(
    a: np.ndarray, b: np.ndarray, rect: QRectF
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clip segments a[k]→b[k] to ``rect`` (Liang–Barsky, vectorised): the clipped ends and
    their lengths (0 for segments entirely outside)."""
    inside = (
        (np.minimum(a[:, 0], b[:, 0]) >= rect.left())
        & (np.maximum(a[:, 0], b[:, 0]) <= rect.right())
        & (np.minimum(a[:, 1], b[:, 1]) >= rect.top())
        & (np.maximum(a[:, 1], b[:, 1]) <= rect.bottom())
    )
    if inside.all():
        return a, b, np.hypot(*(b - a).T)
    if inside.any():  # clip only the segments that cross the border
        out = ~inside
        ca, cb, length = a.copy(), b.copy(), np.hypot(*(b - a).T)
        ca[out], cb[out], length[out] = clip_segments(a[out], b[out], rect)
        return ca, cb, length
    d = b - a
    t0 = np.zeros(len(a))
    t1 = np.ones(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, low, high in ((0, rect.left(), rect.right()), (1, rect.top(), rect.bottom())):
            da = d[:, axis]
            ta = (low - a[:, axis]) / da
            tb = (high - a[:, axis]) / da
            enter = np.where(da >= 0, ta, tb)
            leave = np.where(da >= 0, tb, ta)
            flat = da == 0
            outside = flat & ((a[:, axis] < low) | (a[:, axis] > high))
            enter = np.where(flat, -np.inf, enter)
            leave = np.where(flat, np.where(outside, -np.inf, np.inf), leave)
            t0 = np.maximum(t0, enter)
            t1 = np.minimum(t1, leave)
    ok = t1 > t0
    t0 = np.where(ok, t0, 0.0)
    t1 = np.where(ok, t1, 0.0)
    ca = a + d * t0[:, None]
    cb = a + d * t1[:, None]
    length = np.hypot(*(cb - ca).T)
    return ca, cb, np.where(ok, length, 0.0)


def mixed(colour: QColor, background: QColor) -> QColor:
    """The opaque colour a translucent ``colour`` shows over ``background``. Qt's raster engine
    draws opaque lines several times faster than blended ones; where lines cross, the darker
    overlap is lost, which at that density reads the same."""
    a = colour.alphaF()
    fg, bg = colour.getRgbF()[:3], background.getRgbF()[:3]
    return QColor.fromRgbF(*(a * c + (1 - a) * g for c, g in zip(fg, bg, strict=True)))


def pairs_path(a: np.ndarray, b: np.ndarray) -> QPainterPath:
    """One path of separate segments a[k]→b[k] (pyqtgraph's fast array → QPainterPath)."""
    if len(a) == 0:
        return QPainterPath()
    xy = np.empty((2 * len(a), 2))
    xy[0::2] = a
    xy[1::2] = b
    return pg.arrayToQPath(xy[:, 0], xy[:, 1], connect="pairs")


def bounds_of(pos: np.ndarray) -> QRectF:
    """The finite positions' box, padded by 5 % (the layers' bounding rect)."""
    ok = np.isfinite(pos).all(axis=1) if len(pos) else np.zeros(0, dtype=bool)
    if not ok.any():
        return QRectF()
    lo = pos[ok].min(axis=0)
    hi = pos[ok].max(axis=0)
    pad = max(1.0, float((hi - lo).max()) * 0.05)
    return QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad, hi[1] - lo[1] + 2 * pad)
