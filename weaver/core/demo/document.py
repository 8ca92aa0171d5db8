"""The demo as a document: the drafted story turned into dated, stamped entities with ids."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..model import Affiliation, Attendance, Event, Member, Relationship
from .content import DRIFT_NOTE, FOUNDED_DAYS_AGO, GROUP_TAGS, NETWORK_NAME, NOTES, PRIVATE_NO_NOTE
from .draft import Draft, DraftMeeting, DraftMember, DraftTie
from .helpers import ascii_slug, seeded_uuid, stamp_of

log = logging.getLogger(__name__)


@dataclass
class Demo:
    """Everything the demo document holds, in the order foreign keys need."""

    members: list[Member]
    affiliations: list[Affiliation]
    relationships: list[Relationship]
    events: list[Event]
    attendance: list[Attendance]
    settings: dict[str, Any] = field(default_factory=dict)

    def entities(self) -> list[Any]:
        return [
            *self.members,
            *self.events,
            *self.affiliations,
            *self.relationships,
            *self.attendance,
        ]


class Document(Draft):
    """The last chapter of :class:`~.story.Story`: everything it drew, as model entities."""

    def _output(self) -> Demo:
        members = [self._member(m) for m in self.members.values()]
        ids = {m.key: m.id for m in self.members.values()}
        relationships = [self._relationship(t, ids) for t in self.ties]
        events, attendance = self._events(ids)
        affiliations = self._affiliations(ids)
        members = _with_layout(members, relationships, self.seed)
        flood = self.day(FOUNDED_DAYS_AGO).year
        settings = {
            "name": NETWORK_NAME,
            "description": (
                f"After the {flood} flood, neighbours who had met sandbagging along the river "
                "kept meeting. Today Confluence Center hosts a network of farmers, tenants, "
                "health workers, artists, young people and funders across the Riverbend valley: "
                "a steering circle at the core, food & farms, housing & health and youth & arts "
                "clusters, a few bridge-builders between them, and newcomers waiting to be "
                "woven in. (Demo data: every person and organization is invented.)"
            ),
            "demo": {"seed": self.seed, "as_of": self.as_of.isoformat()},
        }
        return Demo(members, affiliations, relationships, events, attendance, settings)

    def _stamps(self, age: int) -> tuple[str, str]:
        """created_at on the day something was entered, updated_at a little later."""
        age = max(0, min(age, FOUNDED_DAYS_AGO))
        created = stamp_of(self.day(age), self.rng.randint(8 * 60, 18 * 60))
        later = self.rng.randint(0, age) if self.rng.random() < 0.3 else age
        return created, max(created, stamp_of(self.day(later), self.rng.randint(8 * 60, 18 * 60)))

    def _member(self, m: DraftMember) -> Member:
        created, updated = self._stamps(m.joined_age)
        tags = [GROUP_TAGS[g] for g in m.groups]
        tags += ["steering circle"] * ("core" in m.flags) + ["newcomer"] * ("newcomer" in m.flags)
        if m.is_person and m.joined_age > FOUNDED_DAYS_AGO - 120:
            tags.append("flood recovery")
        if "bilingual" in m.flags or any("interpretation" in i.text for i in m.offers):
            tags.append("bilingual")
        if m.aff_role == "volunteer":
            tags.append("volunteer")
        consent = "yes"
        if "newcomer" in m.flags:
            consent = "not_asked"
        elif m.is_crowd:
            consent = self.rng.choices(("yes", "not_asked", "no"), (78, 16, 6))[0]
        notes = m.notes
        if not notes and m.is_person and self.rng.random() < 0.3:
            notes = self.rng.choice(NOTES)
        if m.drift_age:
            notes = DRIFT_NOTE.format(last=f"{self.day(m.drift_age):%B %Y}")
        if consent == "no":
            notes = f"{PRIVATE_NO_NOTE} {notes}".strip()
        gathering = max((e for e in self.meetings if e.kind == "convening"), key=lambda e: -e.age)
        notes = notes.format(
            flood=self.day(FOUNDED_DAYS_AGO).year,
            soon=f"{self.day(-45):%B}",
            gathering=self._title(gathering),
        )
        return Member(
            id=m.id, name=m.name, kind=m.kind, email=self._email(m), phone=self._phone(m),
            role=m.title, location=m.town, sector=m.sector, notes=notes, tags=tuple(tags),
            offers=m.offers, needs=m.needs, joined_on=self.day(m.joined_age), consent=consent,
            created_at=created, updated_at=updated,
        )  # fmt: skip

    def _email(self, m: DraftMember) -> str:
        if not m.is_person:
            return f"{self.rng.choice(('hello', 'info', 'office'))}@{m.domain}"
        if self.rng.random() > 0.85:
            return ""
        if m.org and m.aff_role == "staff":
            return f"{ascii_slug(m.name)}@{self.members[m.org].domain}"
        handle = ascii_slug(m.name, sep="")
        return f"{handle}{self.rng.randint(1, 99)}@valleymail.example"

    def _phone(self, m: DraftMember) -> str:
        if self.phones and self.rng.random() < (0.8 if not m.is_person else 0.6):
            return self.phones.pop()
        return ""

    def _relationship(self, t: DraftTie, ids: dict[str, str]) -> Relationship:
        created, updated = self._stamps(t.since_age)
        if t.ended_age is not None:
            updated = stamp_of(self.day(t.ended_age), 10 * 60)
        return Relationship(
            id=seeded_uuid(self.ids), source_id=ids[t.a], target_id=ids[t.b], kind=t.kind,
            direction=t.direction, strength=t.strength, since=self.day(t.since_age),
            ended_on=self.day(t.ended_age) if t.ended_age is not None else None,
            notes=t.notes.format(ended=f"{self.day(t.ended_age or 0):%B %Y}"),
            created_at=created, updated_at=max(created, updated),
        )  # fmt: skip

    def _title(self, meeting: DraftMeeting) -> str:
        when = self.day(meeting.age)
        season = ("Winter", "Spring", "Summer", "Fall")[when.month % 12 // 3]
        return meeting.title.format(season=season, year=when.year)

    def _events(self, ids: dict[str, str]) -> tuple[list[Event], list[Attendance]]:
        events: list[Event] = []
        attendance: list[Attendance] = []
        for meeting in sorted(self.meetings, key=lambda m: (-m.age, m.title)):
            when = self.day(meeting.age)
            if meeting.kind in ("meeting", "workshop", "call") and when.weekday() >= 5:
                when -= timedelta(days=when.weekday() - 4)  # working meetings: on the Friday
            host = self.members.get(meeting.host)
            where = f"{host.name}, {host.town}" if host else ""
            created = stamp_of(when - timedelta(days=14), 9 * 60 + self.rng.randint(0, 480))
            event = Event(
                id=seeded_uuid(self.ids), title=self._title(meeting), kind=meeting.kind,
                date=when, location=where if meeting.in_person else "Online",
                in_person=meeting.in_person, trust_building=meeting.trust, notes=meeting.notes,
                created_at=created, updated_at=created,
            )  # fmt: skip
            events.append(event)
            logged = stamp_of(min(when + timedelta(days=1), self.as_of), 17 * 60)
            for key, role in meeting.attendees.items():
                attendance.append(
                    Attendance(seeded_uuid(self.ids), event.id, ids[key], role, logged, logged)
                )
        return events, attendance

    def _affiliations(self, ids: dict[str, str]) -> list[Affiliation]:
        out: list[Affiliation] = []
        people = [m for m in self.members.values() if m.is_person]
        extra = self.rng.sample(people, 25)
        for m in people:
            links = [(m.org, m.title if m.aff_role == "staff" else m.aff_role)] if m.org else []
            if m in extra:
                orgs = [o for o in self.members.values() if not o.is_person and o.key != m.org]
                near = [o for o in orgs if set(o.groups) & set(m.groups)] or orgs
                links.append(
                    (self.rng.choice(near).key, self.rng.choice(("board member", "volunteer")))
                )
            for org, role in links:
                since_age = m.joined_age + self.rng.randint(0, 1500)
                created, updated = self._stamps(m.joined_age)
                out.append(
                    Affiliation(
                        seeded_uuid(self.ids), ids[m.key], ids[org], role,
                        self.day(since_age), created, updated,
                    )
                )  # fmt: skip
        return out


def _with_layout(
    members: list[Member], relationships: list[Relationship], seed: int
) -> list[Member]:
    """Store map positions so the demo looks the same everywhere, when a layout is available."""
    try:
        from .. import layout

        layout_positions = layout.layout_positions
    except (ImportError, AttributeError):
        return members  # no layout in this version: the map places members itself
    except Exception:  # a broken layout module must not cost the user the demo
        log.warning("demo layout unavailable; members are left unplaced", exc_info=True)
        return members
    try:
        positions = layout_positions(members, relationships, seed=seed)
    except Exception:  # likewise a layout bug: the demo just starts unplaced
        log.warning("demo layout failed; members are left unplaced", exc_info=True)
        return members
    out = []
    for m in members:
        x, y = positions.get(m.id, (None, None))
        out.append(dataclasses.replace(m, x=float(x), y=float(y)) if x is not None else m)
    return out
