"""A language pack: everything the coach says by itself in one language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pack:
    """The coach's own words in one language.

    `phrases` has every key of the English table; `pools` the built-in prompts by workout kind;
    `words` the normaliser's words (see coaching/speakable.py: at, with, times, out_of, half,
    hundreds, per, k: a missing word leaves that form to the plain rules); `clearer` whole phrases
    the voice says another way to be understood
    (written form -> spoken form; the cue sheet keeps the written one).
    """

    language: str
    phrases: Mapping[str, str]
    pools: Mapping[str, tuple[str, ...]]
    words: Mapping[str, str]
    clearer: Mapping[str, str] = field(default_factory=dict)
