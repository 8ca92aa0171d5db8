"""The Health panel: scorecard, structural stage, trends across snapshots and monthly series.

"Take snapshot" stores today's measures in the document (undoable); "Compare…" lists what
changed between two snapshots (or a snapshot and now). The measures are computed quietly in a
worker thread after each change, so the panel never holds up editing.

The panel is split by purpose: ``health_background`` (the quiet runner the weaving panels
share too), ``health_facts`` (the members and ties tables, value formatting), ``health_charts``
(trend and monthly plots) and ``health_compare`` (the snapshot comparison). Import each name
from the module that defines it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.commands import TakeSnapshot
from ...core.errors import DocumentError
from ...core.health import SCORECARD_LABELS, Health, assess, monthly_series, take_snapshot
from ...core.metrics import NetworkData, load_network
from ...core.model import ValidationError
from ...core.report_data import load_snapshots
from ...core.snapshots import Snapshot
from ...core.store import Document
from ..controller import Controller
from .health_background import BackgroundAnalysis
from .health_charts import draw_monthly, draw_trend, monthly_plot, trend_plot
from .health_compare import CompareDialog
from .health_facts import (
    MEMBER_HEADERS,
    SHARES,
    TIE_HEADERS,
    FactsModel,
    facts_view,
    format_value,
    health_tr,
    member_rows,
    selected_ids,
    tie_rows,
)

# ---- the panel -------------------------------------------------------------------------------

SNAPSHOT_COLUMN, CHANGE_COLUMN = 2, 3


def _compute_health(wb: Document) -> dict[str, Any]:
    data = load_network(wb)
    health = assess(data)
    return {
        "data": data,
        "health": health,
        "monthly": monthly_series(data),
        "snapshots": load_snapshots(wb),
    }


class HealthPanel(QWidget):
    """Scorecard, stage, trends and monthly charts; Take snapshot; Compare…"""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.data: NetworkData | None = None
        self.health: Health | None = None
        self.snapshots: list[Snapshot] = []
        self.monthly: list[dict[str, Any]] = []
        self._fresh = False  # the measures shown match the document as it is now
        self._pending_label: str | None = None  # a snapshot waiting for fresh measures
        self.analysis = BackgroundAnalysis(controller, _compute_health, self)
        self.analysis.ready.connect(self._show)
        self.analysis.failed.connect(self._failed)
        self.analysis.running_changed.connect(self._running)

        self.stage = QLabel()
        self.stage.setWordWrap(True)
        self.stage.setTextFormat(Qt.TextFormat.PlainText)
        font = self.stage.font()
        font.setBold(True)
        self.stage.setFont(font)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setEnabled(False)
        self.status.setWordWrap(True)  # a long failure message must not widen the dock

        # Short labels, the rest in tooltips: the three fit side by side in a laptop's dock.
        self.snapshot_button = QPushButton(self.tr("Take snapshot"))
        self.snapshot_button.setToolTip(self.tr("Store today's measures in the document"))
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self.compare_button = QPushButton(self.tr("Compare…"))
        self.compare_button.setToolTip(self.tr("What changed between two snapshots"))
        self.compare_button.clicked.connect(self.compare_dialog)
        self.export_button = QPushButton(self.tr("Report…"))
        self.export_button.setToolTip(
            self.tr("Export the health, profile and to-do lists as a PDF or spreadsheet")
        )
        self.export_button.clicked.connect(self._export)
        buttons = QHBoxLayout()
        for b in (self.snapshot_button, self.compare_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Measure"), self.tr("Now"), self.tr("Snapshot"), self.tr("Change")]
        )
        self.table.verticalHeader().hide()
        # A measure's name wraps onto a second line rather than being cut ("Members witho…").
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Scorecard"))
        self.table.itemSelectionChanged.connect(self._plot_trend)

        self.trend_plot = trend_plot()
        self.trend_hint = QLabel(
            self.tr("Pick a measure in the scorecard to see its trend across snapshots.")
        )
        self.trend_hint.setWordWrap(True)
        trend_page = QWidget()
        tl = QVBoxLayout(trend_page)
        tl.addWidget(self.trend_hint)
        tl.addWidget(self.trend_plot, 1)

        self.monthly_plots = {
            "members": monthly_plot(self.tr("Members and relationships")),
            "meetings": monthly_plot(self.tr("Meetings per month")),
            "in_person_share": monthly_plot(self.tr("Met in person (last 90 days)")),
        }
        monthly_page = QWidget()
        ml = QVBoxLayout(monthly_page)
        for plot in self.monthly_plots.values():
            ml.addWidget(plot, 1)

        self.charts = QTabWidget()
        self.charts.addTab(trend_page, self.tr("Trend"))
        self.charts.addTab(monthly_page, self.tr("Monthly"))
        self.member_model = FactsModel(MEMBER_HEADERS, self)
        self.member_view = facts_view(self.member_model, self.tr("Members at a glance"), 4)
        self.member_view.selectionModel().selectionChanged.connect(self._select_members)
        self.tie_model = FactsModel(TIE_HEADERS, self)
        self.tie_view = facts_view(self.tie_model, self.tr("Ties at a glance"), 5)
        self.tie_view.setToolTip(self.tr("Double-click a tie to rate it"))
        self.tie_view.selectionModel().selectionChanged.connect(self._select_ties)
        self.tie_view.doubleClicked.connect(self._rate_tie)
        self.charts.addTab(self.member_view, self.tr("Members"))
        self.charts.addTab(self.tie_view, self.tr("Ties"))

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.charts)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stage)
        layout.addWidget(self.evidence)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

        controller.changed.connect(self._changed)
        controller.document_changed.connect(self.analysis.request)
        controller.busy_changed.connect(lambda _busy: self._update_buttons())
        self._update_buttons()
        if controller.has_document:
            self.analysis.request()

    # ---- refreshing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute now (the document changed or the weaver asked)."""
        self.analysis.start_now()

    def _changed(self, changes: Changes) -> None:
        if changes:
            # Snapshots alone do not change the measures, only the trend and comparison lists.
            only_snapshots = changes == Changes(snapshots=changes.snapshots)
            self._fresh = self._fresh and only_snapshots
            self.analysis.request()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.analysis.shown()

    def _running(self, running: bool) -> None:
        self.status.setText(self.tr("Measuring…") if running else "")

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("Could not measure the network: {0}").format(message))

    def _show(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.data = self.health = None
            self.snapshots, self.monthly = [], []
            self.stage.setText(self.tr("No document is open."))
            self.evidence.clear()
            self.table.setRowCount(0)
            self._update_buttons()
            return
        self.data, self.health = result["data"], result["health"]
        self._fresh = True
        self.snapshots, self.monthly = result["snapshots"], result["monthly"]
        assert self.health is not None
        self.stage.setText(self.tr("Structure: {0}").format(self.health.stage))
        self.evidence.setText("\n".join(f"• {e}" for e in self.health.evidence))
        self._fill_table()
        self._plot_trend()
        self._plot_monthly()
        assert self.data is not None
        self.member_model.set_rows(member_rows(self.data, self.health))
        self.tie_model.set_rows(tie_rows(self.data, self.health))
        if self._pending_label is not None:
            label, self._pending_label = self._pending_label, None
            self._store_snapshot(label)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.health is not None
        self.snapshot_button.setEnabled(ready and self.controller.editable)
        self.compare_button.setEnabled(ready and bool(self.snapshots))
        self.export_button.setEnabled(self.controller.has_document)

    def _fill_table(self) -> None:
        assert self.health is not None
        last = self.snapshots[-1].scorecard if self.snapshots else {}
        card = self.health.scorecard
        self.table.setRowCount(len(SCORECARD_LABELS))
        for row, (key, label) in enumerate(SCORECARD_LABELS.items()):
            now, before = card.get(key), last.get(key)
            change = ""
            if now is not None and before is not None:
                delta = float(now) - float(before)
                if abs(delta) < 1e-9:
                    change = "→ 0"
                else:
                    arrow = "↑" if delta > 0 else "↓"
                    shown = f"{abs(delta):.0%}" if key in SHARES else f"{abs(delta):.4g}"
                    change = f"{arrow} {shown}"
            cells = [
                health_tr(label),
                format_value(key, now),
                format_value(key, before) if key in last else "",
                change,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, key)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        # Without a snapshot the last two columns would be empty: the measures get the room.
        for column in (SNAPSHOT_COLUMN, CHANGE_COLUMN):
            self.table.setColumnHidden(column, not self.snapshots)
        when = self.snapshots[-1].taken_on.isoformat() if self.snapshots else ""
        self.table.horizontalHeaderItem(SNAPSHOT_COLUMN).setToolTip(
            self.tr("At the last snapshot, {0}").format(when) if when else ""
        )
        for column in (1, SNAPSHOT_COLUMN, CHANGE_COLUMN):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowsToContents()

    def selected_measure(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _plot_trend(self) -> None:
        self.trend_plot.clear()
        key = self.selected_measure()
        if key is None or self.health is None:
            return
        points = draw_trend(self.trend_plot, key, self.snapshots, self.health)
        self.trend_hint.setVisible(points < 2)
        if points < 2:
            self.trend_hint.setText(
                self.tr("Take snapshots over time to see how this measure moves.")
            )

    def _plot_monthly(self) -> None:
        draw_monthly(self.monthly_plots, self.monthly)

    # ---- actions ---------------------------------------------------------------------------

    def _select_members(self) -> None:
        ids = selected_ids(self.member_view)
        if ids:
            self.controller.select(ids)

    def _select_ties(self) -> None:
        ids = selected_ids(self.tie_view)
        if ids:
            self.controller.select(relationships=ids)

    def _rate_tie(self, index: QModelIndex) -> None:
        from ..dialogs.rate_tie import rate_tie

        rate_tie(self, self.controller, index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole))

    def _export(self) -> None:
        from ..report_pdf import export_report

        export_report(self, self.controller)

    def take_snapshot(self, label: str | None = None) -> bool:
        """Store the measures just computed (asks for an optional label)."""
        if self.data is None or self.health is None or not self.controller.editable:
            return False
        if label is None:
            label, ok = QInputDialog.getText(
                self,
                self.tr("Take snapshot"),
                self.tr('A label for this snapshot (optional), e.g. "after the spring convening":'),
            )
            if not ok:
                return False
        if not self._fresh:
            # An edit since the last measuring: measure again, then store.
            self._pending_label = label.strip()
            self.analysis.start_now()
            return True
        return self._store_snapshot(label.strip())

    def _store_snapshot(self, label: str) -> bool:
        if self.data is None or self.health is None or not self.controller.editable:
            return False
        snapshot = take_snapshot(self.data, label, health=self.health)
        try:
            self.controller.push(TakeSnapshot(snapshot))
        except (DocumentError, ValidationError) as exc:
            QMessageBox.warning(self, self.tr("Take snapshot"), str(exc))
            return False
        return True

    def compare_dialog(self) -> None:
        if self.data is None or self.health is None:
            return
        now = take_snapshot(self.data, health_tr("now"), health=self.health)
        CompareDialog([*self.snapshots, now], self).exec()
