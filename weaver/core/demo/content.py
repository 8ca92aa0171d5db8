"""What the demo network is made of: its people, organizations, offers, needs and meetings.

The tables are plain text so they read like a cast list; :func:`~.helpers.parse_blocks` turns
them into records. The numbers above them tune the story (how long ago the flood was, how far
back the meetings go, when a tie counts as going cold). Changing a table changes the demo
document, so ``tests/core/test_demo.py`` is the place to check that the story still holds.
"""

from __future__ import annotations

NETWORK_NAME = "Riverbend Community Network"
FOUNDED_DAYS_AGO = 1600  # the flood, and the first meeting after it (about 4½ years back)
HISTORY_DAYS = 720  # events span the last 24 months
COLD_DAYS = 365  # no shared in-person meeting for this long: the tie is going cold
BRING_A_PARTNER = 0.5  # chance an attendee comes along with someone they are tied to


def words(text: str) -> list[str]:
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

FIRST_NAMES = words("""
Aaliyah Abdi Adaeze Aiden Akira Alejandro Amina Anika Arjun Aroha Beatriz Bilal Bao
Camila Carmen Chidi Chloe Cyrus Dalia Daniel Darius Deja Diego Dmitri Elena Eli Emeka Esperanza
Ezra Fatima Femi Gabriel Gloria Hamza Hiroshi Ines Isaiah Jamal Jasmine Javier Jin Joaquin Kalani
Kenji Lakshmi Lena Lucia Malik Marisol Maya Mei Miguel Minh Naomi Nia Noor Olga Omar Paloma Pedro
Quinn Rafael Rania Reza Santiago Selam Shira Simone Soren Tariq Thandiwe Tenzin Theo Valentina
Wei Xochitl Yara Yusuf Zainab Zora Benita Cora Dev Esi Farah Graciela Hollis Ivan Jada Koa
Leilani Moses Nkechi Oksana Pilar Ren Silas Tamar Ulises Vera Wren Yesenia""")
SURNAMES = words("""
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
