"""weaver report FILE [--json] [--out REPORT.xlsx|REPORT.pdf]: the weaving report.

The document is opened read-only. Private fields never appear in any output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..core.destination import check_destination
from ..core.health import assess
from ..core.metrics import load_network
from ..core.report_data import build_report, load_snapshots, map_data
from ..core.store import Document
from ..errors import UsageError

HELP = (
    "Network health, suggested introductions and nudges for a Weaver document: printed, as "
    "JSON (--json), or written to a spreadsheet or printable PDF (--out report.xlsx|.pdf)."
)
FORMATS = (".xlsx", ".pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document (opened read-only)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--out", metavar="REPORT", help="write the report to REPORT.xlsx or REPORT.pdf"
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="read the network as of this day (default: today)",
    )
    parser.add_argument(
        "--top", type=int, default=50, metavar="N", help="suggested introductions (default 50)"
    )


def run(args: argparse.Namespace) -> int:
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise UsageError(
                f"--today must be a date like 2026-11-22, not {args.today!r}"
            ) from None
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix.lower() not in FORMATS:
            raise UsageError(f"{out}: the report can be written as .xlsx or .pdf")
        # Refused before anything is read or drawn (a PDF starts Qt's painter): one line.
        check_destination(out)
    with Document.open(Path(args.file), readonly=True) as wb:
        data = load_network(wb, today)
        snapshots = load_snapshots(wb)
    health = assess(data)
    report = build_report(data, snapshots, top=args.top, health=health)
    if out is not None:
        drawing = map_data(data, health) if out.suffix.lower() == ".pdf" else None
        write_report(report, out, drawing)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif out is None:
        _print_summary(report)
    else:
        print(f"wrote {out}")
    return 0


def write_report(report: dict[str, Any], out: Path, drawing: dict[str, Any] | None = None) -> None:
    from ..core.errors import DocumentError

    try:
        if out.suffix.lower() == ".xlsx":
            from ..core.report_xlsx import write_report_xlsx

            write_report_xlsx(report, out)
        else:
            _ensure_qt_platform()
            from ..ui.report_pdf import write_report_pdf

            write_report_pdf(report, out, drawing)
    except OSError as exc:
        raise DocumentError(out, f"cannot be written ({exc.strerror or exc})") from exc


def _ensure_qt_platform() -> None:
    """A PDF needs Qt's painter; with no screen, draw offscreen."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _print_summary(report: dict[str, Any]) -> None:
    print(f"{report['name']}: weaving report for {report['generated_on']}")
    print(f"  stage          {report['stage']}")
    for line in report["stage_evidence"]:
        print(f"                 - {line}")
    for row in report["scorecard"]:
        value = row["value"]
        shown = "—" if value is None else value
        print(f"  {row['measure']:<42}{shown}")
    if report["brokers"]:
        print("  top brokers    " + ", ".join(report["brokers"][:5]))
    if report["suggestions"]:
        print("  suggested introductions:")
        for s in report["suggestions"][:10]:
            print(f"    {s['a']} + {s['b']}  ({s['score']}): {'; '.join(s['reasons'])}")
    counts: dict[str, int] = {}
    for n in report["nudges"]:
        counts[n["kind"]] = counts.get(n["kind"], 0) + 1
    if counts:
        print(
            "  nudges         "
            + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())
        )
