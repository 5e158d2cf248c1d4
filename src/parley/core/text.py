"""Small text helpers shared by several domains."""

from __future__ import annotations


def like_pattern(query: str) -> str:
    """A `%...%` LIKE pattern that matches `query` literally (escape char: backslash)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
