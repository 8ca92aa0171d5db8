"""weaver report: JSON keys, the spreadsheet, and nothing private in either."""

from __future__ import annotations

import json
from datetime import date, timedelta

import openpyxl
import pytest

from weaver.cli import main
from weaver.core.commands import (
    AddEntities,
    LogMeeting,
    RateTie,
    TakeSnapshot,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.health import take_snapshot
from weaver.core.metrics import load_network
from weaver.core.model import ValueItem
from weaver.core.profile import NetworkProfile, SetProfile
from weaver.core.ratings import new_rating
from weaver.core.store import Document

TODAY = date(2026, 11, 22)
SECRETS = (
    "ana@secret.example",
    "555-0199",
    "NOTE-ABOUT-ANA",
    "TIE-NOTE-XYZ",
    "RATING-NOTE-QQQ",
    "Zed Hidden",  # consent "no": never named
    "zed@secret.example",
    "CUSTOM-SECRET",
)
REQUIRED = [
    "members",
    "relationships",
    "density",
    "components",
    "isolates",
    "average_clustering",
    "core_size",
    "communities",
    "modularity",
    "brokers",
    "bridges",
    "suggestions",
    "cold_ties",
    "stage",
]


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "net.weaver"
    with Document.create(path, name="Valley Network") as wb:
        members = [
            new_member(
                "Ana",
                id="ana",
                email="ana@secret.example",
                phone="555-0199",
                notes="NOTE-ABOUT-ANA",
                custom={"salary": "CUSTOM-SECRET"},
                needs=(ValueItem("skill", "=HYPERLINK(evil)"),),
            ),
            new_member("Ben", id="ben", offers=(ValueItem("skill", "=hyperlink(evil)"),)),
            new_member("Cleo", id="cleo"),
            new_member("Dev", id="dev"),
            new_member("Zed Hidden", id="zed", consent="no", email="zed@secret.example"),
        ]
        rels = [
            new_relationship("ana", "cleo", id="ac", notes="TIE-NOTE-XYZ"),
            new_relationship("ben", "cleo", id="bc"),
            new_relationship("ana", "zed", id="az"),
            new_relationship("zed", "dev", id="zd"),
        ]
        AddEntities([*members, *rels], "setup").apply(wb)
        RateTie(new_rating("ac", TODAY, reliability=4, notes="RATING-NOTE-QQQ")).apply(wb)
        old = new_event("Coffee", date=TODAY - timedelta(days=300))
        LogMeeting(old, [("ana", "attendee"), ("cleo", "attendee")]).apply(wb)
        SetProfile(NetworkProfile(name="Valley Network", purpose="Feed the valley")).apply(wb)
        TakeSnapshot(take_snapshot(load_network(wb, TODAY - timedelta(days=30)))).apply(wb)
    return path


def run_json(capsys, *args) -> dict:
    assert main(["report", *args, "--json", "--today", TODAY.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_required_keys(doc, capsys):
    report = run_json(capsys, str(doc))
    for key in REQUIRED:
        assert key in report, key
    assert report["members"] == 5 and report["relationships"] == 4
    assert report["current_relationships"] == 4  # none has ended
    assert report["brokers"][0] == "Ana"
    assert report["bridges"] == 4 and report["components"] == 1
    first = report["suggestions"][0]
    assert set(first) == {"a", "b", "score", "reasons"}
    assert {first["a"], first["b"]} == {"Ana", "Ben"}
    assert report["cold_ties"] == 1
    assert report["profile"]["purpose"] == "Feed the valley"
    assert report["trends"]["members"][0][1] == 5


def test_json_never_holds_private_fields(doc, capsys):
    text = json.dumps(run_json(capsys, str(doc)))
    for secret in SECRETS:
        assert secret not in text, secret
    assert "Member 1" in text  # Zed's one row in the member table


def test_a_member_who_said_no_is_an_alias_with_nothing_of_theirs(doc, capsys):
    """Zed's row kept his tags, ties, cluster, brokerage and last meeting, and his needs were
    listed: enough to tell who he is in a five-member network."""
    from weaver.core.commands import UpdateMember

    with Document.open(doc) as wb:
        UpdateMember("zed", tags=("zed-tag",), needs=(ValueItem("resource", "zed-need"),)).apply(wb)
    report = run_json(capsys, str(doc))
    text = json.dumps(report)
    assert "zed-tag" not in text and "zed-need" not in text and '"zed"' not in text
    (row,) = [r for r in report["member_table"] if r["name"] == "Member 1"]
    assert row["kind"] == "person"
    assert {k for k, v in row.items() if v not in ("", None)} == {"name", "kind"}
    assert "Member 1" not in report["brokers"]
    everyone_named = [r for r in report["member_table"] if r["name"] != "Member 1"]
    assert all(r["id"] and r["ties"] for r in everyone_named)


def test_nudges_about_a_member_who_said_no_are_counted_not_listed(doc, capsys):
    """The report listed fewer cold ties than its scorecard counted, and did not say why."""
    from weaver.core.commands import LogMeeting

    with Document.open(doc) as wb:
        old = new_event("Old walk", date=TODAY - timedelta(days=400))
        LogMeeting(old, [("ana", "attendee"), ("zed", "attendee")]).apply(wb)
    report = run_json(capsys, str(doc))
    listed = [n for n in report["nudges"] if n["kind"] == "cold_tie"]
    withheld = report["nudges_withheld"].get("cold_tie", 0)
    assert withheld >= 1  # Ana and Zed's tie is cold, and Zed is never named
    assert len(listed) + withheld == report["cold_ties"]
    assert all("Member" not in n["text"] for n in report["nudges"])


def test_relationships_count_all_and_current_separately(doc, capsys):
    """'relationships' meant the current ones in the report and all of them in `weaver info`."""
    from weaver.core.commands import UpdateRelationship

    with Document.open(doc) as wb:
        UpdateRelationship("bc", ended_on=TODAY - timedelta(days=10)).apply(wb)
    report = run_json(capsys, str(doc))
    assert (report["relationships"], report["current_relationships"]) == (4, 3)


def test_a_private_tag_hides_only_itself(doc, capsys):
    """One private tag blanked every member's tags (and the consent flag was overwritten)."""
    from weaver.core.commands import SetSettings, UpdateMember

    with Document.open(doc) as wb:
        UpdateMember("ana", tags=("secret", "river")).apply(wb)
        UpdateMember("cleo", tags=("harbour",)).apply(wb)
        SetSettings({"presentation": {"private_tags": ["secret"]}}).apply(wb)
    rows = {r["name"]: r for r in run_json(capsys, str(doc))["member_table"]}
    assert rows["Ana"]["tags"] == "river"
    assert rows["Cleo"]["tags"] == "harbour"


def test_xlsx_has_every_list_and_nothing_private(doc, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    assert main(["report", str(doc), "--out", str(out), "--today", TODAY.isoformat()]) == 0
    book = openpyxl.load_workbook(out)
    assert {
        "Scorecard",
        "Profile",
        "Suggestions",
        "Offers & needs",
        "Nudges",
        "Brokers",
        "Bridges",
        "Communities",
        "Monthly",
        "Members",
    } <= set(book.sheetnames)
    cells = [
        c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    text = "\n".join(str(c.value) for c in cells)
    for secret in SECRETS:
        assert secret not in text, secret
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []  # "=HYPERLINK(evil)" stays text
    assert "=HYPERLINK(evil)" in text
    scorecard = book["Scorecard"]
    assert scorecard["A2"].value == "Members" and scorecard["B2"].value == 5


def test_refuses_bad_output_and_missing_file(doc, tmp_path, capsys):
    assert main(["report", str(doc), "--out", str(tmp_path / "r.docx")]) == 2
    assert "xlsx or .pdf" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.weaver")]) == 2
    assert main(["report", str(doc), "--today", "yesterday"]) == 2


def test_plain_summary(doc, capsys):
    assert main(["report", str(doc), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Valley Network" in out and "suggested introductions" in out


def test_private_offers_needs_and_tags_stay_out(doc, capsys):
    from weaver.core.commands import SetSettings, UpdateMember

    with Document.open(doc) as wb:
        UpdateMember("ana", tags=("hidden-tag", "river")).apply(wb)
        UpdateMember("ben", tags=("Hidden-Tag", "river")).apply(wb)
        SetSettings({"presentation": {"private_tags": ["hidden-tag"]}}).apply(wb)
    report = run_json(capsys, str(doc))
    text = json.dumps(report)
    assert "hidden-tag" not in text.casefold()
    assert "both tagged 'river'" in text
    assert "HYPERLINK" in text  # offers and needs are not private by default

    with Document.open(doc) as wb:
        private = {"members": ["email", "phone", "notes", "offers", "needs", "tags"]}
        SetSettings({"private_fields": private}).apply(wb)
    report = run_json(capsys, str(doc))
    text = json.dumps(report)
    assert "HYPERLINK" not in text and "river" not in text
    assert report["offers_and_needs"] == []
    assert "tags" not in report["member_columns"]
