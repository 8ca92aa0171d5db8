"""Qt objects are only ever destroyed and painted where Qt allows it, while the report and
other long jobs run in worker threads.

The crash this guards against: CPython runs its cyclic garbage collector in whichever thread
happens to allocate past the threshold. A busy worker (building the report, writing the
spreadsheet) allocates a lot, so the collection ran there, and it finalized garbage cycles that
held Qt wrappers (a closed main window, its pyqtgraph scene, its actions): their C++ objects were
destroyed off the GUI thread and the process died with a segfault.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget

from weaver.ui.tasks import Task, TaskCancelled, run_task

GUI_THREAD = threading.main_thread().ident


class _FinalizedWhere(QObject):
    """A Qt wrapper that notes the thread that finalizes it."""

    def __init__(self, record: list[int], gone: threading.Event) -> None:
        super().__init__()
        self._record = record
        self._gone = gone
        self._self_cycle = self  # garbage only the cyclic collector can free

    def __del__(self) -> None:
        self._record.append(threading.get_ident())
        self._gone.set()


def _allocate_until_collected(gone: threading.Event, progress, cancelled) -> int:
    # Far past the collector's thresholds (700 new containers, then 10 such rounds), and kept
    # alive, so a collection is due: before the fix CPython ran it right here, in the worker.
    kept = [[i] for i in range(200_000)]
    gone.wait(10)  # the GUI thread's collector gets its turn meanwhile
    return len(kept)


def test_garbage_holding_qt_objects_is_collected_on_the_gui_thread(qtbot):
    gc.collect()
    finalized_in: list[int] = []
    gone = threading.Event()
    widget = QWidget()  # a Qt GUI object in the same cycle, as a closed window's would be
    probe = _FinalizedWhere(finalized_in, gone)
    probe.widget = widget
    widget.probe = probe
    del probe, widget
    assert gc.isenabled()

    task = run_task(None, "Allocating…", _allocate_until_collected, gone)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert task.outcome == "done" and task.result == 200_000
    assert finalized_in == [GUI_THREAD]
    # With no worker left, Python collects automatically again.
    assert gc.isenabled()


def test_the_pdf_report_is_painted_in_the_worker_without_thread_warnings(
    qtbot, main_window, monkeypatch, tmp_path: Path
):
    from PySide6.QtWidgets import QFileDialog

    from weaver.ui import report_pdf

    painted_in: list[int] = []
    write = report_pdf.write_report_pdf

    def write_and_note_thread(*args, **kwargs):
        painted_in.append(threading.get_ident())
        return write(*args, **kwargs)

    monkeypatch.setattr(report_pdf, "write_report_pdf", write_and_note_thread)
    warnings: list[str] = []

    def on_message(kind: QtMsgType, _context, text: str) -> None:
        if kind != QtMsgType.QtDebugMsg:
            warnings.append(text)

    out = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    previous = qInstallMessageHandler(on_message)
    try:
        task = main_window.weaving.export_report()
        assert isinstance(task, Task)
        with qtbot.waitSignal(task.ended, timeout=60_000):
            pass
    finally:
        qInstallMessageHandler(previous)
    assert task.outcome == "done"
    assert out.read_bytes().startswith(b"%PDF")
    # Painted off the GUI thread (the window keeps answering), and Qt had nothing to say
    # about it: no pixmap, widget or GUI-only object was touched there.
    assert painted_in and GUI_THREAD not in painted_in
    assert not [w for w in warnings if "thread" in w.lower() or "not safe" in w.lower()]


def test_cancelling_the_report_leaves_no_file(qtbot, main_window, monkeypatch, tmp_path: Path):
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = main_window.weaving.export_report()
    task.cancel()
    with qtbot.waitSignal(task.ended, timeout=60_000):
        pass
    assert task.outcome == "cancelled"
    assert not out.exists()
    assert not list(tmp_path.glob(".report*"))  # nor its temporary file


def test_a_report_cancelled_while_painting_writes_nothing(demo_workbook, tmp_path: Path):
    from weaver.core.health import assess
    from weaver.core.metrics import load_network
    from weaver.core.report_data import build_report, load_snapshots, map_data
    from weaver.ui.report_pdf import write_report_pdf

    data = load_network(demo_workbook)
    health = assess(data)
    report = build_report(data, load_snapshots(demo_workbook), health=health)
    out = tmp_path / "report.pdf"
    with pytest.raises(TaskCancelled):
        write_report_pdf(report, out, map_data(data, health), cancelled=lambda: True)
    assert not out.exists()
    assert not list(tmp_path.glob(".report*"))  # nor a temporary file beside it
