"""Kumu workbooks, in and out.

Kumu's import format: a sheet whose A1 is ``Label`` (after an optional ``ID`` column) holds
elements; a sheet whose first headers are ``From``/``To`` holds connections; ``|`` separates
multiple values; ``Type``, ``Tags``, ``Description`` (public text, kept as a custom field of
that name, never as Weaver's private notes), ``Direction``; sheets whose name contains
``(ignore)`` are skipped; other columns become custom fields; two blank rows start a new header
block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..privacy import share_view
from ..store import Document
from .draft import Draft
from .mapping import norm
from .nodes_edges import Options, Overrides
from .nodes_edges import read as read_tables
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


def read(
    grids: list[Grid],
    file: str,
    overrides: Overrides | None = None,
    *,
    create_missing_members: bool = False,
) -> Draft:
    options = replace(OPTIONS, create_missing_members=create_missing_members)
    return read_tables(grids, file, overrides, options)


def export(
    wb: Document,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    view = share_view(wb, include_private=include_private)
    mp, rp = view.private.members, view.private.relationships
    members = view.members(wb.members())
    custom = _description_first({k for m in members for k in m.custom})
    element_fields = [
        ("Role", "role"),
        ("E-mail", "email"),
        ("Phone", "phone"),
        ("Location", "location"),
        ("Sector", "sector"),
        ("Offers", "offers"),
        ("Needs", "needs"),
        # Kumu has no private text: Weaver's notes travel only when not private, under their
        # own name, never as Kumu's public Description.
        ("Notes", "notes"),
    ]
    element_fields = [(h, f) for h, f in element_fields if f not in mp]
    headers = ["ID", "Label", "Type", "Tags", *custom, *(h for h, _ in element_fields)]
    rows = []
    for m in members:
        row = [m.id, m.name, "Organization" if m.is_organization else "Person", "|".join(m.tags)]
        row += [m.custom.get(k, "") for k in custom]
        for _, f in element_fields:
            value = getattr(m, f)
            row.append("|".join(str(i) for i in value) if isinstance(value, tuple) else value)
        rows.append(row)
    rels = view.relationships(wb.relationships())
    rel_custom = _description_first({k for r in rels for k in r.custom})
    c_headers = ["ID", "From", "To", "Type", "Direction", "Strength", *rel_custom]
    if "notes" not in rp:
        c_headers.append("Notes")
    c_rows = []
    for r in rels:
        row = [r.id, r.source_id, r.target_id, r.kind, r.direction, str(r.strength)]
        row += [r.custom.get(k, "") for k in rel_custom]
        if "notes" not in rp:
            row.append(r.notes)
        c_rows.append(row)
    sheets = [
        SheetSpec("Elements", [Column(h, TEXT) for h in headers], rows),
        SheetSpec("Connections", [Column(h, TEXT) for h in c_headers], c_rows),
    ]
    write_xlsx(dest, sheets, progress=progress)


def _description_first(keys: set[str]) -> list[str]:
    """Custom fields in order, Kumu's own public "Description" first when there is one."""
    return sorted(keys, key=lambda k: (norm(k) != "description", k.casefold()))
