"""The built-in demo network: Riverbend, a river valley weaving its work together.

It is the first thing a newcomer sees, so it tells a story. After a flood, neighbours who met
sandbagging along the river kept meeting; today Confluence Center hosts a network with a
steering circle at its core, three clusters (food & farms, housing & health, youth & arts), a
few people who bridge them, climate work that touches everyone, members who have drifted away
(ties going cold), and newcomers nobody has introduced yet (isolates).

Everything is derived from a seed (``random.Random``), and every date, including the
``created_at`` stamps, from an ``as_of`` date: the same arguments give the same document, and a
later ``as_of`` gives the same people and ids with their history shifted forward. All names,
e-mail addresses (``.example``) and phone numbers (555-01xx) are invented.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import random
import sqlite3
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .commands import AddEntities, SetSettings
from .errors import DocumentError
from .model import Affiliation, Attendance, Event, Member, Relationship, ValueItem
from .store import Workbook

log = logging.getLogger(__name__)

NETWORK_NAME = "Riverbend Community Network"
FOUNDED_DAYS_AGO = 1600  # the flood, and the first meeting after it (about 4½ years back)
HISTORY_DAYS = 720  # events span the last 24 months
COLD_DAYS = 365  # no shared in-person meeting for this long: the tie is going cold
BRING_A_PARTNER = 0.5  # chance an attendee comes along with someone they are tied to


def _words(text: str) -> list[str]:
    return text.split()


GROUP_TAGS = {
    "food": "food & farms",
    "housing": "housing & health",
    "youth": "youth & arts",
    "climate": "climate & river",
    "backbone": "network team",
    "funder": "funder",
}
CLUSTERS = ("food", "housing", "youth")
TOWNS = (
    ("Riverbend",) * 4
    + ("Millbrook",) * 2
    + (
        "Cedar Flats",
        "Alder Creek",
        "Harlow",
        "Stonebridge",
        "Westfork",
    )
)

# key | name | sector | town | groups | e-mail domain ; indented lines: offers / needs / notes
ORGANIZATIONS = """
confluence | Confluence Center | Nonprofit | Riverbend | backbone | confluence.example
  offers: resource: meeting space for 40 people; skill: facilitation
  notes: Hosts the network and is its fiscal sponsor.
rcf | Riverbend Community Foundation | Funder | Riverbend | funder | rcfound.example
  offers: resource: small grants up to $5,000
hvhf | Harlow Valley Health Fund | Funder | Harlow | funder | hvhealthfund.example
  offers: resource: small grants up to $5,000
greenleaf | Greenleaf Family Foundation | Funder | Westfork | funder | greenleaf.example
firstvalley | First Valley Credit Union | Business | Riverbend | funder | firstvalley.example
  offers: knowledge: bookkeeping for small nonprofits
foodhub | Riverbend Food Hub | Nonprofit | Riverbend | food | rbfoodhub.example
  offers: resource: a refrigerated van on weekends; resource: surplus produce every Friday
  needs: skill: Spanish interpretation
growers | Valley Growers Cooperative | Business | Cedar Flats | food | valleygrowers.example
  offers: connection: intro to local farmers
gardens | Millbrook Community Garden Alliance | Nonprofit | Millbrook | food | mbgardens.example
  offers: resource: garden plots
pantry | Second Harvest Pantry | Nonprofit | Riverbend | food | secondharvest.example
  needs: resource: volunteer drivers
farmschool | Alder Creek Farm School | Nonprofit | Alder Creek | food youth | alderfarm.example
  needs: resource: a 12-seat passenger van
bakery | Three Sisters Bakery | Business | Riverbend | food | threesisters.example
  offers: resource: commercial kitchen time
market | Riverbend Farmers Market Association | Nonprofit | Riverbend | food | rbmarket.example
extension | Harlow County Extension Office | Public agency | Harlow | food | extension.example
orchards | Westfork Orchards | Business | Westfork | food | westforkorchards.example
grange | Cedar Flats Grange | Nonprofit | Cedar Flats | food | cfgrange.example
  offers: resource: meeting space for 40 people
housingtrust | Riverbend Housing Trust | Nonprofit | Riverbend | housing | rbhousing.example
  offers: knowledge: community land trusts
