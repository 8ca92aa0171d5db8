"""MapWidget: the central network map. Toolbar (search, colour by, size by, focus, layout,
export) over the canvas, a legend in the corner, and the glue to the controller: it builds a
MapSnapshot from the document, refreshes it from ``controller.changed`` and mirrors the shared
selection."""

from __future__ import annotations

import html
import logging

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QToolBar,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...core import map_metrics, mapdata
from ...core.changes import Changes
from ...core.mapdata import CHEAP_METRICS, MapSnapshot
from ..controller import Controller
from .canvas import MapCanvas
from .interaction import MapInteraction
from .layouts import LayoutRunner
from .legend import LegendData, LegendOverlay

log = logging.getLogger(__name__)

MAX_FOCUS_DEPTH = 6
LEGEND_MARGIN = 10


class MapWidget(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.snapshot: MapSnapshot | None = None
        self.pos = np.zeros((0, 2))  # what is drawn; written in place while dragging
        self.color_by = "kind"
        self.size_by = "degree"
        self.focus_root: list[int] = []
        self.focus_depth = 1
        self._metric_task = None
        self._fit_pending = True
        self._fitted_once = False

        self.canvas = MapCanvas(self)
        self.legend = LegendOverlay(self.canvas)
        self.legend.move(10, 10)
        self.status = QLabel(self.canvas)  # focus / hint line, bottom-left
        self.status.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.status.hide()
        self.toolbar = QToolBar(self.tr("Map"), self)
        self.interaction = MapInteraction(self)
        self.layouts = LayoutRunner(self)
        self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        self._shortcuts()

        self.canvas.viewbox.handler = self.interaction
        self.canvas.hovered.connect(self._show_tooltip)
        # Until the user pans or zooms, the map stays fitted when its size changes.
        self._auto_fit = False
        vb = self.canvas.viewbox
        vb.sigRangeChangedManually.connect(lambda *_: setattr(self, "_auto_fit", False))
        vb.sigResized.connect(self._canvas_resized)
        self.canvas.pinched.connect(self.zoom)
        controller.changed.connect(self._on_changed)
        controller.selection_changed.connect(self._on_selection)
        controller.document_changed.connect(self._on_document)
        if controller.has_document:
            self.reload(fit=True)

    # ---- toolbar -----------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        tb = self.toolbar
        tb.setMovable(False)
        tb.addAction(self.tr("Fit"), self.fit).setToolTip(self.tr("Zoom to fit (Home, F)"))
        tb.addAction(self.tr("Zoom in"), lambda: self.zoom(1.25)).setToolTip(
            self.tr("Zoom in (Ctrl+=)")
        )
        tb.addAction(self.tr("Zoom out"), lambda: self.zoom(0.8)).setToolTip(
            self.tr("Zoom out (Ctrl+-)")
        )
        tb.addSeparator()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find on map…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.search.textEdited.connect(self._search_typed)
        self.search.returnPressed.connect(self._search_enter)
        tb.addWidget(self.search)
        tb.addSeparator()
        tb.addWidget(QLabel(self.tr("Colour by") + " "))
        self.color_combo = QComboBox(self)
        self.color_combo.activated.connect(self._color_chosen)
        tb.addWidget(self.color_combo)
        tb.addWidget(QLabel("  " + self.tr("Size by") + " "))
        self.size_combo = QComboBox(self)
        for key, text in self._size_names().items():
            self.size_combo.addItem(text, key)
        self.size_combo.setCurrentIndex(self.size_combo.findData(self.size_by))
        self.size_combo.activated.connect(self._size_chosen)
        tb.addWidget(self.size_combo)
        tb.addSeparator()
        self.focus_action = tb.addAction(self.tr("Focus"), self.toggle_focus)
        self.focus_action.setCheckable(True)
        self.focus_action.setToolTip(
            self.tr("Show only the selection's neighbourhood ([ and ] change the depth, Esc)")
        )
        self.connect_action = tb.addAction(self.tr("Connect"))
        self.connect_action.setCheckable(True)
        self.connect_action.setToolTip(
            self.tr("Drag from one member to another to add a relationship (or Shift-drag)")
        )
        layout_button = QToolButton(self)
        layout_button.setText(self.tr("Layout"))
        layout_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout_button.setMenu(self.layouts.menu(self))
        tb.addWidget(layout_button)
        tb.addAction(self.tr("Export image…"), self.export_dialog)

    def _size_names(self) -> dict[str, str]:
        return {
            "degree": self.tr("Relationships"),
            "weighted_degree": self.tr("Tie strength"),
            "meetings": self.tr("Meetings"),
            "betweenness": self.tr("Bridging (betweenness)"),
            "kcore": self.tr("Core (k-core)"),
            "none": self.tr("Same size"),
        }

    def _field_name(self, key: str) -> str:
        names = {
            "kind": self.tr("Kind"),
            "organization": self.tr("Organization"),
            "sector": self.tr("Sector"),
            "tag": self.tr("Tag"),
            "location": self.tr("Location"),
            "role": self.tr("Role"),
            "community": self.tr("Community"),
        }
        return names.get(key, key.removeprefix("custom:"))

    def _fill_color_combo(self, source: mapdata.MapSource | None = None) -> None:
        fields = mapdata.colorable_fields(source or self.controller.workbook)
        self.color_combo.clear()
        for key in fields:
            self.color_combo.addItem(self._field_name(key), key)
        if self.color_by not in fields:
            self.color_by = "kind"
        self.color_combo.setCurrentIndex(max(0, self.color_combo.findData(self.color_by)))

    def _shortcuts(self) -> None:
        def key(seq: QKeySequence | str, slot) -> None:
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        key("Home", self.fit)
        key("F", self.fit)
        key("Ctrl+=", lambda: self.zoom(1.25))
        key("Ctrl++", lambda: self.zoom(1.25))
        key(QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(1.25))
        key("Ctrl+-", lambda: self.zoom(0.8))
        key(QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(0.8))
        key("]", lambda: self.change_focus_depth(+1))
        key("[", lambda: self.change_focus_depth(-1))
        key("Esc", self.clear_focus)
        key("P", self.interaction.toggle_pin)
        key(QKeySequence.StandardKey.Delete, self.interaction.delete_selection)
        key("Backspace", self.interaction.delete_selection)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---- the document ------------------------------------------------------------------

    def _on_document(self) -> None:
        self._fit_pending = True

    def reload(self, fit: bool = False) -> None:
        """Rebuild the snapshot from the document (colours, sizes, ties) and redraw."""
        if not self.controller.has_document:
            self.snapshot = None
            self.pos = np.zeros((0, 2))
            self.canvas.set_graph(
                self.pos, np.zeros((0, 2), np.int32), *([np.zeros(0)] * 3), [], np.zeros(0, bool)
            )
            self._set_legend(LegendData())
            return
        wb = self.controller.workbook
        source = mapdata.MapSource.from_workbook(wb)  # read once, for the combo and the arrays
        self._fill_color_combo(source)
        cheap_colour = self.color_by if self.color_by != "community" else "kind"
        snap = mapdata.build_snapshot(
            source,
            color_by=cheap_colour,
            size_by=self.size_by if self.size_by in CHEAP_METRICS else "degree",
        )
        self.snapshot = snap
        self.pos = snap.pos.copy()
        self.pos[~snap.placed] = np.nan
        with self.canvas.batch():
            self._show_snapshot(snap)
        if self.color_by == "community" or self.size_by not in CHEAP_METRICS:
            self._derived_metrics()
        if fit or self._fit_pending:
            self._fit_pending = False
            if snap.placed.any():
                self.fit()
        if (~snap.placed).any() and snap.n_nodes:
            self.layouts.place_new()

    def _show_snapshot(self, snap: MapSnapshot) -> None:
        c = self.canvas
        c.set_graph(
            self.pos,
            snap.edges,
            snap.edge_strength,
            snap.edge_cold,
            snap.edge_directed,
            snap.labels,
            snap.kinds.astype(bool),
        )
        c.set_sizes(snap.sizes)
        c.set_colours(snap.colors)
        c.pinned = snap.pinned.copy()
        self._update_legend(snap.legend, snap.legend_counts)
        self._on_selection(self.controller.selected_members, self.controller.selected_relationships)
        focus_ids = getattr(self, "_focus_ids", None) or []
        self.focus_root = [i for i in (snap.index.get(m) for m in focus_ids) if i is not None]
        self._apply_focus()

    def _update_legend(self, legend, counts) -> None:
        snap = self.snapshot
        entries = [(label, rgba, n) for (label, rgba), n in zip(legend, counts, strict=True)]
        shapes: list[str] = []
        if self.color_by == "kind":
            kinds = {"person": self.tr("Person"), "organization": self.tr("Organization")}
            shapes = ["s" if label == "organization" else "o" for label, _, _ in entries]
            entries = [(kinds.get(label, label), rgba, n) for label, rgba, n in entries]
        data = LegendData(
            title=self._field_name(self.color_by),
            entries=entries,
            entry_shapes=shapes,
            size_note=self.tr("Size: %1").replace("%1", self._size_names()[self.size_by]),
            show_cold=bool(snap is not None and snap.edge_cold.any()),
            show_directed=bool(snap is not None and snap.edge_directed.any()),
        )
        self._set_legend(data)

    def _set_legend(self, data: LegendData) -> None:
        self.legend.set_data(data)
        self.legend.move(LEGEND_MARGIN, LEGEND_MARGIN)
        size = self.legend.size() if data.entries else QSize(0, 0)
        if data.entries:
            size = size + QSize(LEGEND_MARGIN + 4, LEGEND_MARGIN + 4)
        changed = size != self.canvas.reserved
        self.canvas.reserved = size
        if changed and getattr(self, "_auto_fit", False) and self.snapshot is not None:
            self.fit()  # a taller legend (another colour field) must not cover members

    def _on_changed(self, changes: Changes) -> None:
        if not self.controller.has_document:
            self.reload()
            return
        snap = self.snapshot
        only_positions = snap is not None and not (
            changes.reset
            or changes.members
            or changes.relationships
            or changes.affiliations
            or changes.events
            or changes.attendance
            or "private_fields" in changes.settings
        )
        if only_positions and snap is not None:
            if changes.positions:
                self._apply_positions(changes.positions)
            return
        self.reload(fit=changes.reset)

    def _apply_positions(self, ids) -> None:
        snap = self.snapshot
        assert snap is not None
        rows = []
        for m in self.controller.workbook.members_by_ids(ids):
            i = snap.index.get(m.id)
            if i is None:
                continue
            rows.append(i)
            self.canvas.pinned[i] = m.pinned
            if m.x is not None and m.y is not None:
                self.pos[i] = (m.x, m.y)
                snap.pos[i] = (m.x, m.y)
                snap.placed[i] = True
        if rows:
            self.layouts.stop_animation()
            self.canvas.positions_changed(np.asarray(rows))
            self.canvas.restyle()

    # ---- colour and size ---------------------------------------------------------------

    def _color_chosen(self, row: int) -> None:
        self.set_color_by(self.color_combo.itemData(row))

    def _size_chosen(self, row: int) -> None:
        self.set_size_by(self.size_combo.itemData(row))

    def set_color_by(self, key: str) -> None:
        self.color_by = key
        self.color_combo.setCurrentIndex(max(0, self.color_combo.findData(key)))
        snap = self.snapshot
        if snap is None:
            return
        if key == "community":
            self._derived_metrics()
            return
        recoloured = mapdata.recolor(snap, self.controller.workbook, key)
        self._set_categories(recoloured.color_values)

    def _members_sorted(self) -> list:
        return sorted(self.controller.workbook.members(), key=lambda m: m.id)

    def _set_categories(self, values: list[str]) -> None:
        colors, legend, counts = mapdata.color_categories(values)
        if self.snapshot is not None:
            self.snapshot.color_values = values
            self.snapshot.colors = colors
        self.canvas.set_colours(colors)
        self._update_legend(legend, counts)

    def set_size_by(self, key: str) -> None:
        self.size_by = key
        self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(key)))
        snap = self.snapshot
        if snap is None:
            return
        if key in CHEAP_METRICS:
            self._set_sizes(cheap_metric(snap, key))
        else:
            self._derived_metrics()
        if self.legend.data:
            self.legend.data.size_note = self.tr("Size: %1").replace("%1", self._size_names()[key])
            self._set_legend(self.legend.data)

    def _set_sizes(self, values: np.ndarray) -> None:
        sizes = mapdata.scale_sizes(values)
        if self.snapshot is not None:
            self.snapshot.sizes = sizes
        self.canvas.set_sizes(sizes)
        self._on_selection(self.controller.selected_members, self.controller.selected_relationships)
        self._apply_focus()

    def _derived_metrics(self) -> None:
        """Betweenness, k-core and communities run in a worker (cached per network)."""
        snap = self.snapshot
        if snap is None:
            return
        wb = self.controller.workbook
        members = self._members_sorted()
        rels = [r for r in wb.relationships() if r.id in set(snap.edge_ids)]
        size_by, color_by, sig = self.size_by, self.color_by, snap.signature

        def work(progress, cancelled):
            out = {}
            if size_by not in CHEAP_METRICS:
                out["size"] = map_metrics.compute_metric(
                    size_by, members, rels, signature=sig, progress=progress, cancelled=cancelled
                )
            if color_by == "community":
                out["community"] = map_metrics.communities(
                    members, rels, signature=sig, progress=progress, cancelled=cancelled
                )
            return out

        def done(out) -> None:
            if self.snapshot is None or self.snapshot.signature != sig:
                return
            ids = self.snapshot.ids
            if "size" in out and self.size_by == size_by:
                vals = out["size"]
                self._set_sizes(np.array([vals.get(mid, 0.0) for mid in ids]))
            if "community" in out and self.color_by == "community":
                comm = out["community"]
                self._set_categories(
                    [f"Community {comm[mid] + 1}" if mid in comm else "" for mid in ids]
                )

        try:
            from ..tasks import run_task
        except ImportError:  # pragma: no cover - the shell's task runner not there yet
            done(work(lambda *_: None, lambda: False))
            return
        self._metric_task = run_task(self, self.tr("Computing map metrics"), work, on_done=done)

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
        needle = text.strip().casefold()
        if snap is None or not needle:
            return -1
        names = [s.casefold() for s in snap.labels]
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

    # ---- view --------------------------------------------------------------------------

    def settle(self, timeout_s: float = 30.0) -> None:
        """Finish what the first picture is still waiting for — placing new members, the
        metrics a colour or size needs, a layout animation, the first fit — so a screenshot
        or an export right after opening shows the final map."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < timeout_s * 1000:
            tasks = [t for t in (self.layouts._task, self._metric_task) if t is not None]
            running = [t for t in tasks if getattr(t, "running", False)]
            if not running:
                break
            for task in running:
                task.wait(int(max(1.0, timeout_s * 1000 - clock.elapsed())))
            QCoreApplication.processEvents()  # deliver the results to their slots
        self.layouts.stop_animation()
        QCoreApplication.processEvents()
        if self.snapshot is not None and (
            self._fit_pending or self._auto_fit or not self._fitted_once
        ):
            self._fit_pending = False
            self.fit()
        self.canvas.viewport().update()

    def _canvas_resized(self, *_args) -> None:
        if self._auto_fit and self.snapshot is not None:
            self.fit()

    def fit(self) -> None:
        self._fitted_once = True
        self._auto_fit = True
        only = None
        if self.canvas.focus is not None:
            only = np.flatnonzero(self.canvas.focus)
        self.canvas.fit(only)

    def zoom(self, factor: float) -> None:
        self._auto_fit = False
        self.canvas.viewbox.zoom_by(factor)

    def _show_tooltip(self, i: int, global_pos: QPointF) -> None:
        snap = self.snapshot
        if snap is None or i >= snap.n_nodes:
            return
        QToolTip.showText(
            QPoint(int(global_pos.x()) + 12, int(global_pos.y()) + 12),
            self.tooltip_html(i),
            self.canvas,
        )

    def tooltip_html(self, i: int) -> str:
        """Hover text: name, kind, organizations and counts — never a private field."""
        assert self.snapshot is not None
        t = self.snapshot.tooltip(i)
        lines = [f"<b>{html.escape(t.name)}</b>"]
        if t.kind:
            lines.append(self.tr("Organization") if t.kind == "organization" else self.tr("Person"))
        if t.organizations:
            lines.append(html.escape(", ".join(t.organizations)))
        counts = self.tr("%1 relationships · %2 meetings").replace("%1", str(t.relationships))
        counts = counts.replace("%2", str(t.meetings))
        if t.members:
            counts += " · " + self.tr("%1 affiliated").replace("%1", str(t.members))
        lines.append(counts)
        if self.canvas.pinned[i]:
            lines.append(self.tr("Pinned"))
        return "<br>".join(lines)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.status.isVisible():
            self.status.move(10, self.canvas.height() - self.status.height() - 8)

    def showEvent(self, event: QEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.snapshot is not None and self._fit_pending:
            self._fit_pending = False
            QTimer.singleShot(0, self.fit)

    # ---- export ------------------------------------------------------------------------

    def export_image(self, path, size=(3840, 2160), whole: bool = True, legend: bool = True):
        """Write the map to ``path`` (.png or .svg) at ``size`` pixels, the whole network or the
        current view, with the legend."""
        from .export import export_map

        return export_map(self, path, size, whole=whole, legend=legend)

    def export_dialog(self) -> None:
        from .export import run_export_image_dialog

        run_export_image_dialog(self)


def cheap_metric(snap: MapSnapshot, key: str) -> np.ndarray:
    """Size values the snapshot already holds the makings of (no worker needed)."""
    if key == "degree":
        return snap.degree.astype(float)
    if key == "meetings":
        return snap.meetings.astype(float)
    if key == "weighted_degree" and snap.n_edges:
        w = np.repeat(snap.edge_strength.astype(float), 2)
        return np.bincount(snap.edges.ravel(), weights=w, minlength=snap.n_nodes)
    return np.zeros(snap.n_nodes)
