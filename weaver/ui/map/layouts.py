"""Layout actions of the map: run a core layout in a worker, animate the map to the result,
and keep the result as one undoable MoveMembers.

The layouts themselves live in ``weaver.core.layout`` (numpy, no Qt): force-directed (whole
network, pins kept), incremental (only members without a position move: next to their ties, or
in free space in the view), circle, and group by the field the map is coloured by. After an
incremental placement the view glides to show what was placed (never a refit of the whole map).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from ...core import layout as core_layout
from ...core.commands import MoveMembers
from ...core.errors import DocumentError
from ...core.layout_pack import Rect
from ...core.model import ValidationError
from .canvas import NODE_SPACING_PX

if TYPE_CHECKING:
    from .widget import MapWidget

log = logging.getLogger(__name__)

ANIMATION_MS = 300
MOVED_EPS = 1e-6


def compute_layout(
    kind: str,
    n: int,
    edges: np.ndarray,
    pos: np.ndarray,
    placed: np.ndarray,
    pinned: np.ndarray,
    groups: list[str],
    weights: np.ndarray | None = None,
    view: Rect | None = None,
    clearance: float = 0.0,
    *,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
) -> np.ndarray:
    """New (n, 2) positions. Pure function: runs in a worker thread. ``weights``: tie
    strengths, so strong ties are drawn a little shorter (as the saved layout does). ``view``
    and ``clearance`` (incremental only): the rectangle the user is looking at and the room to
    keep around members placed in it with no tie to anyone placed."""
    fixed = pinned & placed
    if kind == "incremental":
        return core_layout.place_new_members(
            n,
            edges,
            pos,
            placed,
            view=view,
            clearance=clearance,
            weights=weights,
            progress=progress,
            cancelled=cancelled,
        )
    initial = np.where(fixed[:, None], pos, np.nan)
    if kind == "circle":
        return core_layout.circle_layout(n, edges, fixed=fixed, initial=initial)
    if kind == "group":
        result, _centres = core_layout.group_layout(
            n,
            edges,
            groups,
            fixed=fixed,
            initial=initial,
            weights=weights,
            progress=progress,
            cancelled=cancelled,
        )
        return result
    return core_layout.force_layout(
        n,
        edges,
        fixed=fixed,
        initial=initial,
        weights=weights,
        progress=progress,
        cancelled=cancelled,
    )


class LayoutRunner(QObject):
    def __init__(self, widget: MapWidget) -> None:
        super().__init__(widget)
        self.w = widget
        self._animation: QVariantAnimation | None = None
        self._task = None
        self.last_label = ""

    def menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(self.tr("Layout"), parent)
        menu.addAction(self.tr("Force-directed (whole network)"), lambda: self.run("force"))
        menu.addAction(self.tr("Place members without a position"), lambda: self.run("incremental"))
        menu.addAction(self.tr("Circle"), lambda: self.run("circle"))
        menu.addAction(self.tr("Group by colour field"), lambda: self.run("group"))
        menu.aboutToShow.connect(
            lambda: [a.setEnabled(self.w.controller.editable) for a in menu.actions()]
        )
        return menu

    def _labels(self) -> dict[str, str]:
        return {
            "force": self.tr("Force-directed layout"),
            "incremental": self.tr("Place new members"),
            "circle": self.tr("Circle layout"),
            "group": self.tr("Group layout"),
        }

    def place_new(self) -> None:
        """Members without a saved position get one near their neighbours (others stay)."""
        if self._task is None:
            self.run("incremental", animate=False)

    def run(self, kind: str, animate: bool = True, wait: bool = False) -> None:
        snap = self.w.snapshot
        if snap is None or snap.n_nodes == 0:
            return
        self.stop_animation()
        placed = np.isfinite(self.w.pos).all(axis=1)
        pos = np.where(placed[:, None], self.w.pos, 0.0)
        view, clearance = self._looking_at() if kind == "incremental" else (None, 0.0)
        args = (
            kind,
            snap.n_nodes,
            snap.edges,
            pos,
            placed,
            self.w.canvas.pinned.copy(),
            list(snap.color_values),
            snap.edge_strength,
            view,
            clearance,
        )
        signature = snap.signature
        label = self._labels()[kind]

        def done(result: np.ndarray) -> None:
            self._task = None
            current = self.w.snapshot
            if current is None or current.signature != signature:
                return  # the network changed meanwhile; the result no longer fits
            self._arrive(result, label, animate)

        def failed(exc: BaseException) -> None:
            self._task = None
            if not isinstance(exc, core_layout.LayoutCancelled):
                log.exception("layout failed", exc_info=exc)
                QMessageBox.warning(self.w, self.tr("Layout"), str(exc))

        try:
            from ..tasks import run_task
        except ImportError:  # pragma: no cover - until the shell's task runner lands
            run_task = None
        if run_task is None or wait:
            done(compute_layout(*args, progress=lambda *_: None, cancelled=lambda: False))
            return
        self._task = run_task(
            self.w,
            label,
            compute_layout,
            *args,
            on_done=done,
            on_error=failed,
            on_cancelled=lambda: setattr(self, "_task", None),
        )

    def _looking_at(self) -> tuple[Rect | None, float]:
        """The part of the map the user sees and a node spacing there (view units), or
        (None, 0) while the map is not on screen or still waits for its first fit: then there is
        no view to place members in, and they are packed beside the picture."""
        canvas = self.w.canvas
        size = canvas.viewbox.size()
        if not self.w.isVisible() or self.w.fit_pending or min(size.width(), size.height()) < 20:
            return None, 0.0
        return canvas.visible_rect(), NODE_SPACING_PX * canvas.pixel_size()

    def _arrive(self, target: np.ndarray, label: str, animate: bool) -> None:
        start = self.w.pos.copy()
        unplaced = ~np.isfinite(start).all(axis=1)
        start[unplaced] = target[unplaced]  # new members appear in place, nothing flies in
        if not animate:
            self.w.pos[:] = target
            self.w.canvas.positions_changed()
            self._commit(target, start, label)
            return
        anim = QVariantAnimation(self)
        anim.setStartValue(0.0)
        anim.setEndValue(1.0)
        anim.setDuration(ANIMATION_MS)
        anim.setEasingCurve(QEasingCurve.Type.InOutCubic)

        def step(t: float) -> None:
            self.w.pos[:] = start + (target - start) * float(t)
            self.w.canvas.positions_changed()

        anim.valueChanged.connect(step)
        anim.finished.connect(lambda: self._commit(target, None, label))
        self._animation = anim
        anim.start()

    def stop_animation(self) -> None:
        """Jump to the end of a running animation (e.g. the user grabs a node)."""
        anim = self._animation
        if anim is not None:
            self._animation = None
            anim.setCurrentTime(anim.duration())
            anim.stop()

    def _commit(self, target: np.ndarray, _start, label: str) -> None:
        self._animation = None
        snap = self.w.snapshot
        self.w.pos[:] = target
        self.w.canvas.positions_changed()
        if snap is None or not self.w.controller.editable:
            return
        saved = np.where(snap.placed[:, None], snap.pos, np.nan)
        moved = ~(np.abs(saved - target) <= MOVED_EPS).all(axis=1)
        newly_placed = np.flatnonzero(moved & ~snap.placed)
        fresh = not snap.placed.any()
        positions = {
            snap.ids[i]: (float(target[i, 0]), float(target[i, 1])) for i in np.flatnonzero(moved)
        }
        if not positions:
            return
        self.last_label = label
        try:
            command = MoveMembers(positions, label)
            if label == self._labels()["incremental"]:
                # Placing members just added joins the step that added them.
                self.w.controller.push_follow_up(command, positions)
            else:
                self.w.controller.push(command)
        except (ValidationError, DocumentError) as exc:
            QMessageBox.warning(self.w, self.tr("Layout"), str(exc))
        snap.pos[moved] = target[moved]
        snap.placed[moved] = True
        if fresh:
            if self.w.canvas.focus is None:
                self.w.fit()
        elif label == self._labels()["incremental"]:
            self.w.reveal(newly_placed)
