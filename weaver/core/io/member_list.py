"""The member list: one row per member, the sheet people e-mail around (.xlsx or .csv).

Organizations, tags, offers, needs, relationship and meeting counts, last in-person meeting.
Private fields are left out unless the caller includes them. A "Weaver ID" column lets a list
that comes back be matched by id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..destination import atomic_path
from ..privacy import share_view
from ..store import Document
from .csv_text import WEAVER_MARKER, write_csv
from .xlsx_out import DATE, NUMBER, TEXT, Column, SheetSpec, check_rows, write_xlsx

# (header, field or computed key, kind)
COLUMNS: list[tuple[str, str, str]] = [
    ("Name", "name", TEXT),
    ("Kind", "kind", TEXT),
    ("Organizations", "organizations", TEXT),
    ("Role", "role", TEXT),
    ("E-mail", "email", TEXT),
    ("Phone", "phone", TEXT),
    ("Location", "location", TEXT),
    ("Sector", "sector", TEXT),
    ("Tags", "tags", TEXT),
    ("Offers", "offers", TEXT),
    ("Needs", "needs", TEXT),
    ("Relationships", "relationship_count", NUMBER),
    ("Meetings", "meeting_count", NUMBER),
    ("Last in-person meeting", "last_met", DATE),
    ("Joined on", "joined_on", DATE),
    ("Consent", "consent", TEXT),
    ("Notes", "notes", TEXT),
]
COMPUTED = {"organizations", "relationship_count", "meeting_count", "last_met"}


def table(wb: Document, include_private: bool = False) -> tuple[list[Column], list[list[Any]]]:
    """The member list's columns and rows, through the document's share view: private fields
    left out, members who did not consent as "Member N" rows with nothing of theirs."""
    view = share_view(wb, include_private=include_private)
    private = view.private.members
    members = sorted(wb.members(), key=lambda m: (m.kind != "person", view.name(m).casefold()))
    names = {m.id: view.name(m) for m in members}
    orgs: dict[str, list[str]] = defaultdict(list)
    for a in wb.affiliations():
        orgs[a.person_id].append(names.get(a.organization_id, ""))
    rel_count: Counter[str] = Counter()
    for r in wb.relationships():
        rel_count[r.source_id] += 1
        rel_count[r.target_id] += 1
    events = {e.id: e for e in wb.events()}
    meetings: Counter[str] = Counter()
    last_met: dict[str, date] = {}
    for a in wb.attendance():
        meetings[a.member_id] += 1
        e = events.get(a.event_id)
        if (
            e
            and e.in_person
            and e.date
            and (a.member_id not in last_met or e.date > last_met[a.member_id])
        ):
            last_met[a.member_id] = e.date
    shown = view.members(members)
    custom_keys = sorted({k for m in shown for k in m.custom})
    spec = [c for c in COLUMNS if c[1] not in private]
    columns = [Column(h, k) for h, _, k in spec]
    columns += [Column(k) for k in custom_keys] + [Column(WEAVER_MARKER)]
    rows = []
    for real, m in zip(members, shown, strict=True):
        if view.is_anonymous(real.id):
            # Only the alias and the kind: counts and dates would single them out again, and
            # no id, so the row cannot be joined to another output.
            row: list[Any] = [None] * len(spec)
            row[0], row[1] = m.name, m.kind
            rows.append(row + [""] * len(custom_keys) + [""])
            continue
        computed = {
            "organizations": "; ".join(sorted(o for o in orgs.get(m.id, []) if o)),
            "relationship_count": rel_count[m.id],
            "meeting_count": meetings[m.id],
            "last_met": last_met.get(m.id),
            "tags": "; ".join(m.tags),
            "offers": "; ".join(str(i) for i in m.offers),
            "needs": "; ".join(str(i) for i in m.needs),
            "consent": {"yes": "yes", "no": "no"}.get(m.consent, "not asked"),
        }
        row = [computed[f] if f in computed else getattr(m, f) for _, f, _ in spec]
        rows.append(row + [m.custom.get(k, "") for k in custom_keys] + [m.id])
    return columns, rows


def export_xlsx(
    wb: Document,
    dest: Path,
    *,
    include_private: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    columns, rows = table(wb, include_private)
    write_xlsx(dest, [SheetSpec("Members", columns, rows)], progress=progress)


def export_csv(wb: Document, dest: Path, *, include_private: bool = False, **_: Any) -> None:
    columns, rows = table(wb, include_private)
    check_rows(dest, "Members", 0)
    out = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in rows]
    with atomic_path(dest) as tmp:
        write_csv(tmp, [c.header for c in columns], out)
