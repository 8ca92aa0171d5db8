"""The map's toolbar and its choices: the buttons and keyboard shortcuts, what the nodes are
coloured and sized by (cheap values at once, the costly metrics in a worker), and the legend
that explains them.

A mixin of :class:`~weaver.ui.map.widget.MapWidget`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QToolButton

from ...core import map_metrics, mapdata
from ...core.mapdata_snapshot import MapSnapshot, MapSource
from ...core.mapdata_style import CHEAP_METRICS, color_categories, scale_sizes
from ...core.metrics import load_ratings
from ...core.network.facts import cold_days
from .legend import LegendData

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from ..controller import Controller
    from .canvas import MapCanvas
    from .interaction import MapInteraction
    from .layouts import LayoutRunner
    from .legend import LegendOverlay

LEGEND_MARGIN = 10
#: The colour and size choices show at least this many characters ("Relationships").
COMBO_CHARS = 11
#: The search field never shrinks below this many average characters.
SEARCH_MIN_CHARS = 14


class MapChoices:
    """Toolbar, shortcuts, colour and size choices and the legend of
    :class:`~weaver.ui.map.widget.MapWidget`."""

    controller: Controller
    snapshot: MapSnapshot | None
    canvas: MapCanvas
    legend: LegendOverlay
    toolbar: QToolBar
    interaction: MapInteraction
    layouts: LayoutRunner
    color_by: str
    size_by: str
    search: QLineEdit
    color_combo: QComboBox
    size_combo: QComboBox
    focus_action: QAction
    connect_action: QAction
    _metric_task: object

    # ---- toolbar -----------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        """Most used first: a toolbar too narrow for everything (a laptop screen beside the
        docks) moves its last items into the "»" menu, so Colour and Size come before the
        search, and Focus, Connect, Layout and Export (all in the map's menu too) come last."""
        tb = self.toolbar
        tb.setMovable(False)
        tb.addAction(self.tr("Fit"), self.fit).setToolTip(self.tr("Zoom to fit (Home, F)"))
        # "+" and "−" rather than words: they say it in less room (the tooltips say it all).
        zoom_in = tb.addAction("+", lambda: self.zoom(1.25))
        zoom_in.setToolTip(self.tr("Zoom in (Ctrl+=)"))
        zoom_out = tb.addAction("−", lambda: self.zoom(0.8))
        zoom_out.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        for action, name in ((zoom_in, self.tr("Zoom in")), (zoom_out, self.tr("Zoom out"))):
            tb.widgetForAction(action).setAccessibleName(name)
        tb.addSeparator()
        self.color_combo = QComboBox(self)
        self.color_combo.activated.connect(self._color_chosen)
        self.color_combo.setToolTip(self.tr("What the members' colours show"))
        self.color_combo.setAccessibleName(self.tr("Colour by"))
        self.size_combo = QComboBox(self)
        for key, text in self._size_names().items():
            self.size_combo.addItem(text, key)
        self.size_combo.setCurrentIndex(self.size_combo.findData(self.size_by))
        self.size_combo.activated.connect(self._size_chosen)
        self.size_combo.setToolTip(self.tr("What the members' sizes show"))
        self.size_combo.setAccessibleName(self.tr("Size by"))
        captions = ((self.tr("Colour"), self.color_combo), (self.tr("Size"), self.size_combo))
        for label, combo in captions:
            # Wide enough for "Relationships"; a longer choice is elided, whole in the list.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(COMBO_CHARS)
            caption = QLabel(label + " ")
            caption.setBuddy(combo)
            caption.setToolTip(combo.toolTip())
            tb.addWidget(caption)
            tb.addWidget(combo)
        tb.addSeparator()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find on map…"))
        self.search.setClearButtonEnabled(True)
        em = self.fontMetrics().averageCharWidth()
        self.search.setMinimumWidth(em * SEARCH_MIN_CHARS)
        self.search.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.search.textEdited.connect(self._search_typed)
        self.search.returnPressed.connect(self._search_enter)
        tb.addWidget(self.search)
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

    def _fill_color_combo(self, source: MapSource | None = None) -> None:
        fields = mapdata.colorable_fields(source or self.controller.document)
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

    # ---- legend ------------------------------------------------------------------------

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
            cold_days=(
                cold_days(self.controller.document.settings())
                if snap is not None and snap.edge_cold.any()
                else None
            ),
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
        recoloured = mapdata.recolor(snap, self.controller.document, key)
        self._set_categories(recoloured.color_values)

    def _members_sorted(self) -> list:
        return sorted(self.controller.document.members(), key=lambda m: m.id)

    def _set_categories(self, values: list[str]) -> None:
        colors, legend, counts = color_categories(values)
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
        sizes = scale_sizes(values)
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
        wb = self.controller.document
        members = self._members_sorted()
        rels = [r for r in wb.relationships() if r.id in set(snap.edge_ids)]
        ratings, as_of = load_ratings(wb), snap.as_of or date.today()
        size_by, color_by, sig = self.size_by, self.color_by, snap.signature

        def work(progress, cancelled):
            out = {}
            if size_by not in CHEAP_METRICS:
                out["size"] = map_metrics.compute_metric(
                    size_by,
                    members,
                    rels,
                    ratings,
                    as_of=as_of,
                    progress=progress,
                    cancelled=cancelled,
                )
            if color_by == "community":
                out["community"] = map_metrics.communities(
                    members, rels, ratings, as_of=as_of, progress=progress, cancelled=cancelled
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
