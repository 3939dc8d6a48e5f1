"""Templates in spoken text: ``Rep {rep} of {reps}``, ``Round {round} of {rounds}``.

``{rep}`` and ``{reps}`` count the innermost repeat around the text, ``{round}`` and
``{rounds}`` the repeat around that one. ``{{`` and ``}}`` are literal braces.

The same reader fills the coach's phrase templates (``phrases:``): a field is a bare name and
nothing else. Format specs, conversions and attribute access (``{spm:>9}``, ``{spm!r}``,
``{spm.__class__}``) are refused, so text a person types never reaches ``str.format``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from audiocoach.language._scalars import QuantityError

__all__ = ["VARIABLES", "TemplateError", "template_variables", "repeat_depth_needed", "render_template",
           "template_fields", "fill_template"]

VARIABLES = ("rep", "reps", "round", "rounds")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TemplateError(QuantityError):
    """A template could not be read; ``message`` says why, ``hint`` what to write instead."""


def _field(match: re.Match) -> str | None:
    """The bare name a token holds, None for a literal brace; TemplateError for anything else."""
    token = match.group()
    if token in ("{{", "}}"):
        return None
    if match.group(1) is None:
        raise TemplateError(f"'{token}' without its partner", "write {{ or }} for a brace to be spoken as text")
    name = match.group(1).strip()
    if name and not _NAME.fullmatch(name):
        shown = token if len(token) <= 40 else token[:37] + "…"
        bare = _NAME.match(name)
        hint = (f"write {{{bare.group()}}}: the coach formats numbers itself" if bare
                else "a placeholder is a name in braces")
        raise TemplateError(f"'{shown}' is not a plain placeholder (no format specs, conversions or attributes)", hint)
    return name


def template_fields(text: str) -> tuple[str, ...]:
    """The placeholder names ``text`` uses, in order of first use; TemplateError if malformed."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        name = _field(match)
        if name is not None and name not in found:
            found.append(name)
    return tuple(found)


def fill_template(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` replaced by ``str(values[name])`` (one pass: values are not read again)."""

    def replace(match: re.Match) -> str:
        name = _field(match)
        if name is None:
            return match.group()[0]
        if name not in values:
            raise TemplateError(f"no value for {{{name}}} here")
        return str(values[name])

    return _TOKEN.sub(replace, text)


def _check_known(names: Iterable[str]) -> None:
    for name in names:
        if name not in VARIABLES:
            close = difflib.get_close_matches(name.lower(), VARIABLES, n=1, cutoff=0.6)
            hint = (f"did you mean {{{close[0]}}}?" if close
                    else "a template may use {rep}, {reps}, {round} and {rounds}")
            raise TemplateError(f"unknown template variable '{{{name}}}'", hint)


def template_variables(text: str) -> tuple[str, ...]:
    """The repeat variables ``text`` uses, in order of first use; TemplateError if malformed or unknown."""
    found = template_fields(text)
    _check_known(found)
    return found


def repeat_depth_needed(variables: tuple[str, ...] | list[str]) -> int:
    """How many nested repeats must enclose a text using ``variables`` (0, 1 or 2)."""
    if any(v in ("round", "rounds") for v in variables):
        return 2
    return 1 if any(v in ("rep", "reps") for v in variables) else 0


def render_template(text: str, values: dict[str, int]) -> str:
    """``text`` with each ``{variable}`` replaced by ``values[variable]``.

    Raises TemplateError for a malformed template or a variable missing from ``values``.
    """
    _check_known(template_fields(text))
    return fill_template(text, values)
