"""Quantities of the workout language: each form that reads, and each that does not and why.

Durations are integer milliseconds; ``m`` is always metres; paces are seconds per km.
"""

import math

import pytest

from audiocoach.language.quantities import (
    Cadence,
    Distance,
    Pace,
    QuantityError,
    format_clock,
    format_distance,
    format_duration,
    format_pace,
    parse_cadence,
    parse_distance,
    parse_duration,
    parse_length,
    parse_level_db,
    parse_pace,
    parse_spm,
)
from audiocoach.language.templates import TemplateError, render_template, template_variables

# ---------------------------------------------------------------- durations


@pytest.mark.parametrize("written, ms", [
    ("45s", 45_000),
    ("10min", 600_000),
    ("1h", 3_600_000),
    ("1h30min", 5_400_000),
    ("1h 30min", 5_400_000),
    ("1min30s", 90_000),
    ("1:30", 90_000),
    ("0:45", 45_000),
    ("1:32.5", 92_500),
    ("1:02:00", 3_720_000),
    ("90:00", 5_400_000),
    (90, 90_000),                # a bare number is seconds
    ("90", 90_000),
    (1.5, 1_500),
    ("10 min", 600_000),
    ("90 sec", 90_000),
    ("2 minutes", 120_000),
    ("1 hour 15 minutes", 4_500_000),
    ("1.5h", 5_400_000),
    ("500ms", 500),
    ("0.25s", 250),
    ("10MIN", 600_000),
    ("  45s ", 45_000),
])
def test_duration_reads(written, ms):
    assert parse_duration(written) == ms


