"""One network model: the map, Health, Weaving and the report agree on communities and cold
ties because they call the same functions (weaver.core.network) with the same inputs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from weaver.cli import main
from weaver.core.demo import write_demo
from weaver.core.health import assess
from weaver.core.mapdata import build_snapshot
from weaver.core.mapdata_snapshot import MapSource
from weaver.core.metrics import load_network
from weaver.core.store import Document
from weaver.core.synthetic import write_synthetic
from weaver.core.weaving import nudges

DEMO_DAY = date(2026, 11, 22)
SYNTHETIC_DAY = date(2026, 1, 1)  # the synthetic network's events fall in the two years before


def agree(path: Path, today: date, capsys: pytest.CaptureFixture[str]) -> None:
    with Document.open(path, readonly=True) as wb:
        snap = build_snapshot(MapSource.from_workbook(wb), color_by="community", as_of=today)
        data = load_network(wb, today)
    health = assess(data)

    # The map's "Colour by community" is Health's cluster of every member.
    map_community = dict(zip(snap.ids, snap.color_values, strict=True))
    for member_id, reading in health.members.items():
        expected = f"Community {reading.community}" if reading.community else ""
        assert map_community[member_id] == expected, member_id
    assert len(set(map_community.values()) - {""}) == health.scorecard["communities"] > 1

    # The ties the map draws cold are the ties Weaving nudges about and Health counts.
    map_cold = {rid for rid, cold in zip(snap.edge_ids, snap.edge_cold, strict=True) if cold}
    nudged = {n.relationship_id for n in nudges(data) if n.kind == "cold_tie"}
    assert map_cold == nudged
    assert len(map_cold) == health.scorecard["cold_ties"] > 0

    # The report says the same.
    assert main(["report", str(path), "--json", "--today", today.isoformat()]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cold_ties"] == len(map_cold)
    rows = [r for r in report["member_table"] if r.get("id")]
    assert len(rows) > len(report["member_table"]) // 2  # everyone but the anonymous
    for row in rows:
        community = row["community"]
        assert map_community[row["id"]] == (f"Community {community}" if community else "")


def test_demo_map_health_weaving_and_report_agree(tmp_path, capsys):
    path = tmp_path / "demo.weaver"
    write_demo(path, as_of=DEMO_DAY)
    agree(path, DEMO_DAY, capsys)


@pytest.mark.timeout(120)
def test_5000_members_map_health_weaving_and_report_agree(tmp_path, capsys):
    path = tmp_path / "big.weaver"
    write_synthetic(path, 5000, n_events=3000, seed=1)
    agree(path, SYNTHETIC_DAY, capsys)


def test_graph_files_carry_the_maps_communities_and_cold_ties(tmp_path):
    """GEXF and GraphML exports carry each member's community and each tie's cold flag, from
    the same model the map draws (exports describe the network as of today)."""
    import networkx as nx

    from weaver.core.io.exporting import export

    path = tmp_path / "demo.weaver"
    write_demo(path, as_of=DEMO_DAY)
    with Document.open(path, readonly=True) as wb:
        snap = build_snapshot(MapSource.from_workbook(wb), color_by="community")
        export(wb, tmp_path / "net.graphml", "graphml", include_private=True)
        export(wb, tmp_path / "net.gexf", "gexf", include_private=True)
    map_community = dict(zip(snap.ids, snap.color_values, strict=True))
    map_cold = {rid for rid, cold in zip(snap.edge_ids, snap.edge_cold, strict=True) if cold}
    graphml = nx.read_graphml(tmp_path / "net.graphml", force_multigraph=True)
    files = {
        "graphml": (
            {n: a.get("community") for n, a in graphml.nodes(data=True)},
            {key for *_, key, a in graphml.edges(keys=True, data=True) if a.get("cold") is True},
        ),
        "gexf": _gexf_figures(tmp_path / "net.gexf"),  # networkx refuses mixed edge types
    }
    for name, (community, cold) in files.items():
        for node, number in community.items():
            shown = f"Community {number}" if number not in (None, "") else ""
            assert shown == map_community[node], (name, node)
        assert cold == map_cold and cold, name


def _gexf_figures(path: Path) -> tuple[dict[str, str | None], set[str]]:
    import xml.etree.ElementTree as ET

    ns = {"g": "http://gexf.net/1.3"}
    graph = ET.parse(path).getroot().find("g:graph", ns)
    titles = {
        (a.get("class"), att.get("id")): att.get("title")
        for a in graph.findall("g:attributes", ns)
        for att in a.findall("g:attribute", ns)
    }

    def values(el: ET.Element, cls: str) -> dict[str, str]:
        return {
            titles[cls, v.get("for")]: v.get("value")
            for v in el.iterfind("g:attvalues/g:attvalue", ns)
        }

    community = {
        n.get("id"): values(n, "node").get("community")
        for n in graph.iterfind("g:nodes/g:node", ns)
    }
    cold = {
        e.get("id")
        for e in graph.iterfind("g:edges/g:edge", ns)
        if values(e, "edge").get("cold") == "true"
    }
    return community, cold
