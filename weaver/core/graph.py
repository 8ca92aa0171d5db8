"""Build a networkx graph from the network: the one shared builder.

Members become nodes (attributes ``name`` and ``kind``); relationships that are active on the
``as_of`` date become edges (attributes ``id``, ``kind``, ``strength`` 1–5, ``weight`` and
``direction``). ``weight`` is a *closeness* (higher = closer: ``strength / 5`` unless a
``weight_of`` function is given), as community detection and weighted degree expect; for
shortest paths use ``distance`` (``1 / weight``).

- Ended ties: a tie whose ``ended_on`` is on or before ``as_of`` is left out; with
  ``as_of=None`` every tie that has an end date is left out.
- Ties to members that are not in ``members`` are skipped.
- Undirected graph (default): one edge per tied pair; when a pair has several ties, the
  strongest is kept (the first of equals, in the order given).
- ``directed=True``: a ``DiGraph``; a "directed" tie gives one arc source → target, "mutual" and
  "undirected" ties give both arcs (an undirected tie goes both ways). With
  ``undirected_ties=False`` only directed and mutual ties are included, which is what
  reciprocity measures want.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

import networkx as nx

from .model import Member, Relationship

if TYPE_CHECKING:
    from .store import Workbook

WeightOf = Callable[[Relationship], float]


def default_weight(r: Relationship) -> float:
    """Closeness 0.2–1 from the tie's strength 1–5."""
    return r.strength / 5


def active_ties(
    relationships: Iterable[Relationship], as_of: date | None = None
) -> list[Relationship]:
    """The ties still running on ``as_of`` (``None``: ties without an end date)."""
    return [r for r in relationships if r.is_active(as_of)]


def build_graph(
    members: Iterable[Member],
    relationships: Iterable[Relationship],
    *,
    as_of: date | None = None,
    directed: bool = False,
    undirected_ties: bool = True,
    weight_of: WeightOf | None = None,
) -> nx.Graph:
    """A ``Graph`` (or ``DiGraph`` when ``directed``) of the members and their active ties."""
    weigh = weight_of or default_weight
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for m in members:
        g.add_node(m.id, name=m.name, kind=m.kind)
    for r in active_ties(relationships, as_of):
        a, b = r.source_id, r.target_id
        if a not in g or b not in g or a == b:
            continue
        w = float(weigh(r))
        attrs = {
            "id": r.id,
            "kind": r.kind,
            "strength": r.strength,
            "weight": w,
            "distance": 1.0 / w if w > 0 else float("inf"),
            "direction": r.direction,
        }
        if not directed:
            old = g.get_edge_data(a, b)
            if old is None or r.strength > old["strength"]:
                g.add_edge(a, b, **attrs)
            continue
        if r.direction == "undirected" and not undirected_ties:
            continue
        arcs = [(a, b)] if r.direction == "directed" else [(a, b), (b, a)]
        for u, v in arcs:
            old = g.get_edge_data(u, v)
            if old is None or r.strength > old["strength"]:
                g.add_edge(u, v, **attrs)
    return g


def graph_from_workbook(
    wb: Workbook,
    *,
    as_of: date | None = None,
    directed: bool = False,
    undirected_ties: bool = True,
    weight_of: WeightOf | None = None,
) -> nx.Graph:
    """:func:`build_graph` over everything in an open workbook (on the thread that owns it)."""
    return build_graph(
        wb.members(),
        wb.relationships(),
        as_of=as_of,
        directed=directed,
        undirected_ties=undirected_ties,
        weight_of=weight_of,
    )
