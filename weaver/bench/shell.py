"""Benchmark group ``shell``: the desktop workbench on 5,000 members / ~15,000 relationships.

- ``shell_open_5000_s``: from creating the main window (without the map) and opening the file
  to a painted, interactive window (the queued start-up work done; the search index of big
  tables is built in slices between events, after this point).
- ``shell_filter_ms``: one keystroke in the members search box until the table is filtered
  and repainted (median over a typed word and its deletion).
- ``shell_edit_refresh_ms``: one edit pushed on the controller until every view showing it
  (members, relationships, details, counts) has refreshed and repainted (median).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from ..core.synthetic import write_synthetic
from . import qt_app

GROUP = "shell"
N_MEMBERS = 5000
TARGETS = {
    f"shell_open_{N_MEMBERS}_s": ("<=", 1.5),
    "shell_filter_ms": ("<=", 50.0),
    "shell_edit_refresh_ms": ("<=", 50.0),
}


def _settle(app, window=None) -> None:
    """Run what is queued now (and paint) — what stands between the user and a response."""
    app.processEvents()
    if window is not None:
        window.repaint()


def _drain(app, timeout_s: float = 120.0) -> None:
    """Let background jobs (analyses the window started, tasks) finish before the window that
    owns them goes: a QThread destroyed while running aborts the process."""
    from ..ui.panels.health_background import analyses_running
    from ..ui.tasks import Task

    deadline = time.perf_counter() + timeout_s
    while (analyses_running() or Task.any_running()) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def run(quick: bool = False) -> dict[str, float]:
    app = qt_app()
    from ..core.commands import UpdateMember
    from ..ui.main_window import MainWindow
    from ..ui.settings import Preferences

    figures: dict[str, float] = {}
    repeat = 2 if quick else 3
    with tempfile.TemporaryDirectory(prefix="weaver-bench-") as tmp:
        path = Path(tmp) / "shell.weaver"
        write_synthetic(path, N_MEMBERS, seed=1)

        open_times = []
        window = None
        for _ in range(repeat):
            if window is not None:
                _drain(app)
                window.close()
                window.deleteLater()
                app.processEvents()
            started = time.perf_counter()
            window = MainWindow(prefs=Preferences.ephemeral(), with_map=False)
            if not window.open_path(path, ask_to_create=False):
                raise RuntimeError(f"could not open {path}")
            window.resize(1600, 1000)
            window.show()
            _settle(app, window)
            open_times.append(time.perf_counter() - started)
        figures[f"shell_open_{N_MEMBERS}_s"] = statistics.median(open_times)
        assert window is not None
        c = window.controller
        figures["shell_members"] = window.members_panel.model.rowCount()
        figures["shell_relationships"] = window.relationships_panel.model.rowCount()

        # Let the search index finish (it is built in slices between events), as it has by the
        # time anyone types.
        for table in (window.members_panel, window.relationships_panel, window.events_panel):
            table.model.prepare_search(0)
        for _ in range(50):
            app.processEvents()

        panel = window.members_panel
        window.members_dock.show()
        window.members_dock.raise_()
        panel.search.setFocus()
        _settle(app, window)
        filter_ms = []
        words = ["ma", "jo", "an"] if quick else ["mar", "jo", "ann", "lee", "gar"]
        for word in words:
            typed = ""
            for ch in [*word, None, *([None] * (len(word) - 1))]:
                typed = typed + ch if ch is not None else typed[:-1]
                started = time.perf_counter()
                panel.search.setText(typed)
                panel.table.viewport().repaint()
                _settle(app)
                filter_ms.append((time.perf_counter() - started) * 1000)
        panel.search.clear()
        _settle(app, window)
        figures["shell_filter_ms"] = statistics.median(filter_ms)
        figures["shell_filter_max_ms"] = max(filter_ms)

        # An edit reflected everywhere: rename a selected member with ties (shown in the
        # members table, the relationships table's ends, the details panel, the counts).
        wb = c.document
        rels = wb.relationships()
        ids = [r.source_id for r in rels[: (6 if quick else 15)]]
        edit_ms = []
        window.relationships_dock.show()
        for k, member_id in enumerate(ids):
            c.select(members=[member_id])
            _settle(app, window)
            member = wb.member(member_id)
            assert member is not None
            started = time.perf_counter()
            c.push(UpdateMember(member_id, name=f"{member.name} {k}"))
            _settle(app)
            for view in (
                window.members_panel.table.viewport(),
                window.relationships_panel.table.viewport(),
                window.details_panel,
            ):
                view.repaint()
            edit_ms.append((time.perf_counter() - started) * 1000)
        figures["shell_edit_refresh_ms"] = statistics.median(edit_ms)
        figures["shell_edit_refresh_max_ms"] = max(edit_ms)

        _drain(app)
        window.close()
        c.close_document()
        window.deleteLater()
        app.processEvents()
    return figures
