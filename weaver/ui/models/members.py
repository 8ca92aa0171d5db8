"""People and organizations, with what the weaver wants at a glance: ties, meetings, last met."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex

from ...core.changes import Changes
from ...core.commands import UpdateMember
from ...core.model import CONSENTS, KINDS, Member
from ...core.network.facts import attendance_summary
from .base import Column, Editor, EntityTableModel


def kind_label(kind: str) -> str:
    labels = {
        "person": QCoreApplication.translate("members", "Person"),
        "organization": QCoreApplication.translate("members", "Organization"),
    }
    return labels.get(kind, kind)


def consent_label(consent: str) -> str:
    labels = {
        "yes": QCoreApplication.translate("members", "Yes"),
        "no": QCoreApplication.translate("members", "No"),
        "not_asked": QCoreApplication.translate("members", "Not asked"),
    }
    return labels.get(consent, consent)


def split_tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    return tuple(value or ())


@dataclass(frozen=True)
class MemberRow:
    member: Member
    organizations: tuple[str, ...] = ()
    ties: int = 0
    meetings: int = 0
    last_in_person: date | None = None


class MembersModel(EntityTableModel):
    """One row per member. Derived columns (organizations, ties, meetings, last in-person
    meeting) are kept from small id indexes, so a new tie updates just its two ends."""

    def __init__(self, controller: Any, parent: Any = None) -> None:
        self._rel_ends: dict[str, tuple[str, str]] = {}
        self._att: dict[str, tuple[str, str]] = {}  # attendance id -> (event, member)
        self._events: dict[str, tuple[date | None, bool]] = {}  # event -> (date, in person)
        self._affs: dict[str, tuple[str, str]] = {}  # affiliation id -> (person, org)
        self._names: dict[str, str] = {}
        self._custom_keys: list[str] = []
        super().__init__(controller, parent)

    # ---- columns -------------------------------------------------------------------------

    def make_columns(self) -> list[Column]:
        tr = self.tr

        def field(name: str) -> Any:
            return lambda r: getattr(r.member, name)

        def setter(name: str) -> Any:
            return lambda m, v: UpdateMember(m.id, self._label(m), **{name: v})

        kinds = tuple((kind_label(k), k) for k in KINDS)
        consents = tuple((consent_label(c), c) for c in CONSENTS)
        cols = [
            Column("name", tr("Name"), field("name"), editor=Editor("text"), update=setter("name")),
            Column(
                "kind",
                tr("Kind"),
                field("kind"),
                text=kind_label,
                editor=Editor("choice", kinds),
                update=setter("kind"),
            ),
            Column("organizations", tr("Organization"), lambda r: r.organizations),
            Column("role", tr("Role"), field("role"), editor=Editor("text"), update=setter("role")),
            Column(
                "sector",
                tr("Sector"),
                field("sector"),
                editor=Editor("text"),
                update=setter("sector"),
            ),
            Column(
                "location",
                tr("Location"),
                field("location"),
                editor=Editor("text"),
                update=setter("location"),
            ),
            Column(
                "tags",
                tr("Tags"),
                field("tags"),
                editor=Editor("tags"),
                update=lambda m, v: UpdateMember(m.id, self._label(m), tags=split_tags(v)),
            ),
            Column("offers", tr("Offers"), field("offers"), visible=False),
            Column("needs", tr("Needs"), field("needs"), visible=False),
            Column(
                "ties",
                tr("Relationships"),
                lambda r: r.ties,
                numeric=True,
                tooltip=tr("Number of relationships"),
            ),
            Column(
                "meetings",
                tr("Meetings"),
                lambda r: r.meetings,
                numeric=True,
                tooltip=tr("Number of meetings and events attended"),
            ),
            Column(
                "last_met",
                tr("Last met in person"),
                lambda r: r.last_in_person,
                tooltip=tr("Date of the last in-person meeting attended"),
            ),
            Column(
                "joined_on",
                tr("Joined"),
                field("joined_on"),
                editor=Editor("date"),
                update=setter("joined_on"),
            ),
            Column(
                "consent",
                tr("Consent"),
                field("consent"),
                text=consent_label,
                editor=Editor("choice", consents),
                update=setter("consent"),
                visible=False,
            ),
            Column(
                "email",
                tr("E-mail"),
                field("email"),
                editor=Editor("text"),
                update=setter("email"),
                visible=False,
            ),
            Column(
                "phone",
                tr("Phone"),
                field("phone"),
                editor=Editor("text"),
                update=setter("phone"),
                visible=False,
            ),
        ]
        for key in self._custom_keys:
            cols.append(self._custom_column(key))
        return cols

    def _custom_column(self, key: str) -> Column:
        def update(m: Member, v: Any) -> Any:
            custom = dict(m.custom)
            if v:
                custom[key] = str(v)
            else:
                custom.pop(key, None)
            return UpdateMember(m.id, self._label(m), custom=custom)

        return Column(
            f"custom:{key}",
            key,
            lambda r: r.member.custom.get(key, ""),
            editor=Editor("text"),
            update=update,
            visible=False,
            tooltip=self.tr("Custom field “{key}”").format(key=key),
        )

    def _label(self, m: Member) -> str:
        return self.tr("Edit '{name}'").format(name=m.name)

    def describe(self, row_object: MemberRow) -> str:
        return f"'{row_object.member.name}'"

    def entity(self, row_object: MemberRow) -> Member:
        return row_object.member

    def member(self, member_id: str) -> Member | None:
        row = self.row_object(member_id)
        return row.member if row else None

    def all_tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        counts: dict[str, int] = defaultdict(int)
        for row in self._rows.values():
            for tag in row.member.tags:
                counts[tag] += 1
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))

    def names(self) -> dict[str, str]:
        return dict(self._names)

    # ---- loading -------------------------------------------------------------------------

    def load_all(self) -> dict[str, MemberRow]:
        wb = self.controller.document
        members = self.controller.all_members()
        self._names = {m.id: m.name for m in members}
        # Shared with the relationships table (read once per document change).
        self._rel_ends = {
            r.id: (r.source_id, r.target_id) for r in self.controller.all_relationships()
        }
        self._att = {a["id"]: (a["event_id"], a["member_id"]) for a in wb.rows("attendance")}
        self._events = {
            e["id"]: (self._day(e["date"]), bool(e["in_person"])) for e in wb.rows("events")
        }
        self._affs = {
            a["id"]: (a["person_id"], a["organization_id"]) for a in wb.rows("affiliations")
        }
        keys: dict[str, None] = {}
        for m in members:
            keys.update(dict.fromkeys(m.custom))
        self._custom_keys = sorted(keys, key=str.casefold)
        return self._derive(members)

    def load(self, ids: Iterable[str]) -> dict[str, MemberRow]:
        return self._derive(self.controller.document.members_by_ids(list(ids)))

    def _derive(self, members: list[Member]) -> dict[str, MemberRow]:
        wanted = {m.id for m in members}
        ties: dict[str, int] = defaultdict(int)
        for a, b in self._rel_ends.values():
            if a in wanted:
                ties[a] += 1
            if b in wanted:
                ties[b] += 1
        meetings, last = attendance_summary(
            ((e, m) for e, m in self._att.values() if m in wanted), self._events, date.today()
        )
        orgs: dict[str, list[str]] = defaultdict(list)
        for person, org in self._affs.values():
            if person in wanted and org in self._names:
                orgs[person].append(self._names[org])
        org_names = {p: tuple(sorted(names, key=str.casefold)) for p, names in orgs.items()}
        ties_of, meetings_of, last_of = ties.get, meetings.get, last.get
        return {
            m.id: MemberRow(
                m, org_names.get(m.id, ()), ties_of(m.id, 0), meetings_of(m.id, 0), last_of(m.id)
            )
            for m in members
        }

    def affected(self, changes: Changes) -> tuple[set[str], set[str], set[str]]:
        wb = self.controller.document
        added = set(changes.members.added)
        removed = set(changes.members.removed)
        updated = set(changes.members.updated)
        touched: set[str] = set()

        rels = changes.relationships
        for rid in rels.removed | rels.updated:
            touched.update(self._rel_ends.pop(rid, ()))
        if rels.added or rels.updated:
            for r in wb.rows_by_keys("relationships", rels.added | rels.updated):
                self._rel_ends[r["id"]] = (r["source_id"], r["target_id"])
                touched.update((r["source_id"], r["target_id"]))

        evs = changes.events
        for eid in evs.removed:
            self._events.pop(eid, None)
        if evs.added or evs.updated:
            for e in wb.rows_by_keys("events", evs.added | evs.updated):
                self._events[e["id"]] = (self._day(e["date"]), bool(e["in_person"]))
        if evs:
            touched.update(m for e, m in self._att.values() if e in evs.all)

        att = changes.attendance
        for aid in att.removed | att.updated:
            pair = self._att.pop(aid, None)
            if pair:
                touched.add(pair[1])
        if att.added or att.updated:
            for a in wb.rows_by_keys("attendance", att.added | att.updated):
                self._att[a["id"]] = (a["event_id"], a["member_id"])
                touched.add(a["member_id"])

        affs = changes.affiliations
        for aid in affs.removed | affs.updated:
            touched.update(self._affs.pop(aid, ()))
        if affs.added or affs.updated:
            for a in wb.rows_by_keys("affiliations", affs.added | affs.updated):
                self._affs[a["id"]] = (a["person_id"], a["organization_id"])
                touched.update((a["person_id"], a["organization_id"]))

        for mid in removed:
            self._names.pop(mid, None)
        renamed = changes.members.added | changes.members.updated
        if renamed:
            # An organization's new name shows in its people's "Organization" column.
            touched.update(p for p, o in self._affs.values() if o in renamed)
            for m in wb.rows_by_keys("members", renamed):
                self._names[m["id"]] = m["name"]
        updated |= {m for m in touched if m in self._row_of} - removed - added
        return added, updated, removed

    @staticmethod
    def _day(value: Any) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None

    def columns_may_have_changed(self, fresh: Iterable[MemberRow] = ()) -> None:
        known = set(self._custom_keys)
        new = sorted({k for row in fresh for k in row.member.custom} - known, key=str.casefold)
        if not new:
            return
        first = len(self._columns)
        self.beginInsertColumns(QModelIndex(), first, first + len(new) - 1)
        self._custom_keys += new
        self._columns += [self._custom_column(k) for k in new]
        self._cells.clear()
        self._search.clear()
        self.endInsertColumns()
