"""First use: the defaults a newcomer meets and the words the window uses (issue 12).

A new person's dialog starts from today and "not asked", an undo entry names members as they
are stored, the Present action follows the projector whatever ends it, and every count of
relationships says which count it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from weaver.core.commands import AddEntities, SetSettings, new_member
from weaver.core.health import assess
from weaver.core.metrics import load_network
from weaver.core.privacy import SETTING_KEY, PresentationPrivacy
from weaver.core.store import Document
from weaver.ui import editing
from weaver.ui.controller import Controller
from weaver.ui.dialogs.member import MemberDialog
from weaver.ui.dialogs.relationship import RelationshipDialog
from weaver.ui.panels.health import HealthPanel
from weaver.ui.workshop.projector import ProjectorView


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> Controller:
    wb = Document.create(tmp_path / "net.weaver", name="Test")
    AddEntities(
        [new_member("Priya Newcomer", id="priya"), new_member("Jerome Price", id="jerome")],
        "seed",
    ).apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


def _accept_after(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], fill) -> None:
    """Replace the modal loop: fill the real dialog's widgets, press OK."""

    def exec_(self: QDialog) -> int:
        fill(self)
        self.accept()
        return self.result()

    monkeypatch.setattr(cls, "exec", exec_)


def test_add_person_stores_today_and_not_asked_when_only_a_name_is_typed(monkeypatch, controller):
    _accept_after(monkeypatch, MemberDialog, lambda d: d.name.setText("Maya Lin"))
    new_id = editing.add_member(None, controller)
    member = controller.document.member(new_id)
    assert member.name == "Maya Lin"
    # Not 2000-01-01 (QDateEdit's own default) and not a "yes" nobody gave.
    assert member.joined_on == date.today()
    assert member.consent == "not_asked"


def test_add_person_with_the_date_cleared_stores_no_date(monkeypatch, controller):
    def fill(d: MemberDialog) -> None:
        d.name.setText("Maya Lin")
        d.joined.clear()  # the editor's own "No date" (its Clear button)

    _accept_after(monkeypatch, MemberDialog, fill)
    member = controller.document.member(editing.add_member(None, controller))
    assert member.joined_on is None


def test_editing_a_member_keeps_their_stored_date_and_consent(qtbot, controller):
    wb = controller.document
    AddEntities(
        [new_member("Old Hand", id="old", joined_on=date(2019, 5, 2), consent="yes")], "x"
    ).apply(wb)
    d = MemberDialog(wb, wb.member("old"))
    qtbot.addWidget(d)
    assert d.joined.value() == date(2019, 5, 2)
    assert d.consent.currentData() == "yes"


def test_add_relationship_undo_entry_names_members_as_stored(monkeypatch, controller):
    def fill(d: RelationshipDialog) -> None:
        d.source.set_member("priya")
        d.target.setText("Jerome Pr")  # half-typed: the only member it can mean

    _accept_after(monkeypatch, RelationshipDialog, fill)
    assert editing.add_relationship(None, controller) is not None
    assert controller.undo_stack.undoText() == "Add relationship Priya Newcomer – Jerome Price"


def _projector_closed_by(qtbot, main_window, end) -> None:
    action = main_window.actions["present"]
    assert action.isCheckable()
    action.trigger()  # View ▸ Present (F5)
    panel = main_window.workshop.presenter
    assert panel.window_ is not None and action.isChecked()
    projector = panel.window_
    end(projector)
    qtbot.waitUntil(lambda: panel.window_ is None)
    assert not action.isChecked()
    assert not panel.present_button.isChecked()


def _press_on_projector(qtbot, projector, key: Qt.Key) -> None:
    """The key as the room's presenter presses it: the projector is the active window (the
    offscreen platform does not activate it by itself) and its view has the focus."""
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow)
    projector.view.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_escape_on_the_projector_unchecks_present(qtbot, main_window):
    _projector_closed_by(
        qtbot, main_window, lambda w: _press_on_projector(qtbot, w, Qt.Key.Key_Escape)
    )


def test_f5_on_the_projector_unchecks_present(qtbot, main_window):
    _projector_closed_by(qtbot, main_window, lambda w: _press_on_projector(qtbot, w, Qt.Key.Key_F5))


