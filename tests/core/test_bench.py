"""``weaver bench``: the runner, its JSON and table output, the memory probe, synthetic data."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import weaver.bench as bench
from weaver.cli import main
from weaver.core.store import Document
from weaver.core.synthetic import preferential_attachment, synthetic_entities, write_synthetic

ROOT = Path(__file__).resolve().parents[2]


def test_bench_store_json_prints_only_one_object_of_numbers():
    result = subprocess.run(
        [sys.executable, "-m", "weaver", "bench", "--only", "store", "--json", "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)  # nothing but the one object on stdout
    assert isinstance(figures, dict)
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in figures.values())
    for name, target in (
        ("store_create_5000_s", 2.0),
        ("store_open_5000_s", 0.3),
        ("store_edit_ms", 5.0),
    ):
        assert figures[name] > 0
        assert figures[f"{name}_target"] == target
    assert figures["store_relationships"] == pytest.approx(15000, rel=0.01)
    assert "store" in result.stderr  # progress goes to stderr


# ---- the runner, with made-up groups -----------------------------------------------------

FAST = """
GROUP = "fast"
TARGETS = {"fast_s": ("<=", 1.0), "fps": (">=", 30)}
def run(quick=False):
    return {"fast_s": 0.5, "fps": 12, "rows": 1000, "slow_ms": 9, "slow_ms_target": 5}
"""
BROKEN_RUN = """
GROUP = "boom"
def run(quick=False):
    raise RuntimeError("benchmark exploded")
"""
BROKEN_IMPORT = "raise ImportError('missing optional thing')\n"
NOT_A_GROUP = "VALUE = 1\n"


@pytest.fixture
def fake_groups(tmp_path, monkeypatch):
    folder = tmp_path / "fakebench"
    folder.mkdir()
    for name, text in (
        ("zz_fast", FAST),
        ("zz_boom", BROKEN_RUN),
        ("zz_broken", BROKEN_IMPORT),
        ("zz_helper", NOT_A_GROUP),
    ):
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    monkeypatch.setattr(bench, "__path__", [*bench.__path__, str(folder)])
    yield
    for name in ("zz_fast", "zz_boom", "zz_broken", "zz_helper"):
        sys.modules.pop(f"weaver.bench.{name}", None)


def test_discover_finds_groups_and_skips_broken_modules(fake_groups):
    notes: list[str] = []
    groups = bench.discover(notes.append)
    assert {"store", "fast", "boom"} <= set(groups)
    assert "zz_helper" not in groups
    assert any("zz_broken" in n and "missing optional thing" in n for n in notes)


def test_table_marks_targets_and_exit_is_0_when_missed(fake_groups, capsys):
    assert main(["bench", "--only", "fast"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "✓" in lines["fast_s"] and "<= 1" in lines["fast_s"]
    assert "✗" in lines["fps"] and ">= 30" in lines["fps"]
    assert "✗" in lines["slow_ms"] and "<= 5" in lines["slow_ms"]
    assert "✓" not in lines["rows"] and "✗" not in lines["rows"]
    assert "slow_ms_target" not in lines, "a target is shown beside its figure, not as a row"
    assert "2 target(s) missed: fps, slow_ms" in out


def test_json_of_several_groups_is_flat(fake_groups, capsys):
    assert main(["bench", "--only", "fast", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures == {
        "fast_s": 0.5,
        "fps": 12,
        "rows": 1000,
        "slow_ms": 9,
        "slow_ms_target": 5,
        "fast_s_target": 1.0,
        "fps_target_min": 30,
    }


def test_a_crashing_group_is_reported_and_the_others_still_run(fake_groups, capsys):
    assert main(["bench", "--only", "boom,fast", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["fast_s"] == 0.5
    assert "boom failed" in captured.err and "benchmark exploded" in captured.err
    assert "Traceback" not in captured.err


def test_list_groups(fake_groups, capsys):
    assert main(["bench", "--list"]) == 0
    out = capsys.readouterr().out
    assert "store" in out and "fast" in out


def test_met_and_targets_of():
    assert bench.met(1.0, ("<=", 1.0)) and not bench.met(1.01, ("<=", 1.0))
    assert bench.met(30, (">=", 30)) and not bench.met(float("nan"), (">=", 0))


# ---- the memory probe --------------------------------------------------------------------


def test_measure_peak_mb_runs_in_a_fresh_process():
    baseline = bench.measure_peak_mb("pass")
    big = bench.measure_peak_mb(
        "block = bytearray(120 * 2**20)\nblock[::4096] = b'x' * len(block[::4096])"
    )
    assert 1 < baseline < big
    assert big - baseline > 100
    entry = bench.measure_peak_mb("weaver.core.synthetic:synthetic_entities", 50)
    assert entry > baseline
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        bench.measure_peak_mb("1 / 0")


# ---- synthetic networks ------------------------------------------------------------------


def test_synthetic_networks_are_deterministic_and_scale_free_like():
    first = synthetic_entities(2000, seed=11, n_events=10)
    again = synthetic_entities(2000, seed=11, n_events=10)
    other = synthetic_entities(2000, seed=12, n_events=10)
    assert first == again
    assert [m.id for m in first.members] != [m.id for m in other.members]
    assert len(first.members) == 2000
    assert len(first.relationships) == (2000 - 3) * 3
    pairs = [frozenset((r.source_id, r.target_id)) for r in first.relationships]
    assert len(set(pairs)) == len(pairs) and all(len(p) == 2 for p in pairs)
    degree = Counter(m for p in pairs for m in p)
    mean = 2 * len(pairs) / 2000
    assert max(degree.values()) > 8 * mean, "a few hubs, as in real networks"
    assert 100 < sum(m.is_organization for m in first.members) < 500
    assert sum(bool(m.offers) for m in first.members) > 500
    assert len(first.events) == 10 and len(first.attendance) >= 20
    assert len(list(first)) == len(first)


def test_preferential_attachment_edge_cases():
    import random

    assert preferential_attachment(0, 3, random.Random(1)) == []
    assert preferential_attachment(1, 3, random.Random(1)) == []
    assert preferential_attachment(3, 5, random.Random(1)) == [(2, 0), (2, 1)]


def test_write_synthetic_makes_a_valid_document(tmp_path):
    path = tmp_path / "synthetic.weaver"
    write_synthetic(path, 300, seed=2, n_events=12)
    with Document.open(path, readonly=True) as wb:
        counts = wb.counts()
        assert counts["members"] == 300
        assert counts["relationships"] == 891
        assert counts["events"] == 12
        assert counts["affiliations"] > 0
        assert counts["history"] == 1
        assert wb.integrity() == "ok"
        expected = synthetic_entities(300, seed=2, n_events=12)
        assert {m.id: m for m in wb.members()} == {m.id: m for m in expected.members}
        assert {r.id: r for r in wb.relationships()} == {r.id: r for r in expected.relationships}
