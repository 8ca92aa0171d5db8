"""Write the Weaver workbook: every table of a network as its own sheet, ids included."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..privacy import ShareView
from ..store import Document
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


def build_sheets(wb: Document, *, include_private: bool = True) -> list[SheetSpec]:
    """Every sheet of the workbook. Without ``include_private`` it is the shared copy: the
    private fields' columns are left out (re-imported, a missing column changes nothing), and
    so is every member who did not consent, with all that is theirs (ties, affiliations,
    attendance, ratings, per-member snapshot figures): an anonymous row would overwrite their
    name when the copy came back."""
    everyone = wb.members()  # read once: the view and the sheets both need them
    view = ShareView(everyone, wb.settings(), include_private=include_private)
    withheld = {m.id for m in everyone if view.is_anonymous(m.id)}
    members = [view.member(m) for m in everyone if m.id not in withheld]
    names = {m.id: m.name for m in members}
    custom_keys = sorted({k for m in members for k in m.custom})
    rels = [
        view.relationship(r)
        for r in wb.relationships()
        if r.source_id not in withheld and r.target_id not in withheld
    ]
    rel_custom = sorted({k for r in rels for k in r.custom})
    member_spec = [c for c in MEMBER_COLUMNS if c[1] not in view.private.members]
    rel_spec = [c for c in RELATIONSHIP_COLUMNS if c[1] not in view.private.relationships]
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
            row = [_cell(k, values[f] if f in values else getattr(m, f)) for _, f, k in member_spec]
            rows.append(row + [m.custom.get(k, "") for k in custom_keys])
        return rows

    def columns(spec: list[tuple[str, str, str]], extra: list[str]) -> list[Column]:
        return [Column(h, k) for h, _, k in spec] + [Column(k) for k in extra]

    rel_rows = []
    for r in rels:
        values = {"source": names.get(r.source_id, ""), "target": names.get(r.target_id, "")}
        row = [_cell(k, values[f] if f in values else getattr(r, f)) for _, f, k in rel_spec]
        rel_rows.append(row + [r.custom.get(k, "") for k in rel_custom])
    aff_rows = []
    for a in wb.affiliations():
        if a.person_id in withheld or a.organization_id in withheld:
            continue
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
        if a.member_id in withheld:
            continue
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
        if row["relationship_id"] not in rel_ends:
            continue  # a tie of a member left out
        source, target = rel_ends.get(row["relationship_id"], ("", ""))
        values = {"source": source, "target": target, "rated_on": _date(row["rated_on"])}
        rating_rows.append([values[f] if f in values else row[f] for _, f, _ in RATING_COLUMNS])
    snapshot_rows = []
    for row in wb.rows("snapshots"):
        measures = row["measures"] if not withheld else _without(row["measures"], withheld)
        chunks = [measures[i : i + MEASURES_CHUNK] for i in range(0, len(measures), MEASURES_CHUNK)]
        snapshot_rows.append(
            [row["id"], _date(row["taken_on"]), row["taken_at"], row["label"], *chunks]
        )
    parts = max((len(r) - 4 for r in snapshot_rows), default=1)
    snapshot_extra = [f"Measures {i}" for i in range(2, parts + 1)]
    return [
        SheetSpec("Members", columns(member_spec, custom_keys), member_rows("person")),
        SheetSpec("Organizations", columns(member_spec, custom_keys), member_rows("organization")),
        SheetSpec("Affiliations", columns(AFFILIATION_COLUMNS, []), aff_rows),
        SheetSpec("Relationships", columns(rel_spec, rel_custom), rel_rows),
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


def _without(measures_json: str, member_ids: set[str]) -> str:
    """Snapshot measures (JSON, see ``health.snapshot_measures``) without the members in
    ``member_ids``: their names, their ties and their recent meetings go; the network's
    totals (scorecard, stage) stay as they were measured."""
    measures = json.loads(measures_json)
    if isinstance(measures.get("members"), dict):
        measures["members"] = {k: v for k, v in measures["members"].items() if k not in member_ids}
    if isinstance(measures.get("ties"), list):
        measures["ties"] = [t for t in measures["ties"] if not set(t) & member_ids]
    if isinstance(measures.get("in_person_recent"), list):
        measures["in_person_recent"] = [
            m for m in measures["in_person_recent"] if m not in member_ids
        ]
    return json.dumps(measures, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export(
    wb: Document,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    sheets = build_sheets(wb, include_private=include_private)

    def describe(sheet: str, row: int, col: int) -> str:
        spec = next(s for s in sheets if s.name == sheet)
        label = spec.rows[row - 1][1] if sheet in ("Members", "Organizations", "Events") else ""
        return f"sheet {sheet!r} row {row + 1}" + (f" ({label})" if label else "")

    write_xlsx(dest, sheets, describe=describe, progress=progress)
