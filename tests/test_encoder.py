"""MP3 writing: gapless timing (the LAME Info frame), tags, determinism, atomic replacement.

Also checks the decode/detection helpers in audio_helpers.py on a real rendered mix, since the
end-to-end tests rely on them.
"""

from __future__ import annotations

import os
import struct
from functools import lru_cache

import lameenc
import miniaudio
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from audiocoach.audio.beats import BEAT_SOUNDS, beat_samples
from audiocoach.audio.encoder import Chapter, Tags, to_int16, write_mp3, write_wav
from audiocoach.audio.lame_tag import ENCODER_DELAY, Crc16, FrameCounter, bitrates, crc16
from audiocoach.audio.mixer import BeatSpan, MixSpec, SpeechEvent, render
from audiocoach.audio.speech import Speech, VoiceSpec
from audiocoach.errors import BuildError
from tests.audio_helpers import beat_onsets, decode_mp3, decode_mp3_channels, estimate_spm, locate, speech_regions

RATE = 44100


def bursts(total: int, starts: list[int], rate: int = RATE) -> np.ndarray:
    """Silence with 3 ms bursts of 2 kHz tone (sharp start) at `starts`."""
    out = np.zeros(total, np.float32)
    t = np.arange(round(0.003 * rate)) / rate
    burst = (0.8 * np.sin(2 * np.pi * 2000 * t + np.pi / 2)).astype(np.float32)  # full height at once
    for s in starts:
        out[s : s + len(burst)] = burst[: total - s]
    return out


def in_pieces(samples: np.ndarray, sizes=(1000, 4097, 65536, 333)) -> list[np.ndarray]:
    pieces, at, i = [], 0, 0
    while at < len(samples):
        pieces.append(samples[at : at + sizes[i % len(sizes)]])
        at += sizes[i % len(sizes)]
        i += 1
    return pieces


