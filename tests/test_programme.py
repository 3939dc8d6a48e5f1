"""Programmes: the file checked and located, expanded into dated sessions and jobs, built into
week folders with playlists, program.ics and overview.html; week 4 changed rebuilds only week 4."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.language.model import Runner as RunnerModel
from audiocoach.programme.build import programme_jobs
from audiocoach.programme.check import check_programme, planned_sessions
from audiocoach.programme.expand import sessions
from audiocoach.programme.model import load_programme
from audiocoach.runners import Runner
from audiocoach.uptodate import is_up_to_date

ROOT = Path(__file__).parent.parent
FASTER_MILE = ROOT / "programs" / "faster-mile-6-weeks.yaml"

TINY = """\
title: Tiny ${reps}
params: {reps: 1}
steps:
  - repeat: ${reps}
    steps:
      - run: 100m
        pace: mile
      - walk: 5s
"""

PROGRAMME = """\
program: Tiny programme
runner: {name: Sam, mile: "6:40"}
start: 2027-01-04
time: "07:00"
weeks:
  - sessions: [{day: thu, workout: tiny.yaml}, {day: tue, workout: tiny.yaml, set: {reps: 2}}]
    rest: [mon]
  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 2}}]
  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 2}}]
  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 3}}]
"""


def runner(**keys: object) -> Runner:
    """A checked runner of these keys, as the command line or a roster gives one."""
    return Runner(RunnerModel.model_validate(keys), keys)


def write(folder: Path, programme: str = PROGRAMME) -> Path:
    (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
    path = folder / "p.yaml"
    path.write_text(programme, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_sessions_are_dated_named_by_day_and_carry_their_params(tmp_path: Path):
    found = sessions(load_programme(write(tmp_path)), tmp_path / "out")
    assert [(s.week, s.day, s.date.isoformat()) for s in found] == [
        (1, "tue", "2027-01-05"), (1, "thu", "2027-01-07"), (2, "tue", "2027-01-12"),
        (3, "tue", "2027-01-19"), (4, "tue", "2027-01-26")]
    first = found[0].job
    assert first.out_dir == tmp_path / "out" / "p" / "week-1" and first.stem == "01-tue-tiny"
    assert found[1].job.stem == "02-thu-tiny" and first.track == (1, 2)
    assert [(v.name, v.value, v.line) for v in first.params] == [("reps", 2, 6)]
    assert first.runner is not None and first.runner.keys == {"name": "Sam", "mile": "6:40"}


def test_a_roster_gives_each_runner_a_folder_and_a_week_runner_changes_times_from_then_on(tmp_path: Path):
    roster = [runner(name="Sam", mile="6:40"), runner(name="Priya", mile="5:50")]
    jobs = programme_jobs(write(tmp_path), roster, out=tmp_path)
    assert {j.out_dir.parent.name for j in jobs} == {"Sam", "Priya"} and len(jobs) == 10
    text = PROGRAMME.replace("  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 3}}]",
                             "  - runner: {mile: '6:20'}\n    sessions: [{day: tue, workout: tiny.yaml}]")
    jobs = programme_jobs(write(tmp_path, text), out=tmp_path)
    assert [j.runner.keys["mile"] for j in jobs] == ["6:40"] * 4 + ["6:20"]


def test_from_week_applies_the_new_times_only_from_that_week(tmp_path: Path):
    jobs = programme_jobs(write(tmp_path), runner=runner(mile="5:40"), out=tmp_path, from_week=3)
    assert [j.runner.keys["mile"] for j in jobs] == ["6:40", "6:40", "6:40", "5:40", "5:40"]
    assert all(j.runner.keys["name"] == "Sam" for j in jobs)
    roster = [runner(name="Sam", mile="6:40"), runner(name="Priya", mile="5:50")]
    jobs = programme_jobs(write(tmp_path), roster, runner(name="Priya", mile="5:40"), tmp_path, from_week=4)
    assert [j.runner.keys["mile"] for j in jobs] == ["6:40"] * 5 + ["5:50"] * 4 + ["5:40"]
    with pytest.raises(AudiocoachError, match="one of its runners"):
        programme_jobs(write(tmp_path), roster, runner(mile="5:40"), tmp_path, from_week=4)


@pytest.mark.parametrize("old, new, line, column, words", [
    ("day: thu", "day: thursday", 6, 22, "day must be one of"),
    ("start: 2027-01-04", "start: 2027-13-04", 3, 8, "start must be a date"),
    ("rest: [mon]", "rest: [tue]", 7, 12, "tue is a rest day and has a session"),
    ("workout: tiny.yaml}, {day: tue", "workout: tiny2.yaml}, {day: tue", 6, 36, "no workout file tiny2.yaml"),
    ("set: {reps: 2}}]\n    rest", "set: {rps: 2}}]\n    rest", 6, 90, "has no parameter 'rps'"),
    ("weeks:", "wekes:", 5, 1, "unknown key 'wekes'"),
])
def test_problems_in_the_programme_are_located_in_it(tmp_path: Path, old, new, line, column, words):
    path = write(tmp_path, PROGRAMME.replace(old, new, 1))
    with pytest.raises(WorkoutError) as caught:
        check_programme(path)
    err = caught.value
    assert (err.file, err.line, err.column) == (str(path), line, column), str(err)
    assert words in err.message


def test_a_workout_problem_a_session_causes_names_the_session_line(tmp_path: Path):
    path = write(tmp_path, PROGRAMME.replace("reps: 3", "reps: 0"))
    with pytest.raises(WorkoutError) as caught:
        check_programme(path)
    err = caught.value
    assert (Path(err.file).name, err.line) == ("tiny.yaml", 4)  # at the use, in the workout
    assert f"from {path}:10:" in err.hint and f"in week 4, tue for Sam ({path}:10:" in err.hint


def test_check_command_on_a_programme(tmp_path: Path):
    result = run("check", str(write(tmp_path)))
    assert result.exit_code == 0 and "ok — Tiny programme, 4 weeks, 5 sessions" in result.output
    result = run("check", str(write(tmp_path, PROGRAMME.replace("reps: 3", "reps: x"))))
    assert result.exit_code == 1 and "p.yaml:10:" in result.output


def test_a_programme_given_as_a_workout_says_how_to_use_it(tmp_path: Path):
    path = write(tmp_path)
    result = run("plan", str(path))
    assert result.exit_code == 1
    expected = f"Error: {path}:1:1: this is a programme, not a workout — build it whole"
    assert result.output.startswith(expected), result.output
    assert "--session WEEK-DAY" in result.output and result.output.count("Error:") == 1


def test_list_shows_programmes_after_the_workouts(tmp_path: Path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "tiny.yaml").write_text(TINY, encoding="utf-8")  # its pace needs the programme's runner
    (tmp_path / "easy.yaml").write_text("title: Easy\nsteps: [run: 20min]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PROGRAMME.replace("tiny.yaml", "w/tiny.yaml"), encoding="utf-8")
    result = run("list", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [line.split() for line in result.output.splitlines()] == [
        ["FILE", "TITLE", "KIND", "TIME", "STEPS"], ["easy.yaml", "Easy", "run", "20:00", "1"], [],
        ["PROGRAMME", "TITLE", "WEEKS", "SESSIONS", "A", "WEEK"], ["p.yaml", "Tiny", "programme", "4", "5", "1:22"]]
    (tmp_path / "p.yaml").write_text(PROGRAMME.replace("tiny.yaml", "w/tiny.yaml").replace("reps: 3", "reps: x"),
                                     encoding="utf-8")
    result = run("list", str(tmp_path))
    assert result.exit_code == 1 and "Error: " in result.output and "p.yaml:10:" in result.output


def test_the_library_programme_checks_and_its_week_6_intervals_are_more_and_faster():
    loaded = load_programme(FASTER_MILE)
    planned = planned_sessions(loaded, sessions(loaded, Path("output")))
    assert len({s.week for s, _, _ in planned}) == 6 and len(planned) == 38
    kinds = {w: {workout.kind for s, workout, _ in planned if s.week == w} for w in range(1, 7)}
    assert all({"core", "intervals", "recovery", "strength"} <= k and k & {"hills", "stairs"} for k in kinds.values())
    trials = [s.week for s, workout, _ in planned if workout.source.endswith("mile-time-trial.yaml")]
    assert trials == [1, 6]
    fours = {s.week: p for s, workout, p in planned if workout.source.endswith("mile-400s.yaml")}
    reps = {w: [st for st in p.steps if st.kind == "run"] for w, p in fours.items()}
    assert len(reps[1]) == 6 and len(reps[6]) == 8
    assert reps[6][0].end_ms - reps[6][0].start_ms < reps[1][0].end_ms - reps[1][0].start_ms  # faster 400s


def test_the_time_trial_of_week_6_runs_at_the_new_mile_time_given_from_week_2():
    loaded = load_programme(FASTER_MILE)
    found = sessions(loaded, Path("output"), runner(mile="6:25"), from_week=2)
    trials = {s.week: p for s, workout, p in planned_sessions(loaded, found)
              if workout.source.endswith("mile-time-trial.yaml")}
    mile = {week: next(st for st in plan.steps if st.name == "Time trial") for week, plan in trials.items()}
    assert (mile[1].end_ms - mile[1].start_ms, mile[6].end_ms - mile[6].start_ms) == (400_000, 385_000)
    laps = {week: [c.text for c in plan.cues if c.kind == "split"] for week, plan in trials.items()}
    assert laps == {1: ["400. 1 minute 39.", "800. 3 19.", "1200. 4 58."],
                    6: ["400. 1 minute 36.", "800. 3 11.", "1200. 4 47."]}


def test_a_programme_builds_week_folders_a_calendar_and_rebuilds_only_what_changed(tmp_path: Path):
    path, out = write(tmp_path), tmp_path / "out"
    result = run("build", str(path), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    root = out / "p"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.mp3")) == [
        "week-1/01-tue-tiny.mp3", "week-1/02-thu-tiny.mp3", "week-2/01-tue-tiny.mp3",
        "week-3/01-tue-tiny.mp3", "week-4/01-tue-tiny.mp3"]
    playlist = (root / "week-1" / "playlist.m3u8").read_text(encoding="utf-8").splitlines()
    assert [line for line in playlist if line.endswith(".mp3")] == ["01-tue-tiny.mp3", "02-thu-tiny.mp3"]
    assert (root / "overview.html").is_file()
    _calendar_matches_the_plans(root)

    # Week 4 changed: only week 4 is out of date, and only it is rebuilt.
    path.write_text(PROGRAMME.replace("reps: 3", "reps: 1"), encoding="utf-8")
    jobs = programme_jobs(path, out=out)
    assert [is_up_to_date(j.path, j.out_dir, target=j.target)
            for j in jobs] == [True, True, True, True, False]
    result = run("build", str(path), "-o", str(out), "-j", "1")
    assert "1 built, 4 up to date, 0 failed" in result.output

    # A re-test: new times from week 3 on; weeks 1 and 2 stay as they are.
    before = {p: p.stat().st_mtime_ns for p in root.rglob("week-[12]/*.mp3")}
    result = run("build", str(path), "-o", str(out), "-j", "1", "--mile", "5:40", "--from-week", "3")
    assert "2 built, 3 up to date, 0 failed" in result.output, result.output
    assert before == {p: p.stat().st_mtime_ns for p in root.rglob("week-[12]/*.mp3")}
    targets = {w: _plan(root / f"week-{w}" / "01-tue-tiny.json")["steps"][0]["target"] for w in (2, 3)}
    assert targets[2] != targets[3]  # 100 m at the 5:40 mile's pace now


def _plan(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _calendar_matches_the_plans(root: Path) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical((root / "program.ics").read_bytes())
    events = calendar.walk("VEVENT")
    tracks = sorted(root.rglob("*.mp3"))
    assert len(events) == len(tracks)
    dates = {"week-1/01-tue-tiny": dt.date(2027, 1, 5), "week-1/02-thu-tiny": dt.date(2027, 1, 7),
             "week-2/01-tue-tiny": dt.date(2027, 1, 12), "week-3/01-tue-tiny": dt.date(2027, 1, 19),
             "week-4/01-tue-tiny": dt.date(2027, 1, 26)}
    for event in events:
        track = str(event["description"]).rsplit("Track: ", 1)[1].removesuffix(".mp3")
        start = event.decoded("dtstart")
        assert start == dt.datetime.combine(dates[track], dt.time(7, 0))
        plan = _plan(root / f"{track}.json")
        assert event.decoded("duration") == dt.timedelta(seconds=round(plan["duration_s"]))
        assert str(event["summary"]) == f"{plan['title']} — Sam"


def test_plan_shows_a_programme_session_with_its_params_and_runner(tmp_path: Path):
    path = write(tmp_path)
    result = run("plan", str(path), "--session", "4-tue")
    assert result.exit_code == 0 and result.output.startswith("Tiny 3\n")
    result = run("plan", str(path), "--session", "5-tue")
    assert result.exit_code == 1 and "has no such session" in result.output


WEEK_2_AND_3 = "  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 2}}]\n" * 2
INLINE = PROGRAMME.replace(WEEK_2_AND_3,
                           "  - sessions: [{day: tue, workout: tiny.yaml, set: {reps: 2}}]\n"
                           "  - sessions:\n"
                           "      - day: wed\n"
                           "        workout: {title: 'Easy ${m}', params: {m: 1min},"
                           " steps: [{run: '${m}', effort: easy}]}\n"
                           "        set: {m: 2min}\n", 1)


def test_an_inline_workout_is_checked_where_it_is_written_and_built_from_its_copy(tmp_path: Path):
    path = write(tmp_path, INLINE)
    found = sessions(load_programme(path), tmp_path / "out")
    inline = [s for s in found if s.inline]
    assert [(s.week, s.job.stem) for s in inline] == [(3, "01-wed-easy")]
    assert inline[0].workout == tmp_path / "out" / "p" / ".workouts" / "p" / "week-3-1.yaml"
    assert "ok — Tiny programme" in check_programme(path)
    with pytest.raises(WorkoutError) as caught:
        check_programme(write(tmp_path, INLINE.replace("effort: easy", "effort: eazy")))
    assert (caught.value.file, caught.value.line) == (str(path), 11)
    with pytest.raises(WorkoutError) as caught:
        check_programme(write(tmp_path, INLINE.replace("set: {m: 2min}", "set: {m: 2m}")))
    assert (caught.value.file, caught.value.line) == (str(path), 11)
    assert f"from {path}:12:" in caught.value.hint


def test_the_first_mile_programme_grows_the_runs_to_a_mile_without_stopping():
    loaded = load_programme(ROOT / "programs" / "first-mile.yaml")
    planned = planned_sessions(loaded, sessions(loaded, Path("output")))
    longest = {}
    for session, _, plan in planned:
        runs = [s.end_ms - s.start_ms for s in plan.steps if s.kind == "run"]
        longest[session.week] = max(longest.get(session.week, 0), *runs)
    assert [longest[w] // 60_000 for w in range(1, 7)] == [1, 2, 3, 5, 10, 13]
    assert all(20 <= p.duration_ms / 60_000 <= 40 for _, _, p in planned)  # modest sessions
