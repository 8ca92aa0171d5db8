"""Bad input, each case: a clear message naming the file (and sheet/row/column), nothing changed."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
import xlsxwriter

from weaver.core.errors import DocumentError
from weaver.core.io import safety
from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan

from .test_io_support import import_file


def refused(wb, path, *words):
    """Read ``path``: it must be refused with a message holding ``words``, nothing changed."""
    before = wb.content_digest()
    plan = read_plan(wb, path)
    assert plan.blocking, plan.problems
    message = " ".join(p.message for p in plan.problems if p.blocking)
    for word in words:
        assert word in message, message
    assert all(p.file == path.name for p in plan.problems)
    assert wb.content_digest() == before
    return plan


def test_damaged_xlsx(wb, tmp_path):
    good = tmp_path / "good.xlsx"
    export(wb, good, "weaver", include_private=True)
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(wb, bad, "damaged")


def test_old_xls(wb, data_dir):
    refused(wb, data_dir / "gephi" / "spreadsheet" / "repeated_headers.xls", "save it as .xlsx")


def test_password_protected_workbook(wb, tmp_path):
    # Excel stores an encrypted .xlsx as an OLE compound file holding "EncryptedPackage".
    body = bytearray(4096)
    body[:8] = safety.OLE_MAGIC
    name = "EncryptedPackage".encode("utf-16-le")
    body[1024 : 1024 + len(name)] = name
    path = tmp_path / "secret.xlsx"
    path.write_bytes(bytes(body))
    refused(wb, path, "password")


def test_no_recognizable_header(wb, tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("alpha,beta,gamma\n1,2,3\n4,5,6\n", encoding="utf-8")
    refused(wb, path, "no recognizable header", "Name")


def test_empty_file_and_empty_sheet(wb, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused(wb, empty, "empty")
    book = openpyxl.Workbook()
    book.save(tmp_path / "blank.xlsx")
    refused(wb, tmp_path / "blank.xlsx", "empty")


def test_xml_bomb_is_rejected(wb, tmp_path):
    path = tmp_path / "bomb.gexf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        '<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="1" label="&lol3;"/>'
        "</nodes></graph></gexf>",
        encoding="utf-8",
    )
    refused(wb, path, "entities", "unsafe")
    graphml = tmp_path / "bomb.graphml"
    graphml.write_text(path.read_text().replace("gexf", "graphml"), encoding="utf-8")
    refused(wb, graphml, "unsafe")


def test_zip_bomb_by_ratio(wb, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    assert path.stat().st_size < 100_000
    refused(wb, path, "zip bomb")


def test_zip_bomb_by_size_and_entries(wb, tmp_path, monkeypatch):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(60):
            zf.writestr(f"part{i}.xml", b"x" * 1000)
    monkeypatch.setattr(safety, "MAX_ZIP_ENTRIES", 50)
    refused(wb, path, "60 parts", "zip bomb")
    monkeypatch.setattr(safety, "MAX_ZIP_ENTRIES", 10_000)
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 50_000)
    refused(wb, path, "would unpack", "zip bomb")


def test_cell_over_excel_limit_on_import(wb, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Name,Notes\nAna," + "x" * 40_000 + "\n", encoding="utf-8")
    plan = refused(wb, path, "40,000 characters")
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (2, "Notes")


def test_cell_over_excel_limit_on_export_keeps_the_old_file(wb, tmp_path):
    from weaver.core.commands import UpdateMember

    dest = tmp_path / "out.xlsx"
    dest.write_bytes(b"the previous export")
    UpdateMember("22222222-2222-4222-8222-222222222222", notes="y" * 40_000).apply(wb)
    with pytest.raises(DocumentError, match=r"Ben Okafor.*Notes.*40,000 characters"):
        export(wb, dest, "weaver", include_private=True)
    assert dest.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_rows_over_excel_limit_on_export(wb, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "EXCEL_MAX_ROWS", 3)
    dest = tmp_path / "out.xlsx"
    with pytest.raises(DocumentError, match="more than Excel's limit"):
        export(wb, dest, "members")
    assert not dest.exists()
    export(wb, tmp_path / "out.gexf", "gexf")  # the message's advice works


def test_control_characters_are_reported_and_removed(wb, tmp_path):
    path = tmp_path / "ctrl.csv"
    path.write_text("Name,Role\nCarl\x07 Sagan,Astro\x1bnomer\n", encoding="utf-8")
    plan, _ = import_file(wb, path)
    assert {(p.row, p.column) for p in plan.problems} == {(2, "Name"), (2, "Role")}
    assert all("control characters" in p.message and not p.blocking for p in plan.problems)
    carl = next(m for m in wb.members() if m.name.startswith("Carl"))
    assert (carl.name, carl.role) == ("Carl Sagan", "Astronomer")


def test_formulas_use_their_cached_values(wb, tmp_path):
    path = tmp_path / "formulas.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("People")
    ws.write_row(0, 0, ["Name", "Role"])
    ws.write_formula(1, 0, '="Dee"&" "&"Ray"', None, "Dee Ray")
    ws.write_formula(1, 1, '=UPPER("lead")', None, "LEAD")
    book.close()
    plan, _ = import_file(wb, path)
    assert not plan.problems
    dee = next(m for m in wb.members() if m.name == "Dee Ray")
    assert dee.role == "LEAD"


def test_merged_header_cells(wb, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Name", None, "Role"])
    ws.merge_cells("A1:B1")
    ws.append(["Eve", "stray", "Chair"])
    book.save(tmp_path / "merged.xlsx")
    plan, _ = import_file(wb, tmp_path / "merged.xlsx")
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (1, "B")
    assert "merged header" in problem.message
    assert next(m for m in wb.members() if m.name == "Eve").role == "Chair"


def test_missing_required_column_in_a_weaver_workbook(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book = openpyxl.load_workbook(tmp_path / "net.xlsx")
    book["Events"].delete_cols(2)  # Title
    book.save(tmp_path / "broken.xlsx")
    plan = refused(wb, tmp_path / "broken.xlsx", "no 'Title' column")
    assert plan.problems[0].sheet == "Events"


def test_formulas_without_a_saved_value_are_reported(wb, tmp_path):
    book = openpyxl.Workbook()  # openpyxl writes formulas without calculating them
    ws = book.active
    ws.title = "People"
    ws.append(["Name", "Role"])
    ws.append(["Fay", '=UPPER("chair")'])
    book.save(tmp_path / "uncalculated.xlsx")
    plan, _ = import_file(wb, tmp_path / "uncalculated.xlsx")
    (problem,) = plan.problems
    assert (problem.sheet, problem.row, problem.column) == ("People", 2, "B")
    assert "without a saved value" in problem.message and not problem.blocking
    assert next(m for m in wb.members() if m.name == "Fay").role == ""
