"""Where Weaver may write a file: the one check every writer makes before it writes anything.

Exports, reports, screenshots, map images, the replay GIF and Save a Copy all write a file the
user named. A slip of the tab key (``weaver export net.weaver net.weaver``) must never turn a
network into a GEXF file, so :func:`check_destination` refuses, each with a one-line reason:

- a destination that is the open document itself (the same file, however it is spelled);
- an existing Weaver document, told by its content (the SQLite header with Weaver's
  ``application_id``), whatever its name, and any existing ``.weaver`` file;
- a file another Weaver window has open (a live lock file ``NAME.lock`` beside it; a lock
  left by a crashed process does not count, as :mod:`.lockfile` says);
- a document's own companion files: its lock (``X.weaver.lock``) and SQLite's journal files
  (``X.weaver-journal``, ``-wal``, ``-shm``), which Weaver and SQLite rely on to keep it whole;
- an existing folder, or anything that is not a regular file (a FIFO, a socket, a device):
  writing there would hang, fail half-way, or not be a file the user can open;
- a destination whose folder does not exist, is not a folder, or cannot be written in;
- a symbolic link leading to any of the above (links are followed; the file they lead to is
  what gets written).

``weaver demo FILE --force`` writes a document on purpose: ``may_replace_document=True`` lets
it replace an existing, unlocked Weaver document, and nothing else on that list.

:func:`atomic_path` is how a writer then writes: into a temporary file beside the destination,
renamed over it only once complete (so a failure or a refusal leaves nothing behind), with the
permissions of any new file the user makes (``0o666`` less the umask; a plain ``mkstemp``
would leave ``0600``).
"""

from __future__ import annotations

import os
import stat
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DocumentError, RefusedDestination
from .lockfile import live_holder
from .schema import APPLICATION_ID
from .store_files import SQLITE_MAGIC, special_file_kind

DOCUMENT_SUFFIX = ".weaver"
# Files that live beside a document and belong to it: Weaver's lock (named as
# lockfile.lock_path names it) and SQLite's journals.
COMPANION_SUFFIXES = {
    ".lock": "the lock file",
    "-journal": "the journal",
    "-wal": "the write-ahead log",
    "-shm": "the shared-memory file",
}
# The SQLite header stores the application id big-endian at byte 68 (sqlite.org/fileformat).
_APPLICATION_ID_OFFSET = 68

_umask_guard = threading.Lock()


def check_destination(
    dest: Path | str, *, source: Path | str | None = None, may_replace_document: bool = False
) -> Path:
    """The path to write for ``dest`` (symbolic links followed), or :class:`RefusedDestination`.

    ``source`` is the document being read (Save a Copy's own file), refused by identity as well
    as by content. See the module docstring for the rules.
    """
    dest = Path(dest)
    try:
        target = dest.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links
        raise RefusedDestination(dest, f"cannot be written: {_why(exc)}") from exc
    if source is not None and _same_file(target, Path(source)):
        raise RefusedDestination(dest, "is the open document itself; choose another name")
    companion = _companion_of(target)
    if companion is not None:
        what, document = companion
        raise RefusedDestination(
            dest, f"is {what} of the Weaver document {document.name}; choose another name"
        )
    holder = live_holder(target)
    if holder is not None:
        raise RefusedDestination(
            dest,
            f"is open for editing ({holder}) and cannot be replaced; choose another name",
        )
    try:
        info = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None  # a new file (or no folder for it: said below)
    except OSError as exc:
        raise RefusedDestination(dest, f"cannot be written: {_why(exc)}") from exc
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise RefusedDestination(dest, "is a folder; choose a file name inside it")
        if not stat.S_ISREG(info.st_mode):
            kind = special_file_kind(info.st_mode)
            raise RefusedDestination(dest, f"is {kind}, not a file; choose an ordinary file name")
        try:
            document = _is_weaver_document(target)
        except OSError as exc:
            # What cannot be read cannot be told apart from a document: never risk replacing one.
            raise RefusedDestination(
                dest, f"cannot be checked before writing ({_why(exc)}); choose another name"
            ) from exc
        if document and not may_replace_document:
            raise RefusedDestination(
                dest,
                "is a Weaver document and would be replaced; choose a new name "
                "(or delete the old file first)",
            )
    _check_folder(dest, target.parent)
    return target


def _is_weaver_document(path: Path) -> bool:
    """Whether the regular file ``path`` is a Weaver document: by content (SQLite's header with
    Weaver's application id) or by its ``.weaver`` name. OSError when it cannot be read."""
    if path.suffix.casefold() == DOCUMENT_SUFFIX:
        return True
    with path.open("rb") as f:
        header = f.read(_APPLICATION_ID_OFFSET + 4)
    if not header.startswith(SQLITE_MAGIC) or len(header) < _APPLICATION_ID_OFFSET + 4:
        return False
    (application_id,) = struct.unpack_from(">i", header, _APPLICATION_ID_OFFSET)
    return application_id == APPLICATION_ID


def _companion_of(path: Path) -> tuple[str, Path] | None:
    """(what it is, the document) when ``path`` names a document's lock or journal file."""
    name = path.name
    for suffix, what in COMPANION_SUFFIXES.items():
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        document = path.with_name(name[: -len(suffix)])
        if document.suffix.casefold() == DOCUMENT_SUFFIX:
            return what, document
        try:
            if document.is_file() and _is_weaver_document(document):
                return what, document
        except OSError:
            # An unreadable neighbour: it might be a document, so its lock or journal is off
            # limits too.
            return what, document
    return None


def new_file_mode() -> int:
    """The permissions a new file gets here: ``0o666`` less the process's umask."""
    return 0o666 & ~_umask()


@contextmanager
def atomic_path(dest: Path | str, *, source: Path | str | None = None) -> Iterator[Path]:
    """A temporary path beside ``dest`` to write; renamed over ``dest`` only if the body
    succeeds. ``dest`` is checked first (:func:`check_destination`); a refusal, or a failure
    anywhere, leaves nothing behind."""
    dest = Path(dest)
    target = check_destination(dest, source=source)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        # The folder passed os.access but still refuses new files (a read-only mount, a
        # filesystem that takes no files, access rules os.access cannot see).
        raise RefusedDestination(
            dest, f"cannot be written: no file can be made in folder {target.parent} ({_why(exc)})"
        ) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            os.chmod(tmp, new_file_mode())
            os.replace(tmp, target)
        except OSError as exc:
            raise DocumentError(dest, f"cannot be written ({_why(exc)})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_folder(dest: Path, folder: Path) -> None:
    if not folder.exists():
        raise RefusedDestination(dest, f"cannot be written: folder {folder} does not exist")
    if not folder.is_dir():
        raise RefusedDestination(dest, f"cannot be written: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RefusedDestination(
            dest, f"cannot be written: folder {folder} is read-only (or not yours to write in)"
        )


def _same_file(target: Path, source: Path) -> bool:
    try:
        return os.path.samefile(target, source)
    except OSError:  # one of them does not exist (yet)
        return target == source.resolve()


def _why(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _umask() -> int:
    """The umask, read without changing it where the system tells it (Linux 4.7+): setting it
    to read it back is process-wide, and a thread creating a file meanwhile would get 0."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_guard:
        current = os.umask(0o022)
        os.umask(current)
    return current
