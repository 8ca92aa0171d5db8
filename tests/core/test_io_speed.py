"""The shortcuts that keep big imports fast give exactly what the plain paths give."""

from __future__ import annotations

import datetime as dt
import gc
import zipfile

import openpyxl
from python_calamine import CalamineWorkbook

from weaver.core.codec import to_row
from weaver.core.commands import new_event, new_member, new_relationship
from weaver.core.io.plan import paused_gc, rows_of
from weaver.core.io.xlsx_out import NUMBER, TEXT, Column, SheetSpec, write_xlsx
from weaver.core.model import Affiliation, Attendance, ValueItem, new_id
from weaver.core.ratings import new_rating
from weaver.core.snapshots import new_snapshot

STAMP = "2025-03-01T09:00:00.000000Z"


def varied_entities() -> list[list]:
    ada = new_member(
        "Ada «Lovelace»",
        STAMP,
        tags=("housing", "ünïcode"),
        offers=(ValueItem("skill", "grant writing"),),
        needs=(ValueItem("connection", "council"),),
        joined_on=dt.date(2021, 4, 5),
        consent="yes",
        x=1.25,
        y=-3.5,
        pinned=True,
        custom={"Pronouns": "she/her", "b": "", "a": "1"},
    )
    ben = new_member("Ben", STAMP)
    org = new_member("Food Bank", STAMP, kind="organization")
    tie = new_relationship(
        ada.id,
        ben.id,
        STAMP,
        kind="mentor",
        direction="mutual",
        since=dt.date(2022, 1, 2),
        ended_on=dt.date(2024, 1, 2),
        custom={"weight": "2.5"},
    )
    plain = new_relationship(ben.id, org.id, STAMP)
    meeting = new_event("Convening", STAMP, date=dt.date(2025, 3, 1), in_person=False)
    undated = new_event("Someday", STAMP)
    return [
        [ada, ben, org],
        [tie, plain],
        [meeting, undated],
        [Affiliation(new_id(), ada.id, org.id, "board", dt.date(2020, 1, 1), STAMP, STAMP)],
        [Attendance(new_id(), meeting.id, ben.id, "host", STAMP, STAMP)],
        [
            new_rating(tie.id, dt.date(2025, 4, 1), reliability=3, notes="x"),
            new_rating(plain.id, dt.date(2025, 4, 2), influence=1),
        ],
        [
            new_snapshot({"scorecard": {"density": 0.5}, "members": {"a": "Ä"}}, dt.date.today()),
            new_snapshot({}, dt.date(2024, 1, 1), "empty"),
        ],
    ]


def test_rows_in_bulk_are_exactly_codecs_rows():
    for entities in varied_entities():
        rows = rows_of(entities)
        expected = [to_row(e)[1] for e in entities]
        assert rows == expected
        assert [list(r) for r in rows] == [list(r) for r in expected]  # same column order


def test_paused_gc_resumes_afterwards():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer one resumes it
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # someone else paused it: left paused
    finally:
        gc.enable()


def test_shared_strings_read_back_everywhere(tmp_path):
    rows = [
        ["same", "=1+1", 1.5],
        ["same", "with\x07bell", 2.0],
        ["tab\tand\nnewline", "with\x07bell", None],
        ["_x0041_ stays", "  spaces  ", 3.0],
    ]
    columns = [Column("A", TEXT), Column("B", TEXT), Column("N", NUMBER)]
    path = tmp_path / "s.xlsx"
    write_xlsx(path, [SheetSpec("One", columns, rows), SheetSpec("Two", columns, rows[:1])])
    expected = [
        ["same", "=1+1", 1.5],
        ["same", "withbell", 2.0],  # control characters removed, as before
        ["tab\tand\nnewline", "withbell", None],
        ["_x0041_ stays", "  spaces  ", 3.0],
    ]
    book = openpyxl.load_workbook(path)
    assert [[c.value for c in r] for r in book["One"].iter_rows(min_row=2)] == expected
    assert all(c.data_type != "f" for r in book["One"].iter_rows() for c in r)  # never formulas
    cal = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("One").to_python()
    assert [[None if v == "" else v for v in r] for r in cal[1:]] == expected
    with zipfile.ZipFile(path) as zf:
        sst = zf.read("xl/sharedStrings.xml").decode()
    assert sst.count("<si>") == len(
        {"same", "=1+1", "withbell", "tab\tand\nnewline"}
        | {
            "_x0041_ stays",
            "  spaces  ",
        }
    )  # each distinct text once, across both sheets
