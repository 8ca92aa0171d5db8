"""``weaver FILE --screenshot OUT.png --present``: the projector view rendered offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ..core.store import Workbook
from .controller import Controller
from .workshop.projector import ProjectorView


def render(path: Path, size: tuple[int, int]):  # -> QPixmap
    workbook = Workbook.open(path, readonly=True)  # refusals surface as DocumentError (exit 2)
    controller = Controller()
    controller.set_workbook(workbook)
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


def screenshot(path: Path, out: Path, size: tuple[int, int]) -> int:
    pixmap = render(path, size)
    if not pixmap.save(str(out), "PNG"):
        from ..cli import UsageError

        raise UsageError(f"{out}: cannot be written")
    print(f"Wrote {out} ({size[0]}x{size[1]})")
    return 0
