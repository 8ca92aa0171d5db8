"""GEXF 1.3 (Gephi's format), written by hand and read through defusedxml.

Export: node kind, tags, fields and custom fields as attributes; positions and colours in
``viz``; one edge per relationship with its own type (directed, undirected, mutual). Import
accepts every GEXF namespace (networkx's reader refuses ``http://www.gexf.net/1.3``, which
Gephi writes) and reads nodes, edges, attributes and positions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..destination import atomic_path
from ..store import Document
from .draft import Draft
from .graph_xml import (
    COMPUTED_EDGE_ATTRS,
    COMPUTED_NODE_ATTRS,
    EDGE_ATTRS,
    KIND_COLOURS,
    MEMBER_ATTRS,
    computed_figures,
    custom_keys,
    edge_attrs,
    member_attrs,
    shared_tables,
    to_grids,
    without_computed,
)
from .nodes_edges import Overrides
from .nodes_edges import read as read_tables
from .safety import UnsafeFile, parse_xml
from .xlsx_out import clean_text

FORMAT = "gexf"
NS = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"


def export(
    wb: Document,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    members, rels, mp, rp = shared_tables(wb, include_private)
    community, cold = computed_figures(wb, include_private)
    m_custom = custom_keys(members, mp, MEMBER_ATTRS + COMPUTED_NODE_ATTRS)
    r_custom = custom_keys(rels, rp, EDGE_ATTRS + COMPUTED_EDGE_ATTRS)
    ET.register_namespace("", NS)
    ET.register_namespace("viz", NS_VIZ)
    root = ET.Element(f"{{{NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{NS}}}meta", {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, f"{{{NS}}}creator").text = "Weaver"
    ET.SubElement(meta, f"{{{NS}}}description").text = clean_text(wb.name)
    graph = ET.SubElement(
        root, f"{{{NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"}
    )
    node_keys = [f for f in MEMBER_ATTRS if f not in mp] + m_custom + list(COMPUTED_NODE_ATTRS)
    edge_keys = [f for f in EDGE_ATTRS if f not in rp] + r_custom + list(COMPUTED_EDGE_ATTRS)
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        attrs = ET.SubElement(graph, f"{{{NS}}}attributes", {"class": cls, "mode": "static"})
        for i, k in enumerate(keys):
            ET.SubElement(attrs, f"{{{NS}}}attribute", {"id": str(i), "title": k, "type": "string"})
    nodes = ET.SubElement(graph, f"{{{NS}}}nodes", {"count": str(len(members))})
    for m in members:
        node = ET.SubElement(nodes, f"{{{NS}}}node", {"id": m.id, "label": clean_text(m.name)})
        figures = {"community": str(community[m.id])} if m.id in community else {}
        _attvalues(node, node_keys, member_attrs(m, mp, m_custom) | figures)
        r, g, b = KIND_COLOURS[m.kind]
        ET.SubElement(node, f"{{{NS_VIZ}}}color", {"r": str(r), "g": str(g), "b": str(b)})
        if m.x is not None and m.y is not None:
            ET.SubElement(
                node, f"{{{NS_VIZ}}}position", {"x": repr(m.x), "y": repr(m.y), "z": "0.0"}
            )
    edges = ET.SubElement(graph, f"{{{NS}}}edges", {"count": str(len(rels))})
    for rel in rels:
        edge = ET.SubElement(
            edges,
            f"{{{NS}}}edge",
            {
                "id": rel.id,
                "source": rel.source_id,
                "target": rel.target_id,
                "type": rel.direction,
                "weight": str(float(rel.strength)),
                "label": clean_text(rel.kind),
            },
        )
        cold_flag = {"cold": "true" if rel.id in cold else "false"}
        _attvalues(edge, edge_keys, edge_attrs(rel, rp, r_custom) | cold_flag)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    with atomic_path(dest) as tmp:
        tree.write(tmp, encoding="UTF-8", xml_declaration=True)


def _attvalues(parent: ET.Element, keys: list[str], values: dict[str, str]) -> None:
    present = [(i, k) for i, k in enumerate(keys) if values.get(k, "") != ""]
    if not present:
        return
    holder = ET.SubElement(parent, f"{{{NS}}}attvalues")
    for i, k in present:
        ET.SubElement(holder, f"{{{NS}}}attvalue", {"for": str(i), "value": clean_text(values[k])})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def parse(data: bytes, file: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(nodes, edges, default edge type) from GEXF bytes of any version."""
    root = parse_xml(data)
    if _local(root.tag) != "gexf":
        raise UnsafeFile("is not a GEXF file (its root element is not <gexf>)")
    graph = _child(root, "graph")
    if graph is None:
        raise UnsafeFile("is a GEXF file without a <graph>")
    default_type = graph.get("defaultedgetype", "undirected")
    titles: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for attrs in _children(graph, "attributes"):
        cls = attrs.get("class", "node")
        for a in _children(attrs, "attribute"):
            titles.setdefault(cls, {})[a.get("id", "")] = a.get("title") or a.get("id", "")
    nodes: list[dict[str, Any]] = []
    holder = _child(graph, "nodes")
    for n in _children(holder, "node") if holder is not None else []:
        item: dict[str, Any] = {"Id": n.get("id", ""), "Label": n.get("label") or n.get("id", "")}
        item.update(without_computed(_values(n, titles["node"]), COMPUTED_NODE_ATTRS))
        pos = _child(n, "position")
        if pos is not None:
            item["x"], item["y"] = pos.get("x"), pos.get("y")
        nodes.append(item)
    edges: list[dict[str, Any]] = []
    holder = _child(graph, "edges")
    for e in _children(holder, "edge") if holder is not None else []:
        item = {
            "Id": e.get("id", ""),
            "Source": e.get("source", ""),
            "Target": e.get("target", ""),
            "Type": e.get("type", default_type),
        }
        if e.get("weight") is not None:
            item["Weight"] = e.get("weight")
        if e.get("label"):
            item["Label"] = e.get("label")
        item.update(without_computed(_values(e, titles["edge"]), COMPUTED_EDGE_ATTRS))
        edges.append(item)
    return nodes, edges, default_type


def _values(el: ET.Element, titles: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    holder = _child(el, "attvalues")
    # Gephi's slice files put attvalue straight under the node.
    values = _children(holder, "attvalue") if holder is not None else _children(el, "attvalue")
    for v in values:
        key = v.get("for") or v.get("id") or ""
        out[titles.get(key, key)] = v.get("value", "")
    return out


def read(path: Path, overrides: Overrides | None = None) -> Draft:
    nodes, edges, _ = parse(path.read_bytes(), path.name)
    draft = read_tables(to_grids(path.name, nodes, edges), path.name, overrides)
    draft.format = FORMAT
    return draft
