"""The map view: drawing, dragging with undo, focus, colour-by legend, tooltips."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from weaver.core.commands import AddEntities, new_member, new_relationship
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.map.widget import MapWidget


@pytest.fixture
def map_widget(qtbot, tmp_path):
    wb = Document.create(tmp_path / "net.weaver")
    a = new_member("Ada Lovelace", x=0.0, y=0.0, email="ada@secret.example", sector="science")
    b = new_member("Ben Okafor", x=100.0, y=0.0, phone="555-1234", sector="arts")
    c = new_member("Cara Diallo", x=200.0, y=50.0, notes="private note")
    d = new_member("Dev Org", kind="organization", x=300.0, y=100.0)
    rels = [
        new_relationship(a.id, b.id),
        new_relationship(b.id, c.id),
        new_relationship(c.id, d.id),
    ]
    AddEntities([a, b, c, d, *rels], "setup").apply(wb)
    controller = Controller()
    controller.set_document(wb)
    w = MapWidget(controller)
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    w.fit()
    yield w, controller, [a, b, c, d]
    controller.close_document()


def test_renders_non_empty_image(map_widget):
    w, _, _ = map_widget
    image = w.canvas.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 500, 7)}
    assert len(colours) > 5


def test_drag_moves_selection_as_one_undo_step(map_widget):
    w, controller, members = map_widget
    i = w.snapshot.index[members[0].id]
    start = QPointF(*w.pos[i])
    assert w.interaction.drag_started(start, Qt.KeyboardModifier.NoModifier)
    w.interaction.drag_moved(start + QPointF(10, 5))
    w.interaction.drag_finished(start + QPointF(20, 10))
    moved = controller.document.member(members[0].id)
    assert (moved.x, moved.y) == pytest.approx((20.0, 10.0))
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    back = controller.document.member(members[0].id)
    assert (back.x, back.y) == (0.0, 0.0)
    assert tuple(w.pos[i]) == (0.0, 0.0)


def test_focus_shows_exactly_the_neighbourhood(map_widget):
    w, controller, members = map_widget
    a, b, c, _ = members
    controller.select([a.id])
    w.start_focus()
    assert w.focused_members() == {a.id, b.id}
    w.change_focus_depth(+1)
    assert w.focused_members() == {a.id, b.id, c.id}
    w.change_focus_depth(-1)
    assert w.focused_members() == {a.id, b.id}
    w.clear_focus()
    assert len(w.focused_members()) == 4


def test_colour_by_changes_the_legend(map_widget):
    w, _, _ = map_widget
    assert any("person" in s.lower() for s in w.legend.labels())
    w.set_color_by("sector")
    labels = w.legend.labels()
    assert any("science" in s for s in labels) and any("arts" in s for s in labels)


def test_tooltips_never_show_private_fields(map_widget):
    w, _, members = map_widget
    text = " ".join(w.tooltip_html(i) for i in range(len(members)))
    assert "Ada Lovelace" in text
    for secret in ("ada@secret.example", "555-1234", "private note"):
        assert secret not in text


def test_shift_drag_connects_and_undoes(map_widget, monkeypatch):
    w, controller, members = map_widget
    a, _, c, _ = members
    monkeypatch.setattr(w.interaction, "ask_relationship_kind", lambda s, t: "mentor")
    before = len(controller.document.relationships())
    ia, ic = w.snapshot.index[a.id], w.snapshot.index[c.id]
    assert w.interaction.drag_started(QPointF(*w.pos[ia]), Qt.KeyboardModifier.ShiftModifier)
    w.interaction.drag_finished(QPointF(*w.pos[ic]))
    rels = controller.document.relationships()
    assert len(rels) == before + 1
    assert any(r.kind == "mentor" and {r.source_id, r.target_id} == {a.id, c.id} for r in rels)
    controller.undo_stack.undo()
    assert len(controller.document.relationships()) == before


def test_double_click_adds_member_named_in_place(map_widget, qtbot):
    w, controller, _ = map_widget
    w.interaction.clicked(QPointF(150, 300), Qt.KeyboardModifier.NoModifier, True)
    editor = w.interaction.name_editor
    assert editor is not None
    editor.setText("Zoe New")
    editor.returnPressed.emit()
    added = [m for m in controller.document.members() if m.name == "Zoe New"]
    assert len(added) == 1 and (added[0].x, added[0].y) == (150.0, 300.0)
    assert "Zoe New" in w.snapshot.labels


def test_export_png_and_svg(map_widget, tmp_path):
    w, _, _ = map_widget
    png = w.export_image(tmp_path / "map.png", (640, 360), whole=True)
    svg = w.export_image(tmp_path / "map.svg", (640, 360), whole=False)
    assert png.stat().st_size > 1000
    assert "<svg" in svg.read_text(encoding="utf-8")


def test_an_exported_image_never_names_a_member_who_said_no(map_widget, tmp_path):
    """An image leaves the laptop: the share view's consent rule holds there too (the weaver's
    own screen still names everyone)."""
    from weaver.core.commands import UpdateMember

    w, controller, members = map_widget
    controller.push(UpdateMember(members[1].id, consent="no"))
    w.canvas.labels.avoid_nodes = False  # every name fits on this small map
    svg = w.export_image(tmp_path / "map.svg", (1600, 900), whole=True).read_text("utf-8")
    assert "Ada Lovelace" in svg and "Cara Diallo" in svg
    assert "Ben Okafor" not in svg
    assert "Ben Okafor" in w.canvas.labels.names


def test_the_legend_names_the_documents_cold_tie_rule(map_widget):
    """The legend said "No meeting in 12 months" whatever the document's cold-tie setting."""
    from datetime import date, timedelta

    from weaver.core.commands import LogMeeting, SetSettings, new_event

    w, controller, members = map_widget
    a, b = members[0], members[1]
    met = new_event("Coffee", date=date.today() - timedelta(days=60))
    controller.push(LogMeeting(met, [(a.id, "attendee"), (b.id, "attendee")]))
    assert w.legend.data.cold_days is None  # 60 days ago is not cold under the default 180
    controller.push(SetSettings({"cold_tie_days": 30}))
    assert w.snapshot.edge_cold.sum() == 1
    assert w.legend.data.cold_days == 30


