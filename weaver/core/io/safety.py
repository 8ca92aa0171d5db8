"""Limits and escapes that keep hostile or broken files from hurting anyone.

Checks run *before* a parser sees the bytes: anything but a regular file is refused unopened
(a named pipe would block forever), a zip bomb is refused from its central directory, an
encrypted workbook from its OLE header, a sheet too large for memory from its cell references
(:func:`~weaver.core.io.tables.check_sheet_areas`), and XML goes through defusedxml (no
entities, no DTD tricks). Text written to CSV is escaped against formula injection (OWASP)
and unescaped again when Weaver reads its own file.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from ..store_files import special_file_kind

# Generous for any real network spreadsheet, far below what would exhaust memory.
MAX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 10_000
MAX_SOURCE_BYTES = 500_000_000

EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384  # column XFD

# The most cells of one sheet Weaver reads at once, counting the empty cells inside the area
# in use. The reader (calamine) holds that area as a dense grid of 32-byte cells and Python
# then holds a list per row, so the area, not the file size, decides the memory: 20 million
# cells is about 0.6 GB in calamine, five times a network of 100,000 members with 40 columns,
# while one stray cell at XFD1048576 beside A1 makes 17 billion cells (550 GB) and a 31 MB
# file can hold 5 million rows. Such sheets are refused before anything is allocated.
MAX_SHEET_CELLS = 20_000_000

# The longest field the CSV parser reads (Python's csv module stops at 131,072 with an error
# nobody can act on). Cells longer than a spreadsheet cell (EXCEL_MAX_CELL_CHARS) are still
# reported by the readers with their row and column; past this bound the parser itself
# refuses, because such a field is an unclosed quote that swallowed the rest of the file,
# not a cell anyone typed.
MAX_CSV_FIELD_CHARS = 1_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Control characters other than tab, LF and CR: Excel cannot hold them and they are never
# intended in a name or a note.
# Also the two non-characters and lone surrogates that XML cannot carry at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# OWASP CSV injection: a cell starting with one of these is taken as a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Bytes no XML document may hold (XML 1.0 Char): their presence means binary, not text.
_NOT_XML_TEXT = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class UnsafeFile(Exception):
    """A file refused before parsing. ``str()`` is the message to show."""


def check_regular_file(path: Path) -> int:
    """The size of ``path``, refused unless it is a regular file (a symlink to one is fine).

    Checked before anything opens it: reading a named pipe (FIFO) waits forever for a writer,
    a device never ends, and a folder cannot be read at all."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise UnsafeFile("does not exist") from None
    except OSError as exc:
        raise UnsafeFile(f"cannot be read ({exc.strerror or exc})") from exc
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return status.st_size
    if stat.S_ISDIR(mode):
        raise UnsafeFile("is a folder, not a file")
    raise UnsafeFile(
        f"is {special_file_kind(mode)}, not a regular file; Weaver imports only regular files"
    )


