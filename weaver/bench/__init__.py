"""``weaver bench``: benchmark groups, their runner and helpers they share.

A group is any module ``weaver/bench/<name>.py`` that defines::

    GROUP = "store"                       # what ``--only`` selects
    def run(quick: bool = False) -> dict[str, float]: ...   # flat name -> number figures
    TARGETS = {"store_open_5000_s": ("<=", 0.3)}            # optional

A target can also travel inside the figures: ``<name>_target`` is an upper bound for
``<name>`` and ``<name>_target_min`` a lower bound. Missing a target is a finding, not a failure:
the runner reports it and still exits 0.

Memory figures must come from a fresh process (a warm benchmark process holds everything the
earlier groups allocated): use :func:`measure_peak_mb`.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import pkgutil
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

Target = tuple[str, float]  # ("<=", 2.0) or (">=", 30.0)
Progress = Callable[[str], None]

_PEAK_MARK = "__weaver_peak_mb__="
_ENTRY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


# ---- discovering and running groups -----------------------------------------------------


def discover(progress: Progress | None = None) -> dict[str, ModuleType]:
    """Group name -> module, for every module in this package that defines a group."""
    groups: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except Exception as exc:  # one broken group must not hide the others
            if progress:
                progress(f"skipping bench module {info.name}: {type(exc).__name__}: {exc}")
            continue
        group = getattr(module, "GROUP", None)
        if isinstance(group, str) and callable(getattr(module, "run", None)):
            groups[group] = module
    return groups


@dataclass(frozen=True)
class Result:
    group: str
    figures: dict[str, float]
    targets: dict[str, Target]
    seconds: float


def run_group(module: ModuleType, *, quick: bool = False) -> Result:
    started = time.perf_counter()
    raw = module.run(quick=quick)
    figures = {str(k): float(v) for k, v in dict(raw).items()}
    return Result(module.GROUP, figures, targets_of(module, figures), time.perf_counter() - started)


def targets_of(module: ModuleType, figures: dict[str, float]) -> dict[str, Target]:
    """Targets a group declares in ``TARGETS`` or as ``*_target`` / ``*_target_min`` figures."""
    targets: dict[str, Target] = {}
    for name, value in figures.items():
        if name.endswith("_target_min"):
            targets[name.removesuffix("_target_min")] = (">=", value)
        elif name.endswith("_target"):
            targets[name.removesuffix("_target")] = ("<=", value)
    for name, (op, value) in dict(getattr(module, "TARGETS", {}) or {}).items():
        if op not in ("<=", ">="):
            raise ValueError(f"{module.__name__}.TARGETS[{name!r}]: use '<=' or '>='")
        targets[name] = (op, float(value))
    return targets


def met(value: float, target: Target) -> bool:
    op, bound = target
    if math.isnan(value):
        return False
    return value <= bound if op == "<=" else value >= bound


def flat_figures(results: Iterable[Result]) -> dict[str, float]:
    """Every figure plus ``<name>_target`` for each declared target: one flat JSON object."""
    out: dict[str, float] = {}
    for r in results:
        out.update(r.figures)
        for name, (op, bound) in r.targets.items():
            if name in r.figures:
                out.setdefault(f"{name}_target" + ("_min" if op == ">=" else ""), bound)
    return out


def format_table(results: Iterable[Result]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    for r in results:
        rows.append((f"[{r.group}]", "", "", f"{r.seconds:.1f} s"))
        hidden = {f"{n}_target" for n in r.targets} | {f"{n}_target_min" for n in r.targets}
        for name, value in r.figures.items():
            if name in hidden:
                continue
            target = r.targets.get(name)
            if target is None:
                rows.append((name, _number(value), "", ""))
            else:
                mark = "✓" if met(value, target) else "✗"
                rows.append((name, _number(value), f"{target[0]} {_number(target[1])}", mark))
    header = ("figure", "value", "target", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        name, value, target, mark = row
        line = f"{name:<{widths[0]}}  {value:>{widths[1]}}  {target:<{widths[2]}}  {mark}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if value == int(value) and abs(value) < 1e12:
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


# ---- helpers for groups -----------------------------------------------------------------


def median_seconds(fn: Callable[[], Any], repeat: int = 5, warmup: int = 0) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs (after ``warmup`` untimed runs)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def qt_app() -> Any:
    """The QApplication the UI groups measure in: offscreen unless the caller chose a platform
    (figures comparable across machines), created once and shared by every group in the run."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _source_root() -> str:
    # The folder holding the ``weaver`` package, so a child finds it even when Weaver is run
    # from a checkout rather than installed.
    return str(Path(__file__).resolve().parent.parent.parent)


def measure_peak_mb(target: str, *args: Any, timeout: float = 600) -> float:
    """Peak resident memory (MiB) of a fresh Python process that runs ``target``.

    ``target`` is either ``"package.module:function"`` (called with ``args``, which must be
    JSON-serialisable) or Python source to execute. The figure includes the interpreter and
    every import the work needs, as a user's process would.
    """
    if _ENTRY.match(target):
        module, func = target.split(":")
        code = (
            "import importlib, json, sys\n"
            f"fn = getattr(importlib.import_module({module!r}), {func!r})\n"
            "fn(*json.loads(sys.argv[1]))\n"
        )
    else:
        if args:
            raise ValueError("arguments are only passed to a 'module:function' target")
        code = target
    reporter = (
        "\nimport resource as _r, sys as _s\n"
        "_kb = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    for _line in open('/proc/self/status'):\n"
        "        if _line.startswith('VmHWM:'):\n"
        "            _kb = int(_line.split()[1])\n"
        "except OSError:\n"
        "    if _s.platform == 'darwin':\n"
        "        _kb = _kb / 1024\n"
        f"print({_PEAK_MARK!r} + str(_kb / 1024), flush=True)\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_source_root(), env.get("PYTHONPATH")]))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", code + reporter, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    marks = [ln for ln in proc.stdout.splitlines() if ln.startswith(_PEAK_MARK)]
    if proc.returncode != 0 or not marks:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"memory probe {target[:60]!r} failed: {tail}")
    return float(marks[-1].removeprefix(_PEAK_MARK))
