"""Write the Weaver workbook: every table of a network as its own sheet, ids included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..store import Workbook
from .draft import format_items
from .xlsx_out import BOOL, Column, SheetSpec, write_xlsx
from .xlsx_weaver_sheets import (
    AFFILIATION_COLUMNS,
    ATTENDANCE_COLUMNS,
    EVENT_COLUMNS,
    MEASURES_CHUNK,
    MEMBER_COLUMNS,
    NETWORK_SHEET,
    RATING_COLUMNS,
    RELATIONSHIP_COLUMNS,
    SNAPSHOT_COLUMNS,
)


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == BOOL:
        return bool(value)
    return value


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def build_sheets(wb: Workbook) -> list[SheetSpec]:
    members = wb.members()
    names = {m.id: m.name for m in members}
    custom_keys = sorted({k for m in members for k in m.custom})
    rels = wb.relationships()
    rel_custom = sorted({k for r in rels for k in r.custom})
    events = wb.events()
    titles = {e.id: e.title for e in events}

    def member_rows(kind: str) -> list[list[Any]]:
        rows = []
        for m in members:
            if m.kind != kind:
                continue
            values = {
                "tags": "\n".join(m.tags),
                "offers": format_items(m.offers),
                "needs": format_items(m.needs),
            }
            row = [
                _cell(k, values[f] if f in values else getattr(m, f)) for _, f, k in MEMBER_COLUMNS
            ]
            rows.append(row + [m.custom.get(k, "") for k in custom_keys])
        return rows

    def columns(spec: list[tuple[str, str, str]], extra: list[str]) -> list[Column]:
        return [Column(h, k) for h, _, k in spec] + [Column(k) for k in extra]

    rel_rows = []
    for r in rels:
        values = {"source": names.get(r.source_id, ""), "target": names.get(r.target_id, "")}
        row = [
            _cell(k, values[f] if f in values else getattr(r, f))
            for _, f, k in RELATIONSHIP_COLUMNS
        ]
        rel_rows.append(row + [r.custom.get(k, "") for k in rel_custom])
    aff_rows = []
    for a in wb.affiliations():
        values = {
            "person": names.get(a.person_id, ""),
            "organization": names.get(a.organization_id),
        }
        aff_rows.append(
            [
                _cell(k, values[f] if f in values else getattr(a, f))
                for _, f, k in AFFILIATION_COLUMNS
            ]
        )
    event_rows = [[_cell(k, getattr(e, f)) for _, f, k in EVENT_COLUMNS] for e in events]
    att_rows = []
    for a in wb.attendance():
        values = {"event": titles.get(a.event_id, ""), "member": names.get(a.member_id, "")}
        att_rows.append(
            [
                _cell(k, values[f] if f in values else getattr(a, f))
                for _, f, k in ATTENDANCE_COLUMNS
            ]
        )
    rel_ends = {r.id: (names.get(r.source_id, ""), names.get(r.target_id, "")) for r in rels}
    rating_rows = []
    for row in wb.rows("ratings"):
        source, target = rel_ends.get(row["relationship_id"], ("", ""))
        values = {"source": source, "target": target, "rated_on": _date(row["rated_on"])}
        rating_rows.append([values[f] if f in values else row[f] for _, f, _ in RATING_COLUMNS])
    snapshot_rows = []
    for row in wb.rows("snapshots"):
        measures = row["measures"]
        chunks = [measures[i : i + MEASURES_CHUNK] for i in range(0, len(measures), MEASURES_CHUNK)]
        snapshot_rows.append(
            [row["id"], _date(row["taken_on"]), row["taken_at"], row["label"], *chunks]
        )
    parts = max((len(r) - 4 for r in snapshot_rows), default=1)
    snapshot_extra = [f"Measures {i}" for i in range(2, parts + 1)]
    return [
        SheetSpec("Members", columns(MEMBER_COLUMNS, custom_keys), member_rows("person")),
        SheetSpec(
            "Organizations", columns(MEMBER_COLUMNS, custom_keys), member_rows("organization")
        ),
        SheetSpec("Affiliations", columns(AFFILIATION_COLUMNS, []), aff_rows),
        SheetSpec("Relationships", columns(RELATIONSHIP_COLUMNS, rel_custom), rel_rows),
        SheetSpec("Events", columns(EVENT_COLUMNS, []), event_rows),
        SheetSpec("Attendance", columns(ATTENDANCE_COLUMNS, []), att_rows),
        SheetSpec("Ratings", columns(RATING_COLUMNS, []), rating_rows),
        SheetSpec("Snapshots", columns(SNAPSHOT_COLUMNS, snapshot_extra), snapshot_rows),
        # The network's own settings (name, privacy, saved views…) as stored, JSON per value.
        SheetSpec(
            NETWORK_SHEET,
            [Column("Setting"), Column("Value", width=60)],
            [[r["key"], r["value"]] for r in sorted(wb.rows("settings"), key=lambda r: r["key"])],
        ),
    ]


def export(
    wb: Workbook, dest: Path, *, progress: Callable[[float, str], None] | None = None
) -> None:
    sheets = build_sheets(wb)

    def describe(sheet: str, row: int, col: int) -> str:
        spec = next(s for s in sheets if s.name == sheet)
        label = spec.rows[row - 1][1] if sheet in ("Members", "Organizations", "Events") else ""
        return f"sheet {sheet!r} row {row + 1}" + (f" ({label})" if label else "")

    write_xlsx(dest, sheets, describe=describe, progress=progress)
