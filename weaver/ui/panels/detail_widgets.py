"""Small pieces the details pages share: headings, lists sized to their rows, a notes box that
commits when it loses focus, and labels that mark private fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..models.base import IdRole


def heading(text: str, parent: QWidget, scale: float = 1.3) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def section_title(text: str, parent: QWidget) -> QLabel:
    label = heading(text, parent, 1.0)
    label.setContentsMargins(0, label.fontMetrics().height() // 2, 0, 0)
    return label


def field_label(text: str, private: bool, parent: QWidget) -> QLabel:
    """A form label; private fields say so (hidden in presentation mode and shared maps)."""
    if private:
        text = QCoreApplication.translate("details", "{field} (private)").format(field=text)
    label = QLabel(text, parent)
    if private:
        font = QFont(label.font())
        font.setItalic(True)
        label.setFont(font)
        label.setToolTip(
            QCoreApplication.translate(
                "details",
                "Private: hidden in presentation mode, shared maps and anonymised exports.",
            )
        )
    return label


class NotesEdit(QPlainTextEdit):
    """Multi-line text that commits when focus leaves it (like a line edit's editingFinished)."""

    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 8)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)

    def focusOutEvent(self, event: QEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.editing_finished.emit()

    def set_text(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)


class ItemList(QTreeWidget):
    """A flat, sortable list of rows with an id each, as tall as its rows (up to a limit),
    so the page scrolls as a whole instead of many small scroll areas."""

    activated_id = Signal(str)

    def __init__(
        self, headers: Sequence[str], parent: QWidget | None = None, click_opens: bool = False
    ) -> None:
        super().__init__(parent)
        self.setHeaderLabels(list(headers))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            self.header().setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        self.itemActivated.connect(self._activated)
        if click_opens:  # a plain list of links; otherwise click selects, double-click opens
            self.itemClicked.connect(self._activated)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        rid = item.data(0, IdRole)
        if rid:
            self.activated_id.emit(rid)

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str]]], empty: str = "") -> None:
        self.clear()
        for rid, texts in rows:
            item = QTreeWidgetItem([str(t) for t in texts])
            item.setData(0, IdRole, rid)
            item.setToolTip(0, str(texts[0]))
            self.addTopLevelItem(item)
        if not rows and empty:
            item = QTreeWidgetItem([empty])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addTopLevelItem(item)
        self._fit_columns()
        line = max(self.sizeHintForRow(0), self.fontMetrics().height()) + 1
        shown = min(max(len(rows), 1), 10)
        self.setFixedHeight(
            self.header().sizeHint().height() + shown * line + 2 * self.frameWidth()
        )

    def _fit_columns(self) -> None:
        # The first column (a name) takes what is left; the others fit their text, up to a
        # limit, so a long kind never squeezes the names out of a narrow dock.
        fm = self.fontMetrics()
        em = fm.averageCharWidth()
        for c in range(1, self.columnCount()):
            texts = [self.headerItem().text(c)]
            texts += [self.topLevelItem(r).text(c) for r in range(self.topLevelItemCount())]
            widest = max(fm.horizontalAdvance(t) for t in texts)
            self.header().resizeSection(c, min(widest + 2 * em, 14 * em))

    def selected_ids(self) -> list[str]:
        return [i.data(0, IdRole) for i in self.selectedItems() if i.data(0, IdRole)]


def button_row(
    parent: QWidget, *buttons: tuple[str, str, Callable[[], object]], per_row: int = 2
) -> QGridLayout:
    """Text buttons (label, tooltip, slot), at most ``per_row`` side by side, so the panel
    stays readable when its dock is narrow."""
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    for i, (text, tip, slot) in enumerate(buttons):
        button = QPushButton(text, parent)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        button.setAutoDefault(False)
        grid.addWidget(button, i // per_row, i % per_row)
    grid.setColumnStretch(per_row, 1)
    return grid


def set_combo(box: QComboBox, value: object) -> None:
    at = box.findData(value)
    if at < 0 and box.isEditable():
        box.setEditText(str(value))
        return
    box.setCurrentIndex(max(at, 0))


def set_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)
        edit.setCursorPosition(0)


def vbox(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


def relabel_form(
    form: QFormLayout, rows: Sequence[tuple[str, str, QWidget]], private: set[str], owner: QWidget
) -> None:
    """(Re)build a form's rows, marking the private fields."""
    while form.rowCount():
        taken = form.takeRow(0)
        label = taken.labelItem.widget() if taken.labelItem else None
        if label is not None:
            label.deleteLater()
    for key, title, widget in rows:
        form.addRow(field_label(title, key in private, owner), widget)
