"""The Meetings & events panel: newest first, with attendee counts."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ...core.commands import DeleteEvents
from .. import dialogs, editing
from ..controller import Controller
from ..models.events import EventsModel
from ..textmatch import plural
from .table_panel import TablePanel


class EventFocus(QObject):
    """The event the user is looking at. Events are not part of the controller's shared
    selection (which is members and relationships), so the events table and the details
    panel meet here: one instance per controller, found with :func:`event_focus`."""

    event_chosen = Signal(str)  # "" when none


def event_focus(controller: Controller) -> EventFocus:
    found = controller.findChild(EventFocus)
    if found is None:
        found = EventFocus(controller)
    return found


class EventsPanel(TablePanel):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, EventsModel(controller), parent)
        self.search.setPlaceholderText(self.tr("Search meetings (title, kind, place…)"))
        self.table.setAccessibleName(self.tr("Meetings and events"))
        self.focus_hub = event_focus(controller)
        self.log = self.add_button(
            "meeting-log", self.tr("Log meeting"), self.tr("Log a meeting (Ctrl+M)…"), self._log
        )
        self.delete = self.add_button(
            "edit-delete",
            self.tr("Delete events"),
            self.tr("Delete the selected meetings and events"),
            self._delete_selected,
            needs_selection=True,
        )
        self.finish_toolbar()

    def selection_ids(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> tuple:
        # Selecting members elsewhere leaves the chosen event alone.
        return tuple(self.selected_ids())

    def publish_selection(self, ids: list[str]) -> None:
        self.focus_hub.event_chosen.emit(ids[0] if len(ids) == 1 else "")

    def open_row(self, entity_id: str) -> None:
        self.focus_hub.event_chosen.emit(entity_id)

    def delete_rows(self, ids: list[str]) -> None:
        delete_events(self, self.controller, ids)

    def _log(self) -> None:
        from ..dialogs.meeting import open_log_meeting

        if self.controller.editable:
            open_log_meeting(self.window(), self.controller)


def delete_events(parent: QWidget, controller: Controller, ids: list[str]) -> bool:
    wb = controller.document
    attendance = sum(len(wb.attendance_of_event(e)) for e in ids)
    if attendance:
        title = parent.tr("Delete events")
        text = plural(parent.tr("Delete %n event(s)?", "", len(ids)), len(ids))
        detail = plural(
            parent.tr("%n attendance record(s) will be deleted with them.", "", attendance),
            attendance,
        )
        answer = dialogs.ask(parent, title, text, informative=detail)
        if answer != dialogs.Button.Yes:
            return False
    return editing.push(parent, controller, DeleteEvents(ids))
