"""Installed versions of distributions: part of the build key and of the speech cache's keys.

Standard library only, and no audiocoach imports, so every stage may use it without a cycle.
"""

from __future__ import annotations

from importlib import metadata

__all__ = ["versions"]


def versions(*dists: str) -> dict[str, str]:
    """Installed versions of these distributions ("unknown" where missing)."""
    found = {}
    for dist in dists:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "unknown"
    return found
