"""Qt table models over the core document (members, relationships, events)."""

from .base import EditorRole, EntityTableModel, IdRole, ValueRole
from .events import EventsModel
from .filter import SearchProxy
from .members import MembersModel
from .relationships import RelationshipsModel

__all__ = [
    "EditorRole",
    "EntityTableModel",
    "EventsModel",
    "IdRole",
    "MembersModel",
    "RelationshipsModel",
    "SearchProxy",
    "ValueRole",
]
