"""The cover: a 1400×1400 PNG embedded as the front cover, drawn from the workout."""

import io

from click.testing import CliRunner
from mutagen.id3 import ID3
from PIL import Image

from audiocoach.cli import cli
from audiocoach.output.cover import drawable
from tests.phone_helpers import batch


def cover(path) -> Image.Image:
    pictures = ID3(path).getall("APIC")
    assert len(pictures) == 1 and pictures[0].type == 3 and pictures[0].mime == "image/png"
    assert pictures[0].data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(pictures[0].data))
    image.load()
    assert image.format == "PNG" and image.size == (1400, 1400)
    return image


def test_cover_differs_between_workouts():
    reps, hills = cover(batch() / "a-reps.mp3"), cover(batch() / "b-hills.mp3")
    assert reps.tobytes() != hills.tobytes()
    # the chart part alone differs too, not just the title
    box = (84, 700, 1316, 1213)
    assert reps.crop(box).tobytes() != hills.crop(box).tobytes()


def test_plan_png_draws_the_same_cover(tmp_path):
    source = batch().parent / "Track club" / "a-reps.yaml"
    target = tmp_path / "cover.png"
    result = CliRunner().invoke(cli, ["plan", str(source), "--png", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == ID3(batch() / "a-reps.mp3").getall("APIC")[0].data


def test_titles_keep_their_characters():
    """Roboto has the dashes, signs and accents titles use; only what it lacks falls back."""
    assert drawable("Bergläufe — 6 × 60 s · 5–10 ‘km’ Æ ß") == "Bergläufe — 6 × 60 s · 5–10 ‘km’ Æ ß"
    assert drawable("Snow ☃ day") == "Snow ? day"


def test_title_is_drawn_in_the_font_with_its_dash():
    """'—' is drawn as the font's em dash, not as a hyphen: the two titles give different covers."""
    from audiocoach.output.cover import cover_png
    from audiocoach.pipeline import plan_file

    _, plan = plan_file(batch().parent / "Track club" / "a-reps.yaml")
    dashed = Image.open(io.BytesIO(cover_png(plan.__class__(**{**plan.__dict__, "title": "A — B"}))))
    hyphen = Image.open(io.BytesIO(cover_png(plan.__class__(**{**plan.__dict__, "title": "A - B"}))))
    assert dashed.size == (1400, 1400) and dashed.tobytes() != hyphen.tobytes()
