"""The main window's Edit and Network commands: undo/redo, find, delete, add a relationship or
affiliation, log a meeting (and offer to rate the tie after a one-to-one), preferences, about.

A mixin so ``main_window`` stays about composing the window; every change goes through the
controller as a core command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from ..core.errors import DocumentError
from ..core.model import ValidationError
from . import dialogs, editing
from .dialogs.meeting import LogMeetingDialog, open_log_meeting

if TYPE_CHECKING:
    from .controller import Controller
    from .panels.members import MembersPanel
    from .settings import Preferences
    from .window_weaving import WeavingFeatures


class EditCommands:
    """Edit and Network menu commands of :class:`~weaver.ui.main_window.MainWindow`."""

    controller: Controller
    prefs: Preferences
    weaving: WeavingFeatures
    members_dock: QDockWidget
    members_panel: MembersPanel

    def undo(self) -> None:
        if self.controller.editable:
            self._guard(self.controller.undo_stack.undo)

    def redo(self) -> None:
        if self.controller.editable:
            self._guard(self.controller.undo_stack.redo)

    def _guard(self, fn: Callable[[], object]) -> None:
        """Run an edit; a refusal the user can act on is shown plainly, not as a crash."""
        try:
            fn()
        except (ValidationError, DocumentError) as exc:
            dialogs.warn(self, self.tr("Not changed"), str(exc))

    def find(self) -> None:
        self._focus_dock(self.members_dock, self.members_panel)

    def _focus_dock(self, dock: QDockWidget, panel: QWidget) -> None:
        dock.show()
        dock.raise_()
        if hasattr(panel, "focus_search"):
            panel.focus_search()
        else:
            panel.setFocus()

    def delete_selection(self) -> None:
        c = self.controller
        if not c.editable:
            return
        if c.selected_members:
            editing.delete_members(self, c, c.selected_members)
        elif c.selected_relationships:
            editing.delete_relationships(self, c, c.selected_relationships)
        else:
            self.statusBar().showMessage(self.tr("Select members or relationships to delete"), 4000)

    def add_relationship(self) -> None:
        members = self.controller.selected_members
        source = members[0] if members else None
        target = members[1] if len(members) > 1 else None
        editing.add_relationship(self, self.controller, source, target)

    def add_affiliation(self) -> None:
        wb = self._document()
        person = org = None
        if wb is not None:
            for m in wb.members_by_ids(self.controller.selected_members):
                if m.is_organization and org is None:
                    org = m.id
                elif not m.is_organization and person is None:
                    person = m.id
        editing.add_affiliation(self, self.controller, person, org)

    def log_meeting(self) -> LogMeetingDialog | None:
        if not self.controller.editable:
            return None
        dialog = open_log_meeting(self, self.controller)
        dialog.accepted.connect(lambda d=dialog: self._after_meeting([m for m, _ in d.attendees()]))
        return dialog

    def _after_meeting(self, attendees: list[str]) -> None:
        """A one-to-one is the moment to rate the tie: offer the quick rating (Cancel skips
        it). After a bigger meeting, select who was there so their ties are one step away."""
        if len(attendees) == 2 and (rel_id := self.weaving.tie_between(*attendees)):
            self.weaving.open_rating(rel_id)
        elif len(attendees) > 2:
            self.controller.select(attendees)
            self.statusBar().showMessage(
                self.tr("Meeting logged. Rate a tie between two attendees with Ctrl+T."), 8000
            )

    def preferences(self, network: bool = False) -> None:
        from .dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.controller, self.prefs, self, network_first=network)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def about(self) -> None:
        from .. import __version__

        dialogs.inform(
            self,
            self.tr("About Weaver"),
            self.tr("Weaver {0}").format(__version__),
            self.tr(
                "A desktop workbench for network weavers: map, tend and grow "
                "social-impact networks."
            ),
        )
