"""Match a reader's draft against the open network and produce the import plan.

Members are matched by id, then e-mail, then exact name (case and surrounding spaces ignored);
the plan records which rule matched each one. Rows that change nothing are left alone, so a
round trip with no edits writes nothing and keeps every timestamp.
"""

from __future__ import annotations

from ..store import Document
from .draft import Draft
from .plan import TABLES, ImportPlan
from .resolve_members import Check
from .resolve_ratings import RatingResolver


class Resolver(RatingResolver):
    """Members (resolve_members), links (resolve_links), ratings and snapshots
    (resolve_ratings); here the network settings and pruning."""

    # ---- settings ------------------------------------------------------------------------

    def settings(self) -> None:
        """A Weaver workbook's network settings restore into an empty network only: merged
        into a network that has members, its own name and privacy rules stay."""
        if not self.draft.settings:
            return
        stored = {r["key"]: r for r in self.wb.rows("settings")}
        changed = {
            k: v for k, v in self.draft.settings.items() if stored.get(k, {}).get("value") != v
        }
        if not changed:
            return
        if self.rows["members"] and set(self.rows["members"]) - {
            e.id for e in self.plan.adds["members"]
        }:
            self.plan.notices.append(
                "the file's network settings (name, privacy, saved views) were not applied: "
                "this network already has its own"
            )
            return
        self.plan.settings = {k: (stored.get(k), v) for k, v in changed.items()}

    # ---- pruning -------------------------------------------------------------------------

    def prune(self) -> None:
        tables = TABLES if self.draft.complete else ("members",)
        for table in tables:
            if table != "members" and not self._has(table):
                continue  # a sheet the file does not have says nothing about those rows
            keep = self.seen[table] | {e.id for e in self.plan.adds[table]} | self.referenced
            keep |= set(self.keys.values())
            self.plan.removes[table] = [key for key in self.rows[table] if key not in keep]


def resolve(
    draft: Draft, wb: Document, *, prune: bool = False, cancelled: Check | None = None
) -> ImportPlan:
    r = Resolver(draft, wb, prune=prune, cancelled=cancelled)
    r.members()
    r.events()
    r.relationships()
    r.affiliations()
    r.attendance()
    r.ratings()
    r.snapshots()
    if prune:
        r.prune()
    r.settings()
    for table, n in r.unchanged.items():
        r.plan.unchanged[table] += n
    if r.merged:
        r.plan.notices.append(
            f"{r.merged} repeated relationship row(s) were merged into the first of their pair"
        )
    return r.plan
