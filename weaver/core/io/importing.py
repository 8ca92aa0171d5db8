"""Read any supported file into an import plan: detect the format, read, match, report.

``read_plan`` never changes the document and never raises for a bad file: whatever is wrong
comes back as blocking problems naming the file (and sheet, row, column where it can).
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ..store import Document
from . import gexf, gml_pajek, graphml, kumu, nodes_edges, xlsx_weaver_read
from .csv_text import read_csv
from .draft import Draft
from .nodes_edges import Options as TableOptions
from .nodes_edges_out import companion
from .plan import Cancelled, ImportPlan, Problem, paused_gc
from .resolve import resolve
from .safety import MAX_SOURCE_BYTES, OLE_MAGIC, UnsafeFile, check_ole, check_regular_file, sniff
from .tables import Grid, formulas_without_values, read_workbook

FORMATS = ("auto", "weaver", "kumu", "nodes-edges", "csv", "gexf", "graphml", "gml", "pajek")
FORMAT_NAMES = {
    "weaver": "Weaver workbook",
    "kumu": "Kumu workbook",
    "nodes-edges": "node and edge tables",
    "csv": "CSV table",
    "gexf": "GEXF graph",
    "graphml": "GraphML graph",
    "gml": "GML graph",
    "pajek": "Pajek network",
}
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")
# What a refusal lists: the extensions people recognise (.xlsm, .ods, .tab, .xml also work).
SUPPORTED = ".xlsx, .csv, .tsv, .txt, .gexf, .graphml, .gml, .net"
# Files people send that Weaver does not read, by extension: refused by name rather than
# read as CSV and refused for having "no recognizable header".
UNSUPPORTED_SUFFIXES = {
    ".dot": "a Graphviz DOT graph",
    ".gv": "a Graphviz DOT graph",
    ".vna": "a NetDraw VNA file",
    ".dl": "a UCINET DL file",
    ".##h": "a UCINET dataset",
    ".##d": "a UCINET dataset",
    ".gdf": "a GUESS GDF graph",
    ".json": "a JSON file",
    ".pdf": "a PDF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".odt": "a text document",
    ".rtf": "a text document",
    ".ppt": "a presentation",
    ".pptx": "a presentation",
    ".numbers": "an Apple Numbers spreadsheet; export it from Numbers as .xlsx or .csv",
    ".zip": "a zip archive",
    ".html": "a web page",
    ".htm": "a web page",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
    ".svg": "an image",
    ".weaver": "a Weaver network; open it with File ▸ Open instead",
}
# The head of a file (after comments) that says what it is, for an extension Weaver does not
# know: the text formats networkx reads, and formats it does not read.
_DOT_START = re.compile(r"\A\s*(?:strict\s+)?(?:di)?graph\b[^{\[]*\{", re.IGNORECASE)
_VNA_START = re.compile(r"\A\s*\*(?:node data|node properties|tie data)\b", re.IGNORECASE)
HEAD_BYTES = 4096

Progress = Callable[[float, str], None]


def detect(path: Path) -> str:
    """The format of ``path`` from its extension and first bytes (workbooks: by their sheets
    once read, see :func:`read_draft`); "unsupported" for a file Weaver does not import (see
    :func:`unsupported`)."""
    suffix = path.suffix.casefold()
    regular = path.is_file()  # never open a pipe or a device just to guess: it may block
    head = _head(path) if regular else b""
    if suffix == ".gexf":
        return "gexf"
    if suffix == ".graphml":
        return "graphml"
    if suffix == ".gml":
        return "gml"
    if suffix == ".net":
        return "pajek"
    if suffix in UNSUPPORTED_SUFFIXES:
        return "unsupported"
    if suffix == ".xml":
        return "gexf" if b"<gexf" in head[:2000] else "graphml"
    if suffix in XLSX_SUFFIXES or suffix == ".xls" or head.startswith(OLE_MAGIC):
        return "workbook"
    text = head.decode("utf-8", errors="replace")
    if gml_pajek.looks_like_gml(text):
        return "gml"
    if gml_pajek.looks_like_pajek(text):
        return "pajek"
    if _DOT_START.match(text) or _VNA_START.match(text):
        return "unsupported"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if head.startswith(b"PK"):
        return "workbook" if _zipped_workbook(path) else "unsupported"
    for marker, fmt in ((b"<gexf", "gexf"), (b"<graphml", "graphml")):
        if marker in head:
            return fmt  # a graph saved under another name (.gephi exports, .xml.txt …)
    if _not_tabular_text(head):
        return "unsupported"
    return "csv"


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(HEAD_BYTES)


def _zipped_workbook(path: Path) -> bool:
    """A zip holding a spreadsheet (.xlsx, .ods) rather than a Word file or an archive.
    A damaged zip counts as a workbook: the workbook reader says what is wrong with it."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:1000])
    except (zipfile.BadZipFile, OSError):
        return True
    return "xl/workbook.xml" in names or "content.xml" in names


def _not_tabular_text(head: bytes) -> bool:
    """Bytes no table of text starts with: binary (a NUL without a UTF-16 byte order mark),
    a PDF, XML that is neither GEXF nor GraphML, or JSON."""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith((b"%PDF", b"<", b"{", b"["))


def unsupported(path: Path) -> str:
    """The one-line refusal for a file Weaver does not import, saying what it seems to be."""
    suffix = path.suffix.casefold()
    what = UNSUPPORTED_SUFFIXES.get(suffix)
    if what is None:
        text = _head(path).decode("utf-8", errors="replace") if path.is_file() else ""
        if _DOT_START.match(text):
            what = "a Graphviz DOT graph"
        elif _VNA_START.match(text):
            what = "a NetDraw VNA file"
        else:
            what = f"{suffix} file" if suffix else "a file without an extension"
            what += ", not a table of text"
    return f"format not supported ({what}); Weaver imports: {SUPPORTED}"


