"""The world the matrix runs in, built once per database through the API (and, for
what has no API yet, the models): an organisation with one user per caller, a group with
an owner, an admin, members and a removed member, a direct chat, a message, a file.

Rows that change things act on throwaway objects (`Call.fresh_*`), so every row sees the
same world whatever order they run in."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from sqlalchemy import update

from parley.access.permissions import Permission
from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import AuthSession
from tests.authz.callers import (
    DEFAULT_PERMISSION,
    IN_GROUP,
    SYSTEM_ROLE,
    custom_base,
    custom_grants,
)
from tests.files.samples import png
from tests.files.support import upload
from tests.helpers import PASSWORD, Api, Server, login, setup_admin

_names = itertools.count()


@dataclass
class Req:
    """One request of a row: path parameters, and what goes with them."""

    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    query: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    token: str | None = None  # instead of the caller's usual token (a fresh session)
    # Frames only: a call.invite sent first on the same socket; the call it rings fills in
    # the frame's `call_id` (a row about the caller's own call).
    invite: dict[str, Any] | None = None


@dataclass
class World:
    server: Server
    owner: Api
    apis: dict[str, Api] = field(default_factory=dict)  # one per user name
    group: str = ""
    direct: str = ""  # peer <-> peer2: no caller's
    message: str = ""  # by group_owner in the group
    file: str = ""  # uploaded by group_owner, shared in the group
    pinned: str = ""  # a message pinned in the group
    avatar: str = ""  # the peer's picture
    department: str = ""  # a department (the member is placed in it)
    department_group: str = ""  # a group bound to its own department
    invitation: str = ""  # an invitation link's token (any number of uses)
    custom: dict[tuple[str, Permission], Api] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # username -> user id
    # One connection pool for every row (a client per request costs more than the request).
    http: httpx.AsyncClient = field(default_factory=lambda: _client())

    def api(self, caller: str, perm: Permission | None = None) -> Api:
        """The caller's client (anonymous: no token)."""
        if caller.startswith("custom_"):
            return self.custom[(caller, perm or DEFAULT_PERMISSION)]
        return self.apis.get(caller) or self.server.client()

    def id(self, name: str) -> str:
        return self.apis[name].user_id

    async def user(self, name: str | None = None, role: str = "member") -> Api:
        """A new signed-in user of this system role."""
        name = await self.account(name, role)
        return await login(self.server, name)

    async def account(self, name: str | None = None, role: str = "member") -> str:
        """A new account, not signed in: its username; `self.ids` maps it to its id."""
        name = name or f"tmp{next(_names)}"
        r = await self.owner.post(
            "/users",
            json={
                "username": name,
                "password": PASSWORD,
                "display_name": name.title(),
                "role": role,
                "must_change_password": False,
            },
        )
        assert r.status_code == 201, r.text
        self.ids[name] = str(r.json()["id"])
        return name

    async def make_group(self, owner: Api, *members: Api) -> str:
        r = await owner.post(
            "/conversations",
            json={"type": "group", "name": "矩阵组", "member_ids": [m.user_id for m in members]},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["conversation"]["id"])

    async def open_direct(self, api: Api, other: Api) -> str:
        r = await api.post("/conversations", json={"type": "direct", "user_id": other.user_id})
        assert r.status_code in (200, 201), r.text
        return str(r.json()["conversation"]["id"])

    async def send(self, api: Api, cid: str, text: str = "hello") -> str:
        return str((await api.send(cid, text))["id"])

    async def fresh_department(self) -> str:
        r = await self.owner.post("/departments", json={"name": f"dept{next(_names)}"})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def fresh_role(self) -> str:
        """A custom role granting nothing, held by no one."""
        r = await self.owner.post("/roles", json={"name": f"role{next(_names)}"})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def fresh_invitation(self) -> tuple[str, str]:
        """A new invitation link: its id and token."""
        until = (utcnow() + timedelta(days=1)).isoformat()
        r = await self.owner.post("/invitations", json={"expires_at": until})
        assert r.status_code == 201, r.text
        return str(r.json()["id"]), str(r.json()["token"])

    async def db_write(self, *statements: Any, add: list[Any] | None = None) -> None:
        rt = self.server.app.state.runtime
        async with write_scope(rt.db, rt.publish) as session:
            for s in statements:
                await session.execute(s)
            for obj in add or []:
                session.add(obj)
                await session.flush()


