"""Kumu workbooks: the published samples in, a workbook Kumu imports out."""

from __future__ import annotations

import openpyxl

from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan
from weaver.core.store import Document

from .test_io_support import import_file, nonzero, small_network


def test_paypal_mafia(empty, data_dir):
    plan, _ = import_file(empty, data_dir / "kumu" / "paypal-mafia.xlsx")
    assert plan.format == "kumu"
    assert not plan.blocking
    assert plan.counts()["added"]["members"] == 34
    members = {m.name: m for m in empty.members()}
    thiel = members["Peter Thiel"]
    assert thiel.kind == "person"
    assert thiel.tags == ("PayPal-Mafia",)
    assert "Net Worth (Billions)" in thiel.custom or thiel.custom  # custom fields kept
    assert any(m.kind == "organization" for m in members.values())
    # 49 connection rows, a few repeating the same pair with the same type.
    assert plan.counts()["added"]["relationships"] + plan.skipped["relationships"] == 49
    rel = next(
        r
        for r in empty.relationships()
        if {members["PayPal"].id, members["Ken Howery"].id} == {r.source_id, r.target_id}
    )
    assert rel.kind == "Employee/Founder"


def test_snap_to_keeps_numeric_looking_text(empty, data_dir):
    plan, _ = import_file(empty, data_dir / "kumu" / "snap-to-tutorial-data.xlsx")
    assert plan.counts()["added"]["members"] == 51
    # 113 connection rows; the few that repeat a pair (either way round) merge into one.
    added, merged = plan.counts()["added"]["relationships"], plan.skipped["relationships"]
    assert added + merged == 113 and merged < 10
    assert not plan.problems
    assert any("merged" in n for n in plan.notices)
    michigan = next(m for m in empty.members() if m.name == "Michigan")
    assert michigan.custom["2010 Population"] == "9876498"
    assert michigan.custom["Percentage Change"] == "0%"
    assert michigan.location == "Midwest"  # "Region" is a known synonym


def test_damaged_workbook_gives_a_clear_error(empty, data_dir):
    before = empty.content_digest()
    plan = read_plan(empty, data_dir / "kumu" / "overview-of-the-euro-crisis.xlsx")
    assert plan.blocking
    (problem,) = plan.problems
    assert problem.file == "overview-of-the-euro-crisis.xlsx"
    assert "damaged" in problem.message
    assert empty.content_digest() == before


def test_kumu_conventions(empty, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Elements"
    ws.append(["ID", "Label", "Type", "Tags", "Description", "Favourite colour"])
    ws.append(["e1", "Ana", "Person", "food | youth", "Runs the pantry", "blue"])
    ws.append(["e2", "Green Org", "Organization", "", "", ""])
    ws.append([])
    ws.append([])
    ws.append(["From", "To", "Type", "Direction"])  # two blank rows: a new header block
    ws.append(["e1", "e2", "volunteer", "directed"])
    ws.append(["Ana", "Newcomer", "friend", "mutual"])
    notes = book.create_sheet("Scratch (ignore)")
    notes.append(["Label"])
    notes.append(["Should not appear"])
    book.save(tmp_path / "kumu.xlsx")

    plan, _ = import_file(empty, tmp_path / "kumu.xlsx")
    assert plan.format == "kumu"
    # "Newcomer" is not among the Elements: that connection is reported and skipped, not
    # turned into a member nobody listed (unless asked, below).
    (problem,) = plan.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "kumu.xlsx",
        "Elements",
        8,
        "To",
    )
    assert "'Newcomer'" in problem.message and not problem.blocking
    assert any("(ignore)" in n for n in plan.notices)
    assert {m.name for m in empty.members()} == {"Ana", "Green Org"}
    assert {r.kind for r in empty.relationships()} == {"volunteer"}
    plan, _ = import_file(empty, tmp_path / "kumu.xlsx", create_missing_members=True)
    assert not plan.problems
    members = {m.name: m for m in empty.members()}
    assert set(members) == {"Ana", "Green Org", "Newcomer"}
    assert members["Ana"].tags == ("food", "youth")
    # Kumu's Description is public text: a public custom field, not Weaver's private notes.
    assert members["Ana"].notes == ""
    assert members["Ana"].custom == {"Description": "Runs the pantry", "Favourite colour": "blue"}
    assert members["Green Org"].kind == "organization"
    rels = {r.kind: r for r in empty.relationships()}
    assert rels["volunteer"].direction == "directed"
    assert rels["volunteer"].source_id == members["Ana"].id
    assert rels["friend"].direction == "mutual"


def test_export_is_a_workbook_kumu_imports_and_weaver_reads_back(tmp_path):
    wb = small_network(tmp_path / "net.weaver")
    export(wb, tmp_path / "kumu.xlsx", "kumu")
    book = openpyxl.load_workbook(tmp_path / "kumu.xlsx")
    assert book.sheetnames == ["Elements", "Connections"]
    elements, connections = book["Elements"], book["Connections"]
    assert [c.value for c in elements[1]][:4] == ["ID", "Label", "Type", "Tags"]
    assert [c.value for c in connections[1]][:3] == ["ID", "From", "To"]
    headers = [c.value for c in elements[1]]
    assert "E-mail" not in headers and "Notes" not in headers  # private by default
    assert "Description" not in headers  # no member has one
    ada = next(r for r in elements.iter_rows(min_row=2, values_only=True) if r[1] == "Ada Lovelace")
    assert ada[3] == "housing|youth"

    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "kumu.xlsx")
        assert not plan.problems
        assert nonzero(plan.counts()["added"]) == {"members": 3, "relationships": 1}
        rel = copy.relationships()[0]
        assert (rel.kind, rel.direction, rel.strength) == ("collaborator", "mutual", 4)
    # Back into the network it came from: matched by id, nothing changes.
    assert read_plan(wb, tmp_path / "kumu.xlsx").is_empty
    wb.close()


def test_kumu_description_survives_a_round_trip(empty, tmp_path):
    """Kumu's public Description came in as private Notes and vanished on the way back."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Elements"
    ws.append(["Label", "Type", "Description"])
    ws.append(["Ana", "Person", "Runs the pantry"])
    ws.append(["Ben", "Person", ""])
    book.save(tmp_path / "in.xlsx")
    import_file(empty, tmp_path / "in.xlsx")
    export(empty, tmp_path / "out.xlsx", "kumu")
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")["Elements"]
    headers = [c.value for c in out[1]]
    assert headers[:5] == ["ID", "Label", "Type", "Tags", "Description"]
    ana = next(r for r in out.iter_rows(min_row=2, values_only=True) if r[1] == "Ana")
    assert ana[4] == "Runs the pantry"
