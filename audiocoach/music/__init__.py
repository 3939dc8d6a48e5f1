"""Music under the coach: songs read from the user's files (songs, decode, tempo, stretch) and
music generated in-process (builtin). The composition layer plays these sources under the voice."""
