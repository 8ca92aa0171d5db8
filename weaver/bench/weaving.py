"""Benchmark group ``weaving``: the weaving report, suggestions and snapshots at scale.

A synthetic 5,000-member document (~15,000 ties, 3,000 events, seed 1). Each figure times what
a weaver waits for, reading from the file: the whole report (every health measure, the
suggestions, offers & needs, nudges and monthly series), the top 50 introductions, and taking a
snapshot (measure and store it).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..core.commands import TakeSnapshot
from ..core.health import take_snapshot
from ..core.metrics import load_network
from ..core.network.measures import communities
from ..core.report_data import report_from_workbook
from ..core.store import Document
from ..core.synthetic import write_synthetic
from ..core.weaving_suggest import suggest_introductions

GROUP = "weaving"
N_MEMBERS = 5000
N_EVENTS = 3000
# The synthetic network's events fall in the two years before this day.
AS_OF = date(2026, 1, 1)

TARGETS = {
    f"weaving_report_{N_MEMBERS}_s": ("<=", 3.0),
    f"weaving_suggestions_{N_MEMBERS}_s": ("<=", 1.0),
    "weaving_snapshot_s": ("<=", 3.0),
}


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(quick: bool = False) -> dict[str, float]:
    n = N_MEMBERS
    repeat = 1 if quick else 3
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="weaver-bench-") as tmp:
        path = Path(tmp) / "weaving.weaver"
        write_synthetic(path, n, n_events=N_EVENTS, seed=1)

        def report() -> dict[str, Any]:
            with Document.open(path, readonly=True) as wb:
                return report_from_workbook(wb, AS_OF, top=50)

        seconds, result = _timed(report, repeat)
        figures[f"weaving_report_{n}_s"] = seconds
        figures["weaving_relationships"] = result["relationships"]
        figures["weaving_suggestions_found"] = len(result["suggestions"])

        with Document.open(path, readonly=True) as wb:
            started = time.perf_counter()
            data = load_network(wb, AS_OF)
            figures[f"weaving_load_{n}_s"] = time.perf_counter() - started
        data.graph()  # the map and the other panels have built it already

        def suggestions() -> list[Any]:
            return suggest_introductions(data, 50)

        figures[f"weaving_suggestions_{n}_s"], _ = _timed(suggestions, repeat)
        started = time.perf_counter()
        communities(data.graph())
        figures[f"weaving_communities_{n}_s"] = time.perf_counter() - started

        def snapshot() -> None:
            with Document.open(path) as wb:
                snap = take_snapshot(load_network(wb, AS_OF), "bench")
                TakeSnapshot(snap).apply(wb)

        figures["weaving_snapshot_s"], _ = _timed(snapshot, repeat)
    return figures
