"""The WebSocket endpoint: authenticate, subscribe, then route frames by `type`.

Order on connect: the socket is registered with the hub (subscribed) before `hello`
is sent, so a client that syncs after `hello` misses nothing between its snapshot and
the live stream."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Collection
from typing import Any

import structlog
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from parley.calls.meetings import MeetingSignalling
from parley.calls.schemas import CALL_FRAMES, MEETING_FRAMES
from parley.calls.signalling import CallSignalling
from parley.conversations import service as conversations
from parley.core.clock import utcnow
from parley.core.errors import Invalid, Problem, Unauthorized
from parley.core.events import conversation_topic, publication
from parley.core.json_depth import JsonTooDeep, too_deep
from parley.core.jsonutil import loads
from parley.db.session import read_scope, write_scope
from parley.messages import service as messages
from parley.messages.send_batch import SendRequest
from parley.messages.send_queue import SendQueue
from parley.realtime.broker import Broker
from parley.realtime.client_frames import (
    MAX_REF_CHARS,
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
from parley.realtime.wire import raw_protocol
from parley.runtime import Runtime
from parley.users.principal import SESSION_COOKIE, Principal, authenticate

log = structlog.get_logger()
AUTH_TIMEOUT_SECONDS = 10
# Every this many heartbeats a socket's session is re-read from the database: the broker
# may lose a revocation (Redis keeps no backlog) and a session may be cut short in the
# database, so the socket must not outlive its session by more than a few beats.
SESSION_RECHECK_BEATS = 4
_frames: TypeAdapter[Any] = TypeAdapter(ClientFrame)
# Frames that use the database run on the socket's command task (see _command_loop); call
# frames too, which also keeps a device's signals (offer, then candidates) in order.
QUEUED_FRAMES = (SendFrame, ReadFrame, *CALL_FRAMES, *MEETING_FRAMES)
# Frames read ahead of the database; beyond this the read loop waits (back-pressure).
COMMAND_QUEUE = 256
DRAIN_COMMANDS_SECONDS = 10


class FrameError(Problem):
    status, code, title = 400, "invalid_frame", "Invalid frame"
    # The ref of the refused frame when it could be read, so the client can match the error
    # to the request it made (an invalid send must not leave its outbox entry pending).
    ref: str | None = None


def error_frame(problem: Problem, ref: str | None = None) -> dict[str, Any]:
    """The problem as a socket frame. Its RFC 9457 `type` URI moves to `problem`: on the
    socket `type` names the frame, and clients route on it."""
    body = problem.body()
    return {**body, "type": "error", "problem": body["type"], "ref": ref}


class Gateway:
    def __init__(
        self,
        rt: Runtime,
        hub: Hub,
        broker: Broker,
        presence: Presence,
        sends: SendQueue,
        calls: CallSignalling,
        meetings: MeetingSignalling,
    ) -> None:
        self.rt, self.hub, self.broker, self.presence = rt, hub, broker, presence
        self.sends, self.calls, self.meetings = sends, calls, meetings
        self.routes: dict[type, Callable[[Connection, Any], Awaitable[None]]] = {
            SendFrame: self._on_send,
            ReadFrame: self._on_read,
            TypingFrame: self._on_typing,
            PingFrame: self._on_ping,
            PongFrame: self._on_pong,
            PresenceQueryFrame: self._on_presence_query,
            AuthFrame: self._on_auth_again,
            **dict.fromkeys(CALL_FRAMES, self._on_call),
            **dict.fromkeys(MEETING_FRAMES, self._on_meeting),
        }

    async def handle(self, websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            principal, token = await self._authenticate(websocket)
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
            token=token,
            raw=raw_protocol(websocket),
            permissions=principal.permissions,
        )
        # Register, then read the snapshot, then subscribe and greet: whatever commits in
        # between reaches the socket or the client's sync after `hello`.
        self.hub.register(conn)
        announced: asyncio.Task[None] | None = None
        try:
            async with read_scope(self.rt.db) as session:
                joined = await conversations.joined_seqs(session, principal.user_id)
            self.hub.subscribe(conn, {str(c): seq for c, seq in joined.items()})
            conn.greet(
                {
                    "type": "hello",
                    "user_id": conn.user_id,
                    "session_id": conn.session_id,
                    "server_time": utcnow().isoformat(),
                    "heartbeat_seconds": self.rt.settings.ws_heartbeat_seconds,
                }
            )
            # Beside the socket, not before it: a hung Redis would hold the first frames.
            announced = asyncio.create_task(self._announce_online(conn))
            await self._run(conn)
        finally:
            self.hub.unregister(conn)
            try:
                await self.calls.device_left(conn.user_id, conn.device_id)
                await self.meetings.device_left(conn.user_id, conn.device_id)
            except Exception:
                log.exception("gateway.call_end_failed", user_id=conn.user_id)
            if announced is not None:
                with contextlib.suppress(Exception):
                    await announced  # counted before it is uncounted
                    if await self.presence.disconnected(conn.user_id):
                        await self._publish_presence(conn.user_id, "offline")
            await self._close(conn)

    async def _authenticate(self, websocket: WebSocket) -> tuple[Principal, str]:
        """The principal and the token it was proven with (cookie or auth frame)."""
        cookie = websocket.cookies.get(SESSION_COOKIE)
        if cookie and self._same_origin(websocket):
            return await self._principal(cookie), cookie
        try:
            raw = await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise Unauthorized("Send an auth frame first.", code="auth_timeout") from exc
        frame = self._parse(raw)
        if not isinstance(frame, AuthFrame):
            raise Unauthorized("The first frame must be an auth frame.", code="auth_required")
        return await self._principal(frame.token), frame.token

    async def _principal(self, token: str) -> Principal:
        async with read_scope(self.rt.db) as session:
            return await authenticate(session, token)

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
        commands: asyncio.Queue[tuple[Any, str | None]] = asyncio.Queue(COMMAND_QUEUE)
        tasks = [
            asyncio.create_task(conn.write_loop()),
            asyncio.create_task(self._read_loop(conn, commands)),
            asyncio.create_task(self._command_loop(conn, commands)),
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
                        await conn.write(conn.queue.get_nowait())
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await conn.websocket.close(conn.close_code, conn.close_reason)

    async def _read_loop(
        self, conn: Connection, commands: asyncio.Queue[tuple[Any, str | None]]
    ) -> None:
        limit = self.rt.settings.ws_max_frame_bytes
        while True:
            message = await conn.websocket.receive()
            if message["type"] == "websocket.disconnect":
                # Let the frames already read finish (a send the client just made).
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(commands.join(), DRAIN_COMMANDS_SECONDS)
                return
            conn.last_seen = time.monotonic()
            text = message.get("text")
            try:
                if text is None:
                    raise FrameError("Frames must be JSON text.", code="binary_frame")
                if len(text) > limit or len(text.encode()) > limit:
                    raise FrameError(
                        f"Frames may be at most {limit} bytes.", code="frame_too_large", limit=limit
                    )
                frame = self._parse(text)
            except Problem as problem:
                conn.send_json(error_frame(problem, getattr(problem, "ref", None)))
                continue
            ref = getattr(frame, "ref", None)
            if isinstance(frame, QUEUED_FRAMES):
                await commands.put((frame, ref))
            else:
                await self._dispatch(conn, frame, ref)

    async def _command_loop(
        self, conn: Connection, commands: asyncio.Queue[tuple[Any, str | None]]
    ) -> None:
        """Frames that write to the database, one at a time in the order received, off
        the read loop: while a send waits for the database (the single SQLite writer under
        load), the read loop keeps reading, so the protocol-level pongs arrive and uvicorn
        does not close a healthy socket for a missed keepalive (1011). The bench's max-rate
        ramp lost every socket that way once sends queued for more than 20 s."""
        while True:
            frame, ref = await commands.get()
            try:
                await self._dispatch(conn, frame, ref)
            finally:
                commands.task_done()

    async def _dispatch(self, conn: Connection, frame: Any, ref: str | None) -> None:
        try:
            await self.routes[type(frame)](conn, frame)
        except Problem as problem:
            conn.send_json(error_frame(problem, ref))
        except Exception:
            log.exception("gateway.frame_failed", user_id=conn.user_id)
            conn.send_json(error_frame(_internal(), ref))

    def _parse(self, text: str) -> Any:
        # Scanned before parsing: validating a frame nested hundreds deep overflowed the
        # stack, and the socket closed without a word.
        if too_deep(text, self.rt.settings.max_json_depth):
            raise JsonTooDeep(self.rt.settings.max_json_depth)
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
            problem = FrameError(
                f"Unknown frame type {data['type'][:40]!r}." if unknown else "Invalid frame.",
                code="unknown_frame_type" if unknown else "invalid_frame",
                errors=errors,
            )
            problem.ref = _ref_of(data)
            raise problem from exc

    async def _heartbeat(self, conn: Connection) -> None:
        """Ping, drop silent sockets, end expired sessions. Each socket starts at a random
        point of the cycle: sockets that connected together (everyone at 9:00) would
        otherwise re-read their sessions in the same instant every few beats, a burst of
        one query per socket that held up the database pool (a one-second stall of all
        sends every 100 s in the bench's two-node steady run)."""
        interval = self.rt.settings.ws_heartbeat_seconds
        beats = random.randrange(SESSION_RECHECK_BEATS)
        await asyncio.sleep(interval * random.random())
        while True:
            await asyncio.sleep(interval)
            beats += 1
            if time.monotonic() - conn.last_seen > interval * 2.5:
                conn.close(CLOSE_TIMEOUT, "heartbeat timeout")
                return
            if beats % SESSION_RECHECK_BEATS == 0:
                await self._recheck_session(conn)
            if utcnow() >= conn.expires_at:
                conn.send_json(
                    error_frame(Unauthorized("Session expired.", code="session_expired"))
                )
                conn.close(CLOSE_AUTH, "session expired")
                return
            conn.send_json({"type": "ping", "t": time.time()})

    async def _recheck_session(self, conn: Connection) -> None:
        """Refresh the session's expiry and the permissions from the database (a role change
        whose broadcast was lost); an ended session (expired, revoked or its user disabled)
        expires the socket now. A database hiccup keeps the socket."""
        try:
            principal = await self._principal(conn.token)
            conn.expires_at, conn.permissions = principal.expires_at, principal.permissions
        except Unauthorized:
            conn.expires_at = utcnow()
        except Exception:
            log.warning("gateway.session_recheck_failed", user_id=conn.user_id, exc_info=True)

    async def _on_send(self, conn: Connection, frame: SendFrame) -> None:
        message, created = await self.sends.send(
            SendRequest(uuid.UUID(conn.user_id), frame.conversation_id, frame, conn.permissions)
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
                "message": message.as_json(),
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
        self.broker.post(
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
        async with read_scope(self.rt.db) as session:
            peers = await conversations.access_peers(
                session, uuid.UUID(conn.user_id), frame.user_ids
            )
        online = await self.online(peers)
        conn.send_json({"type": "presence.state", "ref": frame.ref, "online": sorted(online)})

    async def online(self, user_ids: Collection[uuid.UUID]) -> set[str]:
        """Which of these users are online; the caller has checked who may know it."""
        return await self.presence.online(str(u) for u in user_ids) if user_ids else set()

    async def _on_call(self, conn: Connection, frame: Any) -> None:
        await self.calls.handle(conn.user_id, conn.device_id, frame, conn.permissions)

    async def _on_meeting(self, conn: Connection, frame: Any) -> None:
        await self.meetings.handle(conn.user_id, conn.device_id, frame)

    async def _on_auth_again(self, conn: Connection, frame: AuthFrame) -> None:
        raise FrameError("This socket is already authenticated.", code="already_authenticated")

    async def _announce_online(self, conn: Connection) -> None:
        """Count the device and tell the user's conversations if it is the first. Presence
        is a courtesy: if Redis fails here the socket stays open, its user shown offline."""
        try:
            if await self.presence.connected(conn.user_id):
                await self._publish_presence(conn.user_id, "online")
        except Exception:
            log.warning("gateway.presence_failed", user_id=conn.user_id, exc_info=True)

    async def _publish_presence(self, user_id: str, status: str) -> None:
        convs = sorted(self.hub.convs_by_user.get(user_id, ()))
        if status == "offline":
            async with read_scope(self.rt.db) as session:
                convs = [
                    str(c)
                    for c in await conversations.conversation_ids_of(session, uuid.UUID(user_id))
                ]
        self.broker.post(
            [
                publication(
                    "presence",
                    {"type": "presence", "user_id": user_id, "status": status},
                    user_id=user_id,
                    conversations=convs,
                )
            ]
        )


def _ref_of(data: dict[str, Any]) -> str | None:
    ref = data.get("ref")
    return ref if isinstance(ref, str) and len(ref) <= MAX_REF_CHARS else None


def _internal() -> Problem:
    problem = Problem("Something went wrong; the frame was not processed.", code="internal_error")
    problem.status, problem.title = 500, "Internal error"
    return problem
