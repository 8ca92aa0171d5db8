"""Add an affiliation: a person's tie to an organization (staff, board, volunteer…)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import AddEntities, Command
from ...core.model import Affiliation, ValidationError, new_id, utc_now
from ...core.store import Document
from ..delegates import DateEditor
from .relationship import MemberField


class AffiliationDialog(QDialog):
    def __init__(
        self,
        workbook: Document,
        person_id: str | None = None,
        org_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = workbook
        self.new_id: str | None = None
        self._command: Command | None = None
        self.setWindowTitle(self.tr("Add affiliation"))
        members = workbook.members()
        self.person = MemberField([m for m in members if not m.is_organization], self)
        self.person.setAccessibleName(self.tr("Person"))
        self.organization = MemberField([m for m in members if m.is_organization], self)
        self.organization.setAccessibleName(self.tr("Organization"))
        self.role = QLineEdit(self)
        self.role.setPlaceholderText(self.tr("e.g. staff, board member, volunteer"))
        self.since = DateEditor(self)
        self.since.set_value(None)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlighted-text); background: palette(highlight)")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Person:"), self.person)
        form.addRow(self.tr("&Organization:"), self.organization)
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("&Since:"), self.since)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.person.set_member(person_id)
        self.organization.set_member(org_id)
        (self.organization if person_id and not org_id else self.person).setFocus()
        em = self.fontMetrics().averageCharWidth()
        self.resize(max(self.sizeHint().width(), em * 50), self.sizeHint().height())

    def command(self) -> Command:
        person, org = self.person.member_id(), self.organization.member_id()
        if person is None:
            raise ValidationError(self.tr("Choose a person."))
        if org is None:
            raise ValidationError(self.tr("Choose an organization."))
        existing = [a for a in self.document.affiliations_of(person) if a.organization_id == org]
        if existing:
            raise ValidationError(
                self.tr("{person} is already affiliated with {org}.").format(
                    person=self.person.text(), org=self.organization.text()
                )
            )
        stamp = utc_now()
        affiliation = Affiliation(
            id=new_id(),
            person_id=person,
            organization_id=org,
            role=self.role.text().strip(),
            since=self.since.value(),
            created_at=stamp,
            updated_at=stamp,
        )
        self.new_id = affiliation.id
        label = self.tr("Add affiliation {person} – {org}").format(
            person=self.person.text(), org=self.organization.text()
        )
        return AddEntities([affiliation], label)

    def accept(self) -> None:
        try:
            self._command = self.command()
        except (ValidationError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    @property
    def result_command(self) -> Command | None:
        return self._command