publichealth | Harlow County Public Health | Public agency | Harlow | housing | hcph.example
tenants | Valley Tenants Union | Nonprofit | Millbrook | housing | tenantsunion.example
  needs: resource: meeting space for 40 people
shelter | Open Door Shelter | Nonprofit | Riverbend | housing | opendoor.example
clinica | La Clínica del Valle | Nonprofit | Millbrook | housing | clinicavalle.example
  offers: skill: Spanish interpretation
habitat | Stonebridge Habitat Builders | Nonprofit | Stonebridge | housing | sbhabitat.example
seniors | Riverbend Senior Center | Public agency | Riverbend | housing | rbseniors.example
familycenter | Millbrook Family Resource Center | Nonprofit | Millbrook | housing | mbfrc.example
housingauth | Harlow County Housing Authority | Public agency | Harlow | housing | hcha.example
stbrigid | St. Brigid's Parish Kitchen | Faith community | Riverbend | housing food \
| stbrigid.example
  offers: resource: commercial kitchen time
youthcollective | Riverbend Youth Collective | Nonprofit | Riverbend | youth | rbyouth.example
  needs: skill: grant writing
millarts | The Mill Arts Center | Nonprofit | Millbrook | youth | themill.example
  offers: resource: meeting space for 40 people; resource: rehearsal and studio space
library | Riverbend Public Library | Public agency | Riverbend | youth | rblibrary.example
  offers: resource: sound system and projector
soccer | Valley Youth Soccer League | Nonprofit | Harlow | youth | vysl.example
schools | Riverbend Unified School District | Public agency | Riverbend | youth | rbusd.example
makerspace | Stonebridge Makerspace | Nonprofit | Stonebridge | youth | sbmakers.example
theater | Brightwater Theater Company | Nonprofit | Riverbend | youth | brightwater.example
college | Harlow Community College | Education | Harlow | youth | harlowcc.example
watershed | Riverbend Watershed Council | Nonprofit | Alder Creek | climate | rbwatershed.example
climateaction | Valley Climate Action | Nonprofit | Riverbend | climate | vca.example
solar | Kestrel Solar Co-op | Business | Westfork | climate | kestrelsolar.example
city | City of Riverbend, Office of Neighborhoods | Public agency | Riverbend | climate housing \
| riverbend-city.example
hardware | Riverside Hardware | Business | Riverbend | housing | riversidehw.example
mutualaid | Riverbend Mutual Aid | Nonprofit | Riverbend | housing food | rbmutualaid.example
  offers: resource: volunteer drivers
"""

# key | name | groups | org | title | affiliation role | flags ; then offers / needs / notes
CHARACTERS = """
nadia | Nadia Farouk | backbone | confluence | Network Weaver | staff | core
  offers: skill: facilitation; connection: intro to Riverbend Community Foundation
  needs: resource: childcare during meetings
  notes: Keeps the network calendar; best reached by text before 10am.
tomas | Tomás Ibarra | backbone | confluence | Community Organizer | staff | core bilingual
  offers: skill: Spanish interpretation; connection: contacts in the faith community
  notes: Runs the newcomer welcome calls. Grew up in Millbrook.
june | June Whitfield | backbone | confluence | Executive Director | staff | core
  offers: knowledge: evaluation and impact reporting; connection: intro to the city council
grace | Grace Liang | funder | rcf | Program Officer | staff | core
  offers: connection: intro to Riverbend Community Foundation
  needs: knowledge: evaluation and impact reporting
  notes: Wants stories, not just numbers, for the foundation board.
marcus | Marcus Bell | funder | hvhf | Executive Director | staff | core
  offers: resource: small grants up to $5,000
ellen | Ellen Sato | funder | greenleaf | Trustee | board member |
  notes: Prefers site visits to written reports.
rosa | Rosa Delgado | food | foodhub | Executive Director | staff | core bilingual
  offers: knowledge: cold storage and food safety rules; connection: intro to local farmers
  needs: skill: grant writing; resource: volunteer drivers
samuel | Samuel Yoder | food | growers | Farmer and Board Chair | board member | core
  offers: knowledge: soil health and cover crops; knowledge: cooperative business models
  notes: No e-mail during harvest; call the farm line.
priya | Priya Raman | food | extension | Extension Agent | staff |
  offers: knowledge: county permitting process
