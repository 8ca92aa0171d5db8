"""The Health panel: scorecard, structural stage, trends across snapshots and monthly series.

"Take snapshot" stores today's measures in the document (undoable); "Compare…" lists what
changed between two snapshots (or a snapshot and now). The measures are computed quietly in a
worker thread after each change, so the panel never holds up editing. Also home of
the background runner the weaving panels
share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.errors import DocumentError
from ...core.health import SCORECARD_LABELS, Health, assess, monthly_series, take_snapshot
from ...core.metrics import NetworkData, load_network
from ...core.model import ValidationError
from ...core.report_data import load_snapshots
from ...core.snapshots import Snapshot, TakeSnapshot, compare
from ...core.store import Workbook
from ...logs import log
from ..controller import Controller

SHARES = frozenset({"in_person_share_90d", "reciprocity"})


def _tr(text: str) -> str:
    return QCoreApplication.translate("HealthPanel", text)


def format_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in SHARES:
        return f"{float(value):.0%}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".") if key == "density" else f"{value:.3g}"
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


# ---- the quiet background runner ----------------------------------------------------------

DEBOUNCE_MS = 500


# Running jobs, kept alive here until they end: a panel closed mid-run must not destroy a
# QThread that is still running.
_RUNNING: set[QThread] = set()


def _forget(job: QThread) -> None:
    _RUNNING.discard(job)
    job.deleteLater()


class _Job(QThread):
    finished_with = Signal(int, object, object)  # token, result, error

    def __init__(self, path: Any, compute: Callable[[Workbook], Any], token: int) -> None:
        super().__init__()
        self._path = path
        self._compute = compute
        self._token = token

    def run(self) -> None:
        try:
            with Workbook.open(self._path, readonly=True) as wb:
                result = self._compute(wb)
        except Exception as exc:  # delivered to the panel, which says so in words
            log.warning("background analysis failed", exc_info=True)
            self.finished_with.emit(self._token, None, exc)
            return
        self.finished_with.emit(self._token, result, None)


class BackgroundAnalysis(QObject):
    """Run ``compute(workbook)`` off the UI thread after each (debounced) :meth:`request`."""

    ready = Signal(object)  # the result, or None when no document is open
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(
        self,
        controller: Controller,
        compute: Callable[[Workbook], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.compute = compute
        self._token = 0
        self._jobs: set[_Job] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._auto_start)
        self._stale = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    @property
    def running(self) -> bool:
        return bool(self._jobs)

    def request(self) -> None:
        """Recompute soon (debounced), or once the panel is shown if it is hidden now: a
        docked-away panel must not keep a worker busy after every edit."""
        self._timer.start()

    def _auto_start(self) -> None:
        owner = self.parent()
        if isinstance(owner, QWidget) and not owner.isVisible():
            self._stale = True
            return
        self.start_now()

    def shown(self) -> None:
        """The panel became visible: catch up if the document changed meanwhile."""
        if self._stale:
            self.start_now()

    def start_now(self) -> None:
        self._timer.stop()
        self._stale = False
        self._token += 1
        if not self.controller.has_document:
            self.ready.emit(None)
            return
        job = _Job(self.controller.workbook.path, self.compute, self._token)
        job.finished_with.connect(self._finished)
        job.finished.connect(self._cleanup)
        job.finished.connect(lambda job=job: _forget(job))
        self._jobs.add(job)
        _RUNNING.add(job)
        self.running_changed.emit(True)
        job.start()

    def _finished(self, token: int, result: Any, error: BaseException | None) -> None:
        if token != self._token:
            return  # a newer request is on its way
        if error is not None:
            self.failed.emit(str(error) or type(error).__name__)
        else:
            self.ready.emit(result)

    def _cleanup(self) -> None:
        done = self.sender()
        self._jobs = {j for j in self._jobs if j is not done and not j.isFinished()}
        if not self._jobs:
            self.running_changed.emit(False)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until every running job ended (tests, shutdown)."""
        ok = True
        for job in list(self._jobs):
            ok = job.wait(timeout_ms) and ok
        QCoreApplication.processEvents()
        return ok


# ---- the panel -------------------------------------------------------------------------------


