"""Benchmark group ``store``: creating, opening and editing a 5,000-member document.

The network is synthetic (5,000 members, ~15,000 relationships, seed 1). Each figure times what
a user waits for: writing a whole network to a new file, opening a file and loading what the
map draws (members and relationships), and one edit command (median of many).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from ..core.commands import AddEntities, DeleteMembers, MoveMembers, UpdateMember
from ..core.store import Document
from ..core.synthetic import synthetic_entities
from . import measure_peak_mb, median_seconds

GROUP = "store"
N_MEMBERS = 5000

TARGETS = {
    f"store_create_{N_MEMBERS}_s": ("<=", 2.0),
    f"store_open_{N_MEMBERS}_s": ("<=", 0.3),
    "store_edit_ms": ("<=", 5.0),
}


def open_and_load(path: str, readonly: bool = False) -> tuple[int, int]:
    """Open a document (for writing, as the app does) and load what the map needs.

    Also the memory probe's entry point."""
    with Document.open(path, readonly=readonly) as wb:
        return len(wb.members()), len(wb.relationships())


def run(quick: bool = False) -> dict[str, float]:
    n = N_MEMBERS
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="weaver-bench-") as tmp:
        folder = Path(tmp)

        started = time.perf_counter()
        network = synthetic_entities(n, seed=1)
        figures[f"store_generate_{n}_s"] = time.perf_counter() - started
        figures["store_relationships"] = len(network.relationships)

        create_times = []
        path = folder / "bench-0.weaver"
        for i in range(1 if quick else 3):
            path = folder / f"bench-{i}.weaver"
            started = time.perf_counter()
            with Document.create(path, name="Benchmark") as wb:
                AddEntities(network, f"Generate {n} members").apply(wb)
            create_times.append(time.perf_counter() - started)
        figures[f"store_create_{n}_s"] = statistics.median(create_times)
        figures[f"store_file_{n}_mb"] = path.stat().st_size / 2**20

        figures[f"store_open_{n}_s"] = median_seconds(
            lambda: open_and_load(str(path)), repeat=2 if quick else 5, warmup=1
        )

        figures[f"store_open_readonly_{n}_s"] = median_seconds(
            lambda: open_and_load(str(path), readonly=True), repeat=2 if quick else 5
        )

        figures.update(_edits(path, network.members[:200], quick))
        if not quick:
            figures[f"store_open_{n}_peak_mb"] = measure_peak_mb(
                f"{__name__}:open_and_load", str(path)
            )
    return figures


def _edits(path: Path, members: list, quick: bool) -> dict[str, float]:
    repeat = 10 if quick else 100
    edit, undo = [], []
    with Document.open(path) as wb:
        for i in range(repeat):
            member = members[i % len(members)]
            command = UpdateMember(member.id, role=f"Role {i}")
            started = time.perf_counter()
            command.apply(wb)
            edit.append(time.perf_counter() - started)
            started = time.perf_counter()
            command.revert(wb)
            undo.append(time.perf_counter() - started)

        # A layout run or a big drag: one command moving 1,000 members.
        positions = {m.id: (float(i), float(-i)) for i, m in enumerate(wb.members()[:1000])}
        started = time.perf_counter()
        MoveMembers(positions).apply(wb)
        move = time.perf_counter() - started

        # Deleting a hub takes its ties along; undo puts them back.
        hub = members[0].id
        delete = DeleteMembers([hub])
        started = time.perf_counter()
        delete.apply(wb)
        deleted = time.perf_counter() - started
        delete.revert(wb)
    return {
        "store_edit_ms": statistics.median(edit) * 1000,
        "store_undo_ms": statistics.median(undo) * 1000,
        "store_move_1000_ms": move * 1000,
        "store_delete_hub_ms": deleted * 1000,
    }
