"""Cover art drawn from the workout: its title in large type over the session's effort profile.

Each step is a bar as wide as it lasts and as tall as it is hard, coloured by what it is (warm-up,
work, recovery, exercise, cool-down); the cadence runs over the bars as a line. So 8 × 400 m
shows eight even spikes, hill repeats six short ones, a circuit two blocks of exercises.
Pillow draws it in Roboto (the `font-roboto` package, Apache-2.0; it has "—", "×", "ä" and the
rest of Latin, Greek and Cyrillic) and encodes the PNG (no timestamps: the same plan gives the
same bytes). 1400 × 1400, the smallest square podcast apps accept as show and episode art.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import font_roboto
import PIL
from PIL import Image, ImageDraw, ImageFont

from audiocoach.memo import recall, remember

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan

SIZE = 1400  # podcast apps require 1400-3000 px square art
BACKGROUND = (18, 22, 33)
TEXT = (245, 246, 250)
MUTED = (150, 160, 180)
GRID = (40, 46, 62)
CADENCE = (255, 255, 255)
COLOURS = {  # by kind
    "warmup": (64, 170, 200),
    "cooldown": (64, 170, 200),
    "run": (250, 90, 70),
    "stride": (255, 160, 60),
    "hill": (240, 80, 110),
    "stairs": (240, 80, 110),
    "exercise": (170, 110, 240),
    "jog": (90, 110, 150),
    "walk": (80, 95, 130),
    "rest": (70, 80, 110),
}
EFFORT = {"easy": 0.35, "steady": 0.55, "hard": 0.85, "max": 1.0}
KIND_EFFORT = {
    "warmup": 0.35, "cooldown": 0.3, "run": 0.8, "stride": 0.9, "hill": 0.9, "stairs": 0.9,
    "exercise": 0.65, "jog": 0.25, "walk": 0.15, "rest": 0.08,
}


FONT = "Roboto-Medium.ttf"
TITLE_FONT = "Roboto-Bold.ttf"


@lru_cache(maxsize=32)
def font(points: int, name: str = FONT) -> ImageFont.FreeTypeFont:
    """Roboto at `points` pixels, from the font-roboto package (layout without libraqm: the same on every machine)."""
    path = Path(font_roboto.font_directory) / name
    return ImageFont.truetype(str(path), points, layout_engine=ImageFont.Layout.BASIC)


def drawable(text: str) -> str:
    """`text` with any character Roboto lacks replaced by its base letters (or '?'): 'Bergläufe — 6 × 60 s'
    stays as it is."""
    out = []
    for char in text:
        if not _has_glyph(char):
            char = "".join(c for c in unicodedata.normalize("NFKD", char) if _has_glyph(c)) or "?"
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=512)
def _has_glyph(char: str) -> bool:
    return char.isspace() or _pixels(char) != _pixels("\uffff")


@lru_cache(maxsize=512)
def _pixels(char: str) -> bytes:
    """How Roboto draws `char` (a missing glyph is drawn as the same .notdef box as U+FFFF)."""
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), char, font=font(40), fill=255)
    return image.tobytes()


def effort(kind: str, level: str | None) -> float:
    """How hard a step is, 0–1: its `effort:` if given, else what its kind usually is."""
    if level in EFFORT and kind not in ("jog", "walk", "rest"):
        return EFFORT[level]
    return KIND_EFFORT.get(kind, 0.5)


def cover_png(plan: Plan, kind: str = "run", size: int = SIZE) -> bytes:
    """The cover as PNG bytes, `size` × `size` pixels."""
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    unit = size / 600
    margin = round(36 * unit)
    _title(draw, drawable(plan.title), margin, size, unit)
    top, bottom = round(300 * unit), round(520 * unit)
    _chart(draw, plan, margin, size - margin, top, bottom)
    small = font(round(22 * unit))
    minutes = round(plan.duration_ms / 60000)
    draw.text((margin, bottom + round(22 * unit)), f"{minutes} MIN · {kind.upper()}", font=small, fill=MUTED)
    draw.text((size - margin, bottom + round(22 * unit)), "audiocoach", font=small, fill=MUTED, anchor="ra")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    """The image as an optimised PNG. Optimising costs about 60 ms a build, so the PNG is remembered on
    disk by the pixels it encodes (and the encoder's versions): the same pixels give the same bytes."""
    key = "|".join((hashlib.sha256(image.tobytes()).hexdigest(), image.mode, f"{image.size}",
                    PIL.__version__, zlib.ZLIB_RUNTIME_VERSION))
    remembered = recall("cover-png", key)
    if remembered is not None:
        return remembered
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    remember("cover-png", key, out.getvalue())
    return out.getvalue()


def _title(draw: ImageDraw.ImageDraw, title: str, margin: int, size: int, unit: float) -> None:
    """The title, as large as fits in three lines across the top."""
    width = size - 2 * margin
    for points in (64, 56, 48, 42, 36, 30, 26, 22):
        face = font(round(points * unit), TITLE_FONT)
        lines = _wrap(draw, title, face, width)
        if len(lines) <= 3 and all(draw.textlength(line, font=face) <= width for line in lines):
            break
    y = margin
    for line in lines[:3]:
        draw.text((margin, y), line, font=face, fill=TEXT)
        y += round(points * unit * 1.15)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _chart(draw: ImageDraw.ImageDraw, plan: Plan, left: int, right: int, top: int, bottom: int) -> None:
    """Effort bars over time, coloured by kind, with the cadence as a line over them."""
    end_ms = max(plan.steps[-1].end_ms, 1)
    thin, thick = max(1, round((right - left) / 528)), max(2, round((right - left) / 176))  # 1 and 3 px at 600
    for fraction in (0.25, 0.5, 0.75):
        y = bottom - round(fraction * (bottom - top))
        draw.line([(left, y), (right, y)], fill=GRID, width=thin)

    def x(ms: int) -> float:
        return left + (right - left) * ms / end_ms

    gap = thin if len(plan.steps) < (right - left) / 4 else 0
    for step in plan.steps:
        height = effort(step.kind, step.effort) * (bottom - top)
        x0, x1 = x(step.start_ms), x(step.end_ms) - gap
        draw.rectangle([x0, bottom - height, max(x0, x1), bottom], fill=COLOURS.get(step.kind, MUTED))
    draw.line([(left, bottom), (right, bottom)], fill=MUTED, width=thick)
    cadences = [s.cadence_spm for s in plan.steps if s.cadence_spm]
    if not cadences:
        return
    low, high = min(cadences) - 8, max(cadences) + 4
    points: list[tuple[float, float]] = []
    for step in plan.steps:
        if not step.cadence_spm:
            if len(points) > 1:
                draw.line(points, fill=CADENCE, width=thick, joint="curve")
            points = []
            continue
        level = bottom - (step.cadence_spm - low) / (high - low) * (bottom - top)
        points += [(x(step.start_ms), level), (x(step.end_ms), level)]
    if len(points) > 1:
        draw.line(points, fill=CADENCE, width=thick, joint="curve")
