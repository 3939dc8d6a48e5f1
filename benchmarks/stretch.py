"""How long Rubber Band (pedalboard's time_stretch) takes per minute of music, and what it holds in memory.

    python -m benchmarks.stretch [--minutes 3]        (make bench-stretch)

A synthesised song (the built-in music at 150 bpm, written to a WAV) is opened, then stretched to
172 bpm through audiocoach.music.stretch (decode, stretch, cache write) at 16 and 44.1 kHz, with
the faster engine the build uses and with the finer one, each in a fresh process with a cold cache.
Reported: wall and CPU seconds per minute of music, peak RSS (open_song and the stretch together;
the interpreter with numpy and pedalboard alone is ~40 MB), and a second (warm) call's time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

ONE_RUN = """
import json, sys, time
from pathlib import Path
from audiocoach.music import songs, stretch
stretch.HIGH_QUALITY = sys.argv[3] == "finer"
song = songs.open_song(Path(sys.argv[1]))
rate, cache = int(sys.argv[2]), Path(sys.argv[4])
wall, cpu = time.perf_counter(), time.process_time()
stretch.stretch_song(song, 172 / 150, rate, cache)
cold = (time.perf_counter() - wall, time.process_time() - cpu)
stretch._verified.clear()
wall = time.perf_counter()
stretch.stretch_song(song, 172 / 150, rate, cache)
warm = time.perf_counter() - wall
# VmHWM, not ru_maxrss: the latter is inherited from the parent across fork and exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"wall": cold[0], "cpu": cold[1], "warm": warm, "rss_mb": peak}))
"""


def song(path: Path, minutes: float) -> Path:
    from audiocoach.music.builtin import builtin_block

    rate = 44_100
    samples = builtin_block(150, rate, 0, int(minutes * 60 * rate))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="length of the song stretched")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stretch-bench-") as folder:
        wav = song(Path(folder) / "song.wav", args.minutes)
        print(f"{args.minutes:g} min of music, 150 -> 172 bpm (ratio {172 / 150:.4f}); seconds per minute of music")
        print(f"{'rate':>6} {'engine':>7} {'wall/min':>9} {'cpu/min':>8} {'warm s':>7} {'peak RSS':>9}")
        for rate in (16_000, 44_100):
            for engine in ("faster", "finer"):
                cache = Path(folder) / f"cache-{rate}-{engine}"
                out = subprocess.run([sys.executable, "-c", ONE_RUN, str(wav), str(rate), engine, str(cache)],
                                     capture_output=True, text=True, check=True).stdout
                r = json.loads(out)
                print(f"{rate:>6} {engine:>7} {r['wall'] / args.minutes:>9.2f} {r['cpu'] / args.minutes:>8.2f} "
                      f"{r['warm']:>7.2f} {r['rss_mb']:>6.0f} MB")


if __name__ == "__main__":
    main()
