"""The Weaving panel's lists: tree widgets that fit a narrow dock (their text wraps at word
boundaries and, past a few lines, ends in "…" with the whole of it in a tooltip), and writing a
list (with the member list of everyone it names) to a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QToolTip,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
)

from ...core.store import Document

IDS = Qt.ItemDataRole.UserRole
#: A reason or a nudge shows at most this many lines; the rest is in its tooltip.
MAX_LINES = 3
#: The first column (who) never takes more than this share of a list's width: the reasons
#: beside it need room for their first words.
FIRST_COLUMN_SHARE = 0.42
ELLIPSIS = "…"
#: A filter's drop-down shows at least this many characters of its choice.
FILTER_CHARS = 10

Index = QModelIndex | QPersistentModelIndex


def wrap_words(text: str, metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` wide. Past ``max_lines`` the
    last line ends in "…" after a whole word, never mid-word (only a single word wider than
    the whole line is cut, as there is no other way to show it)."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if not line or metrics.horizontalAdvance(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1].split()
        while len(last) > 1 and metrics.horizontalAdvance(" ".join(last) + ELLIPSIS) > width:
            last.pop()
        lines = [*lines[: max_lines - 1], " ".join(last).rstrip(",;:") + ELLIPSIS]
    return [
        ln
        if metrics.horizontalAdvance(ln) <= width
        else metrics.elidedText(ln, Qt.TextElideMode.ElideRight, width)
        for ln in lines
    ]


class WrappingDelegate(QStyledItemDelegate):
    """Draws a list's text wrapped at word boundaries, up to :data:`MAX_LINES` lines, and
    asks for the row height that takes; what does not fit is in the cell's tooltip."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        # Row heights depend on column widths: lay the rows out again when those change.
        view.header().sectionResized.connect(lambda *_: view.doItemsLayout())

    def _text_width(self, option: QStyleOptionViewItem, index: Index) -> int:
        spanned = self.view.isFirstColumnSpanned(index.row(), index.parent())
        width = self.view.viewport().width() if spanned else self.view.columnWidth(index.column())
        if index.column() == 0 and self.view.rootIsDecorated():
            width -= self.view.indentation()
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        return max(1, width - 2 * margin)

    def lines(self, option: QStyleOptionViewItem, index: Index) -> list[str]:
        """The lines the cell at ``index`` shows (for tests and tooltips as well as painting)."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = self._text_width(option, index)
        return wrap_words(text, QFontMetrics(option.font), width, MAX_LINES)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        lines = max(1, len(self.lines(option, index)))
        extra = (lines - 1) * QFontMetrics(option.font).lineSpacing()
        return QSize(size.width(), size.height() + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = self.lines(opt, index)
        opt.text = ""  # the style draws the background, selection and focus; we the text
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal
            if opt.state & QStyle.StateFlag.State_Enabled
            else QPalette.ColorGroup.Disabled
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, role))
        metrics = QFontMetrics(opt.font)
        block = len(lines) * metrics.lineSpacing()
        top = rect.top() + max(0, (rect.height() - block) // 2)
        flags = int(opt.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask)
        for n, line in enumerate(lines):
            line_rect = rect.adjusted(0, 0, 0, 0)
            line_rect.setTop(top + n * metrics.lineSpacing())
            line_rect.setHeight(metrics.lineSpacing())
            painter.drawText(line_rect, flags | int(Qt.AlignmentFlag.AlignVCenter), line)
        painter.restore()

    def helpEvent(  # noqa: N802
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """A cell without a tooltip of its own shows its whole text when it is cut short."""
        own_tip = index.isValid() and index.data(Qt.ItemDataRole.ToolTipRole)
        if event.type() == QEvent.Type.ToolTip and index.isValid() and not own_tip:
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if " ".join(self.lines(option, index)).split() != text.split():
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


def empty_row(tree: QTreeWidget, text: str) -> None:
    """A greyed line saying why the list is empty (not selectable, not exported)."""
    item = QTreeWidgetItem([text])
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    tree.addTopLevelItem(item)
    tree.setFirstColumnSpanned(0, tree.rootIndex(), True)


class WrappingTree(QTreeWidget):
    """A list for a narrow dock: rows as tall as their wrapped text (see WrappingDelegate),
    columns refitted whenever the dock's width changes."""

    def __init__(self, headers: list[str], name: str) -> None:
        super().__init__()
        self.setHeaderLabels(headers)
        self.setAccessibleName(name)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformRowHeights(False)  # rows differ: one line, two, three
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrappingDelegate(self))
        self.header().setStretchLastSection(True)
        # Qt never stretches the last column below the default section size: keep that small,
        # or in a narrow dock the reasons would run past the right edge.
        self.header().setDefaultSectionSize(self.fontMetrics().averageCharWidth() * 10)

    def fit_columns(self) -> None:
        """Short columns (a score, a kind, days) fit their text; the first (who) gets what
        it needs up to FIRST_COLUMN_SHARE; the last (why) takes the rest and wraps."""
        for column in range(1, self.columnCount() - 1):
            self.resizeColumnToContents(column)
        widest = max(self.sizeHintForColumn(0), self.header().sectionSizeHint(0))
        room = self.viewport().width()
        if room > 0:
            widest = min(widest, int(room * FIRST_COLUMN_SHARE))
        self.setColumnWidth(0, max(widest, self.header().minimumSectionSize()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()


def filter_combo() -> QComboBox:
    """A list's filter: a long choice must not set the dock's minimum width, it is elided
    (and whole in the drop-down). Set before any size is asked, as Qt caches the minimum."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(FILTER_CHARS)
    return combo


def text_button(text: str) -> QToolButton:
    """A compact text button: a row of them must fit a narrow dock side by side."""
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def write_list_xlsx(wb: Document, tree: QTreeWidget, title: str, dest: Path) -> None:
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
