"""The weaving panels, the rate-this-tie dialog and the printable report, driven like a user."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from weaver.core.codec import rating_from_row
from weaver.core.commands import AddEntities, LogMeeting, new_event, new_member, new_relationship
from weaver.core.health import assess
from weaver.core.metrics import load_network
from weaver.core.model import ValueItem
from weaver.core.report_data import build_report, map_data
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.dialogs.rate_tie import RateTieDialog
from weaver.ui.panels.health import HealthPanel
from weaver.ui.panels.health_background import analyses_running
from weaver.ui.panels.health_compare import CompareDialog
from weaver.ui.panels.network import NetworkPanel
from weaver.ui.panels.suggestions import WeavingPanel
from weaver.ui.report_pdf import write_report_pdf
from weaver.ui.report_pdf_map import render_map

TODAY = date.today()


@pytest.fixture
def controller(qtbot, tmp_path: Path):
    wb = Document.create(tmp_path / "net.weaver", name="Riverside Network")
    AddEntities(
        [
            new_member("Ana", id="ana", email="ana@secret.example", notes="SECRET-NOTE"),
            new_member(
                "Ben", id="ben", needs=(ValueItem("skill", "grant writing"),), phone="555-0199"
            ),
            new_member("Cleo", id="cleo"),
            new_member("Dev", id="dev"),
            new_member("Eve", id="eve", offers=(ValueItem("skill", "Grant-writing"),)),
            new_member("Finn", id="finn"),
            new_member("Zed Hidden", id="zed", consent="no"),
            new_relationship("ana", "cleo", id="ac", strength=5, notes="TIE-SECRET"),
            new_relationship("ben", "cleo", id="bc", strength=5),
            new_relationship("ana", "dev", id="ad"),
            new_relationship("ben", "dev", id="bd"),
            new_relationship("eve", "finn", id="ef"),
            new_relationship("zed", "finn", id="zf"),
        ],
        "seed",
    ).apply(wb)
    LogMeeting(
        new_event("Coffee", date=TODAY - timedelta(days=200)),
        [("ana", "attendee"), ("cleo", "attendee")],
    ).apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


def wait_ready(qtbot, analysis) -> None:
    with qtbot.waitSignal(analysis.ready, timeout=20_000):
        analysis.start_now()
    qtbot.waitUntil(lambda: not analysis.running, timeout=5_000)


def test_weaving_panel_suggests_selects_introduces_and_exports(qtbot, controller, tmp_path):
    panel = WeavingPanel(controller)
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel.analysis)
    tree = panel.suggestion_tree
    first = tree.topLevelItem(0)
    assert first.text(0) in ("Ana + Ben", "Ben + Ana")
    assert "2 shared contacts" in first.text(2)
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any("Eve" in t and "Ben" in t for t in texts)  # offer meets need across clusters
    assert not any("Zed" in t for t in texts)

    with qtbot.waitSignal(controller.selection_changed):
        first.setSelected(True)
    assert set(controller.selected_members) == {"ana", "ben"}
    assert panel.introduced_button.isEnabled()

    assert panel.mark_introduced()
    events = [e for e in controller.document.events() if e.kind == "introduction"]
    assert len(events) == 1 and events[0].title == "Introduction: Ana and Ben"
    wait_ready(qtbot, panel.analysis)
    assert all(
        tree.topLevelItem(i).text(0) not in ("Ana + Ben", "Ben + Ana")
        for i in range(tree.topLevelItemCount())
    )
    panel.show_answered.setCurrentIndex(1)
    assert "introduced" in tree.topLevelItem(0).text(2)
    controller.undo_stack.undo()
    assert not [e for e in controller.document.events() if e.kind == "introduction"]

    # Nudges: Ana and Cleo have not met in person for 200 days.
    wait_ready(qtbot, panel.analysis)
    panel.nudge_kind.setCurrentIndex(panel.nudge_kind.findData("cold_tie"))
    assert panel.nudge_tree.topLevelItemCount() == 1
    with qtbot.waitSignal(controller.selection_changed):
        panel.nudge_tree.topLevelItem(0).setSelected(True)
    assert controller.selected_relationships == ("ac",)

    # Offers & needs: Ben's need with Eve offering it.
    needs = panel.needs_tree
    assert needs.topLevelItemCount() == 1
    assert needs.topLevelItem(0).text(0) == "Ben" and "Eve" in needs.topLevelItem(0).text(2)

    out = tmp_path / "intros.xlsx"
    panel.show_answered.setCurrentIndex(0)
    assert panel.export_list(panel.suggestion_tree, "Introductions", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Introductions", "Members"]
    assert isinstance(book["Introductions"]["B2"].value, float)  # the score stays a number
    member_names = {row[0].value for row in book["Members"].iter_rows(min_row=2)}
    assert {"Ana", "Ben"} <= member_names
    text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    assert "ana@secret.example" not in text and "SECRET-NOTE" not in text


def test_weaving_panel_dismiss_and_cold_days(qtbot, controller):
    panel = WeavingPanel(controller)
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel.analysis)
    panel.suggestion_tree.topLevelItem(0).setSelected(True)
    assert panel.dismiss()
    wait_ready(qtbot, panel.analysis)
    assert panel.suggestion_tree.topLevelItem(0).text(0) not in ("Ana + Ben", "Ben + Ana")
    panel.cold_days.setValue(365)
    panel._set_cold_days()
    assert controller.document.setting("cold_tie_days") == 365
    wait_ready(qtbot, panel.analysis)
    assert not [n for n in panel.result["nudges"] if n.kind == "cold_tie"]


def test_health_panel_snapshot_trend_and_compare(qtbot, controller):
    panel = HealthPanel(controller)
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel.analysis)
    assert panel.table.rowCount() > 10
    assert panel.table.item(0, 0).text() == "Members" and panel.table.item(0, 1).text() == "7"
    assert panel.stage.text().startswith("Structure:")
    assert not panel.compare_button.isEnabled()

    assert panel.take_snapshot("before")
    wait_ready(qtbot, panel.analysis)
    assert len(panel.snapshots) == 1 and panel.compare_button.isEnabled()
    controller.push(AddEntities([new_member("Gus", id="gus")], "add Gus"))
    wait_ready(qtbot, panel.analysis)
    assert panel.table.item(0, 1).text() == "8" and panel.table.item(0, 2).text() == "7"
    assert panel.table.item(0, 3).text().startswith("↑")
    panel.table.selectRow(0)
    assert panel.selected_measure() == "members"

    from weaver.core.health import take_snapshot

    # A snapshot taken right after an edit waits for fresh measures.
    controller.push(AddEntities([new_member("Hana", id="hana")], "add Hana"))
    with qtbot.waitSignal(panel.analysis.ready, timeout=20_000):
        assert panel.take_snapshot("after Hana")
    stored = sorted(controller.document.rows("snapshots"), key=lambda r: r["taken_at"])
    assert json.loads(stored[-1]["measures"])["scorecard"]["members"] == 9
    controller.undo_stack.undo()  # the second snapshot
    controller.undo_stack.undo()  # Hana
    wait_ready(qtbot, panel.analysis)

    now = take_snapshot(panel.data, "now", health=panel.health)
    dialog = CompareDialog([*panel.snapshots, now])
    qtbot.addWidget(dialog)
    assert dialog.diff.new_members == ["Gus"]
    controller.undo_stack.undo()  # Gus
    controller.undo_stack.undo()  # the snapshot
    assert controller.document.rows("snapshots") == []


def test_network_panel_saves_profile_and_undo_reloads(qtbot, controller):
    panel = NetworkPanel(controller)
    qtbot.addWidget(panel)
    assert panel.name.text() == "Riverside Network" and not panel.save_button.isEnabled()
    panel.purpose.setPlainText("Clean river, shared work")
    panel.stage.setCurrentIndex(panel.stage.findData("alignment"))
    panel.answers["governance"].setPlainText("A rotating council")
    assert panel.save_button.isEnabled()
    assert panel.save()
    profile = controller.document.setting("profile")
    assert profile["purpose"] == "Clean river, shared work" and profile["stage"] == "alignment"
    assert profile["answers"] == {"governance": "A rotating council"}
    controller.undo_stack.undo()
    assert panel.purpose.toPlainText() == "" and panel.stage.currentData() == ""
    panel.name.setText("")
    panel._edited()
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    import weaver.ui.panels.network as network_module

    original = network_module.QMessageBox.warning
    network_module.QMessageBox.warning = staticmethod(lambda *a: shown.append(a[2]))
    try:
        assert not panel.save()
    finally:
        network_module.QMessageBox.warning = original
    assert shown and "name" in shown[0]
    assert QMessageBox is not None


def test_rate_tie_dialog_stores_a_dated_rating_and_prefills_the_next(qtbot, controller):
    dialog = RateTieDialog(controller, "ac")
    qtbot.addWidget(dialog)
    assert (
        "Met in person 1 time(s)" in dialog.context.text()
        and "200 days ago" in dialog.context.text()
    )
    dialog.scores["reliability"].setCurrentIndex(dialog.scores["reliability"].findData(4))
    dialog.scores["influence"].setCurrentIndex(dialog.scores["influence"].findData(2))
    dialog.notes.setPlainText("met at the river cleanup")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    [row] = controller.document.rows("ratings")
    rating = rating_from_row(row)
    assert rating.reliability == 4 and rating.influence == 2 and rating.openness is None
    assert rating.rated_on == TODAY

    again = RateTieDialog(controller, "ac")
    qtbot.addWidget(again)
    assert again.scores["reliability"].currentData() == 4
    assert again.previous.topLevelItemCount() == 1
    controller.undo_stack.undo()
    assert controller.document.rows("ratings") == []


def test_pdf_report_opens_and_holds_nothing_private(qtbot, controller, tmp_path):
    data = load_network(controller.document)
    health = assess(data)
    report = build_report(data, [], health=health)
    drawing = map_data(data, health)
    image = render_map(drawing, 400)
    assert not image.isNull()
    out = tmp_path / "report.pdf"
    write_report_pdf(report, out, drawing)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Riverside Network" in text and "Suggested introductions" in text
    assert "Scorecard" in text and "Nudges" in text
    for secret in ("ana@secret.example", "SECRET-NOTE", "TIE-SECRET", "555-0199", "Zed Hidden"):
        assert secret not in text
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "page")],
        check=True,
    )
    pages = list(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 5000


def test_health_panel_members_tab_selects(qtbot, controller):
    panel = HealthPanel(controller)
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel.analysis)
    view = panel.member_view
    assert view.model().rowCount() == 7
    top = view.model().index(0, 0)  # sorted by brokerage, highest first
    assert top.data() in ("Cleo", "Ana", "Ben", "Dev", "Finn")
    with qtbot.waitSignal(controller.selection_changed):
        view.selectRow(0)
    assert controller.selected_members == (top.data(Qt.ItemDataRole.UserRole),)


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_export_report_from_the_ui(qtbot, controller, tmp_path, suffix):
    from weaver.ui.report_pdf import export_report

    out = tmp_path / f"report{suffix}"
    export_report(None, controller, out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert out.stat().st_size > 1000


def test_hidden_panel_waits_until_shown(qtbot, controller):
    panel = WeavingPanel(controller)
    qtbot.addWidget(panel)
    controller.push(AddEntities([new_member("Gus", id="gus")], "add Gus"))
    qtbot.wait(800)  # past the debounce: hidden, so nothing ran
    assert panel.result is None and not panel.analysis.running
    with qtbot.waitSignal(panel.analysis.ready, timeout=20_000):
        panel.show()
    assert "Gus" in panel.result["names"].values()


def test_closing_a_panel_mid_analysis_is_safe(qtbot, controller):
    panel = WeavingPanel(controller)
    panel.analysis.start_now()
    assert analyses_running()  # the panel goes while its worker still runs
    panel.deleteLater()
    del panel
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not analyses_running(), timeout=20_000)
    # The worker's result had nowhere to go, and nothing broke: a new panel still analyses
    # and shows the network, and an edit still lands.
    again = WeavingPanel(controller)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.analysis.ready, timeout=20_000):
        again.show()
    assert again.result is not None and again.result["names"]
    controller.push(AddEntities([new_member("Hana", id="hana")], "add Hana"))
    assert controller.document.member("hana") is not None


def test_health_panel_ties_tab_shows_meetings_and_latest_rating(qtbot, controller):
    from weaver.core.commands import RateTie
    from weaver.core.ratings import new_rating

    controller.push(RateTie(new_rating("ac", TODAY, reliability=4, openness=3, influence=2)))
    panel = HealthPanel(controller)
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel.analysis)
    view = panel.tie_view
    model = view.model()
    assert model.rowCount() == 6
    rows = {
        model.index(r, 0).data(): [model.index(r, c).data() for c in range(8)]
        for r in range(model.rowCount())
    }
    ana_cleo = rows["Ana — Cleo"]
    assert ana_cleo[2] == "1" and ana_cleo[5] == "200"  # met once, 200 days ago
    assert ana_cleo[6] == "3.5" and ana_cleo[7] == "2.0"  # latest trust and value
    assert model.index(0, 0).data() == "Ana — Cleo"  # sorted by days since, longest first
    with qtbot.waitSignal(controller.selection_changed):
        view.selectRow(0)
    assert controller.selected_relationships == ("ac",)
