"""Benchmark group ``io``: spreadsheets in and out on 10,000 members + ~30,000 relationships.

Figures a user waits for (exporting the Weaver workbook, previewing and applying its import
into an empty network, peak memory of doing both in a fresh process) and the side-by-side
reader/writer figures: openpyxl (write-only and read-only modes), XlsxWriter (constant
memory), python-calamine, and Weaver's own streaming writer (``weaver.core.io.xlsx_stream``),
which the figures chose for every export; python-calamine reads every import.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ..core.commands import AddEntities
from ..core.io.exporting import export
from ..core.io.importing import read_plan
from ..core.io.plan import ApplyImportPlan
from ..core.io.xlsx_out import NUMBER, TEXT, Column, SheetSpec, write_xlsx
from ..core.store import Document
from ..core.synthetic import synthetic_entities
from . import measure_peak_mb

GROUP = "io"
N = 10_000
TARGETS = {
    f"io_export_{N}_s": ("<=", 3.0),
    f"io_import_{N}_s": ("<=", 4.0),
    f"io_preview_{N}_s": ("<=", 2.0),
    "io_peak_mb": ("<=", 500.0),
}
SIDE_BY_SIDE_ROWS = 40_000
SIDE_BY_SIDE_COLS = 12


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def export_and_import(source: str, folder: str) -> None:
    """The memory probe: export a network and import it into a new one (fresh process)."""
    with Document.open(source, readonly=True) as wb:
        export(wb, Path(folder) / "probe.xlsx", "weaver", include_private=True)
    with Document.create(Path(folder) / "probe.weaver") as empty:
        ApplyImportPlan(read_plan(empty, Path(folder) / "probe.xlsx")).apply(empty)


def run(quick: bool = False) -> dict[str, float]:
    figures: dict[str, float] = {}
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="weaver-bench-io-") as tmp:
        folder = Path(tmp)
        source = folder / "source.weaver"
        network = synthetic_entities(N, seed=1)
        with Document.create(source) as wb:
            AddEntities(network, "Generate").apply(wb)
            figures["io_relationships"] = wb.counts()["relationships"]
            xlsx = folder / "net.xlsx"
            figures[f"io_export_{N}_s"] = _best(
                lambda: export(wb, xlsx, "weaver", include_private=True), repeat
            )
            figures["io_export_mb"] = xlsx.stat().st_size / 2**20

        def preview() -> None:
            path = folder / f"preview-{time.perf_counter_ns()}.weaver"
            with Document.create(path) as empty:
                started = time.perf_counter()
                read_plan(empty, xlsx)
                timings.append(time.perf_counter() - started)

        timings: list[float] = []
        for _ in range(repeat):
            preview()
        figures[f"io_preview_{N}_s"] = min(timings)

        imports = []
        for i in range(repeat):
            with Document.create(folder / f"import-{i}.weaver") as empty:
                started = time.perf_counter()
                plan = read_plan(empty, xlsx)
                ApplyImportPlan(plan).apply(empty)
                imports.append(time.perf_counter() - started)
                assert empty.counts()["members"] == N
        figures[f"io_import_{N}_s"] = min(imports)
        figures["io_peak_mb"] = measure_peak_mb(
            "weaver.bench.io:export_and_import", str(source), str(folder)
        )
        figures.update(side_by_side(folder, quick))
    return figures


def side_by_side(folder: Path, quick: bool) -> dict[str, float]:
    """Rows per second through each library: 12 columns of mixed text and numbers."""
    import openpyxl
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    n = SIDE_BY_SIDE_ROWS // (4 if quick else 1)
    rows = [
        [f"text {r} {c}" if c % 3 else float(r * c) for c in range(SIDE_BY_SIDE_COLS)]
        for r in range(n)
    ]
    out: dict[str, float] = {}
    path_o, path_x = folder / "openpyxl.xlsx", folder / "xlsxwriter.xlsx"

    def write_openpyxl() -> None:
        book = openpyxl.Workbook(write_only=True)
        ws = book.create_sheet("S")
        for row in rows:
            ws.append(row)
        book.save(path_o)

    def write_xlsxwriter() -> None:
        book = xlsxwriter.Workbook(str(path_x), {"constant_memory": True})
        ws = book.add_worksheet("S")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
        book.close()

    def write_stream() -> None:
        columns = [
            Column(f"C{c}", TEXT if c % 3 else NUMBER, width=12) for c in range(SIDE_BY_SIDE_COLS)
        ]
        write_xlsx(folder / "stream.xlsx", [SheetSpec("S", columns, rows)])

    def read_openpyxl() -> None:
        book = openpyxl.load_workbook(path_x, read_only=True)
        sum(1 for _ in book["S"].iter_rows(values_only=True))
        book.close()

    def read_calamine() -> None:
        CalamineWorkbook.from_path(str(path_x)).get_sheet_by_name("S").to_python()

    out["io_write_openpyxl_rows_per_s"] = n / _best(write_openpyxl, 1)
    out["io_write_xlsxwriter_rows_per_s"] = n / _best(write_xlsxwriter, 1)
    out["io_write_stream_rows_per_s"] = n / _best(write_stream, 1)
    out["io_read_openpyxl_rows_per_s"] = n / _best(read_openpyxl, 1)
    out["io_read_calamine_rows_per_s"] = n / _best(read_calamine, 1)
    return out
