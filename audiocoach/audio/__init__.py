"""The audio stage: everything that makes sound or writes it.

speech (pyttsx3 + espeak-ng, each phrase levelled to one loudness once, cached on disk) ->
beats (cadence sounds and grid) -> levels (the track's gain for -16 LUFS, predicted from its
parts with loudness.py's BS.1770 maths) -> mixer (streaming, chunk by chunk, mono or centred
stereo) -> encoder (MP3 with a LAME Info frame, atomic write) + tags.
"""
