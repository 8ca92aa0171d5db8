"""What a command touched, so views refresh only that (Anki's OpChanges, in miniature)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

ENTITIES = (
    "members",
    "affiliations",
    "relationships",
    "events",
    "attendance",
    "ratings",
    "snapshots",
)


@dataclass(frozen=True)
class EntityChanges:
    added: frozenset[str] = frozenset()
    updated: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def all(self) -> frozenset[str]:
        return self.added | self.updated | self.removed

    def merged(self, later: EntityChanges) -> EntityChanges:
        """Combine with a later change set: add-then-remove cancels, add-then-update stays add."""
        # An id removed and then re-added existed before and after: an update, not an add.
        added = (self.added | later.added) - later.removed - (self.removed & later.added)
        removed = (self.removed | later.removed) - (self.added & later.removed)
        removed -= later.added  # removed then re-added reads as an update
        updated = ((self.updated | later.updated) | (self.removed & later.added)) - added - removed
        return EntityChanges(frozenset(added), frozenset(updated), frozenset(removed))

    def to_json(self) -> dict[str, list[str]]:
        return {
            k: sorted(getattr(self, k)) for k in ("added", "updated", "removed") if getattr(self, k)
        }


@dataclass(frozen=True)
class Changes:
    members: EntityChanges = field(default_factory=EntityChanges)
    affiliations: EntityChanges = field(default_factory=EntityChanges)
    relationships: EntityChanges = field(default_factory=EntityChanges)
    events: EntityChanges = field(default_factory=EntityChanges)
    attendance: EntityChanges = field(default_factory=EntityChanges)
    ratings: EntityChanges = field(default_factory=EntityChanges)
    snapshots: EntityChanges = field(default_factory=EntityChanges)
    # Members whose map position or pin changed and nothing else (a drag, a layout run).
    positions: frozenset[str] = frozenset()
    # Network settings keys that changed (name, privacy, saved views…).
    settings: frozenset[str] = frozenset()
    # Everything may have changed (a file was opened, a long write committed elsewhere).
    reset: bool = False

    def __bool__(self) -> bool:
        return (
            self.reset
            or bool(self.positions or self.settings)
            or any(getattr(self, name) for name in ENTITIES)
        )

    def merged(self, later: Changes) -> Changes:
        parts = {name: getattr(self, name).merged(getattr(later, name)) for name in ENTITIES}
        return Changes(
            **parts,
            positions=self.positions | later.positions,
            settings=self.settings | later.settings,
            reset=self.reset or later.reset,
        )

    @staticmethod
    def combine(items: Iterable[Changes]) -> Changes:
        total = Changes()
        for item in items:
            total = total.merged(item)
        return total

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, EntityChanges):
                if value:
                    out[f.name] = value.to_json()
            elif isinstance(value, frozenset):
                if value:
                    out[f.name] = sorted(value)
            elif value:
                out[f.name] = value
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "added": len(getattr(self, name).added),
                "updated": len(getattr(self, name).updated),
                "removed": len(getattr(self, name).removed),
            }
            for name in ENTITIES
        }


RESET = Changes(reset=True)
