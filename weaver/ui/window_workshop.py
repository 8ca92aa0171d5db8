"""Workshop mode in the main window: View ▸ Present (F5), the presenter and quick-entry docks
(Ctrl+K), and File ▸ Start / End workshop.

Kept apart from ``main_window`` so the window module stays about composing the window; this
module only wires the workshop pieces (``ui/workshop``) into its menus and docks.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from . import dialogs
from .workshop.presenter import PresenterPanel
from .workshop.quick_entry import QuickEntryPanel
from .workshop.session import WorkshopSession

if TYPE_CHECKING:
    from .main_window import MainWindow


class WorkshopFeatures(QObject):
    """Owns the workshop session and the two docks; adds its actions to ``window.actions``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        c = window.controller
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.session = WorkshopSession(c, self)
        self.quick_entry = QuickEntryPanel(c, self.session)
        self.presenter = PresenterPanel(c)
        self.quick_entry_dock = window._dock(
            self.tr("Quick entry"), "quickEntryDock", self.quick_entry, right
        )
        self.presenter_dock = window._dock(
            self.tr("Presenter"), "presenterDock", self.presenter, right, scroll=True
        )
        self.session.changed.connect(lambda _id: self._update_actions())
        self.presenter.presenting_changed.connect(self._presenting_changed)

    @property
    def docks(self):
        return [self.quick_entry_dock, self.presenter_dock]

    def build_actions(self) -> None:
        a = self.window._action
        a(
            "present",
            self.tr("&Present"),
            self.toggle_presenting,
            "F5",
            "present",
            self.tr("Show the map full screen on the projector"),
        )
        self.window.actions["present"].setCheckable(True)
        a(
            "quick_entry",
            self.tr("&Quick Entry"),
            self.show_quick_entry,
            "Ctrl+K",
            "quick-entry",
            self.tr("Type names and ties as the room calls them out"),
        )
        a(
            "presenter_controls",
            self.tr("Presenter &Controls"),
            self.show_presenter,
            "Ctrl+Shift+F5",
        )
        a(
            "start_workshop",
            self.tr("Start &Workshop…"),
            self.start_workshop,
            tip=self.tr("Record a workshop: everyone entered meanwhile attends it"),
        )
        a("end_workshop", self.tr("&End Workshop"), self.end_workshop)
        self._update_actions()

    # ---- actions -------------------------------------------------------------------------

    def toggle_presenting(self) -> None:
        if not self.window.controller.has_document:
            self._presenting_changed(False)
            return
        self.presenter.toggle_presenting()

    def _presenting_changed(self, on: bool) -> None:
        """Keep View ▸ Present's check mark (and the toolbar button) on while presenting:
        the panel says so whatever started or ended it (F5, Esc, the menu, a closed window)."""
        action = self.window.actions.get("present")
        if action is not None:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def show_quick_entry(self) -> None:
        self.quick_entry_dock.show()
        self.quick_entry_dock.raise_()
        self.quick_entry.focus_entry()

    def show_presenter(self) -> None:
        self.presenter_dock.show()
        self.presenter_dock.raise_()

    def start_workshop(self, title: str | None = None) -> str | None:
        """Record today's workshop event; returns its id (None when cancelled)."""
        c = self.window.controller
        if not c.editable or self.session.active:
            return None
        if title is None:
            title = dialogs.ask_text(
                self.window,
                self.tr("Start workshop"),
                self.tr("Workshop title:"),
                self.tr("Workshop {0}").format(date.today().isoformat()),
            )
            if title is None:
                return None
        event_id = self.session.start(title)
        self.show_quick_entry()
        self.window.statusBar().showMessage(
            self.tr("Workshop started: everyone you enter now is recorded as attending"), 6000
        )
        return event_id

    def end_workshop(self) -> None:
        if self.session.active:
            self.session.stop()
            self.window.statusBar().showMessage(self.tr("Workshop ended"), 4000)

    def _update_actions(self) -> None:
        actions = self.window.actions
        if "start_workshop" not in actions:
            return
        editable = self.window.controller.editable
        actions["start_workshop"].setEnabled(editable and not self.session.active)
        actions["end_workshop"].setEnabled(self.session.active)
        actions["present"].setEnabled(self.window.controller.has_document)
        actions["quick_entry"].setEnabled(editable)

    def update_actions(self) -> None:
        self._update_actions()

    def shutdown(self) -> None:
        """Closing the window closes the projector too."""
        self.presenter.set_presenting(False)
