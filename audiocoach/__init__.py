"""audiocoach: compile YAML workouts into coached MP3 tracks."""

__version__ = "0.1.0"
