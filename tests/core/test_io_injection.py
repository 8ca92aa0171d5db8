"""Formula injection: member text never becomes a formula, and comes back exactly."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaver.core.commands import AddEntities, new_member
from weaver.core.io import safety
from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan
from weaver.core.store import Document

from .test_io_support import import_file

DANGEROUS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTAB", '=HYPERLINK("http://x")', "'=x"]


def network_with_notes(path, texts):
    wb = Document.create(path)
    members = [
        new_member(f"Member {i}", notes=text, role=text.strip() or "r", id=None)
        for i, text in enumerate(texts)
    ]
    AddEntities(members, "seed").apply(wb)
    return wb


def test_xlsx_writes_text_cells_as_text(tmp_path):
    wb = network_with_notes(tmp_path / "n.weaver", DANGEROUS)
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    ws = openpyxl.load_workbook(tmp_path / "net.xlsx")["Members"]
    headers = [c.value for c in ws[1]]
    notes = [row[headers.index("Notes")] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in notes)
    assert sorted(c.value for c in notes) == sorted(DANGEROUS)
    wb.close()


def test_csv_prefixes_formula_text_and_weaver_strips_it_again(tmp_path):
    wb = network_with_notes(tmp_path / "n.weaver", DANGEROUS)
    export(wb, tmp_path / "list.csv", "members", include_private=True)
    text = (tmp_path / "list.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in text and "'+SUM(A1:A9)" in text and "'@cmd" in text
    assert ",=1+2" not in text
    with Document.create(tmp_path / "copy.weaver") as copy:
        plan, _ = import_file(copy, tmp_path / "list.csv")
        assert not plan.problems
        assert sorted(m.notes for m in copy.members()) == sorted(DANGEROUS)
    wb.close()


def test_foreign_csv_keeps_its_apostrophes(tmp_path):
    path = tmp_path / "theirs.csv"
    path.write_text("Name,Notes\nO'Hara,'=not ours\n", encoding="utf-8")
    with Document.create(tmp_path / "n.weaver") as wb:
        import_file(wb, path)
        (m,) = wb.members()
        assert (m.name, m.notes) == ("O'Hara", "'=not ours")


def test_escape_and_unescape_are_inverse():
    for text in [*DANGEROUS, "plain", "", "'", "''=", "\nx", "\rx"]:
        assert safety.csv_unescape(safety.csv_escape(text)) == text
        assert not safety.csv_escape(text).startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


# Printable Unicode (letters, marks, numbers, punctuation, symbols, spaces) plus tab and
# newlines: what people type. Other control characters are reported, not round-tripped (see
# test_io_bad_input); surrogates cannot be stored at all.
ALPHABET = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029"
) | st.sampled_from(["\t", "\n", "\r", "=", "+", "-", "@", "'", '"', ",", ";"])
TEXT = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip() != "")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
@pytest.mark.parametrize("fmt", ["weaver", "members-csv"])
def test_member_text_round_trips(tmp_path_factory, fmt, texts):
    folder = tmp_path_factory.mktemp("rt")
    wb = network_with_notes(folder / "n.weaver", texts)
    dest = folder / ("out.xlsx" if fmt == "weaver" else "out.csv")
    export(wb, dest, fmt, include_private=True)
    with Document.create(folder / "copy.weaver") as copy:
        plan, _ = import_file(copy, dest)
        assert not plan.problems, plan.problems
        assert sorted(m.notes for m in copy.members()) == sorted(texts)
    # And back into the original: nothing changes.
    assert read_plan(wb, dest).is_empty
    wb.close()


CONTROL = st.sampled_from([chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)])


@settings(max_examples=25, deadline=None)
@given(text=st.text(ALPHABET | CONTROL, min_size=1, max_size=30))
def test_control_characters_are_reported_not_crashes(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.csv"
        path.write_bytes(('Name,Notes\r\nZed,"' + text.replace('"', '""') + '"\r\n').encode())
        with Document.create(Path(folder) / "n.weaver") as wb:
            plan = read_plan(wb, path)
            has_control = safety.has_control_chars(text)
            if "\x00" in text:
                assert plan.blocking  # a NUL byte means a binary file, refused as such
                return
            assert any("control characters" in p.message for p in plan.problems) == has_control
            assert not plan.blocking
            if plan.adds["members"]:
                notes = plan.adds["members"][0].notes
                assert not safety.has_control_chars(notes)
