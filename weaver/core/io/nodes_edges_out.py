"""Node and edge tables for Gephi's spreadsheet importer: an .xlsx with Nodes and Edges sheets,
or two CSV files (``<stem>-nodes.csv`` and ``<stem>-edges.csv``).

The CSV pair uses Gephi's column names: nodes ``Id``, ``Label`` and attributes; edges
``Source``, ``Target`` (node ids), ``Type`` (``Directed``/``Undirected``: Gephi reads anything but
"undirected" as directed, so a mutual tie is ``Directed`` and its ``direction`` column says
mutual), ``Weight`` (the tie's weight from the file it came from, else its strength 1-5) and
``Label`` (the kind of relationship). UTF-8 with BOM, text escaped against formula injection; a
last ``Weaver ID`` column marks Weaver's own files, so reading them back removes the escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..destination import atomic_path, check_destination
from ..store import Document
from .csv_text import WEAVER_MARKER, write_csv
from .graph_xml import (
    EDGE_ATTRS,
    MEMBER_ATTRS,
    custom_keys,
    edge_attrs,
    member_attrs,
    shared_tables,
)
from .xlsx_out import TEXT, Column, SheetSpec, write_xlsx

NODE_SUFFIX, EDGE_SUFFIX = "-nodes", "-edges"


def export(
    wb: Document,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    members, rels, mp, rp = shared_tables(wb, include_private)
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


def csv_paths(dest: Path) -> tuple[Path, Path]:
    """The two files a CSV export to ``dest`` writes: ``net.csv`` -> ``net-nodes.csv`` and
    ``net-edges.csv`` (a ``dest`` already named ``…-nodes.csv`` or ``…-edges.csv`` gives the
    same pair)."""
    dest = Path(dest)
    stem = dest.stem
    for suffix in (NODE_SUFFIX, EDGE_SUFFIX):
        if stem.casefold().endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return (
        dest.with_name(f"{stem}{NODE_SUFFIX}{dest.suffix}"),
        dest.with_name(f"{stem}{EDGE_SUFFIX}{dest.suffix}"),
    )


def companion(path: Path) -> tuple[Path, Path] | None:
    """(nodes, edges) when ``path`` is one of a pair written by :func:`export_csv` and the
    other file is beside it; None otherwise."""
    path = Path(path)
    stem = path.stem.casefold()
    if not (stem.endswith(NODE_SUFFIX) or stem.endswith(EDGE_SUFFIX)):
        return None
    nodes, edges = csv_paths(path)
    if nodes.is_file() and edges.is_file():
        return nodes, edges
    return None


def _weight(custom: dict[str, str], strength: int) -> Any:
    """Gephi's weight: the number a file brought in (kept as the custom field "weight"),
    else the tie's strength."""
    text = custom.get("weight", "")
    try:
        value = float(text.replace(",", ".")) if text else None
    except ValueError:
        value = None
    if value is None:
        return strength
    return int(value) if value.is_integer() else value


def csv_tables(
    wb: Document, include_private: bool = False
) -> tuple[tuple[list[str], list[list[Any]]], tuple[list[str], list[list[Any]]]]:
    """((node header, node rows), (edge header, edge rows)) as the CSV pair holds them."""
    members, rels, mp, rp = shared_tables(wb, include_private)
    m_custom = custom_keys(members, mp, MEMBER_ATTRS)
    r_custom = [k for k in custom_keys(rels, rp, EDGE_ATTRS) if k != "weight"]
    node_keys = [f for f in MEMBER_ATTRS if f not in mp] + m_custom
    node_rows = []
    for m in members:
        values = member_attrs(m, mp, m_custom)
        node_rows.append([m.id, m.name, *[values.get(k, "") for k in node_keys], m.id])
    # The kind is the Label; strength and direction stay beside Gephi's Weight and Type.
    edge_keys = [f for f in EDGE_ATTRS if f not in rp and f != "kind"] + r_custom
    edge_rows = []
    for r in rels:
        values = edge_attrs(r, rp, r_custom)
        kind = "Undirected" if r.direction == "undirected" else "Directed"
        weight = _weight(r.custom, r.strength)
        label = r.kind if "kind" not in rp else ""
        row = [r.source_id, r.target_id, kind, weight, label]
        edge_rows.append([*row, *[values.get(k, "") for k in edge_keys], r.id])
    node_header = ["Id", "Label", *node_keys, WEAVER_MARKER]
    edge_header = ["Source", "Target", "Type", "Weight", "Label", *edge_keys, WEAVER_MARKER]
    return (node_header, node_rows), (edge_header, edge_rows)


def export_csv(
    wb: Document, dest: Path, *, include_private: bool = False, **_: Any
) -> tuple[Path, Path]:
    """Write the nodes and edges CSV files beside ``dest``; returns their paths. Both are
    written to temporary files first: existing files are replaced only when both are
    complete."""
    nodes_path, edges_path = csv_paths(dest)
    for path in (nodes_path, edges_path):  # both refused before either is begun
        check_destination(path)
    (node_header, node_rows), (edge_header, edge_rows) = csv_tables(wb, include_private)
    with atomic_path(nodes_path) as nodes_tmp, atomic_path(edges_path) as edges_tmp:
        write_csv(nodes_tmp, node_header, node_rows)
        write_csv(edges_tmp, edge_header, edge_rows)
    return nodes_path, edges_path
