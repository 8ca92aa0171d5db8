"""weaver.core must stay Qt-free: every rule is testable without a display."""

import pkgutil
import subprocess
import sys

import weaver.core


def test_core_imports_no_qt_or_pyqtgraph():
    modules = [m.name for m in pkgutil.walk_packages(weaver.core.__path__, "weaver.core.")]
    assert "weaver.core.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import weaver.cli\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_only_the_store_runs_sql():
    """design.md: the store (store.py and its store_*.py siblings) is the only code running SQL;
    schema.py holds the migrations it runs."""
    import re
    from pathlib import Path

    root = Path(weaver.core.__file__).parent.parent
    allowed = {"core/schema.py", "core/store.py"} | {
        f"core/{p.name}" for p in (root / "core").glob("store_*.py")
    }
    sql_call = re.compile(r"\.(execute|executemany|executescript)\(")
    offenders = [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*.py"))
        if p.relative_to(root).as_posix() not in allowed and sql_call.search(p.read_text("utf-8"))
    ]
    assert offenders == []
