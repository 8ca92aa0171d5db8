"""Editing flows shared by the panels, the map and the menus (placeholder signatures)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QWidget

from .controller import Controller


def add_member(
    parent: QWidget | None,
    controller: Controller,
    kind: str = "person",
    position: QPointF | tuple[float, float] | None = None,
) -> str | None:
    return None


def edit_member(parent: QWidget | None, controller: Controller, member_id: str) -> bool:
    return False


def add_relationship(
    parent: QWidget | None,
    controller: Controller,
    source_id: str | None = None,
    target_id: str | None = None,
) -> str | None:
    return None


def add_affiliation(
    parent: QWidget | None,
    controller: Controller,
    person_id: str | None = None,
    org_id: str | None = None,
) -> str | None:
    return None


def delete_members(parent: QWidget | None, controller: Controller, ids: Iterable[str]) -> bool:
    return False


def delete_relationships(
    parent: QWidget | None, controller: Controller, ids: Iterable[str]
) -> bool:
    return False
