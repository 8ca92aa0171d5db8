"""The network's data, read once: a plain ``NetworkData`` value the analysis works on.

``load_network`` reads a workbook into it (so the heavy work can run in a worker thread with no
database connection). Its graph, meeting log and latest ratings are built once, on first use,
with the one builder and the one facts module of :mod:`weaver.core.network`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx

from .codec import rating_from_row
from .model import Affiliation, Attendance, Event, Member, Relationship
from .network.facts import MeetingLog, meeting_log
from .network.graph import build_directed_graph, build_graph, current_ties
from .ratings import Rating, latest_ratings

if TYPE_CHECKING:
    from .store import Document


@dataclass
class NetworkData:
    """Everything the analysis needs, read from a document at one moment."""

    members: dict[str, Member]
    relationships: list[Relationship]
    events: dict[str, Event] = field(default_factory=dict)
    attendance: list[Attendance] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    # The document's history: (day, Changes as JSON) per applied or reverted command, in order.
    history: list[tuple[date, dict[str, Any]]] = field(default_factory=list)
    today: date = field(default_factory=date.today)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _once(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def active_relationships(self) -> list[Relationship]:
        """The ties running today between two members (by id): the graph's ties."""
        return self._once(
            "active", lambda: current_ties(self.members, self.relationships, self.today)
        )

    def latest_ratings(self) -> dict[str, Rating]:
        return self._once("latest", lambda: latest_ratings(self.ratings))

    def graph(self) -> nx.Graph:
        """The network's graph (:func:`weaver.core.network.graph.build_graph`)."""
        return self._once(
            "graph",
            lambda: build_graph(
                self.members.values(), self.relationships, self.latest_ratings(), as_of=self.today
            ),
        )

    def directed_graph(self) -> nx.DiGraph:
        """The directed and mutual ties as arcs (for reciprocity)."""
        return self._once(
            "directed",
            lambda: build_directed_graph(
                self.members.values(), self.relationships, as_of=self.today
            ),
        )

    def meeting_log(self) -> MeetingLog:
        """Who attended what, as of today (:func:`weaver.core.network.facts.meeting_log`)."""
        return self._once(
            "meeting_log",
            lambda: meeting_log(self.events.values(), self.attendance, self.today),
        )


def load_ratings(wb: Document) -> list[Rating]:
    """Every rating in the document (the graph weighs each tie by its latest one)."""
    return [rating_from_row(r) for r in wb.rows("ratings")]


def load_network(wb: Document, today: date | None = None) -> NetworkData:
    """Read what the analysis needs (on the thread that owns ``wb``)."""
    return NetworkData(
        members={m.id: m for m in wb.members()},
        relationships=wb.relationships(),
        events={e.id: e for e in wb.events()},
        attendance=wb.attendance(),
        affiliations=wb.affiliations(),
        ratings=load_ratings(wb),
        history=[(date.fromisoformat(h["at"][:10]), h["changes"]) for h in wb.history()],
        settings=wb.settings(),
        today=today or date.today(),
    )