def first_loud(samples: np.ndarray, around: int, rate: int, level: float = 0.4) -> int:
    """First sample within ±50 ms of `around` reaching `level`."""
    lo = max(0, around - rate // 20)
    return lo + int(np.flatnonzero(np.abs(samples[lo : around + rate // 20]) >= level)[0])


@pytest.mark.parametrize("rate,kbps", [(44100, 96), (48000, 128), (22050, 48), (32000, 32)])
def test_decoded_audio_is_sample_aligned_and_exactly_as_long(tmp_path, rate, kbps):
    total = 7 * rate + 321
    starts = [0, 777, rate, 3 * rate + 5, total - rate // 10]
    source = bursts(total, starts, rate)
    write_mp3(in_pieces(source), tmp_path / "b.mp3", sample_rate=rate, bitrate_kbps=kbps)
    decoded, decoded_rate = decode_mp3(tmp_path / "b.mp3")
    assert decoded_rate == rate
    assert len(decoded) == total  # exact; the requirement is within 10 ms
    for s in starts:
        assert abs(first_loud(decoded, s, rate) - first_loud(source, s, rate)) <= 0.002 * rate
    lags = np.arange(-50, 51)
    corr = [float(np.dot(source[100 : -100], decoded[100 + lag : len(decoded) - 100 + lag])) for lag in lags]
    assert lags[int(np.argmax(corr))] == 0  # aligned to the sample, not just to 2 ms


@pytest.mark.parametrize("rate,kbps", [(44100, 96), (48000, 128), (22050, 48), (32000, 64), (11025, 32)])
def test_decoded_stereo_audio_is_sample_aligned_and_exactly_as_long(tmp_path, rate, kbps):
    total = 5 * rate + 123
    left = bursts(total, [0, 777, 2 * rate + 5], rate)
    right = bursts(total, [rate // 3, 3 * rate, total - rate // 10], rate)  # other times: channels stay apart
    source = np.column_stack([left, right])
    write_mp3(in_pieces(source), tmp_path / "s.mp3", sample_rate=rate, bitrate_kbps=kbps, channels=2)
    decoded, decoded_rate = decode_mp3_channels(tmp_path / "s.mp3")
    assert decoded_rate == rate and decoded.shape == (total, 2)  # exact, as for mono
    for channel in (0, 1):
        lags = np.arange(-50, 51)
        corr = [float(np.dot(source[100:-100, channel], decoded[100 + lag : total - 100 + lag, channel]))
                for lag in lags]
        assert lags[int(np.argmax(corr))] == 0
    info = MP3(tmp_path / "s.mp3").info
    assert info.channels == 2 and info.length == pytest.approx(total / rate, abs=0.001)
    assert info.encoder_info.startswith("LAME")


def test_stereo_info_frame_sits_after_the_stereo_side_information(tmp_path):
    total = 2 * RATE + 7
    source = np.column_stack([bursts(total, [5, RATE]), bursts(total, [RATE // 2])])
    write_mp3([source], tmp_path / "c.mp3", channels=2)
    data = (tmp_path / "c.mp3").read_bytes()
    audio_start = 144 * 96000 // RATE
    assert data[3] >> 6 == 0b01 and data[audio_start + 3] >> 6 == 0b01  # joint stereo, as LAME's own frames
    xing = 4 + 32
    assert data[xing : xing + 4] == b"Info"
    lame = data[xing + 120 :]
    delay, padding = lame[21] << 4 | lame[22] >> 4, (lame[22] & 0x0F) << 8 | lame[23]
    frames = struct.unpack(">I", data[xing + 8 : xing + 12])[0]
    assert delay == ENCODER_DELAY and frames * 1152 - delay - padding == total
    assert struct.unpack(">H", lame[34:36])[0] == crc16(data[: xing + 154])


@pytest.mark.parametrize("rate", [44100, 22050])
def test_the_decoded_level_is_the_input_level_at_every_bitrate(tmp_path, rate):
    """LAME scales its input by 0.95 at most bitrates; the writer makes up for it exactly."""
    t = np.arange(rate) / rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    for kbps in bitrates(rate):
        write_mp3([tone], tmp_path / "t.mp3", sample_rate=rate, bitrate_kbps=kbps)
        decoded, _ = decode_mp3(tmp_path / "t.mp3")
        middle = slice(rate // 4, -rate // 4)
        gain_db = 20 * np.log10(np.std(decoded[middle]) / np.std(tone[middle]))
        assert abs(gain_db) < 0.02, (kbps, gain_db)


def test_stereo_wav_interleaves_the_channels(tmp_path):
    import wave

    source = np.column_stack([np.full(100, 0.5, np.float32), np.full(100, -0.25, np.float32)])
    write_wav([source[:60], source[60:]], tmp_path / "s.wav", sample_rate=22050, channels=2)
    with wave.open(str(tmp_path / "s.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getnframes(), wav.getframerate()) == (2, 100, 22050)
        pcm = np.frombuffer(wav.readframes(100), dtype="<i2").reshape(-1, 2)
    assert pcm[:, 0].tolist() == [16384] * 100 and pcm[:, 1].tolist() == [-8192] * 100


def test_chunks_of_the_wrong_shape_are_refused(tmp_path):
    with pytest.raises(ValueError):
        write_mp3([np.zeros((10, 2), np.float32)], tmp_path / "m.mp3")
    with pytest.raises(ValueError):
        write_mp3([np.zeros(10, np.float32)], tmp_path / "s.mp3", channels=2)


def test_without_the_info_frame_audio_comes_out_late_and_long(tmp_path):
    """The problem the Info frame solves: a bare lameenc stream is 1,105 samples late."""
    total = 5 * RATE
    source = bursts(total, [RATE])
    encoder = lameenc.Encoder()
    for setting, value in (("set_channels", 1), ("set_in_sample_rate", RATE), ("set_bit_rate", 96)):
        getattr(encoder, setting)(value)
    encoder.silence()
    bare = bytes(encoder.encode(to_int16(source).tobytes())) + bytes(encoder.flush())
    decoded = np.asarray(miniaudio.decode(bare, miniaudio.SampleFormat.FLOAT32, 1, RATE).samples, np.float32)
    late = first_loud(decoded, RATE + 1105, RATE) - first_loud(source, RATE, RATE)
    assert abs(late - (ENCODER_DELAY + 529)) <= 2
    assert len(decoded) > total + 0.02 * RATE
    write_mp3([source], tmp_path / "tagged.mp3")
    fixed, _ = decode_mp3(tmp_path / "tagged.mp3")
    assert first_loud(fixed, RATE, RATE) == first_loud(source, RATE, RATE) and len(fixed) == total


def test_other_readers_see_the_exact_length_and_the_lame_tag(tmp_path):
    total = 4 * RATE + 99
    write_mp3([bursts(total, [0, RATE])], tmp_path / "m.mp3")
    info = MP3(tmp_path / "m.mp3").info
    assert info.length == pytest.approx(total / RATE, abs=0.001)
    assert info.bitrate_mode == BitrateMode.CBR and info.encoder_info.startswith("LAME")
    assert info.sample_rate == RATE and info.channels == 1


def test_lame_tag_fields_and_crcs_are_right(tmp_path):
    total = 3 * RATE + 1
    write_mp3([bursts(total, [5, RATE])], tmp_path / "c.mp3", tags=Tags("Crc"))
    data = (tmp_path / "c.mp3").read_bytes()
    id3_size = 10 + _syncsafe(data[6:10])
    frame_len = 144 * 96000 // RATE
    frame, audio = data[id3_size : id3_size + frame_len], data[id3_size + frame_len :]
    xing = 4 + 17
    assert frame[xing : xing + 4] == b"Info"
    lame = frame[xing + 120 :]
    assert lame[:9] == b"LAME3.100"
    delay, padding = lame[21] << 4 | lame[22] >> 4, (lame[22] & 0x0F) << 8 | lame[23]
    frames = struct.unpack(">I", frame[xing + 8 : xing + 12])[0]
    assert delay == ENCODER_DELAY and frames * 1152 - delay - padding == total
    assert struct.unpack(">I", lame[28:32])[0] == len(frame) + len(audio)  # music length
    assert struct.unpack(">H", lame[32:34])[0] == crc16(audio)  # music CRC
    assert struct.unpack(">H", lame[34:36])[0] == crc16(frame[: xing + 154])  # tag CRC


def test_same_input_gives_identical_bytes(tmp_path):
    source = bursts(3 * RATE, [0, RATE])
    tags = Tags("Tempo run", album="Week 3", comment="Easy", chapters=(Chapter("Warm-up", 0, 1000),))
    size = write_mp3(in_pieces(source), tmp_path / "one.mp3", tags=tags)
    write_mp3(in_pieces(source, sizes=(12345,)), tmp_path / "two.mp3", tags=tags)
    assert (tmp_path / "one.mp3").read_bytes() == (tmp_path / "two.mp3").read_bytes()
    assert size == os.path.getsize(tmp_path / "one.mp3")


def test_tags_read_back(tmp_path):
    tags = Tags(
        "Tempo run",
        album="Week 3",
        comment="Easy first, then hard.",
        chapters=(Chapter("Warm-up", 0, 1500), Chapter("Tempo", 1500, 3000)),
    )
    write_mp3([bursts(3 * RATE, [0])], tmp_path / "t.mp3", tags=tags)
    id3 = ID3(tmp_path / "t.mp3")
    assert id3.version == (2, 4, 0)
    assert str(id3["TIT2"]) == "Tempo run" and str(id3["TPE1"]) == "audiocoach"
    assert str(id3["TALB"]) == "Week 3" and str(id3["TCON"]) == "Fitness"
    assert id3.getall("COMM")[0].text == ["Easy first, then hard."]
    assert [c.sub_frames["TIT2"].text[0] for c in sorted(id3.getall("CHAP"), key=lambda c: c.start_time)] == [
        "Warm-up",
        "Tempo",
    ]
    assert id3.getall("CTOC")[0].child_element_ids == ["ch0", "ch1"]
    assert not [key for key in id3 if key.startswith(("TDRC", "TDEN", "TDTG", "TYER", "TDAT"))]


def test_without_tags_there_is_no_id3(tmp_path):
    write_mp3([bursts(RATE, [0])], tmp_path / "n.mp3")
    assert (tmp_path / "n.mp3").read_bytes()[:3] != b"ID3"


class Interrupted(Exception):
    pass


def failing_chunks(error: BaseException):
    yield bursts(RATE, [0])
    yield bursts(RATE, [0])
    raise error


@pytest.mark.parametrize("error", [Interrupted("boom"), KeyboardInterrupt()])
def test_failure_mid_stream_leaves_the_previous_file_and_no_temporary(tmp_path, error):
    target = tmp_path / "keep.mp3"
    target.write_bytes(b"previous build")
    with pytest.raises(type(error)):
        write_mp3(failing_chunks(error), target, tags=Tags("x"))
    assert target.read_bytes() == b"previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.mp3"]


def test_success_replaces_the_previous_file(tmp_path):
    target = tmp_path / "new.mp3"
    target.write_bytes(b"old")
    write_mp3([bursts(RATE, [0])], target)
    assert target.read_bytes()[:2] == b"\xff\xfb" and sorted(p.name for p in tmp_path.iterdir()) == ["new.mp3"]


def test_file_mode_is_an_ordinary_one(tmp_path):
    write_mp3([bursts(RATE, [0])], tmp_path / "m.mp3")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "m.mp3").stat().st_mode & 0o777 == 0o666 & ~mask


def test_unwritable_places_are_build_errors(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    for path in (not_a_folder / "x.mp3", tmp_path / "missing" / "x.mp3"):
        with pytest.raises(BuildError) as caught:
            write_mp3([bursts(RATE, [0])], path)
        assert str(path) in caught.value.message and caught.value.hint


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions")
def test_read_only_folder_is_a_build_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(BuildError):
            write_mp3([bursts(RATE, [0])], folder / "x.mp3")
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    "options",
    [dict(sample_rate=44000), dict(bitrate_kbps=100), dict(sample_rate=22050, bitrate_kbps=192), dict(quality=12)],
)
def test_impossible_formats_are_build_errors(tmp_path, options):
    with pytest.raises(BuildError):
        write_mp3([np.zeros(10, np.float32)], tmp_path / "x.mp3", **options)
    assert not list(tmp_path.iterdir())


def test_empty_input_gives_a_valid_empty_track(tmp_path):
    write_mp3([], tmp_path / "e.mp3")
    assert MP3(tmp_path / "e.mp3").info.length == 0.0
    assert miniaudio.mp3_get_file_info(str(tmp_path / "e.mp3")).num_frames == 0


def test_float_to_int16_clips_and_rounds():
    samples = np.array([-2.0, -1.0, -0.5, 0.0, 0.5 / 32767, 0.25, 1.0, 3.0], np.float32)
    assert to_int16(samples).tolist() == [-32767, -32767, -16384, 0, 0, 8192, 32767, 32767]


@settings(max_examples=40, deadline=None)
@given(data=st.binary(min_size=0, max_size=5000), cuts=st.lists(st.integers(0, 5000), max_size=6))
def test_streaming_crc_matches_the_plain_one(data, cuts):
    crc = Crc16()
    edges = sorted({0, len(data), *[c for c in cuts if c <= len(data)]})
    for lo, hi in zip(edges, edges[1:]):
        crc.update(data[lo:hi])
    assert crc.digest() == crc16(data)


@settings(max_examples=10, deadline=None)
@given(cuts=st.lists(st.integers(0, 100_000), max_size=8))
def test_streaming_crc_matches_the_plain_one_over_several_periods(cuts):
    data = np.random.default_rng(len(cuts)).integers(0, 256, 100_000, dtype=np.uint8).tobytes()
    crc = Crc16()
    edges = sorted({0, len(data), *cuts})
    for lo, hi in zip(edges, edges[1:]):
        crc.update(data[lo:hi])
    assert crc.digest() == crc16(data)


def test_crc_period_is_the_order_of_x():
    # Crc16 folds the stream on PERIOD bytes: a state run through PERIOD zero bytes must come back
    # unchanged, and through no fewer (else a shorter period would do, and this one be a mistake).
    start = [1 << bit for bit in range(16)]
    states, period = start, 0
    while True:
        states = [crc16(b"\0", state) for state in states]
        period += 1
        if states == start:
            break
    assert period == Crc16.PERIOD


@settings(max_examples=20, deadline=None)
@given(cuts=st.lists(st.integers(0, 40_000), max_size=10), rate=st.sampled_from([RATE, 16000]))
def test_frame_counter_counts_frames_however_the_stream_is_cut(cuts, rate):
    # 44.1 kHz pads some frames (one at a time); at 16 kHz every frame has one header (all at once)
    stream, frames = _bare_stream(rate)
    counter = FrameCounter(rate)
    edges = sorted({0, len(stream), *[c for c in cuts if c <= len(stream)]})
    for lo, hi in zip(edges, edges[1:]):
        counter.feed(stream[lo:hi])
    assert (counter.frames, counter.bytes) == (frames, len(stream))


def test_frame_counter_finds_a_broken_frame_among_steady_ones():
    stream, _ = _bare_stream(16000)
    broken = bytearray(stream)
    broken[216 * 40] = 0x00  # the 41st frame's sync (48 kb/s at 16 kHz: 216-byte frames)
    with pytest.raises(ValueError, match=f"lost MPEG frame sync at byte {216 * 40}"):
        FrameCounter(16000).feed(bytes(broken))


@lru_cache(maxsize=2)
def _bare_stream(rate: int) -> tuple[bytes, int]:
    """A LAME stream without a tag (44.1 kHz at 96 kb/s, or 16 kHz at 48 kb/s) and its frame count."""
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)
    encoder.set_bit_rate(96 if rate == RATE else 48)
    encoder.silence()
    noise = np.random.default_rng(7).uniform(-0.5, 0.5, 4 * rate).astype(np.float32)
    data = bytes(encoder.encode(to_int16(noise).tobytes())) + bytes(encoder.flush())
    decoded = miniaudio.decode(data, miniaudio.SampleFormat.FLOAT32, 1, rate)
    return data, decoded.num_frames // (1152 if rate == RATE else 576)


def _syncsafe(raw: bytes) -> int:
    return raw[0] << 21 | raw[1] << 14 | raw[2] << 7 | raw[3]


# --- the helpers the end-to-end tests use, checked on a real mix with known ground truth ---

PHRASES = ("Warm up. Easy running.", "Two minutes left", "Stop", "Three", "Go!", "Faster now", "Seven", "Halfway there")


@pytest.fixture(scope="module", params=BEAT_SOUNDS)
def real_mix(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mix")
    speech = Speech(VoiceSpec(), sample_rate=RATE, cache_dir=folder / "cache")
    events, at = [], RATE // 3
    for i, text in enumerate(PHRASES):
        events.append(SpeechEvent(at, text))
        at += round(speech.duration_ms(text) * RATE / 1000) + RATE * (1 + i % 3) // 2 + 311 * i
    total = at + RATE
    split = total // 2
    spec = MixSpec(
        RATE,
        total,
        tuple(events),
        (BeatSpan(0, split, 171.3), BeatSpan(split, total, 182.0)),
        beat_sound=request.param,
        accent_every=4,
    )
    write_mp3(render(spec, speech), folder / "mix.mp3")
    samples, rate = decode_mp3(folder / "mix.mp3")
    return spec, speech, samples, rate


def test_helpers_find_the_planned_speech_in_a_decoded_mix(real_mix):
    spec, speech, samples, rate = real_mix
    assert rate == RATE and len(samples) == spec.total_samples
    starts = [start for start, _ in speech_regions(samples, rate)]
    for event in spec.speech:
        nearest = min(starts, key=lambda s: abs(s - event.start_sample))
        assert abs(nearest - event.start_sample) <= 0.030 * RATE, event.text
        found = locate(samples, speech.clip(event.text), event.start_sample + RATE // 20, rate)
        assert abs(found - event.start_sample) <= 0.002 * RATE, event.text


def test_helpers_find_the_planned_beats_and_cadence_in_a_decoded_mix(real_mix):
    spec, _, samples, rate = real_mix
    regions = speech_regions(samples, rate)
    for span in spec.beats:
        planned = np.array(list(beat_samples(span.start_sample, span.end_sample, span.spm, rate)))
        found = beat_onsets(samples, rate, exclude=regions, start=span.start_sample, end=span.end_sample)
        assert len(found) >= len(planned) // 3
        assert max(np.min(np.abs(planned - f)) for f in found) <= 0.002 * RATE
        assert estimate_spm(found, rate) == pytest.approx(span.spm, abs=0.05)


def test_beats_alone_are_not_taken_for_speech(tmp_path):
    total = 8 * RATE
    for sound in BEAT_SOUNDS:
        spec = MixSpec(RATE, total, (), (BeatSpan(0, total, 176.0),), beat_sound=sound, accent_every=2)
        write_mp3(render(spec, None), tmp_path / "beats.mp3")
        samples, rate = decode_mp3(tmp_path / "beats.mp3")
        assert speech_regions(samples, rate) == [], sound
        onsets = beat_onsets(samples, rate)
        assert len(onsets) == len(list(beat_samples(0, total, 176.0, RATE)))
