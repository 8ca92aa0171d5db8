"""The one graph builder: members and their current ties as a networkx graph.

Weighting rule (documented once, used by every measure, suggestion and map colour):

- A tie's ``weight`` is a *closeness* from 0.05 to 1: ``strength / 5`` (strength 1–5) times
  the trust factor of its latest rating (:func:`trust_factor`: mean trust 1–4 gives 0.25–1; a tie
  never rated counts as fairly trusted, 0.75). Higher is closer, as community detection and
  weighted degree expect; shortest paths use ``distance`` (``1 / weight``).
- Parallel ties (several relationships between the same two members) combine into one edge:
  the pair keeps the tie with the greatest weight, its ``id``, ``strength`` and ``weight``
  (between equal weights, the smallest relationship id). A pair is as close as its closest tie.
- Only ties running on ``as_of`` count (:meth:`Relationship.is_active`); ties to members not in
  the network and ties of a member to themself are left out.
- Nodes are added in member-id order and ties in relationship-id order, so the same network
  always gives the same graph, and seeded measures the same answer, whichever view asked.

The graph carries its :func:`network_signature` in ``g.graph["signature"]``: the measures cache
their results on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date

import networkx as nx

from ..model import Member, Relationship
from ..ratings import Rating

# Trust of a tie that was never rated (on the 0.25–1 scale of rated ties).
UNRATED_TRUST = 0.75
TRUST_SCALE = 4  # trust scores run 1–4


def trust_factor(rating: Rating | None) -> float:
    """0.25–1 from the latest trust scores; unrated ties count as fairly trusted (0.75)."""
    if rating is None or rating.trust is None:
        return UNRATED_TRUST
    return rating.trust / TRUST_SCALE


def tie_weight(r: Relationship, rating: Rating | None) -> float:
    """The tie's closeness: strength / 5 scaled by the trust of its latest rating."""
    return r.strength / 5 * trust_factor(rating)


def current_ties(
    member_ids: Iterable[str], relationships: Iterable[Relationship], as_of: date
) -> list[Relationship]:
    """The ties running on ``as_of`` between two distinct members of the network, by id."""
    ids = set(member_ids)
    return sorted(
        (
            r
            for r in relationships
            if r.source_id in ids
            and r.target_id in ids
            and r.source_id != r.target_id
            and r.is_active(as_of)
        ),
        key=lambda r: r.id,
    )


def network_signature(
    member_ids: Iterable[str],
    relationships: Iterable[Relationship],
    ratings: Mapping[str, Rating] | None = None,
) -> str:
    """A digest of who is in the network and how they are tied (ids, ends, strength,
    direction, the trust of each tie's latest rating): derived figures (measures, communities)
    are recomputed only when it changes. Moving or renaming a member leaves it as it was."""
    ratings = ratings or {}
    h = hashlib.blake2b(digest_size=16)
    for mid in member_ids:
        h.update(mid.encode())
        h.update(b"\0")
    h.update(b"\1")
    for r in relationships:
        trust = trust_factor(ratings.get(r.id))
        h.update(
            f"{r.id}|{r.source_id}|{r.target_id}|{r.strength}|{r.direction}|{trust}\0".encode()
        )
    return h.hexdigest()


def build_graph(
    members: Iterable[Member],
    relationships: Iterable[Relationship],
    ratings: Mapping[str, Rating] | None = None,
    *,
    as_of: date,
) -> nx.Graph:
    """The undirected graph of the members and their ties on ``as_of`` (rule: module doc).

    Nodes carry ``name`` and ``kind``; edges ``id``, ``strength``, ``weight``, ``distance``.
    ``ratings`` maps a relationship id to its latest rating (:func:`ratings.latest_ratings`).
    """
    ratings = ratings or {}
    people = sorted(members, key=lambda m: m.id)
    ties = current_ties((m.id for m in people), relationships, as_of)
    g = nx.Graph(signature=network_signature((m.id for m in people), ties, ratings))
    for m in people:
        g.add_node(m.id, name=m.name, kind=m.kind)
    for r in ties:
        weight = tie_weight(r, ratings.get(r.id))
        old = g.get_edge_data(r.source_id, r.target_id)
        if old is None or weight > old["weight"]:
            g.add_edge(
                r.source_id,
                r.target_id,
                id=r.id,
                strength=r.strength,
                weight=weight,
                distance=1.0 / weight,
            )
    return g


def build_directed_graph(
    members: Iterable[Member],
    relationships: Iterable[Relationship],
    *,
    as_of: date,
    undirected_ties: bool = False,
) -> nx.DiGraph:
    """The directed variant over the same current ties: a "directed" tie is one arc source →
    target, a "mutual" tie both arcs. An "undirected" tie says nothing about direction, so it
    is left out unless ``undirected_ties`` (then it goes both ways). Reciprocity reads this."""
    people = sorted(members, key=lambda m: m.id)
    d = nx.DiGraph()
    d.add_nodes_from(m.id for m in people)
    for r in current_ties((m.id for m in people), relationships, as_of):
        if r.direction == "directed":
            d.add_edge(r.source_id, r.target_id)
        elif r.direction == "mutual" or undirected_ties:
            d.add_edge(r.source_id, r.target_id)
            d.add_edge(r.target_id, r.source_id)
    return d
