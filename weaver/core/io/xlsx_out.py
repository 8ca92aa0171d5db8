"""Write .xlsx sheets the way people expect to open them: bold frozen header, autofilter,
sensible widths, real dates, and text always written as text (never as a formula).

Weaver's own streaming writer (``xlsx_stream``) writes rows as they come (see
``weaver bench --only io`` for the figures against openpyxl and XlsxWriter that chose it).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..destination import atomic_path
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
    from . import xlsx_stream

    sheets = list(sheets)
    for spec in sheets:
        check_rows(dest, spec.name, len(spec.rows))
    total = sum(len(s.rows) for s in sheets) or 1
    done = 0
    names = [_sheet_name(s.name) for s in sheets]
    filters = []
    strings = xlsx_stream.SharedStrings()
    with atomic_path(dest) as tmp, xlsx_stream.open_package(tmp) as zf:
        for n, spec in enumerate(sheets, start=1):
            fit_widths(spec.columns, spec.rows)
            writer = xlsx_stream.SheetWriter(
                names[n - 1],
                [c.header for c in spec.columns],
                [c.kind for c in spec.columns],
                [c.width or 10.0 for c in spec.columns],
                strings,
            )
            last = xlsx_stream.col_letter(max(len(spec.columns) - 1, 0))
            quoted = names[n - 1].replace("'", "''")
            filters.append(f"'{quoted}'!$A$1:${last}${max(len(spec.rows), 1) + 1}")

            current = [0]  # the row being written, for the error message

            def text(c: int, value: str, spec: SheetSpec = spec, current: list = current) -> str:
                cleaned = clean_text(value)
                if len(cleaned) > safety.EXCEL_MAX_CELL_CHARS:
                    r = current[0]
                    where = describe(spec.name, r, c) if describe else f"row {r + 1}"
                    raise ExportRefused(
                        dest,
                        f"cannot be written: {where}, column {spec.columns[c].header!r} holds "
                        f"{len(cleaned):,} characters, more than an Excel cell holds "
                        f"({safety.EXCEL_MAX_CELL_CHARS:,}); shorten it or export to CSV, "
                        "GEXF or GraphML",
                    )
                return cleaned

            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                out.write(writer.head(len(spec.rows)))
                chunk: list[str] = []
                for r, row in enumerate(spec.rows, start=1):
                    current[0] = r
                    chunk.append(writer.row(r + 1, _typed(row, writer.kinds), text))
                    if len(chunk) == 2000:
                        out.write("".join(chunk))
                        chunk.clear()
                        done += 2000
                        if progress:
                            progress(done / total, f"Writing {spec.name}")
                out.write("".join(chunk))
                out.write(writer.tail(len(spec.rows)))
                out.flush()
                out.detach()
        xlsx_stream.finish_package(zf, names, filters, strings)


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    return cleaned or "Sheet"


def _typed(row: Sequence[Any], kinds: list[str]) -> Sequence[Any]:
    """Values as their column's kind says: a number column never gets text by accident."""
    if BOOL not in kinds:
        return row
    return [
        bool(v) if k == BOOL and v not in (None, "") else v
        for v, k in zip(row, kinds, strict=False)
    ]


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
