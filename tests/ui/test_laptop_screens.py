"""The main window on the screens weavers have: 1024×768, 1366×768 (the most common laptop)
and 1920×1080. Every dock tab label whole, the map's Colour and Size choices on the toolbar,
the first words of every reason readable, the right docks readable and the map keeping most
of the width; a layout saved on a bigger screen does not come back cramped.

Each test saves what it looked at under its pytest tmp_path (``<name>-<W>x<H>.png``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QScrollArea, QStyle, QTabBar, QWidget

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
#: The fewest average characters a right dock may be wide (the issue: ~32–38).
READABLE_CHARS = 32
#: The map's share of the window's width at laptop sizes and up.
MAP_SHARE = 0.55


@pytest.fixture
def open_window(qtbot, demo_path: Path, prefs, prompts):
    """Make a main window on the demo at a size, shown and settled."""
    from weaver.ui.main_window import MainWindow

    made = []

    def make(size: tuple[int, int], preferences=None):
        window = MainWindow(prefs=preferences if preferences is not None else prefs)
        qtbot.addWidget(window)
        assert window.open_path(demo_path)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


def settle(qtbot) -> None:
    """Let the deferred layout work (first-show sizing, tab bar upkeep) run."""
    for _ in range(3):
        qtbot.wait(60)


def shoot(window: QWidget, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"{name}-{window.width()}x{window.height()}.png"
    assert window.grab().save(str(out))
    return out


def dock_tab_bars(window) -> list[QTabBar]:
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [bar for bar in bars if bar.isVisible() and bar.count()]


def assert_tab_labels_whole(window) -> None:
    bars = dock_tab_bars(window)
    assert bars, "the docks are tabbed: there are tab bars"
    for bar in bars:
        padding = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
        for i in range(bar.count()):
            text = bar.tabText(i).replace("&&", "&")
            needed = bar.fontMetrics().horizontalAdvance(text) + padding
            rect = bar.tabRect(i)
            assert rect.width() >= needed, f"tab {text!r} is drawn cut ({rect.width()} < {needed})"
            assert rect.left() >= 0 and rect.right() <= bar.width(), f"tab {text!r} scrolled away"


def fits_wrapped(text: str, rect: QRect, widget: QWidget) -> bool:
    """Does ``text``, wrapped at word boundaries, fit in ``rect`` (less the cell's margins)?"""
    margin = widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    width = rect.width() - 2 * margin
    words = text.split()
    metrics = widget.fontMetrics()
    if any(metrics.horizontalAdvance(word) > width for word in words):
        return False  # a word would be cut in the middle
    needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
    return needed.height() <= rect.height() + 1


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_dock_tab_label_is_whole(qtbot, open_window, tmp_path: Path, size):
    window = open_window(size)
    shoot(window, tmp_path, "tabs")
    assert_tab_labels_whole(window)
    # Dragged as narrow as they go, the right docks still show every tab label whole.
    window.resizeDocks([window.details_dock], [1], Qt.Orientation.Horizontal)
    settle(qtbot)
    shoot(window, tmp_path, "tabs-narrowest")
    assert_tab_labels_whole(window)
    # The full names are in the tooltips.
    tips = {
        bar.tabText(i): bar.tabToolTip(i)
        for bar in dock_tab_bars(window)
        for i in range(bar.count())
    }
    assert "Network profile" in tips.get("Profile", "")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_map_toolbar_keeps_colour_and_size_in_view(open_window, tmp_path: Path, size):
    window = open_window(size)
    shoot(window, tmp_path, "toolbar")
    toolbar = window.map.toolbar
    for combo in (window.map.color_combo, window.map.size_combo):
        action = next(a for a in toolbar.actions() if toolbar.widgetForAction(a) is combo)
        assert toolbar.widgetForAction(action).isVisible(), f"{combo.accessibleName()} in »"
        assert toolbar.rect().contains(combo.geometry()), f"{combo.accessibleName()} cut off"
        assert combo.width() >= combo.fontMetrics().horizontalAdvance("Relationships")
    # The search field is a field, not a sliver ("Fi…").
    search = window.map.search
    assert search.isVisible()
    assert search.width() >= search.fontMetrics().horizontalAdvance(search.placeholderText())


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_weaving_reasons_show_their_first_words(qtbot, open_window, tmp_path: Path, size):
    window = open_window(size)
    window.weaving.weaving_dock.raise_()
    panel = window.weaving.weaving_panel
    tree = panel.suggestion_tree
    qtbot.waitUntil(
        lambda: (
            tree.topLevelItemCount() > 0
            and bool(tree.topLevelItem(0).flags() & Qt.ItemFlag.ItemIsEnabled)
        ),
        timeout=60_000,
    )
    settle(qtbot)
    shoot(window, tmp_path, "weaving")
    why = tree.columnCount() - 1
    for row in range(min(5, tree.topLevelItemCount())):
        item = tree.topLevelItem(row)
        first_words = " ".join(item.text(why).split()[:3])
        rect = tree.visualRect(tree.indexFromItem(item, why))
        assert rect.right() <= tree.viewport().width(), "the Why column is scrolled out of view"
        assert fits_wrapped(first_words, rect, tree), f"{first_words!r} cut in {rect}"
        who = tree.visualRect(tree.indexFromItem(item, 0))
        assert fits_wrapped(item.text(0).split(" + ")[0], who, tree), "a name is cut"
    # The panel fits its dock: nothing sits beyond a sideways scroll.
    area = window.weaving.weaving_dock.widget()
    assert isinstance(area, QScrollArea)
    assert not area.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_health_and_profile_fit_their_dock(qtbot, open_window, tmp_path: Path, size):
    window = open_window(size)
    window.weaving.health_dock.raise_()
    panel = window.weaving.health_panel
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0, timeout=60_000)
    settle(qtbot)
    shoot(window, tmp_path, "health")
    assert not window.weaving.health_dock.widget().horizontalScrollBar().isVisible()
    table = panel.table
    for row in range(table.rowCount()):
        rect = table.visualRect(table.model().index(row, 0))
        name = table.item(row, 0).text()
        assert fits_wrapped(name, rect, table), f"measure {name!r} is cut"

    window.weaving.network_dock.raise_()
    settle(qtbot)
    shoot(window, tmp_path, "profile")
    assert not window.weaving.network_dock.widget().horizontalScrollBar().isVisible()
    profile = window.weaving.network_panel
    inner = profile.findChild(QScrollArea)
    assert not inner.horizontalScrollBar().isVisible(), "profile fields run off the dock"
    for field in (profile.name, profile.purpose, *profile.answers.values()):
        right = field.mapTo(inner.viewport(), field.rect().topRight()).x()
        assert right <= inner.viewport().width(), f"{field.accessibleName()} is cut off"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_right_dock_readable_and_map_keeps_most_of_the_width(open_window, tmp_path: Path, size):
    window = open_window(size)
    shoot(window, tmp_path, "layout")
    readable = window.fontMetrics().averageCharWidth() * READABLE_CHARS
    assert window.details_dock.width() >= readable
    assert window.map.width() >= MAP_SHARE * window.width(), (
        f"the map has {window.map.width()} of {window.width()}"
    )
    # With nothing selected, the details panel asks for little.
    assert not window.controller.selected_members
    assert window.details_panel.sizeHint().width() <= readable
    side_by_side = window.dockWidgetArea(window.members_dock) != window.dockWidgetArea(
        window.details_dock
    )
    if side_by_side:  # the empty details get far less than a third of the window
        assert window.details_dock.width() < window.width() / 3


def test_a_layout_saved_on_a_bigger_screen_is_not_restored_cramped(
    qtbot, open_window, tmp_path: Path
):
    big = open_window((1920, 1080))
    # The weaver made the right docks wide on a big monitor…
    big.resizeDocks([big.details_dock], [900], Qt.Orientation.Horizontal)
    settle(qtbot)
    wide = big.details_dock.width()
    assert wide >= 800
    big.close()  # closing saves the layout, and the window's width with it

    # Back on the big monitor the saved layout comes back as it was left…
    again = open_window((1920, 1080))
    shoot(again, tmp_path, "restored-on-monitor")
    assert abs(again.details_dock.width() - wide) <= 12
    again.close()

    # …but on the laptop the layout made for 1920 does not squeeze the map.
    laptop = open_window((1366, 768))
    shoot(laptop, tmp_path, "restored-on-laptop")
    readable = laptop.fontMetrics().averageCharWidth() * READABLE_CHARS
    assert laptop.details_dock.width() >= readable
    assert laptop.map.width() >= MAP_SHARE * laptop.width()
    assert_tab_labels_whole(laptop)
