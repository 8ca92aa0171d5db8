"""The projector: mirrors edits live, never shows anything private, replays growth."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from weaver.cli import main
from weaver.core.commands import SetSettings, UpdateMember
from weaver.core.demo import write_demo
from weaver.core.privacy import SETTING_KEY, PresentationPrivacy
from weaver.core.store import Document
from weaver.ui.controller import Controller
from weaver.ui.workshop.presenter import PresenterPanel
from weaver.ui.workshop.projector import ProjectorView

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "riverbend.weaver"
    write_demo(path, as_of=AS_OF)
    return path


@pytest.fixture
def controller(demo_file, tmp_path, qtbot):
    copy = tmp_path / "riverbend.weaver"
    shutil.copy(demo_file, copy)
    c = Controller()
    c.set_document(Document.open(copy))
    yield c
    c.close_document()


def _view(qtbot, controller) -> ProjectorView:
    view = ProjectorView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    return view


def _private_values(wb: Document) -> set[str]:
    secrets: set[str] = set()
    for m in wb.members():
        for value in (m.email, m.phone, m.notes):
            if value and len(value) > 3:
                secrets.add(value)
        if m.consent == "no":
            secrets.add(m.name)
    return secrets


def test_projector_shows_nothing_private(qtbot, controller):
    view = _view(qtbot, controller)
    wb = controller.document
    secrets = _private_values(wb)
    assert any(m.consent == "no" for m in wb.members()), "the demo should exercise consent 'no'"
    assert len(secrets) > 20
    shown = "\n".join(view.visible_text())
    assert "Riverbend" in shown
    leaked = [s for s in secrets if s in shown]
    assert leaked == []
    # consent "no" members are drawn, as anonymous dots without a label
    no_ids = {m.id for m in wb.members() if m.consent == "no"}
    rows = [i for i, mid in enumerate(view.projection.ids) if mid in no_ids]
    assert rows and all(view.projection.labels[i] == "" for i in rows)


def test_privacy_settings_hide_what_they_say(qtbot, controller):
    view = _view(qtbot, controller)
    wb = controller.document
    rules = PresentationPrivacy(
        label_mode="initials", consent_no="hidden", consent_not_asked="anonymous"
    )
    controller.push(SetSettings({SETTING_KEY: rules.to_setting()}))
    members = {m.id: m for m in wb.members()}
    ids = view.projection.ids
    assert not any(members[m].consent == "no" for m in ids)
    for mid, label in zip(ids, view.projection.labels, strict=True):
        if members[mid].consent == "not_asked":
            assert label == ""
        else:
            assert label.endswith(".") and len(label) <= 8  # initials
    badge = view.badge.text()
    assert "Shown: initials" in badge and "Hidden: full names" in badge
    controller.undo_stack.undo()
    assert any(len(label) > 8 for label in view.projection.labels)


def test_projector_mirrors_edits_live_unless_frozen(qtbot, controller):
    panel = PresenterPanel(controller)
    qtbot.addWidget(panel)
    panel.set_presenting(True)  # offscreen has one screen: a second window stands in
    window = panel.window_
    assert window is not None and window.isVisible()
    view = window.view
    wb = controller.document
    someone = next(m for m in wb.members() if m.consent == "yes" and m.kind == "person")
    controller.push(UpdateMember(someone.id, name="Renamed Person"))
    assert "Renamed Person" in view.projection.labels

    view.set_frozen(True)
    controller.push(UpdateMember(someone.id, name="Prepared Offstage"))
    assert "Prepared Offstage" not in view.projection.labels
    view.set_frozen(False)
    assert "Prepared Offstage" in view.projection.labels
    panel.set_presenting(False)
    assert panel.window_ is None


def test_replay_at_a_mid_date_shows_only_what_existed(qtbot, controller):
    view = _view(qtbot, controller)
    all_now = len(view.projection.ids)
    timeline = view.timeline()
    mid = timeline.first_date + (AS_OF - timeline.first_date) / 2
    view.set_day(mid)
    proj = view.projection
    assert 0 < len(proj.ids) < all_now
    assert set(proj.ids) <= timeline.members_on(mid)
    assert set(proj.edge_ids) <= timeline.ties_on(mid)
    assert view.date_label.text() == mid.strftime("%B %Y")
    members = {m.id: m for m in controller.document.members()}
    rels = {r.id: r for r in controller.document.relationships()}
    for mid_id in proj.ids:
        joined = members[mid_id].joined_on
        assert joined is None or joined <= mid
    for rid in proj.edge_ids:
        assert rels[rid].ended_on is None or rels[rid].ended_on > mid
    view.set_day(None)
    assert len(view.projection.ids) == all_now


def test_focus_and_spotlight_fade_the_rest(qtbot, controller):
    view = _view(qtbot, controller)
    view.set_color_by("organization")
    label = next(lbl for lbl, _ in view.projection.legend if lbl not in ("(none)", "Other"))
    view.set_spotlight(("organization", label))
    lit = view.projection.highlight
    assert lit is not None and 0 < lit.sum() < len(lit)
    view.set_spotlight(None)
    hub = view.projection.ids[int(view.canvas.node_px.argmax())]
    view.set_focus(hub, 1)
    lit = view.projection.highlight
    assert lit.sum() > 1
    edges = view.projection.edges
    start = view.projection.ids.index(hub)
    neighbours = {int(b) for a, b in edges if a == start} | {int(a) for a, b in edges if b == start}
    assert set(map(int, lit.nonzero()[0])) == neighbours | {start}


def test_present_screenshot_cli(tmp_path, demo_file):
    out = tmp_path / "wall.png"
    assert main([str(demo_file), "--screenshot", str(out), "--present", "--size", "1280x720"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    # dark theme by default: the top-left corner is the dark background
    assert QImage(str(out)).pixelColor(5, 5).lightness() < 60


def test_replay_exports_gif(qtbot, controller, tmp_path):
    from PIL import Image

    from weaver.ui.workshop.replay_export import render_frames, replay_days, write_gif

    view = _view(qtbot, controller)
    days = replay_days(view.timeline().first_date, AS_OF, 4)
    frames: list[bytes] = []
    from PySide6.QtCore import QSize

    render_frames(view, days, QSize(320, 180), lambda _k, png: frames.append(png))
    write_gif(frames, tmp_path / "growth.gif")
    with Image.open(tmp_path / "growth.gif") as gif:
        assert gif.n_frames == 4 and gif.size == (320, 180)
