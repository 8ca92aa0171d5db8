"""weaver export FILE.weaver DEST [--format …] [--include-private]"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.io.exporting import export, privacy_summary, written_files
from ..core.store import Document

HELP = (
    "Export a Weaver document (opened read-only) to a spreadsheet or graph file. The format "
    "follows DEST's extension (.xlsx or .csv the member list, .gexf, .graphml) unless --format "
    "says otherwise (--format weaver: the Weaver workbook, the whole record for re-import); "
    "--format nodes-edges with a .csv DEST writes two files for Gephi, DEST-nodes.csv and "
    "DEST-edges.csv. Every format leaves out private fields and names no member who did not "
    "consent unless --include-private is given; each export says in one line what it left out."
)
CLI_FORMATS = ("weaver", "members", "kumu", "nodes-edges", "gexf", "graphml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document")
    parser.add_argument("dest", help="the file to write (replaced only if writing succeeds)")
    parser.add_argument("--format", choices=CLI_FORMATS, default=None)
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="include private fields (e-mail, phone, notes… as the network's settings say) and "
        "name members who did not consent",
    )


def run(args: argparse.Namespace) -> int:
    dest = Path(args.dest)
    with Document.open(Path(args.file), readonly=True) as wb:
        fmt = export(wb, dest, args.format, include_private=args.include_private)
        privacy = privacy_summary(wb, include_private=args.include_private)
    files = " and ".join(str(p) for p in written_files(dest, fmt))
    print(f"wrote {files} ({fmt}): {privacy}")
    return 0