denise | Denise Carter | housing | housingtrust | Executive Director | staff | core
  offers: skill: grant writing; knowledge: community land trusts
  needs: resource: meeting space for 40 people
luis | Luis Navarro | housing | clinica | Promotor Lead | staff | core bilingual
  offers: skill: Spanish interpretation; knowledge: SNAP and Medicaid enrollment
  needs: resource: surplus produce every Friday
helen | Helen Okafor | housing | publichealth | County Health Officer | staff | core
  offers: connection: intro to county health dept
  needs: connection: intro to local farmers
kai | Kai Nakamura | youth | youthcollective | Director | staff | core
  offers: skill: youth mentoring
  needs: skill: grant writing; connection: intro to county health dept
imani | Imani Brooks | youth | millarts | Artistic Director | staff | core
  offers: resource: rehearsal and studio space; skill: event planning
  needs: skill: bookkeeping for small nonprofits
mateo | Mateo Quispe | climate | climateaction | Lead Organizer | staff | core bilingual
  offers: knowledge: flood insurance and FEMA aid
  needs: skill: graphic design and flyers
karen | Karen Olsen | climate housing | city | Neighborhoods Manager | staff | core
  offers: connection: intro to the city council; knowledge: county permitting process
hana | Hana Petrović | climate | watershed | Watershed Coordinator | staff |
  offers: knowledge: rain gardens and green infrastructure
  needs: skill: youth mentoring
ruth | Ruth Abernathy | housing food | stbrigid | Kitchen Coordinator | staff | broker
  offers: skill: cooking for large groups; resource: commercial kitchen time
  notes: Cooks for every Gathering; knows who is struggling before anyone else does.
analucia | Ana Lucía Ortega | housing food | clinica | Food-as-Medicine Coordinator | staff \
| broker bilingual
  offers: skill: Spanish interpretation
  needs: resource: a refrigerated van on weekends
  notes: Links clinic patients to the food hub's produce boxes.
mai | Mai Vang | food youth | farmschool | Youth Farm Program Coordinator | staff | broker
  offers: skill: Hmong interpretation; skill: youth mentoring
  needs: resource: a 12-seat passenger van
jerome | Jerome Price | youth housing | millarts | Teaching Artist and Muralist | staff | broker
  offers: skill: mural painting
  needs: knowledge: tenant law basics
  notes: Painting the Millbrook tenants' mural with the Youth Collective teens.
