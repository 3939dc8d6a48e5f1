"""Which stretches of a track the recognizer hears, and how a cue is scored against what it heard.

Windows: the recognizer only listens around planned cues. Consecutive cues share one window
while it stays within 30 s (Whisper hears 30 s at a time, so one 30 s window costs about what
one 3 s window does) and no pause between them is longer than MAX_PAUSE_S: after 13 s of
silence inside one window Whisper skipped a whole countdown ("3, 2, 1, Walk."), heard once it
had a window of its own. A window starts LEAD_S before its first cue and ends TAIL_S after its last,
but never reaches into the speech of a cue of another window, so each cue is heard whole, once.

Scoring: the words of all the window's cues (benchmarks.words normal form), in plan order, are
matched in order against the words heard in the window (benchmarks.words.alignment); a cue word
counts as heard when the word it matched was heard within TOLERANCE_S of the cue's span
[at, end] (a word's time is the span of the Whisper segment it was heard in:
see benchmarks.recognizer.Recognizer.words). A cue is heard when at least
HEARD_SHARE of its words are; words heard are summed over all cues. Matching over the whole
window, not cue by cue, keeps close cues ("3", "2", "1", "Go!") from taking each other's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmarks.recognizer import Word
from benchmarks.words import alignment, normal_words

LEAD_S = 0.5  # audio before a cue: the recognizer needs a moment before the first word
TAIL_S = 2.0  # audio after a cue's planned end
TOLERANCE_S = 2.0  # a word counts for a cue within this distance of the cue's span
MAX_WINDOW_S = 30.0
MAX_PAUSE_S = 8.0  # a longer pause between cues starts a new window (see the module's docstring)
HEARD_SHARE = 0.6  # a cue is heard when this share of its words is


@dataclass(frozen=True)
class Cue:
    """A planned cue: where its speech starts and ends (seconds) and its written text."""

    at: float
    end: float
    text: str


@dataclass(frozen=True)
class Window:
    """A stretch of the track (seconds) and the indices of the cues it holds."""

    start: float
    end: float
    cues: tuple[int, ...]


def cues_of(plan: dict) -> list[Cue]:
    """The cues of a `plan --json` document (the MP3's .json sidecar), in time order."""
    return sorted((Cue(c["at_s"], c["end_s"], c["text"]) for c in plan["cues"]), key=lambda c: c.at)


def windows(cues: Sequence[Cue], duration: float, max_s: float = MAX_WINDOW_S) -> list[Window]:
    """Group consecutive cues into windows of at most `max_s` (a single longer cue gets its own)."""
    out: list[Window] = []
    i = 0
    while i < len(cues):
        start = max(0.0, cues[i].at - LEAD_S, cues[i - 1].end if i else 0.0)
        j = i + 1
        while j < len(cues) and cues[j].end + TAIL_S - start <= max_s and cues[j].at - cues[j - 1].end <= MAX_PAUSE_S:
            j += 1
        end = min(duration, cues[j - 1].end + TAIL_S, cues[j].at if j < len(cues) else duration)
        out.append(Window(start, end, tuple(range(i, j))))
        i = j
    return out


@dataclass(frozen=True)
class CueScore:
    """One cue: its normal-form words, how many of them were heard, and what was heard."""

    cue: Cue
    words: int
    heard: int
    transcript: str

    @property
    def is_heard(self) -> bool:
        return self.words > 0 and self.heard >= HEARD_SHARE * self.words


def distance(word: Word, cue: Cue) -> float:
    """Seconds between a word's span and a cue's span; 0 when they overlap."""
    return max(0.0, word.start - cue.end, cue.at - word.end)


def score_window(cues: Sequence[Cue], window: Window, words: Iterable[Word]) -> list[CueScore]:
    """Score the window's cues against the words heard in it (times absolute, in seconds)."""
    words = list(words)
    expected = [(i, w) for i in window.cues for w in normal_words(cues[i].text)]
    heard = [(word, w) for word in words for w in normal_words(word.text)]
    counted = {i: 0 for i in window.cues}
    owner: dict[int, int] = {}  # heard word index → the cue whose word it matched
    for e, h in alignment([w for _, w in expected], [w for _, w in heard]):
        cue = expected[e][0]
        owner[h] = cue
        if distance(heard[h][0], cues[cue]) <= TOLERANCE_S:
            counted[cue] += 1
    shown: dict[int, list[str]] = {i: [] for i in window.cues}  # for the report: each heard word goes
    cue = window.cues[0]  # to the cue it matched, or else to the cue of the last word that matched
    for h, (_, w) in enumerate(heard):
        cue = owner.get(h, cue)
        shown[cue].append(w)
    return [CueScore(cues[i], sum(1 for c, _ in expected if c == i), counted[i], " ".join(shown[i]))
            for i in window.cues]


@dataclass(frozen=True)
class Summary:
    """Scores over a set of cues."""

    cues: int
    cues_heard: int
    words: int
    words_heard: int

    @property
    def cue_share(self) -> float:
        return self.cues_heard / self.cues if self.cues else 0.0

    @property
    def word_share(self) -> float:
        return self.words_heard / self.words if self.words else 0.0


def summary(scores: Iterable[CueScore]) -> Summary:
    """Cues heard and words heard over `scores` (cues with no words to hear are left out)."""
    counted = [s for s in scores if s.words]
    return Summary(len(counted), sum(s.is_heard for s in counted), sum(s.words for s in counted),
                   sum(s.heard for s in counted))
