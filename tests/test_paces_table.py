"""The paces table ``audiocoach paces --mile 6:40`` prints.

The golden values were checked by eye against Daniels' numbers (see tests/test_vdot.py for the
sources): a 6:40 mile lies between the race table's VDOT 40 (7:07) and VDOT 45 rows, at 43.0;
its 5k 22:39 and marathon 3:36:10 lie between those rows' 24:08/21:50 and 3:49:45/3:28:26; its
T 7:44/mi and I 7:07/mi lie between the calculator's T and I for a 3:45 marathon (VDOT 41.0:
8:02, 7:24) and a 3:30 marathon (VDOT 44.6: 7:31, 6:55); R is I less 6 s per 400 m.
"""

from __future__ import annotations

import re

import pytest

from audiocoach.running.table import clock, paces_table
from audiocoach.running.vdot import RACES, profile

GOLDEN_MILE_6_40 = """\
VDOT 43.0, from mile 6:40

Race predictions         time    per mile      per km
  Mile                   6:40        6:40        4:09
  5k                    22:39        7:18        4:32
  10k                   46:59        7:34        4:42
  Half marathon       1:44:10        7:57        4:56
  Marathon            3:36:10        8:15        5:07

Training paces       per mile      per km    per 400m
  E  Easy          9:17-10:13   5:46-6:21   2:18-2:32
  M  Marathon            8:15        5:07        2:03
  T  Threshold           7:44        4:48        1:55
  I  Interval            7:07        4:25        1:46
  R  Repetition          6:43        4:10        1:40
"""


def test_golden_table_for_a_6_40_mile():
    assert paces_table(profile(RACES["mile"], 400, "mile 6:40")) == GOLDEN_MILE_6_40


@pytest.mark.parametrize("metres, seconds, source", [
    (RACES["mile"], 400, "mile 6:40"),
    (RACES["marathon"], 6 * 3600, "marathon 6:00:00"),
    (RACES["5k"], 13 * 60, "5k 13:00"),
    (RACES["half"], 5400, "half 1:30:00"),
])
def test_columns_are_aligned_and_times_are_whole_seconds(metres, seconds, source):
    lines = paces_table(profile(metres, seconds, source)).splitlines()
    assert lines[0].startswith("VDOT ") and lines[0].endswith(f"from {source}")
    body = [line for line in lines[2:] if line]
    assert len(body) == 12  # two headings, five races, five zones
    # Every row ends at the same column (values are right-aligned in shared columns) ...
    assert len({len(line) for line in body}) == 1
    # ... and the label column is the same width in both tables.
    starts = {len(line) - len(line[2:].lstrip()) for line in body if line.startswith("  ")}
    assert starts == {2}
    assert not any("." in line for line in lines[1:])  # no fractions of a second
    times = re.findall(r"\d+(?::\d\d)+", "\n".join(lines[1:]))
    assert len(times) == 5 * 3 + 3 * 2 + 4 * 3
    assert all(re.fullmatch(r"(\d{1,2}:\d\d|\d+:\d\d:\d\d)", t) for t in times)


def test_a_3_00_marathon_shows_daniels_calculator_paces():
    # Daniels' calculator for a 3:00:00 marathon (see tests/test_vdot.py): E 7:48-8:36/mi,
    # M 6:52/mi, T 6:29/mi, I 5:58/mi and 1:29 per 400 m.
    text = paces_table(profile(RACES["marathon"], 3 * 3600, "marathon 3:00:00"))
    assert text.startswith("VDOT 53.5, from marathon 3:00:00\n")
    rows = {line.split()[0]: line.split()[2:] for line in text.splitlines() if re.match(r"  [EMTIR]  ", line)}
    assert rows["E"][0] == "7:48-8:36"
    assert rows["M"][0] == "6:52"
    assert rows["T"][0] == "6:29"
    assert rows["I"] == ["5:58", "3:42", "1:29"]
    assert re.search(r"^  Marathon +3:00:00 +6:52 +4:16$", text, re.MULTILINE)


@pytest.mark.parametrize("seconds, text", [
    (0, "0:00"), (59.4, "0:59"), (59.5, "1:00"), (58.5, "0:59"), (400, "6:40"),
    (3599.5, "1:00:00"), (3725, "1:02:05"), (36000, "10:00:00"),
])
def test_clock_rounds_to_the_second(seconds, text):
    assert clock(seconds) == text
