"""The label layer: members' names next to their nodes, placed greedily (biggest first) where
they overlap neither another name nor, on screen, a node."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .device import bounds_of, to_device, visible_rect

MAX_LABELS = 300
# Level of detail for names: at most one per this many px² of screen.
LABEL_AREA_PX = 190 * 50
LABEL_CELL = 3.0  # px: the grid names are placed on
# How many candidates (biggest first) the label layer may look at per frame.
MAX_LABEL_CANDIDATES = 4000


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
        self._bounds = bounds_of(self.pos)
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
