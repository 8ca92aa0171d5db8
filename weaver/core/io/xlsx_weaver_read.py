"""Read the Weaver workbook into a draft: columns found by header, cells parsed per field.

The draft is complete (the workbook is the whole record): blank cells clear fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..ratings import RATING_MAX, RATING_MIN, SCORE_FIELDS
from .draft import (
    BadValue,
    Draft,
    LinkRow,
    MemberRow,
    Row,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_items,
    split_list,
)
from .mapping import CUSTOM, norm
from .plan import MappedColumn
from .tables import Grid, Table, cell_text, is_blank, split_tables
from .xlsx_weaver_sheets import FORMAT, NETWORK_SHEET, REQUIRED, SHEET_ENTITY, SHEETS


def looks_like_weaver(grids: list[Grid]) -> bool:
    names = {g.sheet for g in grids}
    if not ({"Members", "Organizations"} & names):
        return False
    for g in grids:
        if g.sheet in ("Members", "Organizations") and g.rows:
            first = [norm(cell_text(c)) for c in g.rows[0]]
            return "id" in first and "name" in first and "createdat" in first
    return False


def _column_map(table: Table, spec: list[tuple[str, str, str]]) -> dict[int, str]:
    by_header = {norm(h): f for h, f, _ in spec}
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, header in enumerate(table.headers):
        f = by_header.get(norm(header))
        if not header.strip():
            out[i] = ""
        elif f and f not in taken:
            out[i] = f
            taken.add(f)
        else:
            out[i] = CUSTOM + header.strip()
    return out


_MEASURES_PART = re.compile(r"measures\s*(\d+)")


def _no_custom_fields(draft: Draft, table: Table, cols: dict[int, str]) -> list[int]:
    """Ratings and snapshots have no custom fields: other columns are ignored (with a notice),
    except a snapshot's "Measures 2", "Measures 3"… which continue its measures. Returns
    those continuation columns in order."""
    parts: list[tuple[int, int]] = []
    for i, f in cols.items():
        if not f.startswith(CUSTOM):
            continue
        header = f[len(CUSTOM) :]
        found = _MEASURES_PART.fullmatch(header.casefold())
        if table.sheet == "Snapshots" and found:
            parts.append((int(found.group(1)), i))
            cols[i] = "measures"
            continue
        cols[i] = ""
        draft.notices.append(
            f"column {header!r} of sheet {table.sheet!r} is not part of a Weaver workbook; ignored"
        )
    return [i for _, i in sorted(parts)]


def read(grids: list[Grid], file: str, overrides: Mapping | None = None) -> Draft:
    draft = Draft(file, FORMAT, complete=True)
    for grid in grids:
        if grid.sheet == NETWORK_SHEET:
            _read_settings(draft, grid)
            continue
        if grid.sheet not in SHEETS:
            if any(not is_blank(c) for r in grid.rows for c in r):
                draft.notices.append(
                    f"sheet {grid.sheet!r} is not part of a Weaver workbook; ignored"
                )
            continue
        tables = split_tables(grid, blank_rows_split=10**9)
        if not tables:
            continue
        table = tables[0]
        spec = SHEETS[grid.sheet]
        cols = _column_map(table, spec)
        if overrides:
            cols.update({i: f for (s, i), f in overrides.items() if s == grid.sheet})
        holds = SHEET_ENTITY[grid.sheet]
        measures_parts: list[int] = []
        if holds in ("ratings", "snapshots"):
            measures_parts = _no_custom_fields(draft, table, cols)
        for i, f in cols.items():
            draft.columns.append(MappedColumn(grid.sheet, i, table.column(i), f, holds))
        required = REQUIRED[grid.sheet]
        fields = set(cols.values())
        needs = {required} if required not in ("source", "person", "event") else set()
        if required == "source" and not (
            {"source", "source_id"} & fields and {"target", "target_id"} & fields
        ):
            draft.problem(
                "needs 'Source' (or 'Source ID') and 'Target' (or 'Target ID') columns",
                sheet=grid.sheet,
                row=table.header_row,
                blocking=True,
            )
            continue
        if needs - fields:
            header = next(h for h, f, _ in spec if f == required)
            draft.problem(
                f"has no '{header}' column",
                sheet=grid.sheet,
                row=table.header_row,
                column=header,
                blocking=True,
            )
            continue
        draft.sheets.add(holds)
        _read_rows(draft, table, grid.sheet, cols, measures_parts)
    if not any(g.sheet in ("Members", "Organizations") for g in grids):
        draft.problem("has no Members sheet", blocking=True)
    return draft


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "joined_on": parse_date,
    "since": parse_date,
    "ended_on": parse_date,
    "date": parse_date,
    "end_date": parse_date,
    "pinned": parse_bool,
    "in_person": parse_bool,
    "trust_building": parse_bool,
    "x": parse_float,
    "y": parse_float,
    "strength": lambda c: (
        int(c) if type(c) is float and c.is_integer() and 1 <= c <= 5 else parse_int(c, 1, 5)
    ),
    "tags": lambda c: () if c is None or c == "" else tuple(split_list(cell_text(c), "\n|")),
    "offers": lambda c: () if c is None or c == "" else parse_items(cell_text(c), "\n"),
    "needs": lambda c: () if c is None or c == "" else parse_items(cell_text(c), "\n"),
    "rated_on": parse_date,
    "taken_on": parse_date,
    **{f: (lambda c: parse_int(c, RATING_MIN, RATING_MAX)) for f in SCORE_FIELDS},
}
_DEFAULTS: dict[str, Any] = {
    "consent": "not_asked",
    "kind": None,  # relationship/event kind: model default when blank
    "direction": "undirected",
    "strength": 3,
    "role": "",
    "in_person": True,
}


_NO_DEFAULT = object()
_TIMESTAMPS = ("created_at", "updated_at", "taken_at")


def _plan_columns(
    cols: dict[int, str], skip: list[int] | None = None
) -> list[tuple[int, str, Any, bool, Any]]:
    """Per column, decided once per sheet: (index, field, parser, is_custom, default)."""
    out = []
    for i, f in cols.items():
        if not f or (skip and i in skip):
            continue
        if f.startswith(CUSTOM):
            out.append((i, f[len(CUSTOM) :], None, True, _NO_DEFAULT))
        else:
            out.append((i, f, _PARSERS.get(f), False, _DEFAULTS.get(f, _NO_DEFAULT)))
    return out


def _values(
    draft: Draft,
    table: Table,
    number: int,
    cells: list[Any],
    plan: list[tuple[int, str, Any, bool, Any]],
) -> tuple[dict[str, Any], dict[str, str], bool]:
    fields: dict[str, Any] = {}
    custom: dict[str, str] = {}
    ok = True
    n = len(cells)
    for i, f, parse, is_custom, default in plan:
        cell = cells[i] if i < n else None
        if is_custom:
            text = cell if type(cell) is str else cell_text(cell)
            if text:
                custom[f] = text
            continue
        if parse is None:
            value = cell if type(cell) is str else cell_text(cell)
        else:
            try:
                value = parse(cell)
            except BadValue as exc:
                draft.problem(
                    f"{exc}; row skipped", sheet=table.sheet, row=number, column=table.column(i)
                )
                ok = False
                continue
        if value is None or value == "":
            if default is not _NO_DEFAULT:
                if default is None:
                    continue
                value = default
            elif f in _TIMESTAMPS:
                continue
        fields[f] = value
    return fields, custom, ok


_LINK_KEYS = {
    "relationships": ("source_id", "source", "target_id", "target"),
    "affiliations": ("person_id", "person", "organization_id", "organization"),
    "attendance": ("member_id", "member", "event_id", "event"),
}


def _read_rows(
    draft: Draft, table: Table, sheet: str, cols: dict[int, str], measures_parts: list[int]
) -> None:
    entity = SHEET_ENTITY[sheet]
    plan = _plan_columns(cols, measures_parts)
    if entity == "ratings":
        _read_ratings(draft, table, cols, plan)
        return
    if entity == "snapshots":
        _read_snapshots(draft, table, cols, plan, measures_parts)
        return
    kind = "organization" if sheet == "Organizations" else "person"
    if entity in _LINK_KEYS:
        a_id, a_name, b_id, b_name = _LINK_KEYS[entity]
        ends = {a_id, a_name, b_id, b_name}
        headers = {f: _header(table, cols, f) for f in ends}
        target = getattr(draft, entity)
    for number, cells in table.rows:
        fields, custom, ok = _values(draft, table, number, cells, plan)
        if not ok:
            draft.skip(entity)
            continue
        row_id = str(fields.pop("id", "") or "")
        if entity == "members":
            fields["kind"] = kind
            fields.setdefault("pinned", False)
            draft.members.append(
                MemberRow(
                    sheet, number, fields, custom, row_id, key=row_id or fields.get("name", "")
                )
            )
        elif entity == "events":
            draft.events.append(Row(sheet, number, fields, custom, row_id))
        else:
            link = LinkRow(sheet, number, {}, custom, row_id)
            a, b = fields.get(a_id), fields.get(b_id)
            link.a, link.a_is_id = (a, True) if a else (fields.get(a_name, ""), False)
            link.b, link.b_is_id = (b, True) if b else (fields.get(b_name, ""), False)
            link.a_column = headers[a_id if link.a_is_id else a_name]
            link.b_column = headers[b_id if link.b_is_id else b_name]
            link.fields = {k: v for k, v in fields.items() if k not in ends}
            target.append(link)


def _read_ratings(draft: Draft, table: Table, cols: dict[int, str], plan: list) -> None:
    """A rating names its relationship by id; typed in by hand, by its two members' names."""
    headers = {f: _header(table, cols, f) for f in ("relationship_id", "source", "target")}
    for number, cells in table.rows:
        fields, _custom, ok = _values(draft, table, number, cells, plan)
        if not ok:
            draft.skip("ratings")
            continue
        row_id = str(fields.pop("id", "") or "")
        rel_id = str(fields.pop("relationship_id", "") or "").strip()
        source = str(fields.pop("source", "") or "").strip()
        target = str(fields.pop("target", "") or "").strip()
        link = LinkRow(table.sheet, number, fields, {}, row_id)
        if rel_id:
            link.a, link.a_is_id, link.a_column = rel_id, True, headers["relationship_id"]
        else:
            link.a, link.a_column = source, headers["source"]
            link.b, link.b_column = target, headers["target"]
        draft.ratings.append(link)


