"""The cover: a 600×600 PNG embedded as the front cover, drawn from the workout."""

import io

from click.testing import CliRunner
from mutagen.id3 import ID3
from PIL import Image

from audiocoach.cli import cli
from audiocoach.cover import drawable
from tests.phone_helpers import batch


def cover(path) -> Image.Image:
    pictures = ID3(path).getall("APIC")
    assert len(pictures) == 1 and pictures[0].type == 3 and pictures[0].mime == "image/png"
    assert pictures[0].data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(pictures[0].data))
    image.load()
    assert image.format == "PNG" and image.size == (600, 600)
    return image


def test_cover_differs_between_workouts():
    reps, hills = cover(batch() / "a-reps.mp3"), cover(batch() / "b-hills.mp3")
    assert reps.tobytes() != hills.tobytes()
    # the chart part alone differs too, not just the title
    box = (36, 300, 564, 520)
    assert reps.crop(box).tobytes() != hills.crop(box).tobytes()


def test_plan_png_draws_the_same_cover(tmp_path):
    source = batch().parent / "Track club" / "a-reps.yaml"
    target = tmp_path / "cover.png"
    result = CliRunner().invoke(cli, ["plan", str(source), "--png", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == ID3(batch() / "a-reps.mp3").getall("APIC")[0].data


def test_titles_fall_back_to_drawable_letters():
    assert drawable("Bergläufe — 6 × 60 s") == "Berglaufe - 6 x 60 s"
