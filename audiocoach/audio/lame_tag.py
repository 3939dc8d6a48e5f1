"""The Xing "Info" frame with its LAME extension: how an MP3 says "skip the encoder delay".

LAME delays the audio by ENCODER_DELAY samples and pads the last frame; decoders add 529
samples of their own. A first frame that carries the delay and padding lets gapless decoders
(dr_mp3/miniaudio, ffmpeg, mpg123, foobar2000, iTunes) drop exactly those samples, so decoded
sample i is input sample i and the decoded length is the input length. Layout:
http://gabriel.mp3-tech.org/mp3infotag.html
"""

from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np

ENCODER_DELAY = 576  # samples LAME adds in front (it reports this as lame_get_encoder_delay)
DECODER_DELAY = 529  # what the tag's delay and padding fields are relative to
ENCODER_NAME = b"LAME3.100"  # the LAME inside lameenc; 9 bytes, as the tag wants

_MPEG1_RATES = (44100, 48000, 32000)
_MPEG2_RATES = (22050, 24000, 16000)
_MPEG25_RATES = (11025, 12000, 8000)
_BITRATES = {  # kbps by bitrate index 1..14, layer III
    1: (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
SAMPLE_RATES = _MPEG1_RATES + _MPEG2_RATES + _MPEG25_RATES


def mpeg_version(sample_rate: int) -> int:
    """1 for MPEG-1 rates, 2 for MPEG-2 and MPEG-2.5 (which share frame sizes and bitrates)."""
    return 1 if sample_rate in _MPEG1_RATES else 2


def bitrates(sample_rate: int) -> tuple[int, ...]:
    """The layer III bitrates (kbps) allowed at `sample_rate`."""
    return _BITRATES[mpeg_version(sample_rate)]


def samples_per_frame(sample_rate: int) -> int:
    return 1152 if mpeg_version(sample_rate) == 1 else 576


def frame_bytes(sample_rate: int, bitrate_kbps: int, padded: bool = False) -> int:
    """Length of one layer III frame in bytes."""
    return samples_per_frame(sample_rate) // 8 * bitrate_kbps * 1000 // sample_rate + int(padded)


def side_info_bytes(sample_rate: int, channels: int) -> int:
    """Length of a layer III frame's side information, which the Info tag follows."""
    if mpeg_version(sample_rate) == 1:
        return 17 if channels == 1 else 32
    return 9 if channels == 1 else 17


def frame_header(sample_rate: int, bitrate_kbps: int, channels: int = 1) -> bytes:
    """The 4-byte header LAME writes for CBR (no CRC, original bit set), padding off: mono, or
    for two channels joint stereo with mid/side on, as LAME codes them."""
    if sample_rate in _MPEG1_RATES:
        version_bits, rate_index = 0b11, _MPEG1_RATES.index(sample_rate)
    elif sample_rate in _MPEG2_RATES:
        version_bits, rate_index = 0b10, _MPEG2_RATES.index(sample_rate)
    else:
        version_bits, rate_index = 0b00, _MPEG25_RATES.index(sample_rate)
    bitrate_index = bitrates(sample_rate).index(bitrate_kbps) + 1
    second = 0xE0 | version_bits << 3 | 0b01 << 1 | 1  # layer III, no CRC
    third = bitrate_index << 4 | rate_index << 2
    fourth = (0b11 << 6 if channels == 1 else 0b01 << 6 | 0b10 << 4) | 1 << 2  # mono or joint (M/S), original
    return bytes((0xFF, second, third, fourth))


def info_frame(
    sample_rate: int,
    bitrate_kbps: int,
    *,
    audio_frames: int = 0,
    audio_bytes: int = 0,
    input_samples: int = 0,
    music_crc: int = 0,
    channels: int = 1,
) -> bytes:
    """The Info frame to put before `audio_frames` CBR frames (`audio_bytes` long) encoding
    `input_samples` samples per channel.

    With the defaults it is a placeholder of the right length, to be overwritten at the end.
    """
    bitrate = _tag_bitrate(sample_rate, bitrate_kbps, channels)
    frame = bytearray(frame_bytes(sample_rate, bitrate))
    frame[:4] = frame_header(sample_rate, bitrate, channels)
    xing = 4 + side_info_bytes(sample_rate, channels)  # the tag follows the (empty) side information
    total_bytes = len(frame) + audio_bytes
    toc = bytes(min(255, i * 256 // 100) for i in range(100))  # CBR: byte position is linear in time
    padding = audio_frames * samples_per_frame(sample_rate) - ENCODER_DELAY - input_samples
    if audio_frames and not DECODER_DELAY <= padding < 4096:
        raise ValueError(f"padding of {padding} samples does not fit the LAME tag")
    padding = max(padding, 0)
    lame = (
        ENCODER_NAME
        + bytes((0x01, 0))  # tag revision 0, method 1 = CBR; lowpass unknown
        + bytes(8)  # peak amplitude and replay gains: not measured
        + bytes((0, min(bitrate_kbps, 255)))  # encoding flags; the CBR bitrate
        + (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
        + bytes(4)  # misc, mp3 gain, surround and preset
        + struct.pack(">IH", total_bytes, music_crc)
    )
    tag = b"Info" + struct.pack(">II", 0x0F, audio_frames) + struct.pack(">I", total_bytes) + toc + bytes(4) + lame
    frame[xing : xing + len(tag)] = tag
    end = xing + len(tag)
    frame[end : end + 2] = struct.pack(">H", crc16(bytes(frame[:end])))  # the tag CRC covers all before it
    return bytes(frame)


def _tag_bitrate(sample_rate: int, bitrate_kbps: int, channels: int = 1) -> int:
    """The stream's bitrate, or the lowest higher one whose frame holds the tag (decoders allow mixing)."""
    need = 4 + side_info_bytes(sample_rate, channels) + 156
    for kbps in bitrates(sample_rate):
        if kbps >= bitrate_kbps and frame_bytes(sample_rate, kbps) >= need:
            return kbps
    raise ValueError(f"no frame at {sample_rate} Hz holds a LAME tag")


class FrameCounter:
    """Counts MPEG frames in a byte stream fed piece by piece, checking each header's sync."""

    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        self.frames = 0
        self.bytes = 0
        self._next = 0  # stream offset of the next frame header
        self._buffer = b""  # unparsed stream bytes, starting at offset self.bytes - len(buffer)
        # frame length by the header's third byte without its lowest bit (bitrate, rate, padding)
        kbps = (0, *bitrates(sample_rate), 0)
        self._lengths = [frame_bytes(sample_rate, kbps[b >> 3], bool(b & 1)) for b in range(128)]
        # where no frame ever needs a padding byte (16, 32 and 48 kHz), CBR frames repeat one header
        whole = [samples_per_frame(sample_rate) // 8 * k * 1000 % sample_rate == 0 for k in kbps]
        self._steady = [bool(kbps[b >> 3]) and not b & 1 and whole[b >> 3] for b in range(128)]

    def feed(self, data: bytes) -> None:
        self.bytes += len(data)
        self._buffer += data
        start = self.bytes - len(self._buffer)
        while self._next + 4 <= self.bytes:
            at = self._next - start
            header = self._buffer[at : at + 4]
            length = self._lengths[header[2] >> 1]
            if header[0] != 0xFF or header[1] & 0xE0 != 0xE0 or not length:
                raise ValueError(f"lost MPEG frame sync at byte {self._next}")
            count = self._repeats(at, length) if self._steady[header[2] >> 1] else 1
            self._next += count * length
            self.frames += count
        self._buffer = self._buffer[max(0, self._next - start) :]  # keep only a split header

    def _repeats(self, at: int, length: int) -> int:
        """How many frames from `at` on, `length` bytes apart, start with the very header at `at` (at least
        1), as far as the buffer holds their headers: each header byte compared for all frames at once."""
        count = (len(self._buffer) - at - 4) // length + 1
        same = count
        for offset in range(3):
            column = self._buffer[at + offset : at + offset + (count - 1) * length + 1 : length]
            expected = column[:1] * count
            if column != expected:
                same = min(same, next(i for i, (a, b) in enumerate(zip(column, expected)) if a != b))
        return max(same, 1)


class Crc16:
    """CRC-16/ARC (poly 0x8005 reflected, init 0) over a stream, as the LAME tag's music CRC wants.

    x^(8 * PERIOD) is 1 modulo the polynomial, so what a byte does to the CRC depends on its distance
    from the end of the stream only modulo PERIOD bytes. The stream is XOR-folded into PERIOD bytes
    as it comes (numpy, at memory speed); the CRC of the fold, turned so that it ends where the
    stream ends, is the stream's CRC (with init 0, leading zeros change nothing).
    """

    PERIOD = 32767  # the order of x modulo x^16 + x^15 + x^2 + 1, in bytes (tests/test_encoder.py checks it)

    def __init__(self) -> None:
        self._fold = np.zeros(self.PERIOD, dtype=np.uint8)
        self._length = 0

    def update(self, data: bytes) -> None:
        view = np.frombuffer(data, dtype=np.uint8)
        at = self._length % self.PERIOD
        self._length += len(view)
        while len(view):
            take = min(len(view), self.PERIOD - at)
            self._fold[at : at + take] ^= view[:take]
            view, at = view[take:], 0

    def digest(self) -> int:
        turn = self._length % self.PERIOD
        return crc16(np.concatenate((self._fold[turn:], self._fold[:turn])).tobytes())


def crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16/ARC of `data`, continuing from `crc` (plain loop: for short inputs)."""
    table = _byte_table()
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@lru_cache(maxsize=1)
def _byte_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)
