"""What the three table panels share: a search box, a toolbar, the table, a column chooser,
in-place editing and the link to the controller's one shared selection."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import dialogs
from ..controller import Controller
from ..delegates import EntityDelegate
from ..models.base import EntityTableModel, runs
from ..models.filter import SearchProxy
from ..textmatch import plural
from ..theme import icon


class TablePanel(QWidget):
    """Subclasses create their model, add their toolbar buttons and say how selection,
    opening and deleting work for their rows."""

    def __init__(
        self, controller: Controller, model: EntityTableModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = model
        self.proxy = SearchProxy(model, self)
        self._syncing = False
        self._buttons: list[tuple[QToolButton, bool]] = []
        # Column widths fitted to real rows once (or restored from the user's last session);
        # after that a new document keeps the widths the user has.
        self._widths_set = False

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search"))
        self.search.textChanged.connect(self._search_changed)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        column, order = model.sort_state() or (0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Compact rows that still fit the font (high-DPI and large-font safe).
        row_height = self.fontMetrics().height() + self.fontMetrics().height() // 2
        self.table.verticalHeader().setMinimumSectionSize(self.fontMetrics().height())
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
        self.table.setItemDelegate(EntityDelegate(self._tags, self.table))
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.installEventFilter(self)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self.columns_menu().exec(header.mapToGlobal(pos))
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.edit_failed.connect(self._edit_failed)
        model.modelReset.connect(self._after_reset)
        model.rowsInserted.connect(lambda *_: self._update_count())
        model.rowsRemoved.connect(lambda *_: self._update_count())

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Row count"))
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setToolTip(self.tr("Choose which columns to show"))
        self.columns_button.setAccessibleName(self.tr("Choose columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setMenu(QMenu(self.columns_button))
        self.columns_button.menu().aboutToShow.connect(self._fill_columns_menu)

        # The search box gets a line of its own (docks are often narrow); the tools go below.
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.search)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        layout.addLayout(footer)

        controller.selection_changed.connect(self._controller_selection)
        controller.busy_changed.connect(lambda _: self._update_actions())
        controller.document_changed.connect(self._update_actions)
        self._apply_default_columns()
        self._update_count()
        QTimer.singleShot(0, self, self._prepare_search)

    def _prepare_search(self, start: int = 0) -> None:
        # In slices, between events, so a big table never holds up the window.
        done = self.model.prepare_search(start, 500)
        if done < self.model.rowCount():
            QTimer.singleShot(0, self, lambda: self._prepare_search(done))

    # ---- for subclasses ------------------------------------------------------------------

    def add_button(
        self, name: str, text: str, tooltip: str, slot: object, needs_selection: bool = False
    ) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAccessibleName(text)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        self.toolbar.addWidget(button)
        self._buttons.append((button, needs_selection))
        return button

    def finish_toolbar(self) -> None:
        self.toolbar.addStretch(1)
        self.toolbar.addWidget(self.columns_button)
        self._update_actions()

    def selection_ids(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> tuple:
        """Which of the controller's selected ids are rows of this table."""
        return ()

    def publish_selection(self, ids: list[str]) -> None:
        """Tell the controller (or whoever listens) that these rows were selected."""

    def open_row(self, entity_id: str) -> None:
        """Double-click / Enter on a row."""

    def delete_rows(self, ids: list[str]) -> None:
        """The Delete key on selected rows."""

    # ---- public --------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.id_at(r) for r in rows]

    def header_state(self) -> QByteArray:
        """Column order, widths, visibility and sort, for the shell to keep in QSettings."""
        return self.table.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray | bytes | None) -> bool:
        """Put back what :meth:`header_state` saved; False (nothing changed) if it does not fit
        (empty, damaged, or saved when the table had other columns)."""
        if state is None:
            return False
        state = QByteArray(state)
        if state.isEmpty():
            return False
        header = self.table.horizontalHeader()
        if not header.restoreState(state) or header.count() != self.model.columnCount():
            return False
        self._widths_set = True
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if 0 <= column < self.model.columnCount() and self.model.sort_state() != (column, order):
            self.proxy.sort(column, order)  # the restored sort, applied by the source
        self._searched_columns_changed()
        return True

    def set_column_visible(self, key: str, visible: bool) -> None:
        self.table.setColumnHidden(self.model.column_index(key), not visible)
        self._searched_columns_changed()

    def visible_column_keys(self) -> list[str]:
        return [c.key for i, c in enumerate(self.model.columns) if not self.table.isColumnHidden(i)]

    def columns_menu(self) -> QMenu:
        menu = QMenu(self)
        self._fill(menu)
        return menu

    # ---- columns -------------------------------------------------------------------------

    def _fill_columns_menu(self) -> None:
        self._fill(self.columns_button.menu())

    def _fill(self, menu: QMenu) -> None:
        menu.clear()
        for i, col in enumerate(self.model.columns):
            action = QAction(col.title, menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.toggled.connect(lambda on, key=col.key: self.set_column_visible(key, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction(self.tr("Show default columns"))
        reset.triggered.connect(self._apply_default_columns)

    def _apply_default_columns(self) -> None:
        for i, col in enumerate(self.model.columns):
            self.table.setColumnHidden(i, not col.visible)
        self._fit_columns()
        self._searched_columns_changed()

    def _fit_columns(self) -> None:
        # Size to a sample of rows: resizeColumnsToContents on 5,000 rows would be slow.
        em = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        sample = min(self.proxy.rowCount(), 50)
        for c in range(self.model.columnCount()):
            widths = [self.fontMetrics().horizontalAdvance(str(self.model.columns[c].title))]
            for r in range(sample):
                text = self.proxy.index(r, c).data() or ""
                widths.append(self.fontMetrics().horizontalAdvance(str(text)))
            header.resizeSection(c, min(max(widths) + 3 * em, 40 * em))

    def _searched_columns_changed(self) -> None:
        visible = [i for i in range(self.model.columnCount()) if not self.table.isColumnHidden(i)]
        self.model.set_search_columns(visible)
        self.proxy.refilter()
        self._update_count()

    def _after_reset(self) -> None:
        # A new document may bring other custom-field columns; keep the user's choices for
        # the fixed ones and hide new optional ones.
        for i, col in enumerate(self.model.columns):
            if col.key.startswith("custom:"):
                self.table.setColumnHidden(i, not col.visible)
        if not self._widths_set and self.proxy.rowCount():
            self._fit_columns()
            self._widths_set = True
        self._searched_columns_changed()
        QTimer.singleShot(0, self, self._prepare_search)

    # ---- selection -----------------------------------------------------------------------

    def _selection_changed(self) -> None:
        if self._syncing:
            return
        self.publish_selection(self.selected_ids())
        self._update_actions()

    def _controller_selection(
        self, members: tuple[str, ...], relationships: tuple[str, ...]
    ) -> None:
        self.select_ids(self.selection_ids(members, relationships))

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select these rows (quietly: no echo back to the controller) and show the first."""
        wanted = list(ids)
        if set(wanted) == set(self.selected_ids()):
            return
        rows = []
        for rid in wanted:
            row = self.model.row_of(rid)
            if row is None:
                continue
            proxy_row = self.proxy.mapFromSource(self.model.index(row, 0)).row()
            if proxy_row >= 0:  # else filtered out by the search box
                rows.append(proxy_row)
        # One range per run of adjacent rows: a lasso of thousands stays cheap.
        selection = QItemSelection()
        last = self.proxy.columnCount() - 1
        for start, end in runs(sorted(rows)):
            selection.select(self.proxy.index(start, 0), self.proxy.index(end, last))
        first = self.model.row_of(wanted[0]) if wanted else None
        first_index = (
            self.proxy.mapFromSource(self.model.index(first, 0)) if first is not None else None
        )
        if first_index is not None and not first_index.isValid():
            first_index = None
        self._syncing = True
        try:
            self.table.selectionModel().select(
                selection,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            if first_index is not None:
                self.table.selectionModel().setCurrentIndex(
                    first_index, QItemSelectionModel.SelectionFlag.NoUpdate
                )
                self.table.scrollTo(first_index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False
        self._update_actions()

    # ---- keys, clicks, messages ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            assert isinstance(event, QKeyEvent)
            is_delete = event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
                Qt.Key.Key_Delete,
                Qt.Key.Key_Backspace,
            )
            editing = self.table.state() == QAbstractItemView.State.EditingState
            if is_delete and not editing:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # ours, not the window's Delete action
                    return True
                self._delete_selected()
                return True
            if (
                event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not editing
            ):
                ids = self.selected_ids()
                if ids:
                    self.open_row(ids[0])
                    return True
        return super().eventFilter(watched, event)

    def _search_changed(self, text: str) -> None:
        # Rows hidden by the search leave the view's selection; that is not the user
        # deselecting them, so the shared selection stays as it is.
        self._syncing = True
        try:
            self.proxy.set_query(text)
        finally:
            self._syncing = False
        # Rows of the shared selection that the search shows again are selected again.
        self._controller_selection(
            self.controller.selected_members, self.controller.selected_relationships
        )
        self._update_count()

    def _delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.controller.editable:
            self.delete_rows(ids)

    def _double_clicked(self, index: object) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_row(ids[0])

    def _edit_failed(self, message: str) -> None:
        # Shown once the editor has closed: a modal box inside the delegate's commit would
        # re-enter the view while it is still finishing the edit.
        QTimer.singleShot(0, self, lambda: dialogs.warn(self, self.tr("Not changed"), message))

    def _tags(self) -> list[str]:
        return []

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(plural(self.tr("%n row(s)", "", total), total))
        else:
            self.count_label.setText(
                self.tr("{shown} of {total} shown").format(shown=shown, total=total)
            )

    def _update_actions(self) -> None:
        editable = self.controller.has_document and self.controller.editable
        selected = bool(self.table.selectionModel().hasSelection())
        for button, needs_selection in self._buttons:
            button.setEnabled(editable and (selected or not needs_selection))
