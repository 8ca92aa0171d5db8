"""Seams that hold: every name has one import path (issue 13).

The source is read with :mod:`ast`, not imported, so these checks need no display and see
every module, including those only a window or a command line would load. Three rules:

- no module imports another weaver module's underscore name, neither ``from m import _x`` nor
  ``m._x`` through an imported module (dunder names such as ``__version__`` are public);
- no re-export shims: a module does not list in ``__all__`` a name it imported from another
  weaver module, and no module consists only of imports (and ``__all__``);
- every ``from weaver.m import name`` in ``weaver/`` and ``tests/`` names something ``weaver.m``
  defines itself (or one of its submodules), so there is one import path per name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGE = REPOSITORY / "weaver"
TESTS = REPOSITORY / "tests"


@dataclass(frozen=True)
class SourceModule:
    name: str  # dotted, e.g. "weaver.core.store"
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(REPOSITORY)}:{getattr(node, 'lineno', 0)}"


def dotted_name(path: Path) -> str:
    parts = list(path.relative_to(REPOSITORY).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def load_modules(root: Path) -> dict[str, SourceModule]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        name = dotted_name(path)
        modules[name] = SourceModule(name, path, ast.parse(path.read_text("utf-8"), str(path)))
    return modules


WEAVER = load_modules(PACKAGE)


def absolute_source(module: SourceModule, node: ast.ImportFrom) -> str:
    """The dotted module a ``from ... import`` reads from, relative levels resolved."""
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if not module.is_package:
        package.pop()
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def weaver_imports(module: SourceModule) -> Iterator[tuple[ast.ImportFrom, str, ast.alias]]:
    """Every ``from <weaver module> import name`` in the module, at any depth."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            source = absolute_source(module, node)
            if source == "weaver" or source.startswith("weaver."):
                for alias in node.names:
                    yield node, source, alias


def weaver_imported_names(module: SourceModule) -> set[str]:
    """Names the module binds by importing them from another weaver module (so reading them
    through this module is a second import path); ``os`` or a Qt class patched through the
    module that uses it is not one."""
    return {
        alias.asname or alias.name
        for _, source, alias in weaver_imports(module)
        if f"{source}.{alias.name}" not in WEAVER
    }


def defined_names(module: SourceModule) -> set[str]:
    """Names the module binds itself: functions, classes and assignments, at the top level
    and inside top-level ``if``/``try`` blocks (imports do not count)."""
    names: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(statement.name)
            elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(statement, ast.If | ast.Try | ast.With):
                visit(statement.body)
                visit(getattr(statement, "orelse", []))
                visit(getattr(statement, "finalbody", []))
                for handler in getattr(statement, "handlers", []):
                    visit(handler.body)

    visit(module.tree.body)
    return names


