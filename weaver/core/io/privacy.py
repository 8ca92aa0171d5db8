"""Which fields are private: the network's own setting, used by every export but the Weaver
workbook (the complete record)."""

from __future__ import annotations

from typing import Any

from ..store import DEFAULT_SETTINGS, Workbook

FIELD_LABELS = {
    "email": "E-mail",
    "phone": "Phone",
    "notes": "Notes",
    "role": "Role",
    "location": "Location",
    "sector": "Sector",
    "tags": "Tags",
    "offers": "Offers",
    "needs": "Needs",
    "joined_on": "Joined on",
    "consent": "Consent",
}


def private_fields(wb: Workbook) -> dict[str, set[str]]:
    """{"members": {...}, "relationships": {...}} (field names, or custom field names)."""
    value: Any = wb.setting("private_fields") or DEFAULT_SETTINGS["private_fields"]
    return {
        "members": set(value.get("members", [])),
        "relationships": set(value.get("relationships", [])),
    }


def describe_private(wb: Workbook) -> list[str]:
    """Human labels of the private fields, for the export dialog."""
    fields = private_fields(wb)
    out = [FIELD_LABELS.get(f, f) for f in sorted(fields["members"])]
    out += [
        f"relationship {FIELD_LABELS.get(f, f).lower()}" for f in sorted(fields["relationships"])
    ]
    return out
