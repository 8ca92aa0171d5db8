"""Read spreadsheets and CSV files into plain tables of cells, checking safety first.

Every reader above this one sees only :class:`Grid` objects (a sheet's cells as Python values,
with formulas replaced by their cached values) and never a file handle.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
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
    """All sheets of an .xlsx/.xlsm/.ods workbook (cached values for formulas)."""
    head = safety.sniff(path)
    if head.startswith(safety.OLE_MAGIC):
        safety.check_ole(path)
    if head.startswith(safety.ZIP_MAGIC) or head.startswith(b"PK"):
        safety.check_zip(path)
    elif path.stat().st_size == 0:
        raise UnsafeFile("is an empty file")
    else:
        raise UnsafeFile("is not an Excel workbook (.xlsx)")
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        grids = []
        for i, name in enumerate(names):
            if progress:
                progress(i / max(len(names), 1), f"Reading sheet {name}")
            sheet = wb.get_sheet_by_name(name)
            grids.append(Grid(path.name, name, sheet.to_python(skip_empty_area=False)))
    except UnsafeFile:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnsafeFile(f"is damaged and cannot be read as an .xlsx workbook ({exc})") from exc
    return grids


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
