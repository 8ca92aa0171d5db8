"""What may be shown on a shared screen: the presentation privacy rules.

The rules live in the document (setting ``presentation``), so a facilitator presenting from
another laptop keeps them. Only names (or initials / pseudonyms), kind, organization and
non-private tags are ever shown; members whose consent is "no" appear as anonymous dots or not
at all; how "not asked" members appear is a choice too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from .model import Affiliation, Member, Relationship
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

    def summary(self, separator: str = " · ") -> str:
        """What the wall shows and what it hides, in sections joined by ``separator``, e.g.
        "Shown: names, organizations, tags · Hidden: private fields and all other details ·
        Members who said no: anonymous dots". The projector's badge asks for one section per
        line (a newline as separator) and puts back on one line what fits.

        It names what is shown first, so "names" never reads as if names were hidden.
        """
        shown_as = {"name": "names", "initials": "initials", "pseudonym": "pseudonyms"}
        looks = {"anonymous": "anonymous dots", "hidden": "not shown", "name": "by name"}
        shown = [shown_as[self.label_mode], "organizations"]
        shown.append("public tags" if self.private_tags else "tags")
        hidden = [] if self.label_mode == "name" else ["full names"]
        hidden.append("private fields and all other details")
        if self.private_tags:
            n = len(self.private_tags)
            hidden.append(f"{n} private tag" + ("" if n == 1 else "s"))
        sections = [
            "Shown: " + ", ".join(shown),
            "Hidden: " + ", ".join(hidden),
            "Members who said no: " + looks[self.consent_no],
        ]
        if self.consent_not_asked != "name":
            sections.append("Members not asked yet: " + looks[self.consent_not_asked])
        return separator.join(sections)


def appearance(member: Member, rules: PresentationPrivacy) -> Appearance:
    if withholds_consent(member):
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


# --- Shareable outputs: the one rule for everything that leaves the laptop -----------------
#
# Exports (member list, Kumu, Gephi tables, GEXF, GraphML, the Weaver workbook), reports and
# images of the map all build their rows from a ShareView. It applies three things, here only:
#   1. private fields (the document's ``private_fields`` setting) are left out;
#   2. a member whose consent is "no" appears only as "Member N" (numbered within this one
#      output, so two outputs cannot be joined on it) with no field, tag, offer, need or free
#      text of theirs, and under an id local to the output; ties touching them keep only their
#      shape (who, direction, strength, dates), never their notes or custom fields;
#   3. tags the presentation rules mark private are left out like private fields.
# ``include_private`` (the complete record, on purpose) lifts all three.

PRIVATE_FIELDS_KEY = "private_fields"
DEFAULT_PRIVATE_FIELDS: dict[str, list[str]] = {
    "members": ["email", "phone", "notes"],
    "relationships": ["notes"],
}
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
    "kind": "Kind",
    "since": "Since",
    "ended_on": "Ended on",
    "strength": "Strength",
    "direction": "Direction",
}
ANONYMOUS_NAME = "Member"
ANONYMOUS_ID = "anonymous-"


@dataclass(frozen=True)
class PrivateFields:
    """The fields the network marks private: built-in field names or custom field names."""

    members: frozenset[str] = frozenset()
    relationships: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> PrivateFields:
        """From all of a document's settings (see :meth:`from_value`)."""
        return cls.from_value(settings.get(PRIVATE_FIELDS_KEY))

    @classmethod
    def from_value(cls, value: Any) -> PrivateFields:
        """The one reading of the ``private_fields`` setting.

        A mapping names member and relationship fields; a bare list (an older form) names
        member fields only. A missing or unreadable setting means the defaults: a damaged
        setting must never make private data public."""
        if isinstance(value, Mapping):
            members, relationships = value.get("members", ()), value.get("relationships", ())
        elif isinstance(value, list | tuple):
            members, relationships = value, ()
        else:
            members = DEFAULT_PRIVATE_FIELDS["members"]
            relationships = DEFAULT_PRIVATE_FIELDS["relationships"]
        return cls(
            frozenset(str(f) for f in members if isinstance(f, str)),
            frozenset(str(f) for f in relationships if isinstance(f, str)),
        )

    def labels(self) -> list[str]:
        """Human labels ("E-mail", "relationship notes"), for messages and dialogs."""
        out = [FIELD_LABELS.get(f, f) for f in sorted(self.members)]
        for f in sorted(self.relationships):
            out.append(f"relationship {FIELD_LABELS.get(f, f).lower()}")
        return out


def withholds_consent(member: Member) -> bool:
    """The consent rule: a member who said no is never named in anything shared."""
    return member.consent == "no"


