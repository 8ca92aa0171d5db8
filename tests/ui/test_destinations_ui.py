"""Issue 11 in the window and the Qt writers: screenshots (with and without --present), map
images, the replay, the PDF report, Save a Copy and the export dialog refuse every trap of
tests/destination_traps.py before any window, drawing or task, and leave it untouched."""

from __future__ import annotations

import os
import stat
from io import BytesIO
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from weaver.cli import main
from weaver.core.commands import AddEntities, new_member, new_relationship
from weaver.core.errors import RefusedDestination
from weaver.core.store import Document
from weaver.ui.controller import Controller

from ..destination_traps import (
    FIXED_NAME,
    TRAPS,
    assert_untouched,
    make_trap,
    one_refusal,
    snapshot,
)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "net.weaver"
    with Document.create(path, name="Test") as wb:
        AddEntities(
            [
                new_member("Ana Ruiz", id="ana", x=0.0, y=0.0),
                new_member("Bo Chen", id="bo", x=100.0, y=40.0),
                new_relationship("ana", "bo", id="t1"),
            ],
            "seed",
        ).apply(wb)
    return path


@pytest.fixture
def controller(qtbot, doc: Path):
    c = Controller()
    c.set_document(Document.open(doc))  # open for editing, as in a window: its lock is live
    yield c
    c.close_document()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- weaver FILE --screenshot OUT [--present] ----------------------------------------------


@pytest.mark.parametrize("kind", TRAPS)
@pytest.mark.parametrize("present", [False, True], ids=["window", "present"])
def test_screenshot_refuses_every_trap_before_any_window(
    kind: str, present: bool, doc: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    from weaver.ui import app
    from weaver.ui import present as projector

    def never(*args, **kwargs):
        raise AssertionError("a window was rendered for a refused destination")

    monkeypatch.setattr(app, "render_window", never)
    monkeypatch.setattr(projector, "render", never)
    trap = make_trap(kind, doc, tmp_path / "dest", "shot.png", monkeypatch)
    before = snapshot(trap.watched)
    capsys.readouterr()
    argv = [str(doc), "--screenshot", str(trap.path), *(["--present"] if present else [])]
    assert main(argv) == 2
    line = one_refusal(capsys.readouterr())
    if kind not in FIXED_NAME:
        assert trap.path.name in line or trap.path.parent.name in line
    assert_untouched(trap, before)


@pytest.mark.parametrize("present", [False, True], ids=["window", "present"])
def test_a_screenshot_is_written_whole_with_the_umask_mode(
    present: bool, doc: Path, tmp_path: Path, capsys, umask_022
) -> None:
    out = tmp_path / "shot.png"
    out.write_bytes(b"an older picture")  # replaced, not refused: it is no document
    argv = [str(doc), "--screenshot", str(out), "--size", "400x300"]
    assert main(argv + (["--present"] if present else [])) == 0
    assert out.read_bytes().startswith(b"\x89PNG") and _mode(out) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.png", "src"]


# ---- map images, the replay, the PDF report -------------------------------------------------

WRITER_TRAPS = [
    "the document itself",
    "another document",
    "a locked file",
    "a lock file",
    "a folder",
    "a fifo",
    "a read-only folder",
]


@pytest.fixture
def map_widget(qtbot, controller):
    from weaver.ui.map.widget import MapWidget

    w = MapWidget(controller)
    qtbot.addWidget(w)
    w.resize(400, 300)
    w.show()
    qtbot.waitExposed(w)
    w.fit()
    return w


@pytest.mark.parametrize("kind", WRITER_TRAPS)
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_map_images_refuse_every_trap(
    kind: str, suffix: str, map_widget, doc: Path, tmp_path: Path, monkeypatch
) -> None:
    trap = make_trap(kind, doc, tmp_path / "dest", f"map{suffix}", monkeypatch)
    before = snapshot(trap.watched)
    with pytest.raises(RefusedDestination):
        map_widget.export_image(trap.path, (320, 200))
    assert_untouched(trap, before)


def test_map_images_are_written_with_the_umask_mode(map_widget, tmp_path: Path, umask_022):
    png = map_widget.export_image(tmp_path / "map.png", (320, 200))
    svg = map_widget.export_image(tmp_path / "map.svg", (320, 200))
    assert png.read_bytes().startswith(b"\x89PNG") and b"<svg" in svg.read_bytes()
    assert (_mode(png), _mode(svg)) == (0o644, 0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "map.svg", "src"]


def _png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 6), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", WRITER_TRAPS)
def test_the_replay_gif_refuses_every_trap(
    kind: str, doc: Path, tmp_path: Path, monkeypatch
) -> None:
    from weaver.ui.workshop.replay_export import write_gif

    trap = make_trap(kind, doc, tmp_path / "dest", "replay.gif", monkeypatch)
    before = snapshot(trap.watched)
    with pytest.raises(RefusedDestination):
        write_gif([_png(), _png()], trap.path)
    assert_untouched(trap, before)


