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

# Past this many visible edges, lines are drawn aliased, 1 px, without dashes or arrows: at
# that density single lines cannot be told apart anyway, and it keeps a frame under 16 ms.
DENSE_EDGES = 1200
# Dashing is the costliest stroke in Qt's raster engine: only for a few hundred lines.
DASH_MAX_EDGES = 600
ARROW_MAX_EDGES = 1500
MAX_LABELS = 300
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
        self._bounds = QRectF()

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
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if len(self.edges) == 0:
            return
        area, t, _ = visible_rect(p)
        a = self.pos[self.edges[:, 0]]
        b = self.pos[self.edges[:, 1]]
        lo = np.minimum(a, b)
        hi = np.maximum(a, b)
        mask = (
            (hi[:, 0] >= area.left())
            & (lo[:, 0] <= area.right())
            & (hi[:, 1] >= area.top())
            & (lo[:, 1] <= area.bottom())
            & ~self.hidden
        )
        mask &= np.isfinite(lo).all(axis=1)
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return
        da = to_device(t, a[idx])
        db = to_device(t, b[idx])
        p.save()
        p.resetTransform()
        self.draw_segments(p, idx, da, db)
        p.restore()

    def draw_segments(self, p: QPainter, idx: np.ndarray, da: np.ndarray, db: np.ndarray) -> None:
        s = self.export_scale
        dense = len(idx) > DENSE_EDGES and s == 1.0
        p.setRenderHint(QPainter.RenderHint.Antialiasing, not dense)
        p.setBrush(Qt.BrushStyle.NoBrush)
        strength = self.strength[idx]
        cold = self.cold[idx]
        emph = self.emphasis[idx]
        for level in (1, 0, 2):  # faded first, highlighted on top
            in_level = emph == level
            if not in_level.any():
                continue
            for is_cold in (True, False):
                for st in range(1, 6):
                    sel = in_level & (cold == is_cold) & (strength == st)
                    if not sel.any():
                        continue
                    dashed = len(idx) <= DASH_MAX_EDGES or s != 1.0
                    p.setPen(self._pen(level, is_cold, st, dense, dashed))
                    p.drawPath(pairs_path(da[sel], db[sel]))
        if len(idx) <= ARROW_MAX_EDGES or s != 1.0:
            self._draw_arrows(p, idx, da, db)

    def _pen(self, level: int, cold: bool, strength: int, dense: bool, dashed: bool) -> QPen:
        colour = QColor(self.accent if level == 2 else self.colour)
        alpha = 0.28 + 0.12 * strength if not dense else 0.16 + 0.07 * strength
        if cold:
            alpha *= 0.6
        if level == 1:
            alpha *= 0.18
        if level == 2:
            alpha = 0.95
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
        sel = self.directed[idx]
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
        self._widths: np.ndarray | None = None
        self._static: dict[int, QStaticText] = {}
        self._bounds = QRectF()
        self.last_drawn = 0

    def set_arrays(self, pos, names, node_px) -> None:
        self.pos, self.names, self.node_px = pos, names, node_px
        self.order = np.argsort(-node_px, kind="stable")
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

    def _text_widths(self, metrics: QFontMetricsF) -> np.ndarray:
        if self._widths is None:
            self._widths = np.array([metrics.horizontalAdvance(s) for s in self.names])
        return self._widths

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self.last_drawn = 0
        if len(self.names) == 0:
            return
        area, t, _ = visible_rect(p, pad_px=0)
        pos = self.pos
        order = self.order
        xy = pos[order]
        inside = (
            (xy[:, 0] >= area.left())
            & (xy[:, 0] <= area.right())
            & (xy[:, 1] >= area.top())
            & (xy[:, 1] <= area.bottom())
            & self.visible[order]
        )
        cand = order[inside][:MAX_LABEL_CANDIDATES]
        if len(cand) == 0:
            return
        s = self.export_scale
        font = QFont(self.font)
        if s != 1.0:
            font.setPointSizeF(font.pointSizeF() * s)
        metrics = QFontMetricsF(font)
        widths = self._text_widths(QFontMetricsF(self.font))[cand] * s
        height = metrics.height()
        dev = to_device(t, pos[cand])
        gap = 3.0 * s
        left = dev[:, 0] + self.node_px[cand] * s / 2 + gap
        top = dev[:, 1] - height / 2
        # Level of detail: about one label per 220×60 px of screen, so zoomed out only the
        # biggest nodes are named; nodes themselves are obstacles so names never hide them.
        vp = p.viewport()
        budget = max(8, min(MAX_LABELS, int(vp.width() * vp.height() / (220 * 60 * s * s))))
        obstacles = None
        if len(cand) <= 1500:
            r = self.node_px[cand] * s / 2
            obstacles = np.column_stack([dev[:, 0] - r, dev[:, 1] - r, 2 * r, 2 * r])
        placed = _greedy_place(left, top, widths, height, budget, obstacles)
        if not placed:
            return
        self.last_drawn = len(placed)
        p.save()
        p.resetTransform()
        p.setFont(font)
        halo = QPainterPath()
        pad = 1.5 * s
        for k in placed:
            halo.addRoundedRect(
                QRectF(left[k] - pad, top[k], widths[k] + 2 * pad, height), 3 * s, 3 * s
            )
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.halo)
        p.drawPath(halo)
        p.setPen(self.text_colour)
        bold_font = QFont(font)
        bold_font.setBold(True)
        for k in placed:
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


def _greedy_place(
    left: np.ndarray,
    top: np.ndarray,
    widths: np.ndarray,
    height: float,
    limit: int,
    obstacles: np.ndarray | None = None,
) -> list[int]:
    """Indices (into the candidate arrays, in order) whose rectangles do not overlap any
    earlier accepted one nor an obstacle (x, y, w, h); a coarse grid keeps each check to a few
    neighbours."""
    cell = max(height * 2.0, 24.0)
    grid: dict[tuple[int, int], list[int]] = {}
    placed: list[int] = []
    lefts, tops, ws = left.tolist(), top.tolist(), widths.tolist()
    hs = [height] * len(lefts)
    n_labels = len(lefts)
    if obstacles is not None and len(obstacles):
        for x, y, w, h in obstacles.tolist():
            j = len(lefts)
            lefts.append(x)
            tops.append(y)
            ws.append(w)
            hs.append(h)
            for cx in range(int(x // cell), int((x + w) // cell) + 1):
                for cy in range(int(y // cell), int((y + h) // cell) + 1):
                    grid.setdefault((cx, cy), []).append(j)
    for k in range(n_labels):
        x0, y0 = lefts[k], tops[k]
        x1, y1 = x0 + ws[k], y0 + height
        cx0, cx1 = int(x0 // cell), int(x1 // cell)
        cy0, cy1 = int(y0 // cell), int(y1 // cell)
        clash = False
        for cx in range(cx0, cx1 + 1):
            for cy in range(cy0, cy1 + 1):
                for j in grid.get((cx, cy), ()):
                    if (
                        lefts[j] < x1
                        and x0 < lefts[j] + ws[j]
                        and tops[j] < y1
                        and y0 < tops[j] + hs[j]
                    ):
                        clash = True
                        break
                if clash:
                    break
            if clash:
                break
        if clash:
            continue
        placed.append(k)
        for cx in range(cx0, cx1 + 1):
            for cy in range(cy0, cy1 + 1):
                grid.setdefault((cx, cy), []).append(k)
        if len(placed) >= limit:
            break
    return placed


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
