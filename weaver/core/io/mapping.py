"""Which column means which field: header synonyms shared by every tabular reader.

Headers are compared after folding case and dropping everything but letters and digits, so
"E-mail", "Email address" and "EMAIL" all land on ``email``. Unknown columns become custom
fields (``custom:<header>``) rather than being dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

IGNORE = ""
CUSTOM = "custom:"

MEMBER_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "weaver id", "member id", "uuid", "key", "node id"),
    "name": (
        "name",
        "full name",
        "label",
        "member",
        "person",
        "member name",
        "display name",
        "contact",
        "nom",
        "nombre",
    ),
    "kind": ("kind", "member kind", "element type", "node type", "person or organization"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "courriel"),
    "phone": ("phone", "telephone", "phone number", "mobile", "tel"),
    "role": ("role", "title", "job title", "position"),
    "organization": (
        "organization",
        "organisation",
        "organizations",
        "organisations",
        "org",
        "company",
        "employer",
        "affiliation",
        "affiliations",
    ),
    "location": ("location", "city", "place", "region", "country", "home"),
    "sector": ("sector", "field", "industry"),
    # Not "description": in Kumu and most tools it is public text, and notes are private by
    # default; it stays a custom field of that name (public unless marked private).
    "notes": ("notes", "note", "comments"),
    "tags": ("tags", "tag", "keywords", "labels", "groups"),
    "offers": ("offers", "offer", "can offer", "gives"),
    "needs": ("needs", "need", "looking for", "asks"),
    "joined_on": ("joined", "joined on", "member since", "join date", "since"),
    "consent": ("consent", "consent given", "gdpr consent"),
    "x": ("x",),
    "y": ("y",),
    "type": ("type",),
}

RELATIONSHIP_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "weaver id", "relationship id", "edge id", "connection id"),
    "source": ("source", "from", "source name", "member a", "person a", "ego", "node 1"),
    "target": ("target", "to", "target name", "member b", "person b", "alter", "node 2"),
    "kind": ("kind", "relationship", "relationship type", "connection type", "tie type"),
    "type": ("type",),
    "direction": ("direction", "directed", "edge type"),
    "strength": ("strength", "tie strength"),
    "weight": ("weight", "value"),
    "label": ("label",),
    "since": ("since", "start", "started", "start date"),
    "ended_on": ("ended", "ended on", "end", "end date"),
    "notes": ("notes", "note", "comments"),
    "tags": ("tags", "tag"),
}


# Columns Weaver's own member list computes (counts, dates): read back, they change nothing.
COMPUTED_MEMBER_HEADERS = ("relationships", "meetings", "last in-person meeting")


def norm(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", header.casefold())


def _index(fields: Mapping[str, Iterable[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for fieldname, names in fields.items():
        for n in names:
            out.setdefault(norm(n), fieldname)
    return out


_MEMBER_INDEX = _index(MEMBER_FIELDS)
_COMPUTED = {norm(h) for h in COMPUTED_MEMBER_HEADERS}
_REL_INDEX = _index(RELATIONSHIP_FIELDS)


def map_headers(
    headers: list[str],
    fields: Mapping[str, Iterable[str]],
    overrides: Mapping[int, str] | None = None,
) -> dict[int, str]:
    """Column index -> field for each column (first column wins a field; later duplicates and
    unknown headers become custom fields; blank headers are ignored)."""
    index = (
        _MEMBER_INDEX
        if fields is MEMBER_FIELDS
        else _REL_INDEX
        if fields is RELATIONSHIP_FIELDS
        else _index(fields)
    )
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, header in enumerate(headers):
        if overrides and i in overrides:
            out[i] = overrides[i]
            if overrides[i] and not overrides[i].startswith(CUSTOM):
                taken.add(overrides[i])
            continue
        if not header.strip():
            out[i] = IGNORE
            continue
        if fields is MEMBER_FIELDS and norm(header) in _COMPUTED:
            out[i] = IGNORE
            continue
        fieldname = index.get(norm(header))
        if fieldname and fieldname not in taken:
            out[i] = fieldname
            taken.add(fieldname)
        else:
            out[i] = CUSTOM + header.strip()
    return out


def member_field_choices() -> list[str]:
    return list(MEMBER_FIELDS)


def relationship_field_choices() -> list[str]:
    return list(RELATIONSHIP_FIELDS)


# Fields of the Weaver workbook's sheets that are not in the synonym tables above.
_WEAVER_EXTRA = {
    "members": ("pinned", "created_at", "updated_at"),
    "relationships": ("source_id", "target_id", "created_at", "updated_at"),
    "events": (
        "id",
        "title",
        "kind",
        "date",
        "end_date",
        "location",
        "in_person",
        "trust_building",
        "notes",
        "created_at",
        "updated_at",
    ),
    "affiliations": (
        "id",
        "person_id",
        "person",
        "organization_id",
        "organization",
        "role",
        "since",
        "created_at",
        "updated_at",
    ),
    "attendance": (
        "id",
        "event_id",
        "event",
        "member_id",
        "member",
        "role",
        "created_at",
        "updated_at",
    ),
    "ratings": (
        "id",
        "relationship_id",
        "source",
        "target",
        "rated_on",
        "reliability",
        "mission_support",
        "openness",
        "influence",
        "involvement",
        "resource_contribution",
        "notes",
        "created_at",
        "updated_at",
    ),
    "snapshots": ("id", "taken_on", "taken_at", "label", "measures"),
}


def choices_for(holds: str, current: str = "") -> list[str]:
    """Fields a column of a sheet holding ``holds`` may be mapped to, in a sensible order;
    "" (ignore) first and the column's current custom field, if any, kept."""
    base = {
        "members": list(MEMBER_FIELDS),
        "relationships": list(RELATIONSHIP_FIELDS),
    }.get(holds, [])
    extra = [f for f in _WEAVER_EXTRA.get(holds, ()) if f not in base]
    out = [IGNORE, *base, *extra]
    if current and current not in out:
        out.append(current)
    return out
