"""Read spreadsheets and CSV files into plain tables of cells, checking safety first.

Every reader above this one sees only :class:`Grid` objects (a sheet's cells as Python values,
with formulas replaced by their cached values) and never a file handle.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import safety
from .safety import UnsafeFile

Progress = Callable[[float, str], None]
Cell = Any


@dataclass
class Grid:
    """One sheet (or a CSV file) as rows of cells; row ``i`` is spreadsheet row ``first_row+i``."""

    file: str
    sheet: str
    rows: list[list[Cell]]
    first_row: int = 1


@dataclass
class Table:
    """A header and the data rows under it. ``rows`` pairs the spreadsheet row number with cells."""

    file: str
    sheet: str
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Cell]]]

    def column(self, index: int) -> str:
        h = self.headers[index] if index < len(self.headers) else ""
        return h or column_letter(index)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_blank(cell: Cell) -> bool:
    """Nothing but spaces. Control characters Python counts as spaces (\x1c-\x1f) are not
    blank: they are reported as control characters."""
    return cell is None or (
        isinstance(cell, str) and not cell.strip() and not safety.has_control_chars(cell)
    )


def cell_text(cell: Cell) -> str:
    """A cell as the text a person sees: 3.0 -> "3", a date -> ISO, None -> ""."""
    if type(cell) is str:
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, dt.datetime):
        if cell.time() == dt.time(0):
            return cell.date().isoformat()
        return cell.isoformat()
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    if isinstance(cell, dt.timedelta):
        return str(cell)
    return str(cell)


def read_workbook(path: Path, progress: Progress | None = None) -> list[Grid]:
    """All sheets of an .xlsx/.xlsm/.ods workbook (cached values for formulas).

    Only each sheet's used area is read, and a sheet whose area would not fit in memory is
    refused before the reader allocates it (see :func:`check_sheet_areas`)."""
    safety.check_regular_file(path)
    head = safety.sniff(path)
    if head.startswith(safety.OLE_MAGIC):
        safety.check_ole(path)
    if head.startswith(safety.ZIP_MAGIC) or head.startswith(b"PK"):
        safety.check_zip(path)
    elif path.stat().st_size == 0:
        raise UnsafeFile("is an empty file")
    else:
        raise UnsafeFile("is not an Excel workbook (.xlsx)")
    check_sheet_areas(path)
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        grids = []
        for i, name in enumerate(names):
            if progress:
                progress(i / max(len(names), 1), f"Reading sheet {name}")
            grids.append(_read_sheet(path, wb.get_sheet_by_name(name)))
    except UnsafeFile:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        if "cell limit exceeded" in str(exc).casefold():  # its own guard (.ods)
            raise UnsafeFile(
                f"has a sheet larger than Weaver reads at once ({exc}); delete the cells "
                "outside your table and save it again"
            ) from exc
        raise UnsafeFile(f"is damaged and cannot be read as an .xlsx workbook ({exc})") from exc
    return grids


def _read_sheet(path: Path, sheet: Any) -> Grid:
    """The used area of one calamine sheet, placed so that column A is index 0 and row
    numbers stay those the spreadsheet shows."""
    first_row, first_col = sheet.start or (0, 0)
    if sheet.height * (first_col + sheet.width) > safety.MAX_SHEET_CELLS:
        # Only an .ods gets here (an .xlsx was measured before reading): refuse before the
        # rows become Python lists.
        raise UnsafeFile(_too_many_cells(sheet.name, sheet.height, first_col + sheet.width))
    rows = sheet.to_python(skip_empty_area=True)
    if first_col:
        pad = [""] * first_col
        rows = [pad + row for row in rows]
    return Grid(path.name, sheet.name, rows, first_row + 1)


# ---- the area each sheet uses, measured before the reader allocates it ---------------------

# In an .xlsx sheet a cell with a value is a ``<c>`` element whose reference (``r="AB12"``)
# gives its place; the reader (calamine) holds everything between the first and the last one
# as a dense grid, so two cells far apart cost as much as the whole area between them. A sheet
# states its area in ``<dimension ref="A1:L200">`` but nothing makes that true, so the claim is
# checked against every reference with two searches that allocate nothing (about a quarter of
# calamine's own reading time); a sheet whose claim fails, or that has none, is walked cell by
# cell instead.
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]+)([0-9]+)"')
# A cell without a reference (OOXML allows it: it follows the cell before it). Every
# spreadsheet program writes ``r`` first and no namespace prefix (``<x:c>``); any other
# spelling is only walked, never misread. (Patterns that start with fixed text search fast.)
_CELL_WITHOUT_LEADING_REF = re.compile(rb"<c(?:>|\s(?!r=))")
_UNPREFIXED_SHEET_DATA = b"<sheetData"
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]*)([0-9]+)["\']')
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Area:
    """The cells a sheet uses: rows ``first_row..last_row`` and columns ``1..last_column``
    (1-based, as a spreadsheet numbers them; columns count from A because Weaver keeps
    column letters right)."""

    first_row: int
    last_row: int
    last_column: int

    @property
    def cells(self) -> int:
        return (self.last_row - self.first_row + 1) * self.last_column


def column_number(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27, XFD -> 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def check_sheet_areas(path: Path) -> dict[str, Area]:
    """The used area of every worksheet of an .xlsx, refused (UnsafeFile naming the sheet)
    when it lies beyond Excel's grid or holds more than ``safety.MAX_SHEET_CELLS`` cells.

    Reads each sheet's XML once in bounded chunks (the zip checks have already bounded its
    size). An .ods has no such parts: calamine guards it with its own cell limit."""
    areas: dict[str, Area] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for part, name in _sheet_parts(zf).items():
                try:
                    info = zf.getinfo(part)
                except KeyError:
                    continue  # calamine reports the missing part as damage
                area = _measure(zf, info)
                if area is not None:
                    _check_area(name, area)
                    areas[name] = area
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise UnsafeFile(f"is damaged and cannot be read as an .xlsx workbook ({exc})") from exc
    return areas


def _check_area(sheet: str, area: Area) -> None:
    if area.last_row > safety.EXCEL_MAX_ROWS:
        raise UnsafeFile(
            f"sheet {sheet!r} has a cell in row {area.last_row:,}, beyond the "
            f"{safety.EXCEL_MAX_ROWS:,} rows a spreadsheet can have; refused"
        )
    if area.last_column > safety.EXCEL_MAX_COLUMNS:
        raise UnsafeFile(
            f"sheet {sheet!r} has a cell in column {column_letter(area.last_column - 1)}, "
            f"beyond the {safety.EXCEL_MAX_COLUMNS:,} columns a spreadsheet can have; refused"
        )
    if area.cells > safety.MAX_SHEET_CELLS:
        last = f"{column_letter(area.last_column - 1)}{area.last_row}"
        raise UnsafeFile(
            _too_many_cells(sheet, area.last_row - area.first_row + 1, area.last_column, last)
        )


def _refused(area: Area) -> bool:
    return (
        area.last_row > safety.EXCEL_MAX_ROWS
        or area.last_column > safety.EXCEL_MAX_COLUMNS
        or area.cells > safety.MAX_SHEET_CELLS
    )


def _too_many_cells(sheet: str, rows: int, columns: int, last_cell: str = "") -> str:
    reaching = f", up to cell {last_cell}" if last_cell else ""
    return (
        f"sheet {sheet!r} uses {rows:,} rows by {columns:,} columns ({rows * columns:,} cells"
        f"{reaching}), more than the {safety.MAX_SHEET_CELLS:,} cells Weaver reads from one "
        "sheet; delete the cells outside your table (Ctrl+End shows the last one used) and "
        "save it again"
    )


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's XML in pieces of about 1 MB, each cut after a ``>`` so no tag is split."""
    carry = b""
    with zf.open(info) as part:
        while block := part.read(_CHUNK):
            data = carry + block
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) < 64 * _CHUNK:
                carry = data
                continue
            carry = data[cut:] if cut else b""
            yield data[:cut] if cut else data
    if carry:
        yield carry


