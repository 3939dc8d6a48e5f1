"""What the coach says by itself, and how a workout tunes it: announce, phrases, rounds, prompts."""

import pytest

from audiocoach.coaching.phrases import NEUTRAL, PHRASES
from audiocoach.coaching.plan import make_plan
from audiocoach.coaching.prompt_pools import POOLS, prompt_order
from audiocoach.errors import WorkoutError
from audiocoach.language import parse_workout


def measure(text: str) -> int:
    return 55 * len(text)


def plan(text: str):
    return make_plan(parse_workout(text, "w.yaml"), measure)


def said(text: str, kind: str | None = None) -> list[str]:
    return [c.text for c in plan(text).cues if kind is None or c.kind == kind]


def voiced(text: str, kind: str | None = None) -> list[str]:
    return [c.spoken for c in plan(text).cues if kind is None or c.kind == kind]


INTERVALS = """
title: Test
{extra}
steps:
  - warmup: 5min
  - repeat: 3
    steps:
      - run: 2min
{step}
      - jog: 90s
  - cooldown: 5min
"""


def intervals(extra: str = "", step: str = "") -> str:
    return INTERVALS.format(extra=extra, step=step)


def test_by_default_every_kind_of_cue_is_said():
    kinds = {c.kind for c in plan(intervals()).cues}
    assert kinds == {"intro", "start", "next", "halfway", "remaining", "countdown", "go", "prompt", "outro"}


def test_announce_turns_cues_off_workout_wide():
    text = intervals("announce: {intro: false, outro: false, halfway: false, next: false}")
    kinds = {c.kind for c in plan(text).cues}
    assert not kinds & {"intro", "outro", "halfway", "next"}
    assert {"start", "countdown", "go"} <= kinds


def test_a_step_can_set_its_own_remaining_calls():
    result = plan(intervals(step="        announce: {remaining: [45s, 20s]}"))
    runs = {s.index: s for s in result.steps if s.kind == "run"}
    calls = [c for c in result.cues if c.kind == "remaining" and c.step_index in runs]
    assert [c.text for c in calls][:2] == ["45 seconds to go.", "20 seconds."]
    assert {c.at_ms for c in calls} == {s.end_ms - t for s in runs.values() for t in (45_000, 20_000)}


def test_countdown_length_comes_from_announce_or_the_step():
    assert said(intervals("announce: {countdown: 5}"), "countdown")[:5] == ["5", "4", "3", "2", "1"]
    no_count = said(intervals(step="        countdown: 0"), "go")
    assert "Go!" not in no_count and "Jog." in no_count


def test_without_a_preview_the_rep_start_gives_the_details():
    text = intervals("announce: {next: false}")
    starts = said(text, "start")
    assert "Rep 1 of 3, 2 minutes." in starts


def test_a_circuit_announces_its_rounds():
    circuit = """
title: Circuit
steps:
  - repeat: 2
    rest_between: 30s
    steps:
      - exercise: Plank
        time: 40s
      - rest: 15s
      - exercise: Lunges
        time: 40s
"""
    starts = said(circuit, "start")
    assert starts[0].startswith("Round 1 of 2. Plank")
    assert any(s.startswith("Round 2 of 2. Plank") for s in starts)
    quiet = said(circuit.replace("title: Circuit", "title: Circuit\nannounce: {rounds: false}"), "start")
    assert not any("Round" in s for s in quiet)


def test_eight_by_four_hundred_goes_in_reps_not_rounds():
    assert not any("Round" in s for s in said(intervals(), "start"))


def test_phrases_replace_what_the_coach_says():
    text = intervals('phrases: {go: "Now!", halfway: "Half done.", seconds: "{n} secs"}')
    cues = said(text)
    assert "Now!" in cues and "Half done." in cues and "Go!" not in cues
    assert "Jog, 90 secs." not in cues and any("90 secs" in c for c in cues)


@pytest.mark.parametrize("phrases, message, hint", [
    ("{halfwy: Half.}", "unknown phrase 'halfwy'", "did you mean 'halfway'?"),
    ('{remaining: "{secs} left."}', "phrase 'remaining' uses {secs}", "this phrase knows: {time}"),
    ('{remaining: "{time left."}', "phrase 'remaining' is not a valid template", "{{"),
    # user text never reaches str.format (issue 12): each of these took 1 GB, a traceback or a hang
    ('{cadence: "{spm:>999999999}"}', "'{spm:>999999999}' is not a plain placeholder", "write {spm}"),
    ('{cadence: "{spm:{spm.__class__.__mro__}}"}', "is not a valid template", "{{"),
    ('{cadence: "{spm:,.100000f}"}', "is not a plain placeholder", "write {spm}"),
    ('{cadence: "{spm!r} {spm.real} {spm[0]}"}', "is not a plain placeholder", "write {spm}"),
    ('{cadence: "{0}"}', "is not a plain placeholder", "a placeholder is a name in braces"),
])
def test_a_bad_phrase_is_a_located_error(phrases: str, message: str, hint: str):
    with pytest.raises(WorkoutError) as caught:
        plan(intervals(f"phrases: {phrases}"))
    err = caught.value
    assert err.file == "w.yaml" and err.line == 3 and message in err.message and hint in err.hint


def test_prompts_do_not_repeat_until_the_pool_is_used_up_and_rebuild_the_same():
    pool = POOLS["intervals"]
    order = prompt_order(pool, "Mile sharpener")
    first = [next(order) for _ in range(len(pool))]
    second = [next(order) for _ in range(len(pool))]
    assert sorted(first) == sorted(pool) == sorted(second) and first != second
    assert first[-1] != second[0]
    again = prompt_order(pool, "Mile sharpener")
    assert [next(again) for _ in range(len(pool))] == first


