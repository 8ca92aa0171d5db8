"""What a weaver can do next: introductions to make, offers that meet needs, and nudges.

Suggested introductions close triangles: two members who are not tied but share contacts,
ranked by those shared contacts (each weighted by the strength and trust of both ties), shared
tags, and an offer that meets a need. The weaver's answers ("introduced", "dismissed") live in the
document's settings (key ``suggestions``), so they travel with the file and are undoable.

Suggestions are in :mod:`weaving_suggest` (answers to them in :mod:`weaving_answers`), offers &
needs in :mod:`weaving_offers`, text matching in :mod:`weaving_match`; nudges are here. Import
each name from the module that defines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from .metrics import NetworkData
from .network.facts import RECENT_DAYS, TieFacts, tie_facts

NEWCOMER_DAYS = 90


# ---- nudges --------------------------------------------------------------------------------

NUDGE_KINDS = ("cold_tie", "no_contact", "isolate", "newcomer")


@dataclass(frozen=True)
class Nudge:
    kind: str  # one of NUDGE_KINDS
    member_ids: tuple[str, ...]
    text: str
    days: int | None = None
    relationship_id: str | None = None


def nudges(data: NetworkData, ties: Mapping[str, TieFacts] | None = None) -> list[Nudge]:
    """Ties going cold (the one rule: :func:`weaver.core.network.facts.is_cold`), members out
    of touch, isolates and newcomers left on the edge. ``ties``: the tie facts when the caller
    has them already (Health does)."""
    members = data.members
    g = data.graph()
    log = data.meeting_log()
    if ties is None:
        ties = tie_facts(data.active_relationships(), log, data.latest_ratings(), data.settings)
    out: list[Nudge] = []
    for r in data.active_relationships():
        f = ties.get(r.id)
        if f is None or not f.cold:
            continue
        a, b = members[r.source_id].name, members[r.target_id].name
        out.append(
            Nudge(
                "cold_tie",
                (r.source_id, r.target_id),
                f"{a} and {b} last met in person {f.days_since} days ago ({f.last_in_person})",
                f.days_since,
                r.id,
            )
        )
    last = log.last_in_person
    since = data.today - timedelta(days=RECENT_DAYS)
    for m in members.values():
        if m.is_organization:
            continue
        seen = last.get(m.id)
        if seen is None or seen < since:
            days = (data.today - seen).days if seen else None
            when = f"for {days} days" if days is not None else "on record"
            out.append(Nudge("no_contact", (m.id,), f"{m.name}: no in-person contact {when}", days))
    for m in members.values():
        if g.degree(m.id) == 0:
            out.append(Nudge("isolate", (m.id,), f"{m.name} has no ties yet"))
    new_since = data.today - timedelta(days=NEWCOMER_DAYS)
    for m in members.values():
        joined = m.joined_on
        if joined and joined >= new_since and g.degree(m.id) < 2:
            n = g.degree(m.id)
            out.append(
                Nudge(
                    "newcomer",
                    (m.id,),
                    f"{m.name} joined {joined} and has {n} tie{'s' if n != 1 else ''}",
                    (data.today - joined).days,
                )
            )
    order = {k: i for i, k in enumerate(NUDGE_KINDS)}
    return sorted(out, key=lambda n: (order[n.kind], -(n.days or 0), n.text))
