"""Defaults and limits that more than one stage reads, each written once (stdlib only).

The language's models (language/model.py) and the mixer's MixSpec (audio/mixer.py) both take the
beat defaults from here, so a workout without `beats:` and a MixSpec built without them sound alike.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BEAT_SOUND", "BEAT_ACCENT_EVERY", "BEAT_LEVEL_DB", "BEAT_DUCK", "MAX_DURATION_MS"]

BEAT_SOUND: Final = "woodblock"  # chosen outdoors: make bench-outdoors
BEAT_ACCENT_EVERY = 0  # no accent
BEAT_LEVEL_DB = -18.0  # LU against the voice (BS.1770): see docs/workout-language.md, beats
BEAT_DUCK = True  # beats dip under speech by audio/ducking.py's DUCK_DB

# The longest duration anything may have: a step, a written time, and the whole workout once its
# repeats are unrolled. One limit: a step longer than the workout may be could never be built.
MAX_DURATION_MS = 12 * 3_600_000
