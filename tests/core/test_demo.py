"""The built-in demo network: deterministic, in the stated ranges, and telling its story."""

from __future__ import annotations

import sys
import types
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import networkx as nx
import pytest

import weaver.core
from weaver.core.commands import SetSettings
from weaver.core.demo import build_demo, write_demo
from weaver.core.demo.document import Demo
from weaver.core.errors import DocumentError
from weaver.core.model import EVENT_KINDS, Member
from weaver.core.store import Document

AS_OF = date(2026, 11, 22)
CLUSTER_TAGS = ("food & farms", "housing & health", "youth & arts")


@pytest.fixture
def no_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as if ``weaver.core.layout`` did not exist, so these tests never depend on it."""
    _hide_layout(monkeypatch)


def _hide_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weaver.core.layout", None)  # import raises ImportError
    monkeypatch.delattr(weaver.core, "layout", raising=False)


@pytest.fixture(scope="module")
def demo() -> Demo:
    with pytest.MonkeyPatch.context() as mp:
        _hide_layout(mp)
        return build_demo(AS_OF)


@pytest.fixture(scope="module")
def members(demo: Demo) -> dict[str, Member]:
    return {m.id: m for m in demo.members}


@pytest.fixture(scope="module")
def graph(demo: Demo) -> nx.Graph:
    """Active ties, one edge per pair (as the analysis sees the network)."""
    g = nx.Graph()
    g.add_nodes_from(m.id for m in demo.members)
    g.add_edges_from((r.source_id, r.target_id) for r in demo.relationships if not r.ended_on)
    return g


def _people_ties_with_meetings(demo: Demo, members: dict[str, Member]) -> list[tuple[int, int]]:
    """(strength, in-person meetings shared in the last 12 months) per active person-person tie."""
    events = {e.id: e for e in demo.events}
    attended: dict[str, set[str]] = {}
    for a in demo.attendance:
        attended.setdefault(a.member_id, set()).add(a.event_id)
    out = []
    for r in demo.relationships:
        if r.ended_on or members[r.source_id].is_organization:
            continue
        if members[r.target_id].is_organization:
            continue
        shared = attended.get(r.source_id, set()) & attended.get(r.target_id, set())
        recent = [e for e in shared if events[e].in_person and (AS_OF - events[e].date).days < 365]
        out.append((r.strength, len(recent)))
    return out


# ---- determinism -------------------------------------------------------------------------


def test_two_writes_give_identical_documents(tmp_path: Path, no_layout: None) -> None:
    digests = []
    for name in ("a.weaver", "b.weaver"):
        write_demo(tmp_path / name, as_of=AS_OF, seed=7)
        with Document.open(tmp_path / name, readonly=True) as wb:
            digests.append(wb.content_digest())
    assert digests[0] == digests[1]
    assert digests[0]["members"], "the digest must actually hold rows"


def test_same_people_and_ids_on_another_day_with_dates_shifted(demo: Demo, no_layout: None):
    later = build_demo(AS_OF + timedelta(days=100))
    assert [(m.id, m.name) for m in later.members] == [(m.id, m.name) for m in demo.members]
    assert [r.id for r in later.relationships] == [r.id for r in demo.relationships]
    # Same history, a hundred days later (working meetings may move off a weekend).
    shifts = {(b.date - a.date).days for a, b in zip(demo.events, later.events, strict=True)}
    assert shifts <= {98, 99, 100, 101, 102}
    assert later.members[0].joined_on - demo.members[0].joined_on == timedelta(days=100)


def test_another_seed_gives_another_network(demo: Demo, no_layout: None) -> None:
    other = build_demo(AS_OF, seed=8)
    assert {m.id for m in other.members}.isdisjoint({m.id for m in demo.members})
    assert [m.name for m in other.members] != [m.name for m in demo.members]


# ---- size and dates ----------------------------------------------------------------------


def test_counts_are_in_the_stated_ranges(demo: Demo) -> None:
    kinds = Counter(m.kind for m in demo.members)
    assert 140 <= kinds["person"] <= 160
    assert 35 <= kinds["organization"] <= 45
    assert 420 <= len(demo.relationships) <= 500
    assert 70 <= len(demo.events) <= 90
    assert 100 <= len(demo.affiliations) <= 200
    assert 600 <= len(demo.attendance) <= 2600
    assert len({m.name for m in demo.members}) == len(demo.members), "names are unique"


def test_every_date_and_stamp_is_relative_to_as_of(demo: Demo) -> None:
    start = AS_OF - timedelta(days=730)
    assert all(start < e.date <= AS_OF for e in demo.events)
    assert all(m.joined_on and m.joined_on <= AS_OF for m in demo.members)
    for r in demo.relationships:
        assert r.since and r.since <= AS_OF
        assert r.ended_on is None or r.since <= r.ended_on <= AS_OF
    end_of_day = f"{AS_OF.isoformat()}T23:59:59.999999Z"
    stamped = [*demo.members, *demo.relationships, *demo.events, *demo.affiliations]
    stamped += demo.attendance
    for entity in stamped:
        assert entity.created_at <= entity.updated_at <= end_of_day
        datetime.strptime(entity.created_at, "%Y-%m-%dT%H:%M:%S.%fZ")


def test_members_joined_over_years_and_faster_lately(demo: Demo) -> None:
    years = Counter(m.joined_on.year for m in demo.members)
    assert len(years) >= 4
    midpoint = AS_OF - timedelta(days=800)
    recent = sum(1 for m in demo.members if m.joined_on > midpoint)
    assert recent > len(demo.members) - recent


# ---- the story ---------------------------------------------------------------------------


def test_a_dense_core_of_steering_circle_members(demo: Demo, members, graph) -> None:
    core_numbers = nx.core_number(graph)
    k = max(core_numbers.values())
    main_core = {n for n, c in core_numbers.items() if c == k}
    assert k >= 5
    assert 8 <= len(main_core) <= 30
    circle = {m.id for m in demo.members if "steering circle" in m.tags}
    assert len(main_core & circle) >= 0.8 * len(circle)
    # The core's ties are strong; the periphery's are weaker.
    core_strength = [
        r.strength
        for r in demo.relationships
        if r.source_id in main_core and r.target_id in main_core
    ]
    assert sum(core_strength) / len(core_strength) >= 4
    periphery = [n for n, c in core_numbers.items() if c == 1]
    assert len(periphery) >= 10


def test_louvain_finds_the_clusters(members, graph) -> None:
    parts = nx.community.louvain_communities(graph, seed=1)
    sizeable = [p for p in parts if len(p) >= 20]
    assert len(sizeable) >= 2
    dominant = set()
    for part in sizeable:
        tags = Counter(t for n in part for t in members[n].tags if t in CLUSTER_TAGS)
        dominant.add(tags.most_common(1)[0][0])
    assert len(dominant) >= 2


def test_isolates_are_the_newcomers_and_every_organization_is_tied(members, graph) -> None:
    isolates = set(nx.isolates(graph))
    assert 3 <= len(isolates) <= 8
    assert all("newcomer" in members[n].tags for n in isolates)
    assert all(not members[n].is_organization for n in isolates)
    assert "introduced" in members[next(iter(isolates))].notes


def test_brokers_bridge_clusters(members, graph) -> None:
    ranking = sorted(nx.betweenness_centrality(graph).items(), key=lambda kv: -kv[1])
    top = [members[n] for n, _ in ranking[:5]]
    bridging = [m for m in top if sum(t in CLUSTER_TAGS for t in m.tags) >= 2]
    assert len(bridging) >= 3


def test_the_steering_circle_knows_itself_but_for_pairs_worth_introducing(demo, graph) -> None:
    circle = [m for m in demo.members if "steering circle" in m.tags]
    gaps = [
        (a, b)
        for i, a in enumerate(circle)
        for b in circle[i + 1 :]
        if not graph.has_edge(a.id, b.id)
    ]
    assert 1 <= len(gaps) <= 5
    for a, b in gaps:  # each gap is an introduction waiting to happen
        assert set(a.needs) & set(b.offers) or set(b.needs) & set(a.offers)


def test_people_who_meet_a_lot_have_strong_ties_and_some_ties_are_cold(demo, members) -> None:
    ties = _people_ties_with_meetings(demo, members)
    often = [s for s, n in ties if n >= 3]
    never = [s for s, n in ties if n == 0]
    assert len(often) >= 30 and len(never) >= 10
    assert sum(often) / len(often) >= sum(never) / len(never) + 1
    # Ties going cold include strong ones: the ones worth tending.
    assert any(s >= 3 for s in never)
    drifted = [m for m in demo.members if "worth a check-in" in m.notes]
    assert len(drifted) >= 5


def test_relationships_vary_in_kind_direction_and_end(demo: Demo) -> None:
    kinds = Counter(r.kind for r in demo.relationships)
    for kind in ("colleague", "collaborator", "friend", "funder", "mentor", "partner"):
        assert kinds[kind] >= 5, kind
    directions = Counter(r.direction for r in demo.relationships)
    assert directions["directed"] >= 10 and directions["mutual"] >= 1
    assert all(r.direction == "directed" for r in demo.relationships if r.kind == "funder")
    assert 3 <= sum(1 for r in demo.relationships if r.ended_on) <= 20
    pairs = Counter(frozenset((r.source_id, r.target_id)) for r in demo.relationships)
    assert sum(1 for n in pairs.values() if n > 1) >= 5, "some pairs hold two kinds of tie"


def test_events_and_attendance(demo: Demo, members) -> None:
    assert {e.kind for e in demo.events} <= set(EVENT_KINDS)
    assert sum(e.in_person for e in demo.events) >= 0.7 * len(demo.events)
    trust = [e for e in demo.events if e.trust_building]
    assert len(trust) >= 8
    assert {"meal", "site visit"} <= {e.kind for e in trust}
    per_event = Counter(a.event_id for a in demo.attendance)
    assert all(per_event[e.id] >= 2 for e in demo.events)
    assert len({(a.event_id, a.member_id) for a in demo.attendance}) == len(demo.attendance)
    roles = Counter(a.role for a in demo.attendance)
    assert {"attendee", "host", "facilitator", "speaker"} <= set(roles)
    assert all(e.location for e in demo.events)
    # Something happened recently: the network looks alive on the day it is opened.
    assert max(e.date for e in demo.events) >= AS_OF - timedelta(days=30)


def test_offers_and_needs_meet_across_clusters(demo: Demo) -> None:
    with_items = [m for m in demo.members if m.offers or m.needs]
    assert len(with_items) >= 0.6 * len(demo.members)

    def clusters(m: Member) -> set[str]:
        return {t for t in m.tags if t in CLUSTER_TAGS}

    cross = 0
    for needy in demo.members:
        for helper in demo.members:
            if set(needy.needs) & set(helper.offers) and not clusters(needy) & clusters(helper):
                cross += 1
    assert cross >= 10
    texts = {i.text for m in demo.members for i in (*m.offers, *m.needs)}
    assert {"grant writing", "meeting space for 40 people", "Spanish interpretation"} <= texts
    assert "intro to county health dept" in texts


def test_privacy_fields_and_consent(demo: Demo) -> None:
    people = [m for m in demo.members if not m.is_organization]
    assert sum(bool(m.email) for m in people) >= 0.6 * len(people)
    assert sum(bool(m.phone) for m in people) >= 0.4 * len(people)
    assert sum(bool(m.notes) for m in people) >= 20
    # Invented contact details only: reserved domains and the fictional 555-01xx range.
    assert all(m.email.endswith(".example") for m in demo.members if m.email)
    assert all("555-01" in m.phone for m in demo.members if m.phone)
    phones = [m.phone for m in demo.members if m.phone]
    assert len(set(phones)) == len(phones)
    consent = Counter(m.consent for m in demo.members)
    assert consent["yes"] >= 0.7 * len(demo.members)
    assert consent["not_asked"] >= 5 and 2 <= consent["no"] <= 15
    organizations = [m for m in demo.members if m.is_organization]
    sectors = {m.sector for m in organizations}
    assert {"Nonprofit", "Funder", "Public agency", "Business"} <= sectors
    assert all(m.sector and m.location for m in organizations)


def test_settings_name_the_network(tmp_path: Path, no_layout: None) -> None:
    path = tmp_path / "riverbend.weaver"
    counts = write_demo(path, as_of=AS_OF)
    with Document.open(path, readonly=True) as wb:
        assert wb.counts() == counts
        settings = wb.settings()
        assert wb.integrity() == "ok"
        assert wb.history()[0]["label"] == "Create demo network"
    assert settings["name"] == "Riverbend Community Network"
    assert "flood" in settings["description"]
    assert {"email", "phone", "notes"} <= set(settings["private_fields"]["members"])


# ---- writing -----------------------------------------------------------------------------


def test_write_replaces_an_existing_file_and_leaves_nothing_else(tmp_path, no_layout) -> None:
    path = tmp_path / "riverbend.weaver"
    path.write_bytes(b"old")
    write_demo(path, as_of=AS_OF)
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riverbend.weaver"]


def test_a_failure_midway_keeps_the_old_file_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_layout: None
) -> None:
    path = tmp_path / "riverbend.weaver"
    path.write_bytes(b"the user's old file")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SetSettings, "apply", broken)
    with pytest.raises(DocumentError, match="No space left on device") as info:
        write_demo(path, as_of=AS_OF)
    assert info.value.path == path
    assert path.read_bytes() == b"the user's old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riverbend.weaver"]


@pytest.mark.parametrize("where", ["missing/riverbend.weaver", "a-file/riverbend.weaver"])
def test_refuses_a_folder_it_cannot_write_into(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DocumentError) as info:
        write_demo(tmp_path / where, as_of=AS_OF)
    assert str(tmp_path / where) in str(info.value)
    assert "does not exist" in str(info.value) or "is not a folder" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---- map positions -----------------------------------------------------------------------


def test_positions_come_from_the_layout_when_there_is_one(monkeypatch) -> None:
    seen = {}

    def layout_positions(members, relationships, *, seed):
        seen["seed"] = seed
        return {m.id: (float(i), -float(i)) for i, m in enumerate(members)}

    fake = types.ModuleType("weaver.core.layout")
    fake.layout_positions = layout_positions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "weaver.core.layout", fake)
    monkeypatch.setattr(weaver.core, "layout", fake, raising=False)
    placed = build_demo(AS_OF, seed=7)
    assert seen["seed"] == 7
    assert [(m.x, m.y) for m in placed.members[:2]] == [(0.0, -0.0), (1.0, -1.0)]


def test_without_a_layout_members_are_left_unplaced(demo: Demo) -> None:
    assert all(m.x is None and m.y is None for m in demo.members)


def test_a_failing_layout_costs_only_the_positions(monkeypatch) -> None:
    def layout_positions(members, relationships, *, seed):
        raise RuntimeError("layout bug")

    fake = types.ModuleType("weaver.core.layout")
    fake.layout_positions = layout_positions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "weaver.core.layout", fake)
    monkeypatch.setattr(weaver.core, "layout", fake, raising=False)
    placed = build_demo(AS_OF)
    assert len(placed.members) > 100
    assert all(m.x is None for m in placed.members)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_any_seed_gives_a_sound_network(seed: int, no_layout: None) -> None:
    other = build_demo(AS_OF, seed=seed)
    assert 420 <= len(other.relationships) <= 520
    assert all(r.source_id != r.target_id for r in other.relationships)
    ids = [m.id for m in other.members] + [r.id for r in other.relationships]
    assert len(set(ids)) == len(ids)


def test_an_unwritable_folder_gives_a_clear_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_layout: None
) -> None:
    # We run as root, so chmod cannot make a folder unwritable: refuse the first file created.
    from weaver.core import lockfile

    def refuse(self: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lockfile.DocumentLock, "acquire", refuse)
    path = tmp_path / "riverbend.weaver"
    with pytest.raises(DocumentError, match="cannot be written \\(Permission denied\\)") as info:
        write_demo(path, as_of=AS_OF)
    assert info.value.path == path
    assert list(tmp_path.iterdir()) == []
