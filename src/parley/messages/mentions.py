"""Finding @mentions in message text."""

from __future__ import annotations

import re

ALL_TOKENS = frozenset({"all", "所有人", "全体成员"})
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63}|所有人|全体成员)")


def parse(text: str) -> tuple[set[str], bool]:
    """Usernames (lower-case) mentioned in `text`, and whether it mentions everyone."""
    names = {m.rstrip(".").lower() for m in _MENTION.findall(text)}
    mention_all = bool(names & ALL_TOKENS)
    return names - ALL_TOKENS, mention_all
