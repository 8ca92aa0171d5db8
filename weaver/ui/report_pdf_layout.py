"""Drawing primitives of the PDF report: colours, the page-flowing cursor and small charts.

Part of :mod:`weaver.ui.report_pdf`. Sizes are in points (``PageCursor.pt``) so text prints at the
same size at any resolution.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPdfWriter, QPen

# Community colours (Okabe–Ito, readable by colour-blind readers and in greyscale print).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
INK = QColor("#1d2433")
MUTED = QColor("#5b6474")
RULE = QColor("#c9ced6")
ACCENT = QColor("#0b5d8a")


def report_tr(text: str) -> str:
    """Translate in the report's context (the report is painted off any widget)."""
    return QCoreApplication.translate("ReportPdf", text)


class PageCursor:
    """A cursor flowing headings, paragraphs and tables down A4 pages."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.p = painter
        self.dpi = writer.resolution()
        rect = writer.pageLayout().paintRectPixels(self.dpi)
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.y = 0.0
        self.page = 1

    def pt(self, points: float) -> float:
        return points * self.dpi / 72

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        f = QFont("DejaVu Sans")
        f.setStyleHint(QFont.StyleHint.SansSerif)
        f.setPointSizeF(size)
        f.setBold(bold)
        f.setItalic(italic)
        return f

    def new_page(self) -> None:
        self.writer.newPage()
        self.page += 1
        self.y = 0.0

    def room(self, needed: float) -> None:
        if self.y + needed > self.height - self.pt(24):
            self.new_page()

    def text_height(self, text: str, font: QFont, width: float) -> float:
        metrics = QFontMetricsF(font, self.writer)
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def text(
        self,
        text: str,
        size: float = 10,
        bold: bool = False,
        color: QColor = INK,
        gap: float = 4,
        indent: float = 0,
        italic: bool = False,
    ) -> None:
        font = self.font(size, bold, italic)
        x = self.pt(indent)
        width = self.width - x
        h = self.text_height(text, font, width)
        self.room(h)
        self.p.setFont(font)
        self.p.setPen(color)
        self.p.drawText(QRectF(x, self.y, width, h), int(Qt.TextFlag.TextWordWrap), text)
        self.y += h + self.pt(gap)

    def heading(self, text: str) -> None:
        self.room(self.pt(60))
        self.y += self.pt(6)
        self.text(text, 14, bold=True, color=ACCENT, gap=2)
        self.p.setPen(QPen(RULE, self.pt(0.8)))
        self.p.drawLine(QPointF(0, self.y), QPointF(self.width, self.y))
        self.y += self.pt(6)

    def table(
        self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 9
    ) -> None:
        """A simple table; ``widths`` are fractions of the page width."""
        cols = [w * self.width for w in widths]
        pad = self.pt(3)

        def row_height(cells: list[str], font: QFont) -> float:
            return (
                max(
                    self.text_height(c, font, w - 2 * pad) for c, w in zip(cells, cols, strict=True)
                )
                + 2 * pad
            )

        def draw_row(cells: list[str], font: QFont, color: QColor, shade: bool) -> None:
            h = row_height(cells, font)
            if self.y + h > self.height - self.pt(24):
                self.new_page()
                draw_row(header, bold, MUTED, False)
            if shade:
                self.p.fillRect(QRectF(0, self.y, self.width, h), QColor("#f3f5f8"))
            self.p.setFont(font)
            self.p.setPen(color)
            x = 0.0
            for c, w in zip(cells, cols, strict=True):
                self.p.drawText(
                    QRectF(x + pad, self.y + pad, w - 2 * pad, h - 2 * pad),
                    int(Qt.TextFlag.TextWordWrap),
                    c,
                )
                x += w
            self.y += h

        bold = self.font(size, bold=True)
        plain = self.font(size)
        draw_row(header, bold, MUTED, False)
        self.p.setPen(QPen(RULE, self.pt(0.6)))
        self.p.drawLine(QPointF(0, self.y), QPointF(self.width, self.y))
        for i, r in enumerate(rows):
            draw_row(r, plain, INK, i % 2 == 1)
        self.y += self.pt(8)


def draw_series(
    d: PageCursor,
    box: QRectF,
    title: str,
    months: list[str],
    values: list[float],
    bars: bool,
    colour: QColor,
) -> None:
    """A small chart: title, the latest value, a line (or bars) and first/last month."""
    p = d.p
    small = d.font(7)
    p.setFont(d.font(8, bold=True))
    p.setPen(INK)
    p.drawText(
        QRectF(box.x(), box.y(), box.width(), d.pt(12)), int(Qt.TextFlag.TextSingleLine), title
    )
    p.setFont(small)
    p.setPen(MUTED)
    latest = f"{values[-1]:,}" if values else ""
    p.drawText(
        QRectF(box.x(), box.y(), box.width(), d.pt(12)),
        int(Qt.AlignmentFlag.AlignRight),
        report_tr("now {0}").format(latest),
    )
    plot = QRectF(box.x(), box.y() + d.pt(14), box.width(), box.height() - d.pt(26))
    p.setPen(QPen(RULE, d.pt(0.5)))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    top = max(max(values, default=0), 1)
    n = len(values)
    step = plot.width() / max(1, n - (0 if bars else 1))
    if bars:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        for i, v in enumerate(values):
            h = plot.height() * v / top
            p.drawRect(QRectF(plot.x() + i * step + step * 0.15, plot.bottom() - h, step * 0.7, h))
    else:
        p.setPen(QPen(colour, d.pt(1.4)))
        pts = [
            QPointF(plot.x() + i * step, plot.bottom() - plot.height() * v / top)
            for i, v in enumerate(values)
        ]
        p.drawPolyline(pts)
    p.setPen(MUTED)
    p.setFont(small)
    below = QRectF(plot.x(), plot.bottom() + d.pt(2), plot.width(), d.pt(10))
    p.drawText(below, int(Qt.AlignmentFlag.AlignLeft), months[0])
    p.drawText(below, int(Qt.AlignmentFlag.AlignRight), months[-1])