"""

# type | text | groups that typically offer it | groups that typically need it
VALUES = """
skill | grant writing | housing backbone | food youth climate
skill | Spanish interpretation | housing | food youth backbone
skill | Hmong interpretation | food | housing youth
skill | bookkeeping for small nonprofits | funder | food youth housing
skill | facilitation | backbone | food housing youth climate
skill | graphic design and flyers | youth | food housing climate
skill | photography and video | youth | housing food
skill | carpentry and small repairs | housing | youth food
skill | cooking for large groups | food | housing youth
skill | youth mentoring | youth | food housing climate
skill | social media | youth | food housing climate
skill | data and spreadsheets | funder backbone | food housing youth
skill | event planning | youth | climate housing
skill | mural painting | youth | housing climate
knowledge | county permitting process | climate housing | food youth
knowledge | tenant law basics | housing | youth food
knowledge | soil health and cover crops | food | climate
knowledge | SNAP and Medicaid enrollment | housing | food
knowledge | flood insurance and FEMA aid | climate | housing food
knowledge | cold storage and food safety rules | food | housing
knowledge | cooperative business models | food | housing youth
knowledge | community land trusts | housing | food climate
knowledge | trauma-informed practice | housing | youth
knowledge | school district budgets | youth | food
knowledge | rain gardens and green infrastructure | climate | youth housing
knowledge | evaluation and impact reporting | funder backbone | food housing youth
resource | meeting space for 40 people | youth food | housing climate
resource | commercial kitchen time | food | youth housing
resource | a refrigerated van on weekends | food | housing
resource | small grants up to $5,000 | funder | food housing youth climate
resource | sound system and projector | youth | climate
resource | garden plots | food | housing youth
resource | volunteer drivers | housing | food youth
resource | surplus produce every Friday | food | housing youth
resource | childcare during meetings | youth | housing food backbone
resource | a 12-seat passenger van | housing | youth food
connection | intro to county health dept | housing | food youth
connection | intro to the school board | youth | food climate
connection | contacts at the state housing agency | housing | backbone
connection | intro to local farmers | food | housing youth
connection | intro to Riverbend Community Foundation | funder backbone | food youth climate
connection | contacts in the faith community | housing | food
connection | intro to the city council | climate | housing youth
connection | contacts at the regional food bank | food | housing
"""

FIRST_NAMES = _words("""
Aaliyah Abdi Adaeze Aiden Akira Alejandro Amina Anika Arjun Aroha Beatriz Bilal Bao
Camila Carmen Chidi Chloe Cyrus Dalia Daniel Darius Deja Diego Dmitri Elena Eli Emeka Esperanza
Ezra Fatima Femi Gabriel Gloria Hamza Hiroshi Ines Isaiah Jamal Jasmine Javier Jin Joaquin Kalani
Kenji Lakshmi Lena Lucia Malik Marisol Maya Mei Miguel Minh Naomi Nia Noor Olga Omar Paloma Pedro
Quinn Rafael Rania Reza Santiago Selam Shira Simone Soren Tariq Thandiwe Tenzin Theo Valentina
Wei Xochitl Yara Yusuf Zainab Zora Benita Cora Dev Esi Farah Graciela Hollis Ivan Jada Koa
Leilani Moses Nkechi Oksana Pilar Ren Silas Tamar Ulises Vera Wren Yesenia""")
SURNAMES = _words("""
Abara Acosta Adeyemi Aguilar Andersen Arriaga Baptiste Barakat Becerra Bergstrom Bui
Castellanos Chavis Cho Dang Darwish Delacroix Demir Duarte Eze Fairbanks Fonseca Gallo Garza Haddad
Halvorsen Huynh Ibekwe Iqbal Jaramillo Kaur Kowalski Lam Larkin Lindqvist Lozano Mahmoud Malone
Medina Mensah Moreau Mwangi Nakashima Nguyen Novak Obi Ochoa Oduya Park Patel Pham Quintero Rahimi
Ramos Rasmussen Renteria Rivas Rocha Saavedra Salazar Sandoval Shah Sokolov Soto Suleiman Tan
Tesfaye Thorsen Toledo Trinh Urquidi Valdez Varga Velasquez Wahid Whitaker Xiong Yamada Yazzie
Zamora Zielinski Begay Her Lor Osei Brennan Calloway Dunmore Ellery Fitch Greer Hollister""")

TITLES = {
    "food": "Farmer|Farm Manager|Operations Lead|Pantry Volunteer|Market Manager|Chef|Baker|"
    "Garden Educator|Volunteer Coordinator|Orchard Owner|Food Justice Organizer|Driver",
    "housing": "Tenant Organizer|Case Manager|Community Health Worker|Nurse Practitioner|"
    "Housing Counselor|Shelter Coordinator|Construction Lead|Outreach Worker|Social Worker|"
    "Senior Services Coordinator|Policy Analyst",
    "youth": "Teaching Artist|Youth Program Coordinator|Librarian|Coach|School Counselor|"
    "Theater Director|Maker Educator|Student Organizer|Teacher|Youth Mentor",
    "climate": "Climate Organizer|Solar Installer|Restoration Crew Lead|Energy Coach",
    "funder": "Program Associate|Grants Manager|Community Lending Officer",
    "resident": "Neighbor|Retired teacher|Parent volunteer|Student|Small business owner",
}
NOTES = (
    "Prefers text messages to e-mail.",
    "Quiet in big meetings, full of ideas one-to-one.",
    "Works weekends; weekday mornings are best.",
    "Knows everyone in the north valley; ask before a Cedar Flats event.",
    "Lost a home in the {flood} flood; now helps neighbours with FEMA paperwork.",
    "Wants to start a tool library: connect with the makerspace.",
    "Sits on the school site council.",
    "Back from parental leave in {soon}.",
    "Offered to host a potluck in the spring.",
    "Drives the food hub van on Saturdays.",
    "Interested in joining the steering circle next year.",
    "Asked for fewer e-mails; a monthly digest is enough.",
)
DRIFT_NOTE = "Has not come to a gathering since {last}; worth a check-in."
NEWCOMER_NOTE = "Signed up at the {event}; interested in {topic}. Not introduced to anyone yet."
PRIVATE_NO_NOTE = "Asked not to appear on shared maps."

# title | kind | scope | count | in person | trust-building | size | host | notes
EVENT_SERIES = """
Steering Circle | meeting | core | 11 | y | n | 9-13 | confluence |
{season} Gathering {year} | convening | network | 8 | y | y | 35-60 | * \
| Shared supper; one offer and one need from every table. \
// Story circle on the flood anniversary. // Twelve sign-ups for the food-as-medicine pilot. \
// Small groups by town; the Cedar Flats table wants its own potluck.
Food Systems Working Group | meeting | food | 7 | y | n | 8-14 | foodhub |
Housing & Health Table | meeting | housing | 7 | y | n | 8-14 | clinica |
Youth & Arts Collaborative | meeting | youth | 6 | y | n | 8-14 | millarts |
Harvest potluck | meal | food youth | 2 | y | y | 15-25 | farmschool |
Site visit: Stonebridge Habitat build | site visit | housing funder | 1 | y | y | 6-10 | habitat |
Site visit: the Food Hub's new cold storage | site visit | food funder | 1 | y | y | 6-10 \
| foodhub | The van swap with the pantry was agreed here.
Site visit: Youth Collective studio | site visit | youth funder | 1 | y | y | 6-10 \
| youthcollective | Teens led the tour.
Walk the levee with the Watershed Council | site visit | climate network | 1 | y | y | 12-20 \
| watershed |
Farm tour: Valley Growers Cooperative | site visit | food | 1 | y | n | 8-14 | growers |
Community dinner at St. Brigid's | meal | network | 3 | y | y | 20-35 | stbrigid |
Funders' learning lunch | meal | funder core | 3 | y | y | 6-10 | rcf |
Tenant rights workshop | workshop | housing | 2 | y | n | 10-18 | tenants |
Grant-writing clinic (online) | workshop | network | 2 | n | n | 10-16 | confluence |
Flood resilience workshop | workshop | climate network | 1 | y | n | 15-25 | library |
Mural design workshop | workshop | youth housing | 1 | y | y | 10-16 | millarts |
Food as Medicine pilot kickoff | meeting | food housing | 1 | y | n | 8-12 | clinica \
| Produce boxes for 40 clinic families, starting with the pantry's Friday surplus.
Youth farm stand planning | meeting | youth food | 2 | y | n | 6-10 | farmschool |
Climate & housing listening session | meeting | climate housing | 1 | y | n | 12-20 | city |
Call: food-as-medicine budget | call | food housing funder | 2 | n | n | 3-5 | |
Call: youth farm stand schedule | call | youth food | 2 | n | n | 3-5 | |
Call: levee repair comment letter | call | climate | 1 | n | n | 3-5 | |
"""
ONE_TO_ONES = 10
# Steering-circle pairs not yet tied, though one offers what the other needs: the first
# introductions the weaving suggestions make.
CORE_GAPS = {frozenset(pair) for pair in (("helen", "kai"), ("denise", "kai"), ("june", "grace"))}
INTRODUCTIONS = 4


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


def build_demo(as_of: date, seed: int = 7) -> Demo:
    """The Riverbend network as it stands on ``as_of`` (the same arguments, the same network)."""
    return _Story(as_of, seed).build()


def write_demo(path: Path | str, as_of: date, seed: int = 7) -> dict[str, int]:
    """Write the demo to ``path`` atomically and return the document's counts.

    The document is built in a hidden temporary file beside ``path`` and moved over it only
    once complete, so a failure never leaves half a document (or a temporary file) behind.
    """
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        raise DocumentError(path, f"cannot be written: folder {folder} does not exist")
    if not folder.is_dir():
        raise DocumentError(path, f"cannot be written: {folder} is not a folder")
    if path.is_dir():
        raise DocumentError(path, "cannot be written: it is a folder")
    demo = build_demo(as_of, seed)
    tmp = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        wb = Workbook.create(tmp, name=demo.settings["name"])
        try:
            AddEntities(demo.entities(), "Create demo network").apply(wb)
            SetSettings(demo.settings, "Name the demo network").apply(wb)
            counts = wb.counts()
        finally:
            wb.close()
        os.replace(tmp, path)
    except DocumentError as exc:
        _discard(tmp)
        raise DocumentError(path, exc.reason.replace(str(tmp), str(path))) from exc
    except (OSError, sqlite3.Error) as exc:
        _discard(tmp)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DocumentError(path, f"cannot be written ({reason})") from exc
    except BaseException:
        _discard(tmp)
        raise
    return counts


def _discard(tmp: Path) -> None:
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove temporary file %s", leftover)


# ---- helpers shared with the story builder -----------------------------------------------


def parse_blocks(text: str) -> list[tuple[list[str], dict[str, str]]]:
    """Records of ``a | b | c`` headers with indented ``key: value`` lines under them."""
    records: list[tuple[list[str], dict[str, str]]] = []
    for raw in text.replace("\\\n", "").splitlines():
        if not raw.strip():
            continue
        if raw.startswith(" "):
            key, _, value = raw.strip().partition(": ")
            records[-1][1][key] = value
        else:
            records.append(([part.strip() for part in raw.split("|")], {}))
    return records


def parse_items(text: str) -> tuple[ValueItem, ...]:
    """``"skill: grant writing; resource: garden plots"`` -> value items."""
    items = []
    for part in text.split(";"):
        if part.strip():
            kind, _, what = part.strip().partition(": ")
            items.append(ValueItem(kind, what))
    return tuple(items)


def ascii_slug(text: str, sep: str = ".") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join("".join(c for c in w if c.isalnum()).lower() for w in plain.split())


def stamp_of(day: date, minute: int) -> str:
    """A UTC stamp on ``day`` at ``minute`` past midnight, formatted like ``utc_now()``."""
    moment = datetime.combine(day, time(0, 0), UTC) + timedelta(minutes=minute)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seeded_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ---- the story ---------------------------------------------------------------------------


@dataclass
class _Member:
    """A member while the story is being written (ages are days before ``as_of``)."""

    key: str
    id: str
    name: str
    kind: str
    groups: tuple[str, ...]
    org: str = ""  # main organization (people) — its key
    title: str = ""
    aff_role: str = ""
    flags: tuple[str, ...] = ()
    joined_age: int = 0
    activity: float = 1.0
    drift_age: int = 0  # stopped coming to meetings this many days ago; 0: still active
    offers: tuple[ValueItem, ...] = ()
    needs: tuple[ValueItem, ...] = ()
    notes: str = ""
    town: str = ""
    sector: str = ""
    domain: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def is_crowd(self) -> bool:
        """One of the generated people (not a hand-written character, not a newcomer)."""
        return "crowd" in self.flags


@dataclass
class _Tie:
    a: str
    b: str
    kind: str
    strength: int
    since_age: int
    direction: str = "undirected"
    ended_age: int | None = None
    notes: str = ""
    cold: bool = False


@dataclass
class _Meeting:
    title: str
    kind: str
    scope: tuple[str, ...]
    age: int
    in_person: bool
    trust: bool
    size: tuple[int, int]
    host: str = ""
    notes: str = ""
    attendees: dict[str, str] = field(default_factory=dict)  # member key -> role


class _Story:
    def __init__(self, as_of: date, seed: int) -> None:
        self.as_of = as_of
        self.seed = seed
        # Content and ids come from separate streams, so tuning the story's wording
        # never reshuffles ids, and nothing drawn depends on as_of.
        self.rng = random.Random(seed)
        self.ids = random.Random(f"weaver-demo-ids:{seed}")
        self.members: dict[str, _Member] = {}
        self.ties: list[_Tie] = []
        self.pairs: set[frozenset[str]] = set()
        self.degree: dict[str, int] = {}
        self.meetings: list[_Meeting] = []
        self.values = [
            (ValueItem(t, text), tuple(by.split()), tuple(need.split()))
            for (t, text, by, need), _ in parse_blocks(VALUES)
        ]
        self.used_names: set[str] = set()
        self.phones = [f"({area}) 555-01{n:02d}" for area in (541, 458) for n in range(100)]
        self.rng.shuffle(self.phones)

    def day(self, age: int) -> date:
        return self.as_of - timedelta(days=age)

    def people(self, *groups: str) -> list[_Member]:
        return [
            m
            for m in self.members.values()
            if m.is_person and (not groups or set(groups) & set(m.groups))
        ]

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

    def _add(self, member: _Member) -> _Member:
        self.members[member.key] = member
        self.degree[member.key] = 0
        return member

    def _organizations(self) -> None:
        for (key, name, sector, town, groups, domain), extra in parse_blocks(ORGANIZATIONS):
            early = key in ("confluence", "rcf", "foodhub", "housingtrust", "clinica", "millarts")
            age = FOUNDED_DAYS_AGO - (0 if early else int(self.rng.random() ** 1.5 * 1300))
            self._add(
                _Member(
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
                _Member(
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
                member = _Member(
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
                _Member(
                    f"new{i}", seeded_uuid(self.ids), self._name(), "person", (group,),
                    flags=("newcomer",), joined_age=gathering.age, activity=0.0,
                    town=self.rng.choice(TOWNS), title=self.rng.choice(("Neighbor", "Student")),
                )
            )  # fmt: skip
            member.offers = self._items(group, offered=True, chance=1.0)
            member.notes = NEWCOMER_NOTE.format(event="{gathering}", topic=GROUP_TAGS[group])
            gathering.attendees[member.key] = "attendee"

    # ---- ties --------------------------------------------------------------------------

    def _tie(self, a: str, b: str, kind: str, strength: int, since_age: int, **kw: Any) -> _Tie:
        tie = _Tie(a, b, kind, strength, max(14, since_age), **kw)
        self.ties.append(tie)
        self.pairs.add(frozenset((a, b)))
        self.degree[a] += 1
        self.degree[b] += 1
        return tie

    def _crowd_tie(self, t: _Tie) -> bool:
        return self.members[t.a].is_crowd and self.members[t.b].is_crowd

    def _since(self, a: _Member, b: _Member) -> int:
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

    def _pick(self, candidates: list[_Member], k: int, exclude: str) -> list[_Member]:
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

    def _close_triangles(self, people: list[_Member], n: int) -> None:
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

    # ---- events ------------------------------------------------------------------------

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
                    _Meeting(
                        title, kind, tuple(scope.split()), age, in_person == "y", trust == "y",
                        (lo, hi), host, notes,
                    )
                )  # fmt: skip

    def _eligible(self, m: _Member, age: int) -> bool:
        """Had joined by then, had not yet drifted away, and is not a silent newcomer."""
        return (
            m.is_person
            and m.joined_age >= age
            and not (m.drift_age and age < m.drift_age)
            and "newcomer" not in m.flags
        )

    def _attend(self) -> None:
        leads = {"food": "rosa", "housing": "luis", "youth": "imani", "climate": "mateo"}
        venues = _words("millarts stbrigid grange library farmschool foodhub confluence college")
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

    def _warm_ties(self, age: int) -> list[_Tie]:
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
                _Meeting(
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
                    _Meeting(
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

    # ---- the document ------------------------------------------------------------------

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

    def _member(self, m: _Member) -> Member:
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

    def _email(self, m: _Member) -> str:
        if not m.is_person:
            return f"{self.rng.choice(('hello', 'info', 'office'))}@{m.domain}"
        if self.rng.random() > 0.85:
            return ""
        if m.org and m.aff_role == "staff":
            return f"{ascii_slug(m.name)}@{self.members[m.org].domain}"
        handle = ascii_slug(m.name, sep="")
        return f"{handle}{self.rng.randint(1, 99)}@valleymail.example"

    def _phone(self, m: _Member) -> str:
        if self.phones and self.rng.random() < (0.8 if not m.is_person else 0.6):
            return self.phones.pop()
        return ""

    def _relationship(self, t: _Tie, ids: dict[str, str]) -> Relationship:
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

    def _title(self, meeting: _Meeting) -> str:
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


def weighted_sample(
    rng: random.Random, items: list[Any], weights: list[float], k: int
) -> list[Any]:
    """k distinct items, each drawn with probability proportional to its weight."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0]
    keyed.sort(reverse=True)
    return [items[i] for _, i in keyed[:k]]


def _with_layout(
    members: list[Member], relationships: list[Relationship], seed: int
) -> list[Member]:
    """Store map positions so the demo looks the same everywhere, when a layout is available."""
    try:
        from . import layout

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
