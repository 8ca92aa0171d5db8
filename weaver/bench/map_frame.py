"""Map drawing speed: full repaints over scripted views, one drag step, open to a drawn map.

Figures: ``frame_5000_ms`` (median repaint at 1920×1080 over 24 views: fit, zoomed on several
places, panned), ``drag_5000_ms`` (one drag step: move + redraw) and ``open_5000_s`` (open a
5,000-member file with saved positions to a drawn map). Offscreen Qt.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

GROUP = "map"
TARGETS = {
    "frame_5000_ms": ("<=", 16.0),
    "drag_5000_ms": ("<=", 12.0),
    "open_5000_s": ("<=", 1.0),
}


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _laid_out_file(folder: Path, n: int) -> Path:
    import numpy as np

    from ..core import layout
    from ..core.commands import MoveMembers
    from ..core.store import Workbook
    from ..core.synthetic import write_synthetic

    path = folder / f"map{n}.weaver"
    write_synthetic(path, n, seed=7)
    with Workbook.open(path) as wb:
        members = wb.members()
        index = {m.id: i for i, m in enumerate(members)}
        rels = wb.relationships()
        edges = np.array([(index[r.source_id], index[r.target_id]) for r in rels])
        pos = layout.force_layout(len(members), edges, seed=1)
        MoveMembers({m.id: tuple(pos[i]) for i, m in enumerate(members)}).apply(wb)
    return path


def run(quick: bool = False) -> dict[str, float]:
    app = _app()
    from PySide6.QtCore import QPointF, QRectF, Qt

    from ..core.store import Workbook
    from ..ui.controller import Controller
    from ..ui.map import MapWidget

    n = 1000 if quick else 5000
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = _laid_out_file(Path(tmp), n)
        controller = Controller()
        t0 = time.perf_counter()
        controller.set_workbook(Workbook.open(path))
        w = MapWidget(controller)
        w.resize(1920, 1080 + w.toolbar.sizeHint().height())
        w.show()
        app.processEvents()
        w.fit()
        w.canvas.viewport().repaint()
        out[f"open_{n}_s"] = time.perf_counter() - t0

        canvas = w.canvas
        full = canvas.data_rect()
        views = [full]
        for k in range(23):
            f = (0.15, 0.3, 0.6)[k % 3]
            cx = full.left() + full.width() * ((k * 0.37) % 1.0)
            cy = full.top() + full.height() * ((k * 0.61) % 1.0)
            views.append(
                QRectF(
                    cx - full.width() * f / 2,
                    cy - full.height() * f / 2,
                    full.width() * f,
                    full.height() * f,
                )
            )
        times = []
        for rect in views:
            canvas.viewbox.setRange(rect=rect, padding=0)
            app.processEvents()
            t = time.perf_counter()
            canvas.viewport().repaint()
            times.append((time.perf_counter() - t) * 1000)
        out[f"frame_{n}_ms"] = statistics.median(times)

        canvas.viewbox.setRange(rect=full, padding=0)
        app.processEvents()
        i = int(w.snapshot.degree.argmax())
        start = QPointF(*w.pos[i])
        w.interaction.drag_started(start, Qt.KeyboardModifier.NoModifier)
        steps = []
        for k in range(20):
            t = time.perf_counter()
            w.interaction.drag_moved(start + QPointF(k, k))
            canvas.viewport().repaint()
            steps.append((time.perf_counter() - t) * 1000)
        w.interaction.mode = ""
        canvas.end_drag()
        out[f"drag_{n}_ms"] = statistics.median(steps[2:])
        controller.close_document()
        w.deleteLater()
        app.processEvents()
    return out


if __name__ == "__main__":
    print(run(quick=bool(os.environ.get("QUICK"))))
