"""The WebSocket endpoint: authenticate, subscribe, then route frames by `type`.

Order on connect: the socket is registered with the hub (subscribed) before `hello`
is sent, so a client that syncs after `hello` misses nothing between its snapshot and
the live stream."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from parley.conversations import service as conversations
from parley.core.clock import utcnow
from parley.core.errors import Invalid, Problem, Unauthorized
from parley.core.events import conversation_topic, publication
from parley.core.jsonutil import loads
from parley.db.session import read_scope, write_scope
from parley.messages import service as messages
from parley.realtime.broker import Broker
from parley.realtime.client_frames import (
    AuthFrame,
    ClientFrame,
    PingFrame,
    PongFrame,
    PresenceQueryFrame,
    ReadFrame,
    SendFrame,
    TypingFrame,
)
from parley.realtime.connection import (
    CLOSE_AUTH,
    CLOSE_SLOW,
    CLOSE_TIMEOUT,
    Connection,
)
from parley.realtime.hub import Hub
from parley.realtime.presence import Presence
from parley.runtime import Runtime
from parley.users.principal import SESSION_COOKIE, Principal, authenticate

log = structlog.get_logger()
AUTH_TIMEOUT_SECONDS = 10
_frames: TypeAdapter[Any] = TypeAdapter(ClientFrame)


class FrameError(Problem):
    status, code, title = 400, "invalid_frame", "Invalid frame"


def error_frame(problem: Problem, ref: str | None = None) -> dict[str, Any]:
    return {"type": "error", "ref": ref, **problem.body()}


class Gateway:
    def __init__(self, rt: Runtime, hub: Hub, broker: Broker, presence: Presence) -> None:
        self.rt, self.hub, self.broker, self.presence = rt, hub, broker, presence
        self.routes: dict[type, Callable[[Connection, Any], Awaitable[None]]] = {
            SendFrame: self._on_send,
            ReadFrame: self._on_read,
            TypingFrame: self._on_typing,
            PingFrame: self._on_ping,
            PongFrame: self._on_pong,
            PresenceQueryFrame: self._on_presence_query,
            AuthFrame: self._on_auth_again,
        }

    async def handle(self, websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            principal = await self._authenticate(websocket)
        except Problem as problem:
            await self._refuse(websocket, problem)
            return
        except WebSocketDisconnect:
            return
        conn = Connection(
            websocket,
            str(principal.user_id),
            str(principal.session_id),
            principal.expires_at,
            self.rt.settings.ws_send_queue,
        )
        async with read_scope(self.rt.db) as session:
            conv_ids = [
                str(c) for c in await conversations.conversation_ids_of(session, principal.user_id)
            ]
        self.hub.register(conn, conv_ids)
        try:
            if await self.presence.connected(conn.user_id):
                await self._publish_presence(conn.user_id, "online")
            conn.send_json(
                {
                    "type": "hello",
                    "user_id": conn.user_id,
                    "session_id": conn.session_id,
                    "node": self.rt.settings.node_id,
                    "server_time": utcnow().isoformat(),
                    "heartbeat_seconds": self.rt.settings.ws_heartbeat_seconds,
                }
            )
            await self._run(conn)
        finally:
            self.hub.unregister(conn)
            with contextlib.suppress(Exception):
                if await self.presence.disconnected(conn.user_id):
                    await self._publish_presence(conn.user_id, "offline")
            await self._close(conn)

    async def _authenticate(self, websocket: WebSocket) -> Principal:
        cookie = websocket.cookies.get(SESSION_COOKIE)
        if cookie and self._same_origin(websocket):
            async with read_scope(self.rt.db) as session:
                return await authenticate(session, cookie)
        try:
            raw = await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise Unauthorized("Send an auth frame first.", code="auth_timeout") from exc
        frame = self._parse(raw)
        if not isinstance(frame, AuthFrame):
            raise Unauthorized("The first frame must be an auth frame.", code="auth_required")
        async with read_scope(self.rt.db) as session:
            return await authenticate(session, frame.token)

    @staticmethod
    def _same_origin(websocket: WebSocket) -> bool:
        origin = websocket.headers.get("origin", "")
        host = websocket.headers.get("host", "")
        return bool(origin) and origin.split("://", 1)[-1] == host

    async def _refuse(self, websocket: WebSocket, problem: Problem) -> None:
        with contextlib.suppress(Exception):
            await websocket.send_json(error_frame(problem))
            await websocket.close(CLOSE_AUTH, problem.code)

    async def _run(self, conn: Connection) -> None:
        tasks = [
            asyncio.create_task(conn.write_loop()),
            asyncio.create_task(self._read_loop(conn)),
            asyncio.create_task(self._heartbeat(conn)),
            asyncio.create_task(conn.done.wait()),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _close(self, conn: Connection) -> None:
        """Flush what is queued (unless the client is too slow to take it), then close."""
        with contextlib.suppress(Exception):
            if conn.close_code != CLOSE_SLOW:
                async with asyncio.timeout(1):
                    while not conn.queue.empty():
                        await conn.websocket.send_text(conn.queue.get_nowait())
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await conn.websocket.close(conn.close_code, conn.close_reason)

    async def _read_loop(self, conn: Connection) -> None:
        limit = self.rt.settings.ws_max_frame_bytes
        while True:
            message = await conn.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            conn.last_seen = time.monotonic()
            text = message.get("text")
            ref = None
            try:
                if text is None:
                    raise FrameError("Frames must be JSON text.", code="binary_frame")
                if len(text) > limit:
                    raise FrameError(
                        f"Frames may be at most {limit} bytes.", code="frame_too_large", limit=limit
                    )
                frame = self._parse(text)
                ref = getattr(frame, "ref", None)
                await self.routes[type(frame)](conn, frame)
            except Problem as problem:
                conn.send_json(error_frame(problem, ref))
            except Exception:
                log.exception("gateway.frame_failed", user_id=conn.user_id)
                conn.send_json(error_frame(_internal(), ref))

    @staticmethod
    def _parse(text: str) -> Any:
        try:
            data = loads(text)
        except ValueError as exc:
            raise FrameError("The frame is not valid JSON.", code="malformed_frame") from exc
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise FrameError("A frame is a JSON object with a `type`.", code="invalid_frame")
        try:
            return _frames.validate_python(data)
        except ValidationError as exc:
            errors = [
                {"loc": [str(p) for p in e["loc"]], "msg": e["msg"]}
                for e in exc.errors(include_url=False, include_input=False)
            ]
            unknown = any(e["type"] == "union_tag_invalid" for e in exc.errors())
            raise FrameError(
                f"Unknown frame type {data['type'][:40]!r}." if unknown else "Invalid frame.",
                code="unknown_frame_type" if unknown else "invalid_frame",
                errors=errors,
            ) from exc

    async def _heartbeat(self, conn: Connection) -> None:
        interval = self.rt.settings.ws_heartbeat_seconds
        while True:
            await asyncio.sleep(interval)
            if time.monotonic() - conn.last_seen > interval * 2.5:
                conn.close(CLOSE_TIMEOUT, "heartbeat timeout")
                return
            if utcnow() >= conn.expires_at:
                conn.send_json(
                    error_frame(Unauthorized("Session expired.", code="session_expired"))
                )
                conn.close(CLOSE_AUTH, "session expired")
                return
            conn.send_json({"type": "ping", "t": time.time()})

    async def _on_send(self, conn: Connection, frame: SendFrame) -> None:
        async with write_scope(self.rt.db, self.rt.publish) as session:
            message, created = await messages.send(
                session, self.rt.settings, uuid.UUID(conn.user_id), frame.conversation_id, frame
            )
        # Reached only after COMMIT: the ack promises durability.
        conn.send_json(
            {
                "type": "message.ack",
                "ref": frame.ref,
                "conversation_id": str(message.conversation_id),
                "seq": message.seq,
                "id": str(message.id),
                "client_msg_id": message.client_msg_id,
                "duplicate": not created,
                "message": message.model_dump(mode="json"),
            }
        )

    async def _on_read(self, conn: Connection, frame: ReadFrame) -> None:
        async with write_scope(self.rt.db, self.rt.publish) as session:
            state = await messages.mark_read(
                session, uuid.UUID(conn.user_id), frame.conversation_id, frame.seq
            )
        conn.send_json({"type": "read.ack", "ref": frame.ref, **state.model_dump(mode="json")})

    async def _on_typing(self, conn: Connection, frame: TypingFrame) -> None:
        cid = str(frame.conversation_id)
        if not self.hub.is_member(conn.user_id, cid):
            raise Invalid("No such conversation.", code="conversation_not_found")
        now = time.monotonic()
        if now - conn.typing_at.get(cid, -1e9) < self.rt.settings.typing_interval_seconds:
            return
        conn.typing_at[cid] = now
        await self.broker.publish(
            [
                publication(
                    conversation_topic(frame.conversation_id),
                    {"type": "typing", "conversation_id": cid, "user_id": conn.user_id},
                )
            ]
        )

    async def _on_ping(self, conn: Connection, frame: PingFrame) -> None:
        conn.send_json({"type": "pong", "ref": frame.ref, "t": time.time()})

    async def _on_pong(self, conn: Connection, frame: PongFrame) -> None:
        return None  # receiving it already refreshed the heartbeat

    async def _on_presence_query(self, conn: Connection, frame: PresenceQueryFrame) -> None:
        online = await self.presence.online(str(u) for u in frame.user_ids)
        conn.send_json({"type": "presence.state", "ref": frame.ref, "online": sorted(online)})

    async def _on_auth_again(self, conn: Connection, frame: AuthFrame) -> None:
        raise FrameError("This socket is already authenticated.", code="already_authenticated")

    async def _publish_presence(self, user_id: str, status: str) -> None:
        convs = sorted(self.hub.convs_by_user.get(user_id, ()))
        if status == "offline":
            async with read_scope(self.rt.db) as session:
                convs = [
                    str(c)
                    for c in await conversations.conversation_ids_of(session, uuid.UUID(user_id))
                ]
        await self.broker.publish(
            [
                publication(
                    "presence",
                    {"type": "presence", "user_id": user_id, "status": status},
                    user_id=user_id,
                    conversations=convs,
                )
            ]
        )


def _internal() -> Problem:
    problem = Problem("Something went wrong; the frame was not processed.", code="internal_error")
    problem.status, problem.title = 500, "Internal error"
    return problem
