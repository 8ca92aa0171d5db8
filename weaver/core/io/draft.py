"""What a reader found in a file, before it is matched against the open network.

Readers fill a :class:`Draft` with rows that name members by the file's own keys (an id, a
label); :mod:`resolve` turns it into an :class:`~weaver.core.io.plan.ImportPlan`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..model import VALUE_TYPES, ValueItem
from .plan import MappedColumn, Problem
from .tables import cell_text


@dataclass
class Row:
    sheet: str
    row: int | None
    fields: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    id: str = ""


@dataclass
class MemberRow(Row):
    key: str = ""  # how other rows of this file refer to it (id or label)
    organizations: list[str] = field(default_factory=list)


@dataclass
class LinkRow(Row):
    """A row joining two things by the file's keys: relationship, affiliation or attendance."""

    a: str = ""
    b: str = ""
    a_column: str = ""
    b_column: str = ""
    a_is_id: bool = False  # the key is an id (a miss blocks) rather than a name (a miss skips)
    b_is_id: bool = False
    weight: float | None = None


@dataclass
class Draft:
    file: str
    format: str
    members: list[MemberRow] = field(default_factory=list)
    relationships: list[LinkRow] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    attendance: list[LinkRow] = field(default_factory=list)
    affiliations: list[LinkRow] = field(default_factory=list)
    # Ratings name their relationship in ``a`` (an id, or with ``b`` two member names).
    ratings: list[LinkRow] = field(default_factory=list)
    snapshots: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[MappedColumn] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # The Weaver workbook is the complete record: blank cells clear fields, and pruning may
    # remove any entity the file leaves out.
    complete: bool = False
    # Edge tables and lists create members for names they mention (Gephi, Kumu do too).
    create_endpoints: bool = False
    # A members table's organization column creates the organizations it names.
    create_organizations: bool = False
    # Where the members of this file live, for messages ("not in the Members sheet").
    member_sheet: str = "Members"
    # Network settings (key -> JSON text) from a Weaver workbook's Network sheet.
    settings: dict[str, str] = field(default_factory=dict)
    # Tables whose sheet the file has (a header row), even with no rows left: with prune, a
    # complete file's empty sheet removes them all, a missing sheet says nothing about them.
    sheets: set[str] = field(default_factory=set)
    # Set when a row limit or the like made the reader stop early.
    skipped: dict[str, int] = field(default_factory=dict)

    def problem(
        self,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        blocking: bool = False,
    ) -> None:
        self.problems.append(Problem(self.file, message, sheet, row, column, blocking))

    def blocking_problems(self) -> bool:
        return any(p.blocking for p in self.problems)

    def skip(self, entity: str, n: int = 1) -> None:
        self.skipped[entity] = self.skipped.get(entity, 0) + n


# ---- parsing cell values -----------------------------------------------------------------


class BadValue(ValueError):
    pass


def parse_date(cell: Any) -> dt.date | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = cell_text(cell).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text[:19] if "T" in fmt else text, fmt).date()
        except ValueError:
            continue
    raise BadValue(f"'{text}' is not a date (use YYYY-MM-DD)")


def parse_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell).strip().casefold()
    if text in ("1", "yes", "y", "true", "x", "✓", "oui", "ja", "si", "sí"):
        return True
    if text in ("", "0", "no", "n", "false", "non", "nein"):
        return False
    raise BadValue(f"'{cell_text(cell)}' is not yes or no")


def parse_float(cell: Any) -> float | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        raise BadValue(f"'{cell}' is not a number")
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadValue(f"'{cell}' is not a number") from None


def parse_int(cell: Any, low: int, high: int) -> int | None:
    value = parse_float(cell)
    if value is None:
        return None
    if not value.is_integer() or not low <= value <= high:
        raise BadValue(f"'{cell_text(cell)}' is not a whole number from {low} to {high}")
    return int(value)


def split_list(text: str, separators: str = "\n|") -> list[str]:
    """Split a multi-value cell on the first separator that occurs in it."""
    for sep in separators:
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text.strip()] if text.strip() else []


def parse_items(text: str, separators: str = "\n|;") -> tuple[ValueItem, ...]:
    """Offers/needs: "skill: grant writing" items; an item without a known type is a skill."""
    items: list[ValueItem] = []
    for part in split_list(text, separators):
        kind, sep, rest = part.partition(":")
        if sep and kind.strip().casefold() in VALUE_TYPES and rest.strip():
            items.append(ValueItem(kind.strip().casefold(), rest.strip()))
        else:
            items.append(ValueItem("skill", part))
    return tuple(items)


def format_items(items: tuple[ValueItem, ...], sep: str = "\n") -> str:
    return sep.join(str(i) for i in items)
