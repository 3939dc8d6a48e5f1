"""Time speaking a workout's distinct phrases alone, in the build's own process pool.

Run: python -m benchmarks.phrases WORKOUT.yaml — with AUDIOCOACH_CACHE pointing at an empty
folder. Loads the workout and collects its phrases (not timed), then times only Speech.prepare:
the synthesis a cold build cannot avoid. Prints JSON: phrases, seconds, engine.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from audiocoach.coaching.spoken import phrases_to_speak
from audiocoach.language import load_workout
from audiocoach.pipeline import speech_for


def main() -> None:
    workout = load_workout(Path(sys.argv[1]))
    speech = speech_for(workout)
    phrases = phrases_to_speak(workout)
    began = time.perf_counter()
    speech.prepare(phrases)
    seconds = time.perf_counter() - began
    print(json.dumps({"phrases": len(phrases), "seconds": round(seconds, 3), "engine": speech.voice.engine}))


if __name__ == "__main__":
    main()
