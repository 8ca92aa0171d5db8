"""CSV in and out: what Excel and LibreOffice write, and what they read back correctly.

Reading: UTF-8 with or without BOM; ``;``, tab and space-aligned files detected; cp1252 as a
fallback with a notice (Excel on Windows writes that). Writing: UTF-8 with BOM (so Excel shows
accents) and formula-injection escaping (OWASP), undone again when Weaver reads its own file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import safety
from .safety import UnsafeFile
from .tables import Grid

BOM = "\ufeff"
# Written as the first header cell's suffix? No: Weaver's own CSV files are recognised by this
# comment-free marker column name, which is also a useful column to a person.
WEAVER_MARKER = "Weaver ID"
DELIMITERS = (",", ";", "\t", "|")


def decode(data: bytes) -> tuple[str, str | None]:
    """(text, notice). UTF-8 (BOM optional), else cp1252 with a notice saying so."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return (
            data.decode("cp1252", errors="replace"),
            "the file is not UTF-8; it was read as Windows-1252 (Western European). "
            "Check accented names in the preview",
        )


def detect_delimiter(text: str) -> str | None:
    """The delimiter that splits the first lines most consistently; None for one column."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return None
    best, best_score = None, 0.0
    for d in DELIMITERS:
        counts = [_count_outside_quotes(ln, d) for ln in lines[:20]]
        if not counts[0]:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = consistent * 10 + min(counts[0], 9) / 10
        if score > best_score:
            best, best_score = d, score
    if best is None and all(" " in ln.strip() for ln in lines[:5]):
        return " "  # Gephi accepts space-separated edge tables
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


def read_csv(path: Path) -> tuple[Grid, list[str]]:
    """(grid, notices) for a CSV or TSV file."""
    size = path.stat().st_size
    if size > safety.MAX_SOURCE_BYTES:
        raise UnsafeFile(f"is {size / 1e6:,.0f} MB, more than Weaver imports at once")
    data = path.read_bytes()
    if data.startswith(safety.ZIP_MAGIC):
        raise UnsafeFile("is a zip or .xlsx file, not CSV text; import it as a workbook")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsafeFile("is a binary file, not CSV text")
    text, notice = decode(data)
    notices = [notice] if notice else []
    delimiter = detect_delimiter(text)
    if delimiter is None:
        rows = [[ln] for ln in text.splitlines()]
    else:
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=delimiter,
            skipinitialspace=delimiter == " ",
        )
        rows = [list(r) for r in reader]
    own = bool(rows) and WEAVER_MARKER in rows[0]
    if own:  # only Weaver's own files had their formula-looking text escaped on writing
        rows = [[safety.csv_unescape(c) for c in r] for r in rows]
    cells: list[list[Any]] = [[c if c != "" else None for c in r] for r in rows]
    return Grid(path.name, "", cells), notices


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write UTF-8 with BOM, CRLF lines, text escaped against formula injection."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(BOM)
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([safety.csv_escape(h) for h in header])
        for row in rows:
            writer.writerow([safety.csv_escape(v) if isinstance(v, str) else v for v in row])
        f.flush()
        os.fsync(f.fileno())
