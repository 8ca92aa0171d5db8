"""The Weaver workbook: the complete record of a network as an .xlsx file.

Sheets Members (people), Organizations, Affiliations, Relationships, Events, Attendance,
Ratings (dated trust/value ratings of relationships) and Snapshots (health measures of a day),
ids included, custom fields as extra columns, plus the Network settings. Export -> edit in
Excel -> import updates by id: changed cells change, new rows add, nothing duplicates, and a
round trip with no edits changes nothing (timestamps included).

Layout in :mod:`xlsx_weaver_sheets`, writing in :mod:`xlsx_weaver_write`, reading in
:mod:`xlsx_weaver_read`; the names stay importable from here.
"""

from __future__ import annotations

from .xlsx_weaver_read import (
    _DEFAULTS,
    _LINK_KEYS,
    _MEASURES_PART,
    _NO_DEFAULT,
    _PARSERS,
    _TIMESTAMPS,
    _column_map,
    _header,
    _no_custom_fields,
    _plan_columns,
    _read_ratings,
    _read_rows,
    _read_settings,
    _read_snapshots,
    _values,
    looks_like_weaver,
    read,
)
from .xlsx_weaver_sheets import (
    AFFILIATION_COLUMNS,
    ATTENDANCE_COLUMNS,
    EVENT_COLUMNS,
    FORMAT,
    MEASURES_CHUNK,
    MEMBER_COLUMNS,
    NETWORK_SHEET,
    RATING_COLUMNS,
    RELATIONSHIP_COLUMNS,
    REQUIRED,
    SHEET_ENTITY,
    SHEETS,
    SNAPSHOT_COLUMNS,
)
from .xlsx_weaver_write import _cell, _date, build_sheets, export

__all__ = [
    "AFFILIATION_COLUMNS",
    "ATTENDANCE_COLUMNS",
    "EVENT_COLUMNS",
    "FORMAT",
    "MEASURES_CHUNK",
    "MEMBER_COLUMNS",
    "NETWORK_SHEET",
    "RATING_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "REQUIRED",
    "SHEETS",
    "SHEET_ENTITY",
    "SNAPSHOT_COLUMNS",
    "_DEFAULTS",
    "_LINK_KEYS",
    "_MEASURES_PART",
    "_NO_DEFAULT",
    "_PARSERS",
    "_TIMESTAMPS",
    "_cell",
    "_column_map",
    "_date",
    "_header",
    "_no_custom_fields",
    "_plan_columns",
    "_read_ratings",
    "_read_rows",
    "_read_settings",
    "_read_snapshots",
    "_values",
    "build_sheets",
    "export",
    "looks_like_weaver",
    "read",
]
