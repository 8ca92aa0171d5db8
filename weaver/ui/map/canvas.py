"""The drawing surface: a pyqtgraph view holding the edge, node, ring and label layers, fed by
arrays. It knows how to restyle, hit-test, move nodes in place and frame the view; it does not
know about the document (see ``interaction`` and ``widget`` for that).

Moving nodes and the drag layers are in :mod:`.canvas_drag`, hit tests and framing in
:mod:`.canvas_geometry`. The edge and label layers are in :mod:`.edge_layer` and
:mod:`.label_layer`; like the node item here, none of them creates a QGraphicsItem per member or
per relationship, and they work in device pixels (:mod:`.device`), so widths and label sizes
stay constant on screen while the map zooms."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette, QPen, QPixmapCache
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QToolTip, QWidget

from .canvas_drag import DragLayers
from .canvas_geometry import CanvasGeometry
from .edge_layer import EdgeLayer
from .label_layer import LabelLayer
from .viewbox import MapViewBox

log = logging.getLogger(__name__)

FADED_ALPHA = 0.16
# Nodes shrink when many are on screen (down to MIN_NODE_SCALE of their size), so a zoomed-out
# 5,000-member map shows its structure instead of a carpet of discs: full size once members are
# NODE_SPACING_PX apart on screen. The scale moves in steps, so zooming rarely re-sizes.
NODE_SPACING_PX = 36.0
MIN_NODE_SCALE = 0.45
NODE_SCALE_STEP = 0.1
PIXMAP_CACHE_KB = 192 * 1024


class MapCanvas(DragLayers, CanvasGeometry, pg.GraphicsView):
    #: The mouse rests over node i (or -1): the widget shows a tooltip.
    hovered = Signal(int, QPointF)
    #: A pinch or native zoom gesture: the zoom factor.
    pinched = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, useOpenGL=False, background=None)
        # While dragging, the edge, node and label layers are served from Qt's pixmap cache
        # (one viewport-sized pixmap each); the default 10 MB would evict them every frame.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.setAntialiasing(True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewbox = MapViewBox()
        self.setCentralItem(self.viewbox)
        self.edges = EdgeLayer()
        # While nodes are dragged, their ties are drawn here and the (much bigger) rest of the
        # edge layer is served from Qt's device cache: one drag step then repaints only a few
        # lines plus the nodes.
        self.drag_edges = EdgeLayer()
        self.drag_edges.setZValue(0.5)
        self.drag_edges.moving = True
        self.viewbox.addItem(self.drag_edges, ignoreBounds=True)
        self._dragging = False
        self._drag_rows = np.zeros(0, dtype=np.int64)
        self.nodes = make_node_item()
        self.rings = make_node_item()  # selection / search highlight: a handful of points
        self.labels = LabelLayer()
        for z, item in enumerate((self.edges, self.nodes, self.rings, self.labels)):
            item.setZValue(z)
            self.viewbox.addItem(item, ignoreBounds=True)
        self.drag_nodes = make_node_item()
        self.drag_nodes.setZValue(1.5)
        self.drag_labels = LabelLayer()
        self.drag_labels.avoid_nodes = False
        self.drag_labels.setZValue(3.5)
        for item in (self.drag_nodes, self.drag_labels):
            item.hide()
            self.viewbox.addItem(item, ignoreBounds=True)
        self.connector = QGraphicsLineItem()
        self.connector.setZValue(10)
        self.connector.hide()
        self.viewbox.addItem(self.connector, ignoreBounds=True)
        self.rubber_band = QGraphicsRectItem()
        self.rubber_band.setZValue(11)
        self.rubber_band.hide()
        self.viewbox.addItem(self.rubber_band, ignoreBounds=True)

        self.pos = np.zeros((0, 2))
        self.node_px = np.zeros(0)  # drawn diameters: base_px × node_scale
        self.base_px = np.zeros(0)
        self.node_scale = 1.0
        self.density_sizing = True
        self.reserved = QSize(0, 0)  # top-left box fit() keeps clear (the legend)
        self.reserved_bottom = 0  # a strip along the bottom fit() keeps clear (a caption)
        self._held = 0  # inside batch(): restyles wait
        self._pending: bool | None = None  # a restyle waiting (True: a full one)
        self.is_org = np.zeros(0, dtype=bool)
        self.colours = np.zeros(0, dtype=np.uint32)
        self.edge_pairs = np.zeros((0, 2), dtype=np.int32)
        self.selected = np.zeros(0, dtype=bool)
        self.selected_edges = np.zeros(0, dtype=bool)
        self.pinned = np.zeros(0, dtype=bool)
        self.focus = None  # bool mask of members in focus, or None
        self.highlight = -1
        self._hover = -1
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.view_animation = None  # the view gliding to show what was added (see reveal)
        self.viewbox.sigRangeChangedManually.connect(self._user_moved_view)
        self.viewbox.sigRangeChanged.connect(self._range_changed)
        self.viewbox.sigResized.connect(self._range_changed)
        self.apply_palette()

    # ---- look --------------------------------------------------------------------------

    def apply_palette(self) -> None:
        palette = QGuiApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        self.setBackground(base)
        self.edges.colour = text
        self.edges.accent = accent
        self.labels.text_colour = text
        halo = QColor(base)
        halo.setAlpha(200)
        self.labels.halo = halo
        self.labels.set_font(self.font())
        self.node_outline = cosmetic_pen(base, 1.0)
        # Pinned members wear a dark (light, in dark mode) outline: "this one stays put".
        self.pinned_outline = cosmetic_pen(text, 2.0)
        pen = QPen(accent, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.connector.setPen(pen)
        band = QColor(accent)
        band.setAlpha(40)
        self.rubber_band.setBrush(band)
        band_pen = QPen(accent, 1.0)
        band_pen.setCosmetic(True)
        self.rubber_band.setPen(band_pen)
        self._palette_brushes: dict[tuple[int, bool], QBrush] = {}
        self.restyle()

    def setBackground(self, background) -> None:  # noqa: N802 - pyqtgraph API
        super().setBackground(background)
        if hasattr(self, "drag_edges"):
            colour = self.backgroundBrush().color()
            self.edges.background = colour
            self.drag_edges.background = colour
            self.edges.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        ready = hasattr(self, "labels")  # pyqtgraph's constructor changes the palette early
        if ready and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self.apply_palette()
        super().changeEvent(event)

    def _brush(self, rgba: int, faded: bool) -> QBrush:
        """One shared QBrush per colour (the scatter item's atlas keys on brush identity)."""
        key = (rgba, faded)
        brush = self._palette_brushes.get(key)
        if brush is None:
            colour = QColor.fromRgba(rgba)  # packed 0xAARRGGBB
            if faded:
                colour.setAlphaF(FADED_ALPHA)
            brush = self._palette_brushes[key] = QBrush(colour)
        return brush

    # ---- data --------------------------------------------------------------------------

    def set_graph(
        self,
        pos: np.ndarray,
        edges: np.ndarray,
        strength: np.ndarray,
        cold: np.ndarray,
        directed: np.ndarray,
        names: list[str],
        is_org: np.ndarray,
    ) -> None:
        """Replace everything drawn. ``pos`` is shared (not copied): moving nodes writes it."""
        self.pos = pos
        self.is_org = is_org
        self.edge_pairs = edges
        n = len(pos)
        if len(self.base_px) != n:
            self.base_px = np.full(n, 10.0)
            self.node_px = self.base_px * self.node_scale
        if len(self.colours) != n:
            self.colours = np.full(n, 0xFF808080, dtype=np.uint32)
        self.selected = np.zeros(n, dtype=bool)
        self.selected_edges = np.zeros(len(edges), dtype=bool)
        self.pinned = np.zeros(n, dtype=bool)
        self.focus = None
        self.highlight = -1
        self.edges.set_arrays(pos, edges, strength, cold, directed, self.node_px)
        self.labels.set_arrays(pos, names, self.node_px)
        self.restyle(full=True)

    def set_sizes(self, node_px: np.ndarray) -> None:
        """Node diameters in pixels at full size (see ``node_scale``)."""
        self.base_px = np.asarray(node_px, dtype=float)
        self.node_scale = self._wanted_scale()
        self._apply_node_px()
        self.restyle(full=True)

    def _apply_node_px(self) -> None:
        # Half-pixel steps: the scatter item renders one atlas entry per distinct size.
        self.node_px = np.round(self.base_px * self.node_scale * 2) / 2
        self.edges.node_px = self.node_px
        self.drag_edges.node_px = self.node_px
        self.labels.set_arrays(self.pos, self.labels.names, self.node_px, keep_state=True)

    def _wanted_scale(self) -> float:
        n = len(self.pos)
        if not self.density_sizing or n == 0:
            return 1.0
        rect = self.viewbox.viewRect()
        x, y = self.pos[:, 0], self.pos[:, 1]
        with np.errstate(invalid="ignore"):
            inside = (x >= rect.left()) & (x <= rect.right())
            inside &= (y >= rect.top()) & (y <= rect.bottom())
        visible = int(np.count_nonzero(inside))
        size = self.viewport().size()
        spacing = np.sqrt(max(1, size.width() * size.height()) / max(1, visible))
        scale = min(1.0, max(MIN_NODE_SCALE, spacing / NODE_SPACING_PX))
        return round(scale / NODE_SCALE_STEP) * NODE_SCALE_STEP

    def _user_moved_view(self, *_args) -> None:
        self.stop_view_animation()  # the user's pan or zoom wins over the glide

    def _range_changed(self, *_args) -> None:
        if len(self.base_px) != len(self.pos) or len(self.pos) == 0:
            return
        scale = self._wanted_scale()
        if abs(scale - self.node_scale) < 1e-9:
            return
        self.node_scale = scale
        self._apply_node_px()
        if len(self.nodes.data) == len(self.pos):
            self.nodes.setSize(self.node_px)
        self._update_rings()

    def set_colours(self, rgba: np.ndarray) -> None:
        """(N, 4) uint8 RGBA per node."""
        c = np.asarray(rgba, dtype=np.uint32).reshape(-1, 4)
        self.colours = (c[:, 3] << 24) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]
        self.restyle()

    @contextmanager
    def batch(self):
        """Restyle once at the end instead of after every step (e.g. a reload's several)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if self._held == 0 and self._pending is not None:
                full, self._pending = self._pending, None
                self.restyle(full=full)

    def restyle(self, full: bool = False) -> None:
        """Recompute node brushes (colour group, focus fading), edge emphasis, label filters and
        the highlight rings from the current state."""
        if getattr(self, "_held", 0):
            self._pending = bool(self._pending) or full
            return
        n = len(self.pos)
        if n == 0:
            self.nodes.clear()
            self.rings.clear()
            self.edges.update()
            self.labels.update()
            return
        faded = np.zeros(n, dtype=bool) if self.focus is None else ~self.focus
        pinned = self.pinned if len(self.pinned) == n else np.zeros(n, dtype=bool)
        finite = np.isfinite(self.pos).all(axis=1)
        # Node styles depend on colour, focus and pins only: a new selection (the commonest
        # restyle) leaves them alone, and re-setting 5,000 brushes costs tens of ms.
        key = (
            self.colours.tobytes(),
            faded.tobytes(),
            pinned.tobytes(),
            id(self.node_outline),
            id(self.pinned_outline),
            id(self._palette_brushes),
        )
        same_style = key == getattr(self, "_node_style_key", None)
        if full or len(self.nodes.data) != n or not same_style:
            brushes = [
                self._brush(c, f)
                for c, f in zip(self.colours.tolist(), faded.tolist(), strict=True)
            ]
            pens = [self.pinned_outline if p else self.node_outline for p in pinned.tolist()]
            if full or len(self.nodes.data) != n:
                xy = np.where(finite[:, None], self.pos, 0.0)
                self.nodes.setData(
                    x=xy[:, 0],
                    y=xy[:, 1],
                    size=self.node_px,
                    symbol=np.where(self.is_org, "s", "o"),
                    brush=brushes,
                    pen=pens,
                )
            else:
                self.nodes.setBrush(brushes, update=False)
                self.nodes.setPen(pens)
            self._node_style_key = key
        if not np.array_equal(self.nodes.data["visible"], finite):
            self.nodes.setPointsVisible(finite)
        # Edges: faded unless both ends are in focus; accent for ties touching the selection.
        e = self.edge_pairs
        emph = np.zeros(len(e), dtype=np.int8)
        if len(e):
            if self.focus is not None:
                emph[~(self.focus[e[:, 0]] & self.focus[e[:, 1]])] = 1
            if self.selected.any():
                emph[self.selected[e[:, 0]] | self.selected[e[:, 1]]] = 2
            if len(self.selected_edges) == len(e):
                emph[self.selected_edges] = 2
        self.edges.emphasis = emph
        self.labels.visible = np.ones(n, dtype=bool) if self.focus is None else self.focus.copy()
        bold = self.selected.copy()
        if 0 <= self.highlight < n:
            bold[self.highlight] = True
            self.labels.visible[self.highlight] = True
        self.labels.bold = bold
        self._update_rings()
        self.edges.update()
        self.labels.update()

    def set_highlight(self, i: int) -> None:
        """Ring and name the member ``i`` (-1: none) without restyling every node: cheap
        enough for every mouse move (the connect gesture, search as you type)."""
        if i == self.highlight:
            return
        n = len(self.pos)
        old, self.highlight = self.highlight, i
        if len(self.labels.bold) == n and len(self.labels.visible) == n:
            if 0 <= old < n:
                selected = len(self.selected) == n and bool(self.selected[old])
                self.labels.bold[old] = selected
                if self.focus is not None:
                    self.labels.visible[old] = bool(self.focus[old])
            if 0 <= i < n:
                self.labels.bold[i] = True
                self.labels.visible[i] = True
            self.labels.update()
        self._update_rings()

    def _update_rings(self) -> None:
        idx = np.flatnonzero(self.selected)
        pens = [cosmetic_pen(self.edges.accent, 2.5)] * len(idx)
        if 0 <= self.highlight < len(self.pos):
            idx = np.append(idx, self.highlight)
            pens.append(cosmetic_pen(QColor("#f5a623"), 3.5))
        idx = idx[np.isfinite(self.pos[idx]).all(axis=1)] if len(idx) else idx
        if len(idx) == 0:
            self.rings.clear()
            return
        pens = pens[-len(idx) :]
        symbols = np.where(self.is_org[idx], "s", "o")
        self.rings.setData(
            x=self.pos[idx, 0],
            y=self.pos[idx, 1],
            size=self.node_px[idx] + 7,
            symbol=symbols,
            pen=pens,
            brush=QBrush(Qt.BrushStyle.NoBrush),
        )
        self._ring_idx = idx

    # ---- hover and gestures ------------------------------------------------------------

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        p = self.viewbox.mapSceneToView(scene_pos)
        i = self.node_at(p)
        if i != self._hover:
            self._hover = i
            if i < 0:
                QToolTip.hideText()
        if i >= 0:
            self.hovered.emit(i, self.mapToGlobal(self.mapFromScene(scene_pos)))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.NativeGesture
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.pinched.emit(1.0 + event.value())
            return True
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.pinched.emit(pinch.scaleFactor())
                return True
        return super().viewportEvent(event)


def cosmetic_pen(colour: QColor, width: float) -> QPen:
    """Symbols are rendered scaled to their size, so outlines must be cosmetic (pixel) pens."""
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    return pen


def make_node_item() -> pg.ScatterPlotItem:
    """All nodes in one scatter item, sizes in pixels, drawn from a pre-rendered atlas (no
    QGraphicsItem per member)."""
    item = pg.ScatterPlotItem(pxMode=True, useCache=True, antialias=True, hoverable=False)
    item.setAcceptHoverEvents(False)
    return item
