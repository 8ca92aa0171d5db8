"""The member list people e-mail around: what Excel shows, what is private, what comes back."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from weaver.core.commands import LogMeeting, SetSettings, new_event
from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan

from .test_io_support import small_network


@pytest.fixture
def wb(tmp_path):
    book = small_network(tmp_path / "net.weaver")
    LogMeeting(
        new_event("Walk", date=dt.date(2025, 6, 1), in_person=True),
        [("11111111-1111-4111-8111-111111111111", "attendee")],
    ).apply(book)
    yield book
    book.close()


def _sheet(path):
    ws = openpyxl.load_workbook(path)["Members"]
    headers = [c.value for c in ws[1]]
    rows = {
        r[0]: dict(zip(headers, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    return ws, headers, rows


def test_xlsx_looks_right_in_excel(wb, tmp_path):
    export(wb, tmp_path / "list.xlsx", "members")
    ws, headers, rows = _sheet(tmp_path / "list.xlsx")
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    widths = {ws.column_dimensions[c].width for c in "ABC"}
    assert all(8 <= w <= 51 for w in widths)
    ada = rows["Ada Lovelace"]
    assert ada["Organizations"] == "Riverside Food Bank"
    assert ada["Tags"] == "housing; youth"
    assert ada["Offers"] == "skill: grant writing"
    assert ada["Needs"] == "connection: city council"
    assert ada["Relationships"] == 1
    assert ada["Meetings"] == 1
    # Real dates, shown as dates.
    assert isinstance(ada["Last in-person meeting"], dt.datetime)
    assert ada["Last in-person meeting"].date() == dt.date(2025, 6, 1)
    assert ada["Joined on"].date() == dt.date(2021, 4, 5)
    date_cell = ws.cell(list(rows).index("Ada Lovelace") + 2, headers.index("Joined on") + 1)
    assert date_cell.is_date and "yy" in date_cell.number_format
    assert ada["Pronouns"] == "she/her"  # custom fields are columns


def test_private_fields_are_left_out_unless_included(wb, tmp_path):
    export(wb, tmp_path / "list.xlsx", "members")
    _, headers, rows = _sheet(tmp_path / "list.xlsx")
    assert not {"E-mail", "Phone", "Notes"} & set(headers)
    export(wb, tmp_path / "all.xlsx", "members", include_private=True)
    _, headers, rows = _sheet(tmp_path / "all.xlsx")
    assert rows["Ada Lovelace"]["E-mail"] == "ada@example.org"
    assert rows["Ada Lovelace"]["Phone"] == "+44 20 7946 0000"  # text, not a number


def test_the_network_decides_what_is_private(wb, tmp_path):
    SetSettings(
        {"private_fields": {"members": ["location", "Pronouns"], "relationships": []}}
    ).apply(wb)
    export(wb, tmp_path / "list.csv", "members")
    header = (tmp_path / "list.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Location" not in header and "Pronouns" not in header
    assert "E-mail" in header


def test_csv_is_utf8_with_bom_and_comes_back_unchanged(wb, tmp_path):
    export(wb, tmp_path / "list.csv", "members", include_private=True)
    data = (tmp_path / "list.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    before = wb.content_digest()
    plan = read_plan(wb, tmp_path / "list.csv")
    assert not plan.problems
    assert plan.is_empty
    assert plan.match_counts()["id"] == 3
    assert wb.content_digest() == before


def test_xlsx_member_list_comes_back_unchanged(wb, tmp_path):
    export(wb, tmp_path / "list.xlsx", "members")
    plan = read_plan(wb, tmp_path / "list.xlsx")
    assert not plan.problems and plan.is_empty
