"""GraphML, written by hand (typed keys for every attribute) and read through defusedxml.

The graph's edge default is directed when any relationship is; each edge carries its own
``direction`` attribute (undirected, directed, mutual) so nothing is lost on the way back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..destination import atomic_path
from ..store import Document
from .draft import Draft
from .graph_xml import (
    COMPUTED_EDGE_ATTRS,
    COMPUTED_NODE_ATTRS,
    EDGE_ATTRS,
    MEMBER_ATTRS,
    computed_figures,
    custom_keys,
    edge_attrs,
    edge_item,
    member_attrs,
    node_item,
    shared_tables,
    to_grids,
)
from .nodes_edges import Overrides
from .nodes_edges import read as read_tables
from .safety import UnsafeFile, parse_xml
from .xlsx_out import clean_text

FORMAT = "graphml"
NS = "http://graphml.graphdrawing.org/xmlns"


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
    root = ET.Element(f"{{{NS}}}graphml")
    node_keys = ["label"] + [f for f in MEMBER_ATTRS if f not in mp] + m_custom + ["x", "y"]
    node_keys += COMPUTED_NODE_ATTRS
    edge_keys = [f for f in EDGE_ATTRS if f not in rp] + r_custom + ["weight"]
    edge_keys += COMPUTED_EDGE_ATTRS
    ids: dict[tuple[str, str], str] = {}
    for i, k in enumerate(node_keys):
        ids["node", k] = f"n{i}"
        kind = "double" if k in ("x", "y") else "int" if k == "community" else "string"
        ET.SubElement(
            root, f"{{{NS}}}key", {"id": f"n{i}", "for": "node", "attr.name": k, "attr.type": kind}
        )
    for i, k in enumerate(edge_keys):
        ids["edge", k] = f"e{i}"
        kind = "double" if k == "weight" else "boolean" if k == "cold" else "string"
        ET.SubElement(
            root, f"{{{NS}}}key", {"id": f"e{i}", "for": "edge", "attr.name": k, "attr.type": kind}
        )
    # One edge default for the whole graph (networkx refuses graphs that mix per-edge
    # "directed" flags); each edge's own direction travels in its "direction" attribute.
    default = "directed" if any(r.direction != "undirected" for r in rels) else "undirected"
    graph = ET.SubElement(root, f"{{{NS}}}graph", {"id": "G", "edgedefault": default})
    for m in members:
        node = ET.SubElement(graph, f"{{{NS}}}node", {"id": m.id})
        values = {"label": m.name, **member_attrs(m, mp, m_custom)}
        if m.x is not None and m.y is not None:
            values |= {"x": repr(m.x), "y": repr(m.y)}
        if m.id in community:
            values["community"] = str(community[m.id])
        _data(node, "node", node_keys, values, ids)
    for r in rels:
        edge = ET.SubElement(
            graph,
            f"{{{NS}}}edge",
            {
                "id": r.id,
                "source": r.source_id,
                "target": r.target_id,
            },
        )
        values = {**edge_attrs(r, rp, r_custom), "weight": str(float(r.strength))}
        values["cold"] = "true" if r.id in cold else "false"
        _data(edge, "edge", edge_keys, values, ids)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    with atomic_path(dest) as tmp:
        tree.write(tmp, encoding="UTF-8", xml_declaration=True)


def _data(parent: ET.Element, cls: str, keys: list[str], values: dict[str, str], ids: dict) -> None:
    for k in keys:
        value = values.get(k, "")
        if value != "":
            ET.SubElement(parent, f"{{{NS}}}data", {"key": ids[cls, k]}).text = clean_text(value)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(data: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    root = parse_xml(data)
    if _local(root.tag) != "graphml":
        raise UnsafeFile("is not a GraphML file (its root element is not <graphml>)")
    names: dict[str, str] = {}
    defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for key in (c for c in root if _local(c.tag) == "key"):
        kid = key.get("id", "")
        names[kid] = key.get("attr.name") or kid
        for d in key:
            if _local(d.tag) == "default" and d.text:
                defaults.setdefault(key.get("for", "node"), {})[names[kid]] = d.text
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for graph in (c for c in root if _local(c.tag) == "graph"):
        default_directed = graph.get("edgedefault", "undirected") == "directed"
        for el in graph.iter():
            tag = _local(el.tag)
            if tag == "node":
                nodes.append(node_item(el.get("id", ""), defaults["node"] | _values(el, names)))
            elif tag == "edge":
                directed = el.get("directed")
                edges.append(
                    edge_item(
                        el.get("id", ""),
                        el.get("source", ""),
                        el.get("target", ""),
                        default_directed if directed is None else directed == "true",
                        defaults["edge"] | _values(el, names),
                    )
                )
    return nodes, edges


def _values(el: ET.Element, names: dict[str, str]) -> dict[str, str]:
    return {
        names.get(d.get("key", ""), d.get("key", "")): (d.text or "")
        for d in el
        if _local(d.tag) == "data"
    }


def read(path: Path, overrides: Overrides | None = None) -> Draft:
    nodes, edges = parse(path.read_bytes())
    draft = read_tables(to_grids(path.name, nodes, edges), path.name, overrides)
    draft.format = FORMAT
    return draft