@pytest.mark.parametrize("written, message, hint", [
    ("10m", "10m is 10 metres, not a time", "did you mean 10min?"),
    ("1h30m", "m means metres", "did you mean 1h30min?"),
    ("-5s", "can't be negative", "e.g. 90s"),
    ("1:5", "not a clock time", "1:05"),
    ("1:75", "not a clock time", "two-digit"),
    ("abc", "'abc' is not a duration", "10min"),
    ("1h 30", "not a duration", "10min"),
    ("13h", "longer than 12 hours", "12h"),
    (None, "expected a duration, got nothing", "10min"),
    (True, "got true", "10min"),
    ([1], "got a list", "10min"),
    ("9" * 200, "characters long", "10min"),
])
def test_duration_errors(written, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_duration(written)
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_zero_duration_only_where_allowed():
    assert parse_duration("0s") == 0
    with pytest.raises(QuantityError, match="more than zero"):
        parse_duration("0s", allow_zero=False)


def test_quantity_error_is_a_value_error_whose_text_includes_the_hint():
    with pytest.raises(ValueError) as caught:
        parse_duration("10m")
    assert str(caught.value) == "10m is 10 metres, not a time — did you mean 10min?"


@pytest.mark.parametrize("ms, written", [
    (45_000, "45s"), (600_000, "10min"), (5_400_000, "1h30min"), (3_723_500, "1h2min3.5s"), (0, "0s"), (1, "0.001s"),
])
def test_duration_formats(ms, written):
    assert format_duration(ms) == written
    assert parse_duration(written) == ms


@pytest.mark.parametrize("ms, clock", [(92_000, "1:32"), (92_500, "1:32.5"), (3_720_000, "1:02:00"), (5_000, "0:05")])
def test_clock_formats(ms, clock):
    assert format_clock(ms) == clock
    assert parse_duration(clock) == ms


# ---------------------------------------------------------------- distances


@pytest.mark.parametrize("written, metres", [
    ("200m", 200), ("400 m", 400), ("1.5km", 1500), ("1mi", 1609.344), ("800 metres", 800),
    ("800 meters", 800), ("2 miles", 3218.688), ("5k", 5000), ("10 km", 10_000), ("marathon", 42195),
    ("half marathon", 21097.5), ("0.5 mile", 804.672), ("400M", 400),
])
def test_distance_reads(written, metres):
    distance = parse_distance(written)
    assert distance.metres == pytest.approx(metres)
    assert distance.text == written


@pytest.mark.parametrize("written, message, hint", [
    ("400", "needs a unit", "400m"),
    (400, "needs a unit", "400km"),
    ("-400m", "can't be negative", "400m"),
    ("0m", "more than zero", "400m"),
    ("400 yards", "not a distance", "1.5km"),
    ("2000km", "longer than 1000 km", "1000km"),
])
def test_distance_errors(written, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_distance(written)
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_distance_equality_ignores_how_it_was_written():
    assert parse_distance("1000m") == parse_distance("1 km") == Distance(1000.0)
    assert str(parse_distance("400 m")) == "400 m"
    assert format_distance(1500) == "1.5km" and format_distance(400) == "400m"


# ---------------------------------------------------------------- step lengths


@pytest.mark.parametrize("written, length", [
    ("10min", 600_000), ("90s", 90_000), ("1:30", 90_000), (90, 90_000),
    ("400m", Distance(400)), ("1.5km", Distance(1500)), ("50m", Distance(50)), ("1mi", Distance(1609.344)),
])
def test_length_is_a_duration_or_a_distance(written, length):
    assert parse_length(written) == length


@pytest.mark.parametrize("written, message, hint", [
    ("10m", "10m is 10 metres", "did you mean 10min?"),
    ("10 m", "10 m is 10 metres", "did you mean 10min?"),
    ("0.01km", "too short for a running step", "at least 50 m"),
    ("0s", "more than zero", "90s"),
    (0, "more than zero", "90s"),
    ("-400m", "can't be negative", "400m"),
    ("far", "not a duration or a distance", "10min"),
    ("1h30m", "m means metres", "1h30min"),
])
def test_length_errors(written, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_length(written)
    assert message in caught.value.message
    assert hint in caught.value.hint


# ---------------------------------------------------------------- paces


@pytest.mark.parametrize("written, seconds_per_km", [
    ("5:55/mi", 355 / 1.609344),
    ("3:40/km", 220),
    ("92s/400m", 230),
    ("1:32/400m", 230),
    ("4:00 /km", 240),
    ("4:00 / km", 240),
    ("5:30 min/km", 330),
    ("6:00 per mile", 360 / 1.609344),
    ("1:32.5/400m", 231.25),
    ("35s/200m", 175),
    ("2:20/km", 140),    # fastest allowed
    ("20:00/km", 1200),  # slowest allowed
    ("3:45/mi", 225 / 1.609344),
    ("32:11/mi", 1931 / 1.609344),
])
def test_pace_reads(written, seconds_per_km):
    pace = parse_pace(written)
    assert pace.seconds_per_km == pytest.approx(seconds_per_km)
    assert pace.text == written


def test_pace_gives_the_time_for_a_distance():
    pace = parse_pace("1:36/400m")
    assert pace.seconds_for(400) == pytest.approx(96)
    assert pace.ms_for(1000) == 240_000
    assert pace == Pace(240.0)


@pytest.mark.parametrize("written, message, hint", [
    ("tempo", "unknown pace name 'tempo'", "training zone (E, M, T, I, R)"),
    ("mile + quick", "'quick' is not an adjustment", "mile + 5%"),
    ("5:55", "not time per distance", "5:55/mi"),
    (330, "not time per distance", "3:40/km"),
    ("fast", "unknown pace name 'fast'", "6:40/mi"),
    ("5 a lap", "not time per distance", "1:32/400m"),
    ("1:00/km", "faster than anyone runs", "2:20/km"),
    ("30s/400m", "faster than anyone runs", "2:20/km"),
    ("30:00/km", "slower than a walk", "20:00/km"),
    ("1:5/km", "not a clock time", "1:05"),
    ("4:00/lap", "'lap' is not a distance", "3:40/km"),
    ("0s/km", "more than zero", "90s"),
])
def test_pace_errors(written, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_pace(written)
    assert message in caught.value.message
    assert hint in caught.value.hint


@pytest.mark.parametrize("seconds_per_km, per, written", [
    (220, "km", "3:40/km"), (230, "400m", "1:32/400m"), (355 / 1.609344, "mi", "5:55/mi"),
])
def test_pace_formats(seconds_per_km, per, written):
    assert format_pace(seconds_per_km, per) == written


# ---------------------------------------------------------------- cadence, levels


@pytest.mark.parametrize("written, cadence", [
    (170, Cadence(spm=170)), ("170", Cadence(spm=170)), ("170spm", Cadence(spm=170)), ("170 spm", Cadence(spm=170)),
    (172.5, Cadence(spm=172.5)), ("+6%", Cadence(percent=6)), ("-3%", Cadence(percent=-3)),
    ("+0%", Cadence(percent=0)), ("off", None), ("OFF", None), (False, None), (None, None),
])
def test_cadence_reads(written, cadence):
    assert parse_cadence(written) == cadence


@pytest.mark.parametrize("written, message, hint", [
    ("6%", "needs a sign", "+6% or -6%"),
    ("+40%", "more than ±30%", "5–10%"),
    (300, "outside 100–240", "150–190"),
    (60, "outside 100–240", "150–190"),
    ("fast", "not a cadence", "+6%"),
    (True, "got true", "off"),
])
def test_cadence_errors(written, message, hint):
    with pytest.raises(QuantityError) as caught:
        parse_cadence(written)
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_cadence_resolves_against_the_runner():
    assert parse_cadence("+6%").resolve(166) == pytest.approx(175.96)
    assert parse_cadence(170).resolve(None) == 170
    assert str(parse_cadence("-3%")) == "-3%" and str(parse_cadence("170spm")) == "170"
    with pytest.raises(ValueError):
        parse_cadence("+6%").resolve(None)


def test_runner_cadence_has_its_own_range():
    assert parse_spm("166spm", 120, 230) == 166
    with pytest.raises(QuantityError, match="outside 120–230"):
        parse_spm(110, 120, 230)


@pytest.mark.parametrize("written, db", [
    ("-12dB", -12), ("-12 dB", -12), (-12, -12), ("-6.5db", -6.5), ("+3dB", 3), (0, 0),
])
def test_level_reads(written, db):
    assert parse_level_db(written) == db


@pytest.mark.parametrize("written, message", [
    ("loud", "not a level"), ("-100dB", "outside -60 to +12 dB"), ("20dB", "outside"),
])
def test_level_errors(written, message):
    with pytest.raises(QuantityError) as caught:
        parse_level_db(written)
    assert message in caught.value.message


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("text, values, spoken", [
    ("Rep {rep} of {reps}.", {"rep": 3, "reps": 8}, "Rep 3 of 8."),
    ("Round {round} of {rounds}, set {rep}.", {"round": 1, "rounds": 2, "rep": 3}, "Round 1 of 2, set 3."),
    ("No variables.", {}, "No variables."),
    ("Braces {{like this}}", {}, "Braces {like this}"),
    ("{ rep }", {"rep": 2}, "2"),
])
def test_templates_render(text, values, spoken):
    assert render_template(text, values) == spoken


@pytest.mark.parametrize("text, message, hint", [
    ("Rep {repp}", "unknown template variable '{repp}'", "did you mean {rep}?"),
    ("Lap {lap}", "unknown template variable '{lap}'", "{rep}, {reps}, {round} and {rounds}"),
    ("Smile :}", "'}' without its partner", "{{ or }}"),
    ("{rep", "'{' without its partner", "{{ or }}"),
    ("{}", "unknown template variable '{}'", "{rep}"),
])
def test_template_errors(text, message, hint):
    with pytest.raises(TemplateError) as caught:
        template_variables(text)
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_template_needs_every_value():
    assert template_variables("Round {round}, rep {rep} of {reps}, {rep}") == ("round", "rep", "reps")
    with pytest.raises(TemplateError, match="no value for {round}"):
        render_template("Round {round}", {"rep": 1})


def test_formats_are_finite_and_exact():
    assert not math.isnan(parse_pace(format_pace(300.0)).seconds_per_km)
    assert parse_pace(format_pace(300.0)).seconds_per_km == 300.0