def test_a_png_sequence_is_refused_whole(doc: Path, tmp_path: Path, umask_022) -> None:
    from weaver.ui.workshop.replay_export import write_png_sequence

    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "replay-0002.png").mkdir()  # the second frame's name is taken by a folder
    with pytest.raises(RefusedDestination, match=r"replay-0002\.png: is a folder"):
        write_png_sequence([_png(), _png(), _png()], folder)
    assert sorted(p.name for p in folder.iterdir()) == ["replay-0002.png"]
    written = write_png_sequence([_png()], tmp_path / "ok")
    assert [_mode(p) for p in written] == [0o644]


@pytest.mark.parametrize("kind", WRITER_TRAPS)
def test_the_pdf_report_refuses_every_trap_before_drawing(
    kind: str, doc: Path, tmp_path: Path, monkeypatch
) -> None:
    from weaver.ui import report_pdf

    monkeypatch.setattr(report_pdf, "draw_report", lambda *a: pytest.fail("drew a refused report"))
    trap = make_trap(kind, doc, tmp_path / "dest", "report.pdf", monkeypatch)
    before = snapshot(trap.watched)
    with pytest.raises(RefusedDestination):
        report_pdf.write_report_pdf({"name": "Test"}, trap.path)
    assert_untouched(trap, before)


def test_a_pdf_report_is_written_with_the_umask_mode(doc: Path, tmp_path: Path, capsys, umask_022):
    out = tmp_path / "report.pdf"
    assert main(["report", str(doc), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and _mode(out) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "src"]


def test_export_report_warns_before_starting_a_task(
    controller, doc: Path, tmp_path: Path, monkeypatch
) -> None:
    from weaver.ui import report_pdf
    from weaver.ui.tasks import Task

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    before = snapshot([doc.parent])
    report_pdf.export_report(None, controller, out=doc)
    assert not Task.any_running()
    assert warned == [
        f"{doc}: is open for editing ({_holder(doc)}) and cannot be replaced; choose another name"
    ]
    assert snapshot([doc.parent]) == before


def _holder(document: Path) -> str:
    from weaver.core.lockfile import live_holder

    holder = live_holder(document)
    assert holder is not None
    return holder


# ---- Save a Copy and the export dialog ------------------------------------------------------


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("the document itself", "is the open document itself"),
        ("another document", "is a Weaver document"),
        ("a locked document", "is open for editing"),
        ("a lock file", "is the lock file of the Weaver document"),
        ("a folder", "is a folder"),
        ("a fifo", "is a named pipe"),
        ("a read-only folder", "is read-only"),
    ],
)
def test_save_a_copy_warns_before_starting_a_task(
    kind: str, reason: str, main_window, prompts, tmp_path: Path, monkeypatch
) -> None:
    from weaver.ui.tasks import Task

    document = main_window.controller.document.path
    trap = make_trap(kind, document, tmp_path / "dest", "copy.weaver", monkeypatch)
    before = snapshot(trap.watched)
    assert main_window.save_copy_to(trap.path) is None
    assert not Task.any_running()
    [(title, text, where)] = prompts.warned
    assert title == "Copy not saved" and reason in text, text
    assert where == str(trap.path)
    assert_untouched(trap, before)


def test_save_a_copy_to_a_new_name_works(qtbot, main_window, tmp_path: Path, umask_022) -> None:
    copy = tmp_path / "copy.weaver"
    task = main_window.save_copy_to(copy)
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    with Document.open(copy, readonly=True) as sent:
        assert sent.counts()["members"] > 100
    assert _mode(copy) == 0o644


@pytest.mark.parametrize("pair", [False, True], ids=["gexf", "two csv files"])
@pytest.mark.parametrize("kind", [k for k in WRITER_TRAPS if k not in FIXED_NAME])
def test_the_export_dialog_warns_before_starting_a_task(
    kind: str, pair: bool, controller, prompts, doc: Path, tmp_path: Path, qtbot, monkeypatch
) -> None:
    """(The dialog adds its own extension to a name without it: the document's own name or a
    lock file's becomes a new file, so those traps cannot be laid here.)"""
    from weaver.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    wanted = "nodes-edges" if pair else "gexf"
    for row in range(dialog.formats.count()):
        dialog.formats.setCurrentRow(row)
        if dialog.fmt == wanted:
            break
    if pair:
        dialog.file_type.setCurrentIndex(dialog.file_type.findData(".csv"))
    trap = make_trap(
        kind, doc, tmp_path / "dest", "out-edges.csv" if pair else "out.gexf", monkeypatch
    )
    chosen = trap.path
    if pair and trap.path.name.endswith("-edges.csv"):
        chosen = trap.path.with_name(trap.path.name.replace("-edges.csv", ".csv"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    before = snapshot(trap.watched)
    dialog.choose_and_export()
    assert dialog.task is None and dialog.written is None
    [(title, _text, _where)] = prompts.warned
    assert title == "Nothing exported"
    assert_untouched(trap, before)
