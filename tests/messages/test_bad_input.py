from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Server, create_group, create_user, problem, setup_admin


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"max_message_chars": 500, "max_body_bytes": 8192}


@pytest.fixture
async def chat(server: Server) -> tuple[Any, str]:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    return alice, await create_group(alice)


async def _post_raw(api: Any, path: str, content: bytes) -> Any:
    return await api.post(path, content=content, headers={"Content-Type": "application/json"})


async def test_malformed_bodies_are_clear_4xx(chat: tuple[Any, str]) -> None:
    alice, cid = chat
    path = f"/conversations/{cid}/messages"
    problem(await _post_raw(alice, path, b'{"client_msg_id": "a", "text": '), 400, "malformed_json")
    problem(
        await _post_raw(alice, path, b'{"client_msg_id": "a", "text": "\xff\xfe"}'),
        400,
        "malformed_json",
    )
    problem(await _post_raw(alice, path, b"[]"), 422, "invalid_request")
    problem(await alice.post(path, json={"client_msg_id": "a", "text": 5}), 422, "invalid_request")
    problem(await alice.post(path, json={"client_msg_id": "a"}), 422, "invalid_request")
    problem(
        await alice.post(path, json={"client_msg_id": "a", "text": "x", "extra": 1}),
        422,
        "invalid_request",
    )
    problem(
        await alice.post(path, json={"client_msg_id": "a b", "text": "x"}), 422, "invalid_request"
    )
    problem(
        await alice.post(path, json={"client_msg_id": "a", "text": "   \n "}), 422, "empty_message"
    )
    problem(
        await alice.post(path, json={"client_msg_id": "a", "text": "x" * 501}),
        422,
        "message_too_long",
    )
    problem(
        await alice.post(path, json={"client_msg_id": "a", "text": "nul\u0000byte"}),
        422,
        "invalid_request",
    )
    problem(
        await _post_raw(alice, path, b'{"client_msg_id": "a", "text": "\\ud800"}'),
        422,
        "invalid_request",
    )
    problem(await _post_raw(alice, path, b"{" + b" " * 9000 + b"}"), 413, "payload_too_large")
    problem(
        await alice.post(
            "/conversations/not-a-uuid/messages", json={"client_msg_id": "a", "text": "x"}
        ),
        422,
        "invalid_request",
    )
    problem(await alice.get("/no/such/route"), 404, "not_found")
    problem(await alice.request("PUT", "/sync"), 405, "method_not_allowed")
    # None of it was stored: the log holds only the "group created" event.
    items = (await alice.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m["kind"] for m in items] == ["system"]


async def test_cursor_and_limit_bounds(chat: tuple[Any, str]) -> None:
    alice, cid = chat
    await alice.send(cid, "one")
    problem(
        await alice.get(f"/conversations/{cid}/messages", params={"after": 99}), 422, "cursor_ahead"
    )
    problem(
        await alice.get(f"/conversations/{cid}/messages", params={"after": -1}),
        422,
        "invalid_request",
    )
    problem(
        await alice.get(f"/conversations/{cid}/messages", params={"limit": 100000}),
        422,
        "invalid_request",
    )
    problem(await alice.post(f"/conversations/{cid}/read", json={"seq": 3}), 422, "cursor_ahead")
    problem(await alice.get("/sync", params={"cursors": f"{cid}:50"}), 422, "cursor_ahead")
    problem(await alice.get("/sync", params={"cursors": "garbage"}), 422, "invalid_cursor")
    problem(await alice.get("/sync", params={"cursors": f"{cid}:-4"}), 422, "invalid_cursor")
    problem(await alice.get("/conversations", params={"cursor": "nonsense"}), 422, "invalid_cursor")


async def test_reply_must_quote_this_conversation(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    one = await create_group(alice, name="one")
    two = await create_group(alice, name="two")
    elsewhere = await alice.send(one, "in one")
    r = await alice.post(
        f"/conversations/{two}/messages",
        json={"client_msg_id": "r", "text": "quoting", "reply_to": elsewhere["id"]},
    )
    problem(r, 422, "reply_not_found")
