"""The details panel: everything about the selected member, relationship or event, editable
in place. It follows the controller's shared selection (and the events table's chosen event)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from ...core.changes import ENTITIES, Changes
from ...core.commands import Command, UpdateEvent, UpdateRelationship
from ...core.model import DIRECTIONS, STRENGTH_MAX, STRENGTH_MIN, Event, Relationship
from ...core.privacy import PRIVATE_FIELDS_KEY, PrivateFields
from .. import editing
from ..controller import Controller
from ..delegates import DateEditor
from ..models.relationships import direction_label
from ..textmatch import plural
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
from .events import delete_events, event_focus
from .member_details import MemberPage


class RelationshipPage(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.relationship: Relationship | None = None
        self._loading = False
        tr = self.tr
        layout = vbox(self)
        self.title = heading("", self)
        layout.addWidget(self.title)
        layout.addLayout(
            button_row(
                self,
                (tr("Select “from”"), tr("Select the member this tie starts at"), self._go_a),
                (tr("Select “to”"), tr("Select the member this tie leads to"), self._go_b),
                (tr("Delete"), tr("Delete this relationship"), self._delete),
            )
        )
        # Trust and value: the latest rating in words, and the quick dialog to rate again.
        self.rating = QLabel(self)
        self.rating.setWordWrap(True)
        self.rating.setTextFormat(Qt.TextFormat.PlainText)
        self.rate_button = QPushButton(tr("Rate this tie…"), self)
        self.rate_button.setToolTip(tr("Rate trust and value (1–4); earlier ratings are kept"))
        self.rate_button.clicked.connect(self._rate)
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind.lineEdit().editingFinished.connect(
            lambda: self._set("kind", self.kind.currentText().strip())
        )
        self.kind.activated.connect(lambda _: self._set("kind", self.kind.currentText().strip()))
        self.direction = QComboBox(self)
        for d in DIRECTIONS:
            self.direction.addItem(direction_label(d), d)
        self.direction.activated.connect(
            lambda _: self._set("direction", self.direction.currentData())
        )
        self.strength = QSpinBox(self)
        self.strength.setRange(STRENGTH_MIN, STRENGTH_MAX)
        self.strength.setToolTip(tr("1 = weak, 5 = strong"))
        self.strength.editingFinished.connect(lambda: self._set("strength", self.strength.value()))
        self.since = DateEditor(self)
        self.since.editing_finished.connect(lambda: self._set("since", self.since.value()))
        self.ended = DateEditor(self)
        self.ended.editing_finished.connect(lambda: self._set("ended_on", self.ended.value()))
        self.notes = NotesEdit(self)
        self.notes.editing_finished.connect(
            lambda: self._set("notes", self.notes.toPlainText().strip())
        )
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._rows = [
            ("kind", tr("Kind"), self.kind),
            ("direction", tr("Direction"), self.direction),
            ("strength", tr("Strength"), self.strength),
            ("since", tr("Since"), self.since),
            ("ended_on", tr("Ended"), self.ended),
            ("notes", tr("Notes"), self.notes),
        ]
        self._private: set[str] | None = None
        layout.addLayout(self.form)
        layout.addWidget(section_title(tr("Trust and value"), self))
        layout.addWidget(self.rating)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_button)
        rate_row.addStretch(1)
        layout.addLayout(rate_row)
        layout.addStretch(1)

    def show_relationship(self, rel: Relationship) -> None:
        wb = self.controller.document
        self._loading = True
        try:
            self.relationship = rel
            private = set(PrivateFields.from_value(wb.setting(PRIVATE_FIELDS_KEY)).relationships)
            if private != self._private:
                self._private = private
                relabel_form(self.form, self._rows, private, self)
            a, b = (wb.member(rel.source_id), wb.member(rel.target_id))
            arrow = (
                "→" if rel.direction == "directed" else "↔" if rel.direction == "mutual" else "–"
            )
            self.title.setText(f"{a.name if a else '?'} {arrow} {b.name if b else '?'}")
            kinds = sorted({r.kind for r in wb.relationships()}, key=str.casefold)
            self.kind.clear()
            self.kind.addItems(kinds)
            self.kind.setCurrentText(rel.kind)
            set_combo(self.direction, rel.direction)
            self.strength.setValue(rel.strength)
            self.since.set_value(rel.since)
            self.ended.set_value(rel.ended_on)
            self.notes.set_text(rel.notes)
            for _, _, w in self._rows:
                w.setEnabled(self.controller.editable)
            self._show_rating(rel)
        finally:
            self._loading = False

    def _show_rating(self, rel: Relationship) -> None:
        history = self.controller.document.ratings_of(rel.id)
        if not history:
            self.rating.setText(self.tr("Not rated yet."))
        else:
            latest = history[0]
            text = self.tr("Trust {trust} · value {value} (of 4), rated {day}").format(
                trust=_score(latest.trust), value=_score(latest.value), day=latest.rated_on
            )
            if len(history) > 1:
                text += " · " + plural(
                    self.tr("%n earlier rating(s)", "", len(history) - 1), len(history) - 1
                )
            self.rating.setText(text)
        self.rate_button.setEnabled(self.controller.editable)

    def _rate(self) -> None:
        if self.relationship is not None:
            from ..dialogs.rate_tie import rate_tie

            rate_tie(self, self.controller, self.relationship.id)

    def _set(self, field: str, value: Any) -> None:
        rel = self.relationship
        if self._loading or rel is None or getattr(rel, field) == value:
            return
        title = {key: title for key, title, _ in self._rows}.get(field, field)
        label = self.tr("Change {field} of relationship").format(field=title)
        command = UpdateRelationship(rel.id, label, **{field: value})
        _push_or_restore(self, command, lambda: self._restore())

    def _restore(self) -> None:
        if self.relationship:
            fresh = self.controller.document.relationship(self.relationship.id)
            if fresh:
                self.show_relationship(fresh)

    def _go_a(self) -> None:
        if self.relationship:
            self.controller.select(members=[self.relationship.source_id])

    def _go_b(self) -> None:
        if self.relationship:
            self.controller.select(members=[self.relationship.target_id])

    def _delete(self) -> None:
        if self.relationship:
            editing.delete_relationships(self, self.controller, [self.relationship.id])


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class EventPage(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.current: Event | None = None
        self._loading = False
        tr = self.tr
        layout = vbox(self)
        self.heading = heading("", self)
        layout.addWidget(self.heading)
        layout.addLayout(button_row(self, (tr("Delete…"), tr("Delete this event"), self._delete)))
        self.title = QLineEdit(self)
        self.title.editingFinished.connect(lambda: self._set("title", self.title.text().strip()))
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind.lineEdit().editingFinished.connect(
            lambda: self._set("kind", self.kind.currentText().strip())
        )
        self.kind.activated.connect(lambda _: self._set("kind", self.kind.currentText().strip()))
        self.date = DateEditor(self)
        self.date.editing_finished.connect(lambda: self._set("date", self.date.value()))
        self.location = QLineEdit(self)
        self.location.editingFinished.connect(
            lambda: self._set("location", self.location.text().strip())
        )
        self.in_person = QCheckBox(tr("In person"), self)
        self.in_person.toggled.connect(lambda on: self._set("in_person", on))
        self.trust = QCheckBox(tr("Trust-building"), self)
        self.trust.toggled.connect(lambda on: self._set("trust_building", on))
        self.notes = NotesEdit(self)
        self.notes.editing_finished.connect(
            lambda: self._set("notes", self.notes.toPlainText().strip())
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Date"), self.date)
        form.addRow(tr("Location"), self.location)
        form.addRow("", self.in_person)
        form.addRow("", self.trust)
        form.addRow(tr("Notes"), self.notes)
        self._fields = [self.title, self.kind, self.date, self.location, self.in_person]
        self._fields += [self.trust, self.notes]
        layout.addLayout(form)
        layout.addWidget(section_title(tr("Attendees"), self))
        self.attendees = ItemList([tr("Name"), tr("Role")], self, click_opens=True)
        self.attendees.setToolTip(tr("Click a member to select them"))
        self.attendees.activated_id.connect(lambda m: self.controller.select(members=[m]))
        layout.addWidget(self.attendees)
        layout.addStretch(1)

    def show_event(self, event: Event) -> None:
        wb = self.controller.document
        self._loading = True
        try:
            self.current = event
            day = event.date.isoformat() if event.date else self.tr("no date")
            self.heading.setText(f"{event.title} · {day}")
            set_line(self.title, event.title)
            kinds = sorted({e.kind for e in wb.events()}, key=str.casefold)
            self.kind.clear()
            self.kind.addItems(kinds)
            self.kind.setCurrentText(event.kind)
            self.date.set_value(event.date)
            set_line(self.location, event.location)
            self.in_person.setChecked(event.in_person)
            self.trust.setChecked(event.trust_building)
            self.notes.set_text(event.notes)
            attendance = wb.attendance_of_event(event.id)
            names = {m.id: m.name for m in wb.members_by_ids([a.member_id for a in attendance])}
            rows = [(a.member_id, (names.get(a.member_id, "?"), a.role)) for a in attendance]
            rows.sort(key=lambda r: r[1][0].casefold())
            self.attendees.set_rows(rows, self.tr("Nobody recorded"))
            for w in self._fields:
                w.setEnabled(self.controller.editable)
        finally:
            self._loading = False

    def _set(self, field: str, value: Any) -> None:
        ev = self.current
        if self._loading or ev is None or getattr(ev, field) == value:
            return
        label = self.tr("Edit event '{title}'").format(title=ev.title)
        _push_or_restore(self, UpdateEvent(ev.id, label, **{field: value}), self._restore)

    def _restore(self) -> None:
        if self.current:
            fresh = self.controller.document.event(self.current.id)
            if fresh:
                self.show_event(fresh)

    def _delete(self) -> None:
        if self.current and self.controller.editable:
            delete_events(self, self.controller, [self.current.id])


def _push_or_restore(page: QWidget, command: Command, restore: Any) -> None:
    controller = page.controller  # type: ignore[attr-defined]
    if not editing.push(page, controller, command):
        restore()


class DetailsPanel(QScrollArea):
    """Shows one member, relationship or event; a summary when several are selected."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Details"))
        container = QWidget(self)
        self.message = QLabel(container)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(self.fontMetrics().height())
        self.member_page = MemberPage(controller, container)
        self.relationship_page = RelationshipPage(controller, container)
        self.event_page = EventPage(controller, container)
        # Pages are shown one at a time in a plain layout (not a QStackedWidget, which is as
        # tall as its tallest page and would push a short page far down the scroll area).
        self.pages: list[QWidget] = [
            self.message,
            self.member_page,
            self.relationship_page,
            self.event_page,
        ]
        layout = vbox(container)
        layout.setContentsMargins(8, 8, 8, 8)
        for page in self.pages:
            layout.addWidget(page)
        self.current_page: QWidget = self.message
        self._set_page(self.message)
        self.setWidget(container)
        # What is shown: ("member" | "relationship" | "event" | "", id)
        self.showing: tuple[str, str] = ("", "")
        self._event_id = ""
        self.member_page.event_clicked.connect(self.show_event)
        event_focus(controller).event_chosen.connect(self.show_event)
        controller.selection_changed.connect(self._selection_changed)
        controller.changed.connect(self._changed)
        controller.document_changed.connect(self._document_changed)
        controller.busy_changed.connect(lambda _: self.refresh())
        self.refresh()

    def show_event(self, event_id: str) -> None:
        self._event_id = event_id
        if event_id:
            self._show("event", event_id)
        else:
            self.refresh()

    def _selection_changed(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> None:
        self._event_id = ""
        self.refresh()

    def _document_changed(self) -> None:
        self._event_id = ""
        self.member_page._private = None
        self.relationship_page._private = None
        self.refresh()

    def refresh(self) -> None:
        c = self.controller
        if not c.has_document:
            self._message(self.tr("No network is open."))
            return
        members, rels = c.selected_members, c.selected_relationships
        if self._event_id:
            self._show("event", self._event_id)
        elif len(members) == 1 and not rels:
            self._show("member", members[0])
        elif len(rels) == 1 and not members:
            self._show("relationship", rels[0])
        elif members or rels:
            parts = []
            if members:
                parts.append(plural(self.tr("%n member(s)", "", len(members)), len(members)))
            if rels:
                parts.append(plural(self.tr("%n relationship(s)", "", len(rels)), len(rels)))
            self._message(self.tr("{items} selected.").format(items=", ".join(parts)))
        else:
            self._message(
                self.tr("Select a member, relationship or event to see and edit its details.")
            )

    def _message(self, text: str) -> None:
        self.showing = ("", "")
        self.message.setText(text)
        self._set_page(self.message)

    def _show(self, kind: str, entity_id: str) -> None:
        wb = self.controller.document
        if kind == "member" and (m := wb.member(entity_id)) is not None:
            self.member_page.show_member(m)
            self._set_page(self.member_page)
        elif kind == "relationship" and (r := wb.relationship(entity_id)) is not None:
            self.relationship_page.show_relationship(r)
            self._set_page(self.relationship_page)
        elif kind == "event" and (e := wb.event(entity_id)) is not None:
            self.event_page.show_event(e)
            self._set_page(self.event_page)
        else:
            self._event_id = ""
            self._message(self.tr("That item no longer exists."))
            return
        self.showing = (kind, entity_id)

    def _changed(self, changes: Changes) -> None:
        kind, shown = self.showing
        if changes.reset or changes.settings:
            self.member_page._private = self.relationship_page._private = None
            self.refresh()
            return
        if not kind:
            return
        if kind == "member" and _only_fields_of(changes, shown):
            # Its own fields changed (an edit here or in a table): its lists stand.
            member = self.controller.document.member(shown)
            if member is not None:
                self.member_page.show_member(member, lists=False)
                return
        member_changed = kind == "member" and any(getattr(changes, n) for n in ENTITIES)
        rel_changed = kind == "relationship" and (
            shown in changes.relationships.all
            or bool(changes.members.updated)
            or bool(changes.ratings)
        )
        event_changed = kind == "event" and (
            shown in changes.events.all or bool(changes.attendance or changes.members.updated)
        )
        # Any entity change may concern the shown member (a new tie, a renamed organization,
        # a meeting); re-reading one member's lists is cheap.
        if member_changed or rel_changed or event_changed:
            self.refresh()

    def _set_page(self, page: QWidget) -> None:
        for other in self.pages:
            other.setVisible(other is page)
        self.current_page = page

    def focus_search(self) -> None:
        """No search box here: focus the first field instead."""
        self.current_page.setFocus()


def _only_fields_of(changes: Changes, member_id: str) -> bool:
    """Did ``changes`` touch nothing but this member's own row?"""
    members = changes.members
    if members.updated != {member_id} or members.added or members.removed:
        return False
    return not any(getattr(changes, name) for name in ENTITIES if name != "members")
