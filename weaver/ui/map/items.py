"""The three drawing layers of the map: all edges in one item, all nodes in one scatter item,
and one label layer. None of them creates a QGraphicsItem per member or per relationship.

Every layer works in device pixels: it maps the visible part of its arrays through the
painter's transform with numpy, resets the transform and draws cosmetic shapes, so widths and
label sizes stay constant on screen while the map zooms.

The layers live in their own modules (:mod:`.edge_layer`, :mod:`.label_layer`, with the shared
device-pixel helpers in :mod:`.device`); this module makes the node item and re-exports them, so
``from .items import ...`` keeps working.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QBrush

from .device import bounds_of as _bounds_of
from .device import clip_segments, mixed, pairs_path, to_device, visible_rect
from .edge_layer import (
    ARROW_MAX_EDGES,
    DASH_INK,
    DENSE_INK,
    DRAG_FINE_EDGES,
    FEW_EDGES,
    FEW_EDGES_INK,
    FINE_INK,
    EdgeLayer,
)
from .label_layer import (
    LABEL_AREA_PX,
    LABEL_CELL,
    MAX_LABEL_CANDIDATES,
    MAX_LABELS,
    LabelLayer,
    NodeOccupancy,
    _greedy_place,
)

__all__ = [
    "ARROW_MAX_EDGES",
    "DASH_INK",
    "DENSE_INK",
    "DRAG_FINE_EDGES",
    "FEW_EDGES",
    "FEW_EDGES_INK",
    "FINE_INK",
    "LABEL_AREA_PX",
    "LABEL_CELL",
    "MAX_LABELS",
    "MAX_LABEL_CANDIDATES",
    "EdgeLayer",
    "LabelLayer",
    "NodeOccupancy",
    "_bounds_of",
    "_greedy_place",
    "brush_cache",
    "clip_segments",
    "make_node_item",
    "mixed",
    "pairs_path",
    "to_device",
    "visible_rect",
]


def make_node_item() -> pg.ScatterPlotItem:
    """All nodes in one scatter item, sizes in pixels, drawn from a pre-rendered atlas."""
    item = pg.ScatterPlotItem(pxMode=True, useCache=True, antialias=True, hoverable=False)
    item.setAcceptHoverEvents(False)
    return item


def brush_cache() -> dict[tuple[int, int, int, int], QBrush]:
    return {}
