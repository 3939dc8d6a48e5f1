"""Load a workout: read the file, compose the YAML, validate it, and check what spans steps.

Every problem ends as a WorkoutError in plain words at a line and column: pydantic's
errors are translated here (all of them, in document order, up to MAX_REPORTED), never shown.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Sequence
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from audiocoach.errors import WorkoutError, combined
from audiocoach.language.checks import check_workout
from audiocoach.language.model import STEP_KINDS, TAGGED_MODELS, Runner, Workout
from audiocoach.language.params import SetValue, apply_params, with_use_notes
from audiocoach.language.quantities import describe_value
from audiocoach.language.yaml_source import Path, Source, read_yaml

__all__ = ["load_workout", "parse_workout", "parse_workout_bytes", "parse_workout_source", "read_regular", "MAX_BYTES"]

MAX_BYTES = 1_000_000
M = TypeVar("M", bound=BaseModel)


def load_workout(path: str | os.PathLike, runner: Runner | None = None, params: Sequence[SetValue] = ()) -> Workout:
    """Read, validate and check the workout file at ``path``; ``runner``'s keys override the file's,
    ``params`` set its parameters (see audiocoach.language.params)."""
    filename = os.fsdecode(path)
    try:
        raw = read_regular(path, MAX_BYTES + 1)
    except FileNotFoundError:
        raise WorkoutError("no such file", file=filename, hint="check the path and the file name") from None
    except IsADirectoryError:
        raise WorkoutError("this is a folder, not a workout file", file=filename,
                           hint="give the path of a .yaml file") from None
    except OSError as err:
        raise WorkoutError(f"can't read the file: {err.strerror or err}", file=filename,
                           hint="check the file's permissions") from None
    return parse_workout_bytes(raw, filename, runner, params)


def load_small_document(path: str | os.PathLike, root: type[M], max_bytes: int, what: str,
                        missing_hint: str) -> tuple[str, Source, M]:
    """A small YAML file the user named (a roster, a programme) read and validated as `root`:
    (its name, its source, the model); every problem a WorkoutError at its line and column."""
    filename = os.fsdecode(path)
    source = read_yaml(_read_small_text(filename, max_bytes, what, missing_hint), filename)
    try:
        return filename, source, root.model_validate(source.data)
    except ValidationError as err:
        raise translate(err, source, root) from None


def _read_small_text(filename: str, max_bytes: int, what: str, missing_hint: str) -> str:
    """The UTF-8 text of a small file the user named: each way it cannot be read is a WorkoutError
    naming `what` ("roster", "programme") and how to fix it."""
    try:
        raw = read_regular(filename, max_bytes + 1)
    except FileNotFoundError:
        raise WorkoutError(f"no such {what} file", file=filename, hint=missing_hint) from None
    except OSError as err:
        raise WorkoutError(f"can't read the {what}: {err.strerror or err}", file=filename) from None
    if len(raw) > max_bytes:
        raise WorkoutError(f"the {what} is larger than {max_bytes // 1000} KB", file=filename,
                           hint="check this is the right file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkoutError(f"the {what} is not UTF-8 text", file=filename, hint="save the file as UTF-8") from None


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file; a FIFO or device is refused, never waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise WorkoutError("this is not a regular file (a pipe, socket or device)", file=os.fsdecode(path),
                               hint="save the workout to a .yaml file and give its path")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def parse_workout_bytes(raw: bytes, filename: str = "<string>", runner: Runner | None = None,
                        params: Sequence[SetValue] = ()) -> Workout:
    """Validate and check a workout file's bytes (UTF-8, at most MAX_BYTES); ``filename`` is used in errors."""
    if len(raw) > MAX_BYTES:
        raise WorkoutError("the file is larger than 1 MB, too large for a workout", file=filename,
                           hint="a workout file is a few kilobytes; check this is the right file")
    return parse_workout(_decode(raw, filename), filename, runner, params)


def _decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = raw.rfind(b"\n", 0, err.start) + 1
        column = len(raw[start:err.start].decode("utf-8", errors="replace")) + 1
        raise WorkoutError(f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x})", file=filename,
                           line=raw.count(b"\n", 0, err.start) + 1, column=column,
                           hint="save the file as UTF-8") from None


