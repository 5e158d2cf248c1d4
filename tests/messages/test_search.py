"""Message search: Chinese segmentation, mixed text, filters, paging, access, query safety."""

from __future__ import annotations

from typing import Any

import pytest

from parley.messages.search import Marks, make_snippet
from tests.helpers import Api, Server, create_group, create_user, problem, setup_admin


async def search(api: Api, q: str, **params: Any) -> dict[str, Any]:
    r = await api.get("/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def texts(api: Api, q: str, **params: Any) -> list[str]:
    return [hit["message"]["text"] for hit in (await search(api, q, **params))["items"]]


def marked(hit: dict[str, Any]) -> list[str]:
    """The highlighted parts of a result's snippet."""
    return [hit["snippet"][start:end] for start, end in hit["highlights"]]


async def test_chinese_query_finds_words_apart_and_together(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    asked = await alice.send(cid, "我们项目的进度怎么样")
    report = await bob.send(cid, "季度项目进度汇报")
    await bob.send(cid, "项目已经完成")
    await alice.send(cid, "今天天气不错")

    page = await search(bob, "项目进度")
    found = [h["message"]["text"] for h in page["items"]]
    assert found == ["季度项目进度汇报", "我们项目的进度怎么样"]
    assert page["next_cursor"] is None
    newest, older = page["items"]
    assert newest["snippet"] == "季度项目进度汇报"
    assert marked(newest) == ["项目进度"]
    assert marked(older) == ["项目", "进度"]
    assert newest["conversation_id"] == cid and newest["seq"] == report["seq"]
    assert older["link"] == {"conversation_id": cid, "message_id": asked["id"], "seq": asked["seq"]}
    assert older["message"]["sender_id"] == alice.user_id

    assert await texts(bob, "完成") == ["项目已经完成"]
    assert await texts(bob, "进度") == ["季度项目进度汇报", "我们项目的进度怎么样"]
    assert await texts(bob, "项目") == ["项目已经完成", "季度项目进度汇报", "我们项目的进度怎么样"]
    assert await texts(bob, "天气 进度") == []


async def test_english_and_mixed_text(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    await alice.send(cid, "Release v2 发布 tomorrow, please review!")
    await alice.send(cid, "the RELEASE notes are ready")
    await alice.send(cid, "v2 的发布计划")
    await alice.send(cid, "C++ 3.14 sprint-42")

    assert await texts(alice, "release v2 发布") == ["Release v2 发布 tomorrow, please review!"]
    assert await texts(alice, "Release") == [
        "the RELEASE notes are ready",
        "Release v2 发布 tomorrow, please review!",
    ]
    assert await texts(alice, "ＲＥＬＥＡＳＥ　ＮＯＴＥＳ") == ["the RELEASE notes are ready"]
    assert len(await texts(alice, "发布")) == 2
    assert await texts(alice, "3.14") == ["C++ 3.14 sprint-42"]
    hit = (await search(alice, "review"))["items"][0]
    assert marked(hit) == ["review"]
    assert await texts(alice, "revie") == []  # words, not substrings


async def test_any_chinese_substring_is_found_after_whole_words(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    await alice.send(cid, "我们下班吧")  # jieba: 我们 / 下班 / 吧
    await alice.send(cid, "等一下班车来了")  # 一下 / 班车: 下班 only as a substring
    await alice.send(cid, "下班前记得提交周报")  # 下班 / 前 / 记得 ...
    await alice.send(cid, "班前会在八点")  # 班前会 / 在 / 八点

    # Whole-word matches first (newest first), then substring-only matches.
    assert await texts(bob, "下班") == ["下班前记得提交周报", "我们下班吧", "等一下班车来了"]
    page = await search(bob, "班前")
    assert [h["message"]["text"] for h in page["items"]] == ["班前会在八点", "下班前记得提交周报"]
    assert [marked(h) for h in page["items"]] == [["班前"], ["班前"]]
    assert await texts(bob, "班前记得提") == ["下班前记得提交周报"]
    await alice.send(cid, "前记者在班前说")  # 班前 and 前记, but not 班前记
    assert await texts(bob, "班前记") == ["下班前记得提交周报"]
    assert await texts(bob, "班车 八点") == []
    assert await texts(bob, "班后") == []

    # Paging walks the whole-word phase, then the substring phase, each message once.
    seen, cursor = [], None
    for _ in range(4):
        params = {"limit": 1} | ({"before": cursor} if cursor else {})
        page = await search(bob, "下班", **params)
        seen += [h["message"]["text"] for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["下班前记得提交周报", "我们下班吧", "等一下班车来了"]
    assert (await bob.get("/search", params={"q": "下班", "before": "px"})).status_code == 422


async def test_filters_by_conversation_sender_and_date(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    g1 = await create_group(alice, bob, name="一组")
    g2 = await create_group(alice, name="二组")
    first = await alice.send(g1, "周报 一")
    await bob.send(g1, "周报 二")
    await alice.send(g2, "周报 三")

    assert await texts(alice, "周报") == ["周报 三", "周报 二", "周报 一"]
    assert await texts(alice, "周报", conversation_id=g1) == ["周报 二", "周报 一"]
    assert await texts(alice, "周报", sender_id=bob.user_id) == ["周报 二"]
    assert await texts(alice, "周报", conversation_id=g2, sender_id=bob.user_id) == []
    early = {"from": "2000-01-01T00:00:00Z", "to": "2001-01-01T00:00:00Z"}
    assert await texts(alice, "周报", sender_id=bob.user_id, **early) == []
    assert await texts(alice, "周报", sender_id=bob.user_id, to="2999-01-01") == ["周报 二"]
    sent_at = first["created_at"]
    assert await texts(alice, "周报", **{"from": "2000-01-01T00:00:00Z"}) != []
    assert await texts(alice, "周报", **{"from": "2999-01-01T00:00:00Z"}) == []
    assert await texts(alice, "周报", to="2000-01-01T00:00:00+08:00") == []
    assert await texts(alice, "周报", to=sent_at) == []  # `to` is exclusive
    assert await texts(alice, "周报", **{"from": sent_at}, to="2999-01-01") == [
        "周报 三",
        "周报 二",
        "周报 一",
    ]
    r = await alice.get("/search", params={"q": "周报", "from": "2030-01-01", "to": "2020-01-01"})
    problem(r, 422, "invalid_range")


async def test_newest_first_paging_with_cursor(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    sent = [await alice.send(cid, f"第{i}次 例会 纪要") for i in range(7)]
    await alice.send(cid, "无关的消息")

    seen: list[int] = []
    cursor = None
    for _ in range(4):
        params = {"limit": 3} | ({"before": cursor} if cursor else {})
        page = await search(alice, "例会", **params)
        seen += [h["seq"] for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [m["seq"] for m in reversed(sent)]
    assert cursor is None
    problem(await alice.get("/search", params={"q": "例会", "before": "x1"}), 422, "invalid_cursor")


async def test_non_members_and_removed_members_find_nothing(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    eve = await create_user(admin)
    secret = await create_group(alice, bob, name="机密")
    await alice.send(secret, "并购方案 机密 草稿")
    open_group = await create_group(alice, bob, eve, name="公开")
    await alice.send(open_group, "并购方案 公开 说明")

    assert await texts(bob, "并购方案") == ["并购方案 公开 说明", "并购方案 机密 草稿"]
    assert await texts(eve, "并购方案") == ["并购方案 公开 说明"]
    r = await eve.get("/search", params={"q": "并购方案", "conversation_id": secret})
    problem(r, 404, "conversation_not_found")

    r = await alice.request(
        "DELETE", f"/conversations/{secret}/members", json={"user_ids": [bob.user_id]}
    )
    assert r.status_code == 200, r.text
    await alice.send(secret, "并购方案 机密 终稿")
    assert await texts(bob, "并购方案") == ["并购方案 公开 说明"]
    assert await texts(bob, "机密") == []
    r = await bob.get("/search", params={"q": "机密", "conversation_id": secret})
    problem(r, 404, "conversation_not_found")
    assert await texts(alice, "机密") == ["并购方案 机密 终稿", "并购方案 机密 草稿"]


async def test_a_late_joiner_finds_only_what_came_after_joining(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    carol = await create_user(admin)
    cid = await create_group(alice)
    await alice.send(cid, "预算 旧讨论")
    r = await alice.post(f"/conversations/{cid}/members", json={"user_ids": [carol.user_id]})
    assert r.status_code == 200, r.text
    await alice.send(cid, "预算 新讨论")
    assert await texts(carol, "预算") == ["预算 新讨论"]
    assert len(await texts(alice, "预算")) == 2


SYNTAX = [
    '"',
    '""',
    '"项目',
    "*",
    "项目*",
    "NEAR",
    "NEAR(项目 完成)",
    "项目 OR 完成",
    "项目 AND NOT 完成",
    "-项目",
    "^项目",
    "terms:项目",
    "'; DROP TABLE messages; --",
    "' OR '1'='1",
    "\\",
    "'",
    "&|!():*<->",
    "项目 & 完成 | !x",
    "%_",
    "\u200b",
]


async def test_fts_and_sql_syntax_is_plain_text(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    await alice.send(cid, '他说 "项目" NEAR 完成 * OR 1=1')
    await alice.send(cid, "项目 进展顺利")
    await alice.send(cid, "please DROP TABLE users")

    for q in SYNTAX:
        r = await alice.get("/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert await texts(alice, "NEAR") == ['他说 "项目" NEAR 完成 * OR 1=1']
    assert await texts(alice, '"项目"') == ["项目 进展顺利", '他说 "项目" NEAR 完成 * OR 1=1']
    assert await texts(alice, "NEAR(项目 完成)") == ['他说 "项目" NEAR 完成 * OR 1=1']
    assert await texts(alice, "项目 OR 完成") == ['他说 "项目" NEAR 完成 * OR 1=1']
    assert await texts(alice, "'; DROP TABLE users; --") == ["please DROP TABLE users"]
    assert await texts(alice, "*") == []  # no word in it: nothing to find
    assert len(await texts(alice, "项目")) == 2  # the index survived all of the above


async def test_empty_and_oversize_queries_are_rejected(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    problem(await alice.get("/search"), 422, "empty_query")
    problem(await alice.get("/search", params={"q": ""}), 422, "empty_query")
    problem(await alice.get("/search", params={"q": " \t\u3000 "}), 422, "empty_query")
    problem(await alice.get("/search", params={"q": "长" * 201}), 422, "query_too_long")
    problem(await alice.get("/search", params={"q": "x" * 10_240}), 422, "query_too_long")
    assert (await alice.get("/search", params={"q": "长" * 200})).status_code == 200
    problem(await alice.get("/search", params={"q": "x", "limit": 0}), 422, "invalid_request")
    assert (await server.client().get("/search", params={"q": "x"})).status_code == 401


async def test_edited_and_recalled_messages_follow_the_index(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    draft = await alice.send(cid, "明天开会讨论预算")
    gone = await alice.send(cid, "预算 机密 不要外传")
    r = await alice.patch(
        f"/conversations/{cid}/messages/{draft['id']}", json={"text": "后天开会讨论方案"}
    )
    assert r.status_code == 200, r.text
    assert await texts(alice, "方案") == ["后天开会讨论方案"]
    assert await texts(alice, "预算") == ["预算 机密 不要外传"]

    r = await alice.post(f"/conversations/{cid}/messages/{gone['id']}/recall")
    assert r.status_code == 200, r.text
    assert await texts(alice, "预算") == []
    assert await texts(alice, "机密") == []


async def test_messages_without_words_and_system_events_are_not_found(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice, name="季度规划")
    await alice.send(cid, "👍👍 !!!")
    assert await texts(alice, "季度规划") == []  # the "group created" event is not text
    assert await texts(alice, "👍") == []


@pytest.mark.parametrize(
    ("text", "words", "snippet", "marks"),
    [
        ("季度项目进度汇报", {"项目", "进度"}, "季度项目进度汇报", ["项目进度"]),
        ("第一行\n项目", {"项目"}, "第一行 项目", ["项目"]),
        ("没有匹配", {"项目"}, "没有匹配", []),
        ("甲" * 200 + "项目" + "乙" * 200, {"项目"}, None, ["项目"]),
    ],
)
def test_snippet_and_highlights(
    text: str, words: set[str], snippet: str | None, marks: list[str]
) -> None:
    got, ranges = make_snippet(text, Marks(words))
    if snippet is not None:
        assert got == snippet
    else:
        assert got.startswith("…") and got.endswith("…") and len(got) <= 122
    assert [got[s:e] for s, e in ranges] == marks
