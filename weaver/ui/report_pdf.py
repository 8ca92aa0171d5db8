"""The weaving report as a printable PDF (QPdfWriter + QPainter), and Network ▸ Export report.

Reads only the report dict from ``core.report_data`` (which holds nothing private) and, for the
map, the drawing data from ``report_data.map_data``. A4 portrait; fonts in points so the text
prints at the same size on any resolution.

Split by purpose: ``report_pdf_layout`` (colours, the page-flowing cursor, small charts),
``report_pdf_map`` (the map image) and ``report_pdf_pages`` (the report's sections). This
module writes the file and runs the export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.destination import atomic_path, check_destination
from ..core.errors import DocumentError
from ..core.health import assess
from ..core.metrics import load_network
from ..core.report_data import build_report, load_snapshots, map_data
from ..core.store import Document
from ..logs import log
from .controller import Controller
from .report_pdf_layout import PageCursor, report_tr
from .report_pdf_pages import draw_report
from .tasks import Task, TaskCancelled, run_task


def _ensure_app() -> None:
    if QCoreApplication.instance() is None:
        QGuiApplication([])


def write_report_pdf(
    report: dict[str, Any],
    path: Path | str,
    map_data: dict[str, Any] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Write the printable report: profile, scorecard with trends, the map, top suggestions
    and nudges.

    Paints only on a QPdfWriter and QImages (no pixmap, widget or scene), which Qt allows in a
    worker thread: Network ▸ Export report runs it there. If ``cancelled()`` turned true by the
    time the pages are drawn, it raises :class:`TaskCancelled` and writes nothing.
    """
    path = Path(path)
    # Checked before Qt starts; written beside it and renamed only once complete.
    with atomic_path(path) as tmp:
        _ensure_app()
        writer = QPdfWriter(str(tmp))
        writer.setResolution(150)
        writer.setTitle(f"{report['name']} — {report_tr('weaving report')}")
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
        if not painter.isActive():  # never draw hundreds of pages into nothing
            raise DocumentError(path, "cannot be written (the PDF could not be started)")
        try:
            draw_report(PageCursor(writer, painter), report, map_data)
        finally:
            painter.end()
        if cancelled():
            raise TaskCancelled()  # leaving the block removes the temporary file


# ---- Network ▸ Export report ---------------------------------------------------------------


def _report_job(
    path: Path, out: Path, progress: Callable[[float, str], None], cancelled: Callable[[], bool]
) -> None:
    """Build the report and write it, all in the worker thread: reading, the analysis and the
    PDF's painting (QPdfWriter and QImage only) keep the window responsive for any network."""
    with Document.open(path, readonly=True) as wb:
        data = load_network(wb)
        snapshots = load_snapshots(wb)
    health = assess(data, lambda f, m: progress(0.6 * f, m))
    report = build_report(data, snapshots, lambda f, m: progress(0.6 + 0.3 * f, m), health=health)
    if cancelled():
        raise TaskCancelled()
    if out.suffix.lower() == ".xlsx":
        from ..core.report_xlsx import write_report_xlsx

        progress(0.95, report_tr("Writing the spreadsheet"))
        write_report_xlsx(report, out)
        return
    progress(0.9, report_tr("Drawing the map"))
    drawing = map_data(data, health)
    progress(0.95, report_tr("Writing the report"))
    write_report_pdf(report, out, drawing, cancelled)


def export_report(
    parent: QWidget | None, controller: Controller, out: Path | None = None
) -> Task | None:
    """Network ▸ Export report: the weaving report as a spreadsheet or a printable PDF, written
    in a worker thread. Returns the running task (None when nothing was started)."""
    if not controller.has_document:
        return None
    wb = controller.document
    if out is None:
        suggested = str(wb.path.with_name(f"{wb.path.stem} report {date.today().isoformat()}.pdf"))
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            report_tr("Export report"),
            suggested,
            report_tr("Printable report (*.pdf);;Spreadsheet (*.xlsx)"),
        )
        if not chosen:
            return None
        out = Path(chosen)
        if out.suffix.lower() not in (".pdf", ".xlsx"):
            out = out.with_suffix(".pdf")
    try:  # a refused file is said before any work starts
        check_destination(out)
    except DocumentError as exc:
        QMessageBox.warning(parent, report_tr("Export report"), str(exc))
        return None
    destination = out

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DocumentError):
            text = str(exc)
        elif isinstance(exc, OSError):
            text = f"{destination}: {exc.strerror or exc}"
        else:
            text = report_tr("The report was not written: {0}").format(exc)
        QMessageBox.warning(parent, report_tr("Export report"), text)

    return run_task(
        parent,
        report_tr("Writing the report…"),
        _report_job,
        wb.path,
        out,
        on_done=lambda _: log.info("report written to %s", destination),
        on_error=failed,
    )
