"""weaver demo FILE [--force] [--as-of DATE] [--seed N]: write the built-in demo network."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..core.demo import write_demo
from ..core.destination import check_destination
from ..core.errors import DocumentError
from ..core.lockfile import DocumentLock

HELP = "Write the built-in demo network (Riverbend) to FILE."


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="where to write the .weaver document")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="date the demo's history runs up to (default: today)",
    )
    parser.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    # A folder, a FIFO, a document open in a window, a lock or journal file, a missing or
    # read-only folder: refused whatever --force says. An existing document only with --force.
    target = check_destination(path, may_replace_document=True)  # links followed
    if path.exists() and not args.force:
        raise DocumentError(path, "already exists (use --force to replace it)")
    # Replacing a document another window is editing would pull it from under it: hold its
    # lock while the new file is written (this refuses unless the lock is stale).
    lock = DocumentLock(target) if target.exists() else None
    if lock is not None:
        lock.acquire()
    try:
        counts = write_demo(target, as_of=args.as_of or date.today(), seed=args.seed)
    finally:
        if lock is not None:
            lock.release()
    print(
        f"Wrote the demo network to {path}: {counts['members']} members "
        f"({counts['people']} people, {counts['organizations']} organizations), "
        f"{counts['relationships']} relationships, {counts['events']} events."
    )
    print(f"Open it with: weaver {path}   (or see what is in it: weaver info {path})")
    return 0
