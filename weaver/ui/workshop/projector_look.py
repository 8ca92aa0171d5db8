"""The projector's look: its high-contrast themes and sizes, the map canvas in that theme, and
the legend in large type. :mod:`.projector` puts them on the wall.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from ..map.canvas import MapCanvas, cosmetic_pen

THEMES = {
    # background, text, edges, label halo
    "dark": ("#0d1117", "#f5f7fa", "#9aa4b2", "#0d1117"),
    "light": ("#ffffff", "#0b0c0f", "#3d4450", "#ffffff"),
}
# Sizes for a 3 m viewing distance, as fractions of the view's height (1080 px -> ~26 px labels).
LABEL_FRACTION = 0.024
TITLE_FRACTION = 0.05
NODE_SCALE = 1.7
EDGE_SCALE = 2.2
THICK_EDGES_UP_TO = 2500
# How the privacy badge joins the sections it keeps on one line.
BADGE_JOINER = " · "


class ProjectorCanvas(MapCanvas):
    """The map canvas in the projector's theme instead of the system palette."""

    theme = "dark"
    label_px = 26.0

    def apply_palette(self) -> None:
        super().apply_palette()
        bg, text, edge, halo = (QColor(c) for c in THEMES[self.theme])
        self.setBackground(bg)
        self.edges.colour = edge
        self.labels.text_colour = text
        halo.setAlpha(215)
        self.labels.halo = halo
        font = QFont(self.font())
        font.setPixelSize(max(12, round(self.label_px)))
        font.setWeight(QFont.Weight.DemiBold)
        self.labels.set_font(font)
        # Cosmetic: a width in screen pixels, not map units (which would swallow the nodes).
        self.node_outline = cosmetic_pen(bg, 2.0)
        self.restyle()

    def _wanted_scale(self) -> float:
        # The wall is read from across the room: shrink crowded nodes less than the desk map.
        return max(0.7, super()._wanted_scale())


class BigLegend(QWidget):
    """The colour legend in large type, drawn over the map's corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.entries: list[tuple[str, tuple[int, int, int, int], int]] = []
        self.title = ""
        self.squares: set[str] = set()
        self.theme = "dark"

    def set_entries(
        self,
        title: str,
        entries: list[tuple[str, tuple[int, int, int, int], int]],
        squares: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self.title, self.entries, self.squares = title, entries[:8], set(squares)
        self.adjustSize()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self.fontMetrics()
        rows = len(self.entries) + (1 if self.title else 0)
        width = max((fm.horizontalAdvance(t) for t, _, _ in self.entries), default=0)
        width = max(width, fm.horizontalAdvance(self.title)) + fm.height() * 2.5
        return QSize(int(width), int(fm.height() * 1.3 * rows + fm.height() * 0.6))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.entries:
            return
        bg, text, _, _ = (QColor(c) for c in THEMES[self.theme])
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        panel = QColor(bg)
        panel.setAlpha(225)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(panel)
        p.drawRoundedRect(QRectF(self.rect()), 10, 10)
        fm = self.fontMetrics()
        line = fm.height() * 1.3
        y = fm.height() * 0.3
        x = fm.height() * 0.5
        p.setPen(text)
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            p.drawText(QPointF(x, y + fm.ascent()), self.title)
            p.setFont(self.font())
            y += line
        r = fm.height() * 0.38
        for label, rgba, _count in self.entries:
            p.setBrush(QColor(*rgba))
            p.setPen(Qt.PenStyle.NoPen)
            centre = QPointF(x + r, y + fm.height() / 2)
            if label in self.squares:
                p.drawRect(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
            else:
                p.drawEllipse(centre, r, r)
            p.setPen(text)
            p.drawText(QPointF(x + 2 * r + fm.height() * 0.5, y + fm.ascent()), label)
            y += line
        p.end()


def badge_lines(sections: list[str], metrics: QFontMetrics, width: int) -> list[str]:
    """``sections`` packed into as few lines as fit ``width`` pixels, breaking between
    sections. A section too wide on its own breaks after one of its commas, else between
    words; a single word too wide for the line is elided (the wall never shows text spilling
    off its edge)."""

    def fits(text: str) -> bool:
        return metrics.horizontalAdvance(text) <= width

    def by_words(text: str) -> list[str]:
        return _pack(text.split(" "), " ", fits, lambda word: [word])

    def by_commas(section: str) -> list[str]:
        parts = section.split(", ")
        items = [f"{p}," for p in parts[:-1]] + parts[-1:]  # the comma stays at a line's end
        return _pack(items, " ", fits, by_words)

    lines = _pack(sections, BADGE_JOINER, fits, by_commas)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def _pack(
    pieces: list[str],
    joiner: str,
    fits: Callable[[str], bool],
    split: Callable[[str], list[str]],
) -> list[str]:
    """``pieces`` joined by ``joiner`` into lines that fit; a piece that does not fit alone
    is ``split`` into lines of its own (nothing joins the tail of a split piece)."""
    lines: list[str] = []
    open_line = False
    for piece in pieces:
        if open_line and fits(joined := f"{lines[-1]}{joiner}{piece}"):
            lines[-1] = joined
        elif fits(piece):
            lines.append(piece)
            open_line = True
        else:
            lines += split(piece)
            open_line = False
    return lines


class PrivacyBadge(QLabel):
    """What the wall shows and hides, boxed in the bottom corner, in as many lines as the
    width it is given needs (see :func:`badge_lines`)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._sections: list[str] = []
        self._width = 0

    def set_sections(self, sections: list[str]) -> None:
        self._sections = [s for s in sections if s]
        self._relayout()

    def fit_width(self, width: int) -> None:
        """Lay the text out to take at most ``width`` pixels, box included."""
        self._width = width
        self._relayout()

    def _relayout(self) -> None:
        self.ensurePolished()  # the style sheet's font, padding and border apply from here
        metrics = self.fontMetrics()
        # What the box (padding, border) adds around the text, measured rather than assumed.
        self.setText("x")
        self.adjustSize()
        box = self.width() - metrics.horizontalAdvance("x")
        room = self._width - box if self._width > 0 else 1 << 20
        self.setText("\n".join(badge_lines(self._sections, metrics, max(room, 1))))
        self.adjustSize()
