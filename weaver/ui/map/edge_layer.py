"""The edge layer: every relationship of the map in one item, drawn in device pixels with a
level of detail decided by the ink the visible lines would cost."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .device import bounds_of, clip_segments, mixed, pairs_path, to_device, visible_rect

# Level of detail for edges is decided by "ink": the total on-screen length of the visible
# (clipped) lines, which is what a raster engine pays for. Up to FINE_INK px, lines are
# antialiased, as wide as their strength, dashed when cold and directed ties get arrows. Past
# that they are drawn aliased, 1 px, in solid colours pre-mixed with the background (no
# per-pixel blending), and past DENSE_INK only the most telling ties are drawn: the selection's,
# then strong and short ones first; long lines crossing a zoomed-out hairball carry little.
FINE_INK = 90_000.0
DASH_INK = 40_000.0
ARROW_MAX_EDGES = 1500
DENSE_INK = 130_000.0
# A few hundred lines are always drawn in full quality, unless they are very long.
FEW_EDGES = 600
# The ties of dragged nodes are redrawn every mouse move: fine lines only for this many.
DRAG_FINE_EDGES = 60
FEW_EDGES_INK = 300_000.0


class EdgeLayer(QGraphicsItem):
    """All relationships, grouped by style: width by strength, dashed/faded when cold, arrows
    for directed ties, accent for ties of the selection, faint outside the focus."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresParentOpacity, False)
        self.pos = np.zeros((0, 2))
        self.edges = np.zeros((0, 2), dtype=np.int32)
        self.strength = np.zeros(0, dtype=np.int8)
        self.cold = np.zeros(0, dtype=bool)
        self.directed = np.zeros(0, dtype=bool)
        self.node_px = np.zeros(0)
        self.emphasis = np.zeros(0, dtype=np.int8)  # 0 normal, 1 faded, 2 highlighted
        self.hidden = np.zeros(0, dtype=bool)  # edges not drawn (e.g. moved to the drag layer)
        self.colour = QColor(90, 90, 100)
        self.accent = QColor(30, 120, 220)
        self.export_scale = 1.0
        self.full_quality = False  # every line antialiased, dashed, with arrows (export)
        self.moving = False  # the drag layer: redrawn at every mouse move, speed first
        self.background = QColor(255, 255, 255)  # what solid (dense) lines are mixed with
        self.last_drawn = 0
        self.last_fine = True
        self.last_ink = 0.0
        self._bounds = QRectF()
        self._ends = None

    def set_arrays(self, pos, edges, strength, cold, directed, node_px) -> None:
        self.pos, self.edges = pos, edges
        self.strength, self.cold, self.directed = strength, cold, directed
        self.node_px = node_px
        self.emphasis = np.zeros(len(edges), dtype=np.int8)
        self.hidden = np.zeros(len(edges), dtype=bool)
        self.positions_changed()

    def positions_changed(self) -> None:
        self.prepareGeometryChange()
        self._bounds = bounds_of(self.pos)
        self._ends = None
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def _endpoints(self):
        """Both ends of every edge and their bounding boxes, kept until positions change."""
        if self._ends is None or len(self._ends[0]) != len(self.edges):
            a = self.pos[self.edges[:, 0]]
            b = self.pos[self.edges[:, 1]]
            with np.errstate(invalid="ignore"):
                lo = np.minimum(a, b)
                hi = np.maximum(a, b)
            bad = ~np.isfinite(lo).all(axis=1)
            lo[bad] = np.inf  # never inside any view
            self._ends = (a, b, lo[:, 0].copy(), lo[:, 1].copy(), hi[:, 0].copy(), hi[:, 1].copy())
        return self._ends

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self.last_drawn = 0
        if len(self.edges) == 0:
            return
        area, t, _ = visible_rect(p)
        a, b, lox, loy, hix, hiy = self._endpoints()
        mask = hix >= area.left()
        mask &= lox <= area.right()
        mask &= hiy >= area.top()
        mask &= loy <= area.bottom()
        if len(self.hidden) == len(mask) and self.hidden.any():
            mask &= ~self.hidden
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return
        da = to_device(t, a[idx])
        db = to_device(t, b[idx])
        vp = QRectF(p.viewport()).adjusted(-4, -4, 4, 4)
        da, db, length = clip_segments(da, db, vp)
        keep = length > 0
        if not keep.all():
            idx, da, db, length = idx[keep], da[keep], db[keep], length[keep]
        if len(idx) == 0:
            return
        # On screen, the ink decides the level of detail; an export draws every line in full.
        background = None if self.full_quality else self.background
        p.save()
        p.resetTransform()
        if not self.full_quality:
            # The segments are already clipped to the viewport; Qt's clip (the exposed
            # region) would make the aliased line stroker test every pixel.
            p.setClipping(False)
        self.draw_segments(p, idx, da, db, length, background)
        p.restore()

    def _widths(self, strength: np.ndarray) -> np.ndarray:
        return (0.7 + 0.5 * (strength - 1)) * self.export_scale

    def draw_segments(
        self,
        p: QPainter,
        idx: np.ndarray,
        da: np.ndarray,
        db: np.ndarray,
        length: np.ndarray | None = None,
        background: QColor | None = None,
    ) -> None:
        """Draw the segments da→db (device px) of edges ``idx``. With a ``background`` (on
        screen) the ink decides the level of detail; without one (export) every line is drawn
        in full quality."""
        if length is None:
            length = np.hypot(*(db - da).T)
        strength = np.clip(np.rint(self.strength[idx]), 1, 5).astype(np.int8)
        emph = self.emphasis[idx]
        cold = self.cold[idx]
        ink = float((length * np.maximum(1.0, self._widths(strength))).sum())
        self.last_ink = ink
        few = len(idx) <= FEW_EDGES and ink <= FEW_EDGES_INK  # a small network: always fine
        fine = background is None or ink <= FINE_INK or few
        if self.moving and background is not None:
            fine = len(idx) <= DRAG_FINE_EDGES
        if not fine and float(length.sum()) > DENSE_INK:
            # Keep the selection's ties, then the most telling per pixel of ink; a tie hidden
            # under its two nodes shows nothing at all.
            ends = self.edges[idx]
            radii = (self.node_px[ends[:, 0]] + self.node_px[ends[:, 1]]) / 2
            cost = np.where(length > radii + 2.0, length / strength, np.inf)
            cost[emph == 2] = -1.0
            cost[emph == 1] *= 4.0
            order = np.argsort(cost)
            within = (np.cumsum(length[order]) <= DENSE_INK) & np.isfinite(cost[order])
            chosen = order[within | (cost[order] < 0)]
            chosen.sort()
            idx, da, db = idx[chosen], da[chosen], db[chosen]
            strength, emph, cold = strength[chosen], emph[chosen], cold[chosen]
        self.last_drawn = len(idx)
        self.last_fine = fine
        p.setRenderHint(QPainter.RenderHint.Antialiasing, fine)
        p.setBrush(Qt.BrushStyle.NoBrush)
        dashed = background is None or ink <= DASH_INK or few
        for level in (1, 0, 2):  # faded first, highlighted on top
            in_level = emph == level
            if not in_level.any():
                continue
            for is_cold in (True, False):
                for st in range(1, 6):
                    sel = in_level & (cold == is_cold) & (strength == st)
                    if not sel.any():
                        continue
                    if fine:
                        pen = self._pen(level, is_cold, st, False, dashed)
                        if background is not None:  # on screen: opaque, the fast path
                            pen.setColor(mixed(pen.color(), background))
                    else:
                        pen = self._solid_pen(level, is_cold, st, background)
                    p.setPen(pen)
                    p.drawPath(pairs_path(da[sel], db[sel]))
        if fine and (len(idx) <= ARROW_MAX_EDGES or background is None):
            self._draw_arrows(p, idx, da, db)

    def _solid_pen(self, level: int, cold: bool, strength: int, background: QColor) -> QPen:
        """A 1 px pen of the colour a translucent line would show over ``background``: solid
        lines cost a fraction of blended ones."""
        if level == 2:
            return self._pen(level, cold, strength, True, False)
        colour = self.colour
        alpha = 0.28 + 0.09 * strength
        if cold:
            alpha *= 0.6
        if level == 1:
            alpha *= 0.18
        translucent = QColor(colour)
        translucent.setAlphaF(min(1.0, alpha))
        pen = QPen(mixed(translucent, background), 0.0)
        pen.setCosmetic(True)
        return pen

    def _pen(self, level: int, cold: bool, strength: int, dense: bool, dashed: bool) -> QPen:
        colour = QColor(self.accent if level == 2 else self.colour)
        alpha = 0.28 + 0.12 * strength if not dense else 0.16 + 0.07 * strength
        if cold:
            alpha *= 0.6
        if level == 1:
            alpha *= 0.18
        if level == 2:
            alpha = 1.0  # opaque: Qt's fast path (translucent wide lines cost several times more)
        colour.setAlphaF(min(1.0, alpha))
        width = 0.0 if dense else (0.7 + 0.5 * (strength - 1)) * self.export_scale
        if level == 2:
            width = max(width, 1.6 * self.export_scale)
        pen = QPen(colour, width)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if cold and dashed and not dense:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def _draw_arrows(self, p: QPainter, idx: np.ndarray, da: np.ndarray, db: np.ndarray) -> None:
        sel = self.directed[idx] & (self.emphasis[idx] != 1)  # none on faded ties
        if not sel.any():
            return
        a, b = da[sel], db[sel]
        d = b - a
        length = np.hypot(d[:, 0], d[:, 1])
        r = self.node_px[self.edges[idx[sel], 1]] * self.export_scale / 2 + 1.5
        size = 7.0 * self.export_scale
        ok = length > r + 2 * size
        if not ok.any():
            return
        a, b, d, length, r = a[ok], b[ok], d[ok], length[ok], r[ok]
        u = d / length[:, None]
        n = np.column_stack([-u[:, 1], u[:, 0]])
        tip = b - u * r[:, None]
        base = tip - u * size
        left = base + n * size * 0.45
        right = base - n * size * 0.45
        pts = np.stack([tip, left, right, tip], axis=1).reshape(-1, 2)
        connect = np.tile(np.array([1, 1, 1, 0], dtype=np.int32), len(tip))
        path = pg.arrayToQPath(pts[:, 0], pts[:, 1], connect=connect)
        colour = QColor(self.colour)
        colour.setAlphaF(0.75)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPath(path)
