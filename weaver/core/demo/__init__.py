"""The built-in demo network: Riverbend, a river valley weaving its work together.

It is the first thing a newcomer sees, so it tells a story. After a flood, neighbours who met
sandbagging along the river kept meeting; today Confluence Center hosts a network with a
steering circle at its core, three clusters (food & farms, housing & health, youth & arts), a
few people who bridge them, climate work that touches everyone, members who have drifted away
(ties going cold), and newcomers nobody has introduced yet (isolates).

Everything is derived from a seed (``random.Random``), and every date, including the
``created_at`` stamps, from an ``as_of`` date: the same arguments give the same document, and a
later ``as_of`` gives the same people and ids with their history shifted forward. All names,
e-mail addresses (``.example``) and phone numbers (555-01xx) are invented.

The package: :mod:`.content` holds the cast and the story's tables, :mod:`.story` writes the
network from them (its meetings in :mod:`.meetings`), :mod:`.document` turns it into model
entities, and :func:`write_demo` here stores them in a ``.weaver`` file.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import date
from pathlib import Path

from ..commands import AddEntities, SetSettings
from ..errors import DocumentError
from ..lockfile import temporary_sibling
from ..store import Document
from .document import Demo
from .story import Story

log = logging.getLogger(__name__)


def build_demo(as_of: date, seed: int = 7) -> Demo:
    """The Riverbend network as it stands on ``as_of`` (the same arguments, the same network)."""
    return Story(as_of, seed).build()


def write_demo(path: Path | str, as_of: date, seed: int = 7) -> dict[str, int]:
    """Write the demo to ``path`` atomically and return the document's counts.

    The document is built in a hidden temporary file beside ``path`` and moved over it only
    once complete, so a failure never leaves half a document (or a temporary file) behind.
    One left by a demo that was killed mid-write is removed by the next writer in the folder
    (creating the temporary file here is one: see ``Document.create``).
    """
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        raise DocumentError(path, f"cannot be written: folder {folder} does not exist")
    if not folder.is_dir():
        raise DocumentError(path, f"cannot be written: {folder} is not a folder")
    if path.is_dir():
        raise DocumentError(path, "cannot be written: it is a folder")
    demo = build_demo(as_of, seed)
    tmp = temporary_sibling(path)
    try:
        wb = Document.create(tmp, name=demo.settings["name"])
        try:
            AddEntities(demo.entities(), "Create demo network").apply(wb)
            SetSettings(demo.settings, "Name the demo network").apply(wb)
            counts = wb.counts()
        finally:
            wb.close()
        os.replace(tmp, path)
    except DocumentError as exc:
        _discard(tmp)
        raise DocumentError(path, exc.reason.replace(str(tmp), str(path))) from exc
    except (OSError, sqlite3.Error) as exc:
        _discard(tmp)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DocumentError(path, f"cannot be written ({reason})") from exc
    except BaseException:
        _discard(tmp)
        raise
    return counts


def _discard(tmp: Path) -> None:
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove temporary file %s", leftover)
