"""What the graph formats share: the attributes a node and an edge carry on export, and on
import the rows a parsed graph (GraphML, GML, Pajek) becomes, as tables the node-edge reader
understands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..metrics import load_network
from ..model import Member, Relationship
from ..network import measures
from ..network.facts import cold_ties
from ..privacy import share_view
from .tables import Grid

MEMBER_ATTRS = (
    "kind",
    "email",
    "phone",
    "role",
    "location",
    "sector",
    "tags",
    "offers",
    "needs",
    "joined_on",
    "consent",
    "notes",
)
EDGE_ATTRS = ("kind", "direction", "strength", "since", "ended_on", "notes")

KIND_COLOURS = {"person": (59, 110, 165), "organization": (214, 124, 48)}


def member_attrs(m: Member, private: frozenset[str], custom_keys: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in MEMBER_ATTRS:
        if f in private:
            continue
        value: Any = getattr(m, f)
        if isinstance(value, tuple):
            value = "|".join(str(v) for v in value)
        elif value is None:
            value = ""
        else:
            value = str(value) if not hasattr(value, "isoformat") else value.isoformat()
        out[f] = value
    for k in custom_keys:
        out[k] = m.custom.get(k, "")
    return out


def edge_attrs(r: Relationship, private: frozenset[str], custom_keys: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in EDGE_ATTRS:
        if f in private:
            continue
        value: Any = getattr(r, f)
        out[f] = (
            ""
            if value is None
            else value.isoformat()
            if hasattr(value, "isoformat")
            else str(value)
        )
    for k in custom_keys:
        out[k] = r.custom.get(k, "")
    return out


def shared_tables(
    wb: Any, include_private: bool
) -> tuple[list[Member], list[Relationship], frozenset[str], frozenset[str]]:
    """Members and relationships as a shared graph file may hold them (the document's share
    view), with the member and relationship fields to leave out."""
    view = share_view(wb, include_private=include_private)
    members = view.members(wb.members())
    rels = view.relationships(wb.relationships())
    return members, rels, view.private.members, view.private.relationships


# Figures Weaver computes from the network model and writes into graph files, so that a Gephi
# or yEd user can colour by the same communities and see the same cold ties as the map. Read
# back from a graph file they change nothing, like the member list's counts.
COMPUTED_NODE_ATTRS = ("community",)
COMPUTED_EDGE_ATTRS = ("cold",)


def computed_figures(wb: Any, include_private: bool) -> tuple[dict[str, int], set[str]]:
    """(member id -> community number, ids of cold ties) from ``weaver.core.network``, the same
    figures the map and Health show. A member who did not consent gets no community in a shared
    file (it would help single them out)."""
    data = load_network(wb)
    numbers = measures.community_numbers(measures.communities(data.graph()))
    view = share_view(wb, include_private=include_private)
    community = {m: n for m, n in numbers.items() if not view.is_anonymous(m)}
    cold = cold_ties(data.active_relationships(), data.meeting_log(), data.settings)
    return community, cold


def without_computed(values: Mapping[str, Any], computed: tuple[str, ...]) -> dict[str, Any]:
    """A graph file's attributes less the figures Weaver computes (see COMPUTED_NODE_ATTRS)."""
    return {k: v for k, v in values.items() if k not in computed}


def custom_keys(items: list[Any], private: frozenset[str], reserved: tuple[str, ...]) -> list[str]:
    keys = {k for i in items for k in i.custom} - private
    return sorted(k for k in keys if k not in reserved)


def to_grids(file: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[Grid]:
    """Node and edge dicts as two sheets with a header row each (keys in first-seen order)."""
    grids = []
    for sheet, items, first in (
        ("nodes", nodes, ["Id", "Label"]),
        ("edges", edges, ["Id", "Source", "Target"]),
    ):
        if not items:
            continue
        headers = list(first)
        for item in items:
            for k in item:
                if k not in headers:
                    headers.append(k)
        rows = [headers] + [[item.get(h) for h in headers] for item in items]
        grids.append(Grid(file, sheet, rows))
    return grids


def node_item(node_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A node as a nodes-table row: its attributes, its name from ``label`` (else ``name``,
    else its id)."""
    item: dict[str, Any] = {"Id": node_id, **without_computed(values, COMPUTED_NODE_ATTRS)}
    item["Label"] = item.pop("label", None) or item.pop("name", None) or node_id
    return item


def edge_item(
    edge_id: str, source: str, target: str, directed: bool, values: Mapping[str, Any]
) -> dict[str, Any]:
    """An edge as an edges-table row: its ends, its direction as Gephi's ``Type`` column and
    its ``weight`` as the ``Weight`` column (the node-edge reader makes a whole weight from 1
    to 5 the strength and keeps any weight as a custom field)."""
    item: dict[str, Any] = {
        "Id": edge_id,
        "Source": source,
        "Target": target,
        "Type": "directed" if directed else "undirected",
        **without_computed(values, COMPUTED_EDGE_ATTRS),
    }
    if "weight" in item:
        item["Weight"] = item.pop("weight")
    return item
