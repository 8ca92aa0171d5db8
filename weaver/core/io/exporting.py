"""Write a network to any supported format, atomically (temp file + rename).

Every format goes through the document's share view (:mod:`weaver.core.privacy`): private
fields and members who did not consent stay out unless ``include_private`` is given on
purpose. A destination with no format named is read as the safe choice: ``.xlsx`` and ``.csv``
mean the member list; the complete record is asked for by name (``weaver``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import DocumentError
from ..privacy import share_view
from ..store import Document
from . import gexf, graphml, kumu, member_list, nodes_edges_out, xlsx_weaver_write

FORMATS = ("weaver", "members", "members-csv", "kumu", "nodes-edges", "gexf", "graphml")
FORMAT_NAMES = {
    "weaver": "Weaver workbook (.xlsx), the whole record for re-import",
    "members": "Member list (.xlsx)",
    "members-csv": "Member list (.csv)",
    "kumu": "Kumu workbook (.xlsx)",
    "nodes-edges": "Node and edge tables for Gephi (.xlsx, or two .csv files)",
    "gexf": "GEXF 1.3 for Gephi (.gexf)",
    "graphml": "GraphML (.graphml)",
}
SUFFIX = {
    "weaver": ".xlsx",
    "members": ".xlsx",
    "members-csv": ".csv",
    "kumu": ".xlsx",
    "nodes-edges": ".xlsx",
    "gexf": ".gexf",
    "graphml": ".graphml",
}
# Formats written as two CSV files when DEST ends in .csv (Gephi's nodes and edges tables).
CSV_PAIR = {"nodes-edges"}


def written_files(dest: Path | str, fmt: str) -> list[Path]:
    """The files an export of ``fmt`` to ``dest`` writes (two for node/edge CSV tables)."""
    dest = Path(dest)
    if fmt in CSV_PAIR and dest.suffix.casefold() == ".csv":
        return list(nodes_edges_out.csv_paths(dest))
    return [dest]


def guess_format(dest: Path) -> str:
    suffix = dest.suffix.casefold()
    guessed = {
        ".xlsx": "members",
        ".csv": "members-csv",
        ".gexf": "gexf",
        ".graphml": "graphml",
    }.get(suffix)
    if guessed is None:
        raise DocumentError(
            dest,
            "cannot tell the format from the extension; use .xlsx, .csv, .gexf or .graphml "
            "or give --format",
        )
    return guessed


def export(
    wb: Document,
    dest: Path | str,
    fmt: str | None = None,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> str:
    """Write ``wb`` to ``dest``; returns the format written. An existing ``dest`` is replaced
    only when the whole file was written. ``nodes-edges`` to a ``.csv`` name writes two files,
    ``<stem>-nodes.csv`` and ``<stem>-edges.csv`` (see :func:`written_files`)."""
    dest = Path(dest)
    fmt = fmt or guess_format(dest)
    if fmt == "members" and dest.suffix.casefold() == ".csv":
        fmt = "members-csv"
    pair = fmt in CSV_PAIR and dest.suffix.casefold() == ".csv"
    if SUFFIX.get(fmt) == ".xlsx" and dest.suffix.casefold() not in (".xlsx", ".xlsm") and not pair:
        also = " or .csv" if fmt in CSV_PAIR else ""
        raise DocumentError(
            dest, f"cannot be written as {FORMAT_NAMES[fmt]}: give it a .xlsx{also} file name"
        )
    if fmt == "weaver":
        xlsx_weaver_write.export(wb, dest, include_private=include_private, progress=progress)
    elif fmt == "members":
        member_list.export_xlsx(wb, dest, include_private=include_private, progress=progress)
    elif fmt == "members-csv":
        member_list.export_csv(wb, dest, include_private=include_private)
    elif fmt == "kumu":
        kumu.export(wb, dest, include_private=include_private, progress=progress)
    elif pair:
        nodes_edges_out.export_csv(wb, dest, include_private=include_private)
    elif fmt == "nodes-edges":
        nodes_edges_out.export(wb, dest, include_private=include_private, progress=progress)
    elif fmt == "gexf":
        gexf.export(wb, dest, include_private=include_private, progress=progress)
    elif fmt == "graphml":
        graphml.export(wb, dest, include_private=include_private, progress=progress)
    else:
        raise DocumentError(dest, f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def privacy_summary(wb: Document, *, include_private: bool = False) -> str:
    """The one line an export says about privacy: what it leaves out, or that it includes
    private fields (the same words on the command line and in the export dialog)."""
    return share_view(wb, include_private=include_private).summary()
