"""A workshop session: the workshop event everyone entered during it attends.

File ▸ Start workshop records a workshop event (today, in person); from then on every member
named in quick entry is added as an attendee in the same undo step, so the meeting log knows
who was in the room. Undoing the start ends the session.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from ...core.changes import Changes
from ...core.commands import AddEntities, new_event
from ..controller import Controller


class WorkshopSession(QObject):
    #: The session started (event id) or ended (None).
    changed = Signal(object)

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._event_id: str | None = None
        controller.changed.connect(self._on_changed)
        controller.document_changed.connect(self.stop)

    @property
    def event_id(self) -> str | None:
        return self._event_id

    @property
    def active(self) -> bool:
        return self._event_id is not None

    def start(self, title: str, day: date | None = None, location: str = "") -> str:
        event = new_event(
            title.strip() or self.tr("Workshop"),
            kind="workshop",
            date=day or date.today(),
            in_person=True,
            location=location,
        )
        self.controller.push(AddEntities([event], self.tr("Start workshop '%s'") % event.title))
        self._event_id = event.id
        self.changed.emit(event.id)
        return event.id

    def stop(self) -> None:
        if self._event_id is not None:
            self._event_id = None
            self.changed.emit(None)

    def attending(self) -> set[str]:
        if self._event_id is None:
            return set()
        wb = self.controller.document
        return {a.member_id for a in wb.attendance_of_event(self._event_id)}

    def _on_changed(self, changes: Changes) -> None:
        if self._event_id is None:
            return
        if self._event_id in changes.events.removed or (
            changes.reset
            and self.controller.has_document
            and self.controller.document.event(self._event_id) is None
        ):
            self.stop()
