"""The import preview and the export dialog: read in a worker, preview, import as one undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from weaver.core.commands import AddEntities, new_member
from weaver.core.store import Document
from weaver.ui.controller import Controller

# The dialogs run their work through the shell's task runner (weaver/ui/tasks.py).
pytest.importorskip("weaver.ui.tasks")
from weaver.ui.dialogs.import_dialog import ImportDialog


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> Controller:
    wb = Document.create(tmp_path / "net.weaver", name="Test")
    AddEntities(
        [
            new_member("Ana Ruiz", id="ana", email="ana@example.org"),
            new_member("Bo Chen", id="bo"),
        ],
        "seed",
    ).apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


def people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(
        "Full name,E-mail,Team,Joined\n"
        "Ana R.,ana@example.org,North,2024-01-02\n"
        "bo chen,,South,\n"
        "Cy Diaz,cy@example.org,North,soon\n"
        ",nobody@example.org,West,\n",
        encoding="utf-8",
    )
    return path


def open_preview(qtbot, controller, path) -> ImportDialog:
    dialog = ImportDialog(controller, path)
    qtbot.addWidget(dialog)
    task = dialog.preview()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert dialog.plan is not None
    return dialog


def count(dialog: ImportDialog, row: int, col: int) -> str:
    return dialog.counts.item(row, col).text()


def test_preview_shows_counts_match_rules_mapping_and_problems(qtbot, controller, tmp_path):
    dialog = open_preview(qtbot, controller, people_csv(tmp_path))
    assert (count(dialog, 0, 0), count(dialog, 0, 1)) == ("1", "2")  # members: add, update
    assert "1 by e-mail" in dialog.matched.text() and "1 by exact name" in dialog.matched.text()
    matches = [
        [dialog.matches.item(r, c).text() for c in range(4)]
        for r in range(dialog.matches.rowCount())
    ]
    assert matches == [
        ["2", "Ana R.", "Ana Ruiz", "same e-mail"],
        ["3", "bo chen", "Bo Chen", "same name"],
    ]
    mapped = {
        dialog.mapping.item(r, 1).text(): dialog.mapping.cellWidget(r, 2).currentData()
        for r in range(dialog.mapping.rowCount())
    }
    assert mapped == {
        "Full name": "name",
        "E-mail": "email",
        "Team": "custom:Team",
        "Joined": "joined_on",
    }
    problems = [
        [dialog.problems.item(r, c).text() for c in range(4)]
        for r in range(dialog.problems.rowCount())
    ]
    assert ["", "4", "Joined", "'soon' is not a date (use YYYY-MM-DD); value ignored"] in problems
    assert any(p[1] == "5" and "no name" in p[3] for p in problems)
    assert dialog.import_button.isEnabled()
    assert controller.document.counts()["members"] == 2  # a preview changes nothing


def test_editing_the_mapping_reads_again(qtbot, controller, tmp_path):
    dialog = open_preview(qtbot, controller, people_csv(tmp_path))
    row = next(
        r for r in range(dialog.mapping.rowCount()) if dialog.mapping.item(r, 1).text() == "Team"
    )
    combo: QComboBox = dialog.mapping.cellWidget(row, 2)
    first = dialog.plan
    combo.setCurrentIndex(combo.findData("sector"))
    qtbot.waitUntil(lambda: dialog.plan is not first and not dialog.task.running, timeout=10_000)
    team = next(c for c in dialog.plan.columns if c.header == "Team")
    assert team.field == "sector"
    added = dialog.plan.adds["members"][0]
    assert added.sector == "North" and "Team" not in added.custom


def test_import_is_one_undo_step(qtbot, controller, tmp_path):
    dialog = open_preview(qtbot, controller, people_csv(tmp_path))
    changes = []
    controller.changed.connect(changes.append)
    task = dialog.apply()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert dialog.applied and task.outcome == "done"
    wb = controller.document
    assert wb.counts()["members"] == 3
    assert wb.member("ana").custom == {"Team": "North"}
    assert changes and changes[-1].members.added
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    qtbot.waitUntil(lambda: controller.editable, timeout=10_000)
    assert wb.counts()["members"] == 2
    assert wb.member("ana").custom == {}


def test_blocking_file_cannot_be_imported(qtbot, controller, data_dir):
    dialog = open_preview(qtbot, controller, data_dir / "kumu" / "overview-of-the-euro-crisis.xlsx")
    assert not dialog.import_button.isEnabled()
    assert "cannot be imported" in dialog.summary.text()
    assert "Blocks the import" in dialog.problems.item(0, 3).text()
    assert dialog.tabs.currentWidget() is dialog.problems
    assert dialog.apply() is None


def test_cancelling_the_import_changes_nothing(qtbot, controller, tmp_path, monkeypatch):
    import time

    from weaver.core.io.plan import ApplyImportPlan

    original = ApplyImportPlan._check

    def wait_for_cancel(self, done, total):
        # Hold the worker inside the transaction until the user presses Cancel.
        deadline = time.monotonic() + 10
        while not self.cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        original(self, done, total)

    monkeypatch.setattr(ApplyImportPlan, "_check", wait_for_cancel)
    dialog = open_preview(qtbot, controller, people_csv(tmp_path))
    before = controller.document.content_digest()
    task = dialog.apply()
    assert not controller.editable  # editing paused while the write runs
    task.cancel()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert task.outcome == "cancelled"
    assert controller.document.content_digest() == before
    assert controller.undo_stack.count() == 0
    assert not dialog.applied
    assert "cancelled" in dialog.summary.text()
    assert controller.editable


def test_prune_option_shows_removals(qtbot, controller, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Name\nAna Ruiz\n", encoding="utf-8")
    dialog = open_preview(qtbot, controller, path)
    assert dialog.counts.isColumnHidden(4)
    first = dialog.plan
    dialog.prune.setChecked(True)
    qtbot.waitUntil(lambda: dialog.plan is not first and not dialog.task.running, timeout=10_000)
    assert not dialog.counts.isColumnHidden(4)
    assert count(dialog, 0, 4) == "1"


def test_edges_to_people_the_nodes_table_lacks_are_skipped_unless_asked(
    qtbot, controller, tmp_path
):
    """A nodes-and-edges file whose edge names an unknown id made a member silently."""
    import openpyxl

    book = openpyxl.Workbook()
    nodes = book.active
    nodes.title = "Nodes"
    nodes.append(["Id", "Label"])
    nodes.append(["n1", "Cy Diaz"])
    edges = book.create_sheet("Edges")
    edges.append(["Source", "Target"])
    edges.append(["n1", "n2"])  # n2 is nobody
    book.save(tmp_path / "gephi.xlsx")
    dialog = open_preview(qtbot, controller, tmp_path / "gephi.xlsx")
    assert not dialog.create_missing.isHidden()
    assert count(dialog, 1, 0) == "0"  # the relationship is skipped…
    assert any("n2" in p.message for p in dialog.plan.problems)  # …and named
    first = dialog.plan
    dialog.create_missing.setChecked(True)
    qtbot.waitUntil(lambda: dialog.plan is not first and not dialog.task.running, timeout=10_000)
    assert count(dialog, 0, 0) == "2" and count(dialog, 1, 0) == "1"


def test_export_dialog_names_private_fields_and_writes_in_a_worker(qtbot, controller, tmp_path):
    import csv

    from weaver.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    assert dialog.fmt == "members"
    assert not dialog.include_private.isChecked()
    # Before writing, the dialog says what the export leaves out, in the CLI's words.
    assert "private fields left out (E-mail, Notes, Phone" in dialog.privacy_note.text()
    dialog.include_private.setChecked(True)
    assert "includes private fields (E-mail" in dialog.privacy_note.text()
    dialog.formats.setCurrentRow(dialog.formats.count() - 1)
    assert dialog.fmt == "graphml" and dialog.suggested_name() == "Test.graphml"
    dialog.formats.setCurrentRow(0)
    # The whole record is no exception: private fields stay out unless ticked.
    assert dialog.fmt == "weaver"
    assert not dialog.include_private.isChecked() and dialog.include_private.isEnabled()
    assert "private fields left out" in dialog.privacy_note.text()

    dialog.formats.setCurrentRow(2)  # the member list as CSV
    dest = tmp_path / "list.csv"
    task = dialog.export_to(dest)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert dialog.written == dest
    with dest.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["Name"] for r in rows} == {"Ana Ruiz", "Bo Chen"}
    assert "E-mail" not in rows[0]


def test_export_dialog_reports_a_failure(qtbot, controller, tmp_path):
    from weaver.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    task = dialog.export_to(tmp_path / "missing-folder" / "x.xlsx")
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert dialog.written is None
    assert "Nothing was written" in dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_choosing_the_name_column_unblocks_an_unknown_header(qtbot, controller, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Respondent,Department\nDee,Housing\n", encoding="utf-8")
    dialog = open_preview(qtbot, controller, path)
    assert dialog.plan.blocking and not dialog.import_button.isEnabled()
    combo: QComboBox = dialog.mapping.cellWidget(0, 2)
    first = dialog.plan
    combo.setCurrentIndex(combo.findData("name"))
    qtbot.waitUntil(lambda: dialog.plan is not first and not dialog.task.running, timeout=10_000)
    assert not dialog.plan.blocking
    assert dialog.import_button.isEnabled()
    assert dialog.plan.adds["members"][0].name == "Dee"


def test_preview_counts_ratings_and_snapshots_of_a_weaver_workbook(qtbot, controller, tmp_path):
    import datetime as dt

    from weaver.core.commands import RateTie, TakeSnapshot, new_relationship
    from weaver.core.health import take_snapshot
    from weaver.core.io.exporting import export
    from weaver.core.metrics import load_network
    from weaver.core.ratings import new_rating

    with Document.create(tmp_path / "source.weaver") as source:
        tie = new_relationship("cy", "di")
        AddEntities([new_member("Cy Diaz", id="cy"), new_member("Di Evans", id="di")], "m").apply(
            source
        )
        AddEntities([tie], "tie").apply(source)
        RateTie(new_rating(tie.id, dt.date(2026, 5, 1), reliability=3)).apply(source)
        RateTie(new_rating(tie.id, dt.date(2026, 6, 1), influence=2)).apply(source)
        TakeSnapshot(take_snapshot(load_network(source, dt.date(2026, 6, 2)), "June")).apply(source)
        export(source, tmp_path / "source.xlsx", "weaver")

    dialog = open_preview(qtbot, controller, tmp_path / "source.xlsx")
    rows = {
        dialog.counts.verticalHeaderItem(r).text(): [
            dialog.counts.item(r, c).text() for c in range(4)
        ]
        for r in range(dialog.counts.rowCount())
    }
    assert rows["Members"][0] == "2" and rows["Relationships"][0] == "1"
    assert rows["Tie ratings"] == ["2", "0", "0", "0"]
    assert rows["Health snapshots"] == ["1", "0", "0", "0"]
    dialog.grab().save(str(tmp_path / "import.png"))

    # Other formats carry neither: the rows stay, at zero, like events for a member list.
    dialog = open_preview(qtbot, controller, people_csv(tmp_path))
    labels = [dialog.counts.verticalHeaderItem(r).text() for r in range(dialog.counts.rowCount())]
    assert labels[-2:] == ["Tie ratings", "Health snapshots"]
    assert count(dialog, len(labels) - 1, 0) == "0"
