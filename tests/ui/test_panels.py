"""The table panels and the details panel, driven like a user would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QLineEdit, QSpinBox

from weaver.core.commands import (
    AddEntities,
    LogMeeting,
    SetSettings,
    UpdateMember,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.model import ValueItem
from weaver.core.store import Document
from weaver.ui import dialogs
from weaver.ui.controller import Controller
from weaver.ui.delegates import DateEditor, TagCompleter
from weaver.ui.panels.details import DetailsPanel
from weaver.ui.panels.events import EventsPanel, event_focus
from weaver.ui.panels.members import MembersPanel
from weaver.ui.panels.relationships import RelationshipsPanel


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> Controller:
    wb = Document.create(tmp_path / "net.weaver", name="Test")
    AddEntities(
        [
            new_member("Ana Ruiz", id="ana", tags=("youth", "housing")),
            new_member("José Núñez", id="jose", tags=("health",)),
            new_member("Bo Chen", id="bo", email="bo@example.org"),
            new_member("Green Co-op", id="org", kind="organization"),
            new_relationship("ana", "jose", id="r1", strength=4),
            new_relationship("ana", "bo", id="r2"),
        ],
        "seed",
    ).apply(wb)
    LogMeeting(new_event("Kickoff", id="ev1", date=date(2026, 1, 10)), [("ana", "host")]).apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


@pytest.fixture
def answers(monkeypatch):
    log: dict[str, list] = {"asked": [], "warned": []}

    def ask(parent, title, text, buttons=None, default=None, informative=""):
        log["asked"].append((text, informative))
        return dialogs.Button.Yes

    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "warn", lambda p, t, text, i="": log["warned"].append(text))
    return log


def panel(qtbot, cls, controller):
    widget = cls(controller)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def proxy_row(p, rid: str) -> int:
    index = p.proxy.mapFromSource(p.model.index(p.model.row_of(rid), 0))
    return index.row()


def test_selection_is_shared_without_feedback_loops(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    rels = panel(qtbot, RelationshipsPanel, controller)
    emitted = []
    controller.selection_changed.connect(lambda m, r: emitted.append((m, r)))

    members.table.selectRow(proxy_row(members, "jose"))
    assert controller.selected_members == ("jose",)
    assert len(emitted) == 1

    controller.select(members=["ana", "bo", "jose"])
    assert set(members.selected_ids()) == {"ana", "bo", "jose"}
    assert len(emitted) == 2  # the panel's echo did not emit again

    rels.table.selectRow(proxy_row(rels, "r1"))
    assert controller.selected_relationships == ("r1",)
    assert controller.selected_members == ()
    assert members.selected_ids() == []


def test_search_box_filters_and_keeps_the_shared_selection(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    controller.select(members=["ana"])
    qtbot.keyClicks(members.search, "jose")
    assert members.proxy.rowCount() == 1
    assert members.proxy.id_at(0) == "jose"
    assert "1 of 4" in members.count_label.text()
    assert controller.selected_members == ("ana",)
    members.search.clear()
    assert members.count_label.text() == "4 rows"
    assert members.selected_ids() == ["ana"]  # shown again, selected again
    members.focus_search()
    assert members.search.hasFocus() or not members.isActiveWindow()


def test_column_chooser_and_header_state(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    email = members.model.column_index("email")
    assert members.table.isColumnHidden(email)
    qtbot.keyClicks(members.search, "example.org")
    assert members.proxy.rowCount() == 0  # hidden columns are not searched
    titles = [a.text() for a in members.columns_menu().actions() if a.isCheckable()]
    assert "E-mail" in titles
    members.set_column_visible("email", True)
    assert members.proxy.rowCount() == 1
    state = members.header_state()

    again = panel(qtbot, MembersPanel, controller)
    assert again.table.isColumnHidden(email)
    assert again.restore_header_state(state)
    assert not again.table.isColumnHidden(email)
    assert "email" in again.visible_column_keys()
    assert members.columns_button.accessibleName()


def test_toolbar_buttons_have_accessible_names_and_follow_selection(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    assert members.add_person.accessibleName() and members.delete.accessibleName()
    assert not members.delete.isEnabled()
    controller.select(members=["bo"])
    assert members.delete.isEnabled()


def test_delete_key_asks_with_counts_and_is_undoable(qtbot, controller, answers):
    members = panel(qtbot, MembersPanel, controller)
    controller.select(members=["ana"])
    members.table.setFocus()
    qtbot.keyClick(members.table, Qt.Key.Key_Delete)
    question, details = answers["asked"][-1]
    assert "Ana Ruiz" in question
    assert "2 relationships" in details and "1 meeting attendance record" in details
    assert controller.document.member("ana") is None
    assert members.model.row_of("ana") is None
    controller.undo_stack.undo()
    assert members.model.row_of("ana") is not None


def test_in_place_choice_edit_through_the_delegate(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    index = members.proxy.index(proxy_row(members, "bo"), members.model.column_index("kind"))
    members.table.setCurrentIndex(index)
    members.table.edit(index)
    editor = members.table.viewport().findChild(QComboBox)
    assert editor is not None
    editor.setCurrentIndex(editor.findData("organization"))
    members.table.commitData(editor)
    members.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert controller.document.member("bo").kind == "organization"
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Change Kind of 'Bo Chen'"


def test_in_place_strength_and_date_edits(qtbot, controller):
    rels = panel(qtbot, RelationshipsPanel, controller)
    index = rels.proxy.index(proxy_row(rels, "r2"), rels.model.column_index("strength"))
    rels.table.edit(index)
    spin = rels.table.viewport().findChild(QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (1, 5)
    spin.setValue(5)
    rels.table.commitData(spin)
    rels.table.closeEditor(spin, QAbstractItemDelegate.EndEditHint.NoHint)
    assert controller.document.relationship("r2").strength == 5

    index = rels.proxy.index(proxy_row(rels, "r2"), rels.model.column_index("since"))
    rels.table.edit(index)
    editor = rels.table.viewport().findChild(DateEditor)
    editor.set_value(date(2020, 5, 17))
    rels.table.commitData(editor)
    rels.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert controller.document.relationship("r2").since == date(2020, 5, 17)
    # Let the closed editor be deleted, so the next lookup finds the new one.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    rels.table.edit(index)
    editor = rels.table.viewport().findChild(DateEditor)
    assert editor.value() == date(2020, 5, 17)
    editor.clear()  # the Clear button empties the date
    rels.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert controller.document.relationship("r2").since is None
    assert controller.undo_stack.count() == 3


def test_tags_editor_completes_the_last_tag(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    index = members.proxy.index(proxy_row(members, "bo"), members.model.column_index("tags"))
    members.table.edit(index)
    editor = members.table.viewport().findChild(QLineEdit)
    completer = editor.completer()
    assert isinstance(completer, TagCompleter)
    editor.setText("youth, hea")
    assert completer.splitPath(editor.text()) == ["hea"]
    tags = completer.model().stringList()
    assert {"youth", "housing", "health"} <= set(tags)
    health = completer.model().index(tags.index("health"), 0)
    assert completer.pathFromIndex(health) == "youth, health, "
    editor.setText("youth, health, ")
    members.table.commitData(editor)
    members.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert controller.document.member("bo").tags == ("youth", "health")


def test_invalid_cell_edit_shows_a_message(qtbot, controller, answers):
    members = panel(qtbot, MembersPanel, controller)
    index = members.proxy.index(proxy_row(members, "bo"), members.model.column_index("name"))
    assert not members.proxy.setData(index, " ")
    qtbot.waitUntil(lambda: bool(answers["warned"]))
    assert "name" in answers["warned"][0]
    assert controller.undo_stack.count() == 0


def test_events_panel_newest_first_and_details(qtbot, controller):
    controller.push(LogMeeting(new_event("Retreat", id="ev2", date=date(2026, 3, 1)), []))
    events = panel(qtbot, EventsPanel, controller)
    details = panel(qtbot, DetailsPanel, controller)
    assert [events.proxy.id_at(r) for r in range(2)] == ["ev2", "ev1"]
    header = events.table.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    events.table.selectRow(1)
    assert details.showing == ("event", "ev1")
    assert details.event_page.attendees.topLevelItemCount() == 1
    details.event_page.location.setText("Town hall")
    details.event_page.location.editingFinished.emit()
    assert controller.document.event("ev1").location == "Town hall"
    # Choosing a member elsewhere shows the member again.
    controller.select(members=["bo"])
    assert details.showing == ("member", "bo")
    event_focus(controller).event_chosen.emit("ev2")
    assert details.showing == ("event", "ev2")


def test_details_panel_edits_member_in_place(qtbot, controller):
    details = panel(qtbot, DetailsPanel, controller)
    assert details.showing == ("", "")
    controller.select(members=["ana"])
    page = details.member_page
    assert details.showing == ("member", "ana")
    assert page.edits["name"].text() == "Ana Ruiz"
    assert page.relationships.topLevelItemCount() == 2
    assert page.meetings.topLevelItemCount() == 1

    page.edits["role"].setText("Coordinator")
    page.edits["role"].editingFinished.emit()
    assert controller.document.member("ana").role == "Coordinator"
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Change Role of 'Ana Ruiz'"

    kind, text = page.value_inputs["offers"]
    kind.setCurrentIndex(kind.findData("skill"))
    text.setText("grant writing")
    page._add_value("offers")
    assert controller.document.member("ana").offers == (ValueItem("skill", "grant writing"),)
    page.value_lists["offers"].topLevelItem(0).setSelected(True)
    page._remove_values("offers")
    assert controller.document.member("ana").offers == ()

    page._add_custom()
    assert "new field" in controller.document.member("ana").custom
    page.custom.item(0, 0).setText("district")
    page.custom.item(0, 1).setText("North")
    assert controller.document.member("ana").custom == {"district": "North"}

    # Clicking a related member selects them.
    row = next(
        page.relationships.topLevelItem(i)
        for i in range(page.relationships.topLevelItemCount())
        if page.relationships.topLevelItem(i).text(0) == "Bo Chen"
    )
    page.relationships.itemClicked.emit(row, 0)
    assert controller.selected_members == ("bo",)
    assert details.showing == ("member", "bo")


def test_details_panel_refuses_invalid_values_and_restores(qtbot, controller, answers):
    details = panel(qtbot, DetailsPanel, controller)
    controller.select(members=["ana"])
    name = details.member_page.edits["name"]
    name.setText("   ")
    name.editingFinished.emit()
    assert answers["warned"]
    assert name.text() == "Ana Ruiz"
    assert controller.undo_stack.count() == 0


def test_details_panel_marks_private_fields(qtbot, controller):
    details = panel(qtbot, DetailsPanel, controller)
    controller.select(members=["bo"])
    form = details.member_page.form
    labels = [
        form.itemAt(r, form.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())
    ]
    assert "E-mail (private)" in labels and "Location" in labels
    controller.push(SetSettings({"private_fields": {"members": ["location"]}}))
    labels = [
        form.itemAt(r, form.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())
    ]
    assert "Location (private)" in labels and "E-mail" in labels


def test_details_panel_follows_changes_and_relationships(qtbot, controller):
    details = panel(qtbot, DetailsPanel, controller)
    controller.select(relationships=["r1"])
    page = details.relationship_page
    assert "Ana Ruiz" in page.title.text() and "José Núñez" in page.title.text()
    page.strength.setValue(2)
    page.strength.editingFinished.emit()
    assert controller.document.relationship("r1").strength == 2
    controller.push(UpdateMember("jose", name="José N."))
    assert "José N." in page.title.text()
    controller.select(members=["ana", "bo"])
    assert "2 members" in details.message.text()
    controller.select(members=["jose"])
    controller.select(members=["jose"], relationships=[])
    assert details.showing == ("member", "jose")


def test_panels_survive_closing_the_document(qtbot, controller):
    widgets = [
        panel(qtbot, cls, controller)
        for cls in (MembersPanel, RelationshipsPanel, EventsPanel, DetailsPanel)
    ]
    controller.select(members=["ana"])
    controller.close_document()
    assert widgets[0].model.rowCount() == 0
    assert "No network" in widgets[3].message.text()
    assert not widgets[0].add_person.isEnabled()
    sel = widgets[0].table.selectionModel()
    sel.select(widgets[0].proxy.index(0, 0), QItemSelectionModel.SelectionFlag.Select)


def test_delete_key_in_relationships_and_events(qtbot, controller, answers):
    rels = panel(qtbot, RelationshipsPanel, controller)
    controller.select(relationships=["r1"])
    rels.table.setFocus()
    qtbot.keyClick(rels.table, Qt.Key.Key_Delete)
    assert controller.document.relationship("r1") is None
    assert answers["asked"] == []  # relationships own nothing else: undo is enough

    events = panel(qtbot, EventsPanel, controller)
    events.table.selectRow(0)
    events.table.setFocus()
    qtbot.keyClick(events.table, Qt.Key.Key_Delete)
    question, details = answers["asked"][-1]
    assert "1 event" in question and "1 attendance record" in details
    assert controller.document.event("ev1") is None
    assert controller.undo_stack.count() == 2


def test_double_click_opens_the_edit_dialog(qtbot, controller, monkeypatch):
    from weaver.ui import editing

    opened = []
    monkeypatch.setattr(editing, "edit_member", lambda p, c, mid: opened.append(mid))
    monkeypatch.setattr(editing, "edit_relationship", lambda p, c, rid: opened.append(rid))
    members = panel(qtbot, MembersPanel, controller)
    index = members.proxy.index(proxy_row(members, "jose"), 0)
    members.table.selectRow(index.row())
    members.table.doubleClicked.emit(index)
    rels = panel(qtbot, RelationshipsPanel, controller)
    rels.table.selectRow(proxy_row(rels, "r2"))
    rels.table.setFocus()
    qtbot.keyClick(rels.table, Qt.Key.Key_Return)
    assert opened == ["jose", "r2"]


def test_members_panel_shows_people_or_organizations(qtbot, controller):
    members = panel(qtbot, MembersPanel, controller)
    members.show_kind("organization")
    assert [members.proxy.id_at(r) for r in range(members.proxy.rowCount())] == ["org"]
    assert "1 of 4" in members.count_label.text()
    members.show_kind("person")
    assert members.proxy.rowCount() == 3
    qtbot.keyClicks(members.search, "co")  # both filters at once
    assert [members.proxy.id_at(r) for r in range(members.proxy.rowCount())] == []
    members.show_kind("")
    assert [members.proxy.id_at(r) for r in range(members.proxy.rowCount())] == ["org"]
