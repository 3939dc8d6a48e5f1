"""Before a batch builds: speak the distinct phrases of all its tracks at once, in one pool.

A roster's tracks share most of their phrases, and the builds of a batch run side by side: each
would otherwise speak the same phrases again or wait on them. Tracks already up to date are left
out (and nothing is loaded for them); a workout that does not load is left to its build, which
reports it.
"""

from __future__ import annotations

from collections.abc import Sequence

from audiocoach import stage_times
from audiocoach.audio.speech import Speech, prepare_many
from audiocoach.audio.voice_choice import VoiceSpec
from audiocoach.coaching.spoken import phrases_to_speak
from audiocoach.errors import AudiocoachError
from audiocoach.pipeline import load, speech_for
from audiocoach.uptodate import BuildOptions, Job, is_up_to_date

__all__ = ["speak_ahead", "speak_phrases", "stale_jobs"]


def speak_ahead(jobs: Sequence[Job], force: bool, options: BuildOptions) -> None:
    """Cache every phrase the builds of `jobs` will speak, grouped by voice, in one process pool."""
    speak_phrases(stale_jobs(jobs, force, options), options)


def stale_jobs(jobs: Sequence[Job], force: bool, options: BuildOptions) -> list[Job]:
    """The jobs a build would not leave alone (all of them with `force`): build keys and file stats only."""
    return [job for job in jobs if force or not is_up_to_date(job.path, job.out_dir, options, job.target)]


def speak_phrases(stale: Sequence[Job], options: BuildOptions) -> None:
    """Cache every phrase these jobs' builds will speak (each distinct one once, per voice), in one process pool."""
    if not stale:
        return
    wanted: dict[VoiceSpec, tuple[Speech, dict[str, None]]] = {}
    for job in stale:
        try:
            workout = load(job.path, job.runner, params=job.params)
            speech = speech_for(workout, options.sample_rate)
            texts = phrases_to_speak(workout)
        except AudiocoachError:
            continue  # its own build reports it
        wanted.setdefault(speech.voice, (speech, {}))[1].update(dict.fromkeys(texts))
    try:
        with stage_times.timed("speech"):
            prepare_many([(speech, list(texts)) for speech, texts in wanted.values()])
    except AudiocoachError:
        pass  # each build speaks its own phrases again and reports the one that fails, located