async def build_world(server: Server, perms: set[Permission]) -> World:
    w = World(server, await setup_admin(server))
    w.apis["owner"] = w.owner
    names = ["guest", "member", "outsider", "removed", "group_admin", "group_owner"]
    names += ["peer", "peer2"]  # people no caller shares a conversation with
    names += ["admin", "auditor", "disabled", "expired"]
    made = await asyncio.gather(*(w.user(f"mx.{n}", SYSTEM_ROLE.get(n, "member")) for n in names))
    w.apis.update(zip(names, made, strict=True))
    pairs = [(c, p) for p in sorted(perms) for c in ("custom_with", "custom_without")]
    made = await asyncio.gather(*(w.user(f"{c}_{p.value}", custom_base(p)) for c, p in pairs))
    for (caller, perm), api in zip(pairs, made, strict=True):
        await _grant(w, api, f"{caller}:{perm.value}", custom_grants(caller, perm))
        w.custom[(caller, perm)] = api
    in_group = [w.apis[n] for n in IN_GROUP if n in w.apis and n != "group_owner"]
    in_group += list(w.custom.values())
    w.group = await w.make_group(w.apis["group_owner"], *in_group, w.apis["removed"])
    go = w.apis["group_owner"]
    r = await go.put(
        f"/conversations/{w.group}/members/{w.id('group_admin')}/role", json={"role": "admin"}
    )
    assert r.status_code == 200, r.text
    await w.send(w.apis["removed"], w.group, "before I was removed")
    r = await go.request(
        "DELETE", f"/conversations/{w.group}/members", json={"user_ids": [w.id("removed")]}
    )
    assert r.status_code == 200, r.text
    w.message = await w.send(go, w.group)
    w.pinned = await w.send(go, w.group, "pinned")
    r = await go.post(f"/conversations/{w.group}/messages/{w.pinned}/pin")
    assert r.status_code == 200, r.text
    w.file = (await upload(go, "photo.png", png(), "image/png"))["id"]
    await go.send(w.group, "", attachments=[w.file])
    w.direct = await w.open_direct(w.apis["peer"], w.apis["peer2"])
    w.avatar = (await upload(w.apis["peer"], "me.png", png(), "image/png"))["id"]
    r = await w.apis["peer"].put("/users/me/avatar", json={"file_id": w.avatar})
    assert r.status_code == 200, r.text
    w.department = await w.fresh_department()
    r = await w.owner.put(
        f"/users/{w.id('member')}/org",
        json={"departments": [{"department_id": w.department, "primary": True}]},
    )
    assert r.status_code == 200, r.text
    r = await w.owner.post(f"/departments/{await w.fresh_department()}/groups", json={})
    assert r.status_code == 201, r.text
    w.department_group = str(r.json()["conversation_id"])
    w.invitation = (await w.fresh_invitation())[1]
    r = await w.owner.post(f"/users/{w.id('disabled')}/disable")
    assert r.status_code == 200, r.text
    await w.db_write(
        update(AuthSession)
        .where(AuthSession.user_id == uuid.UUID(w.id("expired")))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    return w


async def _grant(w: World, api: Api, name: str, perms: frozenset[Permission]) -> None:
    """A custom role with these permissions, held by this user, made through the roles API
    by the organisation's owner."""
    r = await w.owner.post(
        "/roles", json={"name": name, "permissions": sorted(p.value for p in perms)}
    )
    assert r.status_code == 201, r.text
    r = await w.owner.put(f"/users/{api.user_id}/roles", json={"role_ids": [r.json()["id"]]})
    assert r.status_code == 200, r.text


@dataclass
class Call:
    """One row being run: the world, and who asks about whose object."""

    world: World
    caller: str
    own: str | None
    perm: Permission | None

    @property
    def api(self) -> Api:
        return self.world.api(self.caller, self.perm)

    @property
    def me(self) -> str | None:
        """The caller's user id (None for anonymous)."""
        return self.api.user_id if self.api.user else None

    async def fresh_session(self) -> str | None:
        """A second session of the caller (for rows that end one); their usual token for
        callers without a valid session."""
        if self.caller in ("anonymous", "disabled", "expired"):
            return self.api.token
        return (await login(self.world.server, self.api.user["username"])).token

    async def fresh_group(self) -> str:
        """A new group shaped like the world's one (the same callers in the same roles),
        for rows that change membership."""
        w = self.world
        members = [w.api(n, self.perm) for n in IN_GROUP if n != "group_owner"]
        cid = await w.make_group(w.apis["group_owner"], *members, w.apis["removed"])
        go = w.apis["group_owner"]
        r = await go.put(
            f"/conversations/{cid}/members/{w.id('group_admin')}/role", json={"role": "admin"}
        )
        assert r.status_code == 200, r.text
        r = await go.request(
            "DELETE", f"/conversations/{cid}/members", json={"user_ids": [w.id("removed")]}
        )
        assert r.status_code == 200, r.text
        return cid

    async def fresh_message(self) -> str:
        """A new message in the world's group: the caller's own when the row is about
        their own object (the removed member's dates from before their removal: a fresh
        one cannot be made, so theirs is looked up), else another member's."""
        w = self.world
        if self.own == "own" and self.caller == "removed":
            return await self._removed_message()
        other = "group_owner" if self.caller == "member" else "member"
        author = self.api if self.own == "own" else w.apis[other]
        return await w.send(author, w.group)

    async def _removed_message(self) -> str:
        r = await self.world.apis["group_owner"].get(
            f"/conversations/{self.world.group}/messages", params={"limit": 200}
        )
        assert r.status_code == 200, r.text
        rid = self.world.id("removed")
        return next(m["id"] for m in r.json()["items"] if m["sender_id"] == rid)


def _client() -> httpx.AsyncClient:
    """Keeps no cookies (a row's sign-in must not sign the next row in) and drops idle
    connections before uvicorn does (5 s), so no request goes out on a closing one."""
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(timeout=30, cookies=jar, limits=httpx.Limits(keepalive_expiry=2))


async def run_http(call: Call, method: str, path: str, req: Req) -> httpx.Response:
    token = req.token if req.token is not None else call.api.token
    headers = dict(req.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = call.world.server.base_url + path.format(**req.params)
    for _ in range(30):
        r = await call.world.http.request(
            method, url, headers=headers, json=req.json, params=req.query, content=req.content
        )
        # Sign-ins wait in a bounded queue; a full one is no answer about access.
        if r.status_code != 503 or r.headers.get("retry-after") is None:
            break
        await asyncio.sleep(float(r.headers["retry-after"]))
    return r
