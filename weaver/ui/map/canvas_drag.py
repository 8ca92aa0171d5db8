"""Moving nodes in place on the map canvas: ``pos`` is written in place and pushed to the
layers without rebuilding anything; while dragging, what moves is split from what stays (small
drag layers over the big ones, which Qt serves from its device cache).

A mixin of :class:`~weaver.ui.map.canvas.MapCanvas`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

if TYPE_CHECKING:
    from .edge_layer import EdgeLayer
    from .label_layer import LabelLayer
    from .viewbox import MapViewBox


class DragLayers:
    """Node moves and the drag layers of :class:`~weaver.ui.map.canvas.MapCanvas`."""

    pos: np.ndarray
    node_px: np.ndarray
    edge_pairs: np.ndarray
    viewbox: MapViewBox
    edges: EdgeLayer
    drag_edges: EdgeLayer
    labels: LabelLayer
    drag_labels: LabelLayer
    nodes: pg.ScatterPlotItem
    drag_nodes: pg.ScatterPlotItem
    rings: pg.ScatterPlotItem
    _dragging: bool
    _drag_rows: np.ndarray

    def positions_changed(self, moved: np.ndarray | None = None) -> None:
        """``pos`` was written in place; push it to the layers without rebuilding anything.
        While dragging, only the drag layers (the moving nodes, their ties and names) change:
        the rest is served from Qt's device cache."""
        if self._dragging:
            self._drag_positions()
            return
        data = self.nodes.data
        if len(data) == len(self.pos):
            finite = np.isfinite(self.pos).all(axis=1)
            rows = slice(None) if moved is None else moved
            data["x"][rows] = np.where(finite, self.pos[:, 0], 0.0)[rows]
            data["y"][rows] = np.where(finite, self.pos[:, 1], 0.0)[rows]
            if moved is None or not data["visible"][rows].all():
                self.nodes.setPointsVisible(finite)
            self._scatter_moved(self.nodes)
        self._rings_moved()
        self.edges.positions_changed()
        self.labels.positions_changed()

    @staticmethod
    def _scatter_moved(item: pg.ScatterPlotItem) -> None:
        item.bounds = [None, None]
        item.prepareGeometryChange()
        item.update()

    def _rings_moved(self) -> None:
        if getattr(self, "_ring_idx", None) is not None and len(self.rings.data):
            ring = self._ring_idx
            self.rings.data["x"] = self.pos[ring, 0]
            self.rings.data["y"] = self.pos[ring, 1]
            self._scatter_moved(self.rings)

    def _drag_positions(self) -> None:
        rows = self._drag_rows
        data = self.drag_nodes.data
        if len(data) == len(rows):
            data["x"] = self.pos[rows, 0]
            data["y"] = self.pos[rows, 1]
            self._scatter_moved(self.drag_nodes)
        self._rings_moved()
        self.drag_edges.positions_changed()
        self.drag_labels.positions_changed()

    def begin_drag(self, rows: np.ndarray) -> None:
        """Split what moves from what stays: the moving nodes, their ties and their names go
        to small drag layers; the big edge, node and label layers are cached as pixmaps."""
        if self._dragging:
            self.end_drag()
        rows = np.asarray(rows, dtype=np.int64)
        moving = np.zeros(len(self.pos), dtype=bool)
        moving[rows] = True
        e = self.edge_pairs
        inc = moving[e[:, 0]] | moving[e[:, 1]] if len(e) else np.zeros(0, dtype=bool)
        layer = self.edges
        self.drag_edges.colour, self.drag_edges.accent = layer.colour, layer.accent
        self.drag_edges.set_arrays(
            self.pos,
            e[inc],
            layer.strength[inc],
            layer.cold[inc],
            layer.directed[inc],
            self.node_px,
        )
        self.drag_edges.emphasis = layer.emphasis[inc]
        layer.hidden = inc
        # Nodes: the moving ones drawn by their own scatter item, on top.
        self._drag_rows = rows
        data = self.nodes.data
        if len(data) == len(self.pos) and len(rows):
            self.drag_nodes.setData(
                x=self.pos[rows, 0],
                y=self.pos[rows, 1],
                size=data["size"][rows],
                symbol=data["symbol"][rows],
                brush=list(data["brush"][rows]),
                pen=list(data["pen"][rows]),
            )
            self.drag_nodes.show()
            self.nodes.setPointsVisible(data["visible"] & ~moving)
        # Names: the moving ones by the drag label layer, over nodes if need be.
        labels, dl = self.labels, self.drag_labels
        self._labels_visible = labels.visible.copy()
        dl.font, dl.text_colour, dl.halo = labels.font, labels.text_colour, labels.halo
        dl.set_arrays(self.pos, labels.names, self.node_px, keep_state=False)
        dl._widths = labels._widths  # same names, same font: measured once
        dl.visible = self._labels_visible & moving
        dl.bold = labels.bold
        dl.show()
        labels.visible = self._labels_visible & ~moving
        # Names reach past the nodes' box; the cache pixmap must cover the whole view.
        labels.prepareGeometryChange()
        labels._bounds = self.viewbox.viewRect()
        for item in (layer, self.nodes, labels):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item.update()
        self._dragging = True

    def end_drag(self) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.edges.hidden = np.zeros(len(self.edge_pairs), dtype=bool)
        self.drag_edges.set_arrays(
            self.pos, np.zeros((0, 2), np.int32), *([np.zeros(0)] * 3), self.node_px
        )
        if len(getattr(self, "_labels_visible", ())) == len(self.labels.names):
            self.labels.visible = self._labels_visible
        self.drag_labels.hide()
        self.drag_nodes.clear()
        self.drag_nodes.hide()
        for item in (self.edges, self.nodes, self.labels):
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.positions_changed()
