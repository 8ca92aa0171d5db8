"""The weaving report as a printable PDF (QPdfWriter + QPainter), and Network ▸ Export report.

Reads only the report dict from ``core.report_data`` (which holds nothing private) and, for the
map, the drawing data from ``report_data.map_data``. A4 portrait; fonts in points so the text
prints at the same size on any resolution.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.errors import DocumentError
from ..core.health import assess
from ..core.metrics import load_network
from ..core.report_data import build_report, load_snapshots, map_data
from ..core.store import Workbook
from ..logs import log
from .controller import Controller

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


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPdf", text)


def _ensure_app() -> None:
    if QCoreApplication.instance() is None:
        QGuiApplication([])


class _Pages:
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


def _value(v: Any, key: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if key in ("density", "in_person_share_90d", "reciprocity"):
            return f"{v:.1%}" if key != "density" else f"{v:.4f}"
        return f"{v:.3f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v)}"
    return str(v)


def _change(key: str, now: Any, report: dict[str, Any]) -> str:
    """'↑ 3' against the latest snapshot, '' without one."""
    series = report.get("trends", {}).get(key, [])
    if not series or now is None:
        return ""
    delta = float(now) - float(series[-1][1])
    if abs(delta) < 1e-9:
        return "→ 0"
    arrow = "↑" if delta > 0 else "↓"
    if key in ("in_person_share_90d", "reciprocity"):
        return f"{arrow} {abs(delta):.1%}"
    return f"{arrow} {_value(round(abs(delta), 4), key)}"


def render_map(map_data: dict[str, Any], size: int = 1800) -> QImage:
    """The network drawn with QPainter: ties as thin lines, members as dots coloured by
    community, sized by ties; a few of the best-connected named."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    nodes = map_data.get("nodes", [])
    if not nodes:
        return image
    # Frame the tied members; members without ties wait in a row along the bottom, so one
    # far-flung isolate does not shrink the whole network to a dot.
    tied = [n for n in nodes if n["degree"] > 0] or nodes
    xs = [n["x"] for n in tied]
    ys = [n["y"] for n in tied]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    margin = size * 0.06
    loose = [i for i, n in enumerate(nodes) if n["degree"] == 0] if len(tied) < len(nodes) else []
    bottom = size * (0.9 if loose else 1.0)
    scale = min(
        (size - 2 * margin) / max(maxx - minx, 1e-9),
        (bottom - 2 * margin) / max(maxy - miny, 1e-9),
    )
    offx = (size - (maxx - minx) * scale) / 2
    offy = (bottom - (maxy - miny) * scale) / 2
    pts = [QPointF(offx + (n["x"] - minx) * scale, offy + (n["y"] - miny) * scale) for n in nodes]
    step = (size - 2 * margin) / max(1, len(loose))
    for k, i in enumerate(loose):
        pts[i] = QPointF(margin + step * (k + 0.5), size * 0.95)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    n = len(nodes)
    alpha = 150 if n < 300 else 70 if n < 2000 else 35
    p.setPen(QPen(QColor(110, 120, 135, alpha), max(1.0, size / 1200)))
    for a, b in map_data.get("edges", []):
        p.drawLine(pts[a], pts[b])
    base = size / (60 if n < 100 else 120 if n < 1000 else 320)
    p.setPen(QPen(QColor("white"), max(1.0, size / 1800)))
    for node, pt in zip(nodes, pts, strict=True):
        c = node["community"]
        color = QColor(PALETTE[(c - 1) % len(PALETTE)]) if c else QColor("#9aa3ad")
        r = base * (0.6 + 0.5 * math.sqrt(node["degree"]))
        r = min(r, base * 4)
        p.setBrush(color)
        p.drawEllipse(pt, r, r)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(12, size // 70))  # an image, not text on screen: sized to the image
    font.setBold(True)
    p.setFont(font)
    metrics = QFontMetricsF(font)
    taken: list[QRectF] = []
    for node, pt in zip(nodes, pts, strict=True):
        if node["label"]:
            width = metrics.horizontalAdvance(node["label"]) + 8
            rect = QRectF(pt.x() - width / 2, pt.y() + base * 1.6, width, metrics.height())
            if any(rect.adjusted(-6, -3, 6, 3).intersects(t) for t in taken):
                continue  # a crowded centre: skip a label rather than print two on top
            taken.append(rect)
            p.setPen(QColor(255, 255, 255, 220))
            for dx, dy in ((-2, 0), (2, 0), (0, -2), (0, 2)):
                p.drawText(
                    rect.translated(dx, dy), int(Qt.AlignmentFlag.AlignHCenter), node["label"]
                )
            p.setPen(INK)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter), node["label"])
    p.end()
    return image


