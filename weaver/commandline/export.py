"""weaver export FILE.weaver DEST [--format …] [--include-private]"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.io.exporting import export, written_files
from ..core.io.privacy import describe_private
from ..core.store import Workbook

HELP = (
    "Export a Weaver document (opened read-only) to a spreadsheet or graph file. The format "
    "follows DEST's extension (.xlsx the Weaver workbook, .csv the member list, .gexf, "
    ".graphml) unless --format says otherwise; --format nodes-edges with a .csv DEST writes "
    "two files for Gephi, DEST-nodes.csv and DEST-edges.csv. Private fields stay out of every "
    "format but the Weaver workbook unless --include-private is given."
)
CLI_FORMATS = ("weaver", "members", "kumu", "nodes-edges", "gexf", "graphml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document")
    parser.add_argument("dest", help="the file to write (replaced only if writing succeeds)")
    parser.add_argument("--format", choices=CLI_FORMATS, default=None)
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="include private fields (e-mail, phone, notes… as the network's settings say)",
    )


def run(args: argparse.Namespace) -> int:
    dest = Path(args.dest)
    with Workbook.open(Path(args.file), readonly=True) as wb:
        fmt = export(wb, dest, args.format, include_private=args.include_private)
        private = describe_private(wb)
    note = ""
    if fmt != "weaver" and private:
        state = "included" if args.include_private else "left out"
        note = f" (private fields {state}: {', '.join(private)})"
    files = " and ".join(str(p) for p in written_files(dest, fmt))
    print(f"wrote {files} ({fmt}){note}")
    return 0
