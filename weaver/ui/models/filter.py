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
        # While a refilter runs: each source row's verdict, worked out in one tight loop
        # (filterAcceptsRow then only looks it up). None otherwise.
        self._verdicts: bytearray | None = None
        self._source = source
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
        narrower = bool(self._words) and _narrows(words, self._words)
        self._refilter(words, self._keep, narrower)

    def set_row_filter(self, keep: Callable[[str], bool] | None) -> None:
        """Also keep only rows whose id passes ``keep`` (e.g. people only); None keeps all."""
        self._refilter(self._words, keep, False)

    def refilter(self) -> None:
        """Run the filter again (after the searched columns changed)."""
        self._refilter(self._words, self._keep, False)

    def _refilter(
        self, words: tuple[str, ...], keep: Callable[[str], bool] | None, narrower: bool
    ) -> None:
        source = self._source
        n = source.rowCount()
        if narrower and self.rowCount() * 4 < n:
            # More typed: only the (few) rows shown now can still match.
            verdicts = bytearray(n)
            text_of, id_at = source.search_text, source.id_at
            for r in range(self.rowCount()):
                row = self.mapToSource(self.index(r, 0)).row()
                if matches(text_of(row), words) and (keep is None or keep(id_at(row))):
                    verdicts[row] = 1
        else:
            if not words:
                verdicts = bytearray(b"\x01") * n
            elif len(words) == 1:
                word = words[0]
                verdicts = bytearray(word in t for t in source.search_texts())
            else:
                verdicts = bytearray(matches(t, words) for t in source.search_texts())
            if keep is not None:
                ids = source.ids()
                for row in range(n):
                    if verdicts[row] and not keep(ids[row]):
                        verdicts[row] = 0
        self.beginFilterChange()
        self._words, self._keep = words, keep
        self._verdicts = verdicts
        try:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        finally:
            self._verdicts = None

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        verdicts = self._verdicts
        if verdicts is not None and source_row < len(verdicts):
            return bool(verdicts[source_row])
        if self._keep is not None and not self._keep(self._source.id_at(source_row)):
            return False
        if not self._words:
            return True
        return matches(self._source.search_text(source_row), self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source reorders itself; this proxy keeps the source order (sortColumn stays -1).
        self.source.sort(column, order)

    def id_at(self, proxy_row: int) -> str:
        return self.source.id_at(self.mapToSource(self.index(proxy_row, 0)).row())


def _narrows(words: tuple[str, ...], before: tuple[str, ...]) -> bool:
    """Does every row matching ``words`` also match ``before`` (each earlier word is inside
    one of the new ones, e.g. "mar" -> "mari", or "mar" -> "mar jo")?"""
    return all(any(old in new for new in words) for old in before)
