"""Shared fixtures for UI tests: the demo network, a main window on it, answered prompts.

Every test gets its own copy of the demo (written once per session), ephemeral preferences
(never the user's QSettings) and prompts answered without a modal loop.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from weaver.core.store import Document

DEMO_AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from weaver.core.demo import write_demo

    path = tmp_path_factory.mktemp("demo-template") / "riverbend.weaver"
    write_demo(path, as_of=DEMO_AS_OF)
    return path


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A fresh, private copy of the demo network."""
    path = tmp_path / "riverbend.weaver"
    shutil.copyfile(_demo_template, path)
    return path


@pytest.fixture
def demo_workbook(demo_path: Path) -> Iterator[Document]:
    wb = Document.open(demo_path)
    yield wb
    wb.close()


@dataclass
class Prompts:
    """What the app asked and warned; questions get ``reply`` (or the next of ``replies``)."""

    reply: object = None
    replies: list[object] = field(default_factory=list)
    asked: list[tuple[str, str, str]] = field(default_factory=list)
    warned: list[tuple[str, str, str]] = field(default_factory=list)
    informed: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    """Answer every prompt of ``weaver.ui.dialogs`` (and the error dialog) without blocking."""
    from weaver.ui import dialogs
    from weaver.ui.dialogs import errors

    record = Prompts(reply=dialogs.Button.Yes)

    def ask(parent, title, text, buttons=None, default=None, informative=""):
        record.asked.append((title, text, informative))
        return record.replies.pop(0) if record.replies else record.reply

    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "warn", lambda p, t, x, i="": record.warned.append((t, x, i)))
    monkeypatch.setattr(dialogs, "inform", lambda p, t, x, i="": record.informed.append((t, x, i)))
    monkeypatch.setattr(
        errors,
        "present",
        lambda dialog: record.errors.append((dialog.windowTitle(), dialog.details)),
    )
    return record


@pytest.fixture
def prefs():
    from weaver.ui.settings import Preferences

    return Preferences.ephemeral()


@pytest.fixture
def main_window(qtbot, demo_path: Path, prefs, prompts):
    """The real main window with the demo network open for editing."""
    from weaver.ui.main_window import MainWindow

    window = MainWindow(prefs=prefs)
    qtbot.addWidget(window)
    assert window.open_path(demo_path)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