def parse_workout(text: str, filename: str = "<string>", runner: Runner | None = None,
                  params: Sequence[SetValue] = ()) -> Workout:
    """Validate and check a workout given as YAML text; ``filename`` is used in errors.

    ``runner`` (from the command line or a roster) overrides the keys of the file's ``runner:``;
    ``params`` (``--set``, a programme's ``set:``) override the defaults of its ``params:``.
    """
    if len(text) > MAX_BYTES:
        raise WorkoutError("the text is larger than 1 MB, too large for a workout", file=filename,
                           hint="a workout file is a few kilobytes")
    return parse_workout_source(read_yaml(text, filename), runner, params)


def parse_workout_source(source: Source, runner: Runner | None = None, params: Sequence[SetValue] = ()) -> Workout:
    """Validate and check a workout already read (a file's, or one written inside a programme, located there)."""
    _not_another_kind(source)
    source, uses = apply_params(source, params)
    try:
        workout = Workout.model_validate(source.data)
    except ValidationError as err:
        raise with_use_notes(translate(err, source), uses) from None
    if runner is not None:
        workout = workout.model_copy(update={"runner": runner.over(workout.runner)})
    workout._source = source
    try:
        check_workout(workout)
    except WorkoutError as err:
        raise with_use_notes(err, uses) from None
    return workout


def _not_another_kind(source: Source) -> None:
    """A roster or a programme given where a workout goes: one error that says how to use it,
    rather than an unknown key for each of its top-level keys."""
    data = source.data
    if not isinstance(data, dict) or "steps" in data:
        return
    if "program" in data:
        raise source.error(("program",), "this is a programme, not a workout", key=True,
                           hint="build it whole with `audiocoach build FILE`; check it with `audiocoach check FILE`; "
                                "plan one session with `audiocoach plan FILE --session WEEK-DAY` (e.g. 1-tue)")
    if "runners" in data:
        raise source.error(("runners",), "this is a roster, not a workout", key=True,
                           hint="give it with --roster: `audiocoach build WORKOUT --roster FILE` "
                                "(check it with `audiocoach check --roster FILE`)")


# ---------------------------------------------------------------- pydantic errors in plain words


def translate(err: ValidationError, source: Source, root: type[BaseModel] = Workout) -> WorkoutError:
    """A ValidationError's problems (of a ``root`` document) in document order, all in one error."""
    details = err.errors(include_url=False)
    # A misspelt key also makes the real one missing: report the misspelling only.
    misspelt = {_yaml_path(d["loc"])[:-1] for d in details if d["type"] == "extra_forbidden"}
    details = [d for d in details if not (d["type"] == "missing" and _yaml_path(d["loc"])[:-1] in misspelt)]
    errors = [_translate_one(dict(detail), source, root) for detail in details]
    error = combined(errors)
    assert error is not None, "invariant: a ValidationError holds at least one problem"
    return error


def _yaml_path(loc: tuple) -> Path:
    """The YAML path of a pydantic ``loc``: the same, without the tags of chosen step classes."""
    return tuple(part for part in loc if not (isinstance(part, str) and part in TAGGED_MODELS))


