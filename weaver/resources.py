"""Find files shipped in ``resources/`` (icons, themes), installed or from a source checkout."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    installed = files("weaver") / "resources"
    if installed.is_dir():
        base: Traversable = installed
    else:  # an editable install or a plain checkout: the top-level folder
        base = Path(__file__).resolve().parent.parent / "resources"
    for part in parts:
        base = base / part
    return base
