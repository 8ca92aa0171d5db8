"""Growth replay: what the network looked like on any date.

Members appear when they joined (or first attended an event, whichever is earlier; failing
both, when they were entered); ties appear from their since-date or the first meeting the two
shared, and disappear on their ended-on date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import Attendance, Event, Member, Relationship


@dataclass(frozen=True)
class Timeline:
    member_start: dict[str, date]
    tie_start: dict[str, date]
    tie_end: dict[str, date]
    ends: dict[str, tuple[str, str]]  # relationship -> its two members

    @property
    def first_date(self) -> date | None:
        dates = [*self.member_start.values(), *self.tie_start.values()]
        return min(dates) if dates else None

    @property
    def last_date(self) -> date | None:
        dates = [*self.member_start.values(), *self.tie_start.values(), *self.tie_end.values()]
        return max(dates) if dates else None

    def members_on(self, day: date) -> set[str]:
        return {m for m, start in self.member_start.items() if start <= day}

    def ties_on(self, day: date) -> set[str]:
        present = self.members_on(day)
        return {
            r
            for r, start in self.tie_start.items()
            if start <= day
            and (r not in self.tie_end or day < self.tie_end[r])
            and self.ends[r][0] in present
            and self.ends[r][1] in present
        }


def _stamp_date(stamp: str) -> date | None:
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def build_timeline(
    members: Iterable[Member],
    relationships: Iterable[Relationship],
    events: Iterable[Event],
    attendance: Iterable[Attendance],
) -> Timeline:
    event_day = {e.id: e.date for e in events if e.date is not None}
    attended: dict[str, set[str]] = defaultdict(set)  # member -> events
    first_attended: dict[str, date] = {}
    for a in attendance:
        day = event_day.get(a.event_id)
        if day is None:
            continue
        attended[a.member_id].add(a.event_id)
        if a.member_id not in first_attended or day < first_attended[a.member_id]:
            first_attended[a.member_id] = day

    member_start: dict[str, date] = {}
    for m in members:
        candidates = [d for d in (m.joined_on, first_attended.get(m.id)) if d is not None]
        if not candidates and (d := _stamp_date(m.created_at)):
            candidates = [d]
        if candidates:
            member_start[m.id] = min(candidates)

    tie_start: dict[str, date] = {}
    tie_end: dict[str, date] = {}
    ends: dict[str, tuple[str, str]] = {}
    for r in relationships:
        ends[r.id] = (r.source_id, r.target_id)
        shared = attended[r.source_id] & attended[r.target_id]
        first_shared = min((event_day[e] for e in shared), default=None)
        start = r.since or first_shared or _stamp_date(r.created_at)
        if start is not None:
            # A tie cannot show before both its members do.
            starts = [start] + [member_start[m] for m in ends[r.id] if m in member_start]
            tie_start[r.id] = max(starts)
        if r.ended_on is not None:
            tie_end[r.id] = r.ended_on
    return Timeline(member_start, tie_start, tie_end, ends)
