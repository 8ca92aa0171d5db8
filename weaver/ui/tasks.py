"""Run slow work off the UI thread, with a progress dialog and Cancel; the window keeps painting.

``run_task(parent, title, fn, *args, on_done=...)`` runs a pure function
``fn(*args, progress, cancelled)`` in a QThread: ``progress(fraction, text)`` reports (0..1, or a
negative fraction for "busy, no estimate"), ``cancelled()`` says whether the user pressed Cancel
(the function should then raise :class:`TaskCancelled` or return early). ``on_done(result)``
runs back on the UI thread. The function must not touch widgets or the main connection.

``run_write_task`` is for a long *write*: it opens the worker's own connection
(``workbook.sibling()``), runs ``fn(workbook, *args, progress, cancelled)`` inside one
transaction (Cancel or an error rolls all of it back), pauses editing meanwhile
(``controller.set_busy``) and, on commit, announces the returned Changes with
``controller.notify``. ``push_long_command`` applies an undoable core command that way and puts
it on the undo stack so that undoing and redoing it also run in the worker.

Every thread that runs Python for the app is a :class:`WorkerThread`: while one runs, Python's
cyclic garbage collector runs only on the GUI thread (see :class:`_GuiThreadCollector`).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget
from shiboken6 import isValid

from ..core.changes import RESET, Changes
from ..core.commands import Command
from ..core.store import Document
from ..logs import log
from .undo import UndoableCommand

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

# Don't flash a dialog for work that finishes at once; show it once work runs this long.
SHOW_AFTER_MS = 300
# Progress reports faster than this are coalesced so a tight loop can't flood the UI thread.
REPORT_EVERY_S = 0.05
# While workers run, the GUI thread looks this often whether a garbage collection is due.
COLLECT_EVERY_MS = 100


class TaskCancelled(Exception):
    """Raised by a task function when ``cancelled()`` turned true: nothing was kept."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tasks", text)


class _GuiThreadCollector(QObject):
    """Python's cyclic garbage collector, run on the GUI thread only while workers run Python.

    CPython collects in whichever thread happens to allocate past the threshold. A busy worker
    (building a report, writing a spreadsheet) allocates a lot, so the collection ran there, and
    it finalized whatever the garbage cycles held: often Qt wrappers (a closed window, its
    pyqtgraph scene, its actions), whose C++ objects were then destroyed off the GUI thread, a
    segfault some runs later. So from the first worker's start to the last one's end automatic
    collection is off, and a timer here collects the young generations when they are due.
    """

    def __init__(self) -> None:
        super().__init__()
        self._holders = 0
        self._was_enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(self.collect_if_due)

    def hold(self) -> None:
        """A worker is about to start (called on the GUI thread)."""
        if self._holders == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        self._holders += 1

    def release(self) -> None:
        """A worker's thread has finished (delivered on the GUI thread)."""
        self._holders -= 1
        if self._holders == 0:
            self._timer.stop()
            if self._was_enabled:
                gc.enable()

    def collect_if_due(self) -> None:
        # The young generations, as the interpreter would on an allocation: the youngest when it
        # is full, the middle one when enough young collections have piled up. A full collection
        # walks every object (a bulk import's million rows, which ``paused_gc`` spares on
        # purpose) and would stall the window: it waits for the interpreter's own heuristic
        # once the workers are done.
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if not thresholds[0] or counts[0] <= thresholds[0]:
            return
        gc.collect(1 if counts[1] > thresholds[1] else 0)


_collector: _GuiThreadCollector | None = None


def _gui_thread_collector() -> _GuiThreadCollector:
    global _collector
    if _collector is None:
        _collector = _GuiThreadCollector()
        app = QCoreApplication.instance()
        if app is not None:
            _collector.moveToThread(app.thread())
    return _collector


