"""YAML syntax errors in plain words, at the line and column where they are."""

from __future__ import annotations

import re

import yaml

from audiocoach.errors import WorkoutError

__all__ = ["located", "syntax_error"]


def located(filename: str, mark, message: str, hint: str | None) -> WorkoutError:
    """A WorkoutError at a YAML mark (0-based line and column)."""
    return WorkoutError(message, file=filename, line=mark.line + 1, column=mark.column + 1, hint=hint)


_LEADING_TAB = re.compile(r"^(?:[ ]|-(?=[ \t]))*\t")


def syntax_error(err: yaml.MarkedYAMLError, text: str, filename: str) -> WorkoutError:
    """A WorkoutError in plain words for a YAML syntax error."""
    mark = err.problem_mark or err.context_mark
    tab = _first_leading_tab(text, mark.line if mark else len(text))
    if tab is not None:
        return WorkoutError("a tab is used for indentation", file=filename, line=tab[0], column=tab[1],
                            hint="indent with spaces, not tabs")
    message, hint, use_context = _plain_words(err.problem or "", err.context or "")
    if use_context and err.context_mark is not None:
        mark = err.context_mark
    if mark is None:
        return WorkoutError(message, file=filename, hint=hint)
    return located(filename, mark, message, hint)


def _first_leading_tab(text: str, last_line: int) -> tuple[int, int] | None:
    for number, line in enumerate(text.splitlines()[: last_line + 1], start=1):
        match = _LEADING_TAB.match(line)
        if match:
            return number, match.end()
    return None


_INDENT_HINT = "keys of one mapping start in the same column, and so do the '- ' of one list"
_PROBLEMS = [
    # (text in problem or context, message, hint, report at the context mark)
    ("while scanning a quoted scalar", "this quote is never closed", "end the text with the same quote mark", True),
    ("while scanning a simple key", "expected 'key: value' on this line", "a key ends with ':'; " + _INDENT_HINT, True),
    ("mapping values are not allowed", "unexpected ':' here",
     "put quotes around text that contains ': ', or check the indentation", False),
    # before the indentation needles: libyaml says "did not find expected ',' or ']'" in a flow
    ("while parsing a flow", "a '[' or '{' is not closed properly",
     "close it with ']' or '}', and quote text with ':' or ','", True),
    ("expected <block end>", "this line is indented differently from the lines around it", _INDENT_HINT, False),
    ("did not find expected", "this line is indented differently from the lines around it", _INDENT_HINT, False),
    ("found undefined alias", "this alias names no anchor", "mark the value with &name before using *name", False),
    ("expected a single document", "a second document starts here",
     "a workout file holds one document; remove the '---'", False),
    ("found duplicate anchor", "this anchor name is already used", "give each &anchor its own name", False),
    ("found character", "this character can't start a value", "put the value in quotes", False),
    ("sequence entries are not allowed", "a '- ' list item can't start here", _INDENT_HINT, False),
    ("expected '<document start>'", "this line does not belong to the document above it",
     "top-level keys start at the left margin; check the indentation", False),
    ("expected alphabetic or numeric character", "an &anchor or *alias needs a name of letters and digits",
     "quote text that starts with & or *", False),
    ("a tag", "this '!' tag is malformed", "workouts are plain YAML: remove the '!', or quote the text", False),
    ("directive", "a '%' directive is not allowed here", "remove the line, or quote text that starts with %", False),
    ("incompatible YAML document", "this YAML version is not supported", "remove the '%YAML' line", False),
    ("unknown escape character", "unknown escape in double-quoted text",
     "use single quotes, or write \\\\ for a backslash", False),
    ("expected the node content", "a value is missing before this character",
     "put text containing , [ ] { } in quotes", False),
    ("mapping keys are not allowed", "a '?' key can't start here", "put text that starts with '?' in quotes", False),
    ("tab character", "a tab is used where spaces are expected", "indent with spaces, not tabs", False),
    ("while scanning a block scalar", "this '|' or '>' text block is malformed",
     "start the text on the next line, indented", True),
]


def _plain_words(problem: str, context: str) -> tuple[str, str, bool]:
    for needle, message, hint, use_context in _PROBLEMS:
        if needle in problem or needle in context:
            return message, hint, use_context
    detail = problem.strip() or context.strip() or "malformed YAML"
    return f"YAML syntax error: {detail}", "check the indentation and quoting of this line", False
