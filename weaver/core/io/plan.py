"""An import plan: what a file would add, update, skip and remove, plus every problem found.

Readers never touch the document. They return a plan; :class:`ApplyImportPlan` applies it as
one undoable command in one transaction, so an import is all-or-nothing and Undo removes it
whole.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from ..changes import Changes
from ..codec import to_row
from ..commands import TABLE_ORDER, Command, DeleteEntities
from ..model import ValidationError
from ..store import Document
from ..store_rows import RowWrite

MATCH_RULES = ("id", "email", "name")
# What a spreadsheet or graph file can hold, in the order counts are reported.
ENTITIES = ("members", "relationships", "events", "attendance", "affiliations")
# ENTITIES plus what only the Weaver workbook (the complete record) holds.
TABLES = (*ENTITIES, "ratings", "snapshots")


class Cancelled(Exception):
    """The user cancelled a long read or write; nothing was changed."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk read or write.

    Reading or applying a 10,000-member file creates ~10^6 long-lived objects, and every
    full collection walks all of them again (about a fifth of a preview's time, measured with
    ``weaver bench --only io``). Nothing made here forms reference cycles that need
    collecting; plain reference counting still frees everything as usual. Collection resumes
    afterwards (unless someone else had paused it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Problem:
    """Something wrong in the source file, located as precisely as the format allows.

    ``row`` is the 1-based row number a spreadsheet shows; ``column`` the header text (or the
    column letter when there is no header). A blocking problem stops the whole import.
    """

    file: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    blocking: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class MappedColumn:
    """How one source column is read: shown (and editable) in the import preview."""

    sheet: str
    index: int
    header: str
    field: str  # a model field, "custom:<name>", or "" when ignored
    table: str = "members"  # what the sheet holds: members, relationships, events…


@dataclass(frozen=True)
class Match:
    """A row of the file that is a member already in the network, and the rule that said so."""

    sheet: str
    row: int | None
    file_name: str
    member_id: str
    member_name: str
    rule: str  # "id", "email" or "name"


@dataclass
class ImportPlan:
    source: str
    format: str
    # table -> entities to insert
    adds: dict[str, list[Any]] = field(default_factory=lambda: {t: [] for t in TABLES})
    # table -> (before row, after entity)
    updates: dict[str, list[tuple[dict[str, Any], Any]]] = field(
        default_factory=lambda: {t: [] for t in TABLES}
    )
    # table -> ids the file leaves out (deleted only with prune)
    removes: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TABLES})
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    # rows the file holds exactly as the network already does
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    # member id -> how it was matched to an existing member ("id", "email", "name")
    matched_by: dict[str, str] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[MappedColumn] = field(default_factory=list)
    prune: bool = False
    notices: list[str] = field(default_factory=list)
    # Network settings to write: key -> (stored row or None, new JSON text).
    settings: dict[str, tuple[dict[str, Any] | None, str]] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def is_empty(self) -> bool:
        return not self.settings and not any(
            self.adds[t] or self.updates[t] or self.removes[t] for t in TABLES
        )

    def counts(self) -> dict[str, dict[str, int]]:
        out = {
            "added": {t: len(self.adds[t]) for t in TABLES},
            "updated": {t: len(self.updates[t]) for t in TABLES},
            "skipped": dict(self.skipped),
            "unchanged": dict(self.unchanged),
        }
        if self.prune:
            out["removed"] = {t: len(self.removes[t]) for t in TABLES}
        return out

    def match_counts(self) -> dict[str, int]:
        out = dict.fromkeys(MATCH_RULES, 0)
        for rule in self.matched_by.values():
            out[rule] = out.get(rule, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            **self.counts(),
            "matched_by": self.match_counts(),
            "settings": sorted(self.settings),
            "notices": list(self.notices),
            "problems": [p.to_json() for p in self.problems],
        }

    def summary(self, applied: bool = False) -> str:
        """One line: "members: 3 to add, 1 to update; …" (or "3 added…" once applied)."""
        words = ("added", "updated", "removed") if applied else ("to add", "to update", "to remove")
        counts = self.counts()
        parts = []
        for t in TABLES:
            a, u, s = counts["added"][t], counts["updated"][t], counts["skipped"][t]
            r = counts.get("removed", {}).get(t, 0)
            if a or u or s or r:
                bits = [f"{a} {words[0]}", f"{u} {words[1]}"]
                if s:
                    bits.append(f"{s} skipped")
                if r:
                    bits.append(f"{r} {words[2]}")
                parts.append(f"{t}: {', '.join(bits)}")
        if self.settings:
            parts.append(f"network settings: {', '.join(sorted(self.settings))}")
        return "; ".join(parts) or "nothing to change"


