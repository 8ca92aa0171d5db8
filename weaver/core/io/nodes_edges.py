"""Generic tables: node and edge tables (Gephi, member lists, survey exports), plain edge
lists, adjacency lists and adjacency matrices, from CSV or .xlsx. Kumu is the same reader
with Kumu's conventions switched on (see :mod:`kumu`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import DIRECTIONS
from .csv_text import WEAVER_MARKER
from .draft import (
    BadValue,
    Draft,
    LinkRow,
    MemberRow,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_items,
    split_list,
)
from .mapping import CUSTOM, MEMBER_FIELDS, RELATIONSHIP_FIELDS, map_headers, norm
from .plan import MappedColumn
from .safety import EXCEL_MAX_CELL_CHARS, has_control_chars, strip_control_chars
from .tables import Grid, Table, cell_text, is_blank, split_tables

FORMAT = "nodes-edges"

ORGANIZATION_WORDS = {
    "organization",
    "organisation",
    "org",
    "company",
    "nonprofit",
    "non-profit",
    "ngo",
    "foundation",
    "agency",
    "institution",
    "business",
    "funder",
    "network",
    "group",
}
PERSON_WORDS = {"person", "people", "individual", "member", "human", "contact"}
DIRECTION_WORDS = {
    "directed": "directed",
    "undirected": "undirected",
    "mutual": "mutual",
    "bidirectional": "mutual",
    "bidirected": "mutual",
}

# Overrides from the preview: (sheet, column index) -> field ("" ignores, "custom:X").
Overrides = Mapping[tuple[str, int], str]


@dataclass
class Options:
    multi_separator: str = ";|"  # how multi-value cells (tags) are split
    blank_rows_split: int = 10**9  # Kumu: two blank rows start a new header block
    skip_ignored_sheets: bool = False  # Kumu: sheets named "(ignore)" are skipped
    format: str = FORMAT
    # When the file has a nodes table, an edge naming someone not in it (nor in the network)
    # is reported and skipped: usually a typo or a wrong id, and a member made from it would
    # be a silent duplicate. True creates such members (Gephi and Kumu's own behaviour).
    # Plain edge lists, with no nodes table, always create their members: that is their use.
    create_missing_members: bool = False


def read(
    grids: list[Grid], file: str, overrides: Overrides | None = None, options: Options | None = None
) -> Draft:
    options = options or Options()
    draft = Draft(
        file, options.format, create_endpoints=True, create_organizations=True, member_sheet=""
    )
    found = False
    node_sheets: set[str] = set()  # sheets holding a nodes table: the file's member list
    for grid in grids:
        if options.skip_ignored_sheets and "(ignore)" in grid.sheet.casefold():
            draft.notices.append(f"sheet {grid.sheet!r} is marked (ignore) and was skipped")
            continue
        tables = split_tables(grid, blank_rows_split=options.blank_rows_split)
        if not tables:
            if len(grids) == 1:
                draft.problem(
                    "is empty: there is nothing to import", sheet=grid.sheet, blocking=True
                )
            continue
        for table in tables:
            found |= _read_table(draft, table, overrides or {}, options, node_sheets)
    if not found and not draft.blocking_problems():
        draft.problem(
            "has no recognizable header: Weaver looks for a 'Name' or 'Label' column for "
            "members, or 'Source' and 'Target' (or 'From' and 'To') columns for relationships "
            "(in the import preview, the Columns tab can say which column is which)",
            blocking=True,
        )
    if node_sheets and not options.create_missing_members:
        _only_listed_members(draft, node_sheets)
    return draft


# Said when edges name people the file's members list lacks; the import dialog offers the
# "create missing members" choice when it sees this notice.
MISSING_MEMBERS_NOTICE = (
    "relationships naming someone who is not in the file's list of members (nor already in "
    "the network) are skipped, each reported; to add such people as new members instead, "
    "import again with 'create missing members' (weaver import --create-missing-members)"
)


def _only_listed_members(draft: Draft, node_sheets: set[str]) -> None:
    """The file lists its members: an edge end missing from that list (and from the network)
    is reported by the resolver, row by row, and the edge skipped instead of a member made."""
    draft.create_endpoints = False
    if len(node_sheets) == 1 and (sheet := next(iter(node_sheets))):
        draft.member_sheet = sheet  # "… who is not in the Elements sheet"
    listed = {key for m in draft.members for key in (m.key, m.id, m.fields.get("name")) if key}
    ends = {end for link in draft.relationships for end in (link.a, link.b) if end}
    if ends - listed:
        draft.notices.append(MISSING_MEMBERS_NOTICE)


def _classify(table: Table, overrides: Overrides) -> tuple[str, dict[int, str]]:
    ov = {i: f for (s, i), f in overrides.items() if s == table.sheet}
    rel_cols = map_headers(table.headers, RELATIONSHIP_FIELDS, ov)
    fields = set(rel_cols.values())
    if {"source", "target"} <= fields:
        return "edges", _own_marker(table, rel_cols, ov)
    if _is_matrix(table):
        return "matrix", {}
    member_cols = map_headers(table.headers, MEMBER_FIELDS, ov)
    if {"name", "id"} & set(member_cols.values()):
        return "nodes", _own_marker(table, member_cols, ov)
    if _is_adjacency_list(table):
        return "adjacency", {}
    return "", {}


def _own_marker(table: Table, cols: dict[int, str], overrides: Mapping[int, str]) -> dict[int, str]:
    """Weaver's own node table repeats its ``Id`` in a last ``Weaver ID`` column (the mark of a
    file whose text was escaped against formula injection): not a custom field."""
    for i, f in cols.items():
        if i not in overrides and f == CUSTOM + WEAVER_MARKER and table.headers[i] == WEAVER_MARKER:
            cols[i] = ""
    return cols


def _is_matrix(table: Table) -> bool:
    headers = table.headers
    if len(headers) < 2 or headers[0].strip() or not table.rows:
        return False
    labels = {h.strip() for h in headers[1:] if h.strip()}
    row_labels = [cell_text(r[0]).strip() for _, r in table.rows if r]
    numeric = 0
    for _, r in table.rows[:20]:
        for c in r[1:]:
            try:
                if parse_float(c) is not None:
                    numeric += 1
            except BadValue:
                return False
    return bool(labels) and numeric > 0 and len(set(row_labels) & labels) >= len(labels) // 2


def _is_adjacency_list(table: Table) -> bool:
    all_rows = [table.headers, *[[cell_text(c) for c in r] for _, r in table.rows]]
    lengths = {len([c for c in r if str(c).strip()]) for r in all_rows}
    if len(lengths) < 2:
        return False  # rectangular: a table whose header Weaver does not know
    for r in all_rows:
        for c in r:
            text = str(c).strip()
            if len(text) > 100 or (text and parse_number_like(text)):
                return False
    return True


def parse_number_like(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _note_columns(draft: Draft, table: Table, cols: dict[int, str], holds: str) -> None:
    for i, f in cols.items():
        draft.columns.append(MappedColumn(table.sheet, i, table.column(i), f, holds))


def _text(draft: Draft, table: Table, number: int, i: int, cell: Any) -> str | None:
    """A cell as clean text, or None (with a problem) when it cannot be taken. Outer spaces
    are kept (notes keep their layout); callers strip what is a name or a key."""
    text = cell_text(cell)
    if len(text) > EXCEL_MAX_CELL_CHARS:
        draft.problem(
            f"cell holds {len(text):,} characters, more than a spreadsheet cell can "
            f"({EXCEL_MAX_CELL_CHARS:,}); the file looks damaged",
            sheet=table.sheet,
            row=number,
            column=table.column(i),
            blocking=True,
        )
        return None
    if has_control_chars(text):
        draft.problem(
            "cell holds control characters; they were removed",
            sheet=table.sheet,
            row=number,
            column=table.column(i),
        )
        text = strip_control_chars(text)
    return text


def _read_table(
    draft: Draft, table: Table, overrides: Overrides, options: Options, node_sheets: set[str]
) -> bool:
    kind, cols = _classify(table, overrides)
    if kind == "edges":
        _note_columns(draft, table, cols, "relationships")
        _read_edges(draft, table, cols, options)
    elif kind == "nodes":
        _note_columns(draft, table, cols, "members")
        _read_nodes(draft, table, cols, options)
        node_sheets.add(table.sheet)
    elif kind == "matrix":
        draft.notices.append(f"{_where(table)} read as an adjacency matrix")
        _read_matrix(draft, table)
    elif kind == "adjacency":
        draft.notices.append(
            f"{_where(table)} read as an adjacency list: the first name in each row is "
            "linked to every other name in that row"
        )
        _read_adjacency(draft, table)
    else:
        # Still list its columns, so the preview can say which one holds the names.
        _note_columns(draft, table, map_headers(table.headers, MEMBER_FIELDS), "members")
        return False
    # A matrix's first column holds its row names under a corner cell that is blank by
    # design: that cell is not a missing header.
    _check_merged_headers(draft, table, named_by_rows=(0,) if kind == "matrix" else ())
    return True


def _where(table: Table) -> str:
    return f"sheet {table.sheet!r}" if table.sheet else "the file"


def _check_merged_headers(draft: Draft, table: Table, named_by_rows: tuple[int, ...] = ()) -> None:
    """A blank header over a column with data: usually merged header cells.

    ``named_by_rows``: columns whose header is blank by design (a matrix's row names)."""
    width = max((len(r) for _, r in table.rows), default=0)
    for i in range(width):
        if (i < len(table.headers) and table.headers[i]) or i in named_by_rows:
            continue
        if any(i < len(r) and not is_blank(r[i]) for _, r in table.rows):
            draft.problem(
                "column has data but no header (merged header cells?); it was ignored — "
                "unmerge the header cells and name each column",
                sheet=table.sheet,
                row=table.header_row,
                column=table.column(i),
            )


def _read_nodes(draft: Draft, table: Table, cols: dict[int, str], options: Options) -> None:
    for number, cells in table.rows:
        fields: dict[str, Any] = {}
        custom: dict[str, str] = {}
        orgs: list[str] = []
        ok = True
        key = ""
        for i, f in cols.items():
            if not f or i >= len(cells) or is_blank(cells[i]):
                continue
            text = _text(draft, table, number, i, cells[i])
            if text is None:
                ok = False
                continue
            if f == "notes":
                fields[f] = text
                continue
            text = text.strip()
            if f.startswith(CUSTOM):
                custom[f[len(CUSTOM) :]] = text
                continue
            try:
                if f == "id":
                    key = text
                elif f == "type":
                    word = norm(text)
                    if word in {norm(w) for w in ORGANIZATION_WORDS}:
                        fields["kind"] = "organization"
                    elif word in PERSON_WORDS:
                        fields["kind"] = "person"
                    else:
                        custom[table.headers[i]] = text
                elif f == "kind":
                    fields["kind"] = (
                        "organization"
                        if norm(text) in {norm(w) for w in ORGANIZATION_WORDS}
                        else "person"
                    )
                elif f == "organization":
                    orgs += split_list(text, options.multi_separator)
                elif f == "tags":
                    fields["tags"] = tuple(split_list(text, options.multi_separator))
                elif f in ("offers", "needs"):
                    fields[f] = parse_items(text, "\n|;")
                elif f == "joined_on":
                    fields[f] = parse_date(cells[i])
                elif f == "consent":
                    word = norm(text)
                    fields[f] = (
                        "not_asked"
                        if word in ("notasked", "unknown")
                        else "yes"
                        if parse_bool(text)
                        else "no"
                    )
                elif f in ("x", "y"):
                    fields[f] = parse_float(cells[i])
                else:
                    fields[f] = text
            except BadValue as exc:
                draft.problem(
                    f"{exc}; value ignored", sheet=table.sheet, row=number, column=table.column(i)
                )
        if not ok:
            draft.skip("members")
            continue
        if not fields.get("name"):
            if key:
                fields["name"] = key  # Gephi: a node without a label shows its id
            else:
                if fields or custom:
                    draft.problem(
                        "has no name; row skipped",
                        sheet=table.sheet,
                        row=number,
                        column=_header_of(table, cols, "name"),
                    )
                    draft.skip("members")
                continue
        row = MemberRow(table.sheet, number, fields, custom, key, key=key or fields["name"])
        row.organizations = orgs
        draft.members.append(row)
        for org in orgs:
            draft.affiliations.append(
                LinkRow(
                    table.sheet,
                    number,
                    {},
                    {},
                    "",
                    a=row.key,
                    b=org,
                    a_column=_header_of(table, cols, "name"),
                    b_column=_header_of(table, cols, "organization"),
                )
            )


def _header_of(table: Table, cols: dict[int, str], field: str) -> str:
    return next((table.column(i) for i, f in cols.items() if f == field), field)


def _read_edges(draft: Draft, table: Table, cols: dict[int, str], options: Options) -> None:
    src_col, tgt_col = _header_of(table, cols, "source"), _header_of(table, cols, "target")
    for number, cells in table.rows:
        fields: dict[str, Any] = {}
        custom: dict[str, str] = {}
        ends = {"source": "", "target": ""}
        row_id, label, weight, ok = "", "", None, True
        for i, f in cols.items():
            if not f or i >= len(cells) or is_blank(cells[i]):
                continue
            text = _text(draft, table, number, i, cells[i])
            if text is None:
                ok = False
                continue
            if f != "notes":
                text = text.strip()
            if f.startswith(CUSTOM):
                custom[f[len(CUSTOM) :]] = text
                continue
            try:
                if f in ends:
                    ends[f] = text
                elif f == "id":
                    row_id = text
                elif f in ("type", "direction"):
                    direction = DIRECTION_WORDS.get(text.casefold())
                    if direction in DIRECTIONS:
                        fields["direction"] = direction
                    elif f == "type":
                        fields["kind"] = text
                    else:
                        raise BadValue(f"'{text}' is not directed, undirected or mutual")
                elif f == "kind":
                    fields["kind"] = text
                elif f == "strength":
                    fields["strength"] = parse_int(cells[i], 1, 5)
                elif f == "weight":
                    weight = parse_float(cells[i])
                    if weight is not None:
                        custom["weight"] = _num(weight)
                        if 1 <= weight <= 5 and weight.is_integer():
                            fields.setdefault("strength", int(weight))
                elif f == "label":
                    label = text
                elif f in ("since", "ended_on"):
                    fields[f] = parse_date(cells[i])
                elif f == "tags":
                    custom["tags"] = " | ".join(split_list(text, options.multi_separator))
                else:
                    fields[f] = text
            except BadValue as exc:
                draft.problem(
                    f"{exc}; value ignored", sheet=table.sheet, row=number, column=table.column(i)
                )
        if not ok:
            draft.skip("relationships")
            continue
        if label:
            if "kind" not in fields:
                fields["kind"] = label
            elif label != fields["kind"]:
                custom["label"] = label
        if weight is not None and fields.get("strength") == weight:
            custom.pop("weight", None)  # the weight only repeats the strength (Weaver's export)
        if not ends["source"] and not ends["target"] and not fields and not custom:
            continue
        link = LinkRow(
            table.sheet,
            number,
            fields,
            custom,
            "",
            a=ends["source"],
            b=ends["target"],
            a_column=src_col,
            b_column=tgt_col,
            weight=weight,
        )
        # A node-edge row id is the file's own key, never a Weaver id unless it is one.
        link.id = row_id if _looks_like_uuid(row_id) else ""
        draft.relationships.append(link)


def _looks_like_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _read_matrix(draft: Draft, table: Table) -> None:
    """Every name of the matrix is a member, even one whose row and column are all zero
    (a member with no ties yet); each non-zero cell is a tie from its row to its column."""
    labels = [h.strip() for h in table.headers[1:]]
    named: set[str] = set()

    def member(name: str, number: int) -> None:
        if name and name not in named:
            named.add(name)
            draft.members.append(MemberRow(table.sheet, number, {"name": name}, key=name))

    for number, cells in table.rows:
        source = cell_text(cells[0]).strip() if cells else ""
        member(source, number)
    for label in labels:
        member(label, table.header_row)
    for number, cells in table.rows:
        source = cell_text(cells[0]).strip() if cells else ""
        if not source:
            continue
        for j, cell in enumerate(cells[1:]):
            if j >= len(labels) or not labels[j]:
                continue
            try:
                weight = parse_float(cell)
            except BadValue as exc:
                draft.problem(
                    f"{exc}; cell ignored",
                    sheet=table.sheet,
                    row=number,
                    column=table.column(j + 1),
                )
                continue
            if not weight:
                continue
            fields: dict[str, Any] = {"direction": "directed"}
            if 1 <= weight <= 5 and weight.is_integer():
                fields["strength"] = int(weight)
            draft.relationships.append(
                LinkRow(
                    table.sheet,
                    number,
                    fields,
                    {"weight": _num(weight)},
                    "",
                    a=source,
                    b=labels[j],
                    a_column=table.column(0),
                    b_column=table.column(j + 1),
                    weight=weight,
                )
            )


def _read_adjacency(draft: Draft, table: Table) -> None:
    rows = [
        (table.header_row, table.headers),
        *[(n, [cell_text(c) for c in r]) for n, r in table.rows],
    ]
    for number, cells in rows:
        names = [str(c).strip() for c in cells if str(c).strip()]
        if not names:
            continue
        draft.members.append(MemberRow(table.sheet, number, {"name": names[0]}, key=names[0]))
        for other in names[1:]:
            draft.relationships.append(
                LinkRow(
                    table.sheet,
                    number,
                    {"direction": "directed"},
                    {},
                    "",
                    a=names[0],
                    b=other,
                    a_column="A",
                    b_column="B",
                )
            )
