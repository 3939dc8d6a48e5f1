"""The intelligibility benchmark's own rules, without Whisper: word normal form and matching,
cue windows against a plan, scoring of timed words, and assembling the model from its halves."""

import json
from pathlib import Path

import numpy as np
import pytest

from audiocoach.audio.encoder import write_mp3
from audiocoach.audio.loudness import integrated_loudness
from audiocoach.coaching.advice import estimated_measure
from audiocoach.coaching.plan import make_plan
from audiocoach.language import load_workout
from benchmarks.intelligibility import (
    LEAD_S,
    MAX_PAUSE_S,
    MAX_WINDOW_S,
    TAIL_S,
    Cue,
    Window,
    cues_of,
    score_window,
    summary,
    windows,
)
from benchmarks.recognizer import TIMESTAMPS, Word, assemble, vocabulary
from benchmarks.voice import listen
from benchmarks.words import alignment, matched, normal_words

EXAMPLES = Path(__file__).parent.parent / "workouts"

NORMAL = [  # written (a cue, or what Whisper wrote) → normal form
    ("Rep 5 of 10.", "rep 5 of 10"),
    ("Rep five of ten", "rep 5 of 10"),
    ("Cadence 180", "cadence 180"),
    ("one hundred and eighty", "180"),
    ("One hundred eighty", "180"),
    ("twenty-four", "24"),
    ("four forty-eight per kilometer", "4 48 per kilometres"),
    ("Hold 4:48 per km.", "hold 4 48 per kilometres"),
    ("4.48", "4 48"),
    ("two point five", "2 5"),
    ("24:00", "24 0"),
    ("3 × 400m @ 5k pace", "3 x 400 metres at 5 k pace"),
    ("Three by 400 meters at 5K pace", "3 x 400 metres at 5 k pace"),
    ("Stand by", "stand by"),  # "by" is only "×" between numbers
    ("10 mins w/ 2 min jog", "10 minutes with 2 minutes jog"),
    ("7/10 effort", "7 10 effort"),
    ("1st rep, 2nd of 3", "first rep second of 3"),
    ("the 200s", "the 200"),
    ("1,000 metres", "1000 metres"),
    ("Don't stop. Cool-down!", "dont stop cool down"),
    ("Rest. 15 seconds. Next: Bird dog, 50 seconds.", "rest 15 seconds next bird dog 50 seconds"),
    ("three two one go", "3 2 1 go"),
    ("Zwei Minuten, locker.", "zwei minuten locker"),
]


@pytest.mark.parametrize(("text", "normal"), NORMAL)
def test_normal_form(text, normal):
    assert " ".join(normal_words(text)) == normal


@pytest.mark.parametrize(("said", "heard", "count"), [
    ("Rep 5 of 10", "Rep five of ten.", 4),
    ("Rep 5 of 10", "Rep 510", 1),  # the mishearing: the numbers are lost
    ("Cadence 180", "K even 100 baby", 0),
    ("Switch sides.", "Which I'd", 0),
    ("Brace your core", "Race your car", 1),
    ("Easy cool-down now", "easy cooldown now", 4),  # two written words heard as one
    ("Easy cooldown now", "easy cool down now", 3),  # and one as two
    ("Strong and smooth", "smooth and strong", 1),  # in order only
])
def test_words_matched(said, heard, count):
    assert matched(normal_words(said), normal_words(heard)) == count


def test_alignment_pairs_each_expected_word_once():
    assert alignment(["a", "b", "c"], ["x", "c", "a", "b"]) == [(0, 2), (1, 3)]
    assert alignment(["a", "a"], ["a"]) == [(0, 0)]


def _plan(name: str) -> dict:
    workout = load_workout(EXAMPLES / f"{name}.yaml")
    return make_plan(workout, estimated_measure(workout.voice.rate)).to_json()


@pytest.mark.parametrize("name", ["core-circuit", "mile-400s"])
def test_windows_hold_every_cue_once_whole_and_no_other(name):
    plan = _plan(name)
    cues = cues_of(plan)
    found = windows(cues, plan["duration_s"])
    assert [i for w in found for i in w.cues] == list(range(len(cues)))
    for w in found:
        others = [c for i, c in enumerate(cues) if i not in w.cues]
        assert all(c.end <= w.start or c.at >= w.end for c in others)  # no speech of another window's cue
        first, last = cues[w.cues[0]], cues[w.cues[-1]]
        assert w.start <= first.at and w.end >= last.end  # every cue heard whole
        assert w.start >= first.at - LEAD_S - 1e-9 and w.end <= last.end + TAIL_S + 1e-9
        assert len(w.cues) == 1 or w.end - w.start <= MAX_WINDOW_S
        assert all(cues[j].at - cues[i].end <= MAX_PAUSE_S for i, j in zip(w.cues, w.cues[1:]))
    assert len(found) < len(cues) / 2  # cues close together share a window (countdowns, "Go!", the step's intro)


