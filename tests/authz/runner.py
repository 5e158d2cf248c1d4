"""Runs rows of the matrix against the live server and reports what each one got."""

from __future__ import annotations

import asyncio
from typing import Any, get_args

import orjson
import websockets

from parley.realtime.gateway import QUEUED_FRAMES
from tests.authz.builders import defaults
from tests.authz.table import Outcome, Row
from tests.authz.world import Call, Req, World, run_http

ANSWER_SECONDS = 10
AFTER = "after-the-frame"
QUEUED = {get_args(f.model_fields["type"].annotation)[0] for f in QUEUED_FRAMES}


async def outcome(world: World, row: Row) -> Outcome:
    spec = row.spec
    call = Call(world, row.caller, row.own, spec.perm)
    req = await spec.build(call) if spec.build else Req()
    try:
        if spec.method == "WS":
            return await _frame(call, spec.path, spec.answers, req)
        req.params = defaults(call, spec.path, req.params)
        return (await run_http(call, spec.method, spec.path, req)).status_code
    finally:
        if spec.after:
            await spec.after(call)


async def _frame(call: Call, type_: str, answers: tuple[str, ...], req: Req) -> str:
    async with websockets.connect(call.world.server.ws_url) as sock:
        token = call.api.token
        if type_ == "auth" or token:
            auth = req.json if type_ == "auth" else {"type": "auth", "token": token}
            await sock.send(orjson.dumps(auth).decode())
            first = await _next(sock, ("hello",))
            if type_ == "auth" or first != "hello":
                return first
        if req.invite is not None:
            await sock.send(orjson.dumps(req.invite).decode())
            ringing = await _next(sock, ("call.ringing",), whole=True)
            if isinstance(ringing, str):
                return ringing
            req.json["call_id"] = ringing["call_id"]
        await sock.send(orjson.dumps(req.json).decode())
        if not answers:  # nothing answers it: a frame after it, answered in order, shows
            # that it went through without an error.
            await sock.send(orjson.dumps(_after(call, type_)).decode())
        return await _next(sock, answers or ("pong",))


def _after(call: Call, type_: str) -> dict[str, Any]:
    """A frame handled after `type_` whose answer is known: a ping for frames the read
    loop handles, and for those queued behind the database (call.*) a queued frame bound
    to fail: a call in two other people's chat."""
    if type_ in QUEUED:
        return {"type": "call.invite", "conversation_id": call.world.direct, "ref": AFTER}
    return {"type": "ping", "ref": AFTER}


async def _next(sock: Any, answers: tuple[str, ...], whole: bool = False) -> Any:
    """The code of the first error frame, or the type of the first answering frame (the
    frame itself with `whole`)."""
    try:
        async with asyncio.timeout(ANSWER_SECONDS):
            while True:
                frame = orjson.loads(await sock.recv())
                if frame.get("ref") == AFTER:
                    return "ok"
                if frame.get("type") == "error":
                    return str(frame.get("code"))
                if frame.get("type") in answers:
                    return frame if whole else str(frame["type"])
    except TimeoutError:
        return "no answer"
    except websockets.ConnectionClosed as closed:
        return f"closed {closed.code}"
