"""weaver import FILE.weaver SOURCE [--format …] [--dry-run] [--prune] [--json]"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path

from ..core.errors import DocumentError
from ..core.io.importing import FORMATS, read_plan
from ..core.io.plan import ApplyImportPlan, ImportPlan, Problem
from ..core.store import Document
from ..logs import log

HELP = (
    "Import a spreadsheet or graph file into a Weaver document (created when missing) as one "
    "undoable change. Prints what was added, updated and skipped, and every problem; when a "
    "problem blocks the import nothing is changed, it exits 2 and says why in one line on "
    "stderr (every blocking problem is also written to the log file)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document (created as a new network if missing)")
    parser.add_argument(
        "source", help="the file to import (.xlsx, .csv, .gexf, .graphml, .gml, .net)"
    )
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
    parser.add_argument(
        "--create-missing-members",
        action="store_true",
        help="when the file lists its members (a nodes table), add a relationship's ends that "
        "are missing from it as new members instead of skipping the relationship",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    path, source = Path(args.file), Path(args.source)
    if not path.exists() and args.dry_run:
        # Match against an empty network in a scratch folder, removed afterwards.
        with (
            tempfile.TemporaryDirectory(prefix="weaver-dry-run-") as folder,
            Document.create(Path(folder) / "dry-run.weaver") as wb,
        ):
            plan = _read(wb, source, args)
        _refuse_if_blocked(plan, source)
        _report(plan, args, applied=False)
        return 0
    created = not path.exists()
    if created:
        wb = Document.create(path, name=source.stem)
    else:
        wb = Document.open(path, readonly=args.dry_run)
    try:
        plan = _read(wb, source, args)
        applied = False
        if not plan.blocking and not args.dry_run and not plan.is_empty:
            ApplyImportPlan(plan, f"Import {source.name}").apply(wb)
            applied = True
    finally:
        wb.close()
    if created and plan.blocking:
        path.unlink(missing_ok=True)  # a refused import leaves no empty document behind
    _refuse_if_blocked(plan, source)
    _report(plan, args, applied)
    return 0


def _read(wb: Document, source: Path, args: argparse.Namespace) -> ImportPlan:
    return read_plan(
        wb,
        source,
        fmt=args.format,
        prune=args.prune,
        create_missing_members=args.create_missing_members,
    )


def _refuse_if_blocked(plan: ImportPlan, source: Path) -> None:
    """A blocked import is a refusal: one line on stderr (via DocumentError, exit 2), nothing
    on stdout. The line holds the first blocking problem; all of them go to the log."""
    blocking = [p for p in plan.problems if p.blocking]
    if not blocking:
        return
    for problem in blocking:
        log.info("import of %s blocked: %s", source, problem)
    reason = _located(blocking[0])
    if len(blocking) > 1:
        reason += f" (and {len(blocking) - 1:,} more blocking problems, listed in the log file)"
    # One line even when a message quotes a cell that holds a line break.
    raise DocumentError(source, " ".join(f"{reason}; nothing was imported".splitlines()))


def _located(problem: Problem) -> str:
    """The problem without its file name (the refusal line starts with the source path)."""
    return str(dataclasses.replace(problem, file="")).removeprefix(": ")


def _report(plan: ImportPlan, args: argparse.Namespace, applied: bool) -> None:
    if args.json:
        out = plan.to_json()
        out["applied"] = applied
        out["dry_run"] = bool(args.dry_run)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if args.dry_run:
        head = "dry run, nothing written"
    else:
        head = "imported" if applied else "nothing to import"
    summary = f": {plan.summary(applied)}"
    print(f"{plan.source} ({plan.format}), {head}{summary}")
    matches = {k: v for k, v in plan.match_counts().items() if v}
    if matches:
        print(
            "  matched existing members by " + ", ".join(f"{k} ({v})" for k, v in matches.items())
        )
    for notice in plan.notices:
        print(f"  note: {notice}")
    for p in plan.problems:
        print(f"  warning: {p}")
