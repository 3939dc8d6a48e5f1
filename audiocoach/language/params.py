"""Workout parameters: ``params:`` declares names with defaults, ``${name}`` uses them.

A use whose whole value is ``${name}`` becomes the parameter's value as it is (a number stays
a number); inside longer text it is written in. Substitution happens on the document's plain
data before validation, at the same YAML paths, so every use is checked by the model it lands
in and an error stays at the use; the error's hint then names the parameter's definition and
where its value came from (``--set`` or a programme's ``set:`` line).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from audiocoach.errors import AudiocoachError, WorkoutError, WorkoutErrors, raise_all
from audiocoach.language.yaml_source import Path, Position, Source
from audiocoach.setvalues import NAME, SetValue

__all__ = ["SetValue", "apply_params", "with_use_notes"]

_USE = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class _Param:
    name: str
    value: Any
    defined: str  # file:line:column of its name under params:
    given: SetValue | None


def apply_params(source: Source, given: Sequence[SetValue] = ()) -> tuple[Source, dict[Position, list[_Param]]]:
    """The source with each ``${name}`` replaced, and the params used at each value's position."""
    declared = source.data.get("params") if isinstance(source.data, dict) else None
    params = _declared(source, declared)
    _check_given(source, params, given)
    for value in given:
        params[value.name] = dataclasses.replace(params[value.name], value=value.value, given=value)
    uses: dict[Position, list[_Param]] = {}
    errors: list[AudiocoachError] = []
    data = {key: (value if key == "params" else _substitute(value, (key,), source, params, uses, errors))
            for key, value in source.data.items()}
    if errors:
        raise_all(errors)
    return dataclasses.replace(source, data=data), uses


def _declared(source: Source, declared: Any) -> dict[str, _Param]:
    if declared is None:
        return {}
    if not isinstance(declared, dict):
        raise source.error(("params",), "params must be a mapping of names to default values",
                           "write e.g. 'params:' then '  reps: 8' indented under it")
    params = {}
    for name, value in declared.items():
        where = ("params", name)
        if not NAME.fullmatch(name):
            raise source.error(where, f"'{name}' is not a parameter name", "use lower-case letters, digits and _, "
                               "e.g. reps or rep_pace", key=True)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise source.error(where, f"the default of {name} must be a number, a duration, a distance, a pace or text",
                               "write one value, e.g. 8, 90s, 400m or mile - 3s/400m")
        if isinstance(value, str) and _USE.search(value):
            raise source.error(where, f"the default of {name} uses a parameter", "write the value itself")
        line, column = source.position(where, key=True) or (None, None)
        defined = ":".join(str(p) for p in (source.filename, line, column) if p is not None)
        params[name] = _Param(name, value, defined, None)
    return params


def _check_given(source: Source, params: dict[str, _Param], given: Sequence[SetValue]) -> None:
    for value in given:
        param, where = params.get(value.name), ("params", value.name)
        if param is None:
            close = difflib.get_close_matches(value.name, list(params), n=1)
            known = f"its parameters: {', '.join(params)}" if params else "it declares no params:"
            raise value.error(f"{source.filename} has no parameter '{value.name}'",
                              f"did you mean '{close[0]}'? ({known})" if close else known, source, ("params",))
        if isinstance(value.value, bool) or not isinstance(value.value, (int, float, str)):
            raise value.error(f"{value.name} must be one value (a number, duration, distance, pace or text)",
                              f"as its default is ({param.defined})", source, where)
        if isinstance(param.value, int) and not isinstance(value.value, int):
            raise value.error(f"{value.name} must be a whole number, as its default {param.value} is, "
                              f"got '{value.value}'", f"e.g. {value.name}: {param.value} (declared at {param.defined})",
                              source, where)
        if isinstance(param.value, float) and not isinstance(value.value, (int, float)):
            raise value.error(f"{value.name} must be a number, as its default {param.value} is, got '{value.value}'",
                              f"declared at {param.defined}", source, where)


def _substitute(value: Any, path: Path, source: Source, params: dict[str, _Param],
                uses: dict[Position, list[_Param]], errors: list[AudiocoachError]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, path + (k,), source, params, uses, errors) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, path + (i,), source, params, uses, errors) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value
    used = []
    for match in _USE.finditer(value):
        param = params.get(match[1].strip())
        if param is None:
            errors.append(_unknown_use(source, path, match[1], params))
            return value
        used.append(param)
    position = source.position(path)
    if position is not None:
        uses[position] = used
    whole = _USE.fullmatch(value.strip())
    if whole:
        return params[whole[1].strip()].value
    text = _USE.sub(lambda m: str(params[m[1].strip()].value), value)
    return text


def _unknown_use(source: Source, path: Path, name: str, params: dict[str, _Param]) -> WorkoutError:
    close = difflib.get_close_matches(name.strip(), list(params), n=1)
    if close:
        hint = f"did you mean '${{{close[0]}}}'?"
    elif params:
        hint = f"declared parameters: {', '.join(params)}"
    else:
        hint = "declare it under 'params:' with a default, e.g. params: {" + (name.strip() or "reps") + ": 8}"
    return source.error(path, f"unknown parameter '{name.strip()}' in '${{{name}}}'", hint)


def with_use_notes(err: AudiocoachError, uses: dict[Position, list[_Param]]) -> AudiocoachError:
    """``err`` (or each of several) with, at a parameter's use, what the parameter was and where from."""
    if not uses:
        return err
    if isinstance(err, WorkoutErrors):
        return WorkoutErrors([_noted(e, uses) for e in err.errors])
    return _noted(err, uses)


def _noted(err: AudiocoachError, uses: dict[Position, list[_Param]]) -> AudiocoachError:
    used = uses.get((err.line, err.column)) if err.line is not None and err.column is not None else None
    if not used:
        return err
    notes = "; ".join(f"${{{p.name}}} is {p.value!r}" + (f" from {p.given.origin}" if p.given else " (its default)")
                      + f", declared at {p.defined}" for p in used)
    hint = f"{err.hint} ({notes})" if err.hint else notes
    return type(err)(err.message, file=err.file, line=err.line, column=err.column, hint=hint)