class WorkerThread(QThread):
    """A QThread that runs Python: Python's garbage collection stays on the GUI thread while it
    runs. Start it from the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued: ``finished`` is emitted in the worker; the release belongs on the GUI thread,
        # after the thread has run its last Python.
        self.finished.connect(_gui_thread_collector().release, Qt.ConnectionType.QueuedConnection)

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        if self.isRunning():
            return  # QThread.start would do nothing, and ``finished`` comes only once
        _gui_thread_collector().hold()
        super().start(priority)


class _Worker(WorkerThread):
    reported = Signal(float, str)

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self.cancel_event = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self._last_report = 0.0

    def _progress(self, fraction: float, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last_report >= REPORT_EVERY_S or fraction >= 1.0:
            self._last_report = now
            self.reported.emit(float(fraction), str(text))

    def run(self) -> None:
        try:
            self.result = self._fn(
                *self._args, progress=self._progress, cancelled=self.cancel_event.is_set
            )
        except BaseException as exc:  # handed to the UI thread; never lost
            self.error = exc


class Task(QObject):
    """One running job. Keep it (or not): running tasks keep themselves alive until done."""

    #: Emitted on the UI thread when the task ended, whichever way.
    ended = Signal()

    _running: ClassVar[set[Task]] = set()

    @classmethod
    def any_running(cls) -> bool:
        """True while some task has not ended (benchmarks and tests wait for this)."""
        return bool(cls._running)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        cancellable: bool = True,
    ) -> None:
        super().__init__()
        self.title = title
        self._parent = parent
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self.outcome: str = "running"  # then "done", "cancelled" or "failed"
        self.result: Any = None
        self.error: BaseException | None = None
        self._worker = _Worker(fn, args)
        self._worker.reported.connect(self._on_report)
        self._worker.finished.connect(self._on_finished)
        self.dialog = QProgressDialog(title, _tr("Cancel") if cancellable else "", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self.cancel)
        # Progress goes to the bar itself: QProgressDialog.setValue on a shown modal dialog
        # runs a nested processEvents() from inside our slot (re-entrancy: the task could end,
        # or the window close, in the middle of a report).
        self._bar = QProgressBar(self.dialog)
        self.dialog.setBar(self._bar)
        self.dialog.setRange(0, 1000)
        self.dialog.setValue(0)  # starts the dialog's own show-after-a-while timer

    def start(self) -> Task:
        Task._running.add(self)
        self._worker.start()
        return self

    @property
    def running(self) -> bool:
        return self.outcome == "running"

    def cancel(self) -> None:
        if self.running and not self._worker.cancel_event.is_set():
            self._worker.cancel_event.set()
            if self._dialog_alive():
                self.dialog.setLabelText(_tr("Cancelling…"))

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the worker thread ends (for tests and shutdown); True if it did."""
        return self._worker.wait(timeout_ms)

    def _dialog_alive(self) -> bool:
        # The dialog goes with its parent window, which may close before the work ends.
        return isValid(self.dialog)

    def _on_report(self, fraction: float, text: str) -> None:
        if not self.running or self._worker.cancel_event.is_set() or not self._dialog_alive():
            return
        if text:
            self.dialog.setLabelText(text)
        if fraction < 0:
            self.dialog.setRange(0, 0)  # busy indicator: no estimate
        else:
            if self.dialog.maximum() == 0:
                self.dialog.setRange(0, 1000)
            self._bar.setValue(min(999, int(fraction * 1000)))

    def _on_finished(self) -> None:
        if self._dialog_alive():
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        error = self._worker.error
        try:
            if isinstance(error, TaskCancelled) or (
                error is None and self._worker.cancel_event.is_set()
            ):
                self.outcome = "cancelled"
                if self._on_cancelled:
                    self._on_cancelled()
            elif error is not None:
                self.outcome, self.error = "failed", error
                if self._on_error:
                    self._on_error(error)
                else:
                    from .dialogs.errors import report_exception

                    report_exception(self._parent, error, self.title.rstrip("…").lower())
            else:
                self.outcome, self.result = "done", self._worker.result
                if self._on_done:
                    self._on_done(self.result)
        finally:
            Task._running.discard(self)
            self._worker.deleteLater()
            self.ended.emit()


