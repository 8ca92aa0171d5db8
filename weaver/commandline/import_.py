"""weaver import FILE.weaver SOURCE [--format …] [--dry-run] [--prune] [--json]"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from ..core.io.importing import FORMATS, read_plan
from ..core.io.plan import ApplyImportPlan, ImportPlan
from ..core.store import Workbook

HELP = (
    "Import a spreadsheet or graph file into a Weaver document (created when missing) as one "
    "undoable change. Prints what was added, updated and skipped, and every problem; exits 2 "
    "when a problem blocks the import (nothing is changed then)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document (created as a new network if missing)")
    parser.add_argument("source", help="the file to import (.xlsx, .csv, .gexf, .graphml)")
    parser.add_argument(
        "--format", choices=FORMATS, default="auto", help="the source's format (default: detect)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only report what would change; write nothing"
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove members (and, for a Weaver workbook, any row) missing from the file",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    path, source = Path(args.file), Path(args.source)
    if not path.exists() and args.dry_run:
        # Match against an empty network in a scratch folder, removed afterwards.
        with (
            tempfile.TemporaryDirectory(prefix="weaver-dry-run-") as folder,
            Workbook.create(Path(folder) / "dry-run.weaver") as wb,
        ):
            plan = read_plan(wb, source, fmt=args.format, prune=args.prune)
        _report(plan, args, applied=False)
        return 2 if plan.blocking else 0
    created = not path.exists()
    if created:
        wb = Workbook.create(path, name=source.stem)
    else:
        wb = Workbook.open(path, readonly=args.dry_run)
    try:
        plan = read_plan(wb, source, fmt=args.format, prune=args.prune)
        applied = False
        if not plan.blocking and not args.dry_run and not plan.is_empty:
            ApplyImportPlan(plan, f"Import {source.name}").apply(wb)
            applied = True
    finally:
        wb.close()
    if created and plan.blocking:
        path.unlink(missing_ok=True)  # a refused import leaves no empty document behind
    _report(plan, args, applied)
    return 2 if plan.blocking else 0


def _report(plan: ImportPlan, args: argparse.Namespace, applied: bool) -> None:
    if args.json:
        out = plan.to_json()
        out["applied"] = applied
        out["dry_run"] = bool(args.dry_run)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if plan.blocking:
        head = "refused"
    elif args.dry_run:
        head = "dry run, nothing written"
    else:
        head = "imported" if applied else "nothing to import"
    summary = "" if plan.blocking else f": {plan.summary(applied)}"
    print(f"{plan.source} ({plan.format}), {head}{summary}")
    matches = {k: v for k, v in plan.match_counts().items() if v}
    if matches:
        print(
            "  matched existing members by " + ", ".join(f"{k} ({v})" for k, v in matches.items())
        )
    for notice in plan.notices:
        print(f"  note: {notice}")
    for p in plan.problems:
        print(f"  {'ERROR' if p.blocking else 'warning'}: {p}")
    if plan.blocking:
        print("  nothing was imported: fix the blocking problems and try again")
