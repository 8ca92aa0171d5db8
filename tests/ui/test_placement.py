"""What is added to the map lands where the user can see it: next to its ties, or in free space
in the current view; the view then moves (briefly animated, never a refit of the whole map) to
show it; an import and the placement of its members are one undo step."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRectF
from shiboken6 import isValid

from weaver.core.commands import AddEntities, new_member, new_relationship
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.dialogs.import_dialog import ImportDialog
from weaver.ui.map.widget import MapWidget

# The fixture's ties are 100–112 scene units long: its layout unit.
TIE_LENGTH = 112.0


def four_members(tmp_path: Path) -> tuple[Controller, list]:
    wb = Document.create(tmp_path / "net.weaver")
    a = new_member("Ada Lovelace", x=0.0, y=0.0)
    b = new_member("Ben Okafor", x=100.0, y=0.0)
    c = new_member("Cara Diallo", x=200.0, y=50.0)
    d = new_member("Dev Org", kind="organization", x=300.0, y=100.0)
    rels = [new_relationship(a.id, b.id), new_relationship(b.id, c.id)]
    rels.append(new_relationship(c.id, d.id))
    AddEntities([a, b, c, d, *rels], "setup").apply(wb)
    controller = Controller()
    controller.set_document(wb)
    return controller, [a, b, c, d]


def shown_map(qtbot, controller: Controller) -> MapWidget:
    w = MapWidget(controller)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    w.fit()
    return w


@pytest.fixture
def map_widget(qtbot, tmp_path):
    controller, members = four_members(tmp_path)
    w = shown_map(qtbot, controller)
    qtbot.addWidget(w)
    yield w, controller, members
    controller.close_document()


def look_at(w: MapWidget, rect: QRectF) -> None:
    """The user pans and zooms the map to ``rect`` (as a drag or the wheel would)."""
    vb = w.canvas.viewbox
    vb.setRange(rect=rect, padding=0)
    vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])


def view(w: MapWidget) -> QRectF:
    return QRectF(w.canvas.viewbox.viewRect())


def wait_placed(qtbot, controller: Controller, ids: list[str]) -> None:
    wb = controller.document
    qtbot.waitUntil(
        lambda: all(m.x is not None for m in wb.members_by_ids(ids)) and not controller.readonly,
        timeout=20_000,
    )


def shown(w: MapWidget, ids) -> np.ndarray:
    """For each id: is its centre inside the view?"""
    r = view(w)
    rows = [w.snapshot.index[i] for i in ids]
    x, y = w.pos[rows, 0], w.pos[rows, 1]
    return (x >= r.left()) & (x <= r.right()) & (y >= r.top()) & (y <= r.bottom())


def test_a_member_tied_to_a_visible_member_lands_next_to_it_and_in_view(qtbot, map_widget):
    w, controller, (_a, b, _c, _d) = map_widget
    # Zoomed in with Ben near the right edge: a neighbour beside him may be off-screen.
    look_at(w, QRectF(-150.0, -120.0, 280.0, 210.0))
    before = view(w)
    newcomer = new_member("Eve Newcomer")
    controller.push(AddEntities([newcomer, new_relationship(newcomer.id, b.id)], "Add Eve"))
    wait_placed(qtbot, controller, [newcomer.id])
    w.settle()
    i, j = w.snapshot.index[newcomer.id], w.snapshot.index[b.id]
    assert np.linalg.norm(w.pos[i] - w.pos[j]) <= 3 * TIE_LENGTH
    assert shown(w, [newcomer.id, b.id]).all()
    after = view(w)
    # Panned at most, zoomed out only a little: not refitted to the whole map.
    assert after.width() <= before.width() * 2.0
    assert controller.undo_stack.count() == 1


def test_an_isolated_member_lands_in_free_space_in_the_zoomed_view(qtbot, map_widget):
    w, controller, members = map_widget
    # Zoomed into the top-left corner: Ada and Ben, and empty space above and left of them.
    look_at(w, QRectF(-300.0, -240.0, 440.0, 330.0))
    before = view(w)
    loner = new_member("Lone Newcomer")
    controller.push(AddEntities([loner], "Add member 'Lone Newcomer'"))
    wait_placed(qtbot, controller, [loner.id])
    w.settle()
    assert shown(w, [loner.id]).all()
    i = w.snapshot.index[loner.id]
    others = np.array([w.snapshot.index[m.id] for m in members])
    clearance = np.linalg.norm(w.pos[others] - w.pos[i], axis=1).min()
    assert clearance >= TIE_LENGTH * 0.99  # a node spacing clear of everyone
    after = view(w)
    # Placed inside the view, so the view did not move.
    assert (after.left(), after.top(), after.width()) == pytest.approx(
        (before.left(), before.top(), before.width())
    )
    assert [controller.undo_stack.text(k) for k in range(controller.undo_stack.count())] == [
        "Add member 'Lone Newcomer'"
    ]


def test_the_view_glides_briefly_to_a_member_placed_outside_it(qtbot, map_widget):
    w, controller, _members = map_widget
    # So zoomed in around Ada that no spot in the view is a node spacing clear of her.
    look_at(w, QRectF(-60.0, -45.0, 120.0, 90.0))
    before = view(w)
    loner = new_member("Far Newcomer")
    controller.push(AddEntities([loner], "Add member"))
    wait_placed(qtbot, controller, [loner.id])
    qtbot.waitUntil(lambda: w.canvas.view_animating, timeout=5_000)
    qtbot.waitUntil(lambda: not w.canvas.view_animating, timeout=2_000)  # brief: ~300 ms
    assert shown(w, [loner.id]).all()
    moved = view(w)
    assert moved != before
    assert moved.width() < 4 * before.width()  # a pan, zoomed out only as much as needed


def test_no_view_animation_outlives_its_map(qtbot, tmp_path):
    controller, _members = four_members(tmp_path)
    w = shown_map(qtbot, controller)  # not handed to qtbot: this test deletes it
    look_at(w, QRectF(-60.0, -45.0, 120.0, 90.0))
    loner = new_member("Far Newcomer")
    controller.push(AddEntities([loner], "Add member"))
    wait_placed(qtbot, controller, [loner.id])
    qtbot.waitUntil(lambda: w.canvas.view_animating, timeout=5_000)
    animation = w.canvas.view_animation
    # The map goes in the middle of the glide.
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(w)
    assert not isValid(animation)  # gone with the map, well before it would have ended
    controller.close_document()


# ---- imports into a real window ----------------------------------------------------------------


def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "newcomers.csv"
    path.write_text(
        "Name,Sector\nNia Placement,arts\nOmar Placement,health\nPia Placement,arts\n",
        encoding="utf-8",
    )
    return path


def import_through_dialog(qtbot, window, path: Path) -> None:
    dialog = ImportDialog(window.controller, path, window)
    qtbot.addWidget(dialog)
    task = dialog.preview()
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    task = dialog.apply()
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    assert dialog.applied


def test_an_import_and_the_placement_of_its_members_are_one_undo_step(qtbot, main_window, tmp_path):
    controller = main_window.controller
    wb = controller.document
    members_before = wb.counts()["members"]
    import_through_dialog(qtbot, main_window, small_csv(tmp_path))
    new_ids = [m.id for m in wb.members() if m.name.endswith(" Placement")]
    assert len(new_ids) == 3
    wait_placed(qtbot, controller, new_ids)
    main_window.map.settle()
    placed = {m.id: (m.x, m.y) for m in wb.members_by_ids(new_ids)}
    stack = controller.undo_stack
    assert stack.count() == 1

    main_window.undo()
    qtbot.waitUntil(lambda: controller.editable, timeout=20_000)
    assert wb.counts()["members"] == members_before
    main_window.redo()
    qtbot.waitUntil(lambda: controller.editable, timeout=20_000)
    assert wb.counts()["members"] == members_before + 3
    assert {m.id: (m.x, m.y) for m in wb.members_by_ids(new_ids)} == placed


def test_an_imported_kumu_workbook_lands_in_view_without_a_refit(
    qtbot, main_window, data_dir: Path
):
    w = main_window.map
    w.settle()
    whole = view(w)
    # The user zoomed into the middle of the network.
    middle = QRectF(
        whole.center().x() - whole.width() / 6,
        whole.center().y() - whole.height() / 6,
        whole.width() / 3,
        whole.height() / 3,
    )
    look_at(w, middle)
    before = view(w)
    wb = main_window.controller.document
    known = {m.id for m in wb.members()}
    import_through_dialog(qtbot, main_window, data_dir / "kumu" / "paypal-mafia.xlsx")
    added = [m.id for m in wb.members() if m.id not in known]
    assert len(added) == 34
    wait_placed(qtbot, main_window.controller, added)
    w.settle()
    assert shown(w, added).all()
    after = view(w)
    w.fit()
    fitted = view(w)
    # The view zoomed out less than a fit of the whole network would have.
    assert math.log(after.width() / before.width()) < 0.8 * math.log(
        fitted.width() / before.width()
    )
