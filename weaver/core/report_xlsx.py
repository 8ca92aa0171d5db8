"""The weaving report as a spreadsheet: the scorecard and every list, one sheet each.

Text is always written as text: a name like "=SUM(A1)" or "+1 555" stays what it is and never
becomes a formula. Numbers stay numbers so funders can chart them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .destination import atomic_path


def _cell(ws: Worksheet, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with


def _sheet(
    book: XlsxWorkbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    ws = book.create_sheet(title)
    bold = Font(bold=True)
    for c, h in enumerate(header, 1):
        _cell(ws, 1, c, h)
        ws.cell(row=1, column=c).font = bold
    widths = [len(h) for h in header]
    for r, values in enumerate(rows, 2):
        for c, v in enumerate(values, 1):
            _cell(ws, r, c, v)
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], min(60, len(str(v)) if v is not None else 0))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w + 2
    ws.freeze_panes = "A2"
    return ws


def write_report_xlsx(report: dict[str, Any], path: Path | str) -> None:
    """Write the report to ``path`` (checked first; replaced only once complete)."""
    with atomic_path(path) as tmp:
        _report_book(report).save(tmp)


def _report_book(report: dict[str, Any]) -> XlsxWorkbook:
    book = XlsxWorkbook()
    book.remove(book.active)

    trends = report.get("trends", {})
    snapshot_dates = [s["date"] for s in report.get("snapshots", [])]
    score_rows = []
    for row in report["scorecard"]:
        series = dict((d, v) for d, v in trends.get(row["key"], []))
        score_rows.append([row["measure"], row["value"], *[series.get(d) for d in snapshot_dates]])
    score_rows += [[], ["Stage", report["stage"]]]
    score_rows += [["", line] for line in report["stage_evidence"]]
    _sheet(
        book,
        "Scorecard",
        ["Measure", f"Now ({report['generated_on']})", *snapshot_dates],
        score_rows,
    )

    profile = report["profile"]
    _sheet(
        book,
        "Profile",
        ["Field", "Value"],
        [
            ["Name", profile["name"]],
            ["Purpose", profile["purpose"]],
            ["Value proposition", profile["value_proposition"]],
            ["Stage", profile["stage"]],
            *[
                [q["question"], q["answer"]]
                for q in profile["design_questions"]
                if q["key"] not in ("purpose", "value_proposition")
            ],
        ],
    )
    _sheet(
        book,
        "Suggestions",
        ["Rank", "Member A", "Member B", "Score", "Reasons"],
        [
            [i, s["a"], s["b"], s["score"], "; ".join(s["reasons"])]
            for i, s in enumerate(report["suggestions"], 1)
        ],
    )
    _sheet(
        book,
        "Offers & needs",
        ["Member", "Type", "Need", "Offered by", "Offerers in all"],
        [
            [
                n["member"],
                n["type"],
                n["need"],
                ", ".join(
                    o["name"] + (" (other cluster)" if o["other_cluster"] else "")
                    for o in n["offered_by"]
                ),
                n["offerers"],
            ]
            for n in report["offers_and_needs"]
        ],
    )
    _sheet(
        book,
        "Nudges",
        ["Kind", "Members", "Nudge", "Days"],
        [
            [n["kind"].replace("_", " "), ", ".join(n["members"]), n["text"], n["days"]]
            for n in report["nudges"]
        ],
    )
    _sheet(
        book,
        "Brokers",
        ["Rank", "Member", "Betweenness"],
        [[i, b["name"], b["betweenness"]] for i, b in enumerate(report["broker_scores"], 1)],
    )
    _sheet(book, "Bridges", ["Member", "Member"], report["bridge_ties"])
    _sheet(
        book,
        "Communities",
        ["Community", "Members", "Some of them"],
        [[c["community"], c["size"], ", ".join(c["members"])] for c in report["community_list"]],
    )
    _sheet(
        book,
        "Monthly",
        ["Month", "Members", "Ties", "Meetings", "Met in person (90 days)"],
        [
            [m["month"], m["members"], m["ties"], m["meetings"], m["in_person_share"]]
            for m in report["monthly"]
        ],
    )
    columns = report["member_columns"]
    _sheet(
        book,
        "Members",
        [c.replace("_", " ").capitalize() for c in columns],
        [[row.get(c) for c in columns] for row in report["member_table"]],
    )
    if report.get("answered_suggestions"):
        _sheet(
            book,
            "Introductions",
            ["Member A", "Member B", "Status", "Since"],
            [[x["a"], x["b"], x["status"], x["on"]] for x in report["answered_suggestions"]],
        )
    return book
