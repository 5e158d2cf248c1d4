"""Pinyin keys of a display name, so the directory finds 张三 by `zhangsan`, `zs` or
`zhang san`.

pypinyin reads each character by its most common (or phrase) reading, which is wrong for
many surnames: 单 is dān in 单位 but shàn as a surname, 曾 céng / zēng, 解 jiě / xiè.
pypinyin has no surname mode, so the first character is keyed under every reading it
has (单雄信: shanxiongxin, danxiongxin, chanxiongxin); compound surnames (万俟, 尉迟)
come out right from its phrase dictionary. Matching more readings than the right one
costs nothing in a directory; missing the right one hides a colleague."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin, pinyin

# Everything that is neither a letter nor a digit is dropped from a key and a query
# (spaces, apostrophes of xi'an, dots of "J. Smith"), so `li si` matches `lisi`.
_NOT_KEY = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Space-separated variants: full pinyin (`zhangsan`) and initials (`zs`)."""

    pinyin: str
    initials: str


def _key(text: str) -> str:
    """`text` as keys compare it: lower-case letters and digits only."""
    return _NOT_KEY.sub("", text.lower())


def query_key(query: str) -> str:
    """What a directory query is compared with the keys as: `Li Si` -> `lisi`; empty
    for a query with anything but Latin letters, digits and separators in it."""
    folded = _key(query)
    return folded if folded.isascii() else ""


def _initials(part: str) -> str:
    """First letter of a syllable, or of each word of a part that is not Chinese."""
    return "".join(word[0] for word in part.split() if word)


def name_keys(name: str) -> NameKeys:
    """The pinyin and initials keys of a display name (empty when it has no Chinese)."""
    if not _HAN.search(name):
        return NameKeys("", "")
    parts = lazy_pinyin(name)
    readings = [parts[0]]
    if _HAN.match(name):
        readings = pinyin(name, style=Style.NORMAL, heteronym=True)[0]
    full, initials = [], []
    for reading in dict.fromkeys(readings):
        variant = [reading, *parts[1:]]
        full.append(_key("".join(variant)))
        initials.append(_key("".join(_initials(p) for p in variant)))
    return NameKeys(" ".join(dict.fromkeys(full)), " ".join(dict.fromkeys(initials)))
