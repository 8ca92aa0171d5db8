"""Start the desktop app: ``run_gui(args)`` is what ``weaver [FILE]`` runs.

It sets up the QApplication (names, so QSettings and QStandardPaths land in the right places;
high-DPI; the system palette), routes unexpected errors to the log and an error dialog, and
opens the right document: FILE, else the last one, else (first run) a fresh copy of the demo
network in the user-data folder. ``--screenshot`` renders the window offscreen instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from ..core.destination import atomic_path
from ..core.errors import DocumentError
from ..errors import UsageError
from ..logs import log

APP_NAME = "Weaver"
ORGANIZATION = "Weaver"
ORGANIZATION_DOMAIN = "weaver.network"
DEFAULT_SCREENSHOT_SIZE = (1600, 1000)
DEMO_FILE_NAME = "Riverbend demo.weaver"


def parse_size(text: str | None) -> tuple[int, int]:
    """'1600x1000' -> (1600, 1000); raises UsageError on anything else."""

    if not text:
        return DEFAULT_SCREENSHOT_SIZE
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise UsageError(f"--size must look like 1600x1000, not {text!r}") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise UsageError(f"--size {text}: width and height must be 200 to 10000 pixels")
    return width, height


def create_application(argv: list[str] | None = None):  # -> QApplication
    """The one QApplication, set up once (reused if it exists, as under pytest-qt)."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is None:
        # Fractional scale factors (125 %, 150 %) rendered as they are, not rounded.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    from .. import __version__

    QCoreApplication.setApplicationVersion(__version__)
    app = existing or QApplication(argv if argv is not None else [sys.argv[0]])
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("weaver")
    from .theme import app_icon

    QGuiApplication.setWindowIcon(app_icon())
    # No style or palette is forced: the platform's own follows the system light/dark scheme,
    # and our icons are drawn in whatever palette is current.
    return app


def user_data_folder() -> Path:
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def first_run_document() -> Path:
    """A fresh copy of the demo network in the user-data folder (made once, then reused)."""
    folder = user_data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_FILE_NAME
    if not path.exists():
        try:
            from ..core.demo import write_demo
        except ImportError:  # a build without the demo: an empty network still lets one start
            from ..core.store import Document

            Document.create(path, name="My network").close()
        else:
            write_demo(path, as_of=date.today())
        log.info("first run: wrote %s", path)
    return path


def run_gui(args: argparse.Namespace) -> int:
    if args.screenshot:
        return screenshot(args)
    if getattr(args, "present", False):
        raise UsageError("--present is used with --screenshot (the projector opens from the app)")
    app = create_application()
    from .dialogs.errors import install_excepthook
    from .main_window import MainWindow
    from .settings import Preferences

    install_excepthook()
    prefs = Preferences()
    window = MainWindow(prefs=prefs)
    window.show()
    open_initial_document(window, args.file)
    code = app.exec()
    prefs.sync()
    return int(code)


def open_initial_document(window, file: str | None) -> bool:  # window: MainWindow
    """FILE if given (asking before creating it), else the last file, else the demo."""
    if file:
        return window.open_path(Path(file), ask_to_create=True)
    prefs = window.prefs
    last = prefs.last_file()
    if last is not None and prefs.reopen_last() and last.exists():
        return window.open_path(last, ask_to_create=False)
    if last is None or not last.exists():
        try:
            demo = first_run_document()
        except Exception as exc:  # never leave a first-time user with a traceback
            from .dialogs.errors import report_exception

            report_exception(window, exc, "preparing the demo network")
            return False
        return window.open_path(demo, ask_to_create=False)
    return False


# ---- --screenshot ------------------------------------------------------------------------


def screenshot(args: argparse.Namespace) -> int:
    """Render the main window on FILE (read-only, preferences untouched) to a PNG."""
    from ..core.store import Document

    if not args.file:
        raise UsageError("--screenshot needs the FILE to render (weaver FILE --screenshot OUT.png)")
    size = parse_size(args.size)
    out = Path(args.screenshot)
    # Refused (a document, a locked file, a folder…) before any window or document is opened;
    # the PNG is written beside OUT and renamed over it only once complete.
    with atomic_path(out) as tmp:
        # Before any QApplication exists: never needs (or opens) a display.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if getattr(args, "present", False):
            try:
                from . import present
            except ImportError:
                raise UsageError("--present is not available in this version yet") from None
            create_application()
            pixmap = present.render(Path(args.file), size)
        else:
            workbook = Document.open(args.file, readonly=True)  # refusals -> exit 2, the reason
            try:
                create_application()
                pixmap = render_window(workbook, size)
            except BaseException:
                workbook.close()
                raise
        if not pixmap.save(str(tmp), "PNG"):
            raise DocumentError(out, "cannot be written (the image could not be saved)")
    print(f"Wrote {out} ({size[0]}x{size[1]})")
    return 0


def render_window(workbook, size: tuple[int, int]):  # -> QPixmap; takes ownership of workbook
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .settings import Preferences

    window = MainWindow(prefs=Preferences.ephemeral())  # never reads or writes QSettings
    try:
        window.controller.set_document(workbook)
        window.resize(*size)
        window.show()
        for _ in range(5):  # let layouts, the map's first frame and deferred work settle
            QApplication.processEvents()
        if hasattr(window.map, "settle"):  # the map may have a first layout pass to finish
            window.map.settle()
        QApplication.processEvents()
        shot = window.grab()
        target = QSize(*size)
        if shot.deviceIndependentSize().toSize() != target or shot.size() != target:
            # A scaled screen or a minimum size larger than asked: still hand back exactly WxH.
            exact = QPixmap(target)
            exact.fill(window.palette().window().color())
            painter = QPainter(exact)
            shot.setDevicePixelRatio(1.0)
            scale = shot.width() / max(1, window.width())
            painter.drawPixmap(
                0, 0, shot.scaled(int(shot.width() / scale), int(shot.height() / scale))
            )
            painter.end()
            shot = exact
        return shot
    finally:
        window.close()
        window.deleteLater()