def test_window_stops_before_the_next_windows_speech():
    cues = [Cue(0.0, 2.0, "one"), Cue(29.0, 31.0, "two"), Cue(31.5, 33.0, "three")]
    assert windows(cues, 40.0) == [Window(0.0, 2.0 + TAIL_S, (0,)), Window(29.0 - LEAD_S, 35.0, (1, 2))]
    close = [Cue(0.0, 2.0, "one"), Cue(28.6, 29.0, "two")]
    assert windows(close, 40.0)[0].end == 2.0 + TAIL_S
    pause = [Cue(0.0, 1.0, "one"), Cue(8.5, 9.0, "two"), Cue(17.5, 18.0, "three")]
    assert [w.cues for w in windows(pause, 40.0)] == [(0, 1), (2,)]  # 7.5 s of silence joins, 8.5 s splits
    tight = [Cue(0.0, 27.0, "long"), Cue(28.0, 29.0, "next")]
    assert windows(tight, 40.0) == [Window(0.0, 28.0, (0,)), Window(27.5, 31.0, (1,))]


def _heard(*words: tuple[str, float]) -> list[Word]:
    return [Word(text, at, at + 0.3) for text, at in words]


def test_close_cues_keep_their_own_words():
    cues = [Cue(10.0, 10.3, "3"), Cue(11.0, 11.3, "2"), Cue(12.0, 12.3, "1"), Cue(13.0, 13.3, "Go!")]
    window = windows(cues, 60.0)[0]
    scores = score_window(cues, window, _heard(("three,", 10.0), ("two,", 11.0), ("one,", 12.0), ("go!", 13.0)))
    assert [(s.heard, s.words) for s in scores] == [(1, 1)] * 4
    missing_two = score_window(cues, window, _heard(("3", 10.0), ("1", 12.0), ("go", 13.0)))
    assert [s.is_heard for s in missing_two] == [True, False, True, True]


def test_words_count_only_within_two_seconds_of_the_cue():
    cues = [Cue(10.0, 12.0, "Rep 5 of 10. Quick turnover."), Cue(30.0, 31.0, "Go!")]
    window = Window(0.0, 40.0, (0, 1))
    words = "Rep five of ten, quick turnover.".split()
    on_time = score_window(cues, window, [Word(w, 10.0 + i * 0.3, 10.3 + i * 0.3) for i, w in enumerate(words)])
    late = score_window(cues, window, [Word(w, 13.5 + i * 0.3, 13.8 + i * 0.3) for i, w in enumerate(words)])
    assert (on_time[0].heard, on_time[0].words, on_time[0].is_heard) == (6, 6, True)
    assert late[0].heard == 2 and not late[0].is_heard  # "rep five" start 1.5 and 1.8 s after its end, "of" 2.1 s
    assert not on_time[1].is_heard


def test_a_cue_is_heard_at_sixty_percent_of_its_words():
    cues = [Cue(0.0, 2.0, "one two three four five")]
    window = Window(0.0, 4.0, (0,))
    three = score_window(cues, window, _heard(("one", 0.1), ("two", 0.5), ("three", 1.0)))
    two = score_window(cues, window, _heard(("one", 0.1), ("two", 0.5)))
    assert three[0].is_heard and not two[0].is_heard
    total = summary(three + two)
    assert (total.cues, total.cues_heard, total.words, total.words_heard) == (2, 1, 10, 5)
    assert total.cue_share == 0.5 and total.word_share == 0.5


def _fake_parts(tmp_path: Path) -> tuple[Path, Path, dict]:
    part1, part2 = tmp_path / "p1", tmp_path / "p2"
    part1.mkdir()
    part2.mkdir()
    (part1 / "model.bin.part1").write_bytes(b"\x00first half\xff")
    (part2 / "model.bin.part2").write_bytes(b"second half\x00")
    (part1 / "config.json").write_text('{"lang_ids": [3]}')
    tokenizer = {"model": {"vocab": {"a": 0, "Ġb": 1, "<|endoftext|>": 2}},
                 "added_tokens": [{"id": 2, "content": "<|endoftext|>"}, {"id": 3, "content": "<|en|>"}]}
    (part1 / "tokenizer.json").write_text(json.dumps(tokenizer))
    return part1, part2, tokenizer


