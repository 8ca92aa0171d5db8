"""The projector view: the live map for the back of the room, with nothing private on it.

It draws :func:`weaver.core.projection.project` arrays on the map's canvas in a high-contrast
theme (dark or light), with big labels, thick edges, a legend in large type, the network's
name and the current prompt as a title, and a visible privacy indicator. It follows the same
``Changes`` as every other view, unless frozen (edits wait until it is unfrozen).
"""

from __future__ import annotations

from datetime import date

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ...core import mapdata
from ...core.changes import Changes
from ...core.layout import layout_positions
from ...core.mapdata_snapshot import MapSnapshot, MapSource
from ...core.privacy import PresentationPrivacy, PublicMember, public_members
from ...core.projection import Projection, project
from ...core.replay import Timeline, build_timeline
from ..controller import Controller
from .projector_look import (
    EDGE_SCALE,
    LABEL_FRACTION,
    NODE_SCALE,
    THEMES,
    THICK_EDGES_UP_TO,
    TITLE_FRACTION,
    BigLegend,
    PrivacyBadge,
    ProjectorCanvas,
)
from .source_cache import SourceCache


class ProjectorView(QWidget):
    """Everything on the wall. Embed it in :class:`ProjectorWindow` or render it offscreen."""

    #: The state a presenter control shows changed (frozen, black, replay day…).
    state_changed = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.frozen = False
        self.blacked_out = False
        self.color_by = "kind"
        self.spotlight: tuple[str, str] | None = None
        self.focus_member: str | None = None
        self.focus_depth = 1
        self.day: date | None = None  # growth replay; None = today, live
        self._pending = False
        self.lazy = False  # see _deferred()
        self._stale = False
        self._snapshot: MapSnapshot | None = None
        self._cache: SourceCache | None = None
        self._public: dict[str, PublicMember] = {}
        self._row: dict[str, int] = {}
        self._timeline: Timeline | None = None
        self.projection: Projection | None = None
        self.rules = PresentationPrivacy()

        self.title = QLabel()
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        for label in (self.title, self.prompt):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # Long titles elide rather than force the window wider than the projector.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.canvas = ProjectorCanvas(self)
        self.canvas.hovered.connect(self._hovered)
        self.legend = BigLegend(self.canvas)
        self.badge = PrivacyBadge(self.canvas)
        self.date_label = QLabel(self.canvas)
        self.date_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.frozen_label = QLabel(self.canvas)
        self.frozen_label.hide()
        self.black = QWidget(self)
        self.black.setStyleSheet("background: black;")
        self.black.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.prompt)
        layout.addWidget(self.canvas, 1)

        controller.changed.connect(self._on_changed)
        controller.document_changed.connect(self._on_document)
        controller.selection_changed.connect(self._on_selection)
        self._apply_theme()
        self.refresh(fit=True)

    # ---- look --------------------------------------------------------------------------

    def _apply_theme(self) -> None:
        theme = self.rules.theme if self.rules.theme in THEMES else "dark"
        bg, text, _, _ = THEMES[theme]
        h = max(self.height(), 400)
        label_px = max(14.0, h * LABEL_FRACTION)
        title_px = max(20, round(h * TITLE_FRACTION))
        self.setStyleSheet(f"ProjectorView {{ background: {bg}; }}")
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor(bg))
        self.setPalette(pal)
        self.title.setStyleSheet(
            f"color: {text}; background: {bg}; font-size: {title_px}px; font-weight: 700;"
            f" padding: {title_px // 3}px {title_px}px 0px {title_px}px;"
        )
        self.prompt.setStyleSheet(
            f"color: {text}; background: {bg}; font-size: {round(title_px * 0.62)}px;"
            f" padding: 4px {title_px}px {title_px // 3}px {title_px}px;"
        )
        small = round(label_px * 0.8)
        self.badge.setStyleSheet(
            f"color: {text}; background: transparent; font-size: {small}px;"
            f" border: 2px solid {text}; border-radius: {small // 2}px; padding: 4px 10px;"
        )
        self.date_label.setStyleSheet(
            f"color: {text}; background: transparent; font-size: {round(title_px * 1.3)}px;"
            " font-weight: 800;"
        )
        self.frozen_label.setStyleSheet(
            f"color: {bg}; background: {text}; font-size: {small}px; padding: 4px 10px;"
        )
        legend_font = QFont(self.font())
        legend_font.setPixelSize(round(label_px))
        self.legend.setFont(legend_font)
        self.legend.theme = theme
        self.canvas.theme = theme
        self.canvas.label_px = label_px
        self.canvas.apply_palette()
        self._place_overlays()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._apply_theme()
        self.black.setGeometry(self.rect())

    def _place_overlays(self) -> None:
        margin = max(12, self.canvas.height() // 40)
        self.legend.adjustSize()
        self.legend.move(margin, margin)
        for label in (self.date_label, self.frozen_label):
            label.adjustSize()
        # The badge takes the bottom row up to the replay date (when one is shown). The canvas
        # spans the view's width: measured on the view, which has its size before it is shown.
        beside = self.date_label.width() + margin if self.date_label.text() else 0
        self.badge.fit_width(self.width() - 2 * margin - beside)
        self.badge.move(margin, self.canvas.height() - self.badge.height() - margin)
        self.date_label.move(
            self.canvas.width() - self.date_label.width() - margin,
            self.canvas.height() - self.date_label.height() - margin,
        )
        self.frozen_label.move(self.canvas.width() - self.frozen_label.width() - margin, margin)

    # ---- data --------------------------------------------------------------------------

    def _on_document(self) -> None:
        self._snapshot = None
        self._cache = None
        self._timeline = None
        if not self._deferred():
            self.refresh(fit=True, reload=True)

    def _on_changed(self, changes: Changes) -> None:
        if self.frozen:
            self._pending = True
            return
        if not self._deferred():
            self.refresh(changes=changes)

    def _deferred(self) -> bool:
        """A ``lazy`` view that nobody sees (the presenter's preview) only notes that it is
        out of date: keeping five thousand members projected after every edit would slow
        every edit down for a wall that is not on."""
        if self.lazy and not self.isVisible():
            self._stale = True
            return True
        return False

    def ensure_current(self) -> None:
        """Catch up with the document if edits were deferred (see :meth:`_deferred`)."""
        if self._stale:
            self.refresh(fit=True, reload=True)

    def refresh(
        self, changes: Changes | None = None, fit: bool = False, reload: bool = False
    ) -> None:
        """Redraw. ``changes``: what the document's last edit touched (None: only the view's
        own options changed); ``reload``: read everything from the document again."""
        if self._stale:  # edits were deferred while hidden: start from the document
            self._stale = False
            changes, fit, reload = None, True, True
            self._snapshot = self._cache = self._timeline = None
        if not self.controller.has_document:
            self.projection = None
            self._cache = None
            self.canvas.set_graph(
                np.zeros((0, 2)),
                np.zeros((0, 2), np.int32),
                *([np.zeros(0)] * 3),
                [],
                np.zeros(0, bool),
            )
            return
        wb = self.controller.document
        rebuild = reload or changes is not None or self._snapshot is None
        if self._cache is None or self._cache.document is not wb or reload:
            self._cache = SourceCache(wb)
        elif changes:
            self._cache.apply(changes)
        if changes is not None and self._patch(changes):
            return  # the quick path: a drag, a rename
        settings = self._cache.settings
        old_theme = self.rules.theme
        self.rules = PresentationPrivacy.from_settings(settings)
        if self.rules.theme != old_theme:
            self._apply_theme()
        source = self._cache.source()
        snap = self._snapshot
        wants_community = self.color_by == "community"
        if rebuild or snap is None or (snap.color_by == "community") != wants_community:
            snap = mapdata.build_snapshot(
                source, color_by="community" if wants_community else "kind"
            )
            self._timeline = None  # rebuilt on demand (replay), from the cache
            if not snap.placed.all() and snap.n_nodes:
                snap = self._place_missing(snap, source)
            self._snapshot = snap
            self._public = public_members(source.members, source.affiliations, self.rules)
        focus = (self.focus_member, self.focus_depth) if self.focus_member else None
        proj = project(
            snap,
            self._public,
            color_by=self.color_by,
            timeline=self.timeline() if self.day is not None else None,
            day=self.day,
            spotlight=self.spotlight,
            focus=focus,
        )
        self.projection = proj
        self._row = {mid: i for i, mid in enumerate(proj.ids)}
        self._draw(proj, fit=fit)
        self.title.setText(str(settings.get("name") or ""))
        self.prompt.setText(self.rules.prompt)
        self.prompt.setVisible(bool(self.rules.prompt))
        self.badge.set_sections(self.rules.summary("\n").splitlines())
        self.date_label.setText(self.day.strftime("%B %Y") if self.day else "")
        self.date_label.setVisible(self.day is not None)
        self._place_overlays()

    def _patch(self, changes: Changes) -> bool:
        """Apply a drag or a member edit in place (no rebuild). False: rebuild instead."""
        proj, snap, cache = self.projection, self._snapshot, self._cache
        if proj is None or snap is None or cache is None or self.day is not None:
            return False
        structural = (
            changes.reset
            or changes.members.added
            or changes.members.removed
            or changes.relationships
            or changes.affiliations
            or changes.events
            or changes.attendance
            or changes.ratings
            or changes.settings
        )
        if structural:
            return False
        members = cache.tables["members"]
        if changes.members.updated:
            edited = [members[m] for m in changes.members.updated if m in members]
            ids = {m.id for m in edited}
            affiliations = [
                a
                for a in cache.tables["affiliations"].values()
                if a.person_id in ids or a.organization_id in ids
            ]
            # Their organizations come along so a person's public organization names resolve.
            orgs = {a.organization_id for a in affiliations} - ids
            public = public_members(
                edited + [members[o] for o in orgs if o in members], affiliations, self.rules
            )
            for m in edited:
                before = self._public.get(m.id)
                after = public.get(m.id)
                if before is None or after is None or before.appearance != after.appearance:
                    return False  # shown / hidden / anonymous changed: rebuild
                if (before.kind, before.organizations) != (after.kind, after.organizations):
                    return False
                self._public[m.id] = after
                i = self._row.get(m.id)
                if i is not None:
                    proj.labels[i] = after.label or ""
                    proj.tooltips[i] = after.tooltip()
            if self.color_by == "tag":
                return False  # colours follow tags: let the full path recolour
            self.canvas.labels.set_arrays(proj.pos, proj.labels, self.canvas.node_px)
            self.canvas.labels.update()
        moved = [m for m in changes.positions if m in self._row]
        if moved:
            rows = np.array([self._row[m] for m in moved], dtype=np.int64)
            for m, i in zip(moved, rows, strict=True):
                member = members.get(m)
                if member is not None and member.x is not None and member.y is not None:
                    proj.pos[i] = (member.x, member.y)
                    j = snap.index.get(m)
                    if j is not None:
                        snap.pos[j] = (member.x, member.y)
            self.canvas.positions_changed(rows)
        return True

    def _place_missing(self, snap: MapSnapshot, source: MapSource) -> MapSnapshot:
        """Members without a saved position get one here (display only, nothing is written)."""
        placed = {mid: tuple(snap.pos[i]) for i, mid in enumerate(snap.ids) if snap.placed[i]}
        positions = layout_positions(
            source.members, source.relationships, seed=1, initial=placed or None
        )
        return snap.with_positions(positions)

    def _draw(self, proj: Projection, fit: bool) -> None:
        c = self.canvas
        # Thick edges read from the back of the room; past a few thousand ties they would only
        # smear into a blot (and cost a frame), so big networks get the map's fine lines.
        c.edges.export_scale = EDGE_SCALE if len(proj.edges) <= THICK_EDGES_UP_TO else 1.0
        c.set_graph(
            proj.pos,
            proj.edges,
            proj.strength,
            proj.cold,
            proj.directed,
            proj.labels,
            proj.is_org,
        )
        c.set_sizes(proj.sizes * NODE_SCALE)
        c.set_colours(proj.colors)
        c.focus = proj.highlight
        selected = set(self.controller.selected_members)
        c.selected = np.array([m in selected for m in proj.ids], dtype=bool)
        c.restyle()
        titles = {
            "kind": self.tr("Kind"),
            "organization": self.tr("Organization"),
            "tag": self.tr("Tag"),
            "community": self.tr("Cluster"),
        }
        self.legend.set_entries(
            titles.get(self.color_by, ""),
            [
                (lbl, rgba, n)
                for (lbl, rgba), n in zip(proj.legend, proj.legend_counts, strict=True)
            ],
            # Coloured by kind, the swatch wears the map's shape too (organizations are squares).
            squares={"Organization"} if self.color_by == "kind" else set(),
        )
        self.legend.setVisible(self.rules.show_legend and bool(proj.legend))
        if fit and proj.n_nodes:
            self.fit()

    def _on_selection(self, members, _relationships) -> None:
        if self.projection is None or self.frozen:
            return
        selected = set(members)
        self.canvas.selected = np.array([m in selected for m in self.projection.ids], dtype=bool)
        self.canvas.restyle()

    def _hovered(self, i: int, global_pos: QPointF) -> None:
        if self.projection is None or not (0 <= i < self.projection.n_nodes):
            QToolTip.hideText()
            return
        QToolTip.showText(global_pos.toPoint(), self.projection.tooltips[i], self)

    # ---- presenter controls ------------------------------------------------------------

    def set_frozen(self, frozen: bool) -> None:
        self.frozen = frozen
        self.frozen_label.setText(self.tr("Paused — edits will appear when resumed"))
        self.frozen_label.setVisible(frozen)
        self._place_overlays()
        if not frozen and self._pending:
            self._pending = False
            # Edits piled up while frozen: read the document afresh.
            self.refresh(reload=True)
        self.state_changed.emit()

    def set_blacked_out(self, black: bool) -> None:
        self.blacked_out = black
        self.black.setGeometry(self.rect())
        self.black.setVisible(black)
        self.black.raise_()
        self.state_changed.emit()

    def set_color_by(self, field_name: str) -> None:
        self.color_by = field_name
        self.spotlight = None
        self.refresh()

    def set_spotlight(self, spotlight: tuple[str, str] | None) -> None:
        self.spotlight = spotlight
        self.refresh()

    def set_focus(self, member_id: str | None, depth: int | None = None) -> None:
        self.focus_member = member_id
        if depth is not None:
            self.focus_depth = max(1, min(6, depth))
        self.refresh()
        self.state_changed.emit()

    def set_day(self, day: date | None) -> None:
        self.day = day
        self.refresh()
        self.state_changed.emit()

    def timeline(self) -> Timeline | None:
        self.ensure_current()
        if self._timeline is None and self.controller.has_document:
            if self._cache is None:
                self._cache = SourceCache(self.controller.document)
            t = self._cache.tables
            self._timeline = build_timeline(
                t["members"].values(),
                t["relationships"].values(),
                t["events"].values(),
                t["attendance"].values(),
            )
        return self._timeline

    def fit(self) -> None:
        # Keep the map clear of the big legend (top left) and the privacy badge / date
        # (bottom): names under them would be unreadable on the wall.
        self._place_overlays()
        margin = max(12, self.canvas.height() // 40)
        legend = self.legend.size() if self.legend.isVisible() else QSize(0, 0)
        self.canvas.reserved = (
            QSize(legend.width() + margin, legend.height() + margin)
            if legend.width() > 0
            else QSize(0, 0)
        )
        bottom = max(self.badge.height(), self.date_label.height() if self.date_label.text() else 0)
        self.canvas.reserved_bottom = bottom + margin if self.badge.isVisible() or bottom else 0
        self.canvas.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_B:
            self.set_blacked_out(not self.blacked_out)
        elif key in (Qt.Key.Key_F, Qt.Key.Key_Home):
            self.fit()
        elif key == Qt.Key.Key_BracketRight:
            self._focus_step(1)
        elif key == Qt.Key.Key_BracketLeft:
            self._focus_step(-1)
        elif key == Qt.Key.Key_Space:
            self.set_frozen(not self.frozen)
        elif key == Qt.Key.Key_Escape and (self.focus_member or self.spotlight):
            self.spotlight = None
            self.set_focus(None)
        else:
            super().keyPressEvent(event)

    def _focus_step(self, step: int) -> None:
        selected = self.controller.selected_members
        if self.focus_member is None and selected:
            self.set_focus(selected[0], 1)
        elif self.focus_member is not None:
            self.set_focus(self.focus_member, self.focus_depth + step)

    # ---- offscreen -----------------------------------------------------------------------

    def visible_text(self) -> list[str]:
        """Every piece of text this view shows or can show (labels, tooltips, titles, legend):
        what the privacy tests inspect."""
        texts = [self.title.text(), self.prompt.text(), self.badge.text(), self.date_label.text()]
        texts += [t for t, _, _ in self.legend.entries]
        if self.projection is not None:
            texts += self.projection.labels + self.projection.tooltips
        return texts