def test_find_on_the_map_folds_accents_like_the_tables(map_widget):
    """Typing "jose" found José in the Members table but not on the map."""
    w, controller, _ = map_widget
    jose = new_member("José Álvarez", x=50.0, y=50.0)
    controller.push(AddEntities([jose], "add"))
    assert w.find("jose") == w.snapshot.index[jose.id]
    assert w.find("ALVAREZ") == w.snapshot.index[jose.id]


def test_delete_key_deletes_selected_member_after_confirming(map_widget, qtbot, prompts):
    w, controller, members = map_widget
    b = members[1]
    i = w.snapshot.index[b.id]
    w.interaction.clicked(QPointF(*w.pos[i]), Qt.KeyboardModifier.NoModifier, False)
    assert list(controller.selected_members) == [b.id]
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Delete)
    assert len(prompts.asked) == 1  # Ben has ties: the shell asks first
    assert controller.document.member(b.id) is None
    assert b.id not in w.snapshot.ids
    assert len(controller.document.relationships()) == 1
    controller.undo_stack.undo()
    assert controller.document.member(b.id) is not None
    assert b.id in w.snapshot.ids
    assert len(controller.document.relationships()) == 3


def test_delete_key_keeps_member_when_cancelled(map_widget, qtbot, prompts):
    from weaver.ui import dialogs

    w, controller, members = map_widget
    prompts.reply = dialogs.Button.Cancel
    controller.select([members[0].id])
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Delete)
    assert len(prompts.asked) == 1
    assert controller.document.member(members[0].id) is not None


def test_click_on_a_tie_then_delete_key_deletes_it_and_undo_restores(map_widget, qtbot, prompts):
    w, controller, members = map_widget
    a, b = members[0], members[1]
    ia, ib = w.snapshot.index[a.id], w.snapshot.index[b.id]
    middle = QPointF(*((w.pos[ia] + w.pos[ib]) / 2))
    w.interaction.clicked(middle, Qt.KeyboardModifier.NoModifier, False)
    (rid,) = controller.selected_relationships
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Delete)
    assert rid not in {r.id for r in controller.document.relationships()}
    assert rid not in w.snapshot.edge_ids
    controller.undo_stack.undo()
    assert rid in {r.id for r in controller.document.relationships()}


def test_fit_keeps_every_node_inside_the_view_and_clear_of_the_legend(map_widget):
    w, _, _ = map_widget
    w.fit()
    vb = w.canvas.viewbox
    legend = w.legend.geometry()
    view = w.canvas.viewport().rect()
    for x, y in w.pos:
        p = w.canvas.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
        assert view.adjusted(10, 10, -10, -10).contains(p), (x, y, p)
        assert not legend.adjusted(-4, -4, 4, 4).contains(p), (x, y, p)


def test_settle_finishes_placing_members_without_a_position(qtbot, tmp_path):
    wb = Document.create(tmp_path / "new.weaver")
    a = new_member("Ada", x=0.0, y=0.0)
    b = new_member("Ben")  # no position yet
    AddEntities([a, b, new_relationship(a.id, b.id)], "setup").apply(wb)
    controller = Controller()
    controller.set_document(wb)
    w = MapWidget(controller)
    qtbot.addWidget(w)
    w.resize(600, 400)
    w.show()
    w.settle()
    assert np.isfinite(w.pos).all()
    controller.close_document()


def test_names_never_overlap_each_other_on_a_crowded_map(qtbot):
    from weaver.ui.map.canvas import MapCanvas

    rng = np.random.default_rng(5)
    n = 800
    pos = rng.normal(0, 100, (n, 2))
    edges = rng.integers(0, n, (2000, 2)).astype(np.int32)
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.show()
    qtbot.waitExposed(canvas)
    ones = np.ones(len(edges))
    names = [f"Member number {i}" for i in range(n)]
    canvas.set_graph(pos, edges, ones * 3, ones < 0, ones < 0, names, np.zeros(n, bool))
    canvas.set_sizes(rng.uniform(8, 30, n))
    canvas.fit()
    canvas.grab()
    rects = canvas.labels.last_rects
    assert 8 <= len(rects) < n  # some names, not a pile of all of them
    for i, r in enumerate(rects):
        assert canvas.viewport().rect().contains(r.toRect().adjusted(1, 1, -1, -1))
        for other in rects[i + 1 :]:
            assert not r.intersects(other)


def test_a_taller_legend_refits_the_map_clear_of_it(map_widget):
    w, _, _ = map_widget
    w.fit()
    w.set_color_by("sector")  # more legend rows
    legend = w.legend.geometry()
    for x, y in w.pos:
        p = w.canvas.mapFromScene(w.canvas.viewbox.mapViewToScene(QPointF(x, y)))
        assert not legend.adjusted(-4, -4, 4, 4).contains(p), (x, y, p)
