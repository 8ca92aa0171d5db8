"""Where things are on the map canvas: hit tests (the node or tie under a point, the nodes in
a rectangle) and framing (fit the members clear of the legend, centre on one).

A mixin of :class:`~weaver.ui.map.canvas.MapCanvas`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize

if TYPE_CHECKING:
    from .viewbox import MapViewBox

# Room kept around the outermost nodes when fitting (plus half the biggest node).
FIT_MARGIN_PX = 18.0


class CanvasGeometry:
    """Hit tests and framing of :class:`~weaver.ui.map.canvas.MapCanvas`."""

    pos: np.ndarray
    node_px: np.ndarray
    base_px: np.ndarray
    edge_pairs: np.ndarray
    focus: np.ndarray | None
    reserved: QSize
    reserved_bottom: int
    viewbox: MapViewBox

    def pixel_size(self) -> float:
        """View units per screen pixel."""
        px = self.viewbox.viewPixelSize()
        return float(max(px[0], px[1])) or 1.0

    def node_at(self, p: QPointF, slack_px: float = 3.0) -> int:
        if len(self.pos) == 0:
            return -1
        d = np.hypot(self.pos[:, 0] - p.x(), self.pos[:, 1] - p.y()) / self.pixel_size()
        d = np.where(np.isfinite(d), d - self.node_px / 2, np.inf)
        if self.focus is not None:
            d[~self.focus] += 4.0  # prefer what is in focus
        i = int(np.argmin(d))
        return i if d[i] <= slack_px else -1

    def edge_at(self, p: QPointF, slack_px: float = 4.0) -> int:
        e = self.edge_pairs
        if len(e) == 0:
            return -1
        a = self.pos[e[:, 0]]
        b = self.pos[e[:, 1]]
        ab = b - a
        ap = np.array([p.x(), p.y()]) - a
        denom = np.einsum("ij,ij->i", ab, ab)
        t = np.clip(np.einsum("ij,ij->i", ap, ab) / np.where(denom > 0, denom, 1), 0, 1)
        closest = a + ab * t[:, None]
        d = np.hypot(*(closest - [p.x(), p.y()]).T) / self.pixel_size()
        d = np.where(np.isfinite(d), d, np.inf)
        j = int(np.argmin(d))
        return j if d[j] <= slack_px else -1

    def nodes_in(self, rect: QRectF) -> np.ndarray:
        x, y = self.pos[:, 0], self.pos[:, 1]
        inside = (x >= rect.left()) & (x <= rect.right()) & (y >= rect.top())
        inside &= y <= rect.bottom()
        return np.flatnonzero(inside)

    # ---- framing -----------------------------------------------------------------------

    def data_rect(self, only: np.ndarray | None = None) -> QRectF:
        pos = self.pos if only is None else self.pos[only]
        ok = np.isfinite(pos).all(axis=1) if len(pos) else np.zeros(0, dtype=bool)
        if not ok.any():
            return QRectF(-1, -1, 2, 2)
        lo, hi = pos[ok].min(axis=0), pos[ok].max(axis=0)
        span = max(float((hi - lo).max()), 1e-6)
        pad = span * 0.05
        return QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad, hi[1] - lo[1] + 2 * pad)

    def fit(self, only: np.ndarray | None = None) -> None:
        """Frame the members (or ``only`` those rows) with a margin of pixels around the
        nodes, clear of ``reserved`` (the legend's box in the top-left corner): beside it or
        below it, whichever leaves the map bigger."""
        pos = self.pos if only is None else self.pos[only]
        ok = np.isfinite(pos).all(axis=1) if len(pos) else np.zeros(0, dtype=bool)
        size = self.viewbox.size()
        width, full_height = float(size.width()), float(size.height())
        height = full_height - max(0, self.reserved_bottom)
        if not ok.any() or width < 20 or height < 20:
            self.viewbox.setRange(rect=self.data_rect(only), padding=0.02)
            return
        lo, hi = pos[ok].min(axis=0), pos[ok].max(axis=0)
        span = np.maximum(hi - lo, 1e-6)
        biggest = float(self.base_px.max()) if len(self.base_px) else 10.0
        margin = biggest / 2 + FIT_MARGIN_PX
        rw, rh = float(self.reserved.width()), float(self.reserved.height())
        areas = [(0.0, 0.0, width, height)]
        if rw > 0 and rh > 0:
            areas = [(rw, 0.0, width - rw, height), (0.0, rh, width, height - rh)]
        best = None
        for x0, y0, w, h in areas:
            k = min((w - 2 * margin) / span[0], (h - 2 * margin) / span[1])
            if best is None or k > best[0]:
                best = (k, x0, y0, w, h)
        k, x0, y0, w, h = best
        if k <= 0:
            self.viewbox.setRange(rect=self.data_rect(only), padding=0.02)
            return
        cx, cy = (lo + hi) / 2
        left = cx - (x0 + w / 2) / k
        top = cy - (y0 + h / 2) / k
        self.viewbox.setRange(rect=QRectF(left, top, width / k, full_height / k), padding=0)

    def centre_on(self, i: int) -> None:
        if 0 <= i < len(self.pos) and np.isfinite(self.pos[i]).all():
            r = self.viewbox.viewRect()
            cx, cy = self.pos[i]
            self.viewbox.setRange(
                rect=QRectF(cx - r.width() / 2, cy - r.height() / 2, r.width(), r.height()),
                padding=0,
            )
