"""Map ▸ Export image: PNG at any size (e.g. 3840×2160 for print) or SVG, of the current view or
the whole network, with the legend.

Export draws the same layers as the screen with a painter mapped to the chosen area; node sizes,
line widths and text grow with the output so a 4K image looks like the screen, only sharper.
Nodes are drawn as vector shapes (so an SVG stays editable), not from the screen's atlas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPalette, QPen, QTransform
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from ...core.destination import atomic_path
from ...core.errors import DocumentError
from ...core.privacy import share_view
from .legend import draw_legend, legend_size

if TYPE_CHECKING:
    from .widget import MapWidget

SIZES = ((1920, 1080), (2560, 1440), (3840, 2160), (7680, 4320))


def export_map(
    w: MapWidget,
    path: str | Path,
    size: tuple[int, int] = (3840, 2160),
    *,
    whole: bool = True,
    legend: bool = True,
) -> Path:
    """Write the map to ``path``; the suffix (.png / .svg) decides the format."""
    path = Path(path)
    width, height = int(size[0]), int(size[1])
    if width < 16 or height < 16 or width * height > 16384 * 16384:
        raise ValueError(f"{width}×{height} is not a size an image can have")
    canvas = w.canvas
    area = canvas.data_rect() if whole else canvas.viewbox.viewRect()
    view_px = canvas.viewport().size()
    # How much bigger than the screen: keeps node and text sizes in proportion to the picture.
    if whole:
        scale = min(width / max(1, view_px.width()), height / max(1, view_px.height()))
    else:
        scale = width / max(1.0, view_px.width())
    scale = max(0.5, scale)
    # Refused (a document, a locked file, a folder…) before anything is drawn; written beside
    # the file and renamed over it only once complete.
    with atomic_path(path) as tmp:
        svg = path.suffix.lower() == ".svg"
        if svg:
            device = QSvgGenerator()
            device.setFileName(str(tmp))
            device.setSize(QSize(width, height))
            device.setViewBox(QRect(0, 0, width, height))
            device.setTitle(w.tr("Network map"))
        else:
            device = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
            device.fill(canvas.palette().color(QPalette.ColorRole.Base))
        p = QPainter(device)
        if not p.isActive():  # the SVG file could not be opened
            raise DocumentError(path, "cannot be written (the drawing could not be started)")
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            if svg:
                p.fillRect(
                    QRectF(0, 0, width, height), canvas.palette().color(QPalette.ColorRole.Base)
                )
            box = QRectF(0, 0, width, height)
            font = w.font()
            font.setPointSizeF(font.pointSizeF() * scale)
            with_legend = legend and bool(w.legend.data.entries)
            if with_legend and whole:
                # Keep the legend's corner clear: draw the map beside it or below it, whichever
                # leaves the map bigger.
                size = legend_size(w.legend.data, font, scale)
                lw, lh = size.width() + 24 * scale, size.height() + 24 * scale
                beside = QRectF(lw, 0, width - lw, height)
                below = QRectF(0, lh, width, height - lh)

                def fits(r: QRectF) -> float:
                    return min(
                        r.width() / max(area.width(), 1e-9), r.height() / max(area.height(), 1e-9)
                    )

                box = max((beside, below), key=fits)
            paint_map(w, p, area, width, height, scale, box)
            if with_legend:
                draw_legend(
                    p, QPointF(12 * scale, 12 * scale), w.legend.data, font, w.palette(), scale
                )
        finally:
            p.end()
        if not svg and not device.save(str(tmp), "PNG"):
            raise DocumentError(path, "cannot be written (the image could not be saved)")
    return path


def paint_map(
    w: MapWidget,
    p: QPainter,
    area: QRectF,
    width: int,
    height: int,
    scale: float,
    box: QRectF | None = None,
) -> None:
    """Paint ``area`` (map units) centred in ``box`` (device px; default the whole image)."""
    canvas = w.canvas
    box = box if box is not None else QRectF(0, 0, width, height)
    s = min(box.width() / max(area.width(), 1e-9), box.height() / max(area.height(), 1e-9))
    t = QTransform()
    t.translate(box.center().x(), box.center().y())
    t.scale(s, s)
    t.translate(-area.center().x(), -area.center().y())
    option = QStyleOptionGraphicsItem()
    for layer in (canvas.edges,):
        layer.export_scale = scale
        layer.full_quality = True
        try:
            p.save()
            p.setWorldTransform(t)
            layer.paint(p, option, None)
            p.restore()
        finally:
            layer.export_scale = 1.0
            layer.full_quality = False
    _paint_nodes(w, p, t, scale)
    labels = canvas.labels
    on_screen = labels.names
    # An image leaves the laptop: the share view's consent rule decides whose names it shows.
    labels.names = shareable_names(w)
    labels.export_scale = scale
    try:
        p.save()
        p.setWorldTransform(t)
        labels.paint(p, option, None)
        p.restore()
    finally:
        labels.export_scale = 1.0
        labels.names = on_screen


def shareable_names(w: MapWidget) -> list[str]:
    """The map's names as an image may show them: a member who did not consent is an unnamed
    dot (the weaver's own screen still names them)."""
    names = w.canvas.labels.names
    snap = w.snapshot
    if snap is None or not w.controller.has_document or len(snap.ids) != len(names):
        return names
    view = share_view(w.controller.document)
    return [
        "" if view.is_anonymous(mid) else name for mid, name in zip(snap.ids, names, strict=True)
    ]


def _paint_nodes(w: MapWidget, p: QPainter, t: QTransform, scale: float) -> None:
    canvas = w.canvas
    pos = w.pos
    ok = np.isfinite(pos).all(axis=1)
    if not ok.any():
        return
    xy = np.empty_like(pos)
    xy[:, 0] = t.m11() * pos[:, 0] + t.m21() * pos[:, 1] + t.dx()
    xy[:, 1] = t.m12() * pos[:, 0] + t.m22() * pos[:, 1] + t.dy()
    faded = np.zeros(len(pos), dtype=bool) if canvas.focus is None else ~canvas.focus
    outline = QPen(canvas.palette().color(QPalette.ColorRole.Base), 1.0 * scale)
    pinned_pen = QPen(canvas.palette().color(QPalette.ColorRole.Text), 2.0 * scale)
    p.save()
    p.resetTransform()
    order = np.argsort(faded, kind="stable")[::-1]  # faded first, focus on top
    groups: dict[tuple[int, bool, bool], QPainterPath] = {}
    for i in order.tolist():
        if not ok[i]:
            continue
        key = (int(canvas.colours[i]), bool(faded[i]), bool(canvas.pinned[i]))
        path = groups.setdefault(key, QPainterPath())
        r = float(canvas.node_px[i]) * scale / 2
        x, y = float(xy[i, 0]), float(xy[i, 1])
        if canvas.is_org[i]:
            path.addRect(QRectF(x - r, y - r, 2 * r, 2 * r))
        else:
            path.addEllipse(QPointF(x, y), r, r)
    for (rgba, is_faded, is_pinned), path in groups.items():
        colour = QColor.fromRgba(rgba)
        if is_faded:
            colour.setAlphaF(0.16)
        p.setBrush(colour)
        p.setPen(pinned_pen if is_pinned else outline)
        p.drawPath(path)
    p.restore()


class ExportImageDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export map image"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.preset = QComboBox(self)
        for w_, h_ in SIZES:
            self.preset.addItem(f"{w_} × {h_}", (w_, h_))
        self.preset.addItem(self.tr("Custom"), None)
        self.preset.setCurrentIndex(2)
        self.width_box = QSpinBox(self)
        self.height_box = QSpinBox(self)
        for box in (self.width_box, self.height_box):
            box.setRange(16, 16384)
            box.setSuffix(" px")
        self.width_box.setValue(3840)
        self.height_box.setValue(2160)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        form.addRow(self.tr("Size"), self.preset)
        form.addRow(self.tr("Width"), self.width_box)
        form.addRow(self.tr("Height"), self.height_box)
        self.whole = QRadioButton(self.tr("The whole network"), self)
        self.view = QRadioButton(self.tr("The current view"), self)
        self.whole.setChecked(True)
        form.addRow(self.tr("Show"), self.whole)
        form.addRow("", self.view)
        self.legend = QCheckBox(self.tr("Include the legend"), self)
        self.legend.setChecked(True)
        form.addRow("", self.legend)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _preset_chosen(self, row: int) -> None:
        size = self.preset.itemData(row)
        if size:
            self.width_box.setValue(size[0])
            self.height_box.setValue(size[1])

    def size(self) -> tuple[int, int]:  # type: ignore[override]
        return self.width_box.value(), self.height_box.value()


def run_export_image_dialog(w: MapWidget) -> Path | None:
    dialog = ExportImageDialog(w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name = "network-map.png"
    if w.controller.has_document:
        name = f"{Path(w.controller.document.path).stem}-map.png"
    path, chosen = QFileDialog.getSaveFileName(
        w,
        w.tr("Export map image"),
        str(Path.home() / name),
        w.tr("PNG image (*.png);;SVG drawing (*.svg)"),
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        target = target.with_suffix(".svg" if "svg" in chosen.lower() else ".png")
    w.setCursor(Qt.CursorShape.WaitCursor)
    try:
        return export_map(
            w,
            target,
            dialog.size(),
            whole=dialog.whole.isChecked(),
            legend=dialog.legend.isChecked(),
        )
    except (OSError, ValueError, DocumentError) as exc:
        QMessageBox.warning(w, w.tr("Export map image"), str(exc))
        return None
    finally:
        w.unsetCursor()
