"""ID3v2.4 tags read back with mutagen: title, artist, album, track number, genre, comment, runner."""

from mutagen.id3 import ID3

from tests.phone_helpers import batch, plan_json


def test_every_tag_reads_back():
    out = batch()
    reps, hills = ID3(out / "a-reps.mp3"), ID3(out / "b-hills.mp3")
    assert reps.version[:2] == (2, 4)
    assert str(reps["TIT2"]) == "Short reps — 3 × 200 m"
    assert str(reps["TPE1"]) == "Coach K"  # --artist
    assert str(reps["TALB"]) == "Track club"  # the folder
    assert str(reps["TCON"]) == "Fitness"
    assert str(reps["TRCK"]) == "1/2" and str(hills["TRCK"]) == "2/2"  # position in the sorted batch
    assert reps.getall("COMM")[0].text == ["Three quick 200s with jog recoveries."]  # the description
    # no description: the intro's one-line summary
    intro = next(c["text"] for c in plan_json("b-hills")["cues"] if c["kind"] == "intro")
    assert hills.getall("COMM")[0].text == [intro] and intro.startswith("Two hills")
    assert reps.getall("TXXX:RUNNER")[0].text == ["Sam"]
    assert not hills.getall("TXXX:RUNNER")


def test_single_build_has_no_track_number(tmp_path):
    from audiocoach.pipeline import build_file

    source = tmp_path / "one.yaml"
    source.write_text((batch().parent / "Track club" / "b-hills.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    tags = ID3(build_file(source, tmp_path / "out").output)
    assert "TRCK" not in tags and str(tags["TPE1"]) == "audiocoach"
