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


SIZES = {
    "small": Size(22_050, 32),  # messaging apps: an hour in 14.4 MB
    "phone": Size(44_100, 56),  # a 45-minute track in 18.9 MB, cue starts, tempo and loudness as at 96 kb/s
    "full": Size(44_100, 96),  # the default before issue 15
}
DEFAULT_NAME = "full"
DEFAULT = SIZES[DEFAULT_NAME]
