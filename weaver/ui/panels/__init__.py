"""Dockable panels: the members, relationships and events tables and the details panel."""

from .details import DetailsPanel
from .events import EventsPanel
from .members import MembersPanel
from .relationships import RelationshipsPanel

__all__ = ["DetailsPanel", "EventsPanel", "MembersPanel", "RelationshipsPanel"]
