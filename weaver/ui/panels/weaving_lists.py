"""The Weaving panel's lists: tree widgets that fit a narrow dock, and writing a list (with the
member list of everyone it names) to a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QToolButton, QTreeWidget, QTreeWidgetItem

from ...core.store import Workbook

IDS = Qt.ItemDataRole.UserRole


def _empty(tree: QTreeWidget, text: str) -> None:
    """A greyed line saying why the list is empty (not selectable, not exported)."""
    item = QTreeWidgetItem([text])
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    tree.addTopLevelItem(item)
    tree.setFirstColumnSpanned(0, tree.rootIndex(), True)


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setAccessibleName(name)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    tree.setUniformRowHeights(True)
    return tree


def _button(text: str) -> QToolButton:
    """A compact text button: four of them must fit a narrow dock side by side."""
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _fit_first_column(tree: QTreeWidget) -> None:
    """Names fit, but never push the reasons out of a narrow dock."""
    for column in range(tree.columnCount() - 1):  # the last column stretches
        tree.resizeColumnToContents(column)
    room = tree.viewport().width()
    if room > 0:
        tree.setColumnWidth(0, min(tree.columnWidth(0), int(room * 0.55)))


def write_list_xlsx(wb: Workbook, tree: QTreeWidget, title: str, dest: Path) -> None:
    """Sheet 1: the list's rows as shown; sheet 2: the member list (private fields left out)
    of every member the list names."""
    from ...core.io import member_list
    from ...core.io.xlsx_out import NUMBER, TEXT, Column, SheetSpec, write_xlsx

    header = [tree.headerItem().text(c) for c in range(tree.columnCount())]
    rows: list[list[Any]] = []
    ids: list[str] = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            continue
        rows.append([item.text(c) for c in range(len(header))])
        ids += item.data(0, IDS) or []
    # Numbers shown as text in the list (score, days) go to the sheet as numbers.
    kinds = []
    for c in range(len(header)):
        values = [r[c] for r in rows if r[c] != ""]
        numeric = bool(values) and all(_is_number(v) for v in values)
        kinds.append(NUMBER if numeric else TEXT)
        if numeric:
            for r in rows:
                r[c] = float(r[c]) if r[c] != "" else None
    columns, member_rows = member_list.table(wb)
    wanted = set(ids)
    member_rows = [r for r in member_rows if r[-1] in wanted]  # last column: the Weaver ID
    write_xlsx(
        dest,
        [
            SheetSpec(title[:31], [Column(h, k) for h, k in zip(header, kinds, strict=True)], rows),
            SheetSpec("Members", columns, member_rows),
        ],
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
