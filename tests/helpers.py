"""Test helpers: an API client, a WebSocket client, and factories for users and groups."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import websockets
from fastapi import FastAPI

PASSWORD = "correct-horse-battery"
# First-run setup: the organisation and its administrator.
SETUP = {
    "organization_name": "测试公司",
    "username": "admin",
    "password": PASSWORD,
    "display_name": "管理员",
}
_counter = itertools.count()


@dataclass
class Server:
    base_url: str
    app: FastAPI

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/api/v1/ws"

    def client(self, token: str | None = None) -> Api:
        return Api(self, token)


class Api:
    """httpx against the real server, with the bearer token of one session."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.server = server
        self.token = token
        self.user: dict[str, Any] = {}

    @property
    def user_id(self) -> str:
        return str(self.user["id"])

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        async with httpx.AsyncClient(base_url=self.server.base_url + "/api/v1", timeout=30) as c:
            return await c.request(method, path, headers=headers, **kwargs)

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("POST", path, **kw)

    async def patch(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("PATCH", path, **kw)

    async def put(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("PUT", path, **kw)

    async def delete(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("DELETE", path, **kw)

    async def send(self, conversation_id: str, text: str, **extra: Any) -> dict[str, Any]:
        body = {
            "client_msg_id": extra.pop("client_msg_id", uuid.uuid4().hex),
            "text": text,
            **extra,
        }
        r = await self.post(f"/conversations/{conversation_id}/messages", json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def ws(self) -> Ws:
        return await Ws.connect(self.server.ws_url, self.token)


def problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert the response is the problem+json error with this status and code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = dict(r.json())
    assert body["code"] == code, body
    assert body["status"] == status
    return body


async def setup_admin(server: Server) -> Api:
    api = server.client()
    r = await api.post("/setup", json=SETUP)
    assert r.status_code == 201, r.text
    api.token = r.json()["login"]["token"]
    api.user = r.json()["login"]["user"]
    return api


async def create_user(
    admin: Api, name: str | None = None, display_name: str | None = None, **fields: Any
) -> Api:
    """Create a member (or, with `role=`, another kind of account) through the admin API
    and sign them in."""
    name = name or f"user{next(_counter)}"
    r = await admin.post(
        "/users",
        json={
            "username": name,
            "password": PASSWORD,
            "display_name": display_name or name.title(),
            "must_change_password": False,
            **fields,
        },
    )
    assert r.status_code == 201, r.text
    return await login(admin.server, name)


async def login(server: Server, name: str, password: str = PASSWORD) -> Api:
    """Sign in, coming back after a 503 `overloaded` as the web client does (a test that
    signs many users in at once may fill the server's password-hashing queue)."""
    api = server.client()
    body = {"login": name, "password": password}
    for _ in range(30):
        r = await api.post("/auth/login", json=body)
        if r.status_code != 503:
            break
        await asyncio.sleep(float(r.headers["retry-after"]))
    assert r.status_code == 200, r.text
    api.token = r.json()["token"]
    api.user = r.json()["user"]
    return api


async def create_group(owner: Api, *members: Api, name: str = "项目组") -> str:
    r = await owner.post(
        "/conversations",
        json={
            "type": "group",
            "name": name,
            "member_ids": [m.user_id for m in members],
        },
    )
    assert r.status_code == 201, r.text
    return str(r.json()["conversation"]["id"])


@dataclass
class Ws:
    """A real WebSocket client that keeps every frame it receives."""

    socket: websockets.ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)
    hello: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def connect(cls, url: str, token: str | None, **kwargs: Any) -> Ws:
        sock = await websockets.connect(url, **kwargs)
        ws = cls(sock)
        if token is not None:
            await ws.send({"type": "auth", "token": token})
            ws.hello = await ws.expect("hello")
        return ws

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send(orjson.dumps(frame).decode())

    async def recv(self, timeout: float = 5) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.socket.recv(), timeout)
        frame = dict(orjson.loads(raw))
        self.frames.append(frame)
        return frame

    async def expect(self, type_: str, timeout: float = 5, **match: Any) -> dict[str, Any]:
        """The next frame of this type (and matching fields), skipping others."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.recv(timeout)
                if frame.get("type") == type_ and all(frame.get(k) == v for k, v in match.items()):
                    return frame

    async def nothing(self, type_: str, wait: float = 0.3) -> None:
        """Assert no frame of this type arrives within `wait` seconds."""
        try:
            async with asyncio.timeout(wait):
                while True:
                    frame = await self.recv(wait)
                    assert frame.get("type") != type_, frame
        except TimeoutError:
            return

    async def close(self) -> None:
        await self.socket.close()


async def make_role(admin: Api, *permissions: str, **fields: Any) -> dict[str, Any]:
    """A custom role granting `permissions` (name unique unless given)."""
    body = {"name": f"role{next(_counter)}", "permissions": list(permissions), **fields}
    r = await admin.post("/roles", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def set_roles(admin: Api, user: Api, **body: Any) -> dict[str, Any]:
    """PUT /users/{id}/roles (`system_role=`, `role_ids=`), asserting it succeeded."""
    r = await admin.put(f"/users/{user.user_id}/roles", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def grant(admin: Api, user: Api, *permissions: str, **fields: Any) -> dict[str, Any]:
    """Give `user` a new custom role with these permissions, besides their other roles."""
    role = await make_role(admin, *permissions, **fields)
    held = (await admin.get(f"/users/{user.user_id}/roles")).json()["role_ids"]
    await set_roles(admin, user, role_ids=[*held, role["id"]])
    return role
