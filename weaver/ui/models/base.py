"""A table model over core entities that refreshes from ``Changes`` records.

Subclasses say how to load rows and which columns they have; this base keeps the row order,
caches each row's display texts and folded search text, sorts itself (so sorting costs one
Python ``sorted`` instead of thousands of ``lessThan`` calls) and turns a ``Changes`` record into
the exact ``beginRemoveRows``/``beginInsertRows``/``dataChanged`` signals Qt views need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ...core.changes import Changes
from ...core.commands import Command
from ...core.errors import DocumentError
from ...core.model import ValidationError
from ...core.text import fold
from ..controller import Controller

Index = QModelIndex | QPersistentModelIndex

#: The entity id of a row (any column).
IdRole = Qt.ItemDataRole.UserRole + 1
#: The typed value of a cell (date, int, tuple…), for editors and tests.
ValueRole = Qt.ItemDataRole.UserRole + 2
#: What editor a cell wants: an :class:`Editor` or None.
EditorRole = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class Editor:
    """How a cell is edited: ``kind`` is text, choice, combo (editable choice), int, date,
    tags or check; ``choices`` are (label, value) pairs for choice/combo."""

    kind: str
    choices: tuple[tuple[str, Any], ...] = ()
    minimum: int = 0
    maximum: int = 0
    #: Choices worked out when the editor opens (kinds in use), instead of ``choices``.
    dynamic: Callable[[], tuple[tuple[str, Any], ...]] | None = None

    def options(self) -> tuple[tuple[str, Any], ...]:
        return self.dynamic() if self.dynamic is not None else self.choices


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any], str] = field(default=lambda v: _plain_text(v))
    editor: Editor | None = None
    #: Turn an edited value into a core command for the row's entity (None = read-only).
    update: Callable[[Any, Any], Command] | None = None
    numeric: bool = False
    visible: bool = True
    tooltip: str = ""


def _plain_text(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def sort_key(value: Any) -> tuple[int, Any]:
    """Empty values sort after all others; text ignores case and accents."""
    if value is None or value == "" or value == ():
        return (1, 0)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, date):
        return (0, value.toordinal())
    if isinstance(value, tuple | list):
        return (0, fold(", ".join(str(v) for v in value)))
    return (0, fold(str(value)))


class EntityTableModel(QAbstractTableModel):
    #: An in-place edit was refused; the message says why (nothing was changed).
    edit_failed = Signal(str)

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._columns: list[Column] = self.make_columns()
        self._ids: list[str] = []
        self._rows: dict[str, Any] = {}
        self._cells: dict[str, tuple[str, ...]] = {}
        self._search: dict[str, str] = {}
        self._row_of: dict[str, int] = {}
        self._search_columns: list[int] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = self.default_sort()
        # Sort key of each row for the current sort column, kept so that after an edit only
        # the edited rows' keys are worked out again.
        self._sort_keys: dict[str, tuple[int, Any]] = {}
        controller.changed.connect(self.apply_changes)
        self.reload()

    # ---- what subclasses provide ---------------------------------------------------------

    def make_columns(self) -> list[Column]:
        raise NotImplementedError

    def load_all(self) -> dict[str, Any]:
        """Every row object by id, read from the open workbook (also refresh caches)."""
        raise NotImplementedError

    def load(self, ids: Iterable[str]) -> dict[str, Any]:
        """Row objects for ``ids`` that still exist."""
        raise NotImplementedError

    def affected(self, changes: Changes) -> tuple[set[str], set[str], set[str]]:
        """(added, updated, removed) row ids for a change, derived columns included."""
        raise NotImplementedError

    def default_sort(self) -> tuple[int, Qt.SortOrder] | None:
        return None

    def entity(self, row_object: Any) -> Any:
        return row_object

    def describe(self, row_object: Any) -> str:
        """How undo labels name a row ("'Ana Ruiz'")."""
        return ""

    # ---- reading -------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self._columns) if c.key == key)

    def row_count(self) -> int:
        return len(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, entity_id: str) -> int | None:
        return self._row_of.get(entity_id)

    def row_object(self, entity_id: str) -> Any:
        return self._rows.get(entity_id)

    def ids(self) -> list[str]:
        return list(self._ids)

    def search_text(self, row: int) -> str:
        rid = self._ids[row]
        text = self._search.get(rid)
        if text is None:  # folded on first search, then kept until the row changes
            text = self._search[rid] = self._search_of(self.cells(rid))
        return text

    def search_texts(self) -> list[str]:
        """Every row's folded search text, in row order (what a refilter scans)."""
        cache = self._search
        texts = [cache.get(rid) for rid in self._ids]
        for row, text in enumerate(texts):
            if text is None:
                texts[row] = self.search_text(row)
        return texts  # type: ignore[return-value]

    def prepare_search(self, start: int = 0, count: int | None = None) -> int:
        """Fold rows ``start`` .. ``start + count`` now (e.g. when idle), so the first
        keystroke is as fast as the rest. Returns where to continue (the row count when
        done)."""
        end = len(self._ids) if count is None else min(len(self._ids), start + count)
        for row in range(start, end):
            self.search_text(row)
        return end

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.title
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= column < len(self._columns)):
            return None
        rid = self._ids[row]
        col = self._columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if col.editor is not None and col.editor.kind == "check":
                return None
            return self.cells(rid)[column]
        if role == Qt.ItemDataRole.EditRole:
            return self.cells(rid)[column]
        if role == Qt.ItemDataRole.CheckStateRole and col.editor and col.editor.kind == "check":
            on = bool(col.value(self._rows[rid]))
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cells(rid)[column]
            return text if len(text) > 40 else None
        if role == IdRole:
            return rid
        if role == ValueRole:
            return col.value(self._rows[rid])
        if role == EditorRole:
            return col.editor
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = self._columns[index.column()]
        if col.update is not None and self.controller.editable:
            if col.editor is not None and col.editor.kind == "check":
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            else:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ---- editing -------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return False
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        return self.edit(self._ids[index.row()], col.key, value)

    def edit(self, entity_id: str, column_key: str, value: Any) -> bool:
        """Push the command that sets one cell; on refusal emit ``edit_failed`` and change
        nothing."""
        col = self._columns[self.column_index(column_key)]
        row_object = self._rows.get(entity_id)
        if col.update is None or row_object is None:
            return False
        try:
            if isinstance(value, str):
                value = value.strip()
            if value == col.value(row_object):
                return True
            command = col.update(self.entity(row_object), value)
            # Edit ▸ Undo then says exactly what it undoes.
            command.label = self.tr("Change {column} of {what}").format(
                column=col.title, what=self.describe(row_object)
            )
            self.controller.push(command)
        except (ValidationError, DocumentError, ValueError) as exc:
            self.edit_failed.emit(
                self.tr("Could not change {column}: {reason}").format(column=col.title, reason=exc)
            )
            return False
        return True

    # ---- searching -----------------------------------------------------------------------

    def set_search_columns(self, columns: Iterable[int] | None) -> None:
        """Search only these columns (the visible ones); None searches all."""
        wanted = sorted(columns) if columns is not None else None
        if wanted != self._search_columns:
            self._search_columns = wanted
            self._search = {}

    def _search_of(self, cells: tuple[str, ...]) -> str:
        wanted = self._search_columns
        parts = cells if wanted is None else (cells[i] for i in wanted if i < len(cells))
        return "\n".join(fold(p) for p in parts if p)

    def _cache(self, rid: str, row_object: Any) -> None:
        # Display texts are worked out when first shown or searched, not for every row up
        # front: opening a 15,000-row table then costs only the load.
        self._rows[rid] = row_object
        self._cells.pop(rid, None)
        self._search.pop(rid, None)
        self._sort_keys.pop(rid, None)

    def cells(self, rid: str) -> tuple[str, ...]:
        cells = self._cells.get(rid)
        if cells is None:
            row_object = self._rows[rid]
            cells = self._cells[rid] = tuple(
                col.text(col.value(row_object)) for col in self._columns
            )
        return cells

    # ---- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            self._sort = None
            return
        self._sort = (column, Qt.SortOrder(order))
        self._sort_keys = {}
        self._resort()

    def sort_state(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def _ordered(self, ids: list[str]) -> list[str]:
        if self._sort is None:
            return ids
        column, order = self._sort
        value = self._columns[column].value
        rows, keys = self._rows, self._sort_keys
        for rid in ids:
            if rid not in keys:
                keys[rid] = sort_key(value(rows[rid]))
        # Stable: ties keep their previous order, so repeated sorts do not shuffle rows; and
        # nearly sorted input (after an edit) sorts in about linear time.
        return sorted(ids, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _resort(self) -> None:
        new_ids = self._ordered(self._ids)
        if new_ids == self._ids:
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = new_ids
        self._row_of = {rid: i for i, rid in enumerate(new_ids)}
        moved_from = self.persistentIndexList()
        moved_to = [
            self.index(self._row_of[old_ids[index.row()]], index.column())
            if 0 <= index.row() < len(old_ids)
            else QModelIndex()
            for index in moved_from
        ]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    # ---- refreshing ----------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        try:
            self._rows, self._cells, self._search, self._sort_keys = {}, {}, {}, {}
            self._ids = []
            loaded = self.load_all() if self.controller.has_document else {}
            self._columns = self.make_columns()
            for rid, obj in loaded.items():
                self._cache(rid, obj)
            self._ids = self._ordered(list(loaded))
        finally:
            # Even if reading failed, views must leave the reset state (showing no rows).
            self._row_of = {rid: i for i, rid in enumerate(self._ids)}
            self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        if changes.reset or not self.controller.has_document:
            self.reload()
            return
        added, updated, removed = self.affected(changes)
        if not (added or updated or removed):
            return
        self._remove(removed)
        fresh = self.load((added | updated) - removed)
        for rid in (added | updated) - removed - set(fresh):
            self._remove({rid})  # it is gone after all
        new = [rid for rid in fresh if rid not in self._row_of]
        old_keys = {rid: self._sort_keys.get(rid) for rid in fresh}
        for rid, obj in fresh.items():
            self._cache(rid, obj)
        self.columns_may_have_changed(fresh.values())
        resort = False
        if new and self._sort is not None and len(new) <= 20:
            # A few new rows go straight to their sorted place: re-sorting would make every
            # view and proxy remap all rows.
            for rid in new:
                self._insert_sorted(rid)
        elif new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._ids.extend(new)
            for i, rid in enumerate(new, first):
                self._row_of[rid] = i
            self.endInsertRows()
            resort = self._sort is not None
        changed_rows = sorted(self._row_of[rid] for rid in fresh if rid not in new)
        last_col = len(self._columns) - 1
        for start, end in runs(changed_rows):
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_col))
        updated_keys = {rid: k for rid, k in old_keys.items() if rid not in new}
        if resort or (
            self._sort is not None
            and self._keys_changed(updated_keys)
            and not self._all_in_place(updated_keys)
        ):
            self._resort()

    def _key(self, rid: str) -> tuple[int, Any]:
        key = self._sort_keys.get(rid)
        if key is None:
            assert self._sort is not None
            value = self._columns[self._sort[0]].value
            key = self._sort_keys[rid] = sort_key(value(self._rows[rid]))
        return key

    def _insert_sorted(self, rid: str) -> None:
        assert self._sort is not None
        descending = self._sort[1] == Qt.SortOrder.DescendingOrder
        key = self._key(rid)
        lo, hi = 0, len(self._ids)
        while lo < hi:  # after any equal keys, as a stable sort would place it
            mid = (lo + hi) // 2
            other = self._key(self._ids[mid])
            if (other < key) if descending else (other > key):
                hi = mid
            else:
                lo = mid + 1
        self.beginInsertRows(QModelIndex(), lo, lo)
        self._ids.insert(lo, rid)
        for i in range(lo, len(self._ids)):
            self._row_of[self._ids[i]] = i
        self.endInsertRows()

    def _keys_changed(self, old_keys: dict[str, Any]) -> bool:
        """Did an edit change any sort key (else the order stands and no re-sort is needed)?"""
        assert self._sort is not None
        value = self._columns[self._sort[0]].value
        for rid, old in old_keys.items():
            key = self._sort_keys[rid] = sort_key(value(self._rows[rid]))
            if key != old:
                return True
        return False

    def _all_in_place(self, ids: Iterable[str]) -> bool:
        """Do these rows still sit between their neighbours' sort keys (an edit that did not
        move them: no re-sort, so views and proxies need not remap every row)?"""
        assert self._sort is not None
        descending = self._sort[1] == Qt.SortOrder.DescendingOrder
        last = len(self._ids) - 1
        for rid in ids:
            row = self._row_of.get(rid)
            if row is None:
                return False
            key = self._key(rid)
            before = self._key(self._ids[row - 1]) if row > 0 else None
            after = self._key(self._ids[row + 1]) if row < last else None
            if descending:
                before, after = after, before
            if (before is not None and before > key) or (after is not None and key > after):
                return False
        return True

    def columns_may_have_changed(self, fresh: Iterable[Any] = ()) -> None:
        """Hook for models with data-driven columns (custom fields); ``fresh`` are the row
        objects just added or updated (only they can bring a new column)."""

    def _remove(self, ids: Iterable[str]) -> None:
        rows = sorted((self._row_of[rid] for rid in ids if rid in self._row_of), reverse=True)
        for end, start in _runs_desc(rows):
            self.beginRemoveRows(QModelIndex(), start, end)
            for rid in self._ids[start : end + 1]:
                for cache in (self._rows, self._cells, self._search, self._sort_keys):
                    cache.pop(rid, None)
            del self._ids[start : end + 1]
            self.endRemoveRows()
        if rows:
            self._row_of = {rid: i for i, rid in enumerate(self._ids)}


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """[1,2,3,7,8] -> [(1,3),(7,8)]"""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _runs_desc(rows: list[int]) -> list[tuple[int, int]]:
    """Descending rows -> (end, start) runs, highest first, so earlier removals keep later
    row numbers valid."""
    return [(e, s) for s, e in reversed(runs(sorted(rows)))]
