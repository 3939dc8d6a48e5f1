"""No import cycles in audiocoach: the module graph (every import, at the top or inside a function) is
acyclic, and so is the graph of its subpackages (language, coaching, running, audio, ...), so that a
stage never reaches back into one that depends on it, even through modules that do not cycle.

The graph is read from the source with ``ast``, so an import hidden in a function counts as much
as one at the top: a cycle broken only by importing late is still a cycle in the design. Imports
under ``if TYPE_CHECKING:`` are left out: they name a type for the checker and never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "audiocoach"


def module_names(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the package ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its source (``from x import sub`` counts sub)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    typing_only = {id(inner) for node in ast.walk(tree) if _is_type_checking(node)
                   for stmt in node.body for inner in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:  # 'a.b.func' -> 'a.b'
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``); its else branch still runs, so only the body counts."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_graph(root: Path) -> dict[str, set[str]]:
    names = module_names(root)
    known = set(names)
    return {name: imports_of(name, path, known) for name, path in names.items()}


def package_graph(graph: dict[str, set[str]], root: Path) -> dict[str, set[str]]:
    """The module graph with each subpackage's modules merged into one node ('pkg.language');
    top-level modules stay as they are. Imports within a subpackage are dropped."""

    def group(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 and (root / parts[1]).is_dir() else module

    merged: dict[str, set[str]] = {}
    for module, targets in graph.items():
        merged.setdefault(group(module), set()).update(group(t) for t in targets if group(t) != group(module))
    return merged


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None. A package's __init__ importing its own submodules is
    not a cycle by itself (Python imports the parent first; only a submodule importing back is)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_audiocoach_has_no_import_cycle():
    graph = import_graph(PACKAGE)
    assert len(graph) > 50 and "audiocoach.language.model" in graph["audiocoach.language"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_audiocoach_subpackages_have_no_import_cycle():
    packages = package_graph(import_graph(PACKAGE), PACKAGE)
    assert {"audiocoach.language", "audiocoach.running", "audiocoach.audio"} <= set(packages)
    cycle = find_cycle(packages)
    assert cycle is None, "import cycle between subpackages: " + " -> ".join(cycle or [])


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "pkg"


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import f\n",
        "sub/__init__.py": "",
        "sub/b.py": "",
        "b.py": "def f():\n    from . import a\n    return a\n",
    })
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_a_longer_cycle_through_relative_imports_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg import x\n",
        "x.py": "from .sub import y\n",
        "sub/__init__.py": "",
        "sub/y.py": "import pkg.sub.z\n",
        "sub/z.py": "from ..x import thing\n",
    })
    assert find_cycle(import_graph(root)) == ["pkg.x", "pkg.sub.y", "pkg.sub.z", "pkg.x"]


def test_an_acyclic_package_passes(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg.a import f\n",
        "a.py": "from pkg.b import g\ndef f():\n    import pkg.b\n",
        "b.py": "import os\nfrom typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.a import f\ndef g(): ...\n",
    })
    assert import_graph(root) == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": set()}
    assert find_cycle(import_graph(root)) is None


def test_a_cycle_between_subpackages_is_found_where_modules_do_not_cycle(tmp_path):
    """language.model -> running.vdot -> language.quantities: no module cycle, yet the two stages need each other."""
    root = _package(tmp_path, {
        "__init__.py": "",
        "language/__init__.py": "",
        "language/model.py": "def f():\n    from pkg.running.vdot import g\n",
        "language/quantities.py": "",
        "running/__init__.py": "",
        "running/vdot.py": "def g():\n    from pkg.language.quantities import q\n",
    })
    graph = import_graph(root)
    assert find_cycle(graph) is None
    assert find_cycle(package_graph(graph, root)) == ["pkg.language", "pkg.running", "pkg.language"]