def write_report_pdf(
    report: dict[str, Any], path: Path | str, map_data: dict[str, Any] | None = None
) -> None:
    """Write the printable report: profile, scorecard with trends, the map, top suggestions
    and nudges."""
    _ensure_app()
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(150)
    writer.setTitle(f"{report['name']} — {_tr('weaving report')}")
    writer.setCreator("Weaver")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(16, 16, 16, 16),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    try:
        _draw(_Pages(writer, painter), report, map_data)
    finally:
        painter.end()
    tmp.replace(path)


def _draw_series(
    d: _Pages,
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
        _tr("now {0}").format(latest),
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


def _draw(d: _Pages, report: dict[str, Any], map_data: dict[str, Any] | None) -> None:
    d.text(report["name"], 22, bold=True, gap=2)
    d.text(
        _tr("Weaving report · {date}").format(date=report["generated_on"]), 11, color=MUTED, gap=10
    )

    profile = report["profile"]
    d.heading(_tr("The network"))
    for label, value in (
        (_tr("Purpose"), profile["purpose"]),
        (_tr("Value proposition"), profile["value_proposition"]),
        (_tr("Stage of development"), profile["stage"].capitalize()),
    ):
        if value:
            d.text(label, 9, bold=True, color=MUTED, gap=1)
            d.text(value, 10, gap=6)
    answered = [
        q
        for q in profile["design_questions"]
        if q["answer"] and q["key"] not in ("purpose", "value_proposition")
    ]
    if not (profile["purpose"] or profile["value_proposition"] or profile["stage"] or answered):
        d.text(_tr("No profile yet: fill it in from the Network panel."), 10, color=MUTED)

    d.heading(_tr("Scorecard"))
    d.text(_tr("Structure: {stage}").format(stage=report["stage"]), 11, bold=True, gap=2)
    for line in report["stage_evidence"]:
        d.text(f"• {line}", 9, color=MUTED, gap=1, indent=8)
    d.y += d.pt(6)
    snapshots = report.get("snapshots", [])
    if snapshots:
        last = snapshots[-1]
        change_header = _tr("Since {date}").format(date=last["date"])
        if last.get("label"):
            change_header += f" ({last['label']})"
    else:
        change_header = _tr("Change (no snapshot yet)")
    rows = [
        [
            row["measure"],
            _value(row["value"], row["key"]),
            _change(row["key"], row["value"], report),
        ]
        for row in report["scorecard"]
    ]
    d.table([_tr("Measure"), _tr("Now"), change_header], rows, [0.52, 0.18, 0.30])
    if report["brokers"]:
        d.text(_tr("Top brokers"), 9, bold=True, color=MUTED, gap=1)
        d.text(", ".join(report["brokers"][:10]), 10, gap=6)

    if map_data and map_data.get("nodes"):
        d.new_page()
        d.heading(_tr("The map"))
        side = min(d.width, d.height * 0.55)
        image = render_map(map_data)
        d.p.drawImage(QRectF((d.width - side) / 2, d.y, side, side), image)
        d.y += side + d.pt(6)
        d.text(
            _tr(
                "Colours show communities; larger dots have more ties. Names of members who "
                "did not consent are never shown."
            ),
            8,
            color=MUTED,
            italic=True,
        )

    monthly = report.get("monthly", [])
    if len(monthly) >= 2:
        d.room(2 * d.pt(100) + d.pt(60))  # the heading never sits alone at a page's foot
        d.heading(_tr("Over time"))
        months = [m["month"] for m in monthly]
        charts = (
            (_tr("Members"), [m["members"] for m in monthly], False, "#0072B2"),
            (_tr("Relationships"), [m["ties"] for m in monthly], False, "#E69F00"),
            (_tr("Meetings per month"), [m["meetings"] for m in monthly], True, "#009E73"),
            (
                _tr("Met in person in the last 90 days (%)"),
                [round(100 * m["in_person_share"]) for m in monthly],
                False,
                "#CC79A7",
            ),
        )
        width = (d.width - d.pt(12)) / 2
        height = d.pt(92)
        for row in range(2):
            d.room(height + d.pt(6))
            for col in range(2):
                title, values, bars, colour = charts[2 * row + col]
                box = QRectF(col * (width + d.pt(12)), d.y, width, height)
                _draw_series(d, box, title, months, values, bars, QColor(colour))
            d.y += height + d.pt(8)

    d.heading(_tr("Suggested introductions"))
    if report["suggestions"]:
        d.table(
            [_tr("Introduce"), _tr("Score"), _tr("Why")],
            [
                [f"{s['a']} + {s['b']}", f"{s['score']:.2f}", "; ".join(s["reasons"])]
                for s in report["suggestions"][:15]
            ],
            [0.32, 0.10, 0.58],
        )
    else:
        d.text(_tr("No introductions to suggest right now."), 10, color=MUTED)

    d.heading(_tr("Nudges"))
    kinds = (
        ("cold_tie", _tr("Ties going cold")),
        ("no_contact", _tr("No in-person contact in 90 days")),
        ("isolate", _tr("Members without ties")),
        ("newcomer", _tr("Newcomers with fewer than two ties")),
    )
    any_nudge = False
    for kind, title in kinds:
        found = [n for n in report["nudges"] if n["kind"] == kind]
        if not found:
            continue
        any_nudge = True
        d.text(f"{title} ({len(found)})", 10, bold=True, gap=2)
        for n in found[:8]:
            d.text(f"• {n['text']}", 9, gap=1, indent=8)
        if len(found) > 8:
            d.text(
                _tr("… and {n} more (see the spreadsheet report)").format(n=len(found) - 8),
                9,
                color=MUTED,
                indent=8,
            )
        d.y += d.pt(4)
    if not any_nudge:
        d.text(_tr("Nothing needs attention."), 10, color=MUTED)

    if answered:
        d.heading(_tr("Design questions"))
        for q in answered:
            d.text(q["question"], 9, bold=True, color=MUTED, gap=1)
            d.text(q["answer"], 10, gap=6)


# ---- Network ▸ Export report ---------------------------------------------------------------


def _report_job(
    path: Path, out: Path, progress: Callable[[float, str], None], cancelled: Callable[[], bool]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    with Workbook.open(path, readonly=True) as wb:
        data = load_network(wb)
        snapshots = load_snapshots(wb)
    health = assess(data, lambda f, m: progress(0.6 * f, m))
    report = build_report(data, snapshots, lambda f, m: progress(0.6 + 0.3 * f, m), health=health)
    if out.suffix.lower() == ".xlsx":
        from ..core.report_xlsx import write_report_xlsx

        progress(0.95, _tr("Writing the spreadsheet"))
        write_report_xlsx(report, out)
        return report, None
    progress(0.9, _tr("Drawing the map"))
    return report, map_data(data, health)


def export_report(parent: QWidget | None, controller: Controller, out: Path | None = None) -> None:
    """Network ▸ Export report: the weaving report as a spreadsheet or a printable PDF."""
    if not controller.has_document:
        return
    wb = controller.workbook
    if out is None:
        suggested = str(wb.path.with_name(f"{wb.path.stem} report {date.today().isoformat()}.pdf"))
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            _tr("Export report"),
            suggested,
            _tr("Printable report (*.pdf);;Spreadsheet (*.xlsx)"),
        )
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() not in (".pdf", ".xlsx"):
            out = out.with_suffix(".pdf")

    def done(result: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        report, drawing = result
        try:
            if out.suffix.lower() == ".pdf":
                write_report_pdf(report, out, drawing)
        except OSError as exc:
            QMessageBox.warning(parent, _tr("Export report"), f"{out}: {exc.strerror or exc}")
            return
        log.info("report written to %s", out)

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(
            parent, _tr("Export report"), _tr("The report was not written: {0}").format(exc)
        )

    try:
        from .tasks import run_task
    except ImportError:  # a build without the task runner: run it here
        try:
            done(_report_job(wb.path, out, lambda f, m: None, lambda: False))
        except (OSError, DocumentError) as exc:
            failed(exc)
        return
    run_task(
        parent, _tr("Writing the report…"), _report_job, wb.path, out, on_done=done, on_error=failed
    )
