"""Kumu workbooks, in and out.

Kumu's import format: a sheet whose A1 is ``Label`` (after an optional ``ID`` column) holds
elements; a sheet whose first headers are ``From``/``To`` holds connections; ``|`` separates
multiple values; ``Type``, ``Tags``, ``Description``, ``Direction``; sheets whose name contains
``(ignore)`` are skipped; other columns become custom fields; two blank rows start a new header
block.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..store import Workbook
from .draft import Draft
from .mapping import norm
from .nodes_edges import Options, Overrides
from .nodes_edges import read as read_tables
from .privacy import private_fields
from .tables import Grid, cell_text
from .xlsx_out import TEXT, Column, SheetSpec, write_xlsx

FORMAT = "kumu"
OPTIONS = Options(multi_separator="|", blank_rows_split=2, skip_ignored_sheets=True, format=FORMAT)


def looks_like_kumu(grids: list[Grid]) -> bool:
    for g in grids:
        if not g.rows:
            continue
        first = [norm(cell_text(c)) for c in g.rows[0][:3]]
        if first[:1] == ["id"]:
            first = first[1:]
        if first[:1] == ["label"] or first[:2] == ["from", "to"]:
            return True
    return False


def read(grids: list[Grid], file: str, overrides: Overrides | None = None) -> Draft:
    return read_tables(grids, file, overrides, OPTIONS)


def export(
    wb: Workbook,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    private = {"members": set(), "relationships": set()} if include_private else private_fields(wb)
    mp, rp = private["members"], private["relationships"]
    members = wb.members()
    custom = sorted({k for m in members for k in m.custom} - mp)
    element_fields = [
        ("Role", "role"),
        ("E-mail", "email"),
        ("Phone", "phone"),
        ("Location", "location"),
        ("Sector", "sector"),
        ("Offers", "offers"),
        ("Needs", "needs"),
    ]
    element_fields = [(h, f) for h, f in element_fields if f not in mp]
    headers = ["ID", "Label", "Type", "Tags"]
    if "notes" not in mp:
        headers.append("Description")
    headers += [h for h, _ in element_fields] + custom
    rows = []
    for m in members:
        row = [m.id, m.name, "Organization" if m.is_organization else "Person"]
        row.append("|".join(m.tags) if "tags" not in mp else "")
        if "notes" not in mp:
            row.append(m.notes)
        for _, f in element_fields:
            value = getattr(m, f)
            row.append("|".join(str(i) for i in value) if isinstance(value, tuple) else value)
        rows.append(row + [m.custom.get(k, "") for k in custom])
    rels = wb.relationships()
    rel_custom = sorted({k for r in rels for k in r.custom} - rp)
    c_headers = ["ID", "From", "To", "Type", "Direction", "Strength"]
    if "notes" not in rp:
        c_headers.append("Description")
    c_headers += rel_custom
    c_rows = []
    for r in rels:
        row = [r.id, r.source_id, r.target_id, r.kind, r.direction, str(r.strength)]
        if "notes" not in rp:
            row.append(r.notes)
        c_rows.append(row + [r.custom.get(k, "") for k in rel_custom])
    sheets = [
        SheetSpec("Elements", [Column(h, TEXT) for h in headers], rows),
        SheetSpec("Connections", [Column(h, TEXT) for h in c_headers], c_rows),
    ]
    write_xlsx(dest, sheets, progress=progress)
