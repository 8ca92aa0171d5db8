"""File ▸ Export: Gephi's node and edge tables as one workbook or as two CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from weaver.core.commands import AddEntities, new_member, new_relationship
from weaver.core.store import Document
from weaver.ui.controller import Controller

pytest.importorskip("weaver.ui.tasks")
from weaver.ui.dialogs.export_dialog import ExportDialog


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> Controller:
    wb = Document.create(tmp_path / "net.weaver", name="Test")
    AddEntities(
        [new_member("Ana Ruiz", id="ana", email="ana@example.org"), new_member("Bo Chen", id="bo")],
        "seed",
    ).apply(wb)
    AddEntities([new_relationship("ana", "bo", id="t1")], "tie").apply(wb)
    c = Controller()
    c.set_document(wb)
    yield c
    c.close_document()


def open_dialog(qtbot, controller, fmt: str) -> ExportDialog:
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    for row in range(dialog.formats.count()):
        dialog.formats.setCurrentRow(row)
        if dialog.fmt == fmt:
            return dialog
    raise AssertionError(fmt)


def test_file_type_is_offered_only_for_the_gephi_tables(qtbot, controller):
    dialog = open_dialog(qtbot, controller, "gexf")
    assert dialog.file_type.isHidden() and dialog.file_note.isHidden()
    dialog = open_dialog(qtbot, controller, "nodes-edges")
    assert not dialog.file_type.isHidden() and dialog.file_note.isHidden()
    assert dialog.suffix == ".xlsx" and dialog.suggested_name() == "Test gephi.xlsx"
    dialog.file_type.setCurrentIndex(dialog.file_type.findData(".csv"))
    assert dialog.writes_pair and dialog.suggested_name() == "Test.csv"
    assert not dialog.file_note.isHidden()
    assert "Test-nodes.csv" in dialog.file_note.text()
    assert "Test-edges.csv" in dialog.file_note.text()


def test_gephi_tables_as_two_csv_files_name_both(qtbot, controller, tmp_path):
    dialog = open_dialog(qtbot, controller, "nodes-edges")
    dialog.file_type.setCurrentIndex(dialog.file_type.findData(".csv"))
    task = dialog.export_to(tmp_path / "out.csv")
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    nodes, edges = tmp_path / "out-nodes.csv", tmp_path / "out-edges.csv"
    assert dialog.written_files == [nodes, edges]
    assert not (tmp_path / "out.csv").exists()
    with nodes.open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == 2
    with edges.open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == 1
    message = dialog.written_message()
    assert "out-nodes.csv" in message and "out-edges.csv" in message
    assert dialog.status.text() == message


def test_gephi_tables_as_a_workbook_by_default(qtbot, controller, tmp_path):
    dialog = open_dialog(qtbot, controller, "nodes-edges")
    task = dialog.export_to(tmp_path / "out.xlsx")
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert dialog.written_files == [tmp_path / "out.xlsx"]
    assert dialog.written_message() == "Exported out.xlsx"


def test_replacing_existing_csv_files_asks_first(qtbot, controller, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, controller, "nodes-edges")
    (tmp_path / "out-edges.csv").write_text("old", encoding="utf-8")
    asked = []

    def question(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    files = [tmp_path / "out-nodes.csv", tmp_path / "out-edges.csv"]
    assert not dialog._may_replace(files)
    assert asked == ["out-edges.csv already exists. Replace it?"]
    assert dialog._may_replace([tmp_path / "new-nodes.csv"])