def _compute_health(wb: Workbook) -> dict[str, Any]:
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

        self.snapshot_button = QPushButton(self.tr("Take snapshot"))
        self.snapshot_button.setToolTip(self.tr("Store today's measures in the document"))
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self.compare_button = QPushButton(self.tr("Compare with…"))
        self.compare_button.setToolTip(self.tr("What changed between two snapshots"))
        self.compare_button.clicked.connect(self.compare_dialog)
        self.export_button = QPushButton(self.tr("Export report…"))
        self.export_button.clicked.connect(self._export)
        buttons = QHBoxLayout()
        for b in (self.snapshot_button, self.compare_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.status)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Measure"), self.tr("Now"), self.tr("Last snapshot"), self.tr("Change")]
        )
        self.table.verticalHeader().hide()
        _compact_rows(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Scorecard"))
        self.table.itemSelectionChanged.connect(self._plot_trend)

        pg.setConfigOptions(antialias=True)
        self.trend_plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.trend_plot.setBackground(None)
        self.trend_plot.showGrid(x=True, y=True, alpha=0.2)
        self.trend_hint = QLabel(
            self.tr("Pick a measure in the scorecard to see its trend across snapshots.")
        )
        self.trend_hint.setWordWrap(True)
        trend_page = QWidget()
        tl = QVBoxLayout(trend_page)
        tl.addWidget(self.trend_hint)
        tl.addWidget(self.trend_plot, 1)

        self.monthly_plots = {
            "members": self._monthly_plot(self.tr("Members and relationships")),
            "meetings": self._monthly_plot(self.tr("Meetings per month")),
            "in_person_share": self._monthly_plot(self.tr("Met in person (last 90 days)")),
        }
        monthly_page = QWidget()
        ml = QVBoxLayout(monthly_page)
        for plot in self.monthly_plots.values():
            ml.addWidget(plot, 1)

        self.charts = QTabWidget()
        self.charts.addTab(trend_page, self.tr("Trend"))
        self.charts.addTab(monthly_page, self.tr("Monthly"))
        self.member_model = FactsModel(MEMBER_HEADERS, self)
        self.member_view = _facts_view(self.member_model, self.tr("Members at a glance"), 4)
        self.member_view.selectionModel().selectionChanged.connect(self._select_members)
        self.tie_model = FactsModel(TIE_HEADERS, self)
        self.tie_view = _facts_view(self.tie_model, self.tr("Ties at a glance"), 5)
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
        layout.addWidget(split, 1)

        controller.changed.connect(self._changed)
        controller.document_changed.connect(self.analysis.request)
        controller.busy_changed.connect(lambda _busy: self._update_buttons())
        self._update_buttons()
        if controller.has_document:
            self.analysis.request()

    def _monthly_plot(self, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(title=title)
        plot.setBackground(None)
        plot.showGrid(x=False, y=True, alpha=0.2)
        plot.setMinimumHeight(110)
        return plot

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
                _tr(label),
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
        self.table.resizeColumnsToContents()

    def selected_measure(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _plot_trend(self) -> None:
        self.trend_plot.clear()
        key = self.selected_measure()
        if key is None or self.health is None:
            return
        points = [
            (s.taken_on, float(s.scorecard[key])) for s in self.snapshots if key in s.scorecard
        ]
        now = self.health.scorecard.get(key)
        if now is not None:
            points.append((self.health.today, float(now)))
        xs = [datetime(d.year, d.month, d.day).timestamp() for d, _ in points]
        ys = [v for _, v in points]
        self.trend_plot.setTitle(_tr(SCORECARD_LABELS[key]))
        self.trend_plot.plot(xs, ys, pen=pg.mkPen("#0072B2", width=2), symbol="o")
        self.trend_hint.setVisible(len(points) < 2)
        if len(points) < 2:
            self.trend_hint.setText(
                self.tr("Take snapshots over time to see how this measure moves.")
            )

    def _plot_monthly(self) -> None:
        months = [m["month"] for m in self.monthly]
        last = len(months) - 1
        ticks = [[(i, m) for i, m in enumerate(months) if (last - i) % 3 == 0]]
        xs = list(range(len(months)))
        for plot in self.monthly_plots.values():
            plot.clear()
            plot.getAxis("bottom").setTicks(ticks)
        members = self.monthly_plots["members"]
        members.addLegend(offset=(5, 5))
        members.plot(
            xs,
            [m["members"] for m in self.monthly],
            pen=pg.mkPen("#0072B2", width=2),
            name=self.tr("members"),
        )
        members.plot(
            xs,
            [m["ties"] for m in self.monthly],
            pen=pg.mkPen("#E69F00", width=2),
            name=self.tr("relationships"),
        )
        bars = pg.BarGraphItem(
            x=xs, height=[m["meetings"] for m in self.monthly], width=0.7, brush="#009E73"
        )
        self.monthly_plots["meetings"].addItem(bars)
        share = self.monthly_plots["in_person_share"]
        share.plot(
            xs,
            [100 * m["in_person_share"] for m in self.monthly],
            pen=pg.mkPen("#CC79A7", width=2),
            symbol="o",
            symbolSize=5,
        )
        share.setYRange(0, 100)
        share.setLabel("left", "%")

    # ---- actions ---------------------------------------------------------------------------

    def _select_members(self) -> None:
        ids = _selected_ids(self.member_view)
        if ids:
            self.controller.select(ids)

    def _select_ties(self) -> None:
        ids = _selected_ids(self.tie_view)
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
        now = take_snapshot(self.data, _tr("now"), health=self.health)
        CompareDialog([*self.snapshots, now], self).exec()


def _selected_ids(view: QTableView) -> list[str]:
    rows = {i.row() for i in view.selectionModel().selectedIndexes()}
    return [view.model().index(r, 0).data(Qt.ItemDataRole.UserRole) for r in sorted(rows)]


SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MEMBER_HEADERS = (
    "Member",
    "Ties",
    "Position",
    "Community",
    "Brokerage",
    "Last in person",
    "Meetings (90 days)",
)
TIE_HEADERS = (
    "Relationship",
    "Strength",
    "Met in person",
    "Trust-building",
    "Last in person",
    "Days since",
    "Trust",
    "Value",
)


def member_rows(data: NetworkData, health: Health) -> list[tuple[str, tuple[Any, ...]]]:
    return [
        (
            m,
            (
                data.members[m].name,
                f.ties,
                _tr(f.position),
                f.community,
                round(f.brokerage, 4),
                f.last_in_person.isoformat() if f.last_in_person else "",
                f.meetings_recent,
            ),
        )
        for m, f in health.members.items()
    ]


def tie_rows(data: NetworkData, health: Health) -> list[tuple[str, tuple[Any, ...]]]:
    """Active ties with what the meeting log and the latest rating say about them."""
    out = []
    for r in data.active_relationships():
        f = health.ties.get(r.id)
        if f is None:
            continue
        pair = f"{data.members[r.source_id].name} — {data.members[r.target_id].name}"
        out.append(
            (
                r.id,
                (
                    pair,
                    r.strength,
                    f.meetings_in_person,
                    f.trust_building_events,
                    f.last_in_person.isoformat() if f.last_in_person else "",
                    f.days_since,
                    None if f.trust is None else round(f.trust, 1),
                    None if f.value is None else round(f.value, 1),
                ),
            )
        )
    return out


class FactsModel(QAbstractTableModel):
    """A read-only table of (id, values) rows; text left, numbers right, blanks sort first."""

    def __init__(self, headers: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self._rows: list[tuple[str, tuple[Any, ...]]] = []

    def set_rows(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.headers[section])
        return None

    def data(self, index: QModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        key, values = self._rows[index.row()]
        value = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            if value is None or value == "":
                return -1
            return value.casefold() if isinstance(value, str) else value
        if role == Qt.ItemDataRole.UserRole:
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _facts_view(model: FactsModel, name: str, sort_column: int) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAccessibleName(name)
    _compact_rows(view)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(50)  # size columns from a sample, not 15,000 rows
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, view.fontMetrics().averageCharWidth() * 34)
    header.setStretchLastSection(True)
    return view


def _compact_rows(view: QTableView) -> None:
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 6)


class CompareDialog(QDialog):
    """Pick two snapshots; see what changed between them."""

    def __init__(self, snapshots: list[Snapshot], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare snapshots"))
        self.snapshots = snapshots
        self.earlier = QComboBox()
        self.later = QComboBox()
        for s in snapshots:
            self.earlier.addItem(s.title, s.id)
            self.later.addItem(s.title, s.id)
        self.earlier.setCurrentIndex(max(0, len(snapshots) - 2))
        self.later.setCurrentIndex(len(snapshots) - 1)
        form = QFormLayout()
        form.addRow(self.tr("Earlier:"), self.earlier)
        form.addRow(self.tr("Later:"), self.later)
        self.result_tree = QTreeWidget()
        self.result_tree.setHeaderLabels(
            [self.tr("What changed"), self.tr("Earlier"), self.tr("Later")]
        )
        self.result_tree.setAccessibleName(self.tr("Changes between snapshots"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_tree, 1)
        layout.addWidget(buttons)
        self.earlier.currentIndexChanged.connect(self.update_result)
        self.later.currentIndexChanged.connect(self.update_result)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 32)
        self.update_result()

    def _snapshot(self, combo: QComboBox) -> Snapshot:
        return next(s for s in self.snapshots if s.id == combo.currentData())

    def update_result(self) -> None:
        diff = compare(self._snapshot(self.earlier), self._snapshot(self.later))
        tree = self.result_tree
        tree.clear()
        measures = QTreeWidgetItem([self.tr("Measures")])
        values = {key: (a, b) for key, a, b in diff.measures}
        for key in SCORECARD_LABELS:  # the scorecard's own order
            if key not in values:
                continue
            a, b = values[key]
            QTreeWidgetItem(
                measures, [_tr(SCORECARD_LABELS[key]), format_value(key, a), format_value(key, b)]
            )
        tree.addTopLevelItem(measures)
        measures.setExpanded(True)
        for title, names in (
            (self.tr("New members"), diff.new_members),
            (self.tr("Members gone"), diff.members_gone),
            (self.tr("New ties"), [f"{a} — {b}" for a, b in diff.new_ties]),
            (self.tr("Lost ties"), [f"{a} — {b}" for a, b in diff.lost_ties]),
            (self.tr("Gone quiet (no in-person contact lately)"), diff.gone_quiet),
        ):
            top = QTreeWidgetItem([f"{title} ({len(names)})"])
            for n in names:
                QTreeWidgetItem(top, [n])
            tree.addTopLevelItem(top)
            top.setExpanded(0 < len(names) <= 30)
        tree.resizeColumnToContents(0)
        self.diff = diff
