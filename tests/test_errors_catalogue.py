"""docs/errors.md is true: every entry's example, run as shown, gives exactly the line it documents.

Each entry is a `### title`, an optional ```yaml block (saved as workout.yaml), a ```console
block with the command and the `Error:` or `Warning:` line it prints, and the fix. Entries that
need a situation rather than a document (a full disk, a file in the way) name a setup in an
HTML comment, `<!-- setup: diskfull -->`, defined below.
"""

import errno
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from tests.device_files import write_device_files

CATALOGUE = Path(__file__).parent.parent / "docs" / "errors.md"
SHORT = "title: Short\nsteps:\n  - warmup: 3s\n    cadence: 160\n    say: Easy.\n"


@dataclass
class Entry:
    title: str
    document: str | None
    command: list[str]
    expected: str
    setup: str | None
    fix: str


def entries(text: str | None = None) -> list[Entry]:
    """The catalogue's entries, read from its markdown."""
    text = CATALOGUE.read_text(encoding="utf-8") if text is None else text
    found = []
    for section in text.split("\n### ")[1:]:
        title = section.split("\n", 1)[0]
        document = re.search(r"```yaml\n(.*?)```", section, re.S)
        console = re.search(r"```console\n\$ audiocoach (.*?)\n(.*?)\n```", section, re.S)
        setup = re.search(r"<!-- setup: (\w+) -->", section)
        fix = re.search(r"\*\*Fix:\*\* (.+)", section)
        assert console and fix, f"entry {title!r} needs a console block and a **Fix:** line"
        found.append(Entry(title, document[1] if document else None, console[1].split(), console[2],
                           setup[1] if setup else None, fix[1]))
    return found


# ---------------------------------------------------------------- situations


def _readonly(tmp: Path, monkeypatch) -> None:
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).name == "out":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    (tmp / "workout.yaml").write_text(SHORT)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def _diskfull(tmp: Path, monkeypatch) -> None:
    real = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real(fd, mode, *args, **kwargs)
        if "b" in mode and "w" in mode and "/out/" in os.readlink(f"/proc/self/fd/{fd}"):
            handle.write = _no_space
        return handle

    (tmp / "workout.yaml").write_text(SHORT)
    monkeypatch.setattr(os, "fdopen", fdopen)


def _no_space(data) -> int:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


SETUPS = {
    "latin1": lambda tmp, mp: (tmp / "workout.yaml").write_bytes(b"title: Caf\xe9 run\nsteps: [run: 30min]\n"),
    "huge": lambda tmp, mp: (tmp / "workout.yaml").write_text("title: Big\n#" + "x" * 1_100_000 + "\n"),
    "blocker": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT), (tmp / "blocker").write_text("a file")),
    "readonly": _readonly,
    "diskfull": _diskfull,
    "badcache": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT), (tmp / "cache").write_text("a file"),
                                 mp.setenv("AUDIOCOACH_CACHE", "cache")),  # relative to the folder it runs in
    "plain": lambda tmp, mp: (tmp / "workout.yaml").write_text(SHORT),
    "nodask": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT),
                               mp.setitem(sys.modules, "distributed", None)),  # import distributed: ImportError
    "notes": lambda tmp, mp: (tmp / "notes.txt").write_text("notes"),
    "devicefiles": lambda tmp, mp: write_device_files(tmp),  # tests/device_files.py: broken .fit, .zwo, .txt
    "fifo": lambda tmp, mp: os.mkfifo(tmp / "workout.yaml"),
    "badsong": lambda tmp, mp: (tmp / "song.mp3").write_bytes(b"\x00not audio\xff" * 400),
    "emptydir": lambda tmp, mp: (tmp / "empty").mkdir(),
    "twofolders": lambda tmp, mp: [((tmp / d).mkdir(), (tmp / d / "w.yaml").write_text(SHORT)) for d in ("d1", "d2")],
    "jsonfolder": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT),
                                   (tmp / "out" / "workout.json").mkdir(parents=True)),
    "programme": lambda tmp, mp: (tmp / "program.yaml").write_text(
        "program: Test\nstart: 2027-01-04\nweeks:\n"
        "  - sessions: [{day: tue, workout: workout.yaml, set: {reps: 0}}]\n"),
    "programmeday": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT), (tmp / "program.yaml").write_text(
        "program: Test\nstart: 2027-01-04\nweeks:\n  - sessions: [{day: tues, workout: workout.yaml}]\n")),
    "roster": lambda tmp, mp: ((tmp / "workout.yaml").write_text(SHORT),
                               (tmp / "roster.yaml").write_text("runners:\n  - {name: Sam, mile: '6:40'}\n"
                                                                "  - {mile: '5:50'}\n")),
}


def run_entry(entry: Entry, tmp: Path, monkeypatch) -> list[str]:
    """The entry's command run in `tmp` as documented; the lines it prints (stdout and stderr)."""
    if entry.document is not None:
        (tmp / "workout.yaml").write_text(entry.document, encoding="utf-8")
    if entry.setup:
        SETUPS[entry.setup](tmp, monkeypatch)
    monkeypatch.chdir(tmp)
    result = CliRunner().invoke(cli, entry.command)
    assert "Traceback" not in result.output and not isinstance(result.exception, (AssertionError, TypeError))
    return [normalise(line) for line in result.output.splitlines()]


def normalise(line: str) -> str:
    """Temporary file names differ from run to run."""
    return re.sub(r"\.workout\.[a-z0-9_]{8}\.tmp", ".workout.XXXXXXXX.tmp", line)


ENTRIES = entries()


def matches(expected: str, line: str) -> bool:
    """The line printed is the one documented; '…' in the catalogue stands for a part that varies."""
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, line) is not None


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.title for e in ENTRIES])
def test_each_entry_prints_what_the_catalogue_says(entry: Entry, tmp_path: Path, monkeypatch):
    lines = run_entry(entry, tmp_path, monkeypatch)
    assert any(matches(entry.expected, line) for line in lines), \
        f"{entry.title}: documented {entry.expected!r}, printed {lines}"


def test_a_wildcard_stands_for_a_varying_part_only():
    assert matches("Error: cannot write out/…: No space left on device — …",
                   "Error: cannot write out/workout.lrc: No space left on device — check the free space")
    assert not matches("Error: cannot write out/…: No space left on device — …",
                       "Error: cannot write out/workout.lrc: Permission denied — check the output folder")
    assert not matches("Error: unknown key 'a'", "Error: unknown key 'ab'")


def test_the_catalogue_is_broad():
    titles = {e.title for e in ENTRIES}
    assert len(ENTRIES) >= 60
    assert {"Unknown key", "An unknown voice", "A full disk", "A relative cadence without the runner's cadence",
            "An unknown phrase", "A folder where a file should be"} <= titles
    assert len(titles) == len(ENTRIES)  # one entry per title


# Messages that carry no hint (none so far); the catalogue's fix covers them.
HINTLESS: set[str] = set()


def test_every_entry_says_what_to_do():
    for entry in ENTRIES:
        assert entry.expected.startswith(("Error: ", "Warning: ")), entry.title
        assert " — " in entry.expected or entry.title in HINTLESS, f"{entry.title}: the message should carry a hint"
        assert len(entry.fix) > 10, entry.title


def test_the_parser_finds_a_broken_entry():
    broken = "# x\n\n### Broken\n\n```console\n$ audiocoach check w.yaml\nError: nothing\n```\n"
    with pytest.raises(AssertionError, match="needs a console block and a \\*\\*Fix:\\*\\* line"):
        entries(broken)
