"""The Health panel's tables: members and ties at a glance, and how measures are shown.

Also home of :func:`format_value`, which the scorecard and the snapshot comparison share.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ...core.health import Health
from ...core.metrics import NetworkData

SHARES = frozenset({"in_person_share_90d", "reciprocity"})


def health_tr(text: str) -> str:
    """Translate in the Health panel's context, for the helpers that are no QObject."""
    return QCoreApplication.translate("HealthPanel", text)


def format_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in SHARES:
        return f"{float(value):.0%}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".") if key == "density" else f"{value:.3g}"
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


def selected_ids(view: QTableView) -> list[str]:
    """The member or tie ids of the selected rows of a facts table, in row order."""
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
                health_tr(f.position),
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
            return health_tr(self.headers[section])
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


def facts_view(model: FactsModel, name: str, sort_column: int) -> QTableView:
    """A sortable, read-only table over a facts model, sorted on `sort_column` descending."""
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
