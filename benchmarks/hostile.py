"""How fast `audiocoach check` answers hostile and oversized inputs, up to the 1 MB limit.

    python -m benchmarks.hostile          (make bench-hostile)

Each document is written to a temporary folder and checked by the whole command in a fresh
process (interpreter start included); the table gives its exit status, wall seconds and the
first line it printed. The target is every answer under 2 s on the 2-CPU machine; the verdict
line says whether the slowest one made it. Tests assert only the behaviour (the right error at
the right place); the time is measured here.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 2.0
STEP = "  - run: 20s\n    say: Go go go now.\n    cues: [one two, three four]\n"


def documents() -> dict[str, str]:
    """name -> YAML text: the issue's reproductions, then the largest of each shape under 1 MB."""
    bomb = ["m0: &m0 {a: 1, b: 2}"] + [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, 21)]
    laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    docs = {
        "merge-key bomb, 20 levels": "\n".join(bomb) + "\ntitle: T\nsteps: [{run: 1min}]\n",
        "alias bomb, 9 levels of 9": "\n".join(laughs) + "\ntitle: T\nsteps: [{run: 1min}]\n",
        "980 KB flow list": "title: T\nsteps: [" + ", ".join(["{run: 1min}"] * 75_300) + "]\n",
        "prompts every 1ms, 10-min run": "title: T\nprompts: {every: 1ms}\nsteps:\n  - run: 10min\n",
        "5,000 cues in one step": "title: T\nsteps:\n  - run: 2h\n    cues:\n"
                                  + "".join(f"      - {{at: {i}s, say: Cue {i}}}\n" for i in range(5_000)),
        "2,000-word say": "title: T\nsteps:\n  - run: 1min\n    say: " + " ".join(["word"] * 2_000) + "\n",
        "NUL through \"\\0\"": 'title: "a\\0b"\nsteps: [{run: 1min}]\n',
        "repeat: 256 of a 1 s stride": "title: T\nsteps:\n  - repeat: 256\n    steps:\n      - stride: 1s\n",
        "1,999 steps with cues (valid)": "title: T\nsteps:\n" + STEP * 1_999,
        "1,000 reps x 2 steps (valid)": "title: T\nprompts: {every: 10s}\nsteps:\n  - repeat: 1000\n    steps:\n"
                                        "      - run: 20s\n        cues: [a b, c d]\n      - jog: 1s\n",
        "990 KB block list of steps": "title: T\nsteps:\n" + "  - run: 1min\n" * 70_000,
        "960 KB of top-level keys": "title: T\nsteps: [{run: 1min}]\n" + "".join(f"k{i}: {i}\n" for i in range(70_000)),
        "999 KB quoted string": "title: T\nsteps: [{run: 1min}]\ndescription: '" + "y" * 999_000 + "'\n",
        "990 KB of comments": "title: T\nsteps: [{run: 1min}]\n" + "# a comment, long enough to fill\n" * 30_000,
        "980 KB nested flow":
            "title: T\nsteps: [{run: 1min}]\nx: " + "[" * 60 + "1" + ", 1" * 320_000 + "]" * 60 + "\n",
    }
    for name, text in docs.items():
        assert len(text.encode()) <= 1_000_000, name
    return docs


def check(path: Path) -> tuple[int, float, float, str]:
    """Exit status, wall seconds, CPU seconds (user + system) and the first line of an error or the ok."""
    used = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "audiocoach", "check", path.name], capture_output=True, text=True,
                          cwd=path.parent, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    seconds = time.perf_counter() - began
    said = (done.stderr + done.stdout).strip().splitlines()
    first = next((line for line in said if not line.startswith("Warning:")), said[0] if said else "")
    return done.returncode, seconds, _children_cpu() - used, first


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    print(f"audiocoach check on hostile input — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"  {'input':32} {'size':>8}  exit   wall     CPU  first line")
    slowest = slowest_cpu = 0.0
    with tempfile.TemporaryDirectory(prefix="audiocoach-hostile-") as tmp:
        for n, (name, text) in enumerate(documents().items()):
            path = Path(tmp) / f"w{n}.yaml"
            path.write_text(text, encoding="utf-8")
            status, seconds, cpu, first = check(path)
            slowest, slowest_cpu = max(slowest, seconds), max(slowest_cpu, cpu)
            size = f"{len(text.encode()) / 1000:,.0f} KB" if len(text) > 5_000 else f"{len(text.encode())} B"
            print(f"  {name:32} {size:>8}  {status:4}  {seconds:5.2f} s  {cpu:4.2f} s  {first[:100]}")
    verdict = "PASS" if slowest < TARGET_S else "FAIL"
    print(f"slowest answer {slowest:.2f} s wall ({slowest_cpu:.2f} s CPU)  {verdict} (target < {TARGET_S:g} s wall)")


if __name__ == "__main__":
    main()
