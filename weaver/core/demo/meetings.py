"""The story's meetings: who met when, where and with whom, and what that did to their ties.

Meetings are scheduled early (newcomers sign up at the latest Gathering) and attended once the
ties exist, because people come to meetings with those they know.
"""

from __future__ import annotations

from .content import (
    BRING_A_PARTNER,
    CLUSTERS,
    COLD_DAYS,
    EVENT_SERIES,
    HISTORY_DAYS,
    INTRODUCTIONS,
    ONE_TO_ONES,
    words,
)
from .draft import Draft, DraftMeeting, DraftMember, DraftTie
from .helpers import parse_blocks, weighted_sample


class Meetings(Draft):
    """The events chapter of :class:`~.story.Story`."""

    def _schedule(self) -> None:
        for fields, _ in parse_blocks(EVENT_SERIES):
            title, kind, scope, count, in_person, trust, size, host, notes = fields
            n = int(count)
            lo, hi = (int(x) for x in size.split("-"))
            alternatives = [text.strip() for text in notes.split("//")]
            for i in range(n):
                notes = alternatives[i % len(alternatives)]
                if n > 2:  # a series: evenly through the two years
                    age = HISTORY_DAYS - int((i + 0.5) * HISTORY_DAYS / n)
                    age += self.rng.randint(-12, 12)
                else:
                    age = self.rng.randint(30, HISTORY_DAYS - 10)
                self.meetings.append(
                    DraftMeeting(
                        title, kind, tuple(scope.split()), age, in_person == "y", trust == "y",
                        (lo, hi), host, notes,
                    )
                )  # fmt: skip

    def _eligible(self, m: DraftMember, age: int) -> bool:
        """Had joined by then, had not yet drifted away, and is not a silent newcomer."""
        return (
            m.is_person
            and m.joined_age >= age
            and not (m.drift_age and age < m.drift_age)
            and "newcomer" not in m.flags
        )

    def _attend(self) -> None:
        leads = {"food": "rosa", "housing": "luis", "youth": "imani", "climate": "mateo"}
        venues = words("millarts stbrigid grange library farmschool foodhub confluence college")
        cold_pairs = [(t.a, t.b) for t in self.ties if t.cold]
        partners: dict[str, list[str]] = {}
        for t in self.ties:
            if not t.cold and t.ended_age is None:
                partners.setdefault(t.a, []).append(t.b)
                partners.setdefault(t.b, []).append(t.a)
        gatherings = 0
        for meeting in sorted(self.meetings, key=lambda m: -m.age):
            if meeting.host == "*":
                meeting.host = venues[gatherings % len(venues)]
                gatherings += 1
            scope = meeting.scope
            if "network" in scope:
                pool = self.people()
            elif "core" in scope:
                pool = [m for m in self.people() if "core" in m.flags or set(m.groups) & set(scope)]
            else:
                pool = self.people(*scope)
            pool = [m for m in pool if self._eligible(m, meeting.age)]
            forced: dict[str, str] = {}
            if meeting.host:
                forced[meeting.host] = "host"
            if scope[0] in ("core", "network"):
                forced["nadia" if gatherings % 2 else "tomas"] = "facilitator"
            elif scope[0] in leads and meeting.kind != "call":
                forced[leads[scope[0]]] = "facilitator"
            k = self.rng.randint(*meeting.size)
            # Well-connected people come more often, and people come with those they know:
            # so the ties that matter are the ones renewed in person.
            weights = [m.activity * (1 + self.degree[m.key] / 4) for m in pool]
            chosen = weighted_sample(self.rng, pool, weights, k)
            attendees = dict(forced)
            for m in chosen:
                attendees.setdefault(m.key, "attendee")
            in_pool = {m.key for m in pool}
            for m in chosen:
                known = [p for p in partners.get(m.key, ()) if p in in_pool and p not in attendees]
                if known and self.rng.random() < BRING_A_PARTNER:
                    attendees[self.rng.choice(known)] = "attendee"
            if meeting.in_person and meeting.age < COLD_DAYS + 20:
                for a, b in cold_pairs:
                    if a in attendees and b in attendees:
                        drop = b if b not in forced else a
                        if drop not in forced:
                            del attendees[drop]
            speakers = [k for k, role in attendees.items() if role == "attendee"]
            n_speakers = {"convening": 2, "workshop": 1}.get(meeting.kind, 0)
            for key in self.rng.sample(speakers, min(n_speakers, len(speakers))):
                attendees[key] = "speaker"
            meeting.attendees = attendees | meeting.attendees

    def _represent_organizations(self) -> None:
        """An organization is at a meeting when its staff are: networks record who was
        represented, so ties between organizations are renewed in person too."""
        kinds = ("meeting", "convening", "workshop", "site visit", "meal")
        for meeting in self.meetings:
            if not meeting.in_person or meeting.kind not in kinds:
                continue
            for key in list(meeting.attendees):
                member = self.members[key]
                if member.org and member.aff_role == "staff":
                    meeting.attendees.setdefault(member.org, "attendee")

    def _warm_ties(self, age: int) -> list[DraftTie]:
        return [
            t
            for t in self.ties
            if not t.cold
            and t.ended_age is None
            and self.members[t.a].is_person
            and self.members[t.b].is_person
            and self._eligible(self.members[t.a], age)
            and self._eligible(self.members[t.b], age)
        ]

    def _one_to_ones(self) -> None:
        for i in range(ONE_TO_ONES):
            # The two latest are recent, so the network looks alive on the day it is opened.
            age = self.rng.randint(3, 21) if i < 2 else self.rng.randint(5, 330)
            if i % 2 == 0:  # a weaver checking in with someone on the edge
                weaver = ("nadia", "tomas")[i // 2 % 2]
                edge = [
                    m
                    for m in self.people(*CLUSTERS)
                    if self._eligible(m, age) and self.degree[m.key] <= 2
                ]
                other = self.rng.choice(edge)
                title = f"Check-in with {other.name}"
                attendees = {weaver: "host", other.key: "attendee"}
            else:
                tie = self.rng.choice([t for t in self._warm_ties(age) if t.strength >= 3])
                a, b = self.members[tie.a], self.members[tie.b]
                title = f"Coffee: {a.name} and {b.name}"
                attendees = {a.key: "host", b.key: "attendee"}
            self.meetings.append(
                DraftMeeting(
                    title, "one-to-one", ("network",), age, True, False, (2, 2),
                    "bakery" if i % 2 else "confluence", "", attendees,
                )
            )  # fmt: skip

    def _introductions(self) -> None:
        """Tomás introduces people whose need another's offer meets, across clusters."""
        made = 0
        people = [m for m in self.people(*CLUSTERS) if "newcomer" not in m.flags]
        self.rng.shuffle(people)
        for needy in people:
            for helper in people:
                match = set(needy.needs) & set(helper.offers)
                if (
                    made >= INTRODUCTIONS
                    or not match
                    or set(needy.groups) & set(helper.groups)
                    or frozenset((needy.key, helper.key)) in self.pairs
                ):
                    continue
                age = self.rng.randint(10, 200)
                if not (self._eligible(needy, age) and self._eligible(helper, age)):
                    continue
                item = sorted(match, key=str)[0]
                self.meetings.append(
                    DraftMeeting(
                        f"Introduction: {needy.name} meets {helper.name}", "introduction",
                        ("network",), age, made % 2 == 0, False, (3, 3), "bakery", "",
                        {"tomas": "host", needy.key: "attendee", helper.key: "attendee"},
                    )
                )  # fmt: skip
                self._tie(
                    needy.key, helper.key, "collaborator", 2, age,
                    notes=f"Introduced by Tomás Ibarra ({item.type}: {item.text}).",
                )  # fmt: skip
                made += 1

    def _settle_strengths(self) -> None:
        """People who keep meeting in person have strong ties; the rest keep what they had."""
        met: dict[frozenset[str], int] = {}
        for meeting in self.meetings:
            if not meeting.in_person or meeting.age >= COLD_DAYS:
                continue
            keys = sorted(k for k in meeting.attendees if self.members[k].is_person)
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    pair = frozenset((a, b))
                    met[pair] = met.get(pair, 0) + 1
        for t in self.ties:
            if t.ended_age is not None:
                continue
            together = met.get(frozenset((t.a, t.b)), 0)
            if together >= 4:
                t.strength = max(t.strength, 4)
            elif together >= 2:
                t.strength = max(t.strength, 3)
