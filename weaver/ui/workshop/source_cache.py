"""The document's entities kept in memory for a view, refreshed from Changes.

A live view (the projector) must not reload five thousand members from the file after every
edit: it keeps them here and re-reads only the rows a Changes record names.
"""

from __future__ import annotations

from typing import Any

from ...core.changes import Changes
from ...core.codec import FROM_ROW
from ...core.mapdata_snapshot import MapSource
from ...core.metrics import load_ratings
from ...core.store import Document


class SourceCache:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.tables: dict[str, dict[str, Any]] = {}
        self.settings: dict[str, Any] = {}
        self.reload()

    def reload(self) -> None:
        wb = self.document
        loaders = {
            "members": wb.members,
            "relationships": wb.relationships,
            "affiliations": wb.affiliations,
            "events": wb.events,
            "attendance": wb.attendance,
            "ratings": lambda: load_ratings(wb),  # trust weighs the graph's ties
        }
        self.tables = {name: {e.id: e for e in load()} for name, load in loaders.items()}
        self.settings = wb.settings()

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reload()
            return
        for name in self.tables:  # the entities this cache holds (not ratings etc.)
            part = getattr(changes, name)
            table = self.tables[name]
            for key in part.removed:
                table.pop(key, None)
            fresh = part.added | part.updated
            if name == "members":
                fresh |= changes.positions
            if fresh:
                for row in self.document.rows_by_keys(name, fresh):
                    entity = FROM_ROW[name](row)
                    table[entity.id] = entity
        if changes.settings:
            self.settings = self.document.settings()

    def source(self) -> MapSource:
        t = self.tables
        return MapSource(
            members=list(t["members"].values()),
            relationships=list(t["relationships"].values()),
            affiliations=list(t["affiliations"].values()),
            events=list(t["events"].values()),
            attendance=list(t["attendance"].values()),
            settings=self.settings,
            ratings=list(t["ratings"].values()),
        )
