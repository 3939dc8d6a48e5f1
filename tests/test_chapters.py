"""Chapters (CHAP + CTOC) read back from the MP3 and checked against `plan --json`."""

import pytest
from mutagen.id3 import ID3

from tests.phone_helpers import batch, plan_json

FRAME_MS = 1152 / 44100 * 1000  # one MP3 frame
RECOVERY = {"jog", "walk", "rest"}


def read_chapters(path):
    tags = ID3(path)
    toc = tags.getall("CTOC")
    assert len(toc) == 1 and toc[0].flags & 1  # top level
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert list(toc[0].child_element_ids) == sorted(chaps, key=lambda i: chaps[i].start_time)
    return [(str(chaps[i].sub_frames["TIT2"]), chaps[i].start_time, chaps[i].end_time)
            for i in toc[0].child_element_ids]


@pytest.mark.parametrize("stem", ["a-reps", "b-hills"])
def test_chapters_match_the_plan(stem):
    plan = plan_json(stem)
    found = read_chapters(batch() / f"{stem}.mp3")
    steps = plan["steps"]
    # a chapter starts at each step that is not a recovery, and nowhere else
    wanted = [s for s in steps if s["kind"] not in RECOVERY]
    assert len(found) == len(wanted)
    for (title, start, end), step, after in zip(found, wanted, wanted[1:] + [None]):
        assert abs(start - step["start_s"] * 1000) <= FRAME_MS
        end_s = plan["duration_s"] if after is None else after["start_s"]  # the rep's recovery included
        assert abs(end - end_s * 1000) <= FRAME_MS
        assert title.startswith(step["name"] + " — ")
    assert found[0][1] == 0 and found[-1][2] == round(plan["duration_s"] * 1000)


def test_chapter_titles_as_a_runner_says_them():
    titles = [t for t, _, _ in read_chapters(batch() / "a-reps.mp3")]
    assert titles == ["Warm-up — 60 s", "Rep 1 of 3 — 200 m", "Rep 2 of 3 — 200 m", "Rep 3 of 3 — 200 m",
                      "Cool-down — 60 s"]


def test_rounds_of_a_circuit_are_one_chapter_each():
    from audiocoach.output.chapters import chapters
    from audiocoach.pipeline import plan_file
    from tests.conftest import EXAMPLES

    circuit = next(p for p in EXAMPLES if p.stem == "core-circuit")
    _, plan = plan_file(circuit)
    found = chapters(plan)
    assert [c.title for c in found] == ["Warm-up — 3 min", "Round 1 of 2", "Round 2 of 2", "Stretch — 3 min"]
    assert all(a.end_ms == b.start_ms for a, b in zip(found, found[1:]))


# ---------------------------------------------------------------- more blocks than ID3 can list


@pytest.mark.parametrize("body, blocks", [
    ("  - repeat: 256\n    steps:\n      - stride: 1s\n", 256),
    ("  - repeat: 1000\n    steps:\n      - stride: 1s\n      - run: 1s\n", 1000),  # 2,000 steps: the limit
])
def test_any_number_of_blocks_makes_a_table_id3_can_hold(monkeypatch, body, blocks):
    import io

    from audiocoach.coaching.advice import plan_without_audio
    from audiocoach.language import parse_workout
    from audiocoach.output import chapters as module
    from audiocoach.output.tags import Tags, id3_bytes

    plan = plan_without_audio(parse_workout(f"title: Many\nsteps:\n{body}"))
    found = module.chapters(plan)
    with monkeypatch.context() as patched:
        patched.setattr(module, "MAX_CHAPTERS", 10**6)
        every = module.chapters(plan)  # one chapter per block
    assert len(every) == blocks and len(found) == module.MAX_CHAPTERS == 255
    # in order, without gaps, covering the whole track; each block in exactly one chapter, groups near-equal
    assert found[0].start_ms == 0 and found[-1].end_ms == plan.duration_ms
    assert all(a.end_ms == b.start_ms for a, b in zip(found, found[1:]))
    sizes = [sum(c.start_ms <= b.start_ms < c.end_ms for b in every) for c in found]
    assert sum(sizes) == blocks and max(sizes) - min(sizes) <= 1
    first = every[sizes[0] - 1]
    assert found[0].title == every[0].title + ("" if sizes[0] == 1 else f" to {first.title}")
    tags = ID3(io.BytesIO(id3_bytes(Tags(title="Many", chapters=found))))
    assert len(tags.getall("CTOC")[0].child_element_ids) == len(tags.getall("CHAP")) == 255


def test_up_to_255_blocks_keep_a_chapter_each():
    from audiocoach.output.chapters import grouped
    from audiocoach.output.tags import Chapter

    few = tuple(Chapter(f"c{i}", i, i + 1) for i in range(255))
    assert grouped(few, 255) == few
    assert [c.title for c in grouped(few[:5], 2)] == ["c0 to c1", "c2 to c4"]
