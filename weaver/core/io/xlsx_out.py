"""Write .xlsx sheets the way people expect to open them: bold frozen header, autofilter,
sensible widths, real dates, and text always written as text (never as a formula).

XlsxWriter in constant-memory mode writes rows as they come (see ``weaver bench --only io``
for the figures against openpyxl that chose it).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from . import safety

TEXT, NUMBER, DATE, BOOL = "text", "number", "date", "bool"


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: float | None = None  # in characters; None = from the header and first rows


@dataclass
class SheetSpec:
    name: str
    columns: list[Column]
    rows: Sequence[Sequence[Any]]


class ExportRefused(DocumentError):
    """A file that cannot be written as asked (too many rows, a cell too long…)."""


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temporary path beside ``dest``; renamed over ``dest`` only if the body succeeds."""
    dest = Path(dest)
    if not dest.parent.is_dir():
        raise DocumentError(dest, f"cannot be written: folder {dest.parent} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def clean_text(value: str) -> str:
    """Text an .xlsx can hold: control characters (never intended, invalid in XML) removed."""
    return safety.strip_control_chars(value) if safety.has_control_chars(value) else value


def check_rows(dest: Path, sheet: str, n_rows: int) -> None:
    if n_rows + 1 > safety.EXCEL_MAX_ROWS:
        raise ExportRefused(
            dest,
            f"cannot be written: sheet {sheet!r} would have {n_rows:,} rows, more than Excel's "
            f"limit of {safety.EXCEL_MAX_ROWS - 1:,}; export to GEXF, GraphML or CSV instead",
        )


def write_xlsx(
    dest: Path,
    sheets: Iterable[SheetSpec],
    *,
    describe: Callable[[str, int, int], str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    """Write ``sheets`` to ``dest`` atomically. ``describe(sheet, row, col)`` names a cell in
    an error message (e.g. the member's name)."""
    import xlsxwriter

    sheets = list(sheets)
    for spec in sheets:
        check_rows(dest, spec.name, len(spec.rows))
    total = sum(len(s.rows) for s in sheets) or 1
    done = 0
    with atomic_path(dest) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        bold = book.add_format({"bold": True, "bg_color": "#E8ECF1", "bottom": 1})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        wrap = book.add_format({"text_wrap": False})
        for spec in sheets:
            ws = book.add_worksheet(spec.name[:31])
            ncols = len(spec.columns)
            fit_widths(spec.columns, spec.rows)
            for c, col in enumerate(spec.columns):
                ws.set_column(c, c, col.width)
            for c, col in enumerate(spec.columns):
                ws.write_string(0, c, col.header, bold)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(spec.rows), 1), max(ncols - 1, 0))
            kinds = [c.kind for c in spec.columns]
            for r, row in enumerate(spec.rows, start=1):
                for c, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    kind = kinds[c]
                    if kind == TEXT or isinstance(value, str):
                        text = clean_text(str(value))
                        if len(text) > safety.EXCEL_MAX_CELL_CHARS:
                            where = describe(spec.name, r, c) if describe else f"row {r + 1}"
                            raise ExportRefused(
                                dest,
                                f"cannot be written: {where}, column "
                                f"{spec.columns[c].header!r} holds {len(text):,} characters, "
                                f"more than an Excel cell holds "
                                f"({safety.EXCEL_MAX_CELL_CHARS:,}); shorten it or export "
                                "to CSV, GEXF or GraphML",
                            )
                        ws.write_string(r, c, text, wrap)
                    elif kind == DATE and isinstance(value, (dt.date, dt.datetime)):
                        ws.write_datetime(r, c, _as_datetime(value), date_fmt)
                    elif kind == BOOL:
                        ws.write_boolean(r, c, bool(value))
                    else:
                        ws.write_number(r, c, value)
                done += 1
                if progress and done % 5000 == 0:
                    progress(done / total, f"Writing {spec.name}")
        book.close()


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def fit_widths(columns: list[Column], rows: Sequence[Sequence[Any]], sample: int = 200) -> None:
    """Set each column's width from its header and the first ``sample`` rows."""
    for c, col in enumerate(columns):
        if col.width is not None:
            continue
        if col.kind == DATE:
            col.width = max(12.0, len(col.header) + 4.0)
            continue
        longest = len(col.header) + 4
        for row in rows[:sample]:
            if c < len(row) and row[c] not in (None, ""):
                first_line = str(row[c]).split("\n", 1)[0]
                longest = max(longest, len(first_line) + 1)
        col.width = float(min(50, max(8, longest)))