_BLANK_MEMBER: dict[str, Any] = {
    "email": "",
    "phone": "",
    "role": "",
    "location": "",
    "sector": "",
    "notes": "",
    "tags": (),
    "offers": (),
    "needs": (),
    "joined_on": None,
}
_BLANK_RELATIONSHIP: dict[str, Any] = {"notes": "", "since": None, "ended_on": None}


class ShareView:
    """What one shareable output may say about the network's members and ties.

    Build one per output (the anonymous numbering is local to it), then pass every member and
    relationship through :meth:`member` and :meth:`relationship` and leave out the columns in
    :attr:`private`. Nothing read from the document should reach an output any other way."""

    def __init__(
        self,
        members: Iterable[Member],
        settings: Mapping[str, Any],
        *,
        include_private: bool = False,
    ) -> None:
        self.include_private = include_private
        members = list(members)
        if include_private:
            self.private = PrivateFields()
            self.private_tags: frozenset[str] = frozenset()
            anonymous: list[str] = []
        else:
            self.private = PrivateFields.from_settings(settings)
            rules = PresentationPrivacy.from_settings(settings)
            self.private_tags = frozenset(t.casefold() for t in rules.private_tags)
            # Numbered in id order (random UUIDs): the number says nothing about the person.
            anonymous = sorted(m.id for m in members if withholds_consent(m))
        self._number = {member_id: i for i, member_id in enumerate(anonymous, start=1)}
        self.fields_withheld = PrivateFields.from_settings(settings)

    # -- members --------------------------------------------------------------------------

    def is_anonymous(self, member_id: str) -> bool:
        return member_id in self._number

    @property
    def anonymous_count(self) -> int:
        return len(self._number)

    def member_id(self, member_id: str) -> str:
        """The id an output uses: the real one, or one local to this output."""
        number = self._number.get(member_id)
        return member_id if number is None else f"{ANONYMOUS_ID}{number}"

    def name(self, member: Member) -> str:
        number = self._number.get(member.id)
        return member.name if number is None else f"{ANONYMOUS_NAME} {number}"

    def tags(self, member: Member) -> tuple[str, ...]:
        if self.is_anonymous(member.id) or "tags" in self.private.members:
            return ()
        return tuple(t for t in member.tags if t.casefold() not in self.private_tags)

    def member(self, member: Member) -> Member:
        """The member as this output may show it (private values blanked, or anonymous)."""
        if self.is_anonymous(member.id):
            return Member(
                id=self.member_id(member.id),  # type: ignore[arg-type]
                name=self.name(member),
                kind=member.kind,
                consent="no",  # true of every anonymous member, and says nothing more
                x=member.x,
                y=member.y,
            )
        if self.include_private:
            return member  # the whole record, on purpose: nothing to take out
        blank = {f: v for f, v in _BLANK_MEMBER.items() if f in self.private.members}
        custom = {k: v for k, v in member.custom.items() if k not in self.private.members}
        return replace(member, **(blank | {"tags": self.tags(member)}), custom=custom)

    def members(self, members: Iterable[Member]) -> list[Member]:
        return [self.member(m) for m in members]

    # -- relationships --------------------------------------------------------------------

    def relationship(self, rel: Relationship) -> Relationship:
        if self.include_private:
            return rel
        blank = {f: v for f, v in _BLANK_RELATIONSHIP.items() if f in self.private.relationships}
        custom = {k: v for k, v in rel.custom.items() if k not in self.private.relationships}
        if self.is_anonymous(rel.source_id) or self.is_anonymous(rel.target_id):
            blank["notes"] = ""
            custom = {}
        return replace(
            rel,
            source_id=self.member_id(rel.source_id),  # type: ignore[arg-type]
            target_id=self.member_id(rel.target_id),  # type: ignore[arg-type]
            **blank,
            custom=custom,
        )

    def relationships(self, rels: Iterable[Relationship]) -> list[Relationship]:
        return [self.relationship(r) for r in rels]

    # -- what it says about itself ----------------------------------------------------------

    def summary(self) -> str:
        """One line saying what this output leaves out, or that it includes private data."""
        withheld = self.fields_withheld.labels()
        if self.include_private:
            if withheld:
                fields = ", ".join(withheld)
                return f"includes private fields ({fields}) and names every member"
            return "names every member (no field is marked private)"
        parts = []
        if withheld:
            parts.append("private fields left out (" + ", ".join(withheld) + ")")
        if self.private_tags:
            parts.append(f"{len(self.private_tags)} private tag(s) left out")
        n = self.anonymous_count
        if n:
            who = "member" if n == 1 else "members"
            parts.append(f"{n} {who} who did not consent shown only as anonymous")
        return "; ".join(parts) if parts else "nothing is marked private"


def share_view(document: Any, *, include_private: bool = False) -> ShareView:
    """The ShareView of an open document (anything with ``members()`` and ``settings()``)."""
    return ShareView(document.members(), document.settings(), include_private=include_private)
