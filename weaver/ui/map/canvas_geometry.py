"""Where things are on the map canvas: hit tests (the node or tie under a point, the nodes in
a rectangle) and framing (fit the members clear of the legend, centre on one, and move the view
in a short animation to show members just added).

A mixin of :class:`~weaver.ui.map.canvas.MapCanvas`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QSize, QVariantAnimation
from shiboken6 import isValid

from ...core.layout_pack import Rect, reveal_view

if TYPE_CHECKING:
    from .viewbox import MapViewBox

# Room kept around the outermost nodes when fitting (plus half the biggest node).
FIT_MARGIN_PX = 18.0
# Showing what was added: a glide short enough not to wait for, long enough to follow.
VIEW_ANIMATION_MS = 300


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
    view_animation: QVariantAnimation | None

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

    def _clear_areas(self, width: float, height: float) -> list[tuple[float, float, float, float]]:
        """The parts of a ``width`` × ``height`` pixel view clear of ``reserved`` (the legend's
        box in the top-left corner): beside it and below it, or the whole view."""
        rw, rh = float(self.reserved.width()), float(self.reserved.height())
        if rw > 0 and rh > 0:
            return [(rw, 0.0, width - rw, height), (0.0, rh, width, height - rh)]
        return [(0.0, 0.0, width, height)]

    def visible_rect(self) -> Rect:
        """The part of the view the user sees clear of the legend and of a bottom caption (the
        bigger of beside and below the legend), as plain ``(left, top, width, height)`` in
        view units."""
        view = self.viewbox.viewRect()
        size = self.viewbox.size()
        width = float(size.width())
        height = float(size.height()) - max(0, self.reserved_bottom)
        if width < 20 or height < 20:
            return (view.left(), view.top(), view.width(), view.height())
        x0, y0, w, h = max(self._clear_areas(width, height), key=lambda a: a[2] * a[3])
        unit = self.pixel_size()
        return (view.left() + x0 * unit, view.top() + y0 * unit, w * unit, h * unit)

    def fit(self, only: np.ndarray | None = None) -> None:
        """Frame the members (or ``only`` those rows) with a margin of pixels around the
        nodes, clear of ``reserved`` (the legend's box in the top-left corner): beside it or
        below it, whichever leaves the map bigger."""
        self.stop_view_animation()
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
        best = None
        for x0, y0, w, h in self._clear_areas(width, height):
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
            self.stop_view_animation()
            r = self.viewbox.viewRect()
            cx, cy = self.pos[i]
            self.viewbox.setRange(
                rect=QRectF(cx - r.width() / 2, cy - r.height() / 2, r.width(), r.height()),
                padding=0,
            )

    # ---- showing what was added --------------------------------------------------------

    def reveal(self, rows: np.ndarray) -> bool:
        """Move the view, in a short animation, so that members ``rows`` are in sight: not at
        all when they already are; otherwise panned, and zoomed out only as much as needed (the
        rest of the map is not refitted). True when the view moves."""
        pos = self.pos[np.asarray(rows, dtype=np.int64)]
        pos = pos[np.isfinite(pos).all(axis=1)]
        if len(pos) == 0 or self.viewbox.size().width() < 20:
            return False
        unit = self.pixel_size()
        radius = (float(self.node_px.max()) if len(self.node_px) else 10.0) / 2 * unit
        lo, hi = pos.min(axis=0) - radius, pos.max(axis=0) + radius
        box = (float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1]))
        view = self.viewbox.viewRect()
        target = reveal_view(
            (view.left(), view.top(), view.width(), view.height()),
            self.visible_rect(),
            box,
            FIT_MARGIN_PX * unit,
        )
        if target is None:
            return False
        self.animate_view(QRectF(*target))
        return True

    def animate_view(self, target: QRectF, duration_ms: int = VIEW_ANIMATION_MS) -> None:
        """Glide the view to ``target`` (view units). A pan, a zoom or a fit meanwhile stops
        it where it is; the animation belongs to the canvas and goes with it."""
        self.stop_view_animation()
        start = QRectF(self.viewbox.viewRect())
        animation = QVariantAnimation(self)  # a child: it cannot outlive the canvas
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(duration_ms)
        animation.setEasingCurve(QEasingCurve.Type.InOutCubic)

        def step(t: float) -> None:
            t = float(t)
            self.viewbox.setRange(
                rect=QRectF(
                    start.left() + (target.left() - start.left()) * t,
                    start.top() + (target.top() - start.top()) * t,
                    start.width() + (target.width() - start.width()) * t,
                    start.height() + (target.height() - start.height()) * t,
                ),
                padding=0,
            )

        animation.valueChanged.connect(step)
        animation.finished.connect(self._view_animation_finished)
        self.view_animation = animation
        animation.start(QVariantAnimation.DeletionPolicy.DeleteWhenStopped)

    @property
    def view_animating(self) -> bool:
        animation = self.view_animation
        return animation is not None and isValid(animation)

    def stop_view_animation(self) -> None:
        """Stop a view animation where it is (the user took over)."""
        animation = self.view_animation
        self.view_animation = None
        if animation is not None and isValid(animation):
            animation.stop()

    def finish_view_animation(self) -> None:
        """Jump to the end of a view animation (a screenshot or a test wants the result)."""
        animation = self.view_animation
        if animation is not None and isValid(animation):
            animation.setCurrentTime(animation.duration())
        self.stop_view_animation()

    def _view_animation_finished(self) -> None:
        self.view_animation = None
