"""Lines per module and the longest functions, at a commit and in the working tree (issue 13).

    python -m benchmarks.layout_stats               # BASE (39d1538) beside the working tree
    python -m benchmarks.layout_stats --base main --top 10

Counts every line of each audiocoach/**/*.py (docstrings and comments included, as `wc -l`);
a function's length is from its `def` (decorators included) to its last line (ast).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "39d1538"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--top", type=int, default=5, help="how many of the longest functions to show")
    args = parser.parse_args()
    before, after = _sources_at(args.base), _sources_here()
    width = max(map(len, before.keys() | after.keys()))
    print(f"{'MODULE':<{width}}  {'BEFORE':>6}  {'AFTER':>6}")
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        print(f"{name:<{width}}  {_lines(old):>6}  {_lines(new):>6}")
    print(f"{'total (' + str(len(before)) + ' → ' + str(len(after)) + ' modules)':<{width}}  "
          f"{sum(map(_count, before.values())):>6}  {sum(map(_count, after.values())):>6}")
    print(f"\ntop-level modules (audiocoach/*.py): {_flat(before)} before, {_flat(after)} after")
    for label, sources in (("before", before), ("after", after)):
        print(f"\nlongest functions {label}:")
        for length, where in _longest(sources)[: args.top]:
            print(f"  {length:4d} lines  {where}")


def _sources_at(commit: str) -> dict[str, str]:
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", commit, "audiocoach"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    return {n: subprocess.run(["git", "show", f"{commit}:{n}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout for n in names if n.endswith(".py")}


def _sources_here() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "audiocoach").rglob("*.py")}


def _count(text: str) -> int:
    return text.count("\n")


def _lines(text: str | None) -> str:
    return "-" if text is None else str(_count(text))


def _flat(sources: dict[str, str]) -> int:
    return sum(name.count("/") == 1 for name in sources)


def _longest(sources: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for name, text in sources.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found.append((node.end_lineno - first + 1, f"{name}:{node.lineno} {node.name}"))
    return sorted(found, reverse=True)


if __name__ == "__main__":
    main()
