"""The audio stage: everything that makes sound or writes it.

speech (engines/: Piper or espeak-ng; each phrase spoken once in a process pool, levelled to one
loudness, cached on disk with a checksum) ->
beats (cadence sounds and grid) -> levels (the track's gain for -16 LUFS, predicted from its
parts with loudness.py's BS.1770 maths) -> mixer (streaming, chunk by chunk, mono or centred
stereo) -> encoder (MP3 with a LAME Info frame, atomic write) + tags.
"""
