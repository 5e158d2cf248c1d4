"""Bad client frames: each gets an `error` frame with a stable code, and the socket lives on."""

from __future__ import annotations

from typing import Any

from tests.helpers import Server, create_group, create_user, setup_admin
from tests.realtime.support import dumps, error, history, received, send_ws


def _send(cid: str, text: str) -> dict[str, Any]:
    return {"type": "message.send", "conversation_id": cid, "client_msg_id": "bad", "text": text}


def _read(cid: str, seq: object) -> dict[str, Any]:
    return {"type": "read", "conversation_id": cid, "seq": seq}


async def test_each_bad_frame_gets_a_stable_error_and_the_socket_survives(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()
    limit = server.app.state.runtime.settings.ws_max_frame_bytes
    max_chars = server.app.state.runtime.settings.max_message_chars
    send = _send(cid, "x")

    cases: list[tuple[str, str | bytes, str]] = [
        ("invalid json", "{not json", "malformed_frame"),
        ("json array", "[1, 2, 3]", "invalid_frame"),
        ("json string", '"hello"', "invalid_frame"),
        ("binary frame", b'{"type":"ping"}', "binary_frame"),
        ("no type", dumps({"text": "hi"}), "invalid_frame"),
        ("type not a string", dumps({"type": 7}), "invalid_frame"),
        ("unknown type", dumps({"type": "message.explode"}), "unknown_frame_type"),
        ("unknown field", dumps({**send, "colour": "red"}), "invalid_frame"),
        ("missing field", dumps({"type": "message.send", "conversation_id": cid}), "invalid_frame"),
        ("wrong type", dumps(_read(cid, "x")), "invalid_frame"),
        ("bad uuid", dumps({**send, "conversation_id": "not-a-uuid"}), "invalid_frame"),
        ("negative seq", dumps(_read(cid, -1)), "invalid_frame"),
        ("bad client id", dumps({**send, "client_msg_id": "has spaces"}), "invalid_frame"),
        ("long ref", dumps({"type": "ping", "ref": "r" * 65}), "invalid_frame"),
        ("oversize frame", dumps({**send, "text": "a" * (limit + 1)}), "frame_too_large"),
        # Under the limit in characters, over it in bytes (3 bytes each in UTF-8).
        ("oversize in bytes", dumps({**send, "text": "汉" * (limit // 2)}), "frame_too_large"),
        ("empty text", dumps(_send(cid, "  \n ")), "empty_message"),
        ("text too long", dumps(_send(cid, "a" * (max_chars + 1))), "message_too_long"),
        ("lone surrogate", dumps(_send(cid, "SURROGATE")).replace("SURROGATE", "\\ud800"), ""),
        ("nul character", dumps(_send(cid, "a\x00b")), "invalid_frame"),
        ("cursor ahead", dumps(_read(cid, 99)), "cursor_ahead"),
    ]
    for i, (name, raw, code) in enumerate(cases):
        await a.socket.send(raw)
        err = await error(a)
        if name == "lone surrogate":
            # Not storable text: refused whichever layer notices first.
            assert err["code"] in ("malformed_frame", "invalid_frame"), (name, err)
        else:
            assert err["code"] == code, (name, err)
        assert err["status"] in (400, 413, 422), (name, err)
        assert err["detail"], (name, err)
        if code == "cursor_ahead":
            assert err["last_seq"] == i + 1
        # The same socket still works after every error.
        ack = await send_ws(a, cid, f"ok {i}", ref=f"ok{i}")
        assert ack["seq"] == i + 2, (name, ack)

    # Nothing bad was stored or delivered: bob saw exactly the good messages.
    n = len(cases)
    log = await history(bob, cid)
    assert [m["text"] for m in log if m["kind"] == "text"] == [f"ok {i}" for i in range(n)]
    for i in range(n):
        await b.expect("message.new", seq=i + 2)
    assert len(received(b, "message.new")) == n
    await a.close()
    await b.close()


async def test_errors_carry_the_ref_of_the_frame_they_answer(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    ws = await alice.ws()

    await ws.send({**_send(cid, " "), "ref": "empty-1"})
    err = await error(ws)
    assert (err["code"], err["ref"]) == ("empty_message", "empty-1")
    assert err["problem"].endswith("/empty_message")
    # Even when the frame itself is invalid, a readable ref is echoed for correlation.
    await ws.send({**_send(cid, "hi"), "client_msg_id": "no spaces allowed", "ref": "bad-2"})
    err = await error(ws)
    assert (err["code"], err["ref"]) == ("invalid_frame", "bad-2")
    assert err["errors"] and err["errors"][0]["loc"] == ["message.send", "client_msg_id"]
    await ws.send({"type": "message.explode", "ref": "bad-3"})
    err = await error(ws)
    assert (err["code"], err["ref"]) == ("unknown_frame_type", "bad-3")
    await ws.close()


async def test_ping_frame_is_answered_with_pong(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ws = await alice.ws()
    await ws.send({"type": "ping", "ref": "p"})
    pong = await ws.expect("pong")
    assert pong["ref"] == "p" and pong["t"] > 0
    await ws.send({"type": "pong"})  # answering a server ping needs no reply
    await ws.nothing("error")
    await ws.close()
