"""CSV in and out: what Excel and LibreOffice write, and what they read back correctly.

Reading: UTF-8 with or without BOM, or UTF-16 with its BOM, decoded strictly; a file with no
UTF-8 in it at all is read as cp1252 with a notice (Excel on Windows writes that), and a file
that mixes the two, or has bytes its encoding cannot hold, is refused naming the line and byte.
``;``, tab and space-aligned files are detected. Writing: UTF-8 with BOM (so Excel shows
accents) and formula-injection escaping (OWASP), undone again when Weaver reads its own file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import safety
from .safety import UnsafeFile
from .tables import Grid, column_letter

BOM = "\ufeff"
# Written as the first header cell's suffix? No: Weaver's own CSV files are recognised by this
# comment-free marker column name, which is also a useful column to a person.
WEAVER_MARKER = "Weaver ID"
DELIMITERS = (",", ";", "\t", "|")


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629). A cp1252 file practically
# never holds one by chance ("Ã©" is the usual way one appears: text already garbled once).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_CP1252_NOTICE = (
    "the file is not UTF-8; it was read as Windows-1252 (Western European). "
    "Check accented names in the preview"
)


def decode(data: bytes) -> tuple[str, str | None]:
    """(text, notice), decoded strictly: never a replacement character in a name.

    UTF-8 (BOM optional) or UTF-16 with its BOM as they are; a file with bytes above 127 but
    not one UTF-8 sequence is Windows-1252 (Excel's "CSV" on Windows), read with a notice. A
    file with a BOM, or with UTF-8 in it, whose bytes do not all decode is refused, naming
    the line and byte, rather than guessed: guessing turned "José" into "JosÃ©" before."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8", 3, "UTF-8 (it starts with a UTF-8 byte order mark)"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", 0, "UTF-16 (it starts with a UTF-16 byte order mark)"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            raise UnsafeFile(
                f"{_where(data, exc.start)}: byte 0x{data[exc.start]:02X} is not UTF-8, yet "
                "the file holds UTF-8 text elsewhere (two encodings mixed); save the file "
                'again as "CSV UTF-8" and import that'
            ) from None
    return (
        _strict(data, "cp1252", 0, "UTF-8 or Windows-1252 (Western European)"),
        _CP1252_NOTICE,
    )


def _strict(data: bytes, encoding: str, skip: int, expected: str) -> str:
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        raise UnsafeFile(
            f"{_where(data, at, encoding)}: byte 0x{data[at]:02X} cannot be read as {expected}; "
            'save the file again as "CSV UTF-8" and import that'
        ) from None


def _where(data: bytes, offset: int, encoding: str = "utf-8") -> str:
    """Where a byte offset is, as "line 3, byte 17 (byte offset 45 in the file)"."""
    if encoding == "utf-16":
        before = data[:offset].decode("utf-16", errors="replace")
        line = before.count("\n") + 1
        return f"line {line:,} (byte offset {offset:,} in the file)"
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line:,}, byte {offset - line_start + 1:,} (byte offset {offset:,} in the file)"


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
    size = safety.check_regular_file(path)
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
        rows = _parse(text, delimiter)
    own = bool(rows) and WEAVER_MARKER in rows[0]
    if own:  # only Weaver's own files had their formula-looking text escaped on writing
        rows = [[safety.csv_unescape(c) for c in r] for r in rows]
    cells: list[list[Any]] = [[c if c != "" else None for c in r] for r in rows]
    return Grid(path.name, "", cells), notices


# csv.field_size_limit is one setting for the whole process: changed only under this lock and
# put back afterwards, so nothing else that parses CSV sees Weaver's limit.
_FIELD_LIMIT_LOCK = threading.Lock()


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    with _FIELD_LIMIT_LOCK:
        before = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(before)


def _reader(text: str, delimiter: str):  # -> the csv module's reader (it has line_num)
    return csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=delimiter == " "
    )


def _parse(text: str, delimiter: str) -> list[list[str]]:
    """All records; a field past ``safety.MAX_CSV_FIELD_CHARS`` is refused naming its row
    (the record: a quoted cell may span lines) and column."""
    rows: list[list[str]] = []
    lines_read = 0
    with _field_limit(safety.MAX_CSV_FIELD_CHARS):
        reader = _reader(text, delimiter)
        try:
            for record in reader:
                rows.append(record)
                lines_read = reader.line_num
        except csv.Error as exc:
            where = f"row {len(rows) + 1:,} (from line {lines_read + 1:,})"
            if "field larger than field limit" not in str(exc):
                raise UnsafeFile(f"{where}: is not valid CSV ({exc})") from None
            csv.field_size_limit(len(text) + 1)  # put back when the lock is left
            column = _long_column(text, delimiter, lines_read, rows[0] if rows else [])
            raise UnsafeFile(
                f"{where}, column {column!r}: a cell holds more than "
                f"{safety.MAX_CSV_FIELD_CHARS:,} characters, far more than a spreadsheet cell "
                f"({safety.EXCEL_MAX_CELL_CHARS:,}); a quote left open swallows the rest of "
                "the file like this"
            ) from None
    return rows


def _long_column(text: str, delimiter: str, skip_lines: int, header: list[str]) -> str:
    """The header (or letter) of the first over-long field of the record that starts after
    ``skip_lines`` lines."""
    lines = iter(io.StringIO(text, newline=""))
    for _ in range(skip_lines):
        next(lines, None)
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=delimiter == " ")
    record = next(reader, [])
    index = next(
        (i for i, f in enumerate(record) if len(f) > safety.MAX_CSV_FIELD_CHARS), len(record)
    )
    name = header[index].strip() if skip_lines and index < len(header) else ""
    return name or column_letter(index)


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