def _model_at(loc: tuple, root: type[BaseModel] = Workout) -> type[BaseModel] | None:
    """The model class whose field the last element of ``loc`` names."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if isinstance(part, str) and part in TAGGED_MODELS:
            model = TAGGED_MODELS[part]
        elif isinstance(part, str):
            field = model.model_fields.get(part) if model else None
            model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_name(path: Path) -> str:
    names = [part for part in path if isinstance(part, str)]
    name = names[-1] if names else "the workout"
    return f"each item of {name}" if path and isinstance(path[-1], int) else name


def _translate_one(detail: dict, source: Source, root: type[BaseModel]) -> WorkoutError:
    loc, kind = tuple(detail["loc"]), detail["type"]
    path = _yaml_path(loc)
    if kind == "missing":
        return _missing(path, source)
    if kind == "extra_forbidden":
        return _unknown_key(loc, path, source, root)
    if kind in ("value_error", "assertion_error"):
        return _value_error(detail, path, source)
    message, hint = _plain_words(kind, detail, _field_name(path))
    return source.error(path, message, hint)


def _missing(path: Path, source: Source) -> WorkoutError:
    key, parent = path[-1], path[:-1]
    where = _step_kind(source, parent)
    if where:
        owner = f"{'an' if where[0] in 'aeiou' else 'a'} {where} step"
    elif not parent:
        owner = "a workout"
    elif isinstance(parent[-1], int):
        owner = f"this item of {_field_name(parent[:-1])}"
    else:
        owner = str(parent[-1])
    example = _MISSING_EXAMPLES.get((where, str(key))) or _MISSING_EXAMPLES.get((None, str(key))) or f"{key}: …"
    return source.error(parent, f"{owner} needs '{key}'", f"add {example}")


_MISSING_EXAMPLES = {
    (None, "title"): "a line 'title: Easy 5k'",
    (None, "steps"): "'steps:' with a list of steps such as '- run: 20min'",
    ("repeat", "steps"): "'steps:' with the steps to repeat, indented under it",
    (None, "time"): "e.g. 'time: 40s'",
    (None, "at"): "e.g. 'at: 30s'",
    (None, "say"): "e.g. 'say: Loose hands'",
    (None, "distance"): "e.g. 'distance: 5k'",
}


def _step_kind(source: Source, path: Path) -> str | None:
    """The kind of the step at ``path``, when ``path`` names a step."""
    if len(path) < 2 or path[-2] != "steps" or not isinstance(path[-1], int):
        return None
    node = source.data
    try:
        for part in path:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        return None
    return next((key for key in node if key in STEP_KINDS), None) if isinstance(node, dict) else None


def _unknown_key(loc: tuple, path: Path, source: Source, root: type[BaseModel]) -> WorkoutError:
    key = str(path[-1])
    model = _model_at(loc, root)
    valid = list(model.model_fields) if model else []
    close = difflib.get_close_matches(key.lower(), valid, n=1, cutoff=0.6)
    if close:
        hint = f"did you mean '{close[0]}'?"
    else:
        hint = f"keys allowed here: {', '.join(valid)}" if valid else "remove it"
    return source.error(path, f"unknown key '{key}'", hint, key=True)


def _value_error(detail: dict, path: Path, source: Source) -> WorkoutError:
    error = detail.get("ctx", {}).get("error")
    message = getattr(error, "message", None) or str(error or "invalid value")
    hint = getattr(error, "hint", None) or "see docs/workout-language.md"
    key = getattr(error, "key", None)
    if key is not None:
        return source.error(path + (key,), message, hint, key=True)
    return source.error(path, message, hint)


_TYPE_WORDS = {
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_parsing": "a number", "float_type": "a number", "finite_number": "a finite number",
    "bool_parsing": "true or false", "bool_type": "true or false",
    "string_type": "text", "string_unicode": "text",
    "list_type": "a list", "model_type": "a mapping of keys", "dict_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}
_TYPE_HINTS = {
    "a list": "write each item on its own line starting with '- ', or as [a, b]",
    "a mapping of keys": "write 'key: value' lines indented under it, or {key: value}",
    "text": "write it as one line of text, in quotes if it contains ': ' or ' #'",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than"),
}


def _plain_words(kind: str, detail: dict, name: str) -> tuple[str, str]:
    """Message and hint for a pydantic error type other than missing, extra and value errors."""
    got, ctx = describe_value(detail.get("input")), detail.get("ctx", {})
    if kind in _TYPE_WORDS:
        wanted = _TYPE_WORDS[kind]
        if detail.get("input") is None:
            return f"{name} must be {wanted}, got nothing", "write a value after the ':', or leave the key out"
        return f"{name} must be {wanted}, got {got}", _TYPE_HINTS.get(wanted, f"write {wanted} here")
    if kind in _BOUNDS:
        bound_key, words = _BOUNDS[kind]
        bound = ctx.get(bound_key)
        return f"{name} must be {words} {bound}, got {got}", f"write a number {words} {bound}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(detail.get("input")).lower(), choices, n=1, cutoff=0.5)
        listed = ", ".join(choices)
        hint = f"did you mean '{close[0]}'? Choices: {listed}" if close else f"choose one of: {listed}"
        return f"{name} must be one of {listed}, got {got}", hint
    if kind in ("too_short", "string_too_short"):
        example = "add at least one step" if name == "steps" else f"give {name} a value, or leave the key out"
        return f"{name} must not be empty", example
    if kind in ("too_long", "string_too_long"):
        return f"{name} is too long", "shorten it"
    return f"{name} has a value that is not allowed here: {got}", "see docs/workout-language.md"
