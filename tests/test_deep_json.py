"""JSON nested too deeply is refused before it is parsed, on HTTP and on the socket, and
a client's bad input never floods the log with tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.log_config import configure_logging
from tests.helpers import Server, create_group, create_user, problem, setup_admin
from tests.realtime.support import closed, error, send_ws

LIMIT = 32  # PARLEY_MAX_JSON_DEPTH's default


def nested(depth: int, leaf: object = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def deep_login(depth: int) -> bytes:
    """The reviewer's body: a login whose password is nested `depth` deep (1.2 KB at 500)."""
    return b'{"login":"admin","password":' + b"[" * depth + b"1" + b"]" * depth + b"}"


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"web_dist": tmp_path / "no-client"}


async def _post(server: Server, path: str, body: bytes, **headers: str) -> httpx.Response:
    headers.setdefault("Content-Type", "application/json")
    return await server.client().post(path, content=body, headers=headers)


async def test_deep_bodies_are_refused_with_400(server: Server) -> None:
    await setup_admin(server)
    for depth in (LIMIT + 1, 500, 100_000):
        body = problem(await _post(server, "/auth/login", deep_login(depth)), 400, "json_too_deep")
        assert body["limit"] == LIMIT
    # Unclosed: still refused before any parser recursed into it.
    body = b'{"login":"admin","password":' + b"[" * 5000
    problem(await _post(server, "/auth/login", body), 400, "json_too_deep")
    r = await _post(
        server, "/auth/login", body, **{"Content-Type": "application/json; charset=utf-8"}
    )
    problem(r, 400, "json_too_deep")
    # At the limit it is an ordinary body, refused by validation.
    problem(await _post(server, "/auth/login", deep_login(LIMIT - 1)), 422, "invalid_request")


async def test_brackets_in_text_and_shallow_bodies_pass(server: Server) -> None:
    admin = await setup_admin(server)
    cid = await create_group(admin)
    text = "[" * 500 + "{" * 500 + '\\"]'
    sent = await admin.send(cid, text)
    assert sent["text"] == text
    r = await admin.post("/sync", json={"cursors": {cid: 0}})
    assert r.status_code == 200, r.text


async def test_deep_bodies_of_every_method_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(admin, alice)
    deep = json.dumps({"user_ids": nested(200, alice.user_id)})
    headers = {"Content-Type": "application/json"}
    for method in ("POST", "DELETE"):
        r = await admin.request(
            method, f"/conversations/{cid}/members", content=deep, headers=headers
        )
        problem(r, 400, "json_too_deep")
    r = await admin.patch(
        f"/conversations/{cid}", content=json.dumps({"name": nested(64)}), headers=headers
    )
    problem(r, 400, "json_too_deep")


async def test_deep_frame_gets_an_error_and_the_socket_lives_on(server: Server) -> None:
    admin = await setup_admin(server)
    cid = await create_group(admin)
    ws = await admin.ws()
    frames = [
        {"type": "ping", "ref": nested(500)},
        {
            "type": "message.send",
            "conversation_id": cid,
            "client_msg_id": "x",
            "text": "hi",
            "mentions": nested(LIMIT + 1),
        },
        nested(900),
    ]
    for i, frame in enumerate(frames):
        await ws.socket.send(json.dumps(frame))
        err = await error(ws)
        assert (err["code"], err["status"], err["limit"]) == ("json_too_deep", 400, LIMIT)
        ack = await send_ws(ws, cid, f"still here {i}")
        assert ack["message"]["text"] == f"still here {i}"
    await ws.socket.send("[" * 60_000)
    assert (await error(ws))["code"] == "json_too_deep"
    await ws.send({"type": "ping", "ref": "alive"})
    assert (await ws.expect("pong"))["ref"] == "alive"
    await ws.close()


async def test_deep_first_frame_refuses_the_socket(server: Server) -> None:
    ws = await server.client().ws()
    await ws.socket.send(json.dumps({"type": "auth", "token": nested(500)}))
    assert (await error(ws))["code"] == "json_too_deep"
    assert await closed(ws) == 4001


def _log(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[dict[str, Any]]]:
    text = capsys.readouterr().err
    return text, [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def test_deep_bodies_write_no_traceback(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """300 such requests once added 95 MB of log."""
    await setup_admin(server)
    configure_logging("info")  # onto this test's captured stderr
    capsys.readouterr()
    async with httpx.AsyncClient(base_url=server.base_url + "/api/v1") as http:
        for _ in range(50):
            r = await http.post("/auth/login", content=deep_login(500))
            assert r.status_code == 400
    text, entries = _log(capsys)
    assert "Traceback" not in text
    assert len(text) < 20_000, entries[:3]


async def test_a_crash_repeated_at_will_logs_one_traceback(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever 500 a client finds next, repeating it costs one line per request after the
    first full traceback. (The failing route stands in for that future bug.)"""

    def recurse(n: int) -> int:
        return recurse(n + 1) + 1

    async def broken() -> None:
        recurse(0)

    server.app.add_api_route("/api/v1/broken", broken)
    configure_logging("info")
    capsys.readouterr()
    async with httpx.AsyncClient(base_url=server.base_url + "/api/v1") as http:
        for _ in range(30):
            r = await http.get("/broken")
            problem(r, 500, "internal_error")
    text, entries = _log(capsys)
    errors = [e for e in entries if e["level"] == "error"]
    # Our handler and uvicorn each report every request; one report has the traceback.
    assert len(errors) == 60, [e["event"] for e in entries]
    assert text.count("Traceback") == 1
    assert all(e["exception"].startswith("RecursionError") for e in errors if "traceback" in e)
    assert len(text) < 200_000


async def test_chunked_json_over_the_size_limit_is_413(server: Server) -> None:
    """Without Content-Length the limit is found while reading; JSON bodies are read here
    in full, so the answer is the 413 it should be."""

    async def chunks() -> Any:
        for _ in range(40):
            yield b"[" + b"1," * 16_000 + b"1]"

    limit = server.app.state.runtime.settings.max_body_bytes
    async with httpx.AsyncClient(base_url=server.base_url + "/api/v1") as http:
        r = await http.post(
            "/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert limit < 40 * 32_000
    problem(r, 413, "payload_too_large")
