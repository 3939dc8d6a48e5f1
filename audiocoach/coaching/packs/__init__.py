"""Built-in language packs, chosen by the voice's language: English, German, Spanish, French."""

from __future__ import annotations

import re

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.packs import de, es, fr
from audiocoach.coaching.phrases import ENGLISH_PACK

PACKS: dict[str, Pack] = {pack.language: pack for pack in (ENGLISH_PACK, de.PACK, es.PACK, fr.PACK)}


def voice_language(voice_name: str) -> str:
    """The two-letter language of a voice name: 'en-us', 'gmw/en', 'English', 'de', 'roa/es', 'fr-fr',
    'de_DE-thorsten'."""
    last = voice_name.lower().rsplit("/", 1)[-1]
    return re.split(r"[-_.\s]", last, maxsplit=1)[0][:2]


def pack_for(voice_name: str) -> Pack | None:
    """The built-in pack for the voice's language, or None where none is built in."""
    return PACKS.get(voice_language(voice_name))
