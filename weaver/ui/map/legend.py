"""The map's legend: what the colours mean (with counts), the two shapes, and the edge styles.

One drawing function serves the on-screen overlay and the exported image, so both show the
same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

MAX_ROWS = 12


def _tr(text: str) -> str:
    return QCoreApplication.translate("MapLegend", text)


@dataclass
class LegendData:
    title: str = ""
    entries: list[tuple[str, tuple[int, int, int, int], int]] = field(default_factory=list)
    size_note: str = ""  # e.g. "Size: degree"
    #: The document's cold-tie rule in days (network.facts.cold_days) when the map draws cold
    #: ties, else None: the legend says the rule the dashes follow.
    cold_days: int | None = None
    show_directed: bool = False
    #: Per entry "o" (circle) or "s" (square) when the colours are the kinds themselves: the
    #: swatches then show the shapes too and the separate shape rows are left out.
    entry_shapes: list[str] = field(default_factory=list)


def legend_size(data: LegendData, font: QFont, scale: float = 1.0) -> QSize:
    m = QFontMetricsF(font)
    line = m.height() * 1.25
    rows = _rows(data)
    width = max((m.horizontalAdvance(text) for text, _ in rows), default=0.0)
    return QSize(int(width + line + 24 * scale), int(line * len(rows) + 14 * scale))


def _rows(data: LegendData) -> list[tuple[str, str]]:
    """(text, kind of swatch) per row: "title", "colour:<index>", "person", "org", "cold"…"""
    rows: list[tuple[str, str]] = []
    if data.title:
        rows.append((data.title, "title"))
    for k, (label, _, count) in enumerate(data.entries[:MAX_ROWS]):
        rows.append((f"{label}  ({count})", f"colour:{k}"))
    if not data.entry_shapes:
        rows.append((_tr("Person"), "person"))
        rows.append((_tr("Organization"), "org"))
    if data.cold_days is not None:
        text = _tr("Not met in person for over %1 days").replace("%1", f"{data.cold_days:,}")
        rows.append((text, "cold"))
    if data.show_directed:
        rows.append((_tr("Directed tie"), "directed"))
    if data.size_note:
        rows.append((data.size_note, "note"))
    return rows


def draw_legend(
    p: QPainter,
    origin: QPointF,
    data: LegendData,
    font: QFont,
    palette: QPalette,
    scale: float = 1.0,
) -> QRectF:
    """Draw the legend with its top-left at ``origin`` (device pixels); return its rect."""
    size = legend_size(data, font, scale)
    box = QRectF(origin, size.toSizeF())
    m = QFontMetricsF(font)
    line = m.height() * 1.25
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    back = QColor(palette.color(QPalette.ColorRole.Base))
    back.setAlpha(205)  # translucent: the map stays visible underneath
    border = QColor(palette.color(QPalette.ColorRole.Mid))
    text = palette.color(QPalette.ColorRole.Text)
    p.setPen(QPen(border, 1.0 * scale))
    p.setBrush(back)
    p.drawRoundedRect(box, 6 * scale, 6 * scale)
    x = box.left() + 8 * scale
    y = box.top() + 7 * scale
    sw = m.height() * 0.8
    for label, kind in _rows(data):
        centre = QPointF(x + sw / 2, y + line / 2)
        p.setPen(Qt.PenStyle.NoPen)
        if kind.startswith("colour:"):
            k = int(kind[7:])
            p.setBrush(QColor(*data.entries[k][1]))
            shapes = data.entry_shapes
            if k < len(shapes) and shapes[k] == "s":
                half = sw / 2.2
                p.drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half))
            else:
                p.drawEllipse(centre, sw / 2, sw / 2)
        elif kind in ("person", "org"):
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(text, 1.3 * scale))
            if kind == "person":
                p.drawEllipse(centre, sw / 2.4, sw / 2.4)
            else:
                half = sw / 2.4
                p.drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half))
        elif kind in ("cold", "directed"):
            pen = QPen(text, 1.4 * scale)
            if kind == "cold":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, centre.y()), QPointF(x + sw, centre.y()))
            if kind == "directed":
                p.setBrush(text)
                p.setPen(Qt.PenStyle.NoPen)
                tip = QPointF(x + sw, centre.y())
                p.drawPolygon(
                    [
                        tip,
                        QPointF(tip.x() - sw / 2.5, tip.y() - sw / 4),
                        QPointF(tip.x() - sw / 2.5, tip.y() + sw / 4),
                    ]
                )
        f = QFont(font)
        if kind == "title":
            f.setBold(True)
        p.setFont(f)
        p.setPen(text)
        tx = box.left() + 8 * scale if kind == "title" else x + sw + 6 * scale
        p.drawText(QPointF(tx, y + (line - m.height()) / 2 + m.ascent()), label)
        y += line
    p.restore()
    return box


class LegendOverlay(QWidget):
    """Floats over the top-left corner of the map; clicks pass through to the map."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.data = LegendData()

    def set_data(self, data: LegendData) -> None:
        self.data = data
        self._pixmap = None
        self.resize(legend_size(data, self.font()) + QSize(2, 2))
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._pixmap = None
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # Drawn once into a pixmap: the map under it repaints far more often than it changes.
        ratio = self.devicePixelRatioF()
        pixmap = getattr(self, "_pixmap", None)
        if (
            pixmap is None
            or pixmap.devicePixelRatio() != ratio
            or pixmap.size() != (self.size() * ratio)
        ):
            pixmap = QPixmap(self.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            draw_legend(painter, QPointF(0.5, 0.5), self.data, self.font(), self.palette())
            painter.end()
            self._pixmap = pixmap
        p = QPainter(self)
        p.drawPixmap(0, 0, pixmap)
        p.end()

    def labels(self) -> list[str]:
        """The legend's entries as shown (for tests and accessibility)."""
        return [text for text, _ in _rows(self.data)]