def test_closing_the_projector_window_unchecks_present(qtbot, main_window):
    _projector_closed_by(qtbot, main_window, lambda w: w.close())


def test_present_button_in_the_dock_checks_the_action_too(qtbot, main_window):
    panel = main_window.workshop.presenter
    action = main_window.actions["present"]
    panel.present_button.click()
    assert panel.window_ is not None and action.isChecked()
    action.trigger()  # the menu ends it
    assert panel.window_ is None and not action.isChecked()
    assert not panel.present_button.isChecked()


def _demo_counts(path: Path) -> tuple[int, int, int]:
    """All relationships, those ended by today, tied pairs: counted here from the model."""
    with Document.open(path, readonly=True) as wb:
        data = load_network(wb, date.today())
        everything = data.relationships
        ended = [r for r in everything if not r.is_active(date.today())]
        pairs = {frozenset((r.source_id, r.target_id)) for r in data.active_relationships()}
        assert assess(data).scorecard["ties"] == len(pairs)
    return len(everything), len(ended), len(pairs)


def test_status_bar_says_relationships_and_how_many_ended(main_window, demo_path):
    total, ended, pairs = _demo_counts(demo_path)
    assert len({total, total - ended, pairs}) == 3  # three different numbers on the demo
    text = main_window.counts_label.text()
    assert f"{total} relationships, {ended} ended" in text
    assert f"{pairs} relationships" not in text and f"{total - ended} relationships" not in text


def test_health_scorecard_counts_tied_pairs_not_relationships(qtbot, demo_path):
    _total, _ended, pairs = _demo_counts(demo_path)
    c = Controller()
    c.set_document(Document.open(demo_path))
    try:
        panel = HealthPanel(c)
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.analysis.ready, timeout=30_000):
            panel.analysis.start_now()
        qtbot.waitUntil(lambda: not panel.analysis.running, timeout=5_000)
        table = panel.table
        shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
        assert shown["Tied pairs"] == str(pairs)
        assert not any("relationship" in label.casefold() for label in shown)
    finally:
        c.close_document()


def test_privacy_summary_says_what_is_shown_and_what_is_hidden():
    plain = PresentationPrivacy().summary()
    assert plain.startswith("Shown: names, organizations, tags · Hidden: private fields")
    assert "Members who said no: anonymous dots" in plain
    assert "Privacy on" not in plain  # "Privacy on: names, …" read as if names were hidden
    strict = PresentationPrivacy(
        label_mode="initials",
        consent_no="hidden",
        consent_not_asked="anonymous",
        private_tags=("donor", "board", "health"),
    ).summary("\n")
    assert strict.splitlines() == [
        "Shown: initials, organizations, public tags",
        "Hidden: full names, private fields and all other details, 3 private tags",
        "Members who said no: not shown",
        "Members not asked yet: anonymous dots",
    ]


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (640, 480)])
def test_privacy_badge_fits_the_projector(qtbot, controller, size):
    rules = PresentationPrivacy(
        label_mode="pseudonym", consent_not_asked="hidden", private_tags=("donor", "board")
    )
    controller.push(SetSettings({SETTING_KEY: rules.to_setting()}, "strict"))
    view = ProjectorView(controller)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_day(date.today() - timedelta(days=30))  # the replay date shares the bottom row
    badge, day = view.badge, view.date_label
    lines = badge.text().splitlines()
    sections = rules.summary("\n").splitlines()
    if size[0] >= 1024:  # a real projector: every word is there, in order, none elided
        words = [w for w in badge.text().split() if w != "·"]
        assert words == rules.summary(" ").split()
        assert "…" not in badge.text()
        assert len(lines) <= len(sections) + 1  # what fits shares a line
    assert all(line.strip() for line in lines)
    inside = badge.geometry()
    assert inside.left() >= 0 and inside.bottom() <= view.canvas.height()
    assert inside.right() < day.geometry().left()
    assert badge.sizeHint().width() <= badge.width()
    assert all(badge.fontMetrics().horizontalAdvance(line) <= badge.width() for line in lines)
