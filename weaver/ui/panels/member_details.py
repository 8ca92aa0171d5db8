"""The details page of one member: every field editable in place, and what they are part of."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...core.commands import UpdateMember
from ...core.model import CONSENTS, KINDS, VALUE_TYPES, Member, ValidationError, ValueItem
from ...core.privacy import PRIVATE_FIELDS_KEY, PrivateFields
from .. import dialogs, editing
from ..controller import Controller
from ..delegates import DateEditor, TagCompleter
from ..models.members import consent_label, kind_label, split_tags
from .detail_widgets import (
    ItemList,
    NotesEdit,
    button_row,
    heading,
    relabel_form,
    section_title,
    set_combo,
    set_line,
    vbox,
)

TEXT_FIELDS = ("name", "role", "email", "phone", "location", "sector")


class MemberPage(QWidget):
    #: The user clicked a meeting in the "Meetings attended" list.
    event_clicked = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.member: Member | None = None
        tr = self.tr
        layout = vbox(self)
        self.title = heading("", self)
        self.subtitle = QLabel(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(
            button_row(
                self,
                (tr("Edit…"), tr("Edit all fields in a dialog"), self._edit),
                (tr("Add relationship…"), tr("Add a relationship with this member"), self._add_rel),
                (tr("Delete…"), tr("Delete this member"), self._delete),
            )
        )

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Labels go above their fields when the dock is too narrow for both side by side.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.edits: dict[str, QLineEdit] = {}
        titles = {
            "name": tr("Name"),
            "role": tr("Role"),
            "email": tr("E-mail"),
            "phone": tr("Phone"),
            "location": tr("Location"),
            "sector": tr("Sector"),
        }
        self.kind = QComboBox(self)
        for k in KINDS:
            self.kind.addItem(kind_label(k), k)
        self.kind.activated.connect(lambda _: self._set("kind", self.kind.currentData()))
        self.consent = QComboBox(self)
        for c in CONSENTS:
            self.consent.addItem(consent_label(c), c)
        self.consent.activated.connect(lambda _: self._set("consent", self.consent.currentData()))
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText(tr("comma-separated"))
        self.tags.editingFinished.connect(lambda: self._set("tags", split_tags(self.tags.text())))
        # Reading every member's tags is not free on a big network: do it when needed.
        self.tags.installEventFilter(self)
        self.joined = DateEditor(self)
        self.joined.editing_finished.connect(lambda: self._set("joined_on", self.joined.value()))
        self.notes = NotesEdit(self)
        self.notes.editing_finished.connect(
            lambda: self._set("notes", self.notes.toPlainText().strip())
        )
        for key in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setAccessibleName(titles[key])
            edit.editingFinished.connect(lambda k=key, e=edit: self._set(k, e.text().strip()))
            self.edits[key] = edit
        self._rows: list[tuple[str, str, QWidget]] = [
            ("name", titles["name"], self.edits["name"]),
            ("kind", tr("Kind"), self.kind),
            ("role", titles["role"], self.edits["role"]),
            ("email", titles["email"], self.edits["email"]),
            ("phone", titles["phone"], self.edits["phone"]),
            ("location", titles["location"], self.edits["location"]),
            ("sector", titles["sector"], self.edits["sector"]),
            ("tags", tr("Tags"), self.tags),
            ("joined_on", tr("Joined"), self.joined),
            ("consent", tr("Consent"), self.consent),
            ("notes", tr("Notes"), self.notes),
        ]
        self._private: set[str] | None = None
        layout.addLayout(self.form)

        layout.addWidget(section_title(tr("Affiliations"), self))
        self.affiliations = ItemList([tr("Name"), tr("Role"), tr("Since")], self)
        self.affiliations.activated_id.connect(self._select_other_of_affiliation)
        layout.addWidget(self.affiliations)
        layout.addLayout(
            button_row(
                self,
                (tr("Add affiliation…"), tr("Affiliate with an organization"), self._add_aff),
                (tr("Remove"), tr("Remove the selected affiliations"), self._remove_affs),
            )
        )

        layout.addWidget(section_title(tr("Relationships"), self))
        self.relationships = ItemList(
            [tr("With"), tr("Kind"), tr("Strength")], self, click_opens=True
        )
        self.relationships.setToolTip(tr("Click a member to select them"))
        self.relationships.activated_id.connect(self._select_member)
        layout.addWidget(self.relationships)

        layout.addWidget(section_title(tr("Meetings attended"), self))
        self.meetings = ItemList([tr("Title"), tr("Date"), tr("Role")], self, click_opens=True)
        self.meetings.activated_id.connect(self.event_clicked)
        layout.addWidget(self.meetings)

        self.value_lists: dict[str, ItemList] = {}
        self.value_inputs: dict[str, tuple[QComboBox, QLineEdit]] = {}
        for which, title in (("offers", tr("Offers")), ("needs", tr("Needs"))):
            layout.addWidget(section_title(title, self))
            items = ItemList([tr("Type"), tr("Description")], self)
            items.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            items.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.value_lists[which] = items
            layout.addWidget(items)
            row = QGridLayout()
            kind = QComboBox(self)
            for t in VALUE_TYPES:
                kind.addItem(_value_type_label(t), t)
            kind.setAccessibleName(tr("Type of {what}").format(what=title))
            text = QLineEdit(self)
            text.setPlaceholderText(tr("e.g. grant writing"))
            text.setAccessibleName(tr("Description of {what}").format(what=title))
            text.returnPressed.connect(lambda w=which: self._add_value(w))
            add = QPushButton(tr("Add"), self)
            add.setAccessibleName(tr("Add to {what}").format(what=title))
            add.clicked.connect(lambda _=False, w=which: self._add_value(w))
            remove = QPushButton(tr("Remove"), self)
            remove.setAccessibleName(tr("Remove selected {what}").format(what=title))
            remove.clicked.connect(lambda _=False, w=which: self._remove_values(w))
            add.setAutoDefault(False)
            remove.setAutoDefault(False)
            # Type and text on one line, the buttons below: fits a narrow dock.
            row.addWidget(kind, 0, 0)
            row.addWidget(text, 0, 1, 1, 2)
            row.addWidget(add, 1, 0)
            row.addWidget(remove, 1, 1)
            row.setColumnStretch(2, 1)
            self.value_inputs[which] = (kind, text)
            layout.addLayout(row)

        layout.addWidget(section_title(tr("Custom fields"), self))
        self.custom = QTableWidget(0, 2, self)
        self.custom.setHorizontalHeaderLabels([tr("Field"), tr("Value")])
        self.custom.verticalHeader().hide()
        self.custom.horizontalHeader().setStretchLastSection(True)
        self.custom.itemChanged.connect(self._custom_edited)
        layout.addWidget(self.custom)
        layout.addLayout(
            button_row(
                self,
                (tr("Add field"), tr("Add a custom field"), self._add_custom),
                (tr("Remove field"), tr("Remove the selected custom fields"), self._remove_custom),
            )
        )
        layout.addStretch(1)
        self._loading = False

    # ---- showing -------------------------------------------------------------------------

    def show_member(self, member: Member, *, lists: bool = True) -> None:
        """Show ``member``; ``lists=False`` keeps its ties, affiliations and meetings as they
        are (only the member's own fields changed)."""
        self._loading = True
        try:
            self.member = member
            self._mark_private()
            self.title.setText(member.name)
            self.subtitle.setText(kind_label(member.kind))
            for key in TEXT_FIELDS:
                set_line(self.edits[key], getattr(member, key))
            set_combo(self.kind, member.kind)
            set_combo(self.consent, member.consent)
            set_line(self.tags, ", ".join(member.tags))
            self.joined.set_value(member.joined_on)
            self.notes.set_text(member.notes)
            if lists:
                self._fill_lists(member)
            for which in ("offers", "needs"):
                items = getattr(member, which)
                self.value_lists[which].set_rows(
                    [(str(i), (_value_type_label(v.type), v.text)) for i, v in enumerate(items)],
                    self.tr("None yet"),
                )
            self._fill_custom(member)
            editable = self.controller.editable
            for _, _, w in self._rows:
                w.setEnabled(editable)
        finally:
            self._loading = False

    def _mark_private(self) -> None:
        # One setting read (this runs each time a member is shown), not every setting.
        value = self.controller.document.setting(PRIVATE_FIELDS_KEY)
        private = set(PrivateFields.from_value(value).members)
        if private == self._private:
            return
        self._private = private
        relabel_form(self.form, self._rows, private, self)

    def _fill_lists(self, member: Member) -> None:
        # A handful of queries, whatever the member's degree: this runs after every edit.
        wb = self.controller.document
        tr = self.tr
        rel_list = wb.relationships_of([member.id])
        aff_list = wb.affiliations_of(member.id)
        others = {r.other(member.id) for r in rel_list}
        others |= {a.organization_id if a.person_id == member.id else a.person_id for a in aff_list}
        names = {r["id"]: r["name"] for r in wb.rows_by_keys("members", others)}
        affs = []
        self._aff_other = {}
        for a in aff_list:
            other = a.organization_id if a.person_id == member.id else a.person_id
            self._aff_other[a.id] = other
            affs.append(
                (a.id, (names.get(other, "?"), a.role, a.since.isoformat() if a.since else ""))
            )
        self.affiliations.set_rows(sorted(affs, key=lambda r: r[1][0].casefold()), tr("None"))
        rels = []
        for r in rel_list:
            other = r.other(member.id)
            arrow = {"directed": "→" if r.source_id == member.id else "←"}.get(r.direction, "")
            kind = f"{r.kind} {arrow}".strip()
            if r.ended_on:
                kind += " " + tr("(ended {day})").format(day=r.ended_on.isoformat())
            rels.append((other, (names.get(other, "?"), kind, str(r.strength))))
        rels.sort(key=lambda r: (-int(r[1][2]), r[1][0].casefold()))
        self.relationships.set_rows(rels, tr("No relationships yet"))
        attendance = wb.attendance_of_member(member.id)
        events = {e["id"]: e for e in wb.rows_by_keys("events", {a.event_id for a in attendance})}
        meetings = []
        for a in attendance:
            event = events.get(a.event_id)
            if event is not None:
                day = str(event["date"] or "")[:10]
                meetings.append((a.event_id, (event["title"], day, a.role)))
        meetings.sort(key=lambda r: r[1][1], reverse=True)
        self.meetings.set_rows(meetings, tr("No meetings yet"))

    def _fill_custom(self, member: Member) -> None:
        self.custom.setRowCount(0)
        for key, value in sorted(member.custom.items(), key=lambda kv: kv[0].casefold()):
            row = self.custom.rowCount()
            self.custom.insertRow(row)
            key_item = QTableWidgetItem(key)
            key_item.setData(Qt.ItemDataRole.UserRole, key)
            self.custom.setItem(row, 0, key_item)
            self.custom.setItem(row, 1, QTableWidgetItem(value))
        line = self.fontMetrics().height() + 8
        rows = min(max(self.custom.rowCount(), 1), 8)
        header = self.custom.horizontalHeader().sizeHint().height()
        self.custom.setFixedHeight(header + rows * line + 2 * self.custom.frameWidth())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.tags and event.type() == QEvent.Type.FocusIn:
            self.tags.setCompleter(TagCompleter(self._all_tags(), self.tags))
        return super().eventFilter(watched, event)

    def _all_tags(self) -> list[str]:
        tags: dict[str, None] = {}
        for m in self.controller.document.members():
            tags.update(dict.fromkeys(m.tags))
        return sorted(tags, key=str.casefold)

    # ---- editing -------------------------------------------------------------------------

    def _set(self, field: str, value: Any) -> None:
        if self._loading or self.member is None or getattr(self.member, field) == value:
            return
        m = self.member
        titles = {key: title for key, title, _ in self._rows}
        titles |= {"offers": self.tr("Offers"), "needs": self.tr("Needs")}
        titles["custom"] = self.tr("Custom fields")
        label = self.tr("Change {field} of '{name}'").format(
            field=titles.get(field, field), name=m.name
        )
        if not editing.push(self, self.controller, UpdateMember(m.id, label, **{field: value})):
            fresh = self.controller.document.member(m.id)
            if fresh is not None:
                self.show_member(fresh)  # put the widget back to the stored value

    def _add_value(self, which: str) -> None:
        if self.member is None:
            return
        kind, text = self.value_inputs[which]
        try:
            item = ValueItem(kind.currentData(), text.text().strip())
        except ValidationError as exc:
            dialogs.warn(self, self.tr("Not added"), str(exc))
            return
        self._set(which, (*getattr(self.member, which), item))
        text.clear()

    def _remove_values(self, which: str) -> None:
        if self.member is None:
            return
        doomed = {int(i) for i in self.value_lists[which].selected_ids()}
        if doomed:
            items = getattr(self.member, which)
            self._set(which, tuple(v for i, v in enumerate(items) if i not in doomed))

    def _custom_edited(self, item: QTableWidgetItem) -> None:
        if self._loading or self.member is None:
            return
        custom: dict[str, str] = {}
        for row in range(self.custom.rowCount()):
            key_item, value_item = self.custom.item(row, 0), self.custom.item(row, 1)
            key = (key_item.text() if key_item else "").strip()
            value = (value_item.text() if value_item else "").strip()
            if key:
                custom[key] = value
        if custom != self.member.custom:
            self._set("custom", custom)

    def _add_custom(self) -> None:
        if self.member is None:
            return
        base = self.tr("new field")
        key, n = base, 2
        while key in self.member.custom:
            key, n = f"{base} {n}", n + 1
        self._set("custom", {**self.member.custom, key: ""})
        # Let the user name the field straight away.
        for row in range(self.custom.rowCount()):
            item = self.custom.item(row, 0)
            if item is not None and item.text() == key:
                self.custom.setCurrentItem(item)
                self.custom.editItem(item)

    def _remove_custom(self) -> None:
        if self.member is None:
            return
        rows = {i.row() for i in self.custom.selectedIndexes()}
        keys = {self.custom.item(r, 0).text() for r in rows if self.custom.item(r, 0)}
        if keys:
            self._set("custom", {k: v for k, v in self.member.custom.items() if k not in keys})

    def _remove_affs(self) -> None:
        editing.delete_affiliations(self, self.controller, self.affiliations.selected_ids())

    # ---- actions -------------------------------------------------------------------------

    def _select_member(self, member_id: str) -> None:
        self.controller.select(members=[member_id])

    def _select_other_of_affiliation(self, aff_id: str) -> None:
        other = getattr(self, "_aff_other", {}).get(aff_id)
        if other:
            self._select_member(other)

    def _edit(self) -> None:
        if self.member:
            editing.edit_member(self, self.controller, self.member.id)

    def _add_rel(self) -> None:
        if self.member:
            editing.add_relationship(self, self.controller, self.member.id)

    def _add_aff(self) -> None:
        if self.member:
            if self.member.is_organization:
                editing.add_affiliation(self, self.controller, None, self.member.id)
            else:
                editing.add_affiliation(self, self.controller, self.member.id, None)

    def _delete(self) -> None:
        if self.member:
            editing.delete_members(self, self.controller, [self.member.id])


def _value_type_label(value_type: str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        "skill": QCoreApplication.translate("details", "Skill"),
        "knowledge": QCoreApplication.translate("details", "Knowledge"),
        "resource": QCoreApplication.translate("details", "Resource"),
        "connection": QCoreApplication.translate("details", "Connection"),
    }
    return labels.get(value_type, value_type)
