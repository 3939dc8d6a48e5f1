"""Output file names that stay inside the output folder, whatever a title or file name holds;
and text from the command line or a folder name made fit for tags (one line, no control characters)."""

from __future__ import annotations

import re
import unicodedata

from audiocoach.errors import AudiocoachError

__all__ = ["safe_name", "MAX_NAME_BYTES", "refuse_control", "plain_text"]

# Room under the 255-byte file-name limit for ".mp3" and the ".<name>.XXXXXXXX.tmp" and
# ".<name>.mp3.build" files written beside it.
MAX_NAME_BYTES = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')  # separators, NUL, controls, Windows-reserved
_WINDOWS_DEVICES = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")


def safe_name(name: str, fallback: str = "workout") -> str:
    """`name` as one harmless file name: no folder parts, no leading dot, not empty, not too long.

    Letters of any script stay ("Côte — 8 × 400 m" is kept as it is); path separators, NUL and
    control characters become "-"; ".." and hidden names lose their leading dots.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(c) in ("Zl", "Zp", "Cf", "Cs") else c for c in text)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    text = _truncate(text, MAX_NAME_BYTES).rstrip(" .")
    if not text:
        return fallback
    return f"{text}_" if _WINDOWS_DEVICES.match(text) else text


def _truncate(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 form fits in `limit` bytes (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def refuse_control(text: str, option: str) -> None:
    """An AudiocoachError for a control character in a command-line text that reaches tags or file names."""
    bad = _CONTROL.search(text)
    if bad is not None:
        raise AudiocoachError(f"{option}: the text contains a control character (U+{ord(bad.group()):04X})",
                              hint="give plain text: it goes into tags and file names")


def plain_text(text: str) -> str:
    """`text` with control characters (NUL, line breaks, escapes) replaced by spaces, runs of space joined."""
    return " ".join(_CONTROL.sub(" ", text).split())
