"""The proxy between a table model and its view: filters by the search box, sorts via the
source (which sorts itself in one pass)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ..textmatch import matches, needles
from .base import EntityTableModel


class SearchProxy(QSortFilterProxyModel):
    def __init__(self, source: EntityTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._keep: Callable[[str], bool] | None = None
        self.setSourceModel(source)

    @property
    def source(self) -> EntityTableModel:
        model = self.sourceModel()
        assert isinstance(model, EntityTableModel)
        return model

    @property
    def query(self) -> str:
        return " ".join(self._words)

    def set_query(self, text: str) -> None:
        words = needles(text)
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_row_filter(self, keep: Callable[[str], bool] | None) -> None:
        """Also keep only rows whose id passes ``keep`` (e.g. people only); None keeps all."""
        self.beginFilterChange()
        self._keep = keep
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Run the filter again (after the searched columns changed)."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._keep is not None and not self._keep(self.source.id_at(source_row)):
            return False
        if not self._words:
            return True
        return matches(self.source.search_text(source_row), self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source reorders itself; this proxy keeps the source order (sortColumn stays -1).
        self.source.sort(column, order)

    def id_at(self, proxy_row: int) -> str:
        return self.source.id_at(self.mapToSource(self.index(proxy_row, 0)).row())