def _measure(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Area | None:
    """The area of one sheet part (None when it has no cell), from its stated dimension when
    every cell reference lies inside it, else by walking its cells."""
    claimed: Area | None = None
    beyond: re.Pattern[bytes] | None = None
    for data in _chunks(zf, info):
        if claimed is None:
            found = _DIMENSION.search(data, 0, 16_384)  # it comes before the cells
            if not found:
                return _walk(zf, info)
            claimed = Area(1, int(found.group(2)), column_number(found.group(1).decode()))
            if _UNPREFIXED_SHEET_DATA not in data:
                return _walk(zf, info)
            if claimed.last_row > safety.EXCEL_MAX_ROWS or claimed.cells > safety.MAX_SHEET_CELLS:
                return _walk(zf, info)  # refused only if the cells themselves say so
            beyond = _beyond(claimed)
        if _CELL_WITHOUT_LEADING_REF.search(data) or beyond.search(data):
            return _walk(zf, info)
    return claimed


def _beyond(area: Area) -> re.Pattern[bytes]:
    """A cell reference outside ``area``: a later column, or a later row. (It may also
    find such text inside a cell: that sheet is then walked, which costs time, not truth.)"""
    letters, row = column_letter(area.last_column - 1), str(area.last_row)
    later_columns = [f"[A-Z]{{{len(letters) + 1},}}"]
    later_columns += [
        f"{letters[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{len(letters) - i - 1}}}"
        for i, ch in enumerate(letters)
        if ch != "Z"
    ]
    # Leading zeros are never written by spreadsheet programs: such a row is walked.
    later_rows = [f"[1-9][0-9]{{{len(row)},}}", "0[0-9]*"]
    later_rows += [
        f"{row[:i]}[{int(ch) + 1}-9][0-9]{{{len(row) - i - 1}}}"
        for i, ch in enumerate(row)
        if ch != "9"
    ]
    columns, rows, quote = "|".join(later_columns), "|".join(later_rows), "[\"']"
    return re.compile(f"r={quote}(?:(?:{columns})[0-9]|[A-Z]+(?:{rows}){quote})".encode())


def _walk(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Area | None:
    """Place every cell as calamine does: a ``<row>`` without ``r`` follows the one before,
    a ``<c>`` without ``r`` takes the next column of its row. Only valued cells count."""
    row, column = 0, 0
    first_row = last_row = last_column = 0
    for data in _chunks(zf, info):
        for tag, attributes, closed in _ROW_OR_CELL.findall(data):
            ref = _REF.search(attributes)
            if tag == b"row":
                row = int(ref.group(2)) if ref else row + 1
                column = 0
                continue
            if ref and ref.group(1):
                column, row_of_cell = column_number(ref.group(1).decode()), int(ref.group(2))
            else:
                column, row_of_cell = column + 1, row
            if closed:
                continue  # <c r="B7" s="1"/>: a format, no value
            first_row = min(first_row, row_of_cell) if first_row else row_of_cell
            last_row = max(last_row, row_of_cell)
            last_column = max(last_column, column)
        if last_row and _refused(Area(first_row, last_row, last_column)):
            break  # already too large: no need to read the rest
    if not last_row:
        return None
    return Area(max(first_row, 1), last_row, last_column)


def split_tables(grid: Grid, *, blank_rows_split: int = 2) -> list[Table]:
    """Header blocks of a sheet: the first non-blank row is a header; ``blank_rows_split``
    blank rows in a row end a block and the next non-blank row starts a new header (Kumu)."""
    tables: list[Table] = []
    current: Table | None = None
    blanks = 0
    for i, row in enumerate(grid.rows):
        number = grid.first_row + i
        filled = len(row) - row.count("") - row.count(None)  # C speed for the common case
        if filled == 0 or (filled <= 3 and all(is_blank(c) for c in row)):
            blanks += 1
            if blanks >= blank_rows_split:
                current = None
            continue
        blanks = 0
        if current is None:
            headers = [cell_text(c).strip() for c in row]
            while headers and not headers[-1]:
                headers.pop()
            current = Table(grid.file, grid.sheet, headers, number, [])
            tables.append(current)
        else:
            current.rows.append((number, row))
    return tables


_FORMULA_NO_VALUE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>'
)


def formulas_without_values(path: Path) -> list[tuple[str, str, int]]:
    """(sheet, column letter, row) of formula cells saved without a calculated value.

    Programs that write formulas without calculating them (scripts, some exporters) leave
    nothing for an importer to read; Excel or LibreOffice fill the values in when they save.
    """
    found: list[tuple[str, str, int]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            if _written_by_weaver(zf):
                return []
            parts = {n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}
            names = _sheet_parts(zf)
            for part in sorted(parts):
                data = zf.read(part)
                if b"<f" not in data:
                    continue
                for col, row in _FORMULA_NO_VALUE.findall(data):
                    found.append((names.get(part, part), col.decode(), int(row)))
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from workbook.xml and its relationships."""
    try:
        book = safety.parse_xml(zf.read("xl/workbook.xml"))
        rels = safety.parse_xml(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, UnsafeFile):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    out = {}
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[targets[rid]] = el.get("name", "")
    return out


def _written_by_weaver(zf: zipfile.ZipFile) -> bool:
    try:
        return b"<Application>Weaver</Application>" in zf.read("docProps/app.xml")[:2000]
    except KeyError:
        return False
