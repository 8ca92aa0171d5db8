"""Limits and escapes that keep hostile or broken files from hurting anyone.

Checks run *before* a parser sees the bytes: a zip bomb is refused from its central directory,
an encrypted workbook from its OLE header, and XML goes through defusedxml (no entities, no DTD
tricks). Text written to CSV is escaped against formula injection (OWASP) and unescaped again
when Weaver reads its own file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# Generous for any real network spreadsheet, far below what would exhaust memory.
MAX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 10_000
MAX_SOURCE_BYTES = 500_000_000

EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Control characters other than tab, LF and CR: Excel cannot hold them and they are never
# intended in a name or a note.
# Also the two non-characters and lone surrogates that XML cannot carry at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# OWASP CSV injection: a cell starting with one of these is taken as a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


class UnsafeFile(Exception):
    """A file refused before parsing. ``str()`` is the message to show."""


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
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnsafeFile(
                f"part {info.filename} is compressed {ratio:,} to 1 "
                f"(limit {MAX_COMPRESSION_RATIO} to 1); refused as a zip bomb"
            )
    if packed and total > 1_000_000 and total / packed > MAX_COMPRESSION_RATIO:
        raise UnsafeFile("is compressed too densely to be a real workbook; refused as a zip bomb")


def check_ole(path: Path) -> None:
    """An OLE compound file is either an old .xls or an encrypted (password-protected) .xlsx."""
    data = path.read_bytes()[:1_000_000]
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise UnsafeFile(
            "is protected with a password; open it in Excel, remove the password "
            "(File ▸ Info ▸ Protect Workbook) and save it again as .xlsx"
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
