"""Long work off the UI thread: the event loop keeps turning, progress shows, Cancel works (a
cancelled write keeps nothing), and errors reach the caller rather than a traceback."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from weaver.core.commands import AddEntities, new_member
from weaver.core.errors import DocumentError
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.tasks import TaskCancelled, push_long_command, run_task, run_write_task

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def controller(qtbot, demo_path, prompts):
    c = Controller()
    c.set_document(Document.open(demo_path))
    yield c
    c.close_document()


def slow(steps: int = 25, pause: float = 0.04, *, progress, cancelled) -> str:
    """About a second of work in small steps, reporting as it goes."""
    for i in range(steps):
        if cancelled():
            raise TaskCancelled()
        time.sleep(pause)
        progress((i + 1) / steps, f"step {i + 1}")
    return "finished"


def until_cancelled(*, progress, cancelled) -> str:
    deadline = time.monotonic() + 20
    while not cancelled():
        if time.monotonic() > deadline:
            return "never cancelled"
        progress(-1.0, "waiting")
        time.sleep(0.01)
    raise TaskCancelled()


def test_the_event_loop_turns_during_a_long_task(qtbot, prompts):
    ticks: list[float] = []
    seen_values: list[int] = []
    seen_labels: set[str] = set()
    results: list[str] = []
    task = run_task(None, "Thinking…", slow, on_done=results.append)
    ui_thread = threading.get_ident()

    def tick() -> None:
        assert threading.get_ident() == ui_thread
        ticks.append(time.monotonic())
        if task.running:
            seen_values.append(task.dialog.value())
            seen_labels.add(task.dialog.labelText())

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    elapsed = time.monotonic() - started
    timer.stop()

    assert results == ["finished"] and task.outcome == "done"
    assert elapsed >= 0.9
    # A blocked loop would tick once at the end; a turning one ticks all along.
    assert len(ticks) >= 10, ticks
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5, max(gaps)
    assert max(seen_values) > 0, "progress reached the dialog"
    assert any(label.startswith("step ") for label in seen_labels)
    assert not prompts.errors


def test_cancel_from_the_dialog_button(qtbot, prompts):
    outcomes: list[str] = []
    task = run_task(
        None,
        "Waiting…",
        until_cancelled,
        on_done=lambda r: outcomes.append(f"done {r}"),
        on_cancelled=lambda: outcomes.append("cancelled"),
    )
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)  # shown once work runs a while
    button = next(b for b in task.dialog.findChildren(QPushButton) if b.isVisible())
    with qtbot.waitSignal(task.ended, timeout=10_000):
        button.click()
    assert outcomes == ["cancelled"]
    assert task.outcome == "cancelled"
    assert not prompts.errors


def test_errors_reach_on_error_not_a_traceback_dialog(qtbot, prompts):
    def broken(*, progress, cancelled):
        progress(0.5, "half way")
        raise ValueError("bad input on row 7")

    errors: list[BaseException] = []
    task = run_task(None, "Reading…", broken, on_error=errors.append)
    with qtbot.waitSignal(task.ended, timeout=10_000):
        pass
    assert task.outcome == "failed"
    assert [str(e) for e in errors] == ["bad input on row 7"]
    assert not prompts.errors and not prompts.warned


def test_without_on_error_a_bug_shows_the_error_dialog_and_a_refusal_a_message(qtbot, prompts):
    def bug(*, progress, cancelled):
        raise RuntimeError("oops")

    def refused(*, progress, cancelled):
        raise DocumentError("/nowhere/x.weaver", "cannot be written")

    for fn in (bug, refused):
        task = run_task(None, "Working…", fn)
        with qtbot.waitSignal(task.ended, timeout=10_000):
            pass
    assert len(prompts.errors) == 1 and "oops" in prompts.errors[0][1]
    assert len(prompts.warned) == 1 and "cannot be written" in prompts.warned[0][1]


def test_a_cancelled_write_keeps_nothing(qtbot, controller, prompts):
    wb = controller.document
    before = wb.content_digest()
    busy: list[bool] = []
    controller.busy_changed.connect(busy.append)
    changed: list[object] = []
    controller.changed.connect(changed.append)
    outcome: list[str] = []

    def write_then_wait(workbook, *, progress, cancelled):
        people = [new_member(f"Worker {i}", kind="person") for i in range(50)]
        AddEntities(people, "Add many").apply(workbook)
        return until_cancelled(progress=progress, cancelled=cancelled)

    task = run_write_task(
        None,
        controller,
        "Importing…",
        write_then_wait,
        on_done=lambda _c: outcome.append("done"),
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert not controller.editable, "editing is paused while a long write runs"
    QTimer.singleShot(300, task.cancel)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert outcome == ["cancelled"]
    assert busy == [True, False] and controller.editable
    assert not changed
    assert wb.content_digest() == before
    assert not [m for m in wb.members() if m.name.startswith("Worker ")]
    assert not prompts.errors


def test_a_failed_write_rolls_back_and_reports(qtbot, controller, prompts):
    wb = controller.document
    before = wb.content_digest()
    errors: list[BaseException] = []

    def write_then_fail(workbook, *, progress, cancelled):
        AddEntities([new_member("Half Done", kind="person")], "Add").apply(workbook)
        raise RuntimeError("disk on fire")

    task = run_write_task(None, controller, "Writing…", write_then_fail, on_error=errors.append)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert [str(e) for e in errors] == ["disk on fire"]
    assert wb.content_digest() == before
    assert controller.editable
    assert not prompts.errors


def test_a_committed_write_is_announced(qtbot, controller):
    wb = controller.document
    changed: list[object] = []
    controller.changed.connect(changed.append)

    def write(workbook, *, progress, cancelled):
        return AddEntities([new_member("Long Write", kind="person")], "Add").apply(workbook)

    task = run_write_task(None, controller, "Writing…", write)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert task.outcome == "done"
    added = [m for m in wb.members() if m.name == "Long Write"]
    assert len(added) == 1
    assert changed and added[0].id in changed[-1].members.added


def test_a_long_command_is_one_undo_step_run_in_the_worker(qtbot, controller):
    wb = controller.document
    before = wb.content_digest()
    people = [new_member(f"Imported {i}", kind="person") for i in range(200)]
    task = push_long_command(None, controller, AddEntities(people, "Import 200 people"))
    assert not controller.editable
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert controller.editable
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Import 200 people"
    assert len([m for m in wb.members() if m.name.startswith("Imported ")]) == 200

    controller.undo_stack.undo()  # runs in a worker too: editing pauses until it is done
    qtbot.waitUntil(lambda: controller.editable, timeout=20_000)
    assert wb.content_digest() == before
    controller.undo_stack.redo()
    qtbot.waitUntil(lambda: controller.editable, timeout=20_000)
    assert len([m for m in wb.members() if m.name.startswith("Imported ")]) == 200


def test_a_task_outlives_the_window_that_started_it(qtbot, prompts):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    window.show()
    results: list[str] = []
    task = run_task(window, "Thinking…", slow, 10, 0.03, on_done=results.append)
    qtbot.wait(100)
    window.deleteLater()  # the progress dialog goes with it
    qtbot.waitUntil(lambda: not shiboken_valid(task.dialog), timeout=5000)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    assert results == ["finished"]
    assert not prompts.errors


def shiboken_valid(obj) -> bool:
    from shiboken6 import isValid

    return isValid(obj)
