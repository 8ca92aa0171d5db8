"""Meetings and events, newest first, with how many attended."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from ...core.changes import Changes
from ...core.codec import FROM_ROW
from ...core.commands import UpdateEvent
from ...core.model import EVENT_KINDS, Event
from .base import Column, Editor, EntityTableModel


@dataclass(frozen=True)
class EventRow:
    event: Event
    attendees: int = 0


class EventsModel(EntityTableModel):
    def __init__(self, controller: Any, parent: Any = None) -> None:
        self._att: dict[str, str] = {}  # attendance id -> event id
        super().__init__(controller, parent)

    def default_sort(self) -> tuple[int, Qt.SortOrder] | None:
        return (0, Qt.SortOrder.DescendingOrder)  # the date column: newest first

    def make_columns(self) -> list[Column]:
        tr = self.tr

        def field(name: str) -> Any:
            return lambda r: getattr(r.event, name)

        def setter(name: str) -> Any:
            return lambda e, v: UpdateEvent(
                e.id, tr("Edit event '{title}'").format(title=e.title), **{name: v}
            )

        return [
            Column("date", tr("Date"), field("date"), editor=Editor("date"), update=setter("date")),
            Column(
                "title", tr("Title"), field("title"), editor=Editor("text"), update=setter("title")
            ),
            Column(
                "kind",
                tr("Kind"),
                field("kind"),
                editor=Editor("combo", dynamic=lambda: tuple((k, k) for k in self.kinds())),
                update=setter("kind"),
            ),
            Column(
                "in_person",
                tr("In person"),
                field("in_person"),
                editor=Editor("check"),
                update=setter("in_person"),
            ),
            Column(
                "trust_building",
                tr("Trust-building"),
                field("trust_building"),
                editor=Editor("check"),
                update=setter("trust_building"),
            ),
            Column(
                "attendees",
                tr("Attendees"),
                lambda r: r.attendees,
                numeric=True,
                tooltip=tr("Number of members who attended"),
            ),
            Column(
                "location",
                tr("Location"),
                field("location"),
                editor=Editor("text"),
                update=setter("location"),
            ),
        ]

    def kinds(self) -> list[str]:
        used = {r.event.kind for r in self._rows.values()}
        return sorted(used, key=str.casefold) + [k for k in EVENT_KINDS if k not in used]

    def describe(self, row_object: EventRow) -> str:
        return f"'{row_object.event.title}'"

    def entity(self, row_object: EventRow) -> Event:
        return row_object.event

    def event(self, event_id: str) -> Event | None:
        row = self.row_object(event_id)
        return row.event if row else None

    def load_all(self) -> dict[str, EventRow]:
        wb = self.controller.document
        self._att = {a["id"]: a["event_id"] for a in wb.rows("attendance")}
        return self._rows_for(wb.events())

    def load(self, ids: Iterable[str]) -> dict[str, EventRow]:
        rows = self.controller.document.rows_by_keys("events", ids)
        return self._rows_for([FROM_ROW["events"](r) for r in rows])

    def _rows_for(self, events: list[Event]) -> dict[str, EventRow]:
        counts = Counter(self._att.values())
        return {e.id: EventRow(e, counts.get(e.id, 0)) for e in events}

    def affected(self, changes: Changes) -> tuple[set[str], set[str], set[str]]:
        evs = changes.events
        added, updated, removed = set(evs.added), set(evs.updated), set(evs.removed)
        att = changes.attendance
        for aid in att.removed | att.updated:
            event_id = self._att.pop(aid, None)
            if event_id:
                updated.add(event_id)
        if att.added or att.updated:
            for a in self.controller.document.rows_by_keys("attendance", att.added | att.updated):
                self._att[a["id"]] = a["event_id"]
                updated.add(a["event_id"])
        updated = {e for e in updated if e in self._row_of} - removed - added
        return added, updated, removed
