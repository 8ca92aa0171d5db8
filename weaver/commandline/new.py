"""weaver new FILE [--name NAME] [--force]: make an empty network."""

from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path

from ..core.destination import check_destination
from ..core.errors import DocumentError
from ..core.lockfile import DocumentLock, temporary_sibling
from ..core.store import Document
from ..logs import log

HELP = "Make a new, empty Weaver document at FILE."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="where to write the .weaver document")
    parser.add_argument(
        "--name",
        default=None,
        help="the network's name (default: the file's name, e.g. 'riverbend' for riverbend.weaver)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace FILE if it exists (never a document open in a Weaver window)",
    )


def network_name(path: Path, name: str | None) -> str:
    """The name asked for, else the file's name without its suffix, as File ▸ New names it
    (a blank ``--name`` is no name at all)."""
    if name is not None and name.strip():
        return name.strip()
    return path.stem


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    name = network_name(path, args.name)
    # A folder, a FIFO, a document open in a window, a lock or journal file, a missing or
    # read-only folder: refused whatever --force says. An existing file only with --force.
    target = check_destination(path, may_replace_document=True)  # links followed
    if target.exists():
        if not args.force:
            raise DocumentError(path, "already exists (use --force to replace it)")
        _replace(target, path, name)
    else:
        Document.create(target, name=name).close()
    print(f"Made the empty network '{name}' in {path}. Open it with: weaver {path}")
    return 0


def _replace(target: Path, path: Path, name: str) -> None:
    """Write the new document beside ``target`` and move it over only once complete, holding
    ``target``'s lock meanwhile: a window opening it then waits for a whole document, and a
    failure leaves the old file as it was (and no temporary file behind)."""
    lock = DocumentLock(target)
    lock.acquire()  # refuses unless the lock is stale: someone may have just opened it
    tmp = temporary_sibling(target)
    try:
        Document.create(tmp, name=name).close()
        os.replace(tmp, target)
    except DocumentError as exc:
        raise DocumentError(path, exc.reason.replace(str(tmp), str(path))) from exc
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DocumentError(path, f"cannot be written ({reason})") from exc
    finally:
        lock.release()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove temporary file %s", leftover)
