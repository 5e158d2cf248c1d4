"""Janus, the SFU of group calls: rooms of its VideoRoom plugin, managed over Janus's HTTP
API (https://janus.conf.meetecho.com/docs/videoroom). Parley only creates and destroys
rooms, keeps each room's list of allowed tokens and kicks participants; the browsers send
and receive media with Janus directly, admitted by a token Parley gave them.

Each room lives on one of the configured servers (`PARLEY_JANUS_URL`, several for more
users than one machine carries): the one with the fewest rooms from this node, skipping a
server that does not answer."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from parley.config import Settings
from parley.core.errors import Problem

logger = structlog.get_logger()
PLUGIN = "janus.plugin.videoroom"
NO_SUCH_SESSION, NO_SUCH_HANDLE = 458, 459
NO_SUCH_ROOM, NO_SUCH_FEED = 426, 428
# A room holds at most this many publishers (Janus's own limit is per room too).
MAX_PUBLISHERS = 50


class SfuUnavailable(Problem):
    status, code, title = 503, "sfu_unavailable", "Group calls are unavailable"


class JanusError(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code


@dataclass(frozen=True, slots=True)
class Room:
    """A VideoRoom room: where it is (`server`, an index into the settings' lists), its
    number, and the secret that lets Parley (and nobody else) change it."""

    server: int
    number: int
    secret: str


class JanusServer:
    """One Janus: a long-lived API session with one VideoRoom handle for Parley's own
    requests, re-created when Janus forgot it (after its session timeout, or a restart)."""

    def __init__(self, url: str, public_url: str, admin_key: str, client: httpx.AsyncClient):
        self.url, self.public_url, self.admin_key = url.rstrip("/"), public_url, admin_key
        self.client = client
        self.rooms = 0
        self._handle: tuple[int, int] | None = None
        self._lock = asyncio.Lock()

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = await self.client.post(
            f"{self.url}{path}", json={**body, "transaction": secrets.token_hex(8)}
        )
        r.raise_for_status()
        reply: dict[str, Any] = r.json()
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    async def _attach(self) -> tuple[int, int]:
        async with self._lock:
            if self._handle is None:
                session = (await self._post("", {"janus": "create"}))["data"]["id"]
                attached = await self._post(f"/{session}", {"janus": "attach", "plugin": PLUGIN})
                self._handle = (session, attached["data"]["id"])
            return self._handle

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A synchronous VideoRoom request; its answer's data. A plugin-level error
        (`error_code`) raises JanusError."""
        for attempt in (1, 2):
            session, handle = await self._attach()
            try:
                reply = await self._post(f"/{session}/{handle}", {"janus": "message", "body": body})
            except JanusError as exc:
                if exc.code in (NO_SUCH_SESSION, NO_SUCH_HANDLE) and attempt == 1:
                    self._handle = None  # Janus timed the session out: open a new one
                    continue
                raise
            data: dict[str, Any] = reply["plugindata"]["data"]
            if "error_code" in data:
                raise JanusError(int(data["error_code"]), str(data.get("error", "")))
            return data
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(httpx.HTTPError, JanusError):
                await self._post(f"/{self._handle[0]}", {"janus": "destroy"})
            self._handle = None


def browser_origins(settings: Settings) -> list[str]:
    """The origins browsers reach Janus at (for the page's connect-src)."""
    origins = []
    for url in settings.janus_public_url or settings.janus_url:
        parts = httpx.URL(url)
        origins.append(f"{parts.scheme}://{parts.netloc.decode()}")
    return sorted(set(origins))


@dataclass
class Janus:
    """Every configured Janus server, and the VideoRoom requests Parley makes."""

    servers: list[JanusServer] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> Janus:
        client = httpx.AsyncClient(timeout=httpx.Timeout(5.0))
        public = settings.janus_public_url or settings.janus_url
        if len(public) != len(settings.janus_url):
            raise ValueError("janus_public_url must list as many servers as janus_url")
        return cls(
            [
                JanusServer(url, pub, settings.janus_admin_key, client)
                for url, pub in zip(settings.janus_url, public, strict=True)
            ]
        )

    @property
    def configured(self) -> bool:
        return bool(self.servers)

    def public_url(self, room: Room) -> str:
        return self.servers[room.server].public_url

    async def create_room(self, description: str, tokens: list[str]) -> Room:
        """A new private room on the least loaded server that answers, admitting only the
        holders of `tokens`; 503 `sfu_unavailable` when none does."""
        if not self.servers:
            raise SfuUnavailable("No media server (Janus) is configured for group calls.")
        order = sorted(range(len(self.servers)), key=lambda i: self.servers[i].rooms)
        for index in order:
            server = self.servers[index]
            room = Room(index, secrets.randbelow(2**52) + 1, secrets.token_urlsafe(24))
            try:
                await server.request(
                    {
                        "request": "create",
                        "admin_key": server.admin_key,
                        "room": room.number,
                        "secret": room.secret,
                        "description": description[:100],
                        "is_private": True,
                        "permanent": False,
                        "publishers": MAX_PUBLISHERS,
                        "allowed": tokens,
                        # Subscribers must name a publisher of the room (their own private
                        # id), so a kicked participant's subscriptions end with it.
                        "require_pvtid": True,
                        "audiolevel_event": True,
                        # A keyframe request to publishers this often: a late subscriber
                        # (or one that lost packets) sees video within seconds.
                        "fir_freq": 5,
                        "notify_joining": True,
                    }
                )
            except (httpx.HTTPError, JanusError) as exc:
                logger.warning("janus.create_failed", server=server.url, error=str(exc))
                continue
            server.rooms += 1
            return room
        raise SfuUnavailable("No media server (Janus) answers; try again later.")

    async def allow(self, room: Room, tokens: list[str]) -> None:
        await self._room(room, {"request": "allowed", "action": "add", "allowed": tokens})

    async def disallow(self, room: Room, tokens: list[str]) -> None:
        await self._room(room, {"request": "allowed", "action": "remove", "allowed": tokens})

    async def kick(self, room: Room, feed_id: int) -> None:
        """Throw a participant out now (its media and subscriptions end); one who already
        left is no error."""
        try:
            await self._room(room, {"request": "kick", "id": feed_id})
        except JanusError as exc:
            if exc.code != NO_SUCH_FEED:
                raise

    async def feeds(self, room: Room) -> list[int]:
        """The participants Janus has in the room now."""
        data = await self.servers[room.server].request(
            {"request": "listparticipants", "room": room.number}
        )
        return [int(p["id"]) for p in data.get("participants", [])]

    async def destroy(self, room: Room) -> None:
        """End the room for everyone in it; a room already gone is no error."""
        try:
            await self._room(room, {"request": "destroy"})
        except JanusError as exc:
            if exc.code != NO_SUCH_ROOM:
                raise
        finally:
            self.servers[room.server].rooms -= 1

    async def _room(self, room: Room, body: dict[str, Any]) -> dict[str, Any]:
        return await self.servers[room.server].request(
            {**body, "room": room.number, "secret": room.secret}
        )

    async def close(self) -> None:
        for server in self.servers:
            await server.close()
        if self.servers:
            await self.servers[0].client.aclose()
