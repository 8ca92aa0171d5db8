"""The PySide6 pin holds: PySide6-Essentials 6.12.0 crashes Python 3.11 ("none_dealloc") after
many calls to Qt methods that return None, so pyproject.toml pins ``>=6.10,<6.12``. These tests
catch a bump (or an environment) that brings the crash back."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
CALLS = 250_000


def _pin() -> Requirement:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    for dep in data["project"]["dependencies"]:
        req = Requirement(dep)
        if re.fullmatch(r"pyside6[-_]essentials", req.name, re.IGNORECASE):
            return req
    raise AssertionError("pyproject.toml does not depend on PySide6-Essentials")


def test_the_pin_excludes_the_crashing_release():
    pin = _pin()
    assert not pin.specifier.contains("6.12.0"), pin
    assert pin.specifier.contains("6.10.0"), pin


def test_installed_pyside_satisfies_the_pin():
    pin = _pin()
    installed = importlib.metadata.version("PySide6-Essentials")
    assert pin.specifier.contains(installed, prereleases=True), (
        f"PySide6-Essentials {installed} is installed; pyproject.toml asks for {pin}"
    )
    import PySide6

    assert PySide6.__version__ == installed


def test_many_calls_to_qt_methods_returning_none_do_not_crash():
    # In a subprocess: the crash kills the interpreter, which must not take pytest with it.
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QObject, QPointF
        from PySide6.QtWidgets import QApplication, QGraphicsRectItem

        app = QApplication([])
        obj = QObject()
        item = QGraphicsRectItem(0, 0, 1, 1)
        point = QPointF(1.0, 2.0)
        for i in range({CALLS}):
            obj.setObjectName("x")       # returns None
            item.setPos(point)            # returns None
            if obj.objectName() != "x":
                sys.exit(3)
        print("ok", {CALLS})
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=240
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["ok", str(CALLS)]