def read_draft(
    path: Path,
    fmt: str = "auto",
    overrides: Mapping | None = None,
    progress: Progress | None = None,
    *,
    create_missing_members: bool = False,
) -> Draft:
    """Read a file into a draft. Raises UnsafeFile / OSError for a file that cannot be read.

    ``create_missing_members``: an edge of a file with a nodes table that names someone
    missing from it makes a new member instead of being reported and skipped."""
    size = check_regular_file(path)
    if size == 0:
        raise UnsafeFile("is an empty file")
    if size > MAX_SOURCE_BYTES:
        raise UnsafeFile(f"is {size / 1e6:,.0f} MB, more than Weaver imports at once")
    found = detect(path)
    if path.suffix.casefold() == ".xls" or sniff(path).startswith(OLE_MAGIC):
        check_ole(path)
    if fmt == "auto":
        if found == "unsupported":
            raise UnsafeFile(unsupported(path))
        fmt = found
    if fmt in ("gexf", "graphml"):
        return (gexf if fmt == "gexf" else graphml).read(path, overrides)
    if fmt in ("gml", "pajek"):
        return gml_pajek.read(path, fmt, overrides)
    table_options = TableOptions(create_missing_members=create_missing_members)
    pair = companion(path) if found == "csv" and fmt in ("auto", "csv", "nodes-edges") else None
    if pair is not None:
        return _read_pair(path, pair, overrides, table_options)
    grids, notices = _grids(path, found, progress)
    if fmt == "workbook":
        if xlsx_weaver_read.looks_like_weaver(grids):
            fmt = "weaver"
        elif kumu.looks_like_kumu(grids):
            fmt = "kumu"
        else:
            fmt = "nodes-edges"
    if fmt == "weaver":
        draft = xlsx_weaver_read.read(grids, path.name, overrides)
    elif fmt == "kumu":
        draft = kumu.read(
            grids, path.name, overrides, create_missing_members=create_missing_members
        )
    else:
        draft = nodes_edges.read(grids, path.name, overrides, table_options)
        draft.format = "csv" if found == "csv" else "nodes-edges"
    draft.notices[:0] = notices
    if found == "workbook":
        for sheet, column, row in formulas_without_values(path):
            draft.problem(
                "formula without a saved value, read as empty: open the file in Excel or "
                "LibreOffice and save it, so the value is stored",
                sheet=sheet,
                row=row,
                column=column,
            )
    return draft


def _read_pair(
    path: Path, pair: tuple[Path, Path], overrides: Mapping | None, options: TableOptions
) -> Draft:
    """Gephi's nodes and edges tables as two CSV files (``net-nodes.csv``, ``net-edges.csv``):
    either one imports both. Each file reads as a sheet named after it."""
    grids: list[Grid] = []
    notices: list[str] = []
    for file in pair:
        grid, found = read_csv(file)
        grids.append(dataclasses.replace(grid, sheet=file.name))
        notices += [f"{file.name}: {n}" for n in found]
    other = pair[1] if path.name == pair[0].name else pair[0]
    draft = nodes_edges.read(grids, path.name, overrides, options)
    draft.format = "nodes-edges"
    draft.notices[:0] = [f"read together with {other.name}, its nodes and edges pair", *notices]
    return draft


def _grids(path: Path, found: str, progress: Progress | None) -> tuple[list[Grid], list[str]]:
    if found == "csv":
        grid, notices = read_csv(path)
        return [grid], notices
    if found in ("gexf", "graphml", "gml", "pajek"):
        raise UnsafeFile(f"is a {FORMAT_NAMES[found]} file, not a table")
    if found == "unsupported":
        raise UnsafeFile(unsupported(path))
    return read_workbook(path, progress), []


def _guess(path: Path) -> str:
    try:
        found = detect(path)
    except OSError:
        return "unknown"
    if found == "workbook":
        return "xls" if path.suffix.casefold() == ".xls" else "xlsx"
    return found


def read_plan(
    wb: Document,
    path: Path | str,
    *,
    fmt: str = "auto",
    prune: bool = False,
    overrides: Mapping | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    create_missing_members: bool = False,
) -> ImportPlan:
    """Read ``path`` and match it against ``wb``: the plan to preview and then apply.

    ``create_missing_members``: see :func:`read_draft`."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    with paused_gc():
        return _read_plan(
            wb, path, fmt, prune, overrides, progress, cancelled, create_missing_members
        )


def _read_plan(
    wb: Document,
    path: Path,
    fmt: str,
    prune: bool,
    overrides: Mapping | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    create_missing_members: bool,
) -> ImportPlan:
    if progress:
        progress(0.0, f"Reading {path.name}")
    try:
        draft = read_draft(
            path, fmt, overrides, progress, create_missing_members=create_missing_members
        )
    except UnsafeFile as exc:
        plan = ImportPlan(path.name, fmt if fmt != "auto" else _guess(path))
        plan.problems.append(Problem(path.name, str(exc), blocking=True))
        return plan
    except (OSError, UnicodeError) as exc:
        plan = ImportPlan(path.name, fmt)
        reason = getattr(exc, "strerror", None) or str(exc)
        plan.problems.append(Problem(path.name, f"cannot be read ({reason})", blocking=True))
        return plan
    if cancelled and cancelled():
        raise Cancelled
    if progress:
        progress(0.6, "Matching with the network")
    plan = resolve(draft, wb, prune=prune, cancelled=cancelled)
    if progress:
        progress(1.0, "Ready")
    return plan
