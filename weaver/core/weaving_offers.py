"""Offers & needs: for every need, the members offering a match, bridges across clusters first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .metrics import NetworkData
from .model import ValueItem
from .weaving_match import item_key, offer_index


@dataclass(frozen=True)
class Offerer:
    member_id: str
    across_clusters: bool
    tied: bool


@dataclass(frozen=True)
class NeedMatch:
    member_id: str
    need: ValueItem
    offerers: tuple[Offerer, ...] = field(default_factory=tuple)
    total_offerers: int = 0  # all matching offerers; ``offerers`` holds the best few


def offers_and_needs(
    data: NetworkData,
    community_of: Mapping[str, int] | None = None,
    per_need: int = 10,
) -> list[NeedMatch]:
    """Every need with the members offering a match (same type, normalised text), those in
    another cluster and not yet tied first: the bridges a weaver can build. At most
    ``per_need`` offerers are listed per need (best connected first)."""
    community_of = community_of or {}
    g = data.graph()
    adj = {n: set(nbrs) for n, nbrs in g.adjacency()}  # plain sets: fast membership tests
    offers = offer_index(data.members.values())
    # key -> community -> offerers, best connected first: picking a handful per need stays
    # cheap even when hundreds offer the same thing.
    grouped: dict[tuple[str, str], dict[int | None, list[str]]] = {}
    for key, ids in offers.items():
        by_comm: dict[int | None, list[str]] = defaultdict(list)
        for o in sorted(ids, key=lambda m: (-g.degree(m), data.members[m].name)):
            by_comm[community_of.get(o)].append(o)
        grouped[key] = by_comm
    out = []
    for m in sorted(data.members.values(), key=lambda m: m.name.casefold()):
        mine = community_of.get(m.id)
        for need in m.needs:
            key = item_key(need)
            by_comm = grouped.get(key, {})
            across: list[Offerer] = []
            inside: list[Offerer] = []
            tied: list[Offerer] = []
            for comm, ids in by_comm.items():
                is_across = mine is not None and comm is not None and comm != mine
                bucket = across if is_across else inside
                taken = 0
                for o in ids:
                    if taken >= per_need or len(across) >= per_need:
                        break
                    if o == m.id:
                        continue
                    if o in adj[m.id]:
                        tied.append(Offerer(o, is_across, True))
                    elif taken < per_need:
                        bucket.append(Offerer(o, is_across, False))
                        taken += 1
            best = (across + inside + tied)[:per_need]
            total = len(offers.get(key, ())) - (m.id in offers.get(key, ()))
            out.append(NeedMatch(m.id, need, tuple(best), total))
    return out