def run_task(
    parent: QWidget | None,
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    cancellable: bool = True,
) -> Task:
    """Run ``fn(*args, progress=, cancelled=)`` in a worker thread; see the module docstring."""
    return Task(
        parent,
        title,
        fn,
        args,
        on_done=on_done,
        on_error=on_error,
        on_cancelled=on_cancelled,
        cancellable=cancellable,
    ).start()


def _in_own_transaction(
    main: Document,
    fn: Callable[..., Changes | None],
    *args: Any,
    progress: Progress,
    cancelled: Cancelled,
) -> Changes:
    # The sibling connection is opened, used and closed in this worker thread: a sqlite3
    # connection belongs to the thread that opened it.
    wb = main.sibling()
    try:
        with wb.transaction():
            changes = fn(wb, *args, progress=progress, cancelled=cancelled)
            if cancelled():
                raise TaskCancelled()  # leaving the block rolls everything back
        return changes if changes is not None else RESET
    finally:
        wb.close()


def run_write_task(
    parent: QWidget | None,
    controller: Any,
    title: str,
    fn: Callable[..., Changes | None],
    *args: Any,
    on_done: Callable[[Changes], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    cancellable: bool = True,
) -> Task:
    """Run a long write ``fn(workbook, *args, progress=, cancelled=) -> Changes`` in a worker,
    in one transaction on its own connection, with editing paused; see the module docstring."""
    main = controller.document
    controller.set_busy(True)

    def done(changes: Changes) -> None:
        controller.set_busy(False)
        controller.notify(changes)
        if on_done:
            on_done(changes)

    def failed(exc: BaseException) -> None:
        controller.set_busy(False)
        log.info("long write %r rolled back: %r", title, exc)
        if on_error:
            on_error(exc)
        else:
            from .dialogs.errors import report_exception

            report_exception(parent, exc, title.rstrip("…").lower())

    def cancelled_() -> None:
        controller.set_busy(False)
        if on_cancelled:
            on_cancelled()

    return run_task(
        parent,
        title,
        _in_own_transaction,
        main,
        fn,
        *args,
        on_done=done,
        on_error=failed,
        on_cancelled=cancelled_,
        cancellable=cancellable,
    )


class LongUndoable(UndoableCommand):
    """An undo step whose undo/redo run in a worker (an import of 10,000 rows, say). What the
    app did on its own right after it (placing the members it added on the map: its
    ``followers``) is undone and redone with it, in the same worker transaction."""

    def __init__(self, command: Command, controller: Any, parent: QWidget | None) -> None:
        super().__init__(command, lambda: controller.document, controller.notify)
        self._controller = controller
        self._parent = parent

    def _run(self, title: str, step: Callable[[Document], Changes]) -> None:
        run_write_task(
            self._parent,
            self._controller,
            title,
            lambda wb, progress, cancelled: step(wb),
            cancellable=False,  # half an undo would leave the stack out of step with the file
        )

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        steps = [self.command, *self.followers]
        self._run(
            _tr("Redoing {0}…").format(self.command.label),
            lambda wb: Changes.combine([step.apply(wb) for step in steps]),
        )

    def undo(self) -> None:
        steps = [*reversed(self.followers), self.command]
        self._run(
            _tr("Undoing {0}…").format(self.command.label),
            lambda wb: Changes.combine([step.revert(wb) for step in steps]),
        )


def push_long_command(
    parent: QWidget | None,
    controller: Any,
    command: Command,
    *,
    title: str = "",
    on_done: Callable[[Changes], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> Task:
    """Apply a big undoable command in a worker; on commit put it on the undo stack."""

    def apply(wb: Document, progress: Progress, cancelled: Cancelled) -> Changes:
        progress(-1.0, "")
        return command.apply(wb)

    def done(changes: Changes) -> None:
        if not command.did_nothing:
            undoable = LongUndoable(command, controller, parent)
            undoable.added_members = changes.members.added
            controller.undo_stack.push(undoable)
        if on_done:
            on_done(changes)

    return run_write_task(
        parent,
        controller,
        title or command.label,
        apply,
        on_done=done,
        on_error=on_error,
        cancellable=False,
    )