def _read_snapshots(
    draft: Draft, table: Table, cols: dict[int, str], plan: list, measures_parts: list[int]
) -> None:
    column = _header(table, cols, "measures")
    for number, cells in table.rows:
        fields, _custom, ok = _values(draft, table, number, cells, plan)
        if not ok:
            draft.skip("snapshots")
            continue
        text = str(fields.get("measures", "") or "") + "".join(
            cell_text(cells[i]) for i in measures_parts if i < len(cells)
        )
        try:
            measures = json.loads(text) if text.strip() else {}
        except ValueError:
            measures = None
        if not isinstance(measures, dict):
            draft.problem(
                "is not a snapshot's measures (JSON); row skipped",
                sheet=table.sheet,
                row=number,
                column=column,
            )
            draft.skip("snapshots")
            continue
        fields["measures"] = measures
        row_id = str(fields.pop("id", "") or "")
        draft.snapshots.append(Row(table.sheet, number, fields, {}, row_id))


def _header(table: Table, cols: dict[int, str], field: str) -> str:
    for i, f in cols.items():
        if f == field:
            return table.column(i)
    return field


def _read_settings(draft: Draft, grid: Grid) -> None:
    """Setting | Value (JSON) rows; a value that is not JSON is reported and skipped."""
    for i, row in enumerate(grid.rows[1:], start=2):
        key = cell_text(row[0]).strip() if row else ""
        if not key:
            continue
        text = cell_text(row[1]) if len(row) > 1 else ""
        try:
            json.loads(text)
        except ValueError:
            draft.problem(
                "is not a valid setting value (JSON); setting skipped",
                sheet=grid.sheet,
                row=i,
                column="Value",
            )
            continue
        draft.settings[key] = text
