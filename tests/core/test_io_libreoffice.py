"""Files Weaver writes open in LibreOffice, and a workbook LibreOffice saves again comes back
unchanged (run where LibreOffice is installed; skipped elsewhere)."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from weaver.core.io.exporting import export
from weaver.core.io.importing import read_plan

from .test_io_support import small_network

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def convert(path, to: str, out, tmp_path):
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            str(path),
            "--outdir",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def test_libreoffice_resave_round_trips_unchanged(tmp_path):
    wb = small_network(tmp_path / "net.weaver")
    export(wb, tmp_path / "net.xlsx", "weaver", include_private=True)
    convert(tmp_path / "net.xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved", tmp_path)
    plan = read_plan(wb, tmp_path / "resaved" / "net.xlsx")
    assert not plan.problems
    assert plan.is_empty, plan.summary()
    wb.close()


def test_libreoffice_reads_the_member_list(tmp_path):
    wb = small_network(tmp_path / "net.weaver")
    export(wb, tmp_path / "list.xlsx", "members")
    convert(tmp_path / "list.xlsx", "csv", tmp_path / "out", tmp_path)
    with (tmp_path / "out" / "list.csv").open(encoding="utf-8") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    assert rows["Ada Lovelace"]["Joined on"] == "2021-04-05"  # a date cell, shown as a date
    assert rows["Ada Lovelace"]["Organizations"] == "Riverside Food Bank"
    wb.close()
