"""MapWidget: the central network map. Toolbar (search, colour by, size by, focus, layout,
export) over the canvas, a legend in the corner, and the glue to the controller: it builds a
MapSnapshot from the document, refreshes it from ``controller.changed`` and mirrors the shared
selection.

The toolbar, colour and size choices and the legend are in :mod:`.widget_choices`; selection,
focus and search in :mod:`.widget_focus`."""

from __future__ import annotations

import html
import logging

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QToolBar, QToolTip, QVBoxLayout, QWidget

from ...core import mapdata
from ...core.changes import Changes
from ...core.mapdata_snapshot import MapSnapshot, MapSource
from ...core.mapdata_style import CHEAP_METRICS
from ..controller import Controller
from .canvas import MapCanvas
from .interaction import MapInteraction
from .layouts import LayoutRunner
from .legend import LegendData, LegendOverlay
from .widget_choices import MapChoices
from .widget_focus import FocusAndSearch

log = logging.getLogger(__name__)


class MapWidget(MapChoices, FocusAndSearch, QWidget):
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
        wb = self.controller.document
        source = MapSource.from_workbook(wb)  # read once, for the combo and the arrays
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
            or changes.ratings  # trust weighs the ties communities are found on
            or bool({"private_fields", "cold_tie_days"} & changes.settings)
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
        for m in self.controller.document.members_by_ids(ids):
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

    # ---- view --------------------------------------------------------------------------

    def settle(self, timeout_s: float = 30.0) -> None:
        """Finish what the first picture is still waiting for — placing new members, the
        metrics a colour or size needs, a layout animation, the view's glide to what was just
        added, the first fit — so a screenshot or an export right after opening (or a test)
        sees the final map."""
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
        self.canvas.finish_view_animation()
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

    @property
    def fit_pending(self) -> bool:
        """The map waits to be fitted (just opened, not yet on screen)."""
        return self._fit_pending

    def reveal(self, rows: np.ndarray) -> None:
        """Bring members ``rows`` (just placed) into sight: the view glides (briefly) only as
        far as needed, panning and zooming out no more than it takes; the rest of the map is
        not refitted. Nothing moves when they are already in sight or a fit is on its way."""
        if len(rows) == 0 or not self.isVisible() or self._fit_pending:
            return
        if self.canvas.reveal(rows):
            self._auto_fit = False  # the view is no longer a fit of the whole map

    def zoom(self, factor: float) -> None:
        self._auto_fit = False
        self.canvas.stop_view_animation()
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
