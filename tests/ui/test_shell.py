"""The desktop shell driven like a user would: the real main window on a copy of the demo network.

Toolbar buttons are clicked, text is typed into real widgets, modal dialogs are answered while
their own event loop runs; the document is then checked through the core.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox, QLineEdit, QWidget

from weaver.core.store import Document
from weaver.ui import dialogs
from weaver.ui.dialogs.meeting import LogMeetingDialog
from weaver.ui.dialogs.member import MemberDialog
from weaver.ui.main_window import EDITING_ACTIONS

pytestmark = pytest.mark.timeout(120)  # a modal dialog nobody answers fails, not hangs

# Every action that changes the document: the shell's own and those the workshop and weaving
# features add (all disabled while read-only).
EDITING = (
    *EDITING_ACTIONS,
    "start_workshop",
    "quick_entry",
    "rate_tie",
    "take_snapshot",
)


def digest(wb: Document) -> dict:
    """Everything the document holds except its history."""
    return wb.content_digest()


def file_digest(path: Path) -> dict:
    with Document.open(path, readonly=True) as wb:
        return digest(wb)


def click_tool(window, key: str) -> None:
    button = window.toolbar.widgetForAction(window.actions[key])
    assert button is not None and button.isEnabled(), key
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def when_modal(qtbot, answer: Callable[[QWidget], None]) -> list[BaseException]:
    """Answer the next modal dialog from inside its own event loop (``exec()`` blocks)."""
    failures: list[BaseException] = []

    def poll(tries: int = 3000) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:
                QTimer.singleShot(10, lambda: poll(tries - 1))
            return
        try:
            answer(dialog)
        except BaseException as exc:  # reported by the test, after exec() returned
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, poll)
    return failures


def ascii_people(wb: Document, n: int, *, with_ties: bool | None = None) -> list:
    out = []
    for m in sorted(wb.members(), key=lambda m: m.name):
        if m.kind != "person" or not m.name.isascii() or len(m.name.split()) < 2:
            continue
        if with_ties is not None and bool(wb.relationships_of([m.id])) != with_ties:
            continue
        out.append(m)
        if len(out) == n:
            break
    assert len(out) == n
    return out


def proxy_index(panel, entity_id: str, column_key: str):
    row = panel.model.row_of(entity_id)
    assert row is not None
    source = panel.model.index(row, panel.model.column_index(column_key))
    return panel.proxy.mapFromSource(source)


# ---- the whole round trip ---------------------------------------------------------------


def test_edit_undo_redo_and_reopen_through_the_ui(qtbot, main_window, demo_path, prompts, prefs):
    window = main_window
    c = window.controller
    wb = c.document
    start = digest(wb)
    counts = wb.counts()

    # 1. Add a member with the toolbar button and the member dialog.
    def fill_member(dialog: QWidget) -> None:
        assert isinstance(dialog, MemberDialog)
        QTest.keyClicks(dialog.name, "Testy Newcomer")
        QTest.keyClicks(dialog.location, "Riverside")
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    failures = when_modal(qtbot, fill_member)
    click_tool(window, "add_member")
    assert not failures, failures
    added = [m for m in wb.members() if m.name == "Testy Newcomer"]
    assert len(added) == 1 and added[0].location == "Riverside"
    newcomer = added[0].id
    assert c.selected_members == (newcomer,)
    assert window.members_panel.model.row_of(newcomer) is not None
    assert wb.counts()["people"] == counts["people"] + 1
    assert str(counts["people"] + 1) in window.counts_label.text()

    # 2. Edit a cell in place: F2, type, Return.
    table = window.members_panel.table
    index = proxy_index(window.members_panel, newcomer, "location")
    table.setCurrentIndex(index)
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_F2)
    assert table.state() == QAbstractItemView.State.EditingState
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    QTest.keyClicks(editor, "Upper Valley")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wb.member(newcomer).location == "Upper Valley")
    assert proxy_index(window.members_panel, newcomer, "location").data() == "Upper Valley"

    # 3. Log a meeting with three attendees, "record that attendees met".
    people = ascii_people(wb, 3)
    ids = [p.id for p in people]
    before_ties = {frozenset((r.source_id, r.target_id)): r for r in wb.relationships_of(ids)}
    c.select(members=[])
    click_tool(window, "log_meeting")
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, LogMeetingDialog)
    QTest.keyClicks(dialog.title_edit, "Harvest planning")
    for person in people:
        dialog.picker.setFocus()
        QTest.keyClicks(dialog.picker, person.name)
        QTest.keyClick(dialog.picker, Qt.Key.Key_Return)  # adds; must not press "Log meeting"
        assert dialog.isVisible()
    assert [a for a, _ in dialog.attendees()] == ids
    assert dialog.count_label.text() == "3 attendees"
    assert dialog.met_check.isEnabled()
    dialog.met_check.setChecked(True)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        QTest.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    events = [e for e in wb.events() if e.title == "Harvest planning"]
    assert len(events) == 1
    assert sorted(a.member_id for a in wb.attendance_of_event(events[0].id)) == sorted(ids)
    after_ties = {frozenset((r.source_id, r.target_id)): r for r in wb.relationships_of(ids)}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            pair = frozenset((a, b))
            assert pair in after_ties, "attendees who met are tied"
            if pair in before_ties:
                old = before_ties[pair].strength
                assert after_ties[pair].strength == min(5, old + 1)

    # 4. Delete a member with ties: asked first, with what goes with them.
    victim = ascii_people(wb, 1, with_ties=True)[0]
    n_ties = len(wb.relationships_of([victim.id]))
    c.select(members=[victim.id])
    prompts.reply = dialogs.Button.Yes
    window.actions["delete"].trigger()
    assert prompts.asked, "deleting a member with ties asks first"
    _title, question, details = prompts.asked[-1]
    assert victim.name in question
    assert f"{n_ties} relationship" in details
    assert wb.member(victim.id) is None
    assert window.members_panel.model.row_of(victim.id) is None

    # 5. Undo everything, one step at a time, with the toolbar's Undo button. (The map may add
    # its own step placing the new member: it is undone like the rest.)
    stack = c.undo_stack
    steps = [stack.text(i) for i in range(stack.count())]
    mine = [t for t in steps if not t.startswith("Place ")]
    assert mine == [
        "Add member 'Testy Newcomer'",
        "Change Location of 'Testy Newcomer'",
        "Log meeting 'Harvest planning'",
        f"Delete '{victim.name}'",
    ], steps
    end = digest(wb)
    for expected in reversed(range(len(steps))):
        assert window.actions["undo"].text() == f"&Undo {steps[expected]}"
        click_tool(window, "undo")
        assert stack.index() == expected
    assert not window.actions["undo"].isEnabled()
    assert digest(wb) == start, "undoing every step gives back the file as it was"
    assert wb.member(victim.id) is not None
    assert window.members_panel.model.row_of(newcomer) is None

    # 6. Redo all of it.
    for expected in range(1, len(steps) + 1):
        click_tool(window, "redo")
        assert stack.index() == expected
    assert digest(wb) == end
    assert window.members_panel.model.row_of(victim.id) is None
    assert not prompts.errors and not prompts.warned

    # 7. Close, reopen: everything persisted.
    window.close()
    assert not c.has_document
    assert file_digest(demo_path) == end
    from weaver.ui.main_window import MainWindow

    again = MainWindow(prefs=prefs, with_map=False)
    qtbot.addWidget(again)
    assert again.open_path(demo_path)
    wb2 = again.controller.document
    assert digest(wb2) == end
    assert wb2.member(newcomer).location == "Upper Valley"
    assert [e.title for e in wb2.events() if e.title == "Harvest planning"]
    assert again.members_panel.model.row_of(newcomer) is not None
    again.close()


# ---- refused files ----------------------------------------------------------------------


def _not_weaver(path: Path) -> None:
    path.write_bytes(b"name,email\nAda,ada@example.org\n" * 50)


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 9999")
    conn.commit()
    conn.close()


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 2, min(len(data), page * 12), page):
        data[start : start + 64] = b"\xff" * 64  # b-tree page headers: garbage
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("spoil", "headline"),
    [
        (_not_weaver, "not a Weaver network"),
        (_newer, "newer version"),
        (_damaged, "damaged"),
    ],
)
def test_refused_files_explain_and_stay_untouched(
    qtbot, main_window, demo_path, tmp_path, prompts, spoil, headline
):
    bad = tmp_path / "spoiled.weaver"
    bad.write_bytes(demo_path.read_bytes())
    spoil(bad)
    before = bad.read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir())

    assert not main_window.open_path(bad, ask_to_create=False)

    assert len(prompts.warned) == 1, prompts.warned
    title, text, informative = prompts.warned[0]
    assert bad.name in title and headline in text
    assert "not changed" in informative
    assert not prompts.errors
    assert bad.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no lock or journal left
    # The app stays usable, on the network it had open.
    assert main_window.controller.document.path == demo_path
    assert main_window.actions["add_member"].isEnabled()
    assert demo_path.name in main_window.windowTitle()


def test_a_file_in_use_is_refused_with_the_reason(qtbot, main_window, tmp_path, demo_path, prompts):
    busy = tmp_path / "busy.weaver"
    busy.write_bytes(demo_path.read_bytes())
    holder = sqlite3.connect(busy, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert not main_window.open_path(busy, ask_to_create=False)
    finally:
        holder.rollback()
        holder.close()
    assert prompts.warned and "in use" in prompts.warned[0][1]
    assert busy.read_bytes() == demo_path.read_bytes()
    assert main_window.controller.document.path == demo_path


def test_a_second_window_is_offered_read_only_and_cannot_edit(qtbot, main_window, demo_path, prefs):
    from weaver.ui.main_window import MainWindow

    prompts_seen = []

    def ask(parent, title, text, buttons=None, default=None, informative=""):
        prompts_seen.append((title, text, informative))
        return dialogs.Button.Open

    second = MainWindow(prefs=prefs, with_map=False)
    qtbot.addWidget(second)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dialogs, "ask", ask)
        assert second.open_path(demo_path)
    assert prompts_seen and "open for editing elsewhere" in prompts_seen[0][1]
    assert second.controller.readonly
    assert "read-only" in second.windowTitle()
    for key in EDITING:
        assert not second.actions[key].isEnabled(), key
    assert not second.actions["undo"].isEnabled() and not second.actions["redo"].isEnabled()
    assert "read-only" in second.mode_label.text().lower()
    assert not second.members_panel.add_person.isEnabled()
    # The first window still edits.
    assert main_window.actions["add_member"].isEnabled()
    second.close()


def test_declining_read_only_leaves_the_window_as_it_was(qtbot, main_window, demo_path, prefs):
    from weaver.ui.main_window import MainWindow

    second = MainWindow(prefs=prefs, with_map=False)
    qtbot.addWidget(second)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dialogs, "ask", lambda *a, **k: dialogs.Button.Cancel)
        assert not second.open_path(demo_path)
    assert not second.controller.has_document
    second.close()


def test_a_read_only_file_is_offered_read_only(qtbot, main_window, tmp_path, demo_path, prompts):
    import weaver.core.store as store

    copy = tmp_path / "readonly.weaver"
    copy.write_bytes(demo_path.read_bytes())
    before = copy.read_bytes()
    real_access = os.access
    prompts.reply = dialogs.Button.Open
    with pytest.MonkeyPatch.context() as mp:  # as root, chmod alone would not stop writing
        mp.setattr(store.os, "access", lambda p, m: False if Path(p) == copy else real_access(p, m))
        assert main_window.open_path(copy)
    assert prompts.asked and "cannot be changed here" in prompts.asked[-1][1]
    assert main_window.controller.readonly
    assert not main_window.actions["delete"].isEnabled()
    assert "read-only" in main_window.windowTitle()
    assert copy.read_bytes() == before


# ---- deleting asks, with counts ----------------------------------------------------------


def test_deleting_with_ties_can_be_cancelled(qtbot, main_window, prompts):
    c = main_window.controller
    victim = ascii_people(c.document, 1, with_ties=True)[0]
    c.select(members=[victim.id])
    before = digest(c.document)
    prompts.reply = dialogs.Button.Cancel
    main_window.members_panel.table.setFocus()
    QTest.keyClick(main_window.members_panel.table, Qt.Key.Key_Delete)
    assert prompts.asked and "will be deleted with them" in prompts.asked[-1][2]
    assert digest(c.document) == before
    assert c.undo_stack.count() == 0


def test_deleting_a_member_without_ties_does_not_ask(qtbot, main_window, prompts):
    c = main_window.controller
    loner = c.document.members()[0]
    from weaver.core.commands import AddEntities, new_member

    m = new_member("Solo Person", kind="person")
    c.push(AddEntities([m], "Add"))
    c.select(members=[m.id])
    main_window.actions["delete"].trigger()
    assert not prompts.asked
    assert c.document.member(m.id) is None
    assert c.document.member(loner.id) is not None


# ---- refusals are messages, not crashes -------------------------------------------------


def test_an_invalid_cell_edit_is_a_plain_refusal(qtbot, main_window, prompts):
    panel = main_window.members_panel
    member = main_window.controller.document.members()[0]
    index = proxy_index(panel, member.id, "name")
    before = digest(main_window.controller.document)
    assert not panel.proxy.setData(index, "   ")  # a name cannot be blank
    qtbot.waitUntil(lambda: bool(prompts.warned))
    assert not prompts.errors
    assert digest(main_window.controller.document) == before


def test_an_escaped_refusal_is_a_warning_not_the_error_dialog(qtbot, prompts):
    from weaver.core.model import ValidationError
    from weaver.ui.dialogs.errors import report_exception

    report_exception(None, ValidationError("a name cannot be empty"), "renaming")
    assert not prompts.errors
    assert prompts.warned and "a name cannot be empty" in prompts.warned[0][1]
    report_exception(None, RuntimeError("a bug"))
    assert prompts.errors


def test_the_excepthook_shows_refusals_plainly(qtbot, prompts, monkeypatch):
    from weaver.core.errors import ReadOnlyDocument
    from weaver.core.model import ValidationError
    from weaver.ui.dialogs.errors import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_excepthook(lambda: None)
    for exc in (ValidationError("strength must be 1-5"), ReadOnlyDocument("x.weaver", "is busy")):
        sys.excepthook(type(exc), exc, None)
    assert [w[1] for w in prompts.warned] == ["strength must be 1-5", "x.weaver: is busy"]
    assert not prompts.errors
    sys.excepthook(KeyError, KeyError("bug"), None)
    assert len(prompts.errors) == 1


# ---- the meeting dialog's keyboard ------------------------------------------------------


def test_return_in_the_attendee_box_adds_and_does_not_log(qtbot, main_window):
    c = main_window.controller
    dialog = main_window.log_meeting()
    assert isinstance(dialog, LogMeetingDialog)
    QTest.keyClicks(dialog.title_edit, "Walk")
    dialog.picker.setFocus()
    QTest.keyClicks(dialog.picker, "Brand New Person")
    QTest.keyClick(dialog.picker, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert len(dialog.attendees()) == 1 and dialog.picker.text() == ""
    assert dialog.count_label.text() == "1 attendee"
    # Return in the empty box logs the meeting (the default button).
    events = len(c.document.events())
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        QTest.keyClick(dialog.picker, Qt.Key.Key_Return)
    assert len(c.document.events()) == events + 1
    assert [m for m in c.document.members() if m.name == "Brand New Person"]


def test_the_completion_popup_picks_the_highlighted_name(qtbot, main_window):
    c = main_window.controller
    person = ascii_people(c.document, 1)[0]
    dialog = main_window.log_meeting()
    dialog.picker.setFocus()
    QTest.keyClicks(dialog.picker, person.name)
    popup = dialog.picker.completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert [a for a, _ in dialog.attendees()] == [person.id]
    assert dialog.isVisible()
    dialog.reject()


# ---- layout memory ----------------------------------------------------------------------


def test_table_header_state_round_trips(qtbot, main_window):
    from weaver.ui.panels.members import MembersPanel

    panel = main_window.members_panel
    header = panel.table.horizontalHeader()
    header.moveSection(0, 2)
    header.resizeSection(1, 222)
    panel.set_column_visible("email", True)
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    first = panel.proxy.id_at(0)
    state = panel.header_state()
    assert isinstance(state, QByteArray) and not state.isEmpty()

    other = MembersPanel(main_window.controller)
    qtbot.addWidget(other)
    assert not other.restore_header_state(QByteArray())
    assert not other.restore_header_state(QByteArray(b"not a header"))
    assert other.restore_header_state(state)
    again = other.table.horizontalHeader()
    assert again.visualIndex(0) == 2 and again.sectionSize(1) == 222
    assert "email" in other.visible_column_keys()
    assert other.proxy.id_at(0) == first


# ---- screenshots ------------------------------------------------------------------------


def _weaver(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "weaver", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_screenshot_has_exactly_the_size_asked(demo_path, tmp_path):
    out = tmp_path / "shot.png"
    before = demo_path.read_bytes()
    done = _weaver(str(demo_path), "--screenshot", str(out), "--size", "1200x800")
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert demo_path.read_bytes() == before


def test_screenshot_of_a_refused_file_exits_2_with_the_reason(tmp_path):
    bad = tmp_path / "notes.weaver"
    bad.write_text("this is not a network\n" * 20)
    before = bad.read_bytes()
    out = tmp_path / "shot.png"
    done = _weaver(str(bad), "--screenshot", str(out))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "notes.weaver" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    assert bad.read_bytes() == before


# ---- the controller's shared reads ------------------------------------------------------


def test_all_members_is_read_once_per_change(qtbot, main_window):
    from weaver.core.commands import AddEntities, new_member

    c = main_window.controller
    first = c.all_members()
    assert c.all_members() is first
    assert c.all_relationships() is c.all_relationships()
    person = new_member("Cache Check", kind="person")
    c.push(AddEntities([person], "Add"))
    assert person.id in {m.id for m in c.all_members()}
    rels = c.all_relationships()
    assert c.all_relationships() is rels  # members changed, relationships did not
    c.undo_stack.undo()
    assert person.id not in {m.id for m in c.all_members()}
    assert len(c.all_members()) == len(first)


def test_column_widths_order_and_choice_survive_a_restart(qtbot, main_window, demo_path, prefs):
    from weaver.ui.main_window import MainWindow

    panel = main_window.members_panel
    header = panel.table.horizontalHeader()
    header.resizeSection(1, 222)
    header.moveSection(0, 2)
    panel.set_column_visible("email", True)
    main_window.close()  # saves the layout in prefs

    again = MainWindow(prefs=prefs, with_map=False)
    qtbot.addWidget(again)
    assert again.open_path(demo_path)  # opening the document must not refit the columns
    restored = again.members_panel.table.horizontalHeader()
    assert restored.sectionSize(1) == 222 and restored.visualIndex(0) == 2
    assert "email" in again.members_panel.visible_column_keys()
    again.close()


def test_a_document_open_in_another_process_is_offered_read_only(
    qtbot, tmp_path, demo_path, prefs, prompts
):
    from weaver.ui.main_window import MainWindow

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from weaver.core.store import Document\n"
            "wb = Document.open(sys.argv[1])\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n"
            "wb.close()\n",
            str(demo_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = demo_path.read_bytes()
        window = MainWindow(prefs=prefs, with_map=False)
        qtbot.addWidget(window)
        prompts.reply = dialogs.Button.Open
        assert window.open_path(demo_path)
        assert "open for editing elsewhere" in prompts.asked[-1][1]
        assert window.controller.readonly and "read-only" in window.windowTitle()
        assert not any(window.actions[key].isEnabled() for key in EDITING)
        window.close()
        assert demo_path.read_bytes() == before
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0


def test_adding_a_member_is_one_undo_step(qtbot, main_window):
    """The map places a new member right after it is added; the user's one gesture must stay
    one undo step, and Undo takes back the member and its placement together."""

    def fill(dialog):
        QTest.keyClicks(dialog.name, "One Step")
        QTest.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    failures = when_modal(qtbot, fill)
    click_tool(main_window, "add_member")
    assert not failures
    wb = main_window.controller.document
    qtbot.waitUntil(
        lambda: any(m.name == "One Step" and m.x is not None for m in wb.members()), timeout=10_000
    )
    stack = main_window.controller.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Add member 'One Step'"]
    main_window.undo()
    assert not any(m.name == "One Step" for m in wb.members())
    main_window.redo()
    placed = next(m for m in wb.members() if m.name == "One Step")
    assert placed.x is not None and placed.y is not None
