"""Add or edit a person or organization."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import (
    AddEntities,
    Command,
    DeleteEntities,
    Macro,
    UpdateMember,
    new_member,
)
from ...core.model import CONSENTS, KINDS, Affiliation, Member, ValidationError, new_id, utc_now
from ...core.store import Document
from ..delegates import DateEditor, tags_line_edit
from ..models.members import consent_label, kind_label, split_tags

# What a new member's consent is until someone asks them: the model's default ("not_asked").
NEW_MEMBER_CONSENT: str = Member.__dataclass_fields__["consent"].default


class MemberDialog(QDialog):
    """Fields of one member. ``command()`` gives the single undoable command to push."""

    def __init__(
        self,
        workbook: Document,
        member: Member | None = None,
        kind: str = "person",
        tags: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = workbook
        self.member = member
        self.position: tuple[float, float] | None = None
        kind = member.kind if member else kind
        is_new = member is None
        if is_new:
            title = self.tr("Add organization") if kind == "organization" else self.tr("Add person")
        else:
            title = self.tr("Edit “{name}”").format(name=member.name)
        self.setWindowTitle(title)

        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.kind = QComboBox(self)
        for k in KINDS:
            self.kind.addItem(kind_label(k), k)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.email = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.role = QLineEdit(self)
        self.organization = QComboBox(self)
        self.organization.setEditable(False)
        self.location = QLineEdit(self)
        self.sector = QLineEdit(self)
        self.tags = tags_line_edit(tags, self)
        self.joined = DateEditor(self)
        self.consent = QComboBox(self)
        for c in CONSENTS:
            self.consent.addItem(consent_label(c), c)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlighted-text); background: palette(highlight)")
        self.error.hide()

        self._affiliation: Affiliation | None = None
        self.organization.addItem(self.tr("(none)"), "")
        own_id = member.id if member else None
        orgs = [m for m in workbook.members() if m.is_organization and m.id != own_id]
        for org in sorted(orgs, key=lambda m: m.name.casefold()):
            self.organization.addItem(org.name, org.id)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Role:"), self.role)
        self._org_label = QLabel(self.tr("&Organization:"), self)
        self._org_label.setBuddy(self.organization)
        form.addRow(self._org_label, self.organization)
        form.addRow(self.tr("&E-mail:"), self.email)
        form.addRow(self.tr("&Phone:"), self.phone)
        form.addRow(self.tr("&Location:"), self.location)
        form.addRow(self.tr("&Sector:"), self.sector)
        form.addRow(self.tr("&Tags:"), self.tags)
        form.addRow(self.tr("&Joined:"), self.joined)
        form.addRow(self.tr("&Consent:"), self.consent)
        form.addRow(self.tr("N&otes:"), self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.name.textChanged.connect(self._validate)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if member is not None:
            self._load(member)
        else:
            # Someone added now joined today (Clear makes it "No date"), and nobody has been
            # asked for consent yet: the model's own default, never a "yes" nobody gave.
            self.joined.set_value(date.today())
            self.consent.setCurrentIndex(self.consent.findData(NEW_MEMBER_CONSENT))
        self._kind_changed()
        self._validate()
        em = self.fontMetrics().averageCharWidth()
        self.resize(max(self.sizeHint().width(), em * 60), self.sizeHint().height())

    def _load(self, m: Member) -> None:
        self.name.setText(m.name)
        self.email.setText(m.email)
        self.phone.setText(m.phone)
        self.role.setText(m.role)
        self.location.setText(m.location)
        self.sector.setText(m.sector)
        self.tags.setText(", ".join(m.tags))
        self.joined.set_value(m.joined_on)
        self.consent.setCurrentIndex(self.consent.findData(m.consent))
        self.notes.setPlainText(m.notes)
        own = [a for a in self.document.affiliations_of(m.id) if a.person_id == m.id]
        if own:
            self._affiliation = own[0]
            at = self.organization.findData(own[0].organization_id)
            self.organization.setCurrentIndex(max(at, 0))

    def _kind_changed(self) -> None:
        is_person = self.kind.currentData() == "person"
        self.organization.setEnabled(is_person)
        self._org_label.setEnabled(is_person)

    def _validate(self) -> None:
        ok = bool(self.name.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if ok:
            self.error.hide()

    def fields(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "email": self.email.text().strip(),
            "phone": self.phone.text().strip(),
            "role": self.role.text().strip(),
            "location": self.location.text().strip(),
            "sector": self.sector.text().strip(),
            "tags": split_tags(self.tags.text()),
            "joined_on": self.joined.value(),
            "consent": self.consent.currentData(),
            "notes": self.notes.toPlainText().strip(),
        }

    def command(self) -> Command:
        """The one undoable command for what the form says (raises ValidationError)."""
        fields = self.fields()
        org_id = self.organization.currentData() if fields["kind"] == "person" else ""
        stamp = utc_now()
        if self.member is None:
            if self.position is not None:
                fields["x"], fields["y"] = self.position
            member = new_member(str(fields.pop("name")), stamp, **fields)
            entities: list[object] = [member]
            if org_id:
                entities.append(_affiliation(member.id, org_id, fields["role"], stamp))
            noun = self.tr("organization") if member.is_organization else self.tr("member")
            label = self.tr("Add {noun} '{name}'").format(noun=noun, name=member.name)
            self.new_id = member.id
            return AddEntities(entities, label)
        m = self.member
        label = self.tr("Edit '{name}'").format(name=fields["name"] or m.name)
        parts: list[Command] = [UpdateMember(m.id, label, **fields)]
        old = self._affiliation
        if (old.organization_id if old else "") != org_id:
            if old is not None:
                parts.append(DeleteEntities("affiliations", [old.id]))
            if org_id:
                parts.append(AddEntities([_affiliation(m.id, org_id, fields["role"], stamp)], ""))
        # Validate now, so the dialog can say what is wrong before anything is applied.
        Member(id=m.id, **{k: v for k, v in fields.items()})  # type: ignore[arg-type]
        return parts[0] if len(parts) == 1 else Macro(label, parts)

    def accept(self) -> None:
        try:
            self._command = self.command()
        except (ValidationError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    @property
    def result_command(self) -> Command:
        return self._command


def _affiliation(person_id: str, org_id: str, role: object, stamp: str) -> Affiliation:
    return Affiliation(
        id=new_id(),
        person_id=person_id,
        organization_id=org_id,
        role=str(role or ""),
        since=date.today(),
        created_at=stamp,
        updated_at=stamp,
    )
