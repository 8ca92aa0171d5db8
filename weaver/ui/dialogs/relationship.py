"""Add or edit a relationship: two members by type-ahead, kind, direction, strength, dates."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import AddEntities, Command, UpdateRelationship, new_relationship
from ...core.model import (
    DIRECTIONS,
    RELATIONSHIP_KINDS,
    STRENGTH_MAX,
    STRENGTH_MIN,
    Member,
    Relationship,
    ValidationError,
)
from ...core.store import Document
from ...core.text import fold
from ..delegates import DateEditor
from ..models.relationships import direction_label
from ..textmatch import matches, needles

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 2

# The kind chosen last in this session: the next relationship is usually of the same kind.
_last_kind: dict[str, str] = {}


class _FoldedNames(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = needles(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: object) -> bool:  # noqa: N802
        folded = self.sourceModel().index(row, 0).data(FOLDED_ROLE) or ""
        return matches(folded, self._words)


class MemberField(QLineEdit):
    """Type part of a name (any case, accents optional) and pick from the list."""

    def __init__(self, members: Iterable[Member], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}
        self._by_folded: dict[str, list[str]] = {}
        source = QStandardItemModel(self)
        for m in sorted(members, key=lambda m: fold(m.name)):
            label = m.name if not m.is_organization else f"{m.name} ({m.kind})"
            item = QStandardItem(m.name)
            item.setData(m.id, ID_ROLE)
            item.setData(fold(label), FOLDED_ROLE)
            item.setToolTip(label)
            source.appendRow(item)
            self._names[m.id] = m.name
            self._by_folded.setdefault(fold(m.name), []).append(m.id)
        self._filter = _FoldedNames(self)
        self._filter.setSourceModel(source)
        completer = QCompleter(self._filter, self)
        # We filter (accent-insensitively); the completer only shows the popup.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(completer)
        self.textEdited.connect(self._filter.set_text)
        self._chosen: str | None = None
        completer.activated[QModelIndex].connect(self._activated)
        self.textChanged.connect(self._typed)
        self.setPlaceholderText(self.tr("Type a name…"))

    def _activated(self, index: QModelIndex) -> None:
        member_id = index.data(ID_ROLE)
        if member_id:
            self.set_member(member_id)

    def _typed(self, text: str) -> None:
        if self._chosen and text != self._names.get(self._chosen):
            self._chosen = None

    def name_of(self, member_id: str) -> str:
        """The member's name as stored (not what was typed to find them)."""
        return self._names[member_id]

    def set_member(self, member_id: str | None) -> None:
        self.setText(self._names.get(member_id or "", ""))
        self._chosen = member_id if member_id in self._names else None

    def member_id(self) -> str | None:
        """The chosen member: picked from the list, or the one whose name was typed in full
        (or the only one matching what was typed)."""
        if self._chosen:
            return self._chosen
        exact = self._by_folded.get(fold(self.text()), [])
        if len(exact) == 1:
            return exact[0]
        self._filter.set_text(self.text())
        if self._filter.rowCount() == 1 and self.text().strip():
            return self._filter.index(0, 0).data(ID_ROLE)
        return None


def last_kind(workbook: Document) -> str:
    """The kind used last: this session's choice, else the newest relationship's kind."""
    key = str(workbook.path)
    if key in _last_kind:
        return _last_kind[key]
    rels = workbook.relationships()
    if rels:
        return max(rels, key=lambda r: r.created_at).kind
    return RELATIONSHIP_KINDS[0]


class RelationshipDialog(QDialog):
    def __init__(
        self,
        workbook: Document,
        relationship: Relationship | None = None,
        source_id: str | None = None,
        target_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = workbook
        self.relationship = relationship
        self.new_id: str | None = None
        self._command: Command | None = None
        self.setWindowTitle(
            self.tr("Add relationship") if relationship is None else self.tr("Edit relationship")
        )
        members = workbook.members()
        self.source = MemberField(members, self)
        self.source.setAccessibleName(self.tr("From"))
        self.target = MemberField(members, self)
        self.target.setAccessibleName(self.tr("To"))
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        used = sorted({r.kind for r in workbook.relationships()}, key=str.casefold)
        for k in used + [k for k in RELATIONSHIP_KINDS if k not in used]:
            self.kind.addItem(k)
        self.direction = QComboBox(self)
        for d in DIRECTIONS:
            self.direction.addItem(direction_label(d), d)
        self.strength = QSpinBox(self)
        self.strength.setRange(STRENGTH_MIN, STRENGTH_MAX)
        self.strength.setToolTip(self.tr("1 = weak, 5 = strong"))
        self.since = DateEditor(self)
        self.ended = DateEditor(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlighted-text); background: palette(highlight)")
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("&From:"), self.source)
        form.addRow(self.tr("&To:"), self.target)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Direction:"), self.direction)
        form.addRow(self.tr("&Strength:"), self.strength)
        form.addRow(self.tr("S&ince:"), self.since)
        form.addRow(self.tr("&Ended:"), self.ended)
        form.addRow(self.tr("&Notes:"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        if relationship is None:
            self.source.set_member(source_id)
            self.target.set_member(target_id)
            self.kind.setCurrentText(last_kind(workbook))
            self.strength.setValue(3)
            self.since.set_value(None)
            self.ended.set_value(None)
        else:
            r = relationship
            self.source.set_member(r.source_id)
            self.target.set_member(r.target_id)
            # The ends of an existing tie stay put: a different pair is a different tie.
            self.source.setReadOnly(True)
            self.target.setReadOnly(True)
            self.kind.setCurrentText(r.kind)
            self.direction.setCurrentIndex(self.direction.findData(r.direction))
            self.strength.setValue(r.strength)
            self.since.set_value(r.since)
            self.ended.set_value(r.ended_on)
            self.notes.setPlainText(r.notes)
        (self.target if source_id and not target_id else self.source).setFocus()
        em = self.fontMetrics().averageCharWidth()
        self.resize(max(self.sizeHint().width(), em * 56), self.sizeHint().height())

    def fields(self) -> dict[str, object]:
        return {
            "kind": self.kind.currentText().strip() or RELATIONSHIP_KINDS[0],
            "direction": self.direction.currentData(),
            "strength": self.strength.value(),
            "since": self.since.value(),
            "ended_on": self.ended.value(),
            "notes": self.notes.toPlainText().strip(),
        }

    def command(self) -> Command:
        fields = self.fields()
        if self.relationship is not None:
            Relationship(
                id="check",
                source_id=self.relationship.source_id,
                target_id=self.relationship.target_id,
                **fields,  # type: ignore[arg-type]
            )
            return UpdateRelationship(self.relationship.id, self.tr("Edit relationship"), **fields)
        source, target = self.source.member_id(), self.target.member_id()
        if source is None:
            raise ValidationError(self.tr("Choose who the relationship is from."))
        if target is None:
            raise ValidationError(self.tr("Choose who the relationship is to."))
        rel = new_relationship(source, target, **fields)
        self.new_id = rel.id
        # The names as stored: the boxes may hold only the few letters that found them.
        label = self.tr("Add relationship {a} – {b}").format(
            a=self.source.name_of(source), b=self.target.name_of(target)
        )
        return AddEntities([rel], label)

    def accept(self) -> None:
        try:
            self._command = self.command()
        except (ValidationError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        _last_kind[str(self.document.path)] = str(self.fields()["kind"])
        super().accept()

    @property
    def result_command(self) -> Command | None:
        return self._command
