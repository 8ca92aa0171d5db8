"""Regenerate the README's picture of the main window: the demo network, a member selected.

    QT_QPA_PLATFORM=offscreen python packaging/readme_screenshot.py

Unlike ``weaver FILE --screenshot`` (which opens the file read-only, so editing actions show
greyed out), this opens a throwaway copy of the demo for editing: the window as a user sees it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots" / "main-window.png"
SIZE = (1600, 1000)
SELECTED = "Ana Lucía Ortega"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from weaver.core.demo import write_demo
    from weaver.ui.app import create_application
    from weaver.ui.main_window import MainWindow
    from weaver.ui.settings import Preferences

    create_application()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Riverbend.weaver"
        write_demo(path, as_of=date(2026, 11, 1))
        window = MainWindow(prefs=Preferences.ephemeral())
        window.open_path(path)
        window.resize(*SIZE)
        window.show()
        for _ in range(5):
            QApplication.processEvents()
        window.map.settle()
        wb = window.controller.document
        member = next(m for m in wb.members() if m.name == SELECTED)
        window.controller.select([member.id])
        for _ in range(10):
            QApplication.processEvents()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT), "PNG")
        window.close()
        window.controller.close_document()
    print(f"Wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
