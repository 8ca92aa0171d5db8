"""A quiet background runner: recompute an analysis in a worker thread after each change.

The Health panel and the weaving panels share it. Each job reads
the document through its own read-only connection, so editing never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ...core.store import Document
from ...logs import log
from ..controller import Controller
from ..tasks import WorkerThread

DEBOUNCE_MS = 500


# Running jobs, kept alive here until they end: a panel closed mid-run must not destroy a
# QThread that is still running.
_RUNNING: set[QThread] = set()


def analyses_running() -> bool:
    """True while some background analysis is still running (a closed panel's too)."""
    return bool(_RUNNING)


def _forget(job: QThread) -> None:
    _RUNNING.discard(job)
    job.deleteLater()


class _Job(WorkerThread):
    finished_with = Signal(int, object, object)  # token, result, error

    def __init__(self, path: Any, compute: Callable[[Document], Any], token: int) -> None:
        super().__init__()
        self._path = path
        self._compute = compute
        self._token = token

    def run(self) -> None:
        try:
            with Document.open(self._path, readonly=True) as wb:
                result = self._compute(wb)
        except Exception as exc:  # delivered to the panel, which says so in words
            log.warning("background analysis failed", exc_info=True)
            self.finished_with.emit(self._token, None, exc)
            return
        self.finished_with.emit(self._token, result, None)


class BackgroundAnalysis(QObject):
    """Run ``compute(workbook)`` off the UI thread after each (debounced) :meth:`request`."""

    ready = Signal(object)  # the result, or None when no document is open
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(
        self,
        controller: Controller,
        compute: Callable[[Document], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.compute = compute
        self._token = 0
        self._jobs: set[_Job] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._auto_start)
        self._stale = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    @property
    def running(self) -> bool:
        return bool(self._jobs)

    def request(self) -> None:
        """Recompute soon (debounced), or once the panel is shown if it is hidden now: a
        docked-away panel must not keep a worker busy after every edit."""
        self._timer.start()

    def _auto_start(self) -> None:
        owner = self.parent()
        # A dock tabbed behind another stays "visible" to Qt with nothing of it on screen:
        # that counts as hidden too (its dock's visibilityChanged calls shown() when raised).
        if isinstance(owner, QWidget) and (
            not owner.isVisible() or owner.visibleRegion().isEmpty()
        ):
            self._stale = True
            return
        self.start_now()

    def shown(self) -> None:
        """The panel became visible: catch up if the document changed meanwhile."""
        if self._stale:
            self.start_now()

    def start_now(self) -> None:
        self._timer.stop()
        self._stale = False
        self._token += 1
        if not self.controller.has_document:
            self.ready.emit(None)
            return
        job = _Job(self.controller.document.path, self.compute, self._token)
        job.finished_with.connect(self._finished)
        job.finished.connect(self._cleanup)
        job.finished.connect(lambda job=job: _forget(job))
        self._jobs.add(job)
        _RUNNING.add(job)
        self.running_changed.emit(True)
        job.start()

    def _finished(self, token: int, result: Any, error: BaseException | None) -> None:
        if token != self._token:
            return  # a newer request is on its way
        if error is not None:
            self.failed.emit(str(error) or type(error).__name__)
        else:
            self.ready.emit(result)

    def _cleanup(self) -> None:
        done = self.sender()
        self._jobs = {j for j in self._jobs if j is not done and not j.isFinished()}
        if not self._jobs:
            self.running_changed.emit(False)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until every running job ended (tests, shutdown)."""
        ok = True
        for job in list(self._jobs):
            ok = job.wait(timeout_ms) and ok
        QCoreApplication.processEvents()
        return ok