def test_model_assembled_from_its_two_halves(tmp_path):
    part1, part2, tokenizer = _fake_parts(tmp_path)
    model = assemble(part1, part2, tmp_path / "cache" / "model")
    assert (model / "model.bin").read_bytes() == b"\x00first half\xffsecond half\x00"
    assert (model / "config.json").read_text() == '{"lang_ids": [3]}'
    assert json.loads((model / "tokenizer.json").read_text()) == tokenizer
    tokens = json.loads((model / "vocabulary.json").read_text())
    assert tokens[:4] == ["a", "Ġb", "<|endoftext|>", "<|en|>"]
    assert tokens[4:] == [f"<|{i / 50:.2f}|>" for i in range(TIMESTAMPS)]
    assert tokens[4] == "<|0.00|>" and tokens[-1] == "<|30.00|>" and len(tokens) == 4 + 1501
    assert sorted(p.name for p in model.parent.iterdir()) == ["model"]  # no staging folder left


def test_model_assembly_kept_when_complete_and_redone_when_not(tmp_path):
    part1, part2, _ = _fake_parts(tmp_path)
    target = tmp_path / "model"
    assemble(part1, part2, target)
    (target / "model.bin").write_bytes(b"kept")
    assemble(part1, part2, target)
    assert (target / "model.bin").read_bytes() == b"kept"  # complete: not rebuilt
    (target / "vocabulary.json").unlink()  # an interrupted or damaged folder
    assemble(part1, part2, target)
    assert (target / "model.bin").read_bytes() == b"\x00first half\xffsecond half\x00"


def test_vocabulary_refuses_a_gap_in_token_ids():
    with pytest.raises(ValueError, match="contiguous"):
        vocabulary({"model": {"vocab": {"a": 0, "b": 2}}, "added_tokens": []})


class _Listener:
    """Stands in for Whisper: hears a 440 Hz tone as "Rep 5 of 10" where the clip is loud enough,
    and keeps the clips it was given."""

    def __init__(self):
        self.clips = []

    def words(self, audio, language="en"):
        self.clips.append((audio, language))
        loud = np.flatnonzero(np.abs(audio) > 0.05)
        if not len(loud):
            return []
        start = loud[0] / 16_000
        return [Word(w, start, start + 1.0) for w in "Rep five of ten.".split()]


def _track(tmp_path: Path) -> Path:
    """An MP3 with a 1 s tone at 2 s and at 40 s, and its plan: cues there saying "Rep 5 of 10"."""
    rate = 44_100
    samples = np.zeros(rate * 45, dtype=np.float32)
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate).astype(np.float32)
    for at in (2, 40):
        samples[at * rate:(at + 1) * rate] = tone
    mp3 = tmp_path / "t.mp3"
    write_mp3([samples], mp3, sample_rate=rate)
    cues = [{"at_s": at, "end_s": at + 1.0, "kind": "cue", "text": "Rep 5 of 10."} for at in (2.0, 40.0)]
    mp3.with_suffix(".json").write_text(json.dumps({"duration_s": 45.0, "cues": cues}))
    return mp3


def test_listen_decodes_the_track_and_hears_only_cue_windows(tmp_path):
    listener = _Listener()
    scores = listen(_track(tmp_path), listener, "en")
    assert [(s.cue.at, s.heard, s.words, s.is_heard) for s in scores] == [(2.0, 4, 4, True), (40.0, 4, 4, True)]
    assert [round(len(a) / 16_000, 1) for a, _ in listener.clips] == [3.5, 3.5]  # 0.5 s before, 2 s after


def test_listen_with_noise_adds_it_under_the_voice(tmp_path):
    quiet, noisy = _Listener(), _Listener()
    listen(_track(tmp_path), quiet, "en")
    listen(_track(tmp_path), noisy, "en", noise="brown")
    before, after = quiet.clips[0][0], noisy.clips[0][0]
    added = after - before
    assert np.all(np.abs(added[:4000]) > 0) or np.sqrt(np.mean(added[:4000] ** 2)) > 1e-4  # noise in the silence too
    tone = before[8000:8000 + 16_000]  # the cue's 1 s of "speech" (the clip starts 0.5 s before it)
    under = integrated_loudness(tone, 16_000) - integrated_loudness(added, 16_000)
    assert abs(under - 12.0) < 1.0  # 12 LU under the voice
