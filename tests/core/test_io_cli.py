"""weaver import / weaver export on the command line."""

from __future__ import annotations

import json

import pytest

from weaver.cli import main
from weaver.core.store import Document

from .test_io_support import small_network


@pytest.fixture
def doc(tmp_path):
    small_network(tmp_path / "net.weaver").close()
    return tmp_path / "net.weaver"


def run_json(capsys, *args):
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_import_creates_a_new_network_and_reports_json(tmp_path, data_dir, capsys):
    target = tmp_path / "new.weaver"
    code, out = run_json(
        capsys, "import", str(target), str(data_dir / "kumu" / "paypal-mafia.xlsx")
    )
    assert code == 0
    assert set(out) >= {"added", "updated", "skipped", "problems"}
    for key in ("added", "updated", "skipped"):
        assert set(out[key]) == {
            "members",
            "relationships",
            "events",
            "attendance",
            "affiliations",
            "ratings",
            "snapshots",
        }
    assert out["added"]["members"] == 34
    with Document.open(target, readonly=True) as wb:
        assert wb.counts()["members"] == 34


def test_dry_run_creates_and_changes_nothing(tmp_path, data_dir, doc, capsys):
    target = tmp_path / "never.weaver"
    source = str(data_dir / "kumu" / "paypal-mafia.xlsx")
    code, out = run_json(capsys, "import", str(target), source, "--dry-run")
    assert code == 0 and out["added"]["members"] == 34
    assert not target.exists()
    before = doc.read_bytes()
    code, out = run_json(capsys, "import", str(doc), source, "--dry-run")
    assert code == 0 and out["added"]["members"] == 34
    assert doc.read_bytes() == before


def test_blocking_problem_exits_2_and_changes_nothing(tmp_path, data_dir, doc, capsys):
    before = doc.read_bytes()
    source = data_dir / "kumu" / "overview-of-the-euro-crisis.xlsx"
    # A refusal, even with --json: exit 2, one line on stderr naming the file, no stdout.
    assert main(["import", str(doc), str(source), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"weaver: {source}: ") and "damaged" in line
    assert doc.read_bytes() == before
    # Same exit code for a dry run, and no empty document left behind for a new FILE.
    assert main(["import", str(doc), str(source), "--dry-run"]) == 2
    assert main(["import", str(tmp_path / "fresh.weaver"), str(source)]) == 2
    assert not (tmp_path / "fresh.weaver").exists()


def test_plain_output_names_problems(tmp_path, doc, capsys):
    source = tmp_path / "people.csv"
    source.write_text("Name,Joined\nAna,not a date\n", encoding="utf-8")
    assert main(["import", str(doc), str(source)]) == 0
    out = capsys.readouterr().out
    assert "row 2" in out and "column 'Joined'" in out and "not a date" in out


def test_export_formats_from_extension(tmp_path, doc, capsys):
    before = doc.read_bytes()
    for name, fmt in [
        ("a.xlsx", "members"),  # the safe choice: the member list, not the whole record
        ("a.csv", "members-csv"),
        ("a.gexf", "gexf"),
        ("a.graphml", "graphml"),
    ]:
        assert main(["export", str(doc), str(tmp_path / name)]) == 0
        assert f"({fmt})" in capsys.readouterr().out
        assert (tmp_path / name).stat().st_size > 0
    for fmt in ("weaver", "kumu", "nodes-edges"):
        assert main(["export", str(doc), str(tmp_path / f"{fmt}.xlsx"), "--format", fmt]) == 0
    assert doc.read_bytes() == before  # opened read-only


def test_export_leaves_private_fields_out_unless_asked(tmp_path, doc, capsys):
    main(["export", str(doc), str(tmp_path / "list.csv")])
    assert "private fields left out" in capsys.readouterr().out
    assert "ada@example.org" not in (tmp_path / "list.csv").read_text(encoding="utf-8-sig")
    main(["export", str(doc), str(tmp_path / "list.csv"), "--include-private"])
    assert "ada@example.org" in (tmp_path / "list.csv").read_text(encoding="utf-8-sig")
    from python_calamine import CalamineWorkbook

    def members_sheet(name: str) -> list[list]:
        book = CalamineWorkbook.from_path(str(tmp_path / name))
        return book.get_sheet_by_name("Members").to_python()

    # A plain .xlsx is the member list, private fields out (it was the whole record, e-mails
    # and all, with nothing said).
    assert main(["export", str(doc), str(tmp_path / "share.xlsx")]) == 0
    assert "private fields left out (E-mail, Notes, Phone" in capsys.readouterr().out
    assert not any("ada@example.org" in row for row in members_sheet("share.xlsx"))
    # The whole record leaves them out too unless asked for, and says so either way.
    main(["export", str(doc), str(tmp_path / "all.xlsx"), "--format", "weaver"])
    assert "private fields left out" in capsys.readouterr().out
    assert not any("ada@example.org" in row for row in members_sheet("all.xlsx"))
    main(
        ["export", str(doc), str(tmp_path / "all.xlsx"), "--format", "weaver", "--include-private"]
    )
    assert "includes private fields (E-mail" in capsys.readouterr().out
    assert any("ada@example.org" in row for row in members_sheet("all.xlsx"))


def test_export_to_unknown_extension_or_missing_folder_exits_2(tmp_path, doc, capsys):
    assert main(["export", str(doc), str(tmp_path / "a.pdf")]) == 2
    assert "extension" in capsys.readouterr().err
    assert main(["export", str(doc), str(tmp_path / "nope" / "a.xlsx")]) == 2
    assert main(["export", str(doc), str(tmp_path / "k.csv"), "--format", "kumu"]) == 2
    assert ".xlsx file name" in capsys.readouterr().err
    assert not (tmp_path / "k.csv").exists()


def test_prune_on_the_command_line(tmp_path, doc, capsys):
    source = tmp_path / "one.csv"
    source.write_text("Name,E-mail\nAda Lovelace,ada@example.org\n", encoding="utf-8")
    code, out = run_json(capsys, "import", str(doc), str(source), "--prune", "--dry-run")
    assert code == 0 and out["removed"]["members"] == 2
    code, out = run_json(capsys, "import", str(doc), str(source), "--prune")
    with Document.open(doc, readonly=True) as wb:
        assert [m.name for m in wb.members()] == ["Ada Lovelace"]
        assert wb.integrity() == "ok"
