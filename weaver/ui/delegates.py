"""In-place cell editors: choices, 1–5 spin boxes, clearable dates, tags with completion.

The model says what a cell needs (``EditorRole``) and holds the typed value (``ValueRole``);
``setModelData`` hands the typed value back to the model, which turns it into one undoable
command (or reports why it cannot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from .models.base import Editor, EditorRole, ValueRole

Index = QModelIndex | QPersistentModelIndex


class _DateEdit(QDateEdit):
    """Opening the calendar on an empty date starts from today, not from the "no date"
    sentinel in 1752."""

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.date() == self.minimumDate():
            self.setDate(QDate.currentDate())
        super().mousePressEvent(event)


class DateEditor(QWidget):
    """A calendar-popup date field that can also be empty ("No date" + a Clear button)."""

    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = _DateEdit(self)
        self._edit.setCalendarPopup(True)
        self._edit.setDisplayFormat("yyyy-MM-dd")
        # The minimum date stands for "no date", shown as text rather than a bogus day.
        self._none = QDate(1752, 9, 14)
        self._edit.setMinimumDate(self._none)
        self._edit.setSpecialValueText(self.tr("No date"))
        self._edit.setAccessibleName(self.tr("Date"))
        self._clear = QToolButton(self)
        self._clear.setText(self.tr("Clear"))
        self._clear.setToolTip(self.tr("Remove the date"))
        self._clear.setAccessibleName(self.tr("Clear date"))
        self._clear.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._edit, 1)
        layout.addWidget(self._clear)
        self.setFocusProxy(self._edit)
        self._edit.editingFinished.connect(self.editing_finished)

    def value(self) -> date | None:
        qd = self._edit.date()
        if qd == self._none or not qd.isValid():
            return None
        return date(qd.year(), qd.month(), qd.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self._edit.setDate(self._none)
        else:
            self._edit.setDate(QDate(value.year, value.month, value.day))

    def clear(self) -> None:
        self.set_value(None)
        self.editing_finished.emit()


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, not the whole line."""

    def __init__(self, tags: Iterable[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(list(tags), self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: Index) -> str:  # noqa: N802
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = [t.strip() for t in typed.split(",")[:-1] if t.strip()]
        return ", ".join([*head, str(index.data())]) + ", "


def tags_line_edit(tags: Iterable[str], parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setCompleter(TagCompleter(tags, edit))
    edit.setPlaceholderText(
        QCoreApplication.translate("delegates", "comma-separated, e.g. youth, housing")
    )
    return edit


def tags_text(value: Any) -> str:
    return ", ".join(value or ())


class EntityDelegate(QStyledItemDelegate):
    """One delegate for every table: picks the editor the cell asks for."""

    def __init__(
        self, tags: Callable[[], list[str]] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tags = tags or (lambda: [])

    def _spec(self, index: Index) -> Editor | None:
        spec = index.data(EditorRole)
        return spec if isinstance(spec, Editor) else None

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        spec = self._spec(index)
        kind = spec.kind if spec else "text"
        if kind in ("choice", "combo") and spec is not None:
            box = QComboBox(parent)
            box.setEditable(kind == "combo")
            for label, value in spec.options():
                box.addItem(label, value)
            if kind == "combo":
                box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            return box
        if kind == "int" and spec is not None:
            spin = QSpinBox(parent)
            spin.setRange(spec.minimum, spec.maximum)
            return spin
        if kind == "date":
            editor = DateEditor(parent)
            editor.editing_finished.connect(lambda: self._commit(editor))
            editor.setAutoFillBackground(True)
            return editor
        if kind == "tags":
            return tags_line_edit(self._tags(), parent)
        return super().createEditor(parent, option, index)

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(ValueRole)
        if isinstance(editor, QComboBox):
            at = editor.findData(value)
            if at >= 0:
                editor.setCurrentIndex(at)
            elif editor.isEditable():
                editor.setEditText(str(value or ""))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or editor.minimum()))
        elif isinstance(editor, DateEditor):
            editor.set_value(value if isinstance(value, date) else None)
        elif isinstance(editor, QLineEdit) and self._spec(index) and self._kind(index) == "tags":
            editor.setText(tags_text(value))
        else:
            super().setEditorData(editor, index)

    def _kind(self, index: Index) -> str:
        spec = self._spec(index)
        return spec.kind if spec else "text"

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                text = editor.currentText().strip()
                at = editor.findText(text)
                value = editor.itemData(at) if at >= 0 else text
            else:
                value = editor.currentData()
            model.setData(index, value, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, DateEditor):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect
        if isinstance(editor, DateEditor):
            # Wide enough for the date and its Clear button even in a narrow column.
            rect = rect.adjusted(0, 0, max(0, editor.sizeHint().width() - rect.width()), 0)
        editor.setGeometry(rect)