def sniff(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(8)


def check_zip(path: Path) -> None:
    """Refuse a zip (xlsx) whose directory promises a bomb, before any entry is inflated."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise UnsafeFile(f"is damaged and cannot be read as an .xlsx workbook ({exc})") from exc
    except OSError as exc:
        raise UnsafeFile(f"cannot be read ({exc.strerror or exc})") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnsafeFile(
            f"holds {len(infos):,} parts (more than {MAX_ZIP_ENTRIES:,}); refused as a zip bomb"
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeFile(
            f"would unpack to {total / 1e6:,.0f} MB (limit {MAX_UNCOMPRESSED_BYTES / 1e6:,.0f} MB);"
            " refused as a zip bomb"
        )
    dense = [
        info
        for info in infos
        if info.file_size > 1_000_000
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ]
    if dense:
        raise UnsafeFile(_too_dense(path, dense[0]))
    if packed and total > 1_000_000 and total / packed > MAX_COMPRESSION_RATIO:
        largest = max(infos, key=lambda i: i.file_size)
        raise UnsafeFile(
            f"is compressed {total // packed:,} to 1 (limit {MAX_COMPRESSION_RATIO} to 1), "
            f"mostly in part {largest.filename} ({largest.file_size / 1e6:,.0f} MB unpacked); "
            "too dense to be a real workbook, refused as a zip bomb"
        )


def _too_dense(path: Path, info: zipfile.ZipInfo) -> str:
    """Why a part compressed past the limit is refused, in the words that fit it.

    Real spreadsheet XML compresses about 10 to 1. Far more means long runs of the same bytes:
    either a bomb, or one text (a cell) far longer than a spreadsheet cell can hold. Up to
    ``_TEXT_RUN_PROBE`` bytes of the part are inflated, a chunk at a time, to tell which."""
    ratio = info.file_size // max(info.compress_size, 1)
    density = f"compressed {ratio:,} to 1, limit {MAX_COMPRESSION_RATIO} to 1"
    text, whole = _longest_text_run(path, info) if info.filename.endswith(".xml") else (0, True)
    # A run of n UTF-8 bytes holds at least n/4 characters.
    if text > 4 * EXCEL_MAX_CELL_CHARS:
        size = f"{text / 1e6:,.1f} MB" if whole else f"more than {text / 1e6:,.0f} MB"
        return (
            f"part {info.filename} holds one text of {size} ({density}), far more than a "
            f"spreadsheet cell can hold ({EXCEL_MAX_CELL_CHARS:,} characters); refused as too "
            "large to be a real cell"
        )
    return (
        f"part {info.filename} would unpack to {info.file_size / 1e6:,.0f} MB ({density}); "
        "refused as a zip bomb"
    )


# How much of a suspiciously dense part is inflated to tell a bomb from one huge text.
_TEXT_RUN_PROBE = 64_000_000


def _longest_text_run(path: Path, info: zipfile.ZipInfo) -> tuple[int, bool]:
    """(the longest run of text between two XML tags in a zip part, whether the whole part
    was read). 0 when the part is not XML text at all (no tag, or bytes XML forbids, as in a
    bomb of zeros) or cannot be read."""
    longest = current = read = 0
    tagged = False
    try:
        with zipfile.ZipFile(path) as zf, zf.open(info) as part:
            while chunk := part.read(1 << 20):
                if _NOT_XML_TEXT.search(chunk):
                    return 0, True
                read += len(chunk)
                pieces = chunk.split(b"<")
                if len(pieces) == 1:
                    current += len(chunk)
                else:
                    tagged = True
                    longest = max(longest, current + len(pieces[0]), *map(len, pieces[1:-1]))
                    current = len(pieces[-1])
                if read >= _TEXT_RUN_PROBE:
                    break
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError):
        return 0, True
    return (max(longest, current) if tagged else 0), read >= info.file_size


def check_ole(path: Path) -> None:
    """An OLE compound file is either an old .xls or an encrypted (password-protected) .xlsx."""
    data = path.read_bytes()[:1_000_000]
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise UnsafeFile(
            "is protected with a password; open it in Excel, remove the password "
            "(File ▸ Info ▸ Protect Document) and save it again as .xlsx"
        )
    raise UnsafeFile(
        "is an old Excel 97-2003 (.xls) workbook; open it in Excel or LibreOffice and "
        "save it as .xlsx, then import that"
    )


def has_control_chars(text: str) -> bool:
    return bool(_CONTROL.search(text))


def strip_control_chars(text: str) -> str:
    return _CONTROL.sub("", text)


def csv_escape(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP).

    Text that already starts with ``'`` gets one too, so :func:`csv_unescape` is exact."""
    if text.startswith(_FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_escape` (only for files Weaver wrote itself)."""
    return text[1:] if text.startswith("'") else text


def parse_xml(data: bytes):  # -> xml.etree.ElementTree.Element
    """Parse XML with defusedxml: entity expansion, external entities and DTDs are refused."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data, forbid_dtd=False)
    except DefusedXmlException as exc:
        raise UnsafeFile(
            f"uses XML entities or external references ({type(exc).__name__}); refused as unsafe"
        ) from exc
    except SafeET.ParseError as exc:
        raise UnsafeFile(f"is not well-formed XML ({exc})") from exc
