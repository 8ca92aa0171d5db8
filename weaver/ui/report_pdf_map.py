"""The network map as an image for the PDF report (QPainter on a QImage).

Part of the PDF report (:mod:`weaver.ui.report_pdf` writes the file).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from .report_pdf_layout import INK, PALETTE


def render_map(map_data: dict[str, Any], size: int = 1800) -> QImage:
    """The network drawn with QPainter: ties as thin lines, members as dots coloured by
    community, sized by ties; a few of the best-connected named."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    nodes = map_data.get("nodes", [])
    if not nodes:
        return image
    # Frame the tied members; members without ties wait in a row along the bottom, so one
    # far-flung isolate does not shrink the whole network to a dot.
    tied = [n for n in nodes if n["degree"] > 0] or nodes
    xs = [n["x"] for n in tied]
    ys = [n["y"] for n in tied]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    margin = size * 0.06
    loose = [i for i, n in enumerate(nodes) if n["degree"] == 0] if len(tied) < len(nodes) else []
    bottom = size * (0.9 if loose else 1.0)
    scale = min(
        (size - 2 * margin) / max(maxx - minx, 1e-9),
        (bottom - 2 * margin) / max(maxy - miny, 1e-9),
    )
    offx = (size - (maxx - minx) * scale) / 2
    offy = (bottom - (maxy - miny) * scale) / 2
    pts = [QPointF(offx + (n["x"] - minx) * scale, offy + (n["y"] - miny) * scale) for n in nodes]
    step = (size - 2 * margin) / max(1, len(loose))
    for k, i in enumerate(loose):
        pts[i] = QPointF(margin + step * (k + 0.5), size * 0.95)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    n = len(nodes)
    alpha = 150 if n < 300 else 70 if n < 2000 else 35
    p.setPen(QPen(QColor(110, 120, 135, alpha), max(1.0, size / 1200)))
    for a, b in map_data.get("edges", []):
        p.drawLine(pts[a], pts[b])
    base = size / (60 if n < 100 else 120 if n < 1000 else 320)
    p.setPen(QPen(QColor("white"), max(1.0, size / 1800)))
    for node, pt in zip(nodes, pts, strict=True):
        c = node["community"]
        color = QColor(PALETTE[(c - 1) % len(PALETTE)]) if c else QColor("#9aa3ad")
        r = base * (0.6 + 0.5 * math.sqrt(node["degree"]))
        r = min(r, base * 4)
        p.setBrush(color)
        p.drawEllipse(pt, r, r)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(12, size // 70))  # an image, not text on screen: sized to the image
    font.setBold(True)
    p.setFont(font)
    metrics = QFontMetricsF(font)
    taken: list[QRectF] = []
    for node, pt in zip(nodes, pts, strict=True):
        if node["label"]:
            width = metrics.horizontalAdvance(node["label"]) + 8
            rect = QRectF(pt.x() - width / 2, pt.y() + base * 1.6, width, metrics.height())
            if any(rect.adjusted(-6, -3, 6, 3).intersects(t) for t in taken):
                continue  # a crowded centre: skip a label rather than print two on top
            taken.append(rect)
            p.setPen(QColor(255, 255, 255, 220))
            for dx, dy in ((-2, 0), (2, 0), (0, -2), (0, 2)):
                p.drawText(
                    rect.translated(dx, dy), int(Qt.AlignmentFlag.AlignHCenter), node["label"]
                )
            p.setPen(INK)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter), node["label"])
    p.end()
    return image
