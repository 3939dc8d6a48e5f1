"""audiocoach.units: one rounding rule for every clock shown, the race table, the mile."""

import pytest

from audiocoach.units import (
    MILE_M,
    RACE_ALIASES,
    RACE_METRES,
    clock,
    clock_seconds,
    lrc_time,
    nearest,
    race_key,
    whole_seconds,
)


@pytest.mark.parametrize("ms, decimals, text", [
    (0, 0, "0:00"), (499, 0, "0:00"), (500, 0, "0:01"), (1500, 0, "0:02"), (2500, 0, "0:03"),  # halves up, not to even
    (59_500, 0, "1:00"), (3_599_500, 0, "1:00:00"), (3_600_000, 0, "1:00:00"), (36_000_000, 0, "10:00:00"),
    (1_536_450, 1, "25:36.5"), (1_536_449, 1, "25:36.4"), (2_250, 1, "0:02.3"), (61_999, 2, "1:02.00"),
])
def test_clock_rounds_to_the_nearest_unit_shown_halves_up(ms, decimals, text):
    assert clock(ms, decimals) == text


def test_clock_in_seconds_follows_the_same_rule():
    assert [clock_seconds(s) for s in (0.5, 1.5, 2.5, 399.49, 3599.5)] == ["0:01", "0:02", "0:03", "6:39", "1:00:00"]
    assert clock_seconds(223.125, 2) == "3:43.13"
    assert [nearest(x) for x in (0.5, 1.5, 2.5, -0.5, 2.49)] == [1, 2, 3, 0, 2]
    assert [whole_seconds(ms) for ms in (0, 499, 500, 1500, 2500)] == [0, 0, 1, 2, 3]


def test_an_lrc_stamp_is_cut_so_a_line_never_shows_before_its_words():
    assert [lrc_time(ms) for ms in (0, 9, 1_999, 61_005, 6_000_000)] == \
        ["00:00.00", "00:00.00", "00:01.99", "01:01.00", "100:00.00"]


def test_one_race_table_with_aliases_that_all_resolve():
    assert MILE_M == RACE_METRES["mile"] == 1609.344
    assert all(target in RACE_METRES for target in RACE_ALIASES.values())
    assert [race_key(t) for t in ("5K", " Half  Marathon ", "hm", "1500", "3000m", "mile", "10 k", "")] == \
        ["5k", "half", "half", "1500m", "3k", "mile", None, None]