def test_prompts_are_only_said_in_work_steps_and_never_near_a_boundary():
    result = plan(intervals())
    steps = {s.index: s for s in result.steps}
    prompts = [c for c in result.cues if c.kind == "prompt"]
    assert prompts
    for cue in prompts:
        step = steps[cue.step_index]
        assert step.is_work and cue.end_ms <= step.end_ms - 15_000


def test_own_mantras_come_first_and_built_ins_can_be_turned_off():
    mine = "prompts: {mantras: [Strong and smooth.], builtin: false, every: 30s}"
    assert set(said(intervals(mine), "prompt")) == {"Strong and smooth."}
    assert said(intervals("prompts: {builtin: false}"), "prompt") == []


def test_a_voice_with_a_built_in_language_gets_prompts_in_it_and_another_gets_none():
    from audiocoach.coaching.packs.de import POOLS as GERMAN

    german = said(intervals("voice: {name: de}"), "prompt")
    assert german and set(german) <= set(GERMAN["run"])
    assert said(intervals("voice: {name: it}"), "prompt") == []


def test_the_last_rep_line_belongs_to_the_main_set():
    text = """
title: Two blocks
prompts: {last_rep: Empty the tank.}
steps:
  - repeat: 2
    steps: [{stride: 20s}, {walk: 40s}]
  - repeat: 4
    steps: [{run: 2min}, {jog: 1min}]
"""
    starts = said(text, "start")
    assert sum("Empty the tank." in s for s in starts) == 1
    assert any(s.endswith("Last one.") for s in starts)


def test_the_intro_does_not_repeat_what_the_title_says():
    assert said(intervals(), "intro") == ["Test. 3 by 2 minutes, about 20 minutes."]
    titled = intervals().replace("title: Test", "title: Test — 3 × 2 min")
    assert said(titled, "intro") == ["Test — 3 × 2 min. About 20 minutes."]  # written, for the cue sheet
    assert voiced(titled, "intro") == ["Test — 3 by 2 minutes. About 20 minutes."]  # what the voice says
    other = intervals().replace("title: Test", "title: Test — 13 × 2 min")
    assert voiced(other, "intro") == ["Test — 13 by 2 minutes. 3 by 2 minutes, about 20 minutes."]


def test_the_voice_is_measured_on_the_spoken_form():
    cue = next(c for c in plan(intervals().replace("title: Test", "title: 3 × 2 min")).cues if c.kind == "intro")
    assert cue.text.startswith("3 × 2 min.") and cue.spoken.startswith("3 by 2 minutes.")
    assert cue.end_ms - cue.at_ms == measure(cue.spoken)


def test_pronounce_changes_what_is_said_not_what_is_written():
    text = intervals("pronounce: {Siobhan: Shivawn}\nprompts: {mantras: [Go Siobhan.], builtin: false, every: 30s}")
    cues = [c for c in plan(text).cues if c.kind == "prompt"]
    assert cues and all(c.text == "Go Siobhan." and c.spoken == "Go Shivawn." for c in cues)


@pytest.mark.parametrize("pronounce, message", [
    ('{"": x}', "must not be empty"),
    ("{" + ", ".join(f"w{i}: x" for i in range(101)) + "}", "pronounce is too long"),  # at most 100 entries
    ("{" + "a" * 61 + ": x}", "is too long"),  # keys up to 60 characters
])
def test_a_bad_pronounce_is_a_located_error(pronounce: str, message: str):
    with pytest.raises(WorkoutError) as caught:
        plan(intervals(f"pronounce: {pronounce}"))
    assert caught.value.file == "w.yaml" and caught.value.line == 3 and message in str(caught.value)


@pytest.mark.parametrize("name", ["bergsprints-de", "progresivos-es", "cotes-fr"])
def test_the_german_spanish_and_french_examples_need_no_phrases_and_check_without_warning(name: str):
    from pathlib import Path

    from audiocoach.coaching.advice import plan_without_audio, warnings
    from audiocoach.language import load_workout

    workout = load_workout(Path(__file__).parent.parent / "workouts" / f"{name}.yaml")
    assert workout.phrases == {}
    assert warnings(workout, plan_without_audio(workout)) == []
    english = {text for key, text in PHRASES.items() if key not in NEUTRAL}  # digits are said in every language
    assert not [c.text for c in plan_without_audio(workout).cues if c.text in english]


def test_chapter_titles_speak_the_voice_language():
    from audiocoach.output.chapters import chapters

    circuit = """
title: Zirkel
voice: {name: de}
steps:
  - repeat: 2
    steps: [{exercise: Plank, time: 30s}, {exercise: Squats, time: 30s}, {rest: 15s}]
"""
    assert [c.title for c in chapters(plan(circuit))][:2] == ["Runde 1 von 2", "Runde 2 von 2"]


def test_the_mixer_gets_the_spoken_form_and_the_sidecars_the_written_one():
    from audiocoach.output.sidecars import lrc
    from audiocoach.pipeline import mix_spec

    text = intervals("", "        say: Hold 4:48 per km.")
    workout = parse_workout(text, "w.yaml")
    result = make_plan(workout, measure)
    events = [e.text for e in mix_spec(result, workout).speech]
    assert events == [c.spoken for c in result.cues]
    assert any("Hold 4 minutes 48 per kilometre." in e for e in events)
    assert "Hold 4:48 per km." in lrc(result, "Coach") and "4 minutes 48" not in lrc(result, "Coach")
