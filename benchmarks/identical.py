"""Before and after byte for byte: every example built at two commits, every output compared (issue 13).

    python -m benchmarks.identical                 # BASE (39d1538) against this working tree
    python -m benchmarks.identical --base main --examples mile-400s,core-circuit

Each tree is run by this same interpreter with PYTHONPATH at the tree (the base is a
`git archive` of its commit in a temporary folder), so only the code differs: same packages,
same speech cache. Each builds every workouts/*.yaml into its own folder (`audiocoach build`,
default settings: MP3 + LRC + JSON), one roster track set (`--roster workouts/rosters/…`,
the runner path) and one `--runner … --race …` track, and prints every example's cue sheet
(`audiocoach plan`, the plan as text). Then every MP3, LRC, JSON, playlist and cue sheet is compared byte
for byte; the table shows each file's size and whether the two are identical. Exit 1 on any
difference or a file built by only one of them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "39d1538"  # main before issue 13's layout
ROSTER = ("mile-400s", "workouts/rosters/track-club.yaml")
RUNNER = ("goal-pace-mile", ["--runner", "Kim", "--race", "10k=44:10", "--cadence", "170"])
KINDS = (".mp3", ".lrc", ".json", ".plan.txt", ".m3u8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=BASE, help=f"the commit to compare against (default {BASE})")
    parser.add_argument("--examples", help="comma-separated workout names (default: every workouts/*.yaml)")
    args = parser.parse_args()
    names = args.examples.split(",") if args.examples else sorted(p.stem for p in (ROOT / "workouts").glob("*.yaml"))
    with tempfile.TemporaryDirectory(prefix="identical-") as tmp:
        base_tree = Path(tmp) / "base"
        base_tree.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_tree)], input=archive, check=True)
        outputs = {}
        for label, tree in (("before", base_tree), ("after", ROOT)):
            outputs[label] = Path(tmp) / label
            _build_all(tree, outputs[label], names)
        rows, differ = _compare(outputs["before"], outputs["after"])
    print(_table(rows))
    print(f"\n{len(rows)} files compared ({args.base} against the working tree): "
          f"{len(rows) - differ} identical, {differ} differ")
    sys.exit(1 if differ else 0)


def _build_all(tree: Path, out: Path, names: list[str]) -> None:
    """Every output of `tree`'s code for the examples, into `out`."""
    files = [str(tree / "workouts" / f"{name}.yaml") for name in names]
    _audiocoach(tree, "build", *files, "-o", str(out))
    if ROSTER[0] in names:
        _audiocoach(tree, "build", str(tree / "workouts" / f"{ROSTER[0]}.yaml"), "--roster", str(tree / ROSTER[1]),
                    "-o", str(out / "roster"))
    if RUNNER[0] in names:
        _audiocoach(tree, "build", str(tree / "workouts" / f"{RUNNER[0]}.yaml"), *RUNNER[1], "-o", str(out / "runner"))
    for name, file in zip(names, files, strict=True):
        (out / f"{name}.plan.txt").write_text(_audiocoach(tree, "plan", file), encoding="utf-8")


def _audiocoach(tree: Path, *argv: str) -> str:
    """`audiocoach argv…` run from `tree`'s code (checked to be that tree's); its stdout."""
    probe = ("import sys, audiocoach; from audiocoach.cli import main\n"
             f"assert audiocoach.__file__.startswith({str(tree.resolve())!r}), audiocoach.__file__\n"
             "sys.argv = ['audiocoach', *sys.argv[1:]]; main()")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", probe, *argv], cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"audiocoach {' '.join(argv)} failed in {tree}:\n{done.stderr}")
    return done.stdout


def _compare(before: Path, after: Path) -> tuple[list[tuple[str, str, str, str]], int]:
    def found(folder: Path) -> dict[str, Path]:
        return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.name.endswith(KINDS)}

    old, new = found(before), found(after)
    rows, differ = [], 0
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        same = a is not None and b is not None and _digest(a) == _digest(b)
        differ += not same
        rows.append((name, _size(a), _size(b), "identical" if same else "DIFFERENT"))
    return rows, differ


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _size(path: Path | None) -> str:
    return "missing" if path is None else f"{path.stat().st_size:,}"


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    rows = [("FILE", "BYTES BEFORE", "BYTES AFTER", "")] + rows
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}" for r in rows)


if __name__ == "__main__":
    main()
