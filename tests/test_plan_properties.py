"""Invariants of every plan, over generated workouts: one clock, no overlapping speech, go on the boundary."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from audiocoach.coaching.cues import GAP_MS, PRIORITY, PROMPT_CLEARANCE_MS
from audiocoach.coaching.plan import make_plan
from audiocoach.language import parse_workout


def measure(text: str) -> int:
    """Speech length stand-in: 55 ms a character, like espeak at 175 words a minute."""
    return 55 * len(text)


seconds = st.integers(5, 400).map(lambda s: f"{s}s")
cadence = st.one_of(st.none(), st.integers(150, 190), st.sampled_from(["+5%", "-3%", "off"]))
pace = st.one_of(st.integers(70, 110).map(lambda s: f"{s}s/400m"),
                st.sampled_from(["mile", "mile - 3s/400m", "5k + 10s/mi", "T", "I + 2%", "R", "half"]))
say = st.one_of(st.none(), st.sampled_from(["Quick turnover.", "Relax.", "Rep {rep} of {reps}."]))


@st.composite
def simple_step(draw, in_repeat: bool):
    if draw(st.booleans()):
        step = {"exercise": draw(st.sampled_from(["Plank", "Side plank", "Lunges"])), "time": draw(seconds)}
        if draw(st.booleans()):
            step["sides"] = True
    elif draw(st.booleans()):
        metres = draw(st.integers(100, 1600))
        step = {draw(st.sampled_from(["run", "stride", "hill"])): f"{metres}m", "pace": draw(pace)}
        if draw(st.booleans()):
            step["splits"] = f"{draw(st.integers(max(50, metres // 90), metres - 1))}m"
    else:
        step = {draw(st.sampled_from(["warmup", "run", "jog", "walk", "rest", "cooldown"])): draw(seconds)}
    for key, strategy in [("cadence", cadence), ("countdown", st.none() | st.integers(0, 5)),
                          ("announce", st.none() | announce(step=True))]:
        value = draw(strategy)
        if value is not None:
            step[key] = value
    text = draw(say)
    if text and (in_repeat or "{" not in text):
        step["say"] = text
    if draw(st.booleans()):
        step["cues"] = draw(st.lists(st.sampled_from(["Tall posture.", "Loose hands."]), max_size=2))
    return step


@st.composite
def announce(draw, step: bool = False):
    """Some `announce:` settings: switches on or off, other remaining calls, another countdown."""
    keys = ["start", "next", "halfway", "switch", "rounds", "last_rep"] + ([] if step else ["intro", "outro"])
    chosen = {key: draw(st.booleans()) for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))}
    if draw(st.booleans()):
        chosen["remaining"] = [f"{s}s" for s in draw(st.lists(st.integers(5, 90), max_size=3))]
    if draw(st.booleans()):
        chosen["countdown"] = draw(st.integers(0, 10))
    return chosen


@st.composite
def workout(draw):
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            body = draw(st.lists(simple_step(True), min_size=1, max_size=3))
            steps.append({"repeat": draw(st.integers(1, 4)), "steps": body})
        else:
            steps.append(draw(simple_step(False)))
    doc = {"title": "Generated", "runner": {"cadence": 170, "mile": "6:40"}, "announce": draw(announce()),
           "steps": steps}
    if draw(st.booleans()):
        doc["prompts"] = {"mantras": ["Strong and smooth.", "Quick light steps."], "every": "30s"}
    return yaml.safe_dump(doc, sort_keys=False)


@settings(max_examples=150, deadline=None)
@given(workout())
def test_every_plan_keeps_its_invariants(text: str):
    workout = parse_workout(text)
    plan = make_plan(workout, measure)
    steps = plan.steps
    assert steps[0].start_ms == 0
    assert all(a.end_ms == b.start_ms for a, b in zip(steps, steps[1:]))
    assert all(s.end_ms > s.start_ms for s in steps)
    assert sum(s.duration_ms for s in steps) == steps[-1].end_ms <= plan.duration_ms
    cues = plan.cues
    assert all(a.end_ms + GAP_MS <= b.at_ms for a, b in zip(cues, cues[1:])), "speech overlaps"
    assert all(0 <= c.at_ms and c.end_ms <= plan.duration_ms for c in cues)
    assert all(c.end_ms - c.at_ms == measure(c.spoken) for c in cues)  # the voice says the spoken form
    boundaries = {s.start_ms for s in steps}
    assert all(c.at_ms in boundaries for c in cues if c.kind == "go"), "a go word off its boundary"
    kinds = [c.kind for c in cues]
    assert (kinds[:1] == ["intro"]) == (workout.announce.intro is not False)
    assert (kinds[-1:] == ["outro"]) == (workout.announce.outro is not False)
    marks = {s.start_ms + offset for s in steps for offset, _ in s.splits}
    assert all(c.at_ms in marks for c in cues if c.kind == "split"), "a split call off its mark"
    switch = [c for c in cues if c.kind == "switch"]
    assert all(any(s.sides and c.at_ms == s.start_ms + s.duration_ms // 2 for s in steps) for c in switch)


@settings(max_examples=150, deadline=None)
@given(workout())
def test_nothing_is_dropped_for_something_of_lower_priority(text: str):
    """A dropped cue had no room even among the cues of its own priority or higher."""
    plan = make_plan(parse_workout(text), measure)
    for dropped in plan.dropped:
        length = measure(dropped.spoken)  # the voice's form is what needed the room
        gap = GAP_MS + (PROMPT_CLEARANCE_MS if dropped.kind == "prompt" else 0)  # a prompt keeps quiet around it
        rivals = [c for c in plan.cues if PRIORITY[c.kind] <= PRIORITY[dropped.kind]]
        starts = [dropped.at_ms, plan.duration_ms - length] + [c.at_ms - gap - length for c in rivals]
        for at in starts:
            if not (max(dropped.earliest_ms, 0) <= at <= dropped.at_ms and at + length <= plan.duration_ms):
                continue
            clear = all(at + length + gap <= c.at_ms or c.end_ms + gap <= at for c in rivals)
            assert not clear, f"{dropped.kind} {dropped.text!r} fitted at {at} ms but was dropped"
