"""``weaver FILE --screenshot OUT.png --present``: the projector view rendered offscreen
(:func:`weaver.ui.app.screenshot` checks and writes the file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ..core.store import Document
from .controller import Controller
from .workshop.projector import ProjectorView


def render(path: Path, size: tuple[int, int]):  # -> QPixmap
    workbook = Document.open(path, readonly=True)  # refusals surface as DocumentError (exit 2)
    controller = Controller()
    controller.set_document(workbook)
    try:
        view = ProjectorView(controller)
        view.resize(*size)
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.show()
        QApplication.processEvents()
        view.refresh(fit=True)
        view.fit()
        QApplication.processEvents()
        return view.grab()
    finally:
        controller.close_document()
