"""The Weaver workbook's layout: its sheets and, per sheet, the columns and their fields.

Shared by the writer (:mod:`xlsx_weaver_write`) and the reader (:mod:`xlsx_weaver_read`).
"""

from __future__ import annotations

from ..ratings import FIELD_LABELS, SCORE_FIELDS
from .xlsx_out import BOOL, DATE, NUMBER, TEXT

FORMAT = "weaver"

# (header, field, kind) per sheet. Headers are what a person reads; fields what the model has.
MEMBER_COLUMNS: list[tuple[str, str, str]] = [
    ("ID", "id", TEXT),
    ("Name", "name", TEXT),
    ("E-mail", "email", TEXT),
    ("Phone", "phone", TEXT),
    ("Role", "role", TEXT),
    ("Location", "location", TEXT),
    ("Sector", "sector", TEXT),
    ("Tags", "tags", TEXT),
    ("Offers", "offers", TEXT),
    ("Needs", "needs", TEXT),
    ("Joined on", "joined_on", DATE),
    ("Consent", "consent", TEXT),
    ("Notes", "notes", TEXT),
    ("X", "x", NUMBER),
    ("Y", "y", NUMBER),
    ("Pinned", "pinned", BOOL),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
RELATIONSHIP_COLUMNS = [
    ("ID", "id", TEXT),
    ("Source ID", "source_id", TEXT),
    ("Source", "source", TEXT),
    ("Target ID", "target_id", TEXT),
    ("Target", "target", TEXT),
    ("Kind", "kind", TEXT),
    ("Direction", "direction", TEXT),
    ("Strength", "strength", NUMBER),
    ("Since", "since", DATE),
    ("Ended on", "ended_on", DATE),
    ("Notes", "notes", TEXT),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
AFFILIATION_COLUMNS = [
    ("ID", "id", TEXT),
    ("Person ID", "person_id", TEXT),
    ("Person", "person", TEXT),
    ("Organization ID", "organization_id", TEXT),
    ("Organization", "organization", TEXT),
    ("Role", "role", TEXT),
    ("Since", "since", DATE),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
EVENT_COLUMNS = [
    ("ID", "id", TEXT),
    ("Title", "title", TEXT),
    ("Kind", "kind", TEXT),
    ("Date", "date", DATE),
    ("End date", "end_date", DATE),
    ("Location", "location", TEXT),
    ("In person", "in_person", BOOL),
    ("Trust building", "trust_building", BOOL),
    ("Notes", "notes", TEXT),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
ATTENDANCE_COLUMNS = [
    ("ID", "id", TEXT),
    ("Event ID", "event_id", TEXT),
    ("Event", "event", TEXT),
    ("Member ID", "member_id", TEXT),
    ("Member", "member", TEXT),
    ("Role", "role", TEXT),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
RATING_COLUMNS = [
    ("ID", "id", TEXT),
    ("Relationship ID", "relationship_id", TEXT),
    ("Source", "source", TEXT),
    ("Target", "target", TEXT),
    ("Rated on", "rated_on", DATE),
    *[(FIELD_LABELS[f], f, NUMBER) for f in SCORE_FIELDS],
    ("Notes", "notes", TEXT),
    ("Created at", "created_at", TEXT),
    ("Updated at", "updated_at", TEXT),
]
# A snapshot's measures are JSON; long ones continue in "Measures 2", "Measures 3"… so that no
# cell passes Excel's 32,767-character limit (counted in UTF-16 units: 16,000 code points
# are at most 32,000 units).
MEASURES_CHUNK = 16_000
SNAPSHOT_COLUMNS = [
    ("ID", "id", TEXT),
    ("Taken on", "taken_on", DATE),
    ("Taken at", "taken_at", TEXT),
    ("Label", "label", TEXT),
    ("Measures", "measures", TEXT),
]
SHEETS = {
    "Members": MEMBER_COLUMNS,
    "Organizations": MEMBER_COLUMNS,
    "Affiliations": AFFILIATION_COLUMNS,
    "Relationships": RELATIONSHIP_COLUMNS,
    "Events": EVENT_COLUMNS,
    "Attendance": ATTENDANCE_COLUMNS,
    "Ratings": RATING_COLUMNS,
    "Snapshots": SNAPSHOT_COLUMNS,
}
NETWORK_SHEET = "Network"
SHEET_ENTITY = {
    "Members": "members",
    "Organizations": "members",
    "Affiliations": "affiliations",
    "Relationships": "relationships",
    "Events": "events",
    "Attendance": "attendance",
    "Ratings": "ratings",
    "Snapshots": "snapshots",
}
REQUIRED = {
    "Members": "name",
    "Organizations": "name",
    "Relationships": "source",
    "Events": "title",
    "Affiliations": "person",
    "Attendance": "event",
    "Ratings": "rated_on",
    "Snapshots": "taken_on",
}
