"""Selection, focus and search on the map: mirror the shared selection, show only the
selection's neighbourhood (a depth of steps out), and find a member by name as you type.

A mixin of :class:`~weaver.ui.map.widget.MapWidget`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from ...core.text import fold

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from ...core.mapdata_snapshot import MapSnapshot
    from ..controller import Controller
    from .canvas import MapCanvas

MAX_FOCUS_DEPTH = 6


class FocusAndSearch:
    """Selection, focus and search of :class:`~weaver.ui.map.widget.MapWidget`."""

    controller: Controller
    snapshot: MapSnapshot | None
    canvas: MapCanvas
    search: QLineEdit
    status: QLabel
    focus_action: QAction
    focus_root: list[int]
    focus_depth: int
    _focus_ids: list[str]
    _auto_fit: bool

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---- selection, focus, search ------------------------------------------------------

    def _on_selection(self, members, relationships) -> None:
        snap = self.snapshot
        if snap is None:
            return
        sel = np.zeros(snap.n_nodes, dtype=bool)
        for mid in members:
            i = snap.index.get(mid)
            if i is not None:
                sel[i] = True
        edge_sel = np.zeros(snap.n_edges, dtype=bool)
        if relationships:
            wanted = set(relationships)
            edge_sel = np.fromiter((e in wanted for e in snap.edge_ids), bool, snap.n_edges)
        self.canvas.selected = sel
        self.canvas.selected_edges = edge_sel
        if self.focus_action.isChecked() and sel.any():
            self.focus_root = list(np.flatnonzero(sel))
            self._focus_ids = [snap.ids[i] for i in self.focus_root]
            self._apply_focus()
        else:
            self.canvas.restyle()

    def toggle_focus(self) -> None:
        if self.focus_root:
            self.clear_focus()
        else:
            self.start_focus()

    def start_focus(self, rows: list[int] | None = None) -> None:
        snap = self.snapshot
        if snap is None:
            return
        rows = rows if rows is not None else list(np.flatnonzero(self.canvas.selected))
        if not rows:
            self.focus_action.setChecked(False)
            self._show_status(self.tr("Select a member first, then Focus"))
            return
        self.focus_root = [int(r) for r in rows]
        self._focus_ids = [snap.ids[i] for i in self.focus_root]
        self._apply_focus()

    def change_focus_depth(self, step: int) -> None:
        if not self.focus_root:
            self.start_focus()
            if not self.focus_root:
                return
            if step < 0:
                return
        else:
            self.focus_depth = int(np.clip(self.focus_depth + step, 0, MAX_FOCUS_DEPTH))
        self._apply_focus()

    def clear_focus(self) -> None:
        self.focus_root = []
        self._focus_ids = []
        self.canvas.highlight = -1
        if self.search.text():
            self.search.clear()
        self._apply_focus()

    def _apply_focus(self) -> None:
        snap = self.snapshot
        if snap is None or not self.focus_root:
            self.focus_action.setChecked(False)
            self.canvas.focus = None
            self.status.hide()
        else:
            self.focus_action.setChecked(True)
            keep = np.zeros(snap.n_nodes, dtype=bool)
            keep[snap.neighbours(self.focus_root, self.focus_depth)] = True
            self.canvas.focus = keep
            n = int(keep.sum())
            self._show_status(
                self.tr("Focus: %1 step(s) out, %2 members shown — [ ] to change, Esc to clear")
                .replace("%1", str(self.focus_depth))
                .replace("%2", str(n))
            )
        self.canvas.restyle()

    def focused_members(self) -> set[str]:
        """Ids shown at full strength (all when no focus)."""
        snap = self.snapshot
        if snap is None:
            return set()
        if self.canvas.focus is None:
            return set(snap.ids)
        return {snap.ids[i] for i in np.flatnonzero(self.canvas.focus)}

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.adjustSize()
        self.status.move(10, self.canvas.height() - self.status.height() - 8)
        self.status.show()
        self.status.raise_()

    def find(self, text: str) -> int:
        """Row of the best match for ``text``: whole name, then start of a word, then anywhere."""
        snap = self.snapshot
        needle = fold(text)  # "jose" finds José, as in the Members table
        if snap is None or not needle:
            return -1
        names = [fold(s) for s in snap.labels]
        for test in (
            lambda s: s == needle,
            lambda s: s.startswith(needle),
            lambda s: any(w.startswith(needle) for w in s.split()),
            lambda s: needle in s,
        ):
            hits = [i for i, s in enumerate(names) if test(s)]
            if hits:
                return max(hits, key=lambda i: (snap.degree[i], -i))
        return -1

    def _search_typed(self, text: str) -> None:
        i = self.find(text)
        if i >= 0:
            self._auto_fit = False
            self.canvas.centre_on(i)
        self.canvas.set_highlight(i)

    def _search_enter(self) -> None:
        i = self.find(self.search.text())
        if i >= 0 and self.snapshot is not None:
            self.canvas.highlight = i
            self._auto_fit = False
            self.canvas.centre_on(i)
            self.controller.select([self.snapshot.ids[i]])
