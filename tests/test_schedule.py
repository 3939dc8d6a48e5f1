"""The scheduler: speech never overlaps, stays in the track, and priority decides who gives way."""

from hypothesis import given, settings
from hypothesis import strategies as st

from audiocoach.coaching.cues import GAP_MS, PRIORITY, Candidate
from audiocoach.coaching.schedule import schedule

KINDS = sorted(PRIORITY)


def key(cue):
    return cue.kind, cue.text, cue.at_ms


def measure(text: str) -> int:
    """Speech length stand-in: 60 ms a character."""
    return 60 * len(text)


@st.composite
def candidate(draw, track_ms: int = 120_000):
    at = draw(st.integers(0, track_ms))
    slack = draw(st.integers(0, 20_000))
    text = draw(st.text("abcdefgh", min_size=1, max_size=60))
    return Candidate(draw(st.sampled_from(KINDS)), text, at, at - slack)


def fits(cue: Candidate, placed, track_ms: int) -> bool:
    """Whether some start in the cue's window is clear of every placed cue."""
    length = measure(cue.text)
    edges = [cue.at_ms] + [p.at_ms - GAP_MS - length for p in placed]
    for at in edges:
        if not (max(cue.earliest_ms, 0) <= at <= cue.at_ms and at + length <= track_ms):
            continue
        if all(at + length + GAP_MS <= p.at_ms or p.end_ms + GAP_MS <= at for p in placed):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(candidate(), max_size=40, unique_by=key))
def test_no_two_cues_overlap_and_all_lie_inside_the_track(cues):
    placed, dropped = schedule(cues, measure, 120_000)
    assert len(placed) + len(dropped) == len(cues)
    for a, b in zip(placed, placed[1:]):
        assert a.end_ms + GAP_MS <= b.at_ms
    for p in placed:
        assert 0 <= p.at_ms and p.end_ms <= 120_000
        assert p.end_ms - p.at_ms == measure(p.text)


@settings(max_examples=300, deadline=None)
@given(st.lists(candidate(), max_size=40, unique_by=key))
def test_cues_only_move_earlier_within_their_window(cues):
    placed, _ = schedule(cues, measure, 120_000)
    for p in placed:
        assert any(
            c.kind == p.kind and c.text == p.text and c.earliest_ms <= p.at_ms <= c.at_ms for c in cues
        )


@settings(max_examples=300, deadline=None)
@given(st.lists(candidate(), max_size=40, unique_by=key))
def test_nothing_is_dropped_for_something_of_lower_priority(cues):
    placed, dropped = schedule(cues, measure, 120_000)
    by_text = {key(c): c for c in cues}
    for d in dropped:
        cue = by_text[(d.kind, d.text, d.at_ms)]
        higher_or_equal = [p for p in placed if PRIORITY[p.kind] <= cue.priority]
        assert not fits(cue, higher_or_equal, 120_000), f"{d} could have been placed"


def test_a_colliding_cue_moves_earlier_and_says_why_when_it_cannot():
    count = Candidate("countdown", "3", 10_000, 10_000)
    halfway = Candidate("halfway", "Halfway.", 10_100, 8_000)
    prompt = Candidate("prompt", "Strong and smooth.", 10_200, 10_000)
    placed, dropped = schedule([prompt, halfway, count], measure, 60_000)
    assert [p.kind for p in placed] == ["halfway", "countdown"]
    assert placed[0].end_ms + GAP_MS == 10_000
    assert len(dropped) == 1 and dropped[0].kind == "prompt"
    assert "countdown" in dropped[0].reason