def module_aliases(module: SourceModule) -> dict[str, str]:
    """Local names bound to weaver modules: ``import weaver.x as m``, ``from weaver import x``."""
    aliases = {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("weaver"):
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = absolute_source(module, node)
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                if candidate in WEAVER:
                    aliases[alias.asname or alias.name] = candidate
    return aliases


def attribute_chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None when the chain does not start at a name."""
    chain = []
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    chain.append(node.id)
    return chain[::-1]


def private_imports(module: SourceModule) -> list[str]:
    problems = []
    for node, source, alias in weaver_imports(module):
        if source != module.name and is_private(alias.name):
            problems.append(f"{module.where(node)} imports {alias.name} from {source}")
    aliases = module_aliases(module)
    imported = {alias.asname or alias.name for _, _, alias in weaver_imports(module)}
    for node in ast.walk(module.tree):
        if not (isinstance(node, ast.Attribute) and is_private(node.attr)):
            continue
        chain = attribute_chain(node.value)
        if chain and len(chain) == 1 and chain[0] in imported and chain[0] not in aliases:
            # A class or object imported from another module: its private attribute.
            problems.append(f"{module.where(node)} uses {chain[0]}.{node.attr}")
            continue
        if not chain or chain[0] not in aliases:
            continue
        target = ".".join([aliases[chain[0]], *chain[1:]])
        if target in WEAVER and target != module.name:
            problems.append(f"{module.where(node)} uses {target}.{node.attr}")
    return problems


def listed_in_all(module: SourceModule) -> set[str]:
    for statement in module.tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = statement.value
                if isinstance(value, ast.List | ast.Tuple):
                    return {e.value for e in value.elts if isinstance(e, ast.Constant)}
    return set()


def is_only_imports(module: SourceModule) -> bool:
    """A body of imports and ``__all__`` (a docstring aside) that imports from weaver."""
    body = module.tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    imports_weaver = next(weaver_imports(module), None) is not None
    for statement in body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if isinstance(statement, ast.Assign) and [
            getattr(t, "id", None) for t in statement.targets
        ] == ["__all__"]:
            continue
        return False
    return imports_weaver


def re_exports(module: SourceModule) -> list[str]:
    problems = []
    exported = listed_in_all(module)
    for node, source, alias in weaver_imports(module):
        local = alias.asname or alias.name
        if source != module.name and local in exported:
            problems.append(f"{module.where(node)} re-exports {local} from {source}")
    if is_only_imports(module):
        problems.append(f"{module.where(module.tree)} is only imports (a re-export shim)")
    return problems


def indirect_imports(module: SourceModule) -> list[str]:
    """``from weaver.m import name`` where weaver.m neither defines name nor has it as a
    submodule: the name is passing through a second import path."""
    problems = []
    for node, source, alias in weaver_imports(module):
        if alias.name == "*":
            problems.append(f"{module.where(node)} star-imports from {source}")
            continue
        if source not in WEAVER or f"{source}.{alias.name}" in WEAVER:
            continue
        if alias.name not in defined_names(WEAVER[source]):
            problems.append(
                f"{module.where(node)} imports {alias.name} from {source}, which does not define it"
            )
    aliases = module_aliases(module)
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Attribute) or isinstance(node.value, ast.Attribute):
            continue
        chain = attribute_chain(node)
        if not chain or chain[0] not in aliases:
            continue
        # Follow a.b.c through submodules; the first part that is no module must be defined
        # by the module before it.
        target = aliases[chain[0]]
        for part in chain[1:]:
            if f"{target}.{part}" in WEAVER:
                target = f"{target}.{part}"
                continue
            if target in WEAVER and part in weaver_imported_names(WEAVER[target]):
                problems.append(f"{module.where(node)} uses {target}.{part}, defined elsewhere")
            break
    return problems


def test_the_checks_see_the_whole_package() -> None:
    assert "weaver.core.store" in WEAVER
    assert "weaver.ui.map.widget" in WEAVER
    assert len(WEAVER) > 100


def test_the_checks_catch_what_they_forbid() -> None:
    """Each rule fires on a small module that breaks it (so a green run means something)."""

    def parse(name: str, source: str) -> SourceModule:
        return SourceModule(name, PACKAGE / "core" / "example.py", ast.parse(source))

    private = parse(
        "weaver.core.example",
        "from .store import _hidden, Document\nfrom weaver.core import store\n"
        "store._other()\nDocument._depth\n",
    )
    assert len(private_imports(private)) == 3
    shim = parse("weaver.core.example", "from .store import Document\n__all__ = ['Document']\n")
    assert len(re_exports(shim)) == 2
    indirect = parse("weaver.core.example", "from weaver.core.store import Path\n")
    assert indirect_imports(indirect)
    fine = parse("weaver.core.example", "from .store import Document\nDocument()\n")
    assert not private_imports(fine) + re_exports(fine) + indirect_imports(fine)


def test_no_underscore_names_are_imported_across_modules() -> None:
    problems = [p for module in WEAVER.values() for p in private_imports(module)]
    assert not problems, "\n".join(problems)


def test_no_module_re_exports_names_from_another() -> None:
    problems = [p for module in WEAVER.values() for p in re_exports(module)]
    assert not problems, "\n".join(problems)


def test_every_name_is_imported_from_the_module_that_defines_it() -> None:
    importers = list(WEAVER.values()) + list(load_modules(TESTS).values())
    problems = [p for module in importers for p in indirect_imports(module)]
    assert not problems, "\n".join(problems)
