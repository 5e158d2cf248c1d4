"""The directory's pinyin keys of a display name (the tricky pure part; the API tests
check what a person finds)."""

from __future__ import annotations

import pytest

from parley.users.pinyin import name_keys, name_pinyin, query_key


@pytest.mark.parametrize(
    ("name", "pinyin", "initials"),
    [
        ("张三", {"zhangsan"}, {"zs"}),
        ("单雄信", {"shanxiongxin", "danxiongxin"}, {"sxx", "dxx"}),  # 单 as a surname: shàn
        ("曾小贤", {"zengxiaoxian", "cengxiaoxian"}, {"zxx", "cxx"}),
        ("解晓东", {"xiexiaodong", "jiexiaodong"}, {"xxd", "jxd"}),
        ("万俟卨", {"moqixie"}, {"mqx"}),  # compound surname, from the phrase dictionary
        ("Alice 王", {"alicewang"}, {"aw"}),
    ],
)
def test_name_keys_cover_every_reading_of_the_surname(
    name: str, pinyin: set[str], initials: set[str]
) -> None:
    keys = name_keys(name)
    assert pinyin <= set(keys.pinyin.split())
    assert initials <= set(keys.initials.split())


def test_names_without_chinese_have_no_keys_and_queries_fold() -> None:
    assert name_keys("Bob Smith").pinyin == ""
    assert query_key("Li Si") == "lisi"
    assert query_key("xi'an") == "xian"
    assert query_key("张三") == ""


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("单雄信", "shan xiong xin"),
        ("曾国藩", "zeng guo fan"),
        ("解缙", "xie jin"),
        ("仇英", "qiu ying"),
        ("区志强", "ou zhi qiang"),
        ("朴槿惠", "piao jin hui"),
        ("查良镛", "zha liang yong"),
        ("尉迟恭", "yu chi gong"),
        ("张三", "zhang san"),
    ],
)
def test_surname_mode_reads_the_surname_as_a_surname_first(name: str, reading: str) -> None:
    assert name_pinyin(name) == reading
    assert name_keys(name).pinyin.split()[0] == reading.replace(" ", "")
