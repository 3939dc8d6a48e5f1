"""The MP3 settings `build --size` offers (mono, CBR), measured on decoded audio by benchmarks/sizes.py.

No imports beyond the standard library: the CLI reads these before it knows whether anything
needs building (an up-to-date build loads neither numpy nor LAME).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """A sample rate and bitrate, and what a track then weighs."""

    sample_rate: int
    bitrate_kbps: int

    @property
    def mb_per_hour(self) -> float:
        return self.bitrate_kbps * 1000 / 8 * 3600 / 1e6


# Measured (README, "Files sized for phones"): below 96 kb/s at 44.1 or 22.05 kHz, MP3 coding noise
# lifts the true peak over -1 dBTP; at 16 kHz the bits go to the band speech and beats use, and
# cue starts, beat tempo, loudness and true peak stay as the tests want them.
SIZES = {
    "small": Size(16_000, 32),  # messaging apps: an hour in 14.4 MB (true peak up to -0.1 dBTP)
    "phone": Size(16_000, 48),  # a 45-minute track in 16.2 MB
    "full": Size(44_100, 96),  # the default before issue 15: everything up to 16 kHz
}
DEFAULT_NAME = "phone"
DEFAULT = SIZES[DEFAULT_NAME]
