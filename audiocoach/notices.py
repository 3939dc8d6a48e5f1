"""One-line notices on stderr: something the user should know that does not stop the build."""

from __future__ import annotations

import sys

_said: set[str] = set()


def notice(message: str) -> None:
    """Print `Notice: message` on stderr, once per process for the same message."""
    if message in _said:
        return
    _said.add(message)
    print(f"Notice: {message}", file=sys.stderr, flush=True)
