"""Gestures on the map turned into selections and core commands.

Drag a node (the selection moves with it; one MoveMembers on release), Shift-drag from a node
or the Connect tool (a relationship), Shift-drag on the background (a selection box), click
and Ctrl/Shift-click (select), double-click on empty space (a new member, named in place),
right-click (menus for a node, a tie or the background), P (pin), Delete.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox

from ...core.commands import (
    AddEntities,
    AddMember,
    MoveMembers,
    SetPinned,
    new_member,
    new_relationship,
)
from ...core.errors import DocumentError
from ...core.model import RELATIONSHIP_KINDS, ValidationError
from .. import editing

if TYPE_CHECKING:
    from .widget import MapWidget

log = logging.getLogger(__name__)


class MapInteraction(QObject):
    def __init__(self, widget: MapWidget) -> None:
        super().__init__(widget)
        self.w = widget
        self.mode = ""  # "", "move", "connect", "box"
        self._start = QPointF()
        self._rows = np.zeros(0, dtype=np.int64)
        self._start_pos = np.zeros((0, 2))
        self._source = -1
        self.relationship_kind = "colleague"  # remembered between connections
        self.name_editor: QLineEdit | None = None

    @property
    def canvas(self):
        return self.w.canvas

    def _editable(self) -> bool:
        return self.w.controller.has_document and self.w.controller.editable

    def _push(self, command) -> bool:
        """Push a command; a refusal (read-only, invalid) becomes a message, not a traceback."""
        try:
            self.w.controller.push(command)
        except (ValidationError, DocumentError) as exc:
            QMessageBox.warning(self.w, self.tr("Map"), str(exc))
            return False
        return True

    def _ids(self, rows) -> list[str]:
        snap = self.w.snapshot
        return [snap.ids[int(i)] for i in rows] if snap is not None else []

    # ---- drags -------------------------------------------------------------------------

    def drag_started(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool:
        if self.w.snapshot is None:
            return False
        self.w.layouts.stop_animation()
        i = self.canvas.node_at(pos)
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        self._start = QPointF(pos)
        if i >= 0 and (shift or self.w.connect_action.isChecked()):
            if not self._editable():
                return False
            self.mode = "connect"
            self._source = i
            x, y = self.w.pos[i]
            self.canvas.connector.setLine(x, y, pos.x(), pos.y())
            self.canvas.connector.show()
            return True
        if i < 0 and shift:
            self.mode = "box"
            self.canvas.rubber_band.setRect(QRectF(pos, pos))
            self.canvas.rubber_band.show()
            return True
        if i >= 0 and self._editable():
            self.mode = "move"
            sel = self.canvas.selected
            if not sel[i]:
                self.w.controller.select([self.w.snapshot.ids[i]])
            rows = np.flatnonzero(self.canvas.selected)
            if i not in rows:
                rows = np.array([i])
            self._rows = rows
            self._start_pos = self.w.pos[rows].copy()
            self.canvas.begin_drag(rows)
            return True
        return False

    def drag_moved(self, pos: QPointF) -> None:
        if self.mode == "move":
            delta = np.array([pos.x() - self._start.x(), pos.y() - self._start.y()])
            self.w.pos[self._rows] = self._start_pos + delta
            self.canvas.positions_changed(self._rows)
        elif self.mode == "connect":
            line = self.canvas.connector.line()
            self.canvas.connector.setLine(line.x1(), line.y1(), pos.x(), pos.y())
            j = self.canvas.node_at(pos)
            self.canvas.set_highlight(j if j != self._source else -1)
        elif self.mode == "box":
            self.canvas.rubber_band.setRect(QRectF(self._start, pos).normalized())

    def drag_finished(self, pos: QPointF) -> None:
        mode, self.mode = self.mode, ""
        if mode == "move":
            self.mode = "move"
            self.drag_moved(pos)
            self.mode = ""
            self.canvas.end_drag()
            moved = {
                mid: (float(x), float(y))
                for mid, (x, y) in zip(self._ids(self._rows), self.w.pos[self._rows], strict=True)
            }
            if not self._push(MoveMembers(moved)):
                self.w.pos[self._rows] = self._start_pos
                self.canvas.positions_changed(self._rows)
        elif mode == "connect":
            self.canvas.connector.hide()
            self.canvas.set_highlight(-1)
            j = self.canvas.node_at(pos)
            if j >= 0 and j != self._source:
                self.connect(self._source, j)
        elif mode == "box":
            self.canvas.rubber_band.hide()
            rect = QRectF(self._start, pos).normalized()
            rows = self.canvas.nodes_in(rect)
            mods = QCoreApplication.instance().keyboardModifiers()
            ids = self._ids(rows)
            if mods & Qt.KeyboardModifier.ControlModifier:
                ids = list(self.w.controller.selected_members) + ids
            self.w.controller.select(ids)

    # ---- clicks ------------------------------------------------------------------------

    def clicked(self, pos: QPointF, modifiers: Qt.KeyboardModifier, double: bool) -> None:
        snap = self.w.snapshot
        if snap is None:
            return
        self.w.canvas.setFocus()
        i = self.canvas.node_at(pos)
        if double:
            if i >= 0:
                editing.edit_member(self.w, self.w.controller, snap.ids[i])
            elif self._editable() and self.canvas.edge_at(pos) < 0:
                self.start_inline_add(pos)
            return
        adding = bool(
            modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
        )
        controller = self.w.controller
        if i >= 0:
            mid = snap.ids[i]
            if adding:
                current = list(controller.selected_members)
                ids = [m for m in current if m != mid] if mid in current else [*current, mid]
                controller.select(ids, controller.selected_relationships)
            else:
                controller.select([mid])
            return
        j = self.canvas.edge_at(pos)
        if j >= 0:
            rid = snap.edge_ids[j]
            if adding:
                controller.select(
                    controller.selected_members, [*controller.selected_relationships, rid]
                )
            else:
                controller.select([], [rid])
            return
        if not adding:
            controller.select([], [])

    # ---- add in place ------------------------------------------------------------------

    def start_inline_add(self, pos: QPointF, kind: str = "person") -> None:
        """A small name field right where the user double-clicked; Enter adds, Esc cancels."""
        self.cancel_inline_add()
        editor = QLineEdit(self.canvas.viewport())
        editor.setPlaceholderText(
            self.tr("Name of the new organization")
            if kind == "organization"
            else self.tr("Name of the new member")
        )
        editor.setMinimumWidth(editor.fontMetrics().horizontalAdvance("M") * 16)
        editor.adjustSize()
        view_pt = self.canvas.mapFromScene(self.canvas.viewbox.mapViewToScene(pos))
        editor.move(view_pt.x() - editor.width() // 2, view_pt.y() - editor.height() // 2)
        editor.setProperty("map_pos", (pos.x(), pos.y()))
        editor.setProperty("kind", kind)
        editor.returnPressed.connect(self._commit_inline_add)
        editor.installEventFilter(self)
        editor.show()
        editor.setFocus()
        self.name_editor = editor

    def cancel_inline_add(self) -> None:
        if self.name_editor is not None:
            editor, self.name_editor = self.name_editor, None
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()
            self.canvas.setFocus()

    def _commit_inline_add(self) -> None:
        editor = self.name_editor
        if editor is None:
            return
        name = editor.text().strip()
        x, y = editor.property("map_pos")
        kind = editor.property("kind")
        self.cancel_inline_add()
        if not name:
            return
        member = new_member(name, kind=kind, x=float(x), y=float(y))
        if self._push(AddMember(member)):
            self.w.controller.select([member.id])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.name_editor:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if event.key() == Qt.Key.Key_Escape:
                    self.cancel_inline_add()
                    return True
            elif event.type() == QEvent.Type.FocusOut:
                self.cancel_inline_add()
        return super().eventFilter(obj, event)

    def add_member_dialog(self, pos: QPointF, kind: str) -> None:
        editing.add_member(self.w, self.w.controller, kind=kind, position=(pos.x(), pos.y()))

    # ---- connect -----------------------------------------------------------------------

    def ask_relationship_kind(self, source: str, target: str) -> str | None:
        """Which kind of tie; the last choice is offered first. None if cancelled."""
        kinds = list(dict.fromkeys([self.relationship_kind, *RELATIONSHIP_KINDS]))
        kind, ok = QInputDialog.getItem(
            self.w,
            self.tr("New relationship"),
            self.tr("Relationship between %1 and %2:").replace("%1", source).replace("%2", target),
            kinds,
            0,
            True,
        )
        return kind.strip() if ok and kind.strip() else None

    def connect(self, a: int, b: int) -> str | None:
        snap = self.w.snapshot
        if snap is None:
            return None
        kind = self.ask_relationship_kind(snap.labels[a], snap.labels[b])
        if kind is None:
            return None
        self.relationship_kind = kind
        rel = new_relationship(snap.ids[a], snap.ids[b], kind=kind)
        label = self.tr("Connect %1 and %2").replace("%1", snap.labels[a])
        if self._push(AddEntities([rel], label.replace("%2", snap.labels[b]))):
            self.w.controller.select([], [rel.id])
            return rel.id
        return None

    # ---- pin and delete ----------------------------------------------------------------

    def toggle_pin(self) -> None:
        rows = np.flatnonzero(self.canvas.selected)
        if len(rows) == 0 or not self._editable():
            return
        pin = not bool(self.canvas.pinned[rows].all())
        self._push(SetPinned(self._ids(rows), pin))

    def delete_selection(self) -> None:
        if not self._editable():
            return
        controller = self.w.controller
        members = list(controller.selected_members)
        rels = list(controller.selected_relationships)
        if members:
            editing.delete_members(self.w, controller, members)
        elif rels:
            editing.delete_relationships(self.w, controller, rels)

    # ---- menus -------------------------------------------------------------------------

    def context_menu(self, pos: QPointF, screen_pos: QPointF) -> None:
        snap = self.w.snapshot
        menu = QMenu(self.w)
        editable = self._editable()
        i = self.canvas.node_at(pos) if snap is not None else -1
        j = self.canvas.edge_at(pos) if snap is not None and i < 0 else -1
        if i >= 0:
            self._node_menu(menu, i, editable)
        elif j >= 0:
            self._edge_menu(menu, j, editable)
        else:
            self._background_menu(menu, pos, editable)
        menu.exec(QCursor.pos() if screen_pos is None else screen_pos.toPoint())

    def _node_menu(self, menu: QMenu, i: int, editable: bool) -> None:
        snap = self.w.snapshot
        mid = snap.ids[i]
        controller = self.w.controller
        if mid not in controller.selected_members:
            controller.select([mid])
        menu.addAction(self.tr("Edit…"), lambda: editing.edit_member(self.w, controller, mid))
        menu.addAction(self.tr("Focus on neighbourhood"), lambda: self.w.start_focus([i]))
        menu.addAction(self.tr("Select neighbours"), lambda: self._select_neighbours(i))
        menu.addSeparator()
        pin = menu.addAction(
            self.tr("Unpin") if self.canvas.pinned[i] else self.tr("Pin in place"),
            self.toggle_pin,
        )
        pin.setShortcut("P")
        connect = menu.addAction(
            self.tr("Connect to…"), lambda: self.w.connect_action.setChecked(True)
        )
        if snap.kinds[i]:
            menu.addAction(
                self.tr("Add affiliated person…"),
                lambda: editing.add_affiliation(self.w, controller, None, mid),
            )
        else:
            menu.addAction(
                self.tr("Add affiliation…"),
                lambda: editing.add_affiliation(self.w, controller, mid, None),
            )
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete…"), self.delete_selection)
        for action in (pin, connect, delete):
            action.setEnabled(editable)

    def _edge_menu(self, menu: QMenu, j: int, editable: bool) -> None:
        snap = self.w.snapshot
        rid = snap.edge_ids[j]
        a, b = (int(v) for v in snap.edges[j])
        controller = self.w.controller
        controller.select([], [rid])
        title = menu.addAction(f"{snap.labels[a]} — {snap.labels[b]} ({snap.edge_kinds[j]})")
        title.setEnabled(False)
        menu.addAction(self.tr("Select both members"), lambda: controller.select(self._ids([a, b])))
        menu.addAction(self.tr("Focus on this tie"), lambda: self.w.start_focus([a, b]))
        menu.addSeparator()
        delete = menu.addAction(
            self.tr("Delete relationship…"),
            lambda: editing.delete_relationships(self.w, controller, [rid]),
        )
        delete.setEnabled(editable)

    def _background_menu(self, menu: QMenu, pos: QPointF, editable: bool) -> None:
        for text, kind in (
            (self.tr("Add person here…"), "person"),
            (self.tr("Add organization here…"), "organization"),
        ):
            action = menu.addAction(text, lambda k=kind: self.start_inline_add(pos, k))
            action.setEnabled(editable)
        menu.addSeparator()
        menu.addAction(self.tr("Zoom to fit"), self.w.fit)
        if self.w.focus_root:
            menu.addAction(self.tr("Clear focus"), self.w.clear_focus)
        menu.addMenu(self.w.layouts.menu(menu))
        menu.addSeparator()
        menu.addAction(self.tr("Export image…"), self.w.export_dialog)

    def _select_neighbours(self, i: int) -> None:
        snap = self.w.snapshot
        self.w.controller.select(self._ids(snap.neighbours([i], 1)))
