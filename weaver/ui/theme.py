"""Look and feel: follow the system palette, and draw our SVG icons in the palette's colours.

Icons are line drawings in ``resources/icons`` that use ``currentColor``; they are rendered at
paint time at the device's pixel ratio, so they stay sharp on high-DPI screens and readable in
both light and dark palettes.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from ..resources import resource


@lru_cache(maxsize=64)
def _svg_text(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text(encoding="utf-8")


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _colour_for(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorRole.WindowText)


class SvgIconEngine(QIconEngine):
    """Renders one monochrome SVG in the current palette's text colour at any size."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        svg = _svg_text(self._name).replace("currentColor", _colour_for(mode).name())
        return QSvgRenderer(QByteArray(svg.encode("utf-8")))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._name)


def icon(name: str) -> QIcon:
    """A palette-coloured icon from ``resources/icons/<name>.svg`` (empty if missing)."""
    try:
        _svg_text(name)
    except OSError:
        return QIcon()
    return QIcon(SvgIconEngine(name))


def app_icon() -> QIcon:
    """The application's own (full-colour) icon."""
    path = resource("icons", "weaver.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def muted_text_colour(palette: QPalette | None = None) -> QColor:
    """A secondary text colour readable on the window background in light and dark palettes."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.PlaceholderText)
