"""The one consent rule and the one private-fields rule, across every shareable export.

A member whose consent is "no" appears only as "Member N" with nothing of theirs; private
fields stay out; only the whole record with ``include_private`` names them (issue 11)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from weaver.cli import main
from weaver.core.commands import SetSettings, UpdateMember
from weaver.core.io.exporting import export, written_files
from weaver.core.privacy import PrivateFields, ShareView, share_view
from weaver.core.store import Document

from .test_io_support import import_file, small_network

BEN = "22222222-2222-4222-8222-222222222222"
ADA = "11111111-1111-4111-8111-111111111111"
# Everything of Ben's that no shared output may carry once he says no.
BENS_TRACES = ("Ben Okafor", "ben@example.org", "Quiet-Tag", "mentoring circles", BEN)


@pytest.fixture
def net(tmp_path: Path) -> Document:
    wb = small_network(tmp_path / "net.weaver")
    UpdateMember(
        BEN,
        consent="no",
        tags=("Quiet-Tag",),
        role="mentoring circles",
        custom={"Pronouns": "he/him"},
    ).apply(wb)
    yield wb
    wb.close()


def output_text(path: Path) -> str:
    """All the text an output holds (an .xlsx's XML parts unpacked)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
    return path.read_text(encoding="utf-8-sig")


SHAREABLE = [
    ("members", "list.xlsx"),
    ("members-csv", "list.csv"),
    ("kumu", "kumu.xlsx"),
    ("nodes-edges", "gephi.xlsx"),
    ("nodes-edges", "gephi.csv"),
    ("gexf", "net.gexf"),
    ("graphml", "net.graphml"),
    ("weaver", "whole.xlsx"),
]


@pytest.mark.parametrize(("fmt", "name"), SHAREABLE)
def test_a_member_who_said_no_is_never_named(net, tmp_path, fmt, name):
    export(net, tmp_path / name, fmt)
    text = "\n".join(output_text(p) for p in written_files(tmp_path / name, fmt))
    for trace in BENS_TRACES:
        assert trace not in text, (fmt, trace)
    assert "ada@example.org" not in text  # a private field
    assert "Ada Lovelace" in text


@pytest.mark.parametrize(("fmt", "name"), SHAREABLE)
def test_include_private_names_everyone(net, tmp_path, fmt, name):
    export(net, tmp_path / name, fmt, include_private=True)
    text = "\n".join(output_text(p) for p in written_files(tmp_path / name, fmt))
    assert "Ben Okafor" in text and "ada@example.org" in text


def test_graph_files_keep_the_tie_to_an_anonymous_member(net, tmp_path):
    for fmt, name in (("gexf", "net.gexf"), ("graphml", "net.graphml")):
        export(net, tmp_path / name, fmt)
    graph = nx.read_graphml(tmp_path / "net.graphml")
    labels = {graph.nodes[n]["label"] for n in graph.nodes}
    assert labels == {"Ada Lovelace", "Member 1", "Riverside Food Bank"}
    anonymous = next(n for n in graph.nodes if graph.nodes[n]["label"] == "Member 1")
    assert anonymous.startswith("anonymous-")
    assert graph.nodes[anonymous].get("tags", "") == ""
    (edge,) = graph.edges(data=True)
    assert {edge[0], edge[1]} == {ADA, anonymous}
    assert "notes" not in edge[2] or edge[2]["notes"] == ""  # free text about Ben's tie


def test_member_list_row_of_an_anonymous_member_is_only_an_alias(net, tmp_path):
    export(net, tmp_path / "list.xlsx", "members")
    ws = openpyxl.load_workbook(tmp_path / "list.xlsx")["Members"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    (anon,) = [r for r in rows if r["Name"] == "Member 1"]
    assert anon["Kind"] == "person"
    filled = {k for k, v in anon.items() if v not in (None, "")}
    assert filled == {"Name", "Kind"}  # no counts, dates, tags or id to single them out


def test_the_shared_whole_record_comes_back_changing_nothing(net, tmp_path):
    """Without --include-private the workbook lacks private columns and Ben: re-imported, it
    leaves his row and everyone's private fields untouched (never blanks them)."""
    before = net.content_digest()
    export(net, tmp_path / "whole.xlsx", "weaver")
    headers = [c.value for c in openpyxl.load_workbook(tmp_path / "whole.xlsx")["Members"][1]]
    assert "E-mail" not in headers and "Notes" not in headers
    plan, _ = import_file(net, tmp_path / "whole.xlsx")
    assert not plan.problems
    assert net.content_digest() == before


def test_private_tags_and_custom_fields_stay_out(net, tmp_path):
    SetSettings(
        {
            "presentation": {"private_tags": ["youth"]},
            "private_fields": {"members": ["email", "Pronouns"], "relationships": []},
        }
    ).apply(net)
    export(net, tmp_path / "list.csv", "members")
    with (tmp_path / "list.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    ada = next(r for r in rows if r["Name"] == "Ada Lovelace")
    assert ada["Tags"] == "housing"  # "youth" is a private tag
    assert "Pronouns" not in rows[0] and "E-mail" not in rows[0]
    assert ada["Notes"] == "Met at the =cooperative= fair"  # notes are no longer private


def test_private_fields_setting_has_one_reading():
    assert PrivateFields.from_settings({}) == PrivateFields(
        frozenset({"email", "phone", "notes"}), frozenset({"notes"})
    )
    assert PrivateFields.from_settings({"private_fields": ["email"]}) == PrivateFields(
        frozenset({"email"}), frozenset()
    )
    # A damaged setting never makes private data public: the defaults hold.
    assert PrivateFields.from_settings({"private_fields": 7}).members == {"email", "phone", "notes"}


def test_anonymous_numbers_are_local_to_one_output(net):
    view = share_view(net)
    assert view.name(next(m for m in net.members() if m.id == BEN)) == "Member 1"
    assert view.member_id(BEN) == "anonymous-1" and view.member_id(ADA) == ADA
    assert not ShareView(net.members(), net.settings(), include_private=True).is_anonymous(BEN)


def test_every_export_says_what_it_left_out(tmp_path, capsys):
    path = tmp_path / "net.weaver"
    small_network(path).close()
    with Document.open(path) as wb:
        UpdateMember(BEN, consent="no").apply(wb)
    for fmt in ("members", "weaver", "kumu", "gexf", "graphml", "nodes-edges"):
        suffix = {"gexf": ".gexf", "graphml": ".graphml"}.get(fmt, ".xlsx")
        assert (
            main(["export", str(path), str(tmp_path / f"out-{fmt}{suffix}"), "--format", fmt]) == 0
        )
        out = capsys.readouterr().out.strip().splitlines()
        assert len(out) == 1
        assert "private fields left out (E-mail, Notes, Phone, relationship notes)" in out[0]
        assert "1 member who did not consent shown only as anonymous" in out[0]
