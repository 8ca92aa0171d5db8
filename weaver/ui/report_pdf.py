"""The weaving report as a printable PDF (QPdfWriter + QPainter), and Network ▸ Export report.

Reads only the report dict from ``core.report_data`` (which holds nothing private) and, for the
map, the drawing data from ``report_data.map_data``. A4 portrait; fonts in points so the text
prints at the same size on any resolution.

Split by purpose: ``report_pdf_layout`` (colours, the page-flowing cursor, small charts),
``report_pdf_map`` (the map image) and ``report_pdf_pages`` (the report's sections). This
module writes the file and runs the export; it re-exports ``render_map`` and the colours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.errors import DocumentError
from ..core.health import assess
from ..core.metrics import load_network
from ..core.report_data import build_report, load_snapshots, map_data
from ..core.store import Workbook
from ..logs import log
from .controller import Controller
from .report_pdf_layout import ACCENT, INK, MUTED, PALETTE, RULE, _Pages, _tr
from .report_pdf_map import render_map
from .report_pdf_pages import _draw

__all__ = [
    "ACCENT",
    "INK",
    "MUTED",
    "PALETTE",
    "RULE",
    "export_report",
    "render_map",
    "write_report_pdf",
]


def _ensure_app() -> None:
    if QCoreApplication.instance() is None:
        QGuiApplication([])


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
