"""The workshop and weaving features as the main window offers them: menus, shortcuts, docks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from weaver.core.commands import UpdateMember
from weaver.ui.tasks import Task


def _tied_pair(wb) -> tuple[str, str, str]:
    rel = next(r for r in wb.relationships() if r.ended_on is None)
    return rel.source_id, rel.target_id, rel.id


def test_menus_offer_workshop_and_weaving(main_window):
    texts = {a.text().replace("&", "") for a in main_window.actions.values()}
    for wanted in (
        "Present",
        "Quick Entry",
        "Start Workshop…",
        "End Workshop",
        "Export Report…",
        "Take Snapshot…",
        "Rate Tie…",
    ):
        assert wanted in texts
    assert main_window.actions["present"].shortcut().toString() == "F5"
    assert main_window.actions["quick_entry"].shortcut().toString() == "Ctrl+K"
    names = {d.objectName() for d in main_window.docks}
    assert {"weavingDock", "healthDock", "networkDock", "quickEntryDock", "presenterDock"} <= names
    # The workshop docks wait until a workshop needs them.
    assert not main_window.workshop.quick_entry_dock.isVisible()
    assert not main_window.workshop.presenter_dock.isVisible()


def test_f5_presents_and_the_wall_mirrors_edits(qtbot, main_window):
    QTest.keyClick(main_window, Qt.Key.Key_F5)
    presenter = main_window.workshop.presenter
    qtbot.waitUntil(lambda: presenter.window_ is not None and presenter.window_.isVisible())
    assert main_window.actions["present"].isChecked()
    c = main_window.controller
    member = c.document.members()[0]
    c.push(UpdateMember(member.id, name="Shown On The Wall"))
    qtbot.waitUntil(lambda: "Shown On The Wall" in presenter.window_.view.projection.labels)
    main_window.actions["present"].trigger()
    qtbot.waitUntil(lambda: presenter.window_ is None)
    assert not main_window.actions["present"].isChecked()


def test_ctrl_k_opens_quick_entry_with_the_cursor_in_it(qtbot, main_window):
    QTest.keyClick(main_window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    panel = main_window.workshop.quick_entry
    qtbot.waitUntil(main_window.workshop.quick_entry_dock.isVisible)
    qtbot.waitUntil(panel.entry.hasFocus)


def test_start_workshop_records_who_was_in_the_room(qtbot, main_window, monkeypatch):
    from weaver.ui import dialogs

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Spring convening")
    c = main_window.controller
    before = len(c.document.events())
    main_window.actions["start_workshop"].trigger()
    session = main_window.workshop.session
    assert session.active
    event = c.document.event(session.event_id)
    assert (event.title, event.kind, event.in_person) == ("Spring convening", "workshop", True)
    assert len(c.document.events()) == before + 1
    assert not main_window.actions["start_workshop"].isEnabled()
    assert main_window.actions["end_workshop"].isEnabled()

    panel = main_window.workshop.quick_entry
    panel.entry.setText("Zora Newcomb")
    panel.commit()
    zora = next(m for m in c.document.members() if m.name == "Zora Newcomb")
    assert zora.id in session.attending()

    main_window.actions["end_workshop"].trigger()
    assert not session.active
    assert main_window.actions["start_workshop"].isEnabled()
    # Undo takes the entry back, then the workshop itself.
    main_window.undo()
    main_window.undo()
    assert len(c.document.events()) == before


def test_rate_tie_follows_the_selection(main_window, monkeypatch):
    from weaver.ui.dialogs import rate_tie

    c = main_window.controller
    a, b, rel_id = _tied_pair(c.document)
    c.select([a])
    assert not main_window.actions["rate_tie"].isEnabled()
    c.select([a, b])
    assert main_window.actions["rate_tie"].isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(rate_tie, "rate_tie", lambda parent, ctl, rid: asked.append(rid) or True)
    main_window.actions["rate_tie"].trigger()
    assert asked == [rel_id]


def test_export_report_from_the_network_menu(qtbot, main_window, monkeypatch, tmp_path: Path):
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "report.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    main_window.actions["export_report"].trigger()
    qtbot.waitUntil(out.exists, timeout=60_000)
    # The worker may still be finishing: the test (and its window) end only after it has.
    qtbot.waitUntil(lambda: not Task.any_running(), timeout=60_000)
    from openpyxl import load_workbook

    assert "Scorecard" in load_workbook(out, read_only=True).sheetnames


def test_table_columns_are_remembered(qtbot, main_window, prefs, prompts):
    from weaver.ui.main_window import MainWindow

    table = main_window.members_panel.table
    table.horizontalHeader().hideSection(1)
    main_window.save_layout()
    again = MainWindow(prefs=prefs)
    qtbot.addWidget(again)
    assert again.members_panel.table.horizontalHeader().isSectionHidden(1)


@pytest.mark.parametrize("key", ["start_workshop", "quick_entry", "rate_tie", "take_snapshot"])
def test_read_only_disables_workshop_and_weaving_edits(qtbot, demo_path, prefs, prompts, key):
    from weaver.core.store import Document
    from weaver.ui.main_window import MainWindow

    window = MainWindow(prefs=prefs)
    qtbot.addWidget(window)
    window.set_document(Document.open(demo_path, readonly=True))
    assert not window.actions[key].isEnabled()
    assert window.actions["export_report"].isEnabled()
    assert window.actions["present"].isEnabled()


def test_a_one_to_one_meeting_offers_to_rate_the_tie(qtbot, main_window):
    from PySide6.QtWidgets import QApplication

    from weaver.ui.dialogs.rate_tie import RateTieDialog

    c = main_window.controller
    a, b, rel_id = _tied_pair(c.document)
    c.select([])
    dialog = main_window.log_meeting()
    dialog.title_edit.setText("Coffee")
    dialog.add_attendee(a)
    dialog.add_attendee(b)
    dialog.accept()

    def rating_dialog():
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, RateTieDialog)]
        return found[0] if found else None

    qtbot.waitUntil(lambda: rating_dialog() is not None)
    shown = rating_dialog()
    assert shown.relationship_id == rel_id
    shown.reject()


def test_the_hidden_presenter_waits_and_the_wall_starts_current(qtbot, main_window):
    """Nobody sees the presenter's preview until asked: edits only mark it stale (no
    projection work per edit), and presenting afterwards shows the document as it is."""
    presenter = main_window.workshop.presenter
    preview = presenter.preview
    c = main_window.controller
    member = c.document.members()[0]
    c.push(UpdateMember(member.id, name="Renamed While Hidden"))
    assert preview._stale
    assert preview.projection is None or "Renamed While Hidden" not in preview.projection.labels
    main_window.actions["present"].trigger()
    qtbot.waitUntil(lambda: presenter.window_ is not None and presenter.window_.isVisible())
    assert "Renamed While Hidden" in presenter.window_.view.projection.labels
    preview.ensure_current()
    assert "Renamed While Hidden" in preview.projection.labels
    main_window.actions["present"].trigger()


def test_details_show_the_latest_rating_and_rate_again(qtbot, main_window, monkeypatch):
    from datetime import date

    from weaver.core.commands import RateTie
    from weaver.core.ratings import new_rating
    from weaver.ui.dialogs import rate_tie

    c = main_window.controller
    _a, _b, rel_id = _tied_pair(c.document)
    c.select(relationships=[rel_id])
    page = main_window.details_panel.relationship_page
    assert page.rating.text() in ("Not rated yet.",) or "rated" in page.rating.text()
    c.push(RateTie(new_rating(rel_id, date(2026, 10, 1), reliability=4, openness=2, influence=3)))
    assert "Trust 3.0 · value 3.0 (of 4), rated 2026-10-01" in page.rating.text()
    asked: list[str] = []
    monkeypatch.setattr(rate_tie, "rate_tie", lambda parent, ctl, rid: asked.append(rid) or True)
    page.rate_button.click()
    assert asked == [rel_id]
    main_window.undo()
    assert "2026-10-01" not in page.rating.text()


def test_weaving_panels_compute_only_when_their_tab_is_raised(qtbot, main_window):
    """Tabbed behind the details, the Health and Weaving panels stay idle (Qt still calls them
    visible); raising the tab starts the analysis."""
    health = main_window.weaving.health_panel
    qtbot.wait(800)  # past the analysis' debounce
    assert health.health is None and not health.analysis.running
    main_window.actions["show_health"].trigger()
    qtbot.waitUntil(lambda: health.health is not None, timeout=60_000)
