"""Map drawing speed: full repaints over scripted views, one drag step, open to a drawn map,
side by side with a plain QGraphicsScene drawing the same network over the same views.

Figures (offscreen Qt, a 1920×1080 view, labels on):

- ``frame_5000_ms``: median full repaint of the map of a laid-out 5,000-member / ~15,000-tie
  synthetic network over 24 views (fit, then zoomed on several places at 0.15, 0.3 and 0.6 of
  the network's width).
- ``scene_5000_ms`` and ``frame_5000_speedup_vs_scene``: the same views drawn by a
  QGraphicsScene holding one item per node (an ellipse or square of the same pixel size), one
  line item per tie (a cosmetic pen of the same width) and one text item per name (pixel-sized,
  like the map's labels), item index off, antialiased like the map; built in this run.
- ``frame_50000_ms``: the same views on a 50,000 / ~150,000 laid-out network (the map canvas
  alone, fed the same arrays the widget would give it).
- ``drag_5000_ms``: one step of dragging the biggest hub (move + full repaint), median of 18.
- ``open_5000_s``: open the 5,000-member file with saved positions to a drawn, fitted map.

The layout figures of :mod:`weaver.bench.map_layout` (speed and quality of the force-directed
layout) are merged in, so ``weaver bench --only map`` reports both.
Quick mode uses 1,000 and 10,000 members (keys named after those sizes).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import map_layout, qt_app

GROUP = "map"
TARGETS: dict[str, tuple[str, float]] = {
    "frame_5000_ms": ("<=", 16.0),
    "frame_5000_speedup_vs_scene": (">=", 10.0),
    "frame_50000_ms": ("<=", 120.0),
    "drag_5000_ms": ("<=", 12.0),
    "open_5000_s": ("<=", 1.0),
}
TARGETS.update(map_layout.TARGETS)

VIEW_W, VIEW_H = 1920, 1080


def _laid_out_file(folder: Path, n: int) -> Path:
    import numpy as np

    from ..core import layout
    from ..core.commands import MoveMembers
    from ..core.store import Document
    from ..core.synthetic import write_synthetic

    path = folder / f"map{n}.weaver"
    write_synthetic(path, n, seed=7)
    with Document.open(path) as wb:
        members = wb.members()
        index = {m.id: i for i, m in enumerate(members)}
        rels = wb.relationships()
        edges = np.array([(index[r.source_id], index[r.target_id]) for r in rels])
        pos = layout.force_layout(len(members), edges, seed=1)
        MoveMembers({m.id: tuple(pos[i]) for i, m in enumerate(members)}).apply(wb)
    return path


def views_of(full):
    """The 24 views every figure here is measured over: the whole network, then 23 zooms."""
    from PySide6.QtCore import QRectF

    views = [full]
    for k in range(23):
        f = (0.15, 0.3, 0.6)[k % 3]
        cx = full.left() + full.width() * ((k * 0.37) % 1.0)
        cy = full.top() + full.height() * ((k * 0.61) % 1.0)
        w, h = full.width() * f, full.height() * f
        views.append(QRectF(cx - w / 2, cy - h / 2, w, h))
    return views


def _frames(app, canvas, views) -> list[float]:
    times = []
    for rect in views:
        canvas.viewbox.setRange(rect=rect, padding=0)
        app.processEvents()
        t = time.perf_counter()
        canvas.viewport().repaint()
        times.append((time.perf_counter() - t) * 1000)
    return times


def scene_frames(app, canvas, views) -> list[float]:
    """The same network and views drawn by a plain QGraphicsScene, one item per thing."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
    from PySide6.QtWidgets import (
        QGraphicsEllipseItem,
        QGraphicsItem,
        QGraphicsLineItem,
        QGraphicsRectItem,
        QGraphicsScene,
        QGraphicsSimpleTextItem,
        QGraphicsView,
    )

    pos, px = canvas.pos, canvas.node_px
    scene = QGraphicsScene()
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    edge_pen = QPen(QColor(60, 60, 70, 110), 1.0)
    edge_pen.setCosmetic(True)
    for a, b in canvas.edge_pairs.tolist():
        line = QGraphicsLineItem(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1])
        line.setPen(edge_pen)
        scene.addItem(line)
    brushes = [QBrush(QColor.fromRgba(int(c))) for c in canvas.colours.tolist()]
    outline = QPen(QColor("white"), 1.0)
    outline.setCosmetic(True)
    font = QFont(canvas.labels.font)
    flag = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    for i, name in enumerate(canvas.labels.names):
        r = float(px[i]) / 2
        shape = QGraphicsRectItem if canvas.is_org[i] else QGraphicsEllipseItem
        node = shape(QRectF(-r, -r, 2 * r, 2 * r))
        node.setBrush(brushes[i])
        node.setPen(outline)
        node.setFlag(flag, True)
        node.setPos(pos[i, 0], pos[i, 1])
        node.setZValue(1)
        scene.addItem(node)
        text = QGraphicsSimpleTextItem(name)
        text.setFont(font)
        text.setFlag(flag, True)
        text.setPos(pos[i, 0], pos[i, 1])
        text.setZValue(2)
        scene.addItem(text)
    view = QGraphicsView(scene)
    view.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFrameShape(QGraphicsView.Shape.NoFrame)
    view.resize(VIEW_W, VIEW_H)
    view.show()
    app.processEvents()
    times = []
    for rect in views:
        view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        app.processEvents()
        t = time.perf_counter()
        view.viewport().repaint()
        times.append((time.perf_counter() - t) * 1000)
    view.close()
    view.deleteLater()
    scene.clear()
    app.processEvents()
    return times


