"""Weaving intelligence in the main window: the Network profile, Health and Weaving docks,
Network ▸ Export Report, Take Snapshot and Rate Tie.

The panels compute in the background only while shown, so docking them costs nothing while
the weaver is editing elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from .panels.health import HealthPanel
from .panels.network import NetworkPanel
from .panels.suggestions import WeavingPanel

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .tasks import Task


class WeavingFeatures(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        c = window.controller
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.weaving_panel = WeavingPanel(c)
        self.health_panel = HealthPanel(c)
        self.network_panel = NetworkPanel(c)
        self.weaving_dock = window._dock(
            self.tr("Weaving"), "weavingDock", self.weaving_panel, right, scroll=True
        )
        self.health_dock = window._dock(
            self.tr("Health"), "healthDock", self.health_panel, right, scroll=True
        )
        self.network_dock = window._dock(
            self.tr("Profile"), "networkDock", self.network_panel, right, scroll=True
        )
        c.selection_changed.connect(lambda _m, _r: self.update_actions())
        for dock, panel in (
            (self.weaving_dock, self.weaving_panel),
            (self.health_dock, self.health_panel),
        ):
            # Raising a tabbed dock shows its panel without a show event: catch up then.
            dock.visibilityChanged.connect(lambda on, p=panel: on and p.analysis.shown())

    @property
    def docks(self) -> list[QDockWidget]:
        return [self.weaving_dock, self.health_dock, self.network_dock]

    def build_actions(self) -> None:
        a = self.window._action
        a(
            "export_report",
            self.tr("Export &Report…"),
            self.export_report,
            "Ctrl+Shift+E",
            "report",
            self.tr("The network's health, profile and to-do lists as a PDF or spreadsheet"),
        )
        a(
            "take_snapshot",
            self.tr("Take &Snapshot…"),
            self.take_snapshot,
            tip=self.tr("Store today's health measures in the document"),
        )
        a(
            "rate_tie",
            self.tr("Rate &Tie…"),
            self.rate_selected_tie,
            "Ctrl+T",
            tip=self.tr("Rate trust and value of the selected relationship"),
        )
        a(
            "show_weaving",
            self.tr("&Suggested Introductions"),
            lambda: self._show(self.weaving_dock),
        )
        a("show_health", self.tr("Network &Health"), lambda: self._show(self.health_dock))
        a("show_profile", self.tr("Network &Profile"), lambda: self._show(self.network_dock))
        self.update_actions()

    def _show(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        dock.widget().setFocus()

    def export_report(self) -> Task | None:
        """Network ▸ Export Report; the running task, which tests and callers may wait for."""
        from .report_pdf import export_report

        return export_report(self.window, self.window.controller)

    def take_snapshot(self) -> bool:
        self._show(self.health_dock)
        return self.health_panel.take_snapshot()

    def selected_tie(self) -> str | None:
        c = self.window.controller
        if len(c.selected_relationships) == 1:
            return c.selected_relationships[0]
        if len(c.selected_members) == 2 and c.has_document:
            return self.tie_between(*c.selected_members)
        return None

    def tie_between(self, a: str, b: str) -> str | None:
        """The id of the tie between two members: the current one, else an ended one."""
        wb = self.window.controller.document
        ties = [r for r in wb.relationships_of([a]) if {r.source_id, r.target_id} == {a, b}]
        # The current tie if there is one; an ended tie can still be rated in hindsight.
        ties.sort(key=lambda r: r.ended_on is None, reverse=True)
        return ties[0].id if ties else None

    def rate_selected_tie(self) -> bool:
        from .dialogs.rate_tie import rate_tie

        rel_id = self.selected_tie()
        if rel_id is None:
            self.window.statusBar().showMessage(
                self.tr("Select a relationship (or the two members it joins) to rate it"), 5000
            )
            return False
        return rate_tie(self.window, self.window.controller, rel_id)

    def open_rating(self, rel_id: str):
        """The rate-this-tie dialog, window-modal but not blocking (one undo step if saved)."""
        from PySide6.QtWidgets import QMessageBox

        from ..core.model import ValidationError
        from .dialogs.rate_tie import RateTieDialog

        if not self.window.controller.editable:
            return None
        try:
            dialog = RateTieDialog(self.window.controller, rel_id, self.window)
        except ValidationError as exc:
            QMessageBox.warning(self.window, self.tr("Rate this tie"), str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def update_actions(self) -> None:
        actions = self.window.actions
        if "rate_tie" not in actions:
            return
        c = self.window.controller
        actions["export_report"].setEnabled(c.has_document)
        actions["take_snapshot"].setEnabled(c.editable)
        actions["rate_tie"].setEnabled(c.editable and self.selected_tie() is not None)
