"""Templates in spoken text: ``Rep {rep} of {reps}``, ``Round {round} of {rounds}``.

``{rep}`` and ``{reps}`` count the innermost repeat around the text, ``{round}`` and
``{rounds}`` the repeat around that one. ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import difflib
import re

from audiocoach.language._scalars import QuantityError

__all__ = ["VARIABLES", "TemplateError", "template_variables", "repeat_depth_needed", "render_template"]

VARIABLES = ("rep", "reps", "round", "rounds")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TemplateError(QuantityError):
    """A template could not be read; ``message`` says why, ``hint`` what to write instead."""


def _variable(match: re.Match) -> str | None:
    """The variable a token names, None for a literal brace; errors for anything else."""
    token = match.group()
    if token in ("{{", "}}"):
        return None
    if match.group(1) is None:
        raise TemplateError(f"'{token}' without its partner", "write {{ or }} for a brace to be spoken as text")
    name = match.group(1).strip()
    if name not in VARIABLES:
        shown = "{" + match.group(1) + "}"
        close = difflib.get_close_matches(name.lower(), VARIABLES, n=1, cutoff=0.6)
        hint = f"did you mean {{{close[0]}}}?" if close else "a template may use {rep}, {reps}, {round} and {rounds}"
        raise TemplateError(f"unknown template variable '{shown}'", hint)
    return name


def template_variables(text: str) -> tuple[str, ...]:
    """The variables ``text`` uses, in order of first use; TemplateError if malformed."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        name = _variable(match)
        if name is not None and name not in found:
            found.append(name)
    return tuple(found)


def repeat_depth_needed(variables: tuple[str, ...] | list[str]) -> int:
    """How many nested repeats must enclose a text using ``variables`` (0, 1 or 2)."""
    if any(v in ("round", "rounds") for v in variables):
        return 2
    return 1 if any(v in ("rep", "reps") for v in variables) else 0


def render_template(text: str, values: dict[str, int]) -> str:
    """``text`` with each ``{variable}`` replaced by ``values[variable]``.

    Raises TemplateError for a malformed template or a variable missing from ``values``.
    """

    def replace(match: re.Match) -> str:
        name = _variable(match)
        if name is None:
            return match.group()[0]
        if name not in values:
            raise TemplateError(f"no value for {{{name}}} here")
        return str(values[name])

    return _TOKEN.sub(replace, text)