# ---- entities to rows, in bulk ------------------------------------------------------------

# How codec stores each kind of column; every other column is stored as the value itself.
_ENCODE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _json_list(value: Any) -> str:
    return _ENCODE_JSON(list(value)) if value else "[]"


def _json_items(value: Any) -> str:
    return _ENCODE_JSON([[i.type, i.text] for i in value]) if value else "[]"


def _json_dict(value: Any) -> str:
    return _ENCODE_JSON(value) if value else "{}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


_COLUMN_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "tags": _json_list,
    "offers": _json_items,
    "needs": _json_items,
    "custom": _json_dict,
    "measures": _json_dict,
    **dict.fromkeys(
        ("joined_on", "since", "ended_on", "date", "end_date", "rated_on", "taken_on"), _iso
    ),
    **dict.fromkeys(("pinned", "in_person", "trust_building"), int),
}
_SELF_CHECK = 50


def rows_of(entities: list[Any]) -> list[dict[str, Any]]:
    """``codec.to_row`` for many entities of one table, about three times faster.

    Columns come from ``to_row`` of the first entity; the first rows are checked against
    ``to_row`` and any difference (a column codec stores differently) falls back to it, so
    the rows are always exactly what codec would store."""
    if not entities:
        return []
    columns = list(to_row(entities[0])[1])
    steps = [(c, _COLUMN_ENCODERS.get(c)) for c in columns]

    def fast(entity: Any) -> dict[str, Any]:
        values = entity.__dict__
        return {c: values[c] if enc is None else enc(values[c]) for c, enc in steps}

    try:
        if any(fast(e) != to_row(e)[1] for e in entities[:_SELF_CHECK]):
            raise ValueError
    except (KeyError, TypeError, ValueError, AttributeError):
        return [to_row(e)[1] for e in entities]
    return [fast(e) for e in entities]


class ApplyImportPlan(Command):
    """Apply a plan in one transaction: prune (if asked), then inserts, then updates.

    ``progress(fraction, text)`` and ``cancelled()`` may be set before applying in a worker;
    cancelling raises :class:`Cancelled` inside the transaction, which rolls back.
    """

    CHUNK = 2000

    def __init__(self, plan: ImportPlan, label: str = "") -> None:
        if plan.blocking:
            raise ValidationError("this import has blocking problems; fix the file first")
        super().__init__(label or f"Import {plan.source}")
        self.plan = plan
        self.progress: Callable[[float, str], None] | None = None
        self.cancelled: Callable[[], bool] | None = None

    def apply(self, wb: Document) -> Changes:
        with paused_gc():
            return super().apply(wb)

    def revert(self, wb: Document) -> Changes:
        with paused_gc():
            return super().revert(wb)

    def _check(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled
        if self.progress is not None and total:
            self.progress(done / total, f"Writing {done:,} of {total:,} rows")

    def _first_apply(self, wb: Document) -> list[RowWrite]:
        plan = self.plan
        writes: list[RowWrite] = []
        if plan.prune:
            # Dependents go first; DeleteEntities also takes what hangs off a removed member.
            for table in reversed(TABLE_ORDER):
                ids = plan.removes.get(table)
                if ids:
                    writes += DeleteEntities(table, ids)._first_apply(wb)
        pending: list[RowWrite] = []
        tables = [t for t in TABLE_ORDER if t in TABLES]
        for table in tables:
            pending += [RowWrite(table, None, row) for row in rows_of(plan.adds[table])]
        for table in tables:
            updates = plan.updates[table]
            current = {r["id"]: r for r in wb.rows_by_keys(table, [b["id"] for b, _ in updates])}
            for before, after in updates:
                if current.get(before["id"]) != before:
                    raise ValidationError(
                        "the network changed since this import was previewed; preview it again"
                    )
                pending.append(RowWrite(table, before, to_row(after)[1]))
        for key, (before, value) in plan.settings.items():
            if wb.row("settings", key) != before:
                raise ValidationError(
                    "the network changed since this import was previewed; preview it again"
                )
            pending.append(RowWrite("settings", before, {"key": key, "value": value}))
        total = len(pending)
        for start in range(0, total, self.CHUNK):
            self._check(start, total)
            wb.write_rows(pending[start : start + self.CHUNK])
        self._check(total, total)
        return writes + pending
