"""Words to compare: a cue's written text and what the recognizer heard, in one normal form.

The rule (applied the same to both sides, so neither the coach nor the listener is favoured):

- lower case; every character that is not a letter, digit, or apostrophe inside a word ends a
  word ("cool-down" → "cool down", "Rep 5." → "rep 5"); apostrophes are dropped ("don't" → "dont");
- digits and letters are split ("5k" → "5 k", "3x" → "3 x"); a clock or decimal "4:48", "4.48"
  → "4 48"; leading zeros dropped ("00" → "0");
- number words become digits: "five" → "5", "twenty-four" → "24", "one hundred and eighty" →
  "180", "four forty-eight" → "4 48" (a new number starts where a word cannot continue the one
  before); "point" between two numbers is dropped ("two point five" → "2 5", as "2.5");
- a few written forms become the words a voice says for them: "@" → "at", "&" → "and",
  "%" → "percent", "w/" → "with", "×" or "x" between numbers → "by"/"times" both kept as "x";
  the unit abbreviations min/mins, sec/secs, km, mi → minutes, seconds, kilometres, miles
  (British and American spellings are one word: kilometer/kilometre);
- ordinals "1st", "2nd" … become words ("first", "second"), as Whisper writes either.

Words are then matched in order (longest common subsequence), where one word on one side may
stand for two on the other when they are the same letters ("cooldown" = "cool down").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

UNITS = {
    "zero": 0, "oh": None, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
UNITS.pop("oh")  # "oh" is a word more often than a zero
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000}
ORDINALS = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
    9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 20: "twentieth",
}
SAME = {
    "min": "minutes", "mins": "minutes", "minute": "minutes", "sec": "seconds", "secs": "seconds",
    "second": "second", "km": "kilometres", "kms": "kilometres", "kilometer": "kilometres",
    "kilometers": "kilometres", "kilometre": "kilometres", "mi": "miles", "mile": "miles",
    "m": "metres", "meter": "metres", "meters": "metres", "metre": "metres", "okay": "ok", "times": "x", "by": "x",
}
SYMBOLS = [("×", " x "), ("@", " at "), ("&", " and "), ("%", " percent "), ("w/", "with ")]


def normal_words(text: str) -> list[str]:
    """`text` as a list of words in the normal form above."""
    text = text.lower().replace("’", "'")
    for symbol, spoken in SYMBOLS:
        text = text.replace(symbol, spoken)
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # don't → dont
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 → 1000
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: ORDINALS.get(int(m.group(1)), m.group(1)), text)
    text = re.sub(r"\b(\d+)s\b", r"\1", text)  # the 200s → the 200
    text = re.sub(r"(\d)(?=[a-z])|([a-z])(?=\d)", r"\1\2 ", text)  # 5k → 5 k, x3 → x 3
    tokens = re.findall(r"[^\W_]+", text)
    words = _numbers(tokens)
    words = [w.lstrip("0") or "0" if w.isdigit() else w for w in words]
    words = _drop_point(words)
    return [_same(w, words, i) for i, w in enumerate(words)]


def _same(word: str, words: list[str], i: int) -> str:
    if word == "x" and not (0 < i < len(words) - 1 and words[i - 1].isdigit() and words[i + 1].isdigit()):
        return word  # a letter x, not "by"
    if word in ("times", "by") and not (0 < i < len(words) - 1 and words[i - 1].isdigit() and words[i + 1].isdigit()):
        return word
    return SAME.get(word, word)


def _drop_point(words: list[str]) -> list[str]:
    return [w for i, w in enumerate(words)
            if not (w == "point" and 0 < i < len(words) - 1 and words[i - 1].isdigit() and words[i + 1].isdigit())]


def _numbers(tokens: list[str]) -> list[str]:
    """Runs of number words as digits; a number ends where the next word cannot continue it."""
    out: list[str] = []
    total, current, last = 0, 0, ""  # completed thousands, the part under 1000, the last word's kind
    for token in tokens:
        kind, amount = _number_word(token)
        if kind is None and token == "and" and last == "hundred":
            continue  # "one hundred and eighty"
        if last and (kind is None or not _continues(last, kind, current, total)):
            out.append(str(total + current))
            total, current, last = 0, 0, ""
        if kind is None:
            out.append(token)
        elif kind == "hundred" and last:
            current *= 100
        elif kind == "thousand" and last:
            total, current = current * 1000, 0
        else:
            current += amount
        last = kind or ""
    if last:
        out.append(str(total + current))
    return out


def _number_word(token: str) -> tuple[str | None, int]:
    if token in UNITS:
        return ("teen" if UNITS[token] >= 10 else "unit"), UNITS[token]
    if token in TENS:
        return "tens", TENS[token]
    if token in SCALES:
        return ("hundred" if token == "hundred" else "thousand"), SCALES[token]
    return None, 0


def _continues(last: str, kind: str, current: int, total: int) -> bool:
    """Whether a number word of `kind` extends the number read so far (whose last word was `last`)."""
    if kind == "hundred":
        return last in ("unit", "teen") and current < 100
    if kind == "thousand":
        return last != "thousand" and total == 0
    if kind == "tens":
        return last in ("hundred", "thousand")
    if kind == "unit":
        return last in ("tens", "hundred", "thousand")
    return last in ("hundred", "thousand")  # a teen


def matched(expected: Sequence[str], heard: Sequence[str]) -> int:
    """How many of the `expected` words are found in `heard`, in order (see `alignment`)."""
    return len({i for i, _ in alignment(expected, heard)})


def alignment(expected: Sequence[str], heard: Sequence[str]) -> list[tuple[int, int]]:
    """(expected index, heard index) of the words matched in order: a longest common subsequence,
    where two adjacent words on one side may match one word on the other that spells them both
    ("cool down" = "cooldown"; both expected words then pair with the one heard word)."""
    n, m = len(expected), len(heard)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(_moves(expected, heard, best, i, j))[0]
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        _, is_match, di, dj = max(_moves(expected, heard, best, i, j))
        if is_match:
            pairs += [(i + k, j) for k in range(di)]
        i, j = i + di, j + dj
    return pairs


def _moves(expected: Sequence[str], heard: Sequence[str], best: list[list[int]], i: int, j: int):
    """(words matched from here on, is a match, step in expected, step in heard) for each way on
    from (i, j); on equal scores a match is taken before a skip."""
    n, m = len(expected), len(heard)
    moves = [(best[i + 1][j], False, 1, 0), (best[i][j + 1], False, 0, 1)]
    if expected[i] == heard[j]:
        moves.append((1 + best[i + 1][j + 1], True, 1, 1))
    if i + 1 < n and expected[i] + expected[i + 1] == heard[j]:
        moves.append((2 + best[i + 2][j + 1], True, 2, 1))
    if j + 1 < m and heard[j] + heard[j + 1] == expected[i]:
        moves.append((1 + best[i + 1][j + 2], True, 1, 2))
    return moves
