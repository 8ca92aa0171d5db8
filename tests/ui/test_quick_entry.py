"""Quick entry and the workshop session, driven through the real widgets."""

from PySide6.QtCore import Qt

from weaver.core.commands import AddEntities, new_member
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.workshop.quick_entry import QuickEntryPanel
from weaver.ui.workshop.session import WorkshopSession


def _setup(qtbot, tmp_path):
    wb = Document.create(tmp_path / "room.weaver", name="Room")
    AddEntities([new_member("José Álvarez"), new_member("Ana Ruiz")], "seed").apply(wb)
    controller = Controller()
    controller.set_document(wb)
    session = WorkshopSession(controller)
    panel = QuickEntryPanel(controller, session)
    qtbot.addWidget(panel)
    return controller, session, panel


def _enter(qtbot, panel, text):
    # QTest can only type ASCII keys; "↔" and accents arrive as text, like an input method.
    panel.entry.setText(text)
    qtbot.keyClick(panel.entry, Qt.Key.Key_Return)


def test_quick_entry_adds_members_and_ties_and_deduplicates(qtbot, tmp_path):
    controller, _session, panel = _setup(qtbot, tmp_path)
    wb = controller.document

    qtbot.keyClicks(panel.entry, "jose")
    assert panel.suggestions.item(0).text() == "José Álvarez"
    qtbot.keyClick(panel.entry, Qt.Key.Key_Return)
    assert "already in the network as José Álvarez" in panel.feedback.text()
    assert wb.counts()["members"] == 2

    _enter(qtbot, panel, "Dana Lee")
    assert wb.counts()["members"] == 3
    _enter(qtbot, panel, "Ana ↔ Dana Lee")
    assert wb.counts()["relationships"] == 1
    _enter(qtbot, panel, "ana ruiz <-> dana lee")
    assert wb.counts()["relationships"] == 1
    assert "already tied" in panel.feedback.text()

    # Tab completes the name being typed from the suggestions
    panel.entry.clear()
    qtbot.keyClicks(panel.entry, "Dana: jos")
    qtbot.keyClick(panel.entry, Qt.Key.Key_Tab)
    assert panel.entry.text() == "Dana: José Álvarez"

    assert controller.undo_stack.count() == 2
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert wb.counts() | {"history": 0} == {
        **wb.counts(),
        "members": 2,
        "relationships": 0,
        "history": 0,
    }


def test_workshop_session_records_who_was_in_the_room(qtbot, tmp_path):
    controller, session, panel = _setup(qtbot, tmp_path)
    wb = controller.document
    event_id = session.start("Spring convening")
    assert wb.event(event_id).kind == "workshop" and wb.event(event_id).in_person

    _enter(qtbot, panel, "Ana Ruiz")  # existing member: attends, nothing else added
    _enter(qtbot, panel, "Ana: Ben Cole, José")
    attendees = {a.member_id for a in wb.attendance_of_event(event_id)}
    names = {wb.member(m).name for m in attendees}
    assert names == {"Ana Ruiz", "Ben Cole", "José Álvarez"}

    controller.undo_stack.undo()  # the answers line
    controller.undo_stack.undo()  # Ana's attendance
    controller.undo_stack.undo()  # the workshop itself
    assert not session.active
    assert wb.counts()["events"] == 0