def big_frame(app, n: int) -> float:
    """Median repaint of the bare canvas on an ``n``-member laid-out network."""
    import numpy as np

    from ..core import layout
    from ..core.mapdata_style import scale_sizes
    from ..core.synthetic import preferential_attachment
    from ..ui.map.canvas import MapCanvas

    rng = random.Random(3)
    edges = np.array(preferential_attachment(n, 3, rng), dtype=np.int32)
    pos = layout.force_layout(n, edges, seed=1)
    nrng = np.random.default_rng(3)
    strength = nrng.choice([1, 2, 3, 4, 5], len(edges), p=[0.17, 0.25, 0.33, 0.17, 0.08])
    cold = nrng.random(len(edges)) < 0.3
    directed = nrng.random(len(edges)) < 0.05
    is_org = nrng.random(n) < 0.125
    names = [f"Member {i}" for i in range(n)]
    degree = np.bincount(edges.ravel(), minlength=n)
    canvas = MapCanvas()
    canvas.resize(VIEW_W, VIEW_H)
    canvas.show()
    app.processEvents()
    canvas.set_graph(pos, edges, strength.astype(np.float32), cold, directed, names, is_org)
    canvas.set_sizes(scale_sizes(degree.astype(float)))
    colours = np.where(is_org[:, None], [[230, 159, 0, 255]], [[0, 114, 178, 255]])
    canvas.set_colours(colours.astype(np.uint8))
    canvas.fit()
    app.processEvents()
    canvas.viewport().repaint()
    times = _frames(app, canvas, views_of(canvas.data_rect()))
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    return statistics.median(times)


def run(quick: bool = False) -> dict[str, float]:
    app = qt_app()
    from PySide6.QtCore import QPointF, Qt

    from ..core.store import Document
    from ..ui.controller import Controller
    from ..ui.map.widget import MapWidget

    n = 1000 if quick else 5000
    big = 10_000 if quick else 50_000
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = _laid_out_file(Path(tmp), n)
        controller = Controller()
        t0 = time.perf_counter()
        controller.set_document(Document.open(path))
        w = MapWidget(controller)
        w.resize(VIEW_W, VIEW_H + w.toolbar.sizeHint().height())
        w.show()
        app.processEvents()
        w.settle()
        w.canvas.viewport().repaint()
        out[f"open_{n}_s"] = time.perf_counter() - t0

        canvas = w.canvas
        views = views_of(canvas.data_rect())
        _frames(app, canvas, views[:3])  # warm up (fonts, glyph caches)
        frames = _frames(app, canvas, views)
        out[f"frame_{n}_ms"] = statistics.median(frames)
        scene = scene_frames(app, canvas, views)
        out[f"scene_{n}_ms"] = statistics.median(scene)
        out[f"frame_{n}_speedup_vs_scene"] = out[f"scene_{n}_ms"] / out[f"frame_{n}_ms"]

        w.fit()
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
    out[f"frame_{big}_ms"] = big_frame(app, big)
    try:
        out.update(map_layout.run(quick=quick))
    except Exception as exc:  # the frame figures still count when the layout part fails
        print(f"bench map: layout figures failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return out


if __name__ == "__main__":
    print(run(quick=bool(os.environ.get("QUICK"))))
