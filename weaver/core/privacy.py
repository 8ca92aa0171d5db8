"""What may be shown on a shared screen: the presentation privacy rules.

The rules live in the document (setting ``presentation``), so a facilitator presenting from
another laptop keeps them. Only names (or initials / pseudonyms), kind, organization and
non-private tags are ever shown; members whose consent is "no" appear as anonymous dots or not
at all; how "not asked" members appear is a choice too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .model import Affiliation, Member
from .text import initials

LabelMode = Literal["name", "initials", "pseudonym"]
Appearance = Literal["name", "anonymous", "hidden"]

SETTING_KEY = "presentation"

_PSEUDONYM_WORDS = (
    "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fern", "Ginkgo", "Hazel", "Iris", "Juniper",
    "Kestrel", "Larch", "Maple", "Nettle", "Oak", "Poplar", "Quince", "Rowan", "Sage", "Thistle",
    "Umber", "Violet", "Willow", "Yarrow", "Zinnia",
)  # fmt: skip


@dataclass(frozen=True)
class PresentationPrivacy:
    label_mode: LabelMode = "name"
    consent_no: Appearance = "anonymous"  # never "name": that is what consent "no" means
    consent_not_asked: Appearance = "name"
    private_tags: tuple[str, ...] = ()
    prompt: str = ""
    prompt_kind: str = ""
    theme: Literal["light", "dark"] = "dark"
    show_legend: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.consent_no == "name":
            object.__setattr__(self, "consent_no", "anonymous")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> PresentationPrivacy:
        raw = dict(settings.get(SETTING_KEY) or {})
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        values = {k: v for k, v in raw.items() if k in known}
        if "private_tags" in values:
            values["private_tags"] = tuple(values["private_tags"])
        extra = {k: v for k, v in raw.items() if k not in known}
        try:
            return cls(**values, extra=extra)
        except TypeError:
            return cls()

    def to_setting(self) -> dict[str, Any]:
        data = asdict(self)
        data["private_tags"] = list(self.private_tags)
        data.update(data.pop("extra"))
        return data

    def summary(self) -> str:
        """One line for the on-screen privacy indicator."""
        labels = {"name": "names", "initials": "initials only", "pseudonym": "pseudonyms"}
        parts = [labels[self.label_mode], "private fields hidden"]
        parts.append(
            "no-consent members " + ("hidden" if self.consent_no == "hidden" else "anonymous")
        )
        if self.consent_not_asked != "name":
            parts.append(f"not-asked members {self.consent_not_asked}")
        if self.private_tags:
            parts.append(f"{len(self.private_tags)} private tag(s) hidden")
        return "Privacy on: " + ", ".join(parts)


def appearance(member: Member, rules: PresentationPrivacy) -> Appearance:
    if member.consent == "no":
        return rules.consent_no
    if member.consent == "not_asked":
        return rules.consent_not_asked
    return "name"


def pseudonym(member_id: str) -> str:
    """A stable, friendly stand-in name derived from the id (same on every laptop)."""
    digest = hashlib.sha256(member_id.encode()).digest()
    word = _PSEUDONYM_WORDS[digest[0] % len(_PSEUDONYM_WORDS)]
    return f"{word} {int.from_bytes(digest[1:3], 'big') % 100:02d}"


def public_label(member: Member, rules: PresentationPrivacy) -> str | None:
    """The label a shared screen may show, or None for an anonymous dot / hidden member."""
    if appearance(member, rules) != "name":
        return None
    if rules.label_mode == "initials":
        return initials(member.name)
    if rules.label_mode == "pseudonym":
        return pseudonym(member.id)
    return member.name


def public_tags(member: Member, rules: PresentationPrivacy) -> tuple[str, ...]:
    hidden = {t.casefold() for t in rules.private_tags}
    return tuple(t for t in member.tags if t.casefold() not in hidden)


@dataclass(frozen=True)
class PublicMember:
    """Everything about a member a shared screen may know. Nothing else is ever passed on."""

    id: str
    label: str | None
    kind: str
    organizations: tuple[str, ...]
    tags: tuple[str, ...]
    appearance: Appearance

    def tooltip(self) -> str:
        if self.label is None:
            return "Anonymous member"
        lines = [self.label, "Organization" if self.kind == "organization" else "Person"]
        if self.organizations:
            lines.append(", ".join(self.organizations))
        if self.tags:
            lines.append(" · ".join(self.tags))
        return "\n".join(lines)


def public_members(
    members: Iterable[Member],
    affiliations: Iterable[Affiliation],
    rules: PresentationPrivacy,
) -> dict[str, PublicMember]:
    members = list(members)
    by_id = {m.id: m for m in members}
    orgs_of: dict[str, list[str]] = {}
    for a in affiliations:
        org = by_id.get(a.organization_id)
        if org is None:
            continue
        org_label = public_label(org, rules)
        if org_label is not None:  # an organization that declined is not named either
            orgs_of.setdefault(a.person_id, []).append(org_label)
    out: dict[str, PublicMember] = {}
    for m in members:
        look = appearance(m, rules)
        if look == "hidden":
            continue
        label = public_label(m, rules)
        named = label is not None
        out[m.id] = PublicMember(
            id=m.id,
            label=label,
            kind=m.kind,
            organizations=tuple(sorted(set(orgs_of.get(m.id, ())))) if named else (),
            tags=public_tags(m, rules) if named else (),
            appearance=look,
        )
    return out
