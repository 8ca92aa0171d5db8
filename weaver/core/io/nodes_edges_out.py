"""Node and edge tables for Gephi's spreadsheet importer (.xlsx with Nodes and Edges sheets,
or two CSV files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..store import Workbook
from .graph_xml import EDGE_ATTRS, MEMBER_ATTRS, custom_keys, edge_attrs, member_attrs, privacy
from .xlsx_out import TEXT, Column, SheetSpec, write_xlsx


def export(
    wb: Workbook,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    mp, rp = privacy(wb, include_private)
    members, rels = wb.members(), wb.relationships()
    m_custom = custom_keys(members, mp, MEMBER_ATTRS)
    r_custom = custom_keys(rels, rp, EDGE_ATTRS)
    node_keys = [f for f in MEMBER_ATTRS if f not in mp] + m_custom
    edge_keys = [f for f in EDGE_ATTRS if f not in rp and f != "direction"] + r_custom
    node_rows = []
    for m in members:
        values = member_attrs(m, mp, m_custom)
        node_rows.append([m.id, m.name] + [values.get(k, "") for k in node_keys])
    edge_rows = []
    for r in rels:
        values = edge_attrs(r, rp, r_custom)
        kind = "Undirected" if r.direction == "undirected" else "Directed"
        row = [r.id, r.source_id, r.target_id, kind, r.strength, r.direction]
        edge_rows.append(row + [values.get(k, "") for k in edge_keys])
    nodes = SheetSpec("Nodes", [Column(h, TEXT) for h in ["Id", "Label", *node_keys]], node_rows)
    edge_cols = [Column(h, TEXT) for h in ["Id", "Source", "Target", "Type"]]
    edge_cols += [Column("Weight", "number"), Column("direction", TEXT)]
    edge_cols += [Column(h, TEXT) for h in edge_keys]
    write_xlsx(dest, [nodes, SheetSpec("Edges", edge_cols, edge_rows)], progress=progress)
