"""Benchmark builds with music under the coach (issue 18); print PASS/FAIL.

    python -m benchmarks.music        (make bench-music)

Writes twelve 5-minute synthesised songs (MP3, tagged with their tempo: 60 minutes of music)
and the benchmark's 10-minute, 60-minute and 3-hour interval workouts with `music:` naming them,
in a temporary folder with a fresh cache. Then, each in a fresh process:

- cold: the 60-minute build with the speech cache warm (the same workout without music built
  first) but nothing of the music cached: songs probed, measured and stretched to each cadence;
- stretch alone: the same stretches (every song and ratio the plan plays) and nothing else, in
  another empty cache, so the cold build's cost can be read against the stretching it needs;
- warm: the 60-minute build again (stretched songs and speech from the cache), against the
  LAME floor for the same 60 minutes of mixed audio (target ≤ 1.5 ×);
- memory: the 3-hour build's peak RSS against the 10-minute one's (target ≤ 1.3 ×).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.bench import ROOT, build, run, verdict
from benchmarks.workouts import interval_yaml

SONG_RATE = 22_050
SONG_S = 300
SONG_BPMS = (150.0, 154.0, 158.0, 162.0, 166.0, 170.0, 174.0, 178.0, 82.0, 86.0, 88.0, 160.0)
LENGTHS = {"10-min": 10, "60-min": 60, "3-hour": 180}
TARGETS = {"floor": 1.5, "memory": 1.3}


def song_samples(bpm: float, seconds: int, rate: int, seed: int) -> np.ndarray:
    """A song-like signal: a kick and a hi-hat on the beat, a bass note per bar, a held chord."""
    rng = np.random.default_rng(seed)
    n = seconds * rate
    t = np.arange(n) / rate
    beat = 60 / bpm
    phase = (t % beat) / beat
    kick = np.sin(2 * np.pi * 55 * t) * np.exp(-phase * beat / 0.06)
    hat = rng.standard_normal(n) * np.exp(-((t + beat / 2) % beat) / 0.015) * 0.15
    root = 55 * 2 ** (np.floor(t / (4 * beat)) % 4 * 2 / 12)
    bass = 0.3 * np.sin(2 * np.pi * root * t)
    chord = 0.08 * sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6))
    return (0.5 * (kick + hat + bass + chord) / 1.2).astype(np.float32)


def write_songs(folder: Path) -> list[Path]:
    """Twelve MP3 songs with a TBPM tag each."""
    import lameenc
    from mutagen.id3 import ID3, TBPM, TIT2

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, bpm in enumerate(SONG_BPMS):
        path = folder / f"song-{i:02d}.mp3"
        encoder = lameenc.Encoder()
        encoder.set_channels(1)
        encoder.set_in_sample_rate(SONG_RATE)
        encoder.set_bit_rate(96)
        encoder.set_quality(5)
        pcm = (song_samples(bpm, SONG_S, SONG_RATE, i) * 32767).astype(np.int16)
        path.write_bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
        tags = ID3()
        tags.add(TBPM(encoding=3, text=[f"{bpm:g}"]))
        tags.add(TIT2(encoding=3, text=[f"Song {i + 1}"]))
        tags.save(path)
        paths.append(path)
    return paths


def write_music_workout(folder: Path, name: str, minutes: float) -> Path:
    path = folder / f"{name}.yaml"
    text = interval_yaml(minutes, f"Music benchmark {name}").replace("steps:\n", "music: songs/\nsteps:\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


STRETCH_ALONE = """
import sys, time
from pathlib import Path
from audiocoach.language import load_workout
from audiocoach.pipeline import SAMPLE_RATE, checked_plan
from audiocoach.music.mix import plan_music
from audiocoach.music.stretch import stretched_frames
workout = load_workout(Path(sys.argv[1]))
pieces = plan_music(checked_plan(workout), workout, SAMPLE_RATE)
wanted = sorted({(p.song.path, p.ratio) for p in pieces if not isinstance(p.song, str) and p.ratio != 1.0})
songs = {p.song.path: p.song for p in pieces if not isinstance(p.song, str)}
began = time.perf_counter()
for path, ratio in wanted:
    for _ in stretched_frames(songs[path], ratio, SAMPLE_RATE):
        pass
print(f"{time.perf_counter() - began:.3f} {len(wanted)}")
"""

FLOOR = """
import sys, time
from pathlib import Path
from audiocoach.audio.mixer import render
from audiocoach.audio.encoder import lame_scale, to_int16
from audiocoach.pipeline import _music_part, mix_spec, plan_file, speech_for
from benchmarks.floor import BITRATE_KBPS, encode_pcm
workout, plan = plan_file(Path(sys.argv[1]))
speech = speech_for(workout)
spec = _music_part(mix_spec(plan, workout), plan, workout)
boost = 1 / lame_scale(BITRATE_KBPS)
pcm = [to_int16(c, 1, boost).tobytes() for c in render(spec, speech)]
began = time.perf_counter()
encode_pcm(pcm)
print(f"{time.perf_counter() - began:.3f}")
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="audiocoach-bench-music-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "AUDIOCOACH_CACHE": str(tmp / "cache"), "PYTHONPATH": str(ROOT)}
        write_songs(tmp / "songs")
        files = {name: write_music_workout(tmp, name, minutes) for name, minutes in LENGTHS.items()}
        print(f"audiocoach music benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
              f"{len(SONG_BPMS)} songs × {SONG_S // 60} min (MP3, TBPM tags)")
        plain = tmp / "60-min-plain.yaml"
        plain.write_text(files["60-min"].read_text(encoding="utf-8").replace("music: songs/\n", ""), encoding="utf-8")
        speech_only = build(plain, tmp / "plain", env)  # fills the speech cache
        cold = build(files["60-min"], tmp / "cold", env)
        alone_env = {**env, "AUDIOCOACH_CACHE": str(tmp / "cache-stretch")}
        stretch_s, stretches = run(["-c", STRETCH_ALONE, str(files["60-min"])], alone_env).stdout.split()
        print(f"60-min without music, cold speech cache: {speech_only.seconds:7.2f} s")
        print(f"60-min cold music (speech cached; probing, measuring, stretching included): {cold.seconds:7.2f} s")
        print(f"stretching the same music alone ({stretches} song × ratio): {float(stretch_s):7.2f} s")
        warm = build(files["60-min"], tmp / "warm", env)
        floor_s = float(run(["-c", FLOOR, str(files["60-min"])], env).stdout.strip())
        ratio = warm.seconds / floor_s
        plain_warm = build(plain, tmp / "plain", env)
        print(f"60-min without music, warm: {plain_warm.seconds:6.2f} s "
              f"(×{plain_warm.seconds / floor_s:.2f} the floor; for reference)")
        print(f"60-min warm: {warm.seconds:6.2f} s; LAME floor {floor_s:.2f} s; ×{ratio:.2f} "
              f"{verdict(ratio, TARGETS['floor'], True)}")
        short = build(files["10-min"], tmp / "warm", env)
        long = build(files["3-hour"], tmp / "warm", env)
        grown = long.peak_mb / short.peak_mb
        print(f"peak memory: 10-min {short.peak_mb:.0f} MB, 3-hour {long.peak_mb:.0f} MB ({long.seconds:.1f} s); "
              f"×{grown:.2f} {verdict(grown, TARGETS['memory'], True)}")


if __name__ == "__main__":
    main()
