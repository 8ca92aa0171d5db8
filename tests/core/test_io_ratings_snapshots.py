"""The Weaver workbook is the complete record: relationship ratings and health snapshots too.

Sheets Ratings and Snapshots follow the other sheets' rules: update by id, new rows add,
deleted rows go only with prune, problems name sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from weaver.core.codec import rating_from_row
from weaver.core.commands import RateTie, TakeSnapshot
from weaver.core.health import take_snapshot
from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan
from weaver.core.io.plan import ApplyImportPlan
from weaver.core.io.xlsx_weaver_sheets import MEASURES_CHUNK
from weaver.core.metrics import load_network
from weaver.core.ratings import new_rating
from weaver.core.snapshots import new_snapshot
from weaver.core.store import Document

from .test_io_support import import_file, nonzero, small_network

TIE = "44444444-4444-4444-8444-444444444444"
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def wb(tmp_path):
    book = small_network(tmp_path / "net.weaver")
    RateTie(
        new_rating(TIE, dt.date(2025, 4, 1), reliability=3, openness=4, notes="=SUM(A1)")
    ).apply(book)
    RateTie(new_rating(TIE, dt.date(2025, 6, 1), influence=2)).apply(book)
    TakeSnapshot(take_snapshot(load_network(book, AS_OF), "spring")).apply(book)
    yield book
    book.close()


def _sheet(path, name):
    book = openpyxl.load_workbook(path)
    sheet = book[name]
    return book, sheet, [c.value for c in sheet[1]]


def test_the_demo_network_with_ratings_and_a_snapshot_round_trips_exactly(tmp_path):
    from weaver.core import demo

    demo.write_demo(tmp_path / "demo.weaver", AS_OF)
    with Document.open(tmp_path / "demo.weaver") as wb:
        rels = wb.relationships()
        RateTie(new_rating(rels[0].id, dt.date(2026, 9, 1), reliability=2, notes="+1 call")).apply(
            wb
        )
        RateTie(new_rating(rels[0].id, dt.date(2026, 10, 1), reliability=4, influence=3)).apply(wb)
        RateTie(new_rating(rels[1].id, dt.date(2026, 10, 2), resource_contribution=1)).apply(wb)
        TakeSnapshot(take_snapshot(load_network(wb, AS_OF), "baseline")).apply(wb)
        before = wb.content_digest()
        assert {"ratings", "snapshots"} <= set(before)  # the digest covers the new tables
        assert len(before["ratings"]) == 3 and len(before["snapshots"]) == 1
        history = wb.counts()["history"]
        export(wb, tmp_path / "demo.xlsx", "weaver", include_private=True)

        # No edits: nothing changes, timestamps included, and no command is recorded.
        plan = read_plan(wb, tmp_path / "demo.xlsx")
        assert not plan.problems and plan.is_empty, plan.summary()
        assert plan.counts()["unchanged"]["ratings"] == 3
        assert plan.counts()["unchanged"]["snapshots"] == 1
        assert wb.content_digest() == before
        assert wb.counts()["history"] == history

    # Into an empty network: the very same content.
    with Document.create(tmp_path / "restored.weaver") as restored:
        plan, _ = import_file(restored, tmp_path / "demo.xlsx")
        assert not plan.problems
        assert nonzero(plan.counts()["added"])["ratings"] == 3
        assert restored.content_digest() == before


def test_long_measures_continue_in_further_columns(tmp_path):
    wb = small_network(tmp_path / "net.weaver")
    members = {f"m{i:05d}": f"Member number {i} ünïcødé 🧶" for i in range(3000)}
    snap = new_snapshot({"scorecard": {"density": 0.25}, "members": members}, AS_OF, "big")
    TakeSnapshot(snap).apply(wb)
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    _book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Snapshots")
    assert headers[:5] == ["ID", "Taken on", "Taken at", "Label", "Measures"]
    assert headers[5] == "Measures 2"
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for value in row:
            if isinstance(value, str):
                assert len(value) <= MEASURES_CHUNK
                assert len(value.encode("utf-16-le")) // 2 <= 32_767
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "net.xlsx")
        assert not plan.problems
        assert copy.content_digest()["snapshots"] == wb.content_digest()["snapshots"]
    wb.close()


def test_a_rating_edited_in_excel_updates_by_id_and_a_new_row_adds(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Ratings")
    col = {h: i + 1 for i, h in enumerate(headers)}
    first = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["Power / influence"]).value
    )
    rating_id = sheet.cell(first, col["ID"]).value
    sheet.cell(first, col["Power / influence"], 4)
    # A rating typed in by hand names the tie by its two members.
    row = [None] * len(headers)
    row[headers.index("Source")] = "Ben Okafor"
    row[headers.index("Target")] = "Ada Lovelace"
    row[headers.index("Rated on")] = dt.datetime(2025, 9, 1)
    row[headers.index("Reliability")] = 2
    sheet.append(row)
    book.save(tmp_path / "edited.xlsx")

    before = {r["id"]: r for r in wb.rows("ratings")}
    plan, _ = import_file(wb, tmp_path / "edited.xlsx")
    assert not plan.problems, plan.problems
    assert nonzero(plan.counts()["updated"]) == {"ratings": 1}
    assert nonzero(plan.counts()["added"]) == {"ratings": 1}
    after = {r["id"]: r for r in wb.rows("ratings")}
    assert after[rating_id]["influence"] == 4
    assert after[rating_id]["created_at"] == before[rating_id]["created_at"]
    assert after[rating_id]["updated_at"] > before[rating_id]["updated_at"]
    (new,) = [rating_from_row(r) for k, r in after.items() if k not in before]
    assert (new.relationship_id, new.rated_on, new.reliability) == (TIE, dt.date(2025, 9, 1), 2)
    assert sorted(r["notes"] for r in after.values()) == ["", "", "=SUM(A1)"]  # text, not formula
    assert read_plan(wb, tmp_path / "edited.xlsx").is_empty  # nothing duplicates


def test_rating_problems_name_sheet_row_and_column(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Ratings")
    sheet.cell(2, headers.index("Openness to discussion") + 1, 7)
    book.save(tmp_path / "bad.xlsx")
    plan = read_plan(wb, tmp_path / "bad.xlsx")
    assert not plan.blocking
    (problem,) = plan.problems
    assert (problem.sheet, problem.row, problem.column) == (
        "Ratings",
        2,
        "Openness to discussion",
    )
    assert "1 to 4" in problem.message
    assert plan.skipped["ratings"] == 1

    # A rating of a relationship id that exists nowhere blocks the import.
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Ratings")
    sheet.cell(3, headers.index("Relationship ID") + 1, "99999999-9999-4999-8999-999999999999")
    book.save(tmp_path / "dangling.xlsx")
    before = wb.content_digest()
    plan = read_plan(wb, tmp_path / "dangling.xlsx")
    assert plan.blocking
    (problem,) = plan.problems
    assert (problem.sheet, problem.row, problem.column) == ("Ratings", 3, "Relationship ID")
    assert wb.content_digest() == before

    # A rating with no score at all is the model's rule, reported per row.
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Ratings")
    for h in ("Reliability", "Openness to discussion", "Power / influence"):
        sheet.cell(2, headers.index(h) + 1).value = None
    book.save(tmp_path / "empty-scores.xlsx")
    plan = read_plan(wb, tmp_path / "empty-scores.xlsx")
    assert any(p.sheet == "Ratings" and p.row == 2 and "score" in p.message for p in plan.problems)


def test_snapshot_with_damaged_measures_is_reported_and_skipped(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Snapshots")
    sheet.cell(2, headers.index("Measures") + 1, '{"scorecard": ')
    sheet.cell(2, headers.index("Label") + 1, "renamed")
    book.save(tmp_path / "bad.xlsx")
    plan = read_plan(wb, tmp_path / "bad.xlsx")
    (problem,) = plan.problems
    assert (problem.sheet, problem.row, problem.column) == ("Snapshots", 2, "Measures")
    assert plan.skipped["snapshots"] == 1 and plan.is_empty

    # A label edited in Excel updates the snapshot, its measures untouched.
    book, sheet, headers = _sheet(tmp_path / "net.xlsx", "Snapshots")
    sheet.cell(2, headers.index("Label") + 1, "spring review")
    book.save(tmp_path / "renamed.xlsx")
    stored = wb.rows("snapshots")[0]
    plan, _ = import_file(wb, tmp_path / "renamed.xlsx")
    assert nonzero(plan.counts()["updated"]) == {"snapshots": 1}
    (after,) = wb.rows("snapshots")
    assert after["label"] == "spring review"
    assert (after["measures"], after["taken_at"]) == (stored["measures"], stored["taken_at"])
    assert isinstance(json.loads(after["measures"])["scorecard"], dict)


def test_deleted_rating_and_snapshot_rows_go_only_with_prune(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book = openpyxl.load_workbook(tmp_path / "net.xlsx")
    book["Ratings"].delete_rows(2)
    book["Snapshots"].delete_rows(2)
    book.save(tmp_path / "fewer.xlsx")
    assert read_plan(wb, tmp_path / "fewer.xlsx").is_empty
    before = wb.content_digest()
    plan = read_plan(wb, tmp_path / "fewer.xlsx", prune=True)
    assert nonzero({t: len(ids) for t, ids in plan.removes.items()}) == {
        "ratings": 1,
        "snapshots": 1,
    }
    command = ApplyImportPlan(plan)
    command.apply(wb)
    assert len(wb.rows("ratings")) == 1 and wb.rows("snapshots") == []
    command.revert(wb)
    assert wb.content_digest() == before


def test_a_workbook_from_before_ratings_leaves_them_alone(wb, tmp_path):
    """A file without the Ratings and Snapshots sheets says nothing about them, even with
    prune; a relationship pruned away takes its ratings with it."""
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    book = openpyxl.load_workbook(tmp_path / "net.xlsx")
    del book["Ratings"]
    del book["Snapshots"]
    book.save(tmp_path / "old.xlsx")
    plan = read_plan(wb, tmp_path / "old.xlsx", prune=True)
    assert plan.is_empty and not plan.problems

    book["Relationships"].delete_rows(2)
    book.save(tmp_path / "no-tie.xlsx")
    plan = read_plan(wb, tmp_path / "no-tie.xlsx", prune=True)
    assert nonzero({t: len(ids) for t, ids in plan.removes.items()}) == {"relationships": 1}
    ApplyImportPlan(plan).apply(wb)
    assert wb.rows("ratings") == [] and len(wb.rows("snapshots")) == 1
    assert wb.integrity() == "ok"


def test_counts_report_ratings_and_snapshots(wb, tmp_path):
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan = read_plan(copy, tmp_path / "net.xlsx")
        out = plan.to_json()
        assert out["added"]["ratings"] == 2 and out["added"]["snapshots"] == 1
        assert "ratings: 2 to add" in plan.summary()
        assert {c.table for c in plan.columns} >= {"ratings", "snapshots"}
