"""The main window's layout: where the docks go and how wide they are for the window as shown,
the layout kept in the preferences (restored only when it fits), and a workaround for a stray
Qt tab bar.

Two arrangements. *Wide*: the tables tabbed on the left, the details and weaving panels tabbed on
the right with the undo history under them. *Compact* (a window too narrow for two dock columns
and a usable map, e.g. 1024×768): one dock column on the right, the tables above the details
and weaving panels, the history one more tab among them. In both the map keeps most of the width
and the right docks never get narrower than their tab labels and a readable line of text.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStyle, QTabBar

if TYPE_CHECKING:
    from .settings import Preferences

#: The right docks' minimum width in average characters: the first words of a reason or a
#: measure's name stay readable (the tab labels may ask for more; see ``right_dock_minimum``).
READABLE_DOCK_CHARS = 36
#: Two dock columns only when the right one can have this many average characters; below
#: that, one column (the compact arrangement) reads better than two cramped ones.
COMFORTABLE_DOCK_CHARS = 50
#: The share of the window's width the map keeps when the docks get their default widths.
MAP_SHARE = 0.56
#: The widest the docks get by default, in average characters: a wide screen gives the map more.
LEFT_DOCK_MAX_CHARS, RIGHT_DOCK_MAX_CHARS = 64, 58
#: The single dock column of the compact arrangement: its share of the window and its widest.
COMPACT_COLUMN_SHARE, COMPACT_COLUMN_MAX_CHARS = 0.38, 80
#: A saved dock layout is restored only in a window at least this share of the width it was
#: saved at: a layout made for a wider window squeezes the map (or the docks) in a narrower one.
RESTORE_WIDTH_TOLERANCE = 0.97
LAYOUT_WIDTH_KEY = "window/layout_width"


def dock_tab_width(font: QFont, title: str) -> int:
    """The width a dock tab needs to show ``title`` whole, as the current style draws tabs."""
    bar = QTabBar()  # a throwaway bar: the style's own tab padding and text margins
    bar.setFont(font)
    bar.addTab(title)
    return bar.tabSizeHint(0).width()


class LayoutMemory:
    """Mixed into :class:`~weaver.ui.main_window.MainWindow` (before QMainWindow)."""

    prefs: Preferences

    # ---- the arrangements ------------------------------------------------------------------

    def _table_docks(self) -> list[QDockWidget]:
        return [self.members_dock, self.relationships_dock, self.events_dock]

    def _right_docks(self) -> list[QDockWidget]:
        """The details group: the docks tabbed with the details (workshop ones while shown)."""
        return [self.details_dock, *self.weaving.docks, *self.workshop.docks]

    def is_compact_width(self, width: int) -> bool:
        """Too narrow for the tables and a comfortable right dock side by side beside the
        map: then one wider column serves better than two narrow ones."""
        separators = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
        docks = width * (1 - MAP_SHARE) - separators
        comfortable = self.fontMetrics().averageCharWidth() * COMFORTABLE_DOCK_CHARS
        right = max(comfortable, self.right_dock_minimum(compact=False))
        return docks < self._left_dock_minimum() + right

    def _left_dock_minimum(self) -> int:
        """The tables' narrowest: their own controls, and their tab labels whole."""
        return max(
            self.members_dock.minimumSizeHint().width(), self._tabs_width(self._table_docks())
        )

    def right_dock_minimum(self, compact: bool | None = None) -> int:
        """The right docks' minimum width: a readable line, and every tab label of the
        group they form side by side, whole (never "De… / Wea… / H…")."""
        compact = self.compact_layout if compact is None else compact
        readable = self.fontMetrics().averageCharWidth() * READABLE_DOCK_CHARS
        tabs = [d for d in self._right_docks() if not d.isHidden()]
        if compact:
            tabs.append(self.history_dock)
        return max(readable, self._tabs_width(tabs))

    def _tabs_width(self, docks: list[QDockWidget]) -> int:
        """The width a group of tabbed docks needs to show every tab label whole."""
        labels = sum(dock_tab_width(self.font(), d.windowTitle()) for d in docks)
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetFrameWidth)
        return labels + 2 * frame

    def arrange_docks(self, compact: bool) -> None:
        """Put the docks in the wide or the compact arrangement (see the module's doc),
        keeping which docks are shown and which tab of each group is in front."""
        self.compact_layout = compact
        tables, group = self._table_docks(), self._right_docks()
        everything = [*tables, *group, self.history_dock]
        shown = {dock: not dock.isHidden() for dock in everything}
        # A tab behind others is 'visible' to Qt, but nothing of it is on screen.
        in_front = [dock for dock in everything if not dock.visibleRegion().isEmpty()]
        for dock in everything:
            self.removeDockWidget(dock)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        if compact:
            self.addDockWidget(right, tables[0])
            self.splitDockWidget(tables[0], group[0], Qt.Orientation.Vertical)
        else:
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, tables[0])
            self.addDockWidget(right, group[0])
            self.splitDockWidget(group[0], self.history_dock, Qt.Orientation.Vertical)
        for before, dock in itertools.pairwise(tables):
            self.tabifyDockWidget(before, dock)
        for dock in group[1:]:
            self.tabifyDockWidget(group[0], dock)
        if compact:  # one more tab rather than a third row in a short window
            self.tabifyDockWidget(group[0], self.history_dock)
        for dock in everything:  # removeDockWidget hid them all
            dock.setVisible(shown[dock])
        for first in (tables, group):
            if not any(dock in in_front for dock in first):
                first[0].raise_()
        for dock in in_front:
            dock.raise_()
        self.refresh_dock_tabs()

    def refresh_dock_tabs(self) -> None:
        """After docks move, show or hide: minimum widths for the tabs there are now, and the
        tab bars' tooltips (Qt resets them to the titles)."""
        self._set_dock_minimums()
        self._fix_dock_tab_bars()

    def _set_dock_minimums(self) -> None:
        """No dock group can be dragged (or restored) narrower than its tab labels; the right
        docks not narrower than a readable line either."""
        minimum = self.right_dock_minimum()
        for dock in self._right_docks():
            dock.setMinimumWidth(minimum)
        tables = self._table_docks()
        tabs = 0 if self.compact_layout else self._tabs_width(tables)
        for dock in tables:
            dock.setMinimumWidth(tabs)

    def apply_default_layout(self) -> None:
        """Arrange and size the docks for the window's current width (first run, or a saved
        layout that does not fit)."""
        compact = self.is_compact_width(self.width())
        if compact != self.compact_layout:
            self.arrange_docks(compact)
        self._default_dock_sizes()

    def _default_dock_sizes(self) -> None:
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        width, horizontal = self.width(), Qt.Orientation.Horizontal
        right_min = self.right_dock_minimum()
        if self.compact_layout:
            column = int(width * COMPACT_COLUMN_SHARE)
            column = max(right_min, min(em * COMPACT_COLUMN_MAX_CHARS, column))
            self.resizeDocks([self.details_dock], [column], horizontal)
            # The details and weaving panels get the larger share of the height.
            rest = max(line * 12, self.height() - line * 8)
            self.resizeDocks(
                [self.members_dock, self.details_dock],
                [int(rest * 0.42), int(rest * 0.58)],
                Qt.Orientation.Vertical,
            )
            return
        separators = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
        docks = int(width * (1 - MAP_SHARE)) - separators
        left = max(self._left_dock_minimum(), min(em * LEFT_DOCK_MAX_CHARS, int(docks * 0.47)))
        right = max(right_min, min(em * RIGHT_DOCK_MAX_CHARS, docks - left))
        self.resizeDocks([self.members_dock, self.details_dock], [left, right], horizontal)
        # The details get the height; the undo history is a glance, not a workspace.
        rest = max(line * 20, self.height() - line * 14)
        self.resizeDocks(
            [self.details_dock, self.history_dock], [rest, line * 7], Qt.Orientation.Vertical
        )

    # ---- remembering -----------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """Never larger than the screen's free area (a first run on a small laptop screen, or
        a geometry saved on a bigger monitor)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.size()
        width = min(self.width(), room.width() - frame.width())
        height = min(self.height(), room.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, 1), max(height, 1))

    def _restore_layout(self) -> None:
        if geometry := self.prefs.window_geometry():
            self.restoreGeometry(geometry)
        self._fit_to_screen()
        self._layout_restored = False
        self._layout_decided = False
        for key, panel in self._table_panels().items():
            if state := self.prefs.value(f"tables/{key}"):
                panel.restore_header_state(state)

    def _restore_or_default_layout(self) -> None:
        """Once shown at its real size: the saved dock layout if it was made for a window no
        wider than this one, else the default layout for this width."""
        state, saved_width = self.prefs.window_state(), self.prefs.value(LAYOUT_WIDTH_KEY)
        try:
            saved_width = int(saved_width)
        except (TypeError, ValueError):
            saved_width = 0  # an older layout that did not say: its size is unknown
        fits = saved_width > 0 and self.width() >= saved_width * RESTORE_WIDTH_TOLERANCE
        if state is not None and fits and self.restoreState(state):
            self._layout_restored = True
            self.compact_layout = self.dockWidgetArea(self.members_dock) == self.dockWidgetArea(
                self.details_dock
            )
            self.refresh_dock_tabs()
        else:
            self.apply_default_layout()

    def _table_panels(self) -> dict:
        return {
            "members": self.members_panel,
            "relationships": self.relationships_panel,
            "events": self.events_panel,
        }

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        QMainWindow.showEvent(self, event)
        if not self._layout_decided:
            # Decided at the size the window is shown at, not the size it was built at.
            self._layout_decided = True
            QTimer.singleShot(0, self, self._restore_or_default_layout)
        QTimer.singleShot(0, self, self.refresh_dock_tabs)

    # ---- dock tab bars ---------------------------------------------------------------------

    def _fix_dock_tab_bars(self) -> None:
        """Dock tabs say their full name in a tooltip, never elide (scroll buttons only if a
        crowd of workshop docks outgrows the minimum), and stray bars are hidden."""
        tips = self.dock_tooltips()
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)
            for i in range(bar.count()):
                if tip := tips.get(bar.tabText(i)):
                    bar.setTabToolTip(i, tip)
        self._hide_stray_tab_bars()

    def _hide_stray_tab_bars(self) -> None:
        """Qt 6.10/6.11 leaves a duplicate tab bar behind when a second group of docks is
        tabified (reproducible with two plain docks per side); it then floats over the map.
        A real dock tab bar sits against the dock of its current tab; hide the others."""
        docks = {dock.windowTitle(): dock for dock in self.findChildren(QDockWidget)}
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.isVisible():
                continue
            if bar.count() == 0:  # left behind by moving the docks between arrangements
                bar.hide()
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
        self.prefs.set_value(LAYOUT_WIDTH_KEY, self.width())
        for key, panel in self._table_panels().items():  # column widths, order, hidden columns
            self.prefs.set_value(f"tables/{key}", panel.header_state())
        self.prefs.sync()
