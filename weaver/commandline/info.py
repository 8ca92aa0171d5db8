"""weaver info FILE [--json]: what is in a document (opened read-only)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from ..core.metrics import NetworkData
from ..core.store import Document

HELP = "Print what is in a Weaver document (opens it read-only)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .weaver document")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def summary(path: Path, today: date | None = None) -> dict[str, Any]:
    """What the document holds. ``relationships`` counts every relationship recorded (the key
    kept for compatibility), ``ended_relationships`` those of them ended by ``today``, and
    ``tied_pairs`` the distinct pairs of members with a current relationship: the Health
    scorecard's "Tied pairs", counted by the same code."""
    today = today or date.today()
    with Document.open(path, readonly=True) as wb:
        counts = wb.counts()
        settings = wb.settings()
        # The store is the only module that runs SQL: the date range comes from its reads.
        days = sorted(e.date for e in wb.events() if e.date is not None)
        network = NetworkData(
            members={m.id: m for m in wb.members()}, relationships=wb.relationships(), today=today
        )
        return {
            "file": str(path),
            "name": settings.get("name", ""),
            **counts,
            "ended_relationships": wb.ended_relationships(today),
            "tied_pairs": network.graph().number_of_edges(),
            "first_event": days[0].isoformat() if days else None,
            "last_event": days[-1].isoformat() if days else None,
            "schema_version": wb.schema_version(),
            "integrity": wb.integrity(),
        }


def _relationships(info: dict[str, Any]) -> str:
    ended = info["ended_relationships"]
    return f"{info['relationships']}, {ended} ended" if ended else str(info["relationships"])


def run(args: argparse.Namespace) -> int:
    info = summary(Path(args.file))
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"{info['name']}  ({info['file']})")
    rows = [
        (
            "members",
            f"{info['members']}  ({info['people']} people, {info['organizations']} organizations)",
        ),
        ("relationships", _relationships(info)),
        ("tied pairs", f"{info['tied_pairs']}  (pairs of members with a current relationship)"),
        ("affiliations", str(info["affiliations"])),
        (
            "events",
            f"{info['events']}  ({info['attendance']} attendances"
            + (f", {info['first_event']} to {info['last_event']})" if info["first_event"] else ")"),
        ),
        ("history", f"{info['history']} recorded changes"),
        ("schema version", str(info["schema_version"])),
        ("integrity", info["integrity"]),
    ]
    for label, value in rows:
        print(f"  {label:<15}{value}")
    return 0
