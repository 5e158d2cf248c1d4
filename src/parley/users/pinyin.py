"""Pinyin keys of a display name, so the directory finds 张三 by `zhangsan`, `zs` or
`zhang san`.

pypinyin reads each character by its most common (or phrase) reading, which is wrong for
many surnames: 单 is dān in 单位 but shàn as a surname, 曾 céng / zēng, 解 jiě / xiè,
仇 chóu / qiú, 区 qū / ōu. pypinyin has no surname mode, so this module adds one: a
name whose surname is in `SURNAMES` (compound ones first: 尉迟, 万俟) is keyed under the
surname reading first (`surname_reading`), then under every other reading the character
has (单雄信: shanxiongxin, danxiongxin, chanxiongxin): matching more readings than the
right one costs nothing in a directory; missing the right one hides a colleague."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin, pinyin

# Everything that is neither a letter nor a digit is dropped from a key and a query
# (spaces, apostrophes of xi'an, dots of "J. Smith"), so `li si` matches `lisi`.
_NOT_KEY = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Surnames read differently from the character's common reading (百家姓 and the usual
# lists of 多音字姓氏). Compound surnames are matched before single ones.
SURNAMES: dict[str, list[str]] = {
    "万俟": ["mo", "qi"],
    "尉迟": ["yu", "chi"],
    "长孙": ["zhang", "sun"],
    "澹台": ["tan", "tai"],
    "单于": ["chan", "yu"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "区": ["ou"],
    "朴": ["piao"],
    "查": ["zha"],
    "盖": ["ge"],
    "覃": ["qin"],
    "乐": ["yue"],
    "种": ["chong"],
    "缪": ["miao"],
    "繁": ["po"],
    "员": ["yun"],
    "召": ["shao"],
    "翟": ["zhai"],
    "柏": ["bai"],
    "祭": ["zhai"],
    "洗": ["xian"],
    "冼": ["xian"],
    "隗": ["wei"],
    "车": ["che"],
    "秘": ["bi"],
    "尉": ["wei"],
    "宁": ["ning"],
    "纪": ["ji"],
    "曲": ["qu"],
    "华": ["hua"],
    "句": ["gou"],
    "阚": ["kan"],
    "燕": ["yan"],
    "任": ["ren"],
    "折": ["she"],
    "那": ["na"],
    "率": ["shuai"],
    "谌": ["chen"],
    "黑": ["he"],
    "过": ["guo"],
    "訾": ["zi"],
    "逄": ["pang"],
}
_COMPOUND = sorted((s for s in SURNAMES if len(s) > 1), key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Space-separated variants: full pinyin (`zhangsan`) and initials (`zs`); the
    surname reading comes first."""

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


def surname_reading(name: str) -> tuple[list[str], str] | None:
    """(the syllables of a known surname read as a surname, the rest of the name), or
    None when the name does not start with a surname of `SURNAMES`."""
    for surname in _COMPOUND:
        if name.startswith(surname):
            return SURNAMES[surname], name[len(surname) :]
    if name[:1] in SURNAMES:
        return SURNAMES[name[0]], name[1:]
    return None


def name_pinyin(name: str) -> str:
    """The one reading of a name, surname-aware: 单雄信 -> `shan xiong xin`."""
    known = surname_reading(name)
    parts = lazy_pinyin(name) if known is None else [*known[0], *lazy_pinyin(known[1])]
    return " ".join(" ".join(parts).split())


def name_keys(name: str) -> NameKeys:
    """The pinyin and initials keys of a display name (empty when it has no Chinese)."""
    if not _HAN.search(name):
        return NameKeys("", "")
    variants: list[list[str]] = []
    known = surname_reading(name)
    if known is not None:
        variants.append([*known[0], *lazy_pinyin(known[1])])
    parts = lazy_pinyin(name)
    readings = [parts[0]]
    if _HAN.match(name):
        readings = pinyin(name, style=Style.NORMAL, heteronym=True)[0]
    variants += [[reading, *parts[1:]] for reading in readings]
    full = [_key("".join(v)) for v in variants]
    initials = [_key("".join(_initials(p) for p in v)) for v in variants]
    return NameKeys(" ".join(dict.fromkeys(full)), " ".join(dict.fromkeys(initials)))
