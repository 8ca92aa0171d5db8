"""Layout speed *and* quality, merged into the ``map`` group by :mod:`weaver.bench.map_frame`.

It defines no ``GROUP``, so bench discovery does not run it as a group of its own.

Graphs: the synthetic generator's preferential attachment (:func:`weaver.core.synthetic.
preferential_attachment`, 3 ties per newcomer, seed 1): 2,000 members / ~6,000 ties, 5,000 /
~15,000 and 20,000 / ~60,000.

Quality measure (one for both layouts): **normalised stress** on a fixed seeded sample of
~20,000 member pairs in the same component (:func:`weaver.core.layout.layout_quality`): with
graph distance D in hops and drawn distance d scaled by the best factor s,
``sum((s·d − D)² / D²) / pairs``. Lower is better; the optimal scaling makes it independent of
a picture's overall size. ``layout_2000_quality_ratio`` is networkx's stress ÷ ours, so higher is
better and > 1 means our picture shows graph distances more faithfully than
``networkx.spring_layout`` (default settings, seed 0, scipy installed). Speed therefore never
comes from a worse picture: both figures are reported side by side. Our layout draws ties at
different lengths on purpose (bridges longer, ties inside close-knit groups shorter) and then
lets communities contract; the measure still counts plain hops, so whatever that costs in
faithfulness shows in the figure rather than being defined away.

Figures: ``layout_2000_s`` / ``networkx_2000_s`` (median wall time), their ratio
``layout_2000_speedup_vs_networkx``, ``layout_2000_stress`` / ``networkx_2000_stress`` and the
ratio; ``layout_5000_s`` / ``layout_5000_stress``; ``layout_20000_s`` / ``layout_20000_stress``.
Times are medians (9 runs after a warm-up at 2,000, 7 at 5,000, 3 at 20,000; networkx once,
it takes ~10 s). Quick mode runs the same graphs with fewer repetitions (3, 3, 1), so its
figures are comparable but noisier; it still spends ~10 s on networkx.
"""

from __future__ import annotations

import random
import statistics
import time

import numpy as np

TARGETS = {
    "layout_2000_speedup_vs_networkx": (">=", 40),
    "layout_2000_quality_ratio": (">=", 0.97),
    "layout_5000_s": ("<=", 0.75),
    "layout_20000_s": ("<=", 4),
}


def _graph(n: int) -> np.ndarray:
    from ..core.synthetic import preferential_attachment

    return np.array(preferential_attachment(n, 3, random.Random(1)), dtype=np.int64)


def _timed(fn, repeat: int, warmup: int = 0):
    """Median wall time over ``repeat`` runs after ``warmup`` untimed ones, and the last result.
    Our runs take a fraction of a second, so a median over several is what keeps a busy
    machine's hiccups out of the figure."""
    for _ in range(warmup):
        fn()
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def _networkx(n: int, edges: np.ndarray) -> np.ndarray:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(map(tuple, edges.tolist()))
    pos = nx.spring_layout(g, seed=0)
    return np.array([pos[i] for i in range(n)])


def run(quick: bool = False) -> dict[str, float]:
    """The figures above. ``quick`` runs fewer repetitions on the same graphs: the targets are
    defined on these sizes (networkx's cost grows as n², so a smaller graph would understate
    the speedup and report a missed target that is not one)."""
    from ..core.layout import force_layout, layout_quality

    out: dict[str, float] = {}
    n = 2000
    edges = _graph(n)
    ours_s, ours = _timed(lambda: force_layout(n, edges, seed=0), 3 if quick else 9, warmup=1)
    nx_s, theirs = _timed(lambda: _networkx(n, edges), 1)
    out["layout_2000_s"] = ours_s
    out["networkx_2000_s"] = nx_s
    out["layout_2000_speedup_vs_networkx"] = nx_s / ours_s
    out["layout_2000_stress"] = layout_quality(ours, edges)
    out["networkx_2000_stress"] = layout_quality(theirs, edges)
    out["layout_2000_quality_ratio"] = out["networkx_2000_stress"] / out["layout_2000_stress"]
    for n, repeat in ((5000, 3 if quick else 7), (20000, 1 if quick else 3)):
        edges = _graph(n)
        seconds, pos = _timed(lambda n=n, edges=edges: force_layout(n, edges, seed=0), repeat)
        out[f"layout_{n}_s"] = seconds
        out[f"layout_{n}_stress"] = layout_quality(pos, edges)
    return out


if __name__ == "__main__":
    import json
    import os

    print(json.dumps(run(quick=bool(os.environ.get("QUICK"))), indent=1))
