"""The data a map is built from (:class:`MapSource`) and what it draws (:class:`MapSnapshot`).

See :mod:`mapdata` for the conventions of the arrays and for building a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from .mapdata_style import RGBA
from .model import Affiliation, Attendance, Event, Member, Relationship
from .ratings import Rating

if TYPE_CHECKING:
    from .store import Document


@dataclass(frozen=True)
class MapSource:
    """Plain entity lists to build a snapshot from, when there is no Document (tests, demo)."""

    members: Sequence[Member]
    relationships: Sequence[Relationship] = ()
    affiliations: Sequence[Affiliation] = ()
    events: Sequence[Event] = ()
    attendance: Sequence[Attendance] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    # Every rating: the graph weighs a tie by its latest trust, so communities match Health's.
    ratings: Sequence[Rating] = ()

    @classmethod
    def from_workbook(cls, wb: Document) -> MapSource:
        from .metrics import load_ratings

        return cls(
            members=wb.members(),
            relationships=wb.relationships(),
            affiliations=wb.affiliations(),
            events=wb.events(),
            attendance=wb.attendance(),
            settings=wb.settings(),
            ratings=load_ratings(wb),
        )


@dataclass(frozen=True)
class MapTooltip:
    """What hovering a node may show. Plain data: the view translates and formats it."""

    name: str
    kind: str | None  # None when "kind" is private
    organizations: tuple[str, ...]  # a person's organizations; () for an organization
    relationships: int  # active ties drawn on the map
    meetings: int  # events attended
    members: int  # people affiliated (organizations only; 0 for people)


@dataclass
class MapSnapshot:
    """Everything the map draws, as arrays indexed by node row / edge row."""

    ids: list[str]
    index: dict[str, int]
    pos: np.ndarray  # (N, 2) float64
    pinned: np.ndarray  # (N,) bool
    placed: np.ndarray  # (N,) bool: False where the member had no saved position
    kinds: np.ndarray  # (N,) uint8: 0 person, 1 organization
    labels: list[str]
    sizes: np.ndarray  # (N,) float32 diameter (device-independent px at zoom 1)
    size_values: np.ndarray  # (N,) float64 raw metric values
    colors: np.ndarray  # (N, 4) uint8 RGBA
    color_values: list[str]  # (N) the category each node was coloured by ("" = none)
    legend: list[tuple[str, RGBA]]
    legend_counts: list[int]
    edges: np.ndarray  # (M, 2) int32 node rows
    edge_ids: list[str]
    edge_strength: np.ndarray  # (M,) float32, 1..5
    edge_directed: np.ndarray  # (M,) bool: arrow from source to target
    edge_mutual: np.ndarray  # (M,) bool: arrows both ways
    edge_cold: np.ndarray  # (M,) bool: cold (weaver.core.network.facts.is_cold)
    edge_ended: np.ndarray  # (M,) bool: only True when built with include_ended
    edge_kinds: list[str]
    degree: np.ndarray  # (N,) int32 active ties
    meetings: np.ndarray  # (N,) int32 events attended
    organizations: list[tuple[str, ...]]  # (N) names of a person's organizations
    affiliated: np.ndarray  # (N,) int32 people affiliated with an organization
    color_by: str = "kind"
    size_by: str = "degree"
    as_of: date | None = None
    include_ended: bool = False
    signature: str = ""  # the graph's network_signature (changes with members, ties, trust)
    private_member_fields: frozenset[str] = frozenset()

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def n_edges(self) -> int:
        return len(self.edge_ids)

    def tooltip(self, i: int) -> MapTooltip:
        private = self.private_member_fields
        return MapTooltip(
            name=self.labels[i],
            kind=None if "kind" in private else ("organization" if self.kinds[i] else "person"),
            organizations=() if "organization" in private else self.organizations[i],
            relationships=int(self.degree[i]),
            meetings=int(self.meetings[i]),
            members=int(self.affiliated[i]),
        )

    def positions(self) -> dict[str, tuple[float, float]]:
        """Member id -> (x, y), e.g. to push a MoveMembers command after a layout."""
        return {mid: (float(x), float(y)) for mid, (x, y) in zip(self.ids, self.pos, strict=True)}

    def with_positions(self, positions: Mapping[str, tuple[float, float]]) -> MapSnapshot:
        """A copy with some members moved (a live drag), all other arrays shared."""
        pos = self.pos.copy()
        placed = self.placed.copy()
        for mid, (x, y) in positions.items():
            i = self.index.get(mid)
            if i is not None:
                pos[i] = (x, y)
                placed[i] = True
        return replace(self, pos=pos, placed=placed)

    def neighbours(self, rows: Iterable[int], depth: int = 1) -> np.ndarray:
        """Rows within ``depth`` steps of ``rows`` (included), following drawn edges."""
        return np.flatnonzero(neighbourhood_mask(self.n_nodes, self.edges, rows, depth))


def neighbourhood_mask(n: int, edges: np.ndarray, rows: Iterable[int], depth: int) -> np.ndarray:
    """(n,) bool: the rows within ``depth`` steps of ``rows`` (included) along ``edges``
    ((M, 2) row pairs, either direction)."""
    keep = np.zeros(n, dtype=bool)
    frontier = np.zeros(n, dtype=bool)
    frontier[list(rows)] = True
    keep |= frontier
    if len(edges) == 0:
        return keep
    a, b = edges[:, 0], edges[:, 1]
    for _ in range(max(0, depth)):
        nxt = np.zeros(n, dtype=bool)
        nxt[b[frontier[a]]] = True
        nxt[a[frontier[b]]] = True
        frontier = nxt & ~keep
        if not frontier.any():
            break
        keep |= frontier
    return keep
