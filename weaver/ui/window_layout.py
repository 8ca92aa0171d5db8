"""The main window's layout memory: first-run dock sizes, geometry, dock layout and table
columns kept in the preferences, and a workaround for a stray Qt tab bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

if TYPE_CHECKING:
    from .settings import Preferences


class LayoutMemory:
    """Mixed into :class:`~weaver.ui.main_window.MainWindow` (before QMainWindow)."""

    prefs: Preferences

    def _default_dock_sizes(self) -> None:
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        self.resizeDocks(
            [self.members_dock, self.details_dock], [em * 64, em * 58], Qt.Orientation.Horizontal
        )
        # The details get the height; the undo history is a glance, not a workspace.
        rest = max(line * 20, self.height() - line * 14)
        self.resizeDocks(
            [self.details_dock, self.history_dock], [rest, line * 7], Qt.Orientation.Vertical
        )

    def _restore_layout(self) -> None:
        if geometry := self.prefs.window_geometry():
            self.restoreGeometry(geometry)
        self._layout_restored = False
        if state := self.prefs.window_state():
            self._layout_restored = self.restoreState(state)
        for key, panel in self._table_panels().items():
            if state := self.prefs.value(f"tables/{key}"):
                panel.restore_header_state(state)

    def _table_panels(self) -> dict:
        return {
            "members": self.members_panel,
            "relationships": self.relationships_panel,
            "events": self.events_panel,
        }

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        QMainWindow.showEvent(self, event)
        if not self._layout_restored and not getattr(self, "_sized_once", False):
            # First run: size the docks for the window as it is now shown, not as built.
            self._sized_once = True
            QTimer.singleShot(0, self, self._default_dock_sizes)
        QTimer.singleShot(0, self, self._hide_stray_tab_bars)

    def _hide_stray_tab_bars(self) -> None:
        """Qt 6.10/6.11 leaves a duplicate tab bar behind when a second group of docks is
        tabified (reproducible with two plain docks per side); it then floats over the map.
        A real dock tab bar sits against the dock of its current tab; hide the others."""
        docks = {dock.windowTitle(): dock for dock in self.findChildren(QDockWidget)}
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.isVisible() or bar.count() == 0:
                continue
            dock = docks.get(bar.tabText(bar.currentIndex()))
            if dock is None or not dock.isVisible():
                continue
            g, d = bar.geometry(), dock.geometry()
            touches = min(abs(g.top() - d.bottom()), abs(d.top() - g.bottom())) <= 4
            overlaps = g.left() < d.right() and d.left() < g.right()
            if not (touches and overlaps):
                bar.hide()

    def save_layout(self) -> None:
        self.prefs.save_window(self.saveGeometry(), self.saveState())
        for key, panel in self._table_panels().items():  # column widths, order, hidden columns
            self.prefs.set_value(f"tables/{key}", panel.header_state())
        self.prefs.sync()
