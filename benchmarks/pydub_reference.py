"""The straightforward pydub way to make the same track — the reference the benchmark beats.

Each step is a silent `AudioSegment`; every beat and every cue that starts in the step is laid
on it with one `overlay` call (which copies the whole segment each time); the steps are then
concatenated with `+`. pydub's `export` needs ffmpeg, which this machine does not have, so the
raw samples are encoded with lameenc at the very settings audiocoach uses (see floor.py) —
export would only have added ffmpeg's time. Speech clips come from audiocoach's speech cache
(warm), beats from its beat synthesizer at the same level: only the mixing differs. Not done
here, for brevity: ducking beats under speech, the track's loudness gain; a cue that runs past
its step's end is cut there.

Run: python -m benchmarks.pydub_reference WORKOUT.yaml OUT.mp3
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

with warnings.catch_warnings():  # "Couldn't find ffmpeg" (never run) and audioop's deprecation
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

from audiocoach.audio.beats import beat_samples, beat_sound, level_gain
from audiocoach.audio.speech import SPEECH_LUFS
from audiocoach.pipeline import SAMPLE_RATE, plan_file, speech_for
from benchmarks.floor import encode_pcm


def segment(samples: np.ndarray) -> AudioSegment:
    """float32 mono samples as a 16-bit pydub segment."""
    pcm = np.rint(np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    return AudioSegment(data=pcm, sample_width=2, frame_rate=SAMPLE_RATE, channels=1)


def render(path: Path) -> AudioSegment:
    """The mixed track, one overlay per beat and per cue."""
    workout, plan = plan_file(path)
    speech = speech_for(workout)
    level = level_gain(workout.beats.sound, SAMPLE_RATE, SPEECH_LUFS + workout.beats.level)
    beat = segment(beat_sound(workout.beats.sound, SAMPLE_RATE) * level)
    track = AudioSegment.empty().set_frame_rate(SAMPLE_RATE)
    end_ms = 0
    for step in plan.steps:
        part = AudioSegment.silent(duration=step.duration_ms, frame_rate=SAMPLE_RATE)
        if step.cadence_spm is not None:
            start, end = (round(ms * SAMPLE_RATE / 1000) for ms in (step.start_ms, step.end_ms))
            for onset in beat_samples(start, end, step.cadence_spm, SAMPLE_RATE):
                part = part.overlay(beat, position=onset * 1000 / SAMPLE_RATE - step.start_ms)
        for cue in plan.cues:
            if step.start_ms <= cue.at_ms < step.end_ms:
                part = part.overlay(segment(speech.clip(cue.text)), position=cue.at_ms - step.start_ms)
        track += part
        end_ms = step.end_ms
    tail = AudioSegment.silent(duration=plan.duration_ms - end_ms, frame_rate=SAMPLE_RATE)  # the outro
    for cue in plan.cues:
        if cue.at_ms >= end_ms:
            tail = tail.overlay(segment(speech.clip(cue.text)), position=cue.at_ms - end_ms)
    return track + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workout", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    began = time.perf_counter()
    track = render(args.workout)
    mixed = time.perf_counter()
    args.output.write_bytes(encode_pcm([track.raw_data]))
    done = time.perf_counter()
    # One line of JSON for benchmarks.bench to read.
    print(f'{{"mix_s": {mixed - began:.3f}, "encode_s": {done - mixed:.3f}, "track_ms": {len(track)}}}')


if __name__ == "__main__":
    main()
