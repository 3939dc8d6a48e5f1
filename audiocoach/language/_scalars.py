"""What every quantity parser shares: its error, how a user's value is shown and read as text."""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["QuantityError", "describe_value", "text_of", "plain_number", "NUMBER"]

NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"


class QuantityError(ValueError):
    """A quantity could not be read; ``message`` says why, ``hint`` what to write instead."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


def describe_value(value: object) -> str:
    """A short rendering of a user's value for a message: 'eight', a list, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return str(value) if len(str(value)) <= 40 else "a very long number"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def text_of(value: object, what: str, example: str) -> str:
    """The stripped text of a scalar; numbers become their plain decimal text."""
    text = ""
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        text = str(value)
    elif isinstance(value, float) and math.isfinite(value) and abs(value) < 1e30:
        text = plain_number(value)
    if not text:
        raise QuantityError(f"expected {what}, got {describe_value(value)}", f"write e.g. {example}")
    if len(text) > 100:
        raise QuantityError(f"{what} can't be {len(text)} characters long", f"write e.g. {example}")
    return text


def plain_number(number: Decimal | float) -> str:
    """A number without exponent or trailing zeros: 3, 3.5, 0.001."""
    return format(Decimal(str(number)).normalize(), "f")
