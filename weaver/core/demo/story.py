"""The Riverbend story: who is in the network and how they came to be tied.

:meth:`Story.build` writes it chapter by chapter, drawing everything from seeded random streams
in a fixed order (so the order of the chapters, and of the draws inside them, is part of the
document): the members (:mod:`.content` is the cast), the meetings they hold (:mod:`.meetings`),
the ties between them, and at last the document itself (:mod:`.document`).
"""

from __future__ import annotations

from ..model import ValueItem
from .content import (
    CHARACTERS,
    CLUSTERS,
    CORE_GAPS,
    FIRST_NAMES,
    FOUNDED_DAYS_AGO,
    GROUP_TAGS,
    NEWCOMER_NOTE,
    ORGANIZATIONS,
    SURNAMES,
    TITLES,
    TOWNS,
)
from .document import Demo, Document
from .draft import DraftMember, DraftTie
from .helpers import parse_blocks, parse_items, seeded_uuid, weighted_sample
from .meetings import Meetings


class Story(Meetings, Document):
    """The network as it stands on ``as_of``, drawn from ``seed``."""

    def build(self) -> Demo:
        self._organizations()
        self._characters()
        self._crowd()
        self._schedule()
        self._newcomers()
        self._core_ties()
        self._cluster_ties()
        self._organization_ties()
        self._second_kinds()
        self._drift_and_cold()
        self._end_some_ties()
        self._attend()
        self._one_to_ones()
        self._introductions()
        self._represent_organizations()
        self._settle_strengths()
        return self._output()

    # ---- members ---------------------------------------------------------------------

    def _organizations(self) -> None:
        for (key, name, sector, town, groups, domain), extra in parse_blocks(ORGANIZATIONS):
            early = key in ("confluence", "rcf", "foodhub", "housingtrust", "clinica", "millarts")
            age = FOUNDED_DAYS_AGO - (0 if early else int(self.rng.random() ** 1.5 * 1300))
            self._add(
                DraftMember(
                    key, seeded_uuid(self.ids), name, "organization", tuple(groups.split()),
                    joined_age=age, activity=0.0, town=town, sector=sector, domain=domain,
                    offers=parse_items(extra.get("offers", "")),
                    needs=parse_items(extra.get("needs", "")),
                    notes=extra.get("notes", ""),
                )
            )  # fmt: skip

    def _characters(self) -> None:
        for (key, name, groups, org, title, aff_role, flags), extra in parse_blocks(CHARACTERS):
            self.used_names.add(name)
            core = "core" in flags.split()
            spread = (0, 150) if core else (100, 700)
            self._add(
                DraftMember(
                    key, seeded_uuid(self.ids), name, "person", tuple(groups.split()), org=org,
                    title=title, aff_role=aff_role, flags=("character", *flags.split()),
                    joined_age=FOUNDED_DAYS_AGO - self.rng.randint(*spread),
                    activity=3.0 if core else 2.0, town=self.members[org].town,
                    offers=parse_items(extra.get("offers", "")),
                    needs=parse_items(extra.get("needs", "")),
                    notes=extra.get("notes", ""),
                )
            )  # fmt: skip

    def _name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
            first = name.split()[0]
            # Avoid two people sharing a first name too often: it reads as a glitch.
            same_first = sum(1 for n in self.used_names if n.split()[0] == first)
            if name not in self.used_names and same_first < 2:
                self.used_names.add(name)
                return name

    def _crowd(self) -> None:
        plan = [(g, 39) for g in CLUSTERS] + [("climate", 6), ("funder", 2)]
        n = 0
        for group, count in plan:
            orgs = [m for m in self.members.values() if not m.is_person and group in m.groups]
            for _ in range(count):
                n += 1
                # Growth: joining speeds up over the years (density rises towards today).
                t = self.rng.random() ** 0.5
                age = max(70, min(FOUNDED_DAYS_AGO - 30, int(FOUNDED_DAYS_AGO * (1 - t))))
                member = DraftMember(
                    f"p{n:03d}", seeded_uuid(self.ids), self._name(), "person", (group,),
                    flags=("crowd",), joined_age=age, activity=round(self.rng.uniform(0.6, 1.6), 2),
                )  # fmt: skip
                if self.rng.random() < 0.72:
                    org = self.rng.choice(orgs)
                    member.org, member.town = org.key, org.town
                    member.title = self.rng.choice(TITLES[group].split("|"))
                    member.aff_role = self.rng.choices(
                        ("staff", "volunteer", "board member"), (60, 25, 15)
                    )[0]
                else:
                    member.title = self.rng.choice(TITLES["resident"].split("|"))
                if not member.town or self.rng.random() < 0.4:
                    member.town = self.rng.choice(TOWNS)
                member.offers = self._items(group, offered=True, chance=0.7)
                member.needs = self._items(group, offered=False, chance=0.55)
                self._add(member)

    def _items(self, group: str, *, offered: bool, chance: float) -> tuple[ValueItem, ...]:
        if self.rng.random() > chance:
            return ()
        pool = [item for item, by, need in self.values if group in (by if offered else need)]
        return tuple(self.rng.sample(pool, k=min(len(pool), self.rng.choice((1, 1, 2)))))

    def _newcomers(self) -> None:
        """Five people who signed up at the latest Gathering; nobody has introduced them."""
        gathering = max((m for m in self.meetings if m.kind == "convening"), key=lambda m: -m.age)
        for i in range(5):
            group = CLUSTERS[i % 3]
            member = self._add(
                DraftMember(
                    f"new{i}", seeded_uuid(self.ids), self._name(), "person", (group,),
                    flags=("newcomer",), joined_age=gathering.age, activity=0.0,
                    town=self.rng.choice(TOWNS), title=self.rng.choice(("Neighbor", "Student")),
                )
            )  # fmt: skip
            member.offers = self._items(group, offered=True, chance=1.0)
            member.notes = NEWCOMER_NOTE.format(event="{gathering}", topic=GROUP_TAGS[group])
            gathering.attendees[member.key] = "attendee"

    # ---- ties --------------------------------------------------------------------------

    def _crowd_tie(self, t: DraftTie) -> bool:
        return self.members[t.a].is_crowd and self.members[t.b].is_crowd

    def _since(self, a: DraftMember, b: DraftMember) -> int:
        """A tie formed some time after the later of the two joined."""
        later = min(a.joined_age, b.joined_age)
        return self.rng.randint(15, max(15, later - 10))

    def _core_ties(self) -> None:
        core = [m for m in self.members.values() if "core" in m.flags]
        for i, a in enumerate(core):
            for b in core[i + 1 :]:
                if frozenset((a.key, b.key)) in CORE_GAPS:
                    continue  # everyone in the circle knows everyone else, but for these
                kind = self.rng.choices(
                    ("collaborator", "colleague", "friend", "advisor"), (4, 3, 2, 1)
                )[0]
                since = self._since(a, b)
                if self.rng.random() < 0.25:  # they knew each other long before the network
                    since = max(a.joined_age, b.joined_age) + self.rng.randint(100, 2000)
                self._tie(a.key, b.key, kind, self.rng.choice((4, 4, 5)), since)

    def _pick(self, candidates: list[DraftMember], k: int, exclude: str) -> list[DraftMember]:
        """Preferential attachment: well-connected, active members attract new ties."""
        pool = [
            c
            for c in candidates
            if c.key != exclude and frozenset((c.key, exclude)) not in self.pairs
        ]
        # Steering-circle members' ties are mostly in the core; within a cluster its own
        # veterans are the hubs, which gives each cluster a body of its own on the map.
        weights = [
            (self.degree[c.key] + 1) * (0.15 if "core" in c.flags else max(c.activity, 0.3))
            for c in pool
        ]
        return weighted_sample(self.rng, pool, weights, k)

    def _cluster_ties(self) -> None:
        for group in (*CLUSTERS, "climate", "funder"):
            people = sorted(
                (m for m in self.people(group) if "newcomer" not in m.flags),
                key=lambda m: (-m.joined_age, m.key),
            )
            for i, person in enumerate(people[1:], start=1):
                # Old hands made more ties; recent joiners hang on by one (the periphery).
                m = 1 if person.joined_age < 365 else 2 + (person.joined_age > 1100)
                for other in self._pick(people[:i], m, person.key):
                    kind = self.rng.choices(
                        ("colleague", "collaborator", "friend", "mentor"), (35, 30, 20, 15)
                    )[0]
                    strength = self.rng.choice((1, 2, 2) if m == 1 else (2, 3, 3, 4))
                    self._tie(
                        other.key, person.key, kind, strength, self._since(person, other),
                        direction="directed" if kind == "mentor" else "undirected",
                    )  # fmt: skip
            self._close_triangles(people, 5 if group in CLUSTERS else 2)
        # Climate people work with everyone: the river floods every cluster alike.
        for person in self.people("climate"):
            for group in self.rng.sample(CLUSTERS, 2):
                others = [p for p in self.people(group) if "newcomer" not in p.flags]
                for other in self._pick(others, 1, person.key):
                    self._tie(person.key, other.key, "collaborator", 3, self._since(person, other))
        # Bridge-builders work in two clusters at once, deeply in both.
        for broker in (m for m in self.members.values() if "broker" in m.flags):
            for group in broker.groups:
                crowd = [p for p in self.people(group) if p.is_crowd]
                for other in self._pick(crowd, 2, broker.key):
                    kind = self.rng.choice(("collaborator", "colleague", "friend"))
                    self._tie(broker.key, other.key, kind, 3, self._since(broker, other))
        # Funders' staff know the leaders of the work they fund.
        leaders = [m for m in self.people(*CLUSTERS) if "character" in m.flags]
        for person in self.people("funder"):
            if "core" not in person.flags:
                for other in self._pick(leaders, 2, person.key):
                    self._tie(
                        person.key, other.key, "funder", 3, self._since(person, other),
                        direction="directed",
                    )  # fmt: skip
        # A few friendships across clusters (neighbours, old classmates).
        crowd = [m for m in self.people(*CLUSTERS) if m.is_crowd]
        for _ in range(6):
            a, b = self.rng.sample(crowd, 2)
            if a.groups != b.groups and frozenset((a.key, b.key)) not in self.pairs:
                self._tie(a.key, b.key, "friend", self.rng.choice((2, 3)), self._since(a, b))

    def _close_triangles(self, people: list[DraftMember], n: int) -> None:
        keys = {p.key for p in people}
        neighbours: dict[str, list[str]] = {k: [] for k in keys}
        for t in self.ties:
            if t.a in keys and t.b in keys:
                neighbours[t.a].append(t.b)
                neighbours[t.b].append(t.a)
        hubs = [p.key for p in people if len(neighbours[p.key]) >= 2]
        for _ in range(n):
            hub = self.rng.choice(hubs)
            a, b = self.rng.sample(neighbours[hub], 2)
            if a != b and frozenset((a, b)) not in self.pairs:
                kind = self.rng.choice(("colleague", "friend", "collaborator"))
                ma, mb = self.members[a], self.members[b]
                self._tie(a, b, kind, self.rng.choice((2, 3)), self._since(ma, mb))

    def _organization_ties(self) -> None:
        orgs = [m for m in self.members.values() if not m.is_person]
        funders = [o for o in orgs if "funder" in o.groups]
        doers = [o for o in orgs if "funder" not in o.groups and o.key != "confluence"]
        # The backbone partners with the anchor organization of each cluster.
        for anchor in ("foodhub", "housingtrust", "youthcollective", "climateaction"):
            self._tie("confluence", anchor, "partner", 4, 1400, direction="mutual")
        for org in doers:
            peers = [o for o in doers if o is not org and set(o.groups) & set(org.groups)]
            for other in self.rng.sample(peers, min(len(peers), self.rng.choice((1, 1, 2)))):
                if frozenset((org.key, other.key)) not in self.pairs:
                    direction = "mutual" if self.rng.random() < 0.3 else "undirected"
                    self._tie(
                        org.key, other.key, "partner", self.rng.choice((2, 3, 4)),
                        self._since(org, other), direction=direction,
                    )  # fmt: skip
            # People who work with an organization without belonging to it.
            outsiders = [
                p for p in self.people(*org.groups)
                if p.org != org.key and "newcomer" not in p.flags
            ]  # fmt: skip
            for person in self.rng.sample(outsiders, 1):
                kind = self.rng.choice(("partner", "advisor", "collaborator"))
                self._tie(person.key, org.key, kind, 3, self._since(person, org))
        for funder in funders:
            for grantee in self.rng.sample(doers, self.rng.randint(3, 5)):
                if frozenset((funder.key, grantee.key)) not in self.pairs:
                    self._tie(
                        funder.key, grantee.key, "funder", self.rng.choice((3, 4)),
                        self._since(funder, grantee), direction="directed",
                    )  # fmt: skip
        self._tie("confluence", "rcf", "funder", 5, 1500, direction="directed")
        for officer, grantees in (("grace", "youthcollective tenants"), ("marcus", "clinica")):
            for grantee in grantees.split():
                if frozenset((officer, grantee)) not in self.pairs:
                    self._tie(officer, grantee, "funder", 4, 400, direction="directed")

    def _second_kinds(self) -> None:
        """Colleagues who became friends: a pair may hold two relationships of different kinds."""
        work = [
            t
            for t in self.ties
            if t.kind in ("colleague", "collaborator")
            and self.members[t.a].is_person
            and self.members[t.b].is_person
        ]
        for t in self.rng.sample(work, 8):
            self._tie(
                t.a, t.b, "friend", self.rng.choice((3, 4)), self.rng.randint(15, t.since_age)
            )

    def _drift_and_cold(self) -> None:
        """Ten old hands stopped coming a year or more ago: all their ties are going cold."""
        veterans = [m for m in self.people(*CLUSTERS) if m.is_crowd and m.joined_age > 700]
        for member in self.rng.sample(veterans, 10):
            member.drift_age = self.rng.randint(400, 600)
        for t in self.ties:
            if self.members[t.a].drift_age or self.members[t.b].drift_age:
                t.cold = True
        # And a few pairs who both still come, but never to the same room any more.
        active = [t for t in self.ties if not t.cold and self._crowd_tie(t) and t.strength >= 2]
        for t in self.rng.sample(active, 6):
            t.cold = True

    def _end_some_ties(self) -> None:
        reasons = (
            "Moved to the coast; we lost touch.",
            "Changed jobs and left the valley.",
            "Stepped back after the shelter siting vote.",
            "The project wrapped up and we drifted apart.",
        )
        people_ties = [t for t in self.ties if self._crowd_tie(t) and t.since_age > 200]
        for t in self.rng.sample(people_ties, 8):
            t.ended_age = self.rng.randint(30, t.since_age - 90)
            t.notes = self.rng.choice(reasons)
        grants = [
            t
            for t in self.ties
            if t.kind == "funder" and t.since_age > 400 and "confluence" not in (t.a, t.b)
        ]
        for t in self.rng.sample(grants, 2):
            t.ended_age = self.rng.randint(60, t.since_age - 300)
            t.notes = "Grant ended in {ended}."
