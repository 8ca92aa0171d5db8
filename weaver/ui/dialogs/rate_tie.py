"""Rate this tie: a dated trust and value rating of one relationship.

Trust (reliability, support of the mission, openness to discussion) and value (power/influence,
level of involvement, resource contribution), each 1–4 or left blank. The form starts from the
latest rating so a quick re-rating after a meeting only changes what moved; earlier ratings are
listed below (history is kept; the latest is what the map and suggestions use).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import RateTie
from ...core.errors import DocumentError
from ...core.model import ValidationError
from ...core.ratings import (
    FIELD_LABELS,
    RATING_MAX,
    RATING_MIN,
    TRUST_FIELDS,
    VALUE_FIELDS,
    Rating,
    new_rating,
)
from ..controller import Controller

# What each level means, so two weavers rate alike.
LEVELS = {1: "1 · low", 2: "2 · some", 3: "3 · good", 4: "4 · high"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RateTieDialog", text)


def _mean_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class RateTieDialog(QDialog):
    def __init__(
        self, controller: Controller, relationship_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.relationship_id = relationship_id
        wb = controller.document
        rel = wb.relationship(relationship_id)
        if rel is None:
            raise ValidationError("that relationship no longer exists")
        a, b = wb.member(rel.source_id), wb.member(rel.target_id)
        names = f"{a.name if a else '?'} — {b.name if b else '?'}"
        self.setWindowTitle(self.tr("Rate this tie"))

        self.history = wb.ratings_of(relationship_id)
        latest = self.history[0] if self.history else None

        title = QLabel(names)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.context = QLabel(self._together(rel.source_id, rel.target_id))
        self.context.setWordWrap(True)
        self.context.setEnabled(False)
        self.rated_on = QDateEdit(QDate.currentDate())
        self.rated_on.setCalendarPopup(True)
        self.rated_on.setDisplayFormat("yyyy-MM-dd")
        self.rated_on.setMaximumDate(QDate.currentDate().addDays(1))

        self.scores: dict[str, QComboBox] = {}
        groups = []
        for heading, names_ in ((self.tr("Trust"), TRUST_FIELDS), (self.tr("Value"), VALUE_FIELDS)):
            box = QGroupBox(heading)
            form = QFormLayout(box)
            for field in names_:
                combo = QComboBox()
                combo.addItem(self.tr("not rated"), None)
                for level in range(RATING_MIN, RATING_MAX + 1):
                    combo.addItem(_tr(LEVELS[level]), level)
                if latest is not None and getattr(latest, field) is not None:
                    combo.setCurrentIndex(combo.findData(getattr(latest, field)))
                combo.setAccessibleName(_tr(FIELD_LABELS[field]))
                self.scores[field] = combo
                form.addRow(_tr(FIELD_LABELS[field]) + ":", combo)
            groups.append(box)

        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Private notes (never in reports)"))
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.notes.setTabChangesFocus(True)

        self.previous = QTreeWidget()
        self.previous.setHeaderLabels([self.tr("Rated on"), self.tr("Trust"), self.tr("Value")])
        self.previous.setRootIsDecorated(False)
        self.previous.setAccessibleName(self.tr("Earlier ratings"))
        for r in self.history:
            QTreeWidgetItem(
                self.previous, [r.rated_on.isoformat(), _mean_text(r.trust), _mean_text(r.value)]
            )
        self.previous.setVisible(bool(self.history))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        top = QFormLayout()
        top.addRow(self.tr("Rated on:"), self.rated_on)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.context)
        layout.addLayout(top)
        for g in groups:
            layout.addWidget(g)
        layout.addWidget(self.notes)
        if self.history:
            layout.addWidget(QLabel(self.tr("Earlier ratings (newest first):")))
            layout.addWidget(self.previous)
        layout.addWidget(buttons)

    def _together(self, a: str, b: str) -> str:
        """What the meeting log says about the pair: the context a rating is made in."""
        wb = self.controller.document
        mine = {x.event_id for x in wb.attendance_of_member(a)}
        shared = mine & {x.event_id for x in wb.attendance_of_member(b)}
        events = [e for e in (wb.event(i) for i in shared) if e is not None]
        in_person = [e for e in events if e.in_person and e.date and e.date <= date.today()]
        trust = sum(1 for e in events if e.trust_building)
        if not in_person:
            text = self.tr("No in-person meeting together on record")
        else:
            last = max(e.date for e in in_person if e.date)
            days = (date.today() - last).days
            text = self.tr("Met in person {0} time(s); last on {1} ({2} days ago)").format(
                len(in_person), last.isoformat(), days
            )
        if trust:
            text += self.tr("; {0} trust-building event(s) together").format(trust)
        return text

    def rating(self) -> Rating:
        day = self.rated_on.date()
        return new_rating(
            self.relationship_id,
            date(day.year(), day.month(), day.day()),
            notes=self.notes.toPlainText().strip(),
            **{f: c.currentData() for f, c in self.scores.items()},
        )

    def accept(self) -> None:
        try:
            self.controller.push(RateTie(self.rating()))
        except (ValidationError, DocumentError) as exc:
            QMessageBox.warning(self, self.tr("Rate this tie"), str(exc))
            return
        super().accept()


def rate_tie(parent: QWidget | None, controller: Controller, relationship_id: str) -> bool:
    """Show the "rate this tie" dialog; True if a rating was stored (one undo step)."""
    if not controller.editable:
        return False
    try:
        dialog = RateTieDialog(controller, relationship_id, parent)
    except ValidationError as exc:
        QMessageBox.warning(parent, _tr("Rate this tie"), str(exc))
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted
