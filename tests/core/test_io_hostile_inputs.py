"""Hostile and broken import sources: each refused before it can hurt (no huge allocation, no
hang, no garbled names), with one clear line naming the file (and sheet, row, column)."""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from weaver.cli import main
from weaver.core.commands import AddEntities, new_member
from weaver.core.io import safety, tables
from weaver.core.io.importing import read_plan
from weaver.core.io.tables import read_workbook
from weaver.core.store import Document

from .test_io_support import STAMP, import_file

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    '" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
    'worksheets/sheet1.xml"/></Relationships>'
)


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def hand_written_xlsx(path: Path, rows: str, dimension: str = "") -> Path:
    """A one-sheet workbook (sheet 'People') whose sheetData is ``rows``, written by hand:
    no library will write the cells a hostile file has."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData>'
        "</worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


HEADER = f'<row r="1">{text_cell("A1", "Name")}</row>'


@pytest.fixture
def wb(tmp_path):
    book = Document.create(tmp_path / "net.weaver", name="Hostile")
    yield book
    book.close()


@pytest.fixture
def no_calamine(monkeypatch):
    """Fail (instead of aborting the whole test run) if calamine is asked for a sheet: for
    the sheets below that would be a grid of billions of cells."""
    import python_calamine

    class Refuse:
        @classmethod
        def from_path(cls, *args, **kwargs):
            raise AssertionError("the sheet was handed to calamine, which would allocate it")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refuse)


def refusal(wb, path) -> str:
    """The one blocking problem of importing ``path``; nothing changed."""
    before = wb.content_digest()
    plan = read_plan(wb, path)
    (problem,) = [p for p in plan.problems if p.blocking]
    assert problem.file == path.name
    assert wb.content_digest() == before
    return problem.message


# ---- 1. sheets larger than memory ---------------------------------------------------------


def test_a_cell_at_xfd1048576_beside_a1_is_refused_before_reading(wb, tmp_path, no_calamine):
    path = hand_written_xlsx(
        tmp_path / "corners.xlsx", HEADER + f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    )
    assert path.stat().st_size < 5_000
    message = refusal(wb, path)
    assert "sheet 'People'" in message and "17,179,869,184 cells" in message
    assert f"{safety.MAX_SHEET_CELLS:,}" in message and "XFD1048576" in message


def test_a_lying_dimension_does_not_hide_a_far_cell(wb, tmp_path, no_calamine):
    path = hand_written_xlsx(
        tmp_path / "liar.xlsx",
        HEADER + f'<row r="2">{text_cell("XFD1048576", "x")}</row>',
        dimension="A1:A2",
    )
    assert "17,179,869,184 cells" in refusal(wb, path)


def test_rows_beyond_excel_are_refused_naming_the_row(wb, tmp_path, no_calamine):
    # What a 31 MB file of 5 million rows looks like to the check, in a few hundred bytes.
    path = hand_written_xlsx(
        tmp_path / "rows.xlsx",
        HEADER + f'<row r="5000000">{text_cell("A5000000", "x")}</row>',
        dimension="A1:A5000000",
    )
    message = refusal(wb, path)
    assert "sheet 'People'" in message and "row 5,000,000" in message
    assert "1,048,576 rows" in message


def test_the_cell_budget_counts_the_whole_area_in_use(wb, tmp_path, monkeypatch, no_calamine):
    # 20 columns down to Excel's last row: 20,971,520 cells, just over the budget.
    path = hand_written_xlsx(
        tmp_path / "wide.xlsx", HEADER + f'<row r="1048576">{text_cell("T1048576", "x")}</row>'
    )
    assert "20,971,520 cells" in refusal(wb, path)
    assert safety.MAX_SHEET_CELLS < 20_971_520 < 2 * safety.MAX_SHEET_CELLS


def test_one_lone_far_cell_is_read_sparsely(tmp_path):
    path = hand_written_xlsx(
        tmp_path / "far.xlsx", f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    )
    (grid,) = read_workbook(path)
    assert grid.first_row == 1_048_576
    assert len(grid.rows) == 1 and len(grid.rows[0]) == 16_384 and grid.rows[0][-1] == "x"


def test_only_cells_with_values_count(wb, tmp_path):
    # A formatted but empty cell far away (Excel keeps those) is not data: calamine skips it.
    path = hand_written_xlsx(
        tmp_path / "styled.xlsx",
        HEADER + f'<row r="2">{text_cell("A2", "Ana")}</row>'
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
        dimension="A1:XFD1048576",
    )
    plan, _ = import_file(wb, path)
    assert not plan.blocking and [m.name for m in wb.members()] == ["Ana"]


def test_cells_without_references_are_placed_as_the_reader_places_them(tmp_path):
    # OOXML lets a cell leave out its reference: it follows the cell before it.
    path = hand_written_xlsx(
        tmp_path / "implicit.xlsx",
        '<row><c t="inlineStr"><is><t>Name</t></is></c></row>'
        '<row r="4"><c r="B4"><v>2</v></c><c><v>3</v></c></row>',
    )
    assert tables.check_sheet_areas(path) == {"People": tables.Area(1, 4, 3)}
    (grid,) = read_workbook(path)
    assert grid.rows[0][0] == "Name" and grid.rows[3][1:] == [2.0, 3.0]


def test_leading_empty_rows_and_columns_keep_their_numbers(wb, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws["C3"], ws["D3"] = "Name", "Joined"
    ws["C4"], ws["D4"] = "Ana", "last spring"  # reported at its real row and column
    book.save(tmp_path / "offset.xlsx")
    plan = read_plan(wb, tmp_path / "offset.xlsx")
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (4, "Joined") and "not a date" in problem.message
    (grid,) = read_workbook(tmp_path / "offset.xlsx")
    assert grid.first_row == 3 and grid.rows[0] == ["", "", "Name", "Joined"]


def test_the_process_survives_the_far_cell_under_a_memory_limit(tmp_path):
    """The issue's crash, end to end: before, calamine asked for 512 GB and the process died
    (exit 134). Run under a 3 GB address-space limit so a regression fails fast."""
    far = hand_written_xlsx(
        tmp_path / "far.xlsx", f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    )
    corners = hand_written_xlsx(
        tmp_path / "corners.xlsx", HEADER + f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from weaver.core.io.tables import read_workbook\n"
        "from weaver.core.io.safety import UnsafeFile\n"
        "print(len(read_workbook(Path(sys.argv[1]))[0].rows))\n"
        "try:\n"
        "    read_workbook(Path(sys.argv[2]))\n"
        "except UnsafeFile as exc:\n"
        "    print('refused', exc)\n"
    )

    def limit() -> None:
        cap = 3 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    done = subprocess.run(
        [sys.executable, "-c", script, str(far), str(corners)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.strip().splitlines()
    assert first == "1" and second.startswith("refused sheet 'People'")


# ---- 2. long cells ------------------------------------------------------------------------


def test_a_csv_cell_past_the_csv_module_limit_is_read_and_reported(wb, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Name,Notes\nAna," + "x" * 200_000 + "\n", encoding="utf-8")
    plan = read_plan(wb, path)  # before: csv.Error "field larger than field limit" (exit 1)
    (problem,) = plan.problems
    assert (problem.file, problem.row, problem.column) == ("long.csv", 2, "Notes")
    assert "200,000 characters" in problem.message and problem.blocking
    assert csv.field_size_limit() == 131_072  # the process-wide setting is put back


def test_a_csv_field_past_the_parser_bound_names_row_and_column(wb, tmp_path):
    path = tmp_path / "runaway.csv"
    path.write_text(
        'Name,Notes\nAna,"fine"\nBen,"' + "y" * (safety.MAX_CSV_FIELD_CHARS + 10) + '"\n',
        encoding="utf-8",
    )
    message = refusal(wb, path)
    assert "row 3" in message and "column 'Notes'" in message
    assert f"{safety.MAX_CSV_FIELD_CHARS:,} characters" in message
    # A quote left open is the usual cause: the rest of the file becomes one field.
    path.write_text('Name,Notes\nAna,"open\n' + "Cy,z\n" * 250_000, encoding="utf-8")
    message = refusal(wb, path)
    assert "row 2" in message and "column 'Notes'" in message and "quote" in message


def test_a_huge_text_in_an_xlsx_is_named_for_what_it_is(wb, tmp_path):
    path = hand_written_xlsx(
        tmp_path / "huge-cell.xlsx",
        HEADER + f'<row r="2">{text_cell("A2", "Ana")}{text_cell("B2", "z" * 5_000_000)}</row>',
    )
    message = refusal(wb, path)
    assert "zip bomb" not in message  # before: "refused as a zip bomb"
    assert "xl/worksheets/sheet1.xml" in message and "one text of 5.0 MB" in message
    assert "32,767 characters" in message


def test_a_real_bomb_is_still_called_one(wb, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"\0" * 5_000_000 + b"</a>")
    assert "zip bomb" in refusal(wb, path)


# ---- 3. sources that are not regular files ------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["people.csv", "graph.xml"])
def test_a_named_pipe_is_refused_without_opening_it(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    done = subprocess.run(  # before: graph.xml blocked forever in open() (no writer comes)
        [sys.executable, "-m", "weaver", "import", str(tmp_path / "n.weaver"), str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "WEAVER_LOG_DIR": str(tmp_path / "log")},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"weaver: {fifo}: is a named pipe (FIFO), not a regular file; Weaver imports only "
        "regular files; nothing was imported"
    ]
    assert not (tmp_path / "n.weaver").exists()


def test_devices_and_folders_are_refused(wb, tmp_path):
    if Path("/dev/zero").exists():  # endless: reading it never stops
        assert "is a device" in refusal(wb, Path("/dev/zero"))
    folder = tmp_path / "people.csv"
    folder.mkdir()
    assert "is a folder" in refusal(wb, folder)


def test_a_nodes_file_beside_a_pipe_named_like_its_pair_is_read_alone(wb, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    (tmp_path / "net-nodes.csv").write_text("Id,Label\n1,Ana\n", encoding="utf-8")
    os.mkfifo(tmp_path / "net-edges.csv")
    plan, _ = import_file(wb, tmp_path / "net-nodes.csv")
    assert not plan.blocking and [m.name for m in wb.members()] == ["Ana"]


# ---- 4. encodings -------------------------------------------------------------------------


def test_utf8_with_one_cp1252_byte_is_refused_naming_line_and_byte(wb, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("Name,City\nJosé,München\n".encode().replace("é".encode(), b"\xe9"))
    message = refusal(wb, path)  # before: all read as cp1252, "München" became "MÃ¼nchen"
    assert "line 2, byte 4" in message and "0xE9" in message and "mixed" in message
    assert wb.members() == []


def test_a_bom_with_invalid_bytes_is_refused_not_replaced(wb, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfName\nAna\nJos\xe9\n")
    message = refusal(wb, path)  # before: "Jos\ufffd" stored without a word
    assert "line 3, byte 4" in message and "byte order mark" in message


def test_a_consistent_cp1252_file_is_read_with_a_notice(wb, tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes("Name;City\nJosé Müller;Zürich\n".encode("cp1252"))
    plan, _ = import_file(wb, path)
    assert not plan.problems and any("Windows-1252" in n for n in plan.notices)
    assert [m.name for m in wb.members()] == ["José Müller"]


def test_bytes_cp1252_cannot_hold_are_refused(wb, tmp_path):
    path = tmp_path / "neither.csv"
    path.write_bytes(b"Name\nAna\x81\n")
    message = refusal(wb, path)
    assert "line 2, byte 4" in message and "Windows-1252" in message


# ---- 5. edges naming members the file does not list ----------------------------------------


def nodes_and_edges(path: Path, edges: list[tuple[str, str]]) -> Path:
    book = openpyxl.Workbook()
    nodes = book.active
    nodes.title = "Nodes"
    nodes.append(["Id", "Label", "Organization"])
    nodes.append(["n1", "Ana", "Food Bank"])
    nodes.append(["n2", "Ben", ""])
    sheet = book.create_sheet("Edges")
    sheet.append(["Source", "Target"])
    for edge in edges:
        sheet.append(list(edge))
    book.save(path)
    return path


def test_an_edge_to_an_unlisted_id_is_reported_and_skipped(wb, tmp_path):
    path = nodes_and_edges(tmp_path / "graph.xlsx", [("n1", "n2"), ("n1", "n9")])
    plan, _ = import_file(wb, path)
    (problem,) = plan.problems  # before: a member called "n9" appeared silently
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "graph.xlsx",
        "Edges",
        3,
        "Target",
    )
    assert "'n9'" in problem.message and "Nodes sheet" in problem.message
    assert not problem.blocking and plan.skipped["relationships"] == 1
    assert any("--create-missing-members" in n for n in plan.notices)
    # The organization column still names organizations to create: that is not an edge.
    assert sorted(m.name for m in wb.members()) == ["Ana", "Ben", "Food Bank"]
    assert len(wb.relationships()) == 1


def test_missing_members_are_created_when_asked(wb, tmp_path):
    path = nodes_and_edges(tmp_path / "graph.xlsx", [("n1", "n9")])
    plan, _ = import_file(wb, path, create_missing_members=True)
    assert not plan.problems
    assert sorted(m.name for m in wb.members()) == ["Ana", "Ben", "Food Bank", "n9"]


def test_an_edge_to_a_member_already_in_the_network_is_kept(wb, tmp_path):
    AddEntities([new_member("Cleo", STAMP)], "add Cleo").apply(wb)
    path = nodes_and_edges(tmp_path / "graph.xlsx", [("n1", "Cleo")])
    plan, _ = import_file(wb, path)
    assert not plan.problems and len(wb.relationships()) == 1


def test_a_plain_edge_list_still_creates_its_members(wb, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("Source,Target\nAna,Ben\nBen,Cleo\n", encoding="utf-8")
    plan, _ = import_file(wb, path)
    assert not plan.problems
    assert sorted(m.name for m in wb.members()) == ["Ana", "Ben", "Cleo"]


def test_a_gephi_csv_pair_reports_a_missing_node(wb, tmp_path):
    (tmp_path / "net-nodes.csv").write_text("Id,Label\n1,Ana\n2,Ben\n", encoding="utf-8")
    (tmp_path / "net-edges.csv").write_text("Source,Target\n1,2\n2,3\n", encoding="utf-8")
    plan, _ = import_file(wb, tmp_path / "net-edges.csv")
    (problem,) = plan.problems
    assert (problem.sheet, problem.row, problem.column) == ("net-edges.csv", 3, "Target")
    assert sorted(m.name for m in wb.members()) == ["Ana", "Ben"]


# ---- 6. the command line: a refusal is one line on stderr ---------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("extra", [[], ["--dry-run"], ["--json"]])
def test_every_refusal_is_one_line_on_stderr(tmp_path, capsys, extra):
    doc = tmp_path / "net.weaver"
    Document.create(doc).close()
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(b"Name\nJos\xe9 M\xc3\xbcller\n")
    corners = hand_written_xlsx(
        tmp_path / "corners.xlsx", HEADER + f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    )
    long = tmp_path / "long.csv"
    long.write_text("Name,Notes\nAna," + "x" * 200_000 + "\n", encoding="utf-8")
    before = doc.read_bytes()
    for source, words in (
        (mixed, "line 2, byte 4"),
        (corners, "sheet 'People'"),
        (long, "row 2, column 'Notes'"),
        (tmp_path / "missing.csv", "does not exist"),
    ):
        code, out, err = run(capsys, "import", str(doc), str(source), *extra)
        assert (code, out) == (2, ""), (source, out)
        (line,) = err.splitlines()  # before: the reason on stdout, nothing on stderr
        assert line.startswith(f"weaver: {source}: ") and words in line, line
    assert doc.read_bytes() == before


def test_the_flag_creates_missing_members_on_the_command_line(tmp_path, capsys):
    doc = tmp_path / "net.weaver"
    path = nodes_and_edges(tmp_path / "graph.xlsx", [("n1", "n9")])
    code, out, err = run(capsys, "import", str(doc), str(path))
    assert code == 0 and err == ""
    assert "'n9'" in out and "warning" in out  # a problem that skips a row is not a refusal
    code, out, err = run(capsys, "import", str(doc), str(path), "--create-missing-members")
    assert code == 0 and err == ""
    with Document.open(doc, readonly=True) as book:
        assert "n9" in {m.name for m in book.members()}
