"""Editing flows shared by the panels, the map and the menus.

Each function shows its dialog (or confirmation), then pushes exactly one undoable command
through the controller. Refusals (read-only file, invalid input) are said plainly.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QPointF
from PySide6.QtWidgets import QDialog, QWidget

from ..core.commands import Command, DeleteEntities, DeleteMembers, DeleteRelationships
from ..core.errors import DocumentError
from ..core.model import ValidationError
from . import dialogs
from .controller import Controller
from .dialogs.affiliation import AffiliationDialog
from .dialogs.member import MemberDialog
from .dialogs.relationship import RelationshipDialog
from .textmatch import plural


def _tr(text: str, n: int = -1) -> str:
    return plural(QCoreApplication.translate("editing", text, None, n), n)


def _can_edit(parent: QWidget | None, controller: Controller) -> bool:
    if not controller.has_document:
        return False
    if not controller.editable:
        dialogs.warn(
            parent,
            _tr("Not editable"),
            _tr("This network is open read-only or busy; nothing can be changed now."),
        )
        return False
    return True


def push(parent: QWidget | None, controller: Controller, command: Command) -> bool:
    """Push a command; a refusal is shown as a message, never as a traceback."""
    try:
        controller.push(command)
    except (ValidationError, DocumentError) as exc:
        dialogs.warn(parent, _tr("Not changed"), str(exc))
        return False
    return True


def _run(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def _tags(controller: Controller) -> list[str]:
    counts: dict[str, int] = {}
    for m in controller.document.members():
        for t in m.tags:
            counts[t] = counts.get(t, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.casefold()))


def add_member(
    parent: QWidget | None,
    controller: Controller,
    kind: str = "person",
    position: QPointF | tuple[float, float] | None = None,
) -> str | None:
    """Ask for a new person or organization; returns its id, or None if cancelled."""
    if not _can_edit(parent, controller):
        return None
    dialog = MemberDialog(controller.document, kind=kind, tags=_tags(controller), parent=parent)
    if position is not None:
        dialog.position = (
            (position.x(), position.y()) if isinstance(position, QPointF) else tuple(position)
        )
    if not _run(dialog) or not push(parent, controller, dialog.result_command):
        return None
    controller.select(members=[dialog.new_id])
    return dialog.new_id


def edit_member(parent: QWidget | None, controller: Controller, member_id: str) -> bool:
    if not _can_edit(parent, controller):
        return False
    member = controller.document.member(member_id)
    if member is None:
        return False
    dialog = MemberDialog(controller.document, member, tags=_tags(controller), parent=parent)
    return _run(dialog) and push(parent, controller, dialog.result_command)


def add_relationship(
    parent: QWidget | None,
    controller: Controller,
    source_id: str | None = None,
    target_id: str | None = None,
) -> str | None:
    if not _can_edit(parent, controller):
        return None
    dialog = RelationshipDialog(controller.document, None, source_id, target_id, parent)
    command = dialog.result_command if _run(dialog) else None
    if command is None or not push(parent, controller, command):
        return None
    controller.select(relationships=[dialog.new_id] if dialog.new_id else [])
    return dialog.new_id


def edit_relationship(parent: QWidget | None, controller: Controller, rel_id: str) -> bool:
    if not _can_edit(parent, controller):
        return False
    rel = controller.document.relationship(rel_id)
    if rel is None:
        return False
    dialog = RelationshipDialog(controller.document, rel, parent=parent)
    command = dialog.result_command if _run(dialog) else None
    return command is not None and push(parent, controller, command)


def add_affiliation(
    parent: QWidget | None,
    controller: Controller,
    person_id: str | None = None,
    org_id: str | None = None,
) -> str | None:
    if not _can_edit(parent, controller):
        return None
    dialog = AffiliationDialog(controller.document, person_id, org_id, parent)
    command = dialog.result_command if _run(dialog) else None
    if command is None or not push(parent, controller, command):
        return None
    return dialog.new_id


def delete_affiliations(parent: QWidget | None, controller: Controller, ids: Iterable[str]) -> bool:
    ids = list(ids)
    if not ids or not _can_edit(parent, controller):
        return False
    label = _tr("Delete %n affiliation(s)", len(ids))
    return push(parent, controller, DeleteEntities("affiliations", ids, label))


def what_goes_with(controller: Controller, ids: list[str]) -> tuple[int, int, int]:
    """(relationships, affiliations, attendance records) deleted along with these members."""
    wb = controller.document
    rels = len(wb.relationships_of(ids))
    affs = len({a.id for m in ids for a in wb.affiliations_of(m)})
    att = sum(len(wb.attendance_of_member(m)) for m in ids)
    return rels, affs, att


def delete_members_message(controller: Controller, ids: list[str]) -> tuple[str, str] | None:
    """The confirmation (question, details), or None when nothing else goes with them."""
    rels, affs, att = what_goes_with(controller, ids)
    if not (rels or affs or att):
        return None
    if len(ids) == 1:
        member = controller.document.member(ids[0])
        name = member.name if member else "?"
        question = _tr("Delete “{name}”?").format(name=name)
    else:
        question = _tr("Delete %n member(s)?", len(ids))
    parts = [
        text
        for count, text in (
            (rels, _tr("%n relationship(s)", rels)),
            (affs, _tr("%n affiliation(s)", affs)),
            (att, _tr("%n meeting attendance record(s)", att)),
        )
        if count
    ]
    joined = (
        parts[0]
        if len(parts) == 1
        else _tr("{a} and {b}").format(a=", ".join(parts[:-1]), b=parts[-1])
    )
    details = _tr("{items} will be deleted with them. You can undo this.").format(items=joined)
    return question, details


def delete_members(parent: QWidget | None, controller: Controller, ids: Iterable[str]) -> bool:
    """Delete members (and their ties); asks first when anything goes with them."""
    ids = list(dict.fromkeys(ids))
    if not ids or not _can_edit(parent, controller):
        return False
    message = delete_members_message(controller, ids)
    if message is not None:
        answer = dialogs.ask(
            parent,
            _tr("Delete members"),
            message[0],
            dialogs.Button.Yes | dialogs.Button.Cancel,
            dialogs.Button.Cancel,
            informative=message[1],
        )
        if answer != dialogs.Button.Yes:
            return False
    label = None
    if len(ids) == 1:
        member = controller.document.member(ids[0])
        if member is not None:
            label = _tr("Delete '{name}'").format(name=member.name)
    return push(parent, controller, DeleteMembers(ids, label or ""))


def delete_relationships(
    parent: QWidget | None, controller: Controller, ids: Iterable[str]
) -> bool:
    """Relationships own nothing else, and undo brings them back: no question asked."""
    ids = list(dict.fromkeys(ids))
    if not ids or not _can_edit(parent, controller):
        return False
    return push(parent, controller, DeleteRelationships(ids))
