"""The normaliser: written text on the left, what the voice says on the right.

The table is docs/workout-language.md's ("What the voice says"), run here, so the reference
and the code cannot drift apart.
"""

import re
from pathlib import Path

import pytest

from audiocoach.coaching.packs import PACKS, pack_for, voice_language
from audiocoach.coaching.phrases import Phrases
from audiocoach.coaching.speakable import speakable

DOC = Path(__file__).parent.parent / "docs" / "workout-language.md"
ROW = re.compile(r"^\| (en|de|es|fr) \| `(.+)` \| (.+) \|$", re.M)
TABLE = ROW.findall(DOC.read_text(encoding="utf-8").split("### What the voice says", 1)[1])
# every form the normaliser owes (issue 11), each must have a row of the table
FORMS = ("4:48 per km", "24:00 5k", "1:36", " min", " mins", " sec", " km", " mi", "@", "w/", " x ", "×",
         "7/10", "1/2", "3x", "200s", "3rd", "Rep 5 of 10", "Cadence 180", "Switch sides", "Brace your core")


@pytest.mark.parametrize("language, written, spoken", TABLE, ids=[f"{r[0]}:{r[1]}" for r in TABLE])
def test_the_documented_table(language: str, written: str, spoken: str):
    assert speakable(written, Phrases(pack=PACKS[language])) == spoken


def test_the_table_covers_every_form():
    written = " ".join(f" {w} " for lang, w, _ in TABLE if lang == "en")
    assert [form for form in FORMS if form not in written] == []
    assert {lang for lang, _, _ in TABLE} == {"en", "de", "es", "fr"}


@pytest.mark.parametrize("text", ["Rep 1 to 8", "Runner's core", "Easy jog.", "Tall posture, relaxed shoulders.",
                                  "1th", "v1.2", "ab12cd", "Mile 150", "5 sets", "3 xs", "x 3"])
def test_text_with_nothing_to_say_otherwise_is_left_alone(text: str):
    assert speakable(text) == text


@pytest.mark.parametrize("text", ["1" * 20_000, "1:" * 10_000, "1x" * 10_000, "1/" * 10_000, "1." * 10_000,
                                  "@" * 20_000, "1 of " * 4_000, "5:55/" * 4_000, "1" * 6_000 + "s",
                                  "1" * 6_000 + "00s", "1" * 5_000 + "st"])
def test_long_runs_are_answered_and_keep_their_digits(text: str):
    """A long run used to make a regex backtrack (issue 12); the time is `make fuzz`'s and the
    benchmark's to print, the test checks the answer."""
    spoken = speakable(text)
    assert spoken.count("1") >= text.count("1") and spoken.count("5") >= text.count("5")


def test_pronounce_replaces_whole_words_as_written():
    ph = Phrases(pronounce={"Siobhan": "Shivawn", "PR": "P R"})
    assert speakable("Siobhan, this is your PR pace.", ph) == "Shivawn, this is your P R pace."
    assert speakable("Siobhans PRs SPR", ph) == "Siobhans PRs SPR"


@pytest.mark.parametrize("voice, language, built_in", [
    ("en-us", "en", True), ("gmw/en", "en", True), ("English", "en", True), ("de", "de", True),
    ("roa/es", "es", True), ("fr-fr", "fr", True), ("de_DE-thorsten-medium", "de", True), ("it", "it", False),
])
def test_the_voice_picks_the_language(voice: str, language: str, built_in: bool):
    assert voice_language(voice) == language
    assert (pack_for(voice) is not None) == built_in


@pytest.mark.parametrize("language", ["de", "es", "fr"])
def test_every_pack_says_every_phrase_with_the_same_placeholders(language: str):
    from audiocoach.coaching.phrases import PHRASES
    from audiocoach.language.templates import template_fields

    pack = PACKS[language]
    assert list(pack.phrases) == list(PHRASES)
    for key, text in pack.phrases.items():
        assert set(template_fields(text)) <= set(template_fields(PHRASES[key])), key
    assert set(pack.pools) == set(PACKS["en"].pools)
    assert all(len(pool) == len(PACKS["en"].pools[kind]) for kind, pool in pack.pools.items())
