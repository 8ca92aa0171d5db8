"""A pyqtgraph ViewBox with the app's gestures instead of pyqtgraph's defaults.

No context menu of its own, no right-drag zoom, no auto-range: it pans with the left (or middle)
button on the background and zooms with the wheel around the cursor; everything else (drag a
node, Shift-drag, clicks, double-clicks, right-click) goes to a handler, the map canvas.
"""

from __future__ import annotations

from typing import Protocol

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt


class Gestures(Protocol):
    def drag_started(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool: ...
    def drag_moved(self, pos: QPointF) -> None: ...
    def drag_finished(self, pos: QPointF) -> None: ...
    def clicked(self, pos: QPointF, modifiers: Qt.KeyboardModifier, double: bool) -> None: ...
    def context_menu(self, pos: QPointF, screen_pos: QPointF) -> None: ...


class MapViewBox(pg.ViewBox):
    def __init__(self) -> None:
        super().__init__(enableMenu=False, lockAspect=True, invertY=True, defaultPadding=0.04)
        self.disableAutoRange()
        self.setMouseMode(pg.ViewBox.PanMode)
        self.handler: Gestures | None = None
        self._gesture = False  # a handler owns the current drag

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 - pyqtgraph API
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()  # right-drag does nothing (pyqtgraph would zoom)
            return
        view_pos = self.mapSceneToView(ev.scenePos())
        if ev.isStart() and ev.button() == Qt.MouseButton.LeftButton and self.handler:
            start = self.mapSceneToView(ev.buttonDownScenePos(ev.button()))
            self._gesture = self.handler.drag_started(start, ev.modifiers())
        if self._gesture and self.handler:
            ev.accept()
            if ev.isFinish():
                self._gesture = False
                self.handler.drag_finished(view_pos)
            else:
                self.handler.drag_moved(view_pos)
            return
        super().mouseDragEvent(ev, axis)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        ev.accept()
        if not self.handler:
            return
        view_pos = self.mapSceneToView(ev.scenePos())
        if ev.button() == Qt.MouseButton.RightButton:
            self.handler.context_menu(view_pos, ev.screenPos())
        elif ev.button() == Qt.MouseButton.LeftButton:
            self.handler.clicked(view_pos, ev.modifiers(), ev.double())

    def keyPressEvent(self, ev) -> None:  # noqa: N802
        ev.ignore()  # the map widget's shortcuts handle keys, not pyqtgraph's zoom history

    def zoom_by(self, factor: float, centre: QPointF | None = None) -> None:
        """Zoom in (factor > 1) or out around ``centre`` (view coordinates; default middle)."""
        s = 1.0 / factor
        self.scaleBy((s, s), center=centre)
