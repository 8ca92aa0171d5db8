"""The three drawing layers of the map: all edges in one item, all nodes in one scatter item,
and one label layer. None of them creates a QGraphicsItem per member or per relationship.

Every layer works in device pixels: it maps the visible part of its arrays through the
painter's transform with numpy, resets the transform and draws cosmetic shapes, so widths and
label sizes stay constant on screen while the map zooms.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

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
MAX_LABELS = 300
# Level of detail for names: at most one per this many px² of screen.
LABEL_AREA_PX = 190 * 50
LABEL_CELL = 3.0  # px: the grid names are placed on
# How many candidates (biggest first) the label layer may look at per frame.
MAX_LABEL_CANDIDATES = 4000


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
        self._bounds = _bounds_of(self.pos)
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


class LabelLayer(QGraphicsItem):
    """Names next to nodes. Biggest nodes first, greedy: a label is drawn only where it does
    not overlap one already placed, and at most MAX_LABELS per frame. Zoomed out, that leaves
    the hubs' names; zoomed in, every name that fits."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.pos = np.zeros((0, 2))
        self.names: list[str] = []
        self.node_px = np.zeros(0)
        self.order = np.zeros(0, dtype=np.int64)  # biggest first
        self.visible = np.ones(0, dtype=bool)  # e.g. only the focus
        self.bold = np.zeros(0, dtype=bool)  # selected / matched
        self.font = QFont()
        self.text_colour = QColor(20, 20, 20)
        self.halo = QColor(255, 255, 255, 190)
        self.export_scale = 1.0
        self.avoid_nodes = True  # False: names go next to their node whatever is there
        self.halo_rounded = False  # translucent rounded halos instead of opaque chips
        self._widths: np.ndarray | None = None
        self._static: dict[int, QStaticText] = {}
        self._bounds = QRectF()
        self.last_drawn = 0
        self.last_rects: list[QRectF] = []

    def set_arrays(self, pos, names, node_px, keep_state: bool = False) -> None:
        """New positions, names and sizes; ``keep_state`` keeps the visible / bold masks and
        the text caches when only the sizes changed."""
        same = keep_state and names is self.names and len(self.visible) == len(names)
        self.pos, self.names, self.node_px = pos, names, node_px
        self.order = np.argsort(-node_px, kind="stable")
        if not same:
            self.visible = np.ones(len(names), dtype=bool)
            self.bold = np.zeros(len(names), dtype=bool)
            self._widths = None
            self._static.clear()
        self.positions_changed()

    def set_font(self, font: QFont) -> None:
        self.font = QFont(font)
        self._widths = None
        self._static.clear()
        self.update()

    def positions_changed(self) -> None:
        self.prepareGeometryChange()
        self._bounds = _bounds_of(self.pos)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def _text_widths(self, metrics: QFontMetricsF, rows: np.ndarray) -> np.ndarray:
        """Widths of the names ``rows``, measured the first time each is needed."""
        if self._widths is None or len(self._widths) != len(self.names):
            self._widths = np.full(len(self.names), np.nan)
        w = self._widths[rows]
        missing = np.isnan(w)
        if missing.any():
            todo = rows[missing]
            self._widths[todo] = [metrics.horizontalAdvance(self.names[i]) for i in todo.tolist()]
            w = self._widths[rows]
        return w

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self.last_drawn = 0
        self.last_rects = []
        if len(self.names) == 0:
            return
        area, t, _ = visible_rect(p, pad_px=0)
        pos = self.pos
        with np.errstate(invalid="ignore"):
            on_screen = (
                (pos[:, 0] >= area.left())
                & (pos[:, 0] <= area.right())
                & (pos[:, 1] >= area.top())
                & (pos[:, 1] <= area.bottom())
            )
        shown = on_screen & self.visible
        cand = self.order[shown[self.order]][:MAX_LABEL_CANDIDATES]
        if len(cand) == 0:
            return
        first = self.bold[cand]  # the selection and the search match are named first
        n_first = int(first.sum())
        if n_first:
            cand = np.concatenate([cand[first], cand[~first]])
        s = self.export_scale
        font = QFont(self.font)
        if s != 1.0:
            font.setPointSizeF(font.pointSizeF() * s)
        metrics = QFontMetricsF(font)
        widths = self._text_widths(QFontMetricsF(self.font), cand) * s
        height = metrics.height()
        dev = to_device(t, pos[cand])
        bold_rows = self.bold[cand]
        if bold_rows.any():  # bold names are wider, and sit clear of the highlight ring
            bold_font = QFont(self.font)
            bold_font.setBold(True)
            bold_metrics = QFontMetricsF(bold_font)
            for k in np.flatnonzero(bold_rows).tolist():
                widths[k] = bold_metrics.horizontalAdvance(self.names[int(cand[k])]) * s
        gap = 3.0 * s
        r = self.node_px[cand] * s / 2 + np.where(bold_rows, 4.0 * s, 0.0)
        top = dev[:, 1] - height / 2
        right = dev[:, 0] + r + gap
        left_side = dev[:, 0] - r - gap - widths
        # Level of detail: at most one label per LABEL_AREA_PX of screen, so zoomed out only the
        # biggest nodes are named. Nodes (all on screen) are obstacles, so names never hide
        # them; a name goes right of its node, else left.
        vp = p.viewport()
        area_px = vp.width() * vp.height()
        scene = self.scene()
        if scene is not None and scene.views() and self.export_scale == 1.0:
            # Painting into a cache pixmap: the budget is still the screen's.
            shown = scene.views()[0].viewport().size()
            area_px = shown.width() * shown.height()
        budget = max(8, min(MAX_LABELS, int(area_px / (LABEL_AREA_PX * s * s))))
        inside = (top >= vp.top()) & (top + height <= vp.bottom())
        free_right = inside & (right + widths <= vp.right())
        free_left = inside & (left_side >= vp.left())
        if self.avoid_nodes:
            occupied = NodeOccupancy(to_device(t, pos[on_screen]), self.node_px[on_screen] * s, vp)
            free_right &= occupied.free(right, top, widths, height)
            free_left &= occupied.free(left_side, top, widths, height)
        # The biggest nodes are named even inside a dense cluster (over smaller nodes).
        hubs = np.zeros(len(cand), dtype=bool)
        hubs[: max(1, budget // 6, n_first)] = True
        free_right |= hubs & ~free_left & inside & (right + widths <= vp.right())
        left = np.where(free_right, right, left_side)
        ok = free_right | free_left
        alt = np.where(free_right & free_left, left_side, np.nan)
        keep = np.flatnonzero(ok)
        placed_k, x_at = _greedy_place(
            left[keep], top[keep], widths[keep], height, budget, alt[keep]
        )
        if len(placed_k) == 0:
            return
        placed = keep[placed_k]
        left = left.copy()
        left[placed] = x_at
        self.last_drawn = len(placed)
        self.last_rects = [  # device px, for tests and hit checks
            QRectF(left[k], top[k], widths[k], height) for k in placed.tolist()
        ]
        p.save()
        p.resetTransform()
        p.setFont(font)
        pad = 1.5 * s
        if self.export_scale != 1.0 or self.halo_rounded:
            halo = QPainterPath()
            for k in placed.tolist():
                halo.addRoundedRect(
                    QRectF(left[k] - pad, top[k], widths[k] + 2 * pad, height), 3 * s, 3 * s
                )
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.halo)
            p.drawPath(halo)
        else:
            # On screen: opaque chips behind the names, Qt's fastest fill (a translucent,
            # antialiased rounded halo costs several ms a frame with a few hundred names).
            chip = QColor(self.halo)
            chip.setAlpha(255)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(chip)
            p.drawRects(
                [
                    QRectF(left[k] - pad, top[k], widths[k] + 2 * pad, height)
                    for k in placed.tolist()
                ]
            )
        p.setPen(self.text_colour)
        bold_font = QFont(font)
        bold_font.setBold(True)
        for k in placed.tolist():
            i = int(cand[k])
            if self.bold[i]:
                p.setFont(bold_font)
                p.drawText(QPointF(left[k], top[k] + metrics.ascent()), self.names[i])
                p.setFont(font)
            elif s != 1.0:
                p.drawText(QPointF(left[k], top[k] + metrics.ascent()), self.names[i])
            else:
                st = self._static.get(i)
                if st is None:
                    st = self._static[i] = QStaticText(self.names[i])
                    st.prepare(QTransform(), font)
                p.drawStaticText(QPointF(left[k], top[k]), st)
        p.restore()


class NodeOccupancy:
    """Which parts of the screen nodes cover, on a grid of CELL px with a summed-area table:
    "does this rectangle touch a node?" is then four look-ups, for all labels at once."""

    CELL = 6.0

    def __init__(self, centres: np.ndarray, diameters: np.ndarray, viewport) -> None:
        c = self.CELL
        self.w = int(viewport.width() // c) + 2
        self.h = int(viewport.height() // c) + 2
        grid = np.zeros((self.h, self.w), dtype=np.int32)
        ok = np.isfinite(centres).all(axis=1)
        if ok.any():
            half = diameters[ok] / 2
            x0 = np.clip(((centres[ok, 0] - half) // c).astype(np.int64), 0, self.w - 1)
            x1 = np.clip(((centres[ok, 0] + half) // c).astype(np.int64), 0, self.w - 1)
            y0 = np.clip(((centres[ok, 1] - half) // c).astype(np.int64), 0, self.h - 1)
            y1 = np.clip(((centres[ok, 1] + half) // c).astype(np.int64), 0, self.h - 1)
            # 2-D difference array: +1 at the top-left corner, -1 past the other corners.
            stride = self.w + 1
            top, bottom = y0 * stride, (y1 + 1) * stride
            flat = np.concatenate([top + x0, top + x1 + 1, bottom + x0, bottom + x1 + 1])
            signs = np.repeat(np.array([1, -1, -1, 1], dtype=np.int32), len(x0))
            diff = np.bincount(flat, weights=signs, minlength=(self.h + 1) * stride)
            diff = diff.astype(np.int32).reshape(self.h + 1, stride)
            grid = diff.cumsum(axis=0).cumsum(axis=1)[: self.h, : self.w]
        sat = np.zeros((self.h + 1, self.w + 1), dtype=np.int32)
        sat[1:, 1:] = (grid > 0).cumsum(axis=0, dtype=np.int32).cumsum(axis=1)
        self.sat = sat

    def free(self, left: np.ndarray, top: np.ndarray, widths: np.ndarray, height: float):
        """Bool per rectangle: no node in the cells strictly inside it."""
        c = self.CELL
        x0 = np.clip(np.ceil(left / c).astype(np.int64), 0, self.w)
        x1 = np.clip(((left + widths) // c).astype(np.int64), 0, self.w)
        y0 = np.clip(np.ceil(top / c).astype(np.int64), 0, self.h)
        y1 = np.clip(((top + height) // c).astype(np.int64), 0, self.h)
        x1 = np.maximum(x1, x0)
        y1 = np.maximum(y1, y0)
        s = self.sat
        covered = s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]
        return covered == 0


def _greedy_place(
    left: np.ndarray,
    top: np.ndarray,
    widths: np.ndarray,
    height: float,
    limit: int,
    alt_left: np.ndarray | None = None,
) -> tuple[np.ndarray, list[float]]:
    """Indices (into the candidate arrays, in order) whose rectangles do not overlap any
    earlier accepted one (with a little clearance, so neighbouring names read as separate), and
    the x each was placed at (``alt_left`` is a second place to try, NaN for none). Accepted
    names are marked on a grid of LABEL_CELL px, so each check is one small array slice."""
    n = len(left)
    if n == 0:
        return np.zeros(0, dtype=np.int64), []
    alt = alt_left if alt_left is not None else np.full(n, np.nan)
    c = LABEL_CELL
    xs_all = np.concatenate([left, alt[np.isfinite(alt)]])
    ox = float(xs_all.min()) - 16.0
    oy = float(top.min()) - 8.0
    w_cells = int((float(xs_all.max() + widths.max()) - ox) // c) + 8
    h_cells = int((float(top.max()) + height - oy) // c) + 8
    occ = np.zeros((h_cells, w_cells), dtype=bool)

    def cells(x: np.ndarray, pad_x: float, pad_y: float):
        x0 = np.floor((x - pad_x - ox) / c).astype(np.int64)
        x1 = np.ceil((x + widths + pad_x - ox) / c).astype(np.int64)
        y0 = np.floor((top - pad_y - oy) / c).astype(np.int64)
        y1 = np.ceil((top + height + pad_y - oy) / c).astype(np.int64)
        return [np.clip(v, 0, m).tolist() for v, m in ((x0, w_cells), (x1, w_cells))] + [
            np.clip(v, 0, h_cells).tolist() for v in (y0, y1)
        ]

    # Check with clearance, mark without: two names keep at least the clearance apart.
    check = cells(left, 4.0, 1.0)
    mark = cells(left, 0.0, 0.0)
    has_alt = np.isfinite(alt)
    alt_x = np.where(has_alt, alt, left)
    check_alt = cells(alt_x, 4.0, 1.0)
    mark_alt = cells(alt_x, 0.0, 0.0)
    has_alt_l = has_alt.tolist()
    left_l, alt_l = left.tolist(), alt_x.tolist()
    placed: list[int] = []
    xs: list[float] = []
    for k in range(n):
        x0, x1, y0, y1 = check[0][k], check[1][k], check[2][k], check[3][k]
        if not occ[y0:y1, x0:x1].any():
            m = mark
            xs.append(left_l[k])
        elif has_alt_l[k]:
            x0, x1, y0, y1 = check_alt[0][k], check_alt[1][k], check_alt[2][k], check_alt[3][k]
            if occ[y0:y1, x0:x1].any():
                continue
            m = mark_alt
            xs.append(alt_l[k])
        else:
            continue
        occ[m[2][k] : m[3][k], m[0][k] : m[1][k]] = True
        placed.append(k)
        if len(placed) >= limit:
            break
    return np.asarray(placed, dtype=np.int64), xs


def _bounds_of(pos: np.ndarray) -> QRectF:
    ok = np.isfinite(pos).all(axis=1) if len(pos) else np.zeros(0, dtype=bool)
    if not ok.any():
        return QRectF()
    lo = pos[ok].min(axis=0)
    hi = pos[ok].max(axis=0)
    pad = max(1.0, float((hi - lo).max()) * 0.05)
    return QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad, hi[1] - lo[1] + 2 * pad)


def make_node_item() -> pg.ScatterPlotItem:
    """All nodes in one scatter item, sizes in pixels, drawn from a pre-rendered atlas."""
    item = pg.ScatterPlotItem(pxMode=True, useCache=True, antialias=True, hoverable=False)
    item.setAcceptHoverEvents(False)
    return item


def brush_cache() -> dict[tuple[int, int, int, int], QBrush]:
    return {}
