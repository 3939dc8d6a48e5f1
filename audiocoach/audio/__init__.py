"""The audio stage: everything that makes sound or writes it.

speech (pyttsx3 + espeak-ng, cached on disk) -> beats (cadence sounds and grid) ->
mixer (streaming, chunk by chunk) -> encoder (MP3 with a LAME Info frame, atomic write) + tags.
"""
