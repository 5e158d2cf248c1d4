"""The media half of one group-call participant, run inside Janus's network namespace
(`python -m tests.calls.janus_peer` under `ip netns exec`, see janus_sfu.py): an aiortc
client that publishes synthetic audio and video to a Janus VideoRoom with the token Parley
gave it, subscribes to other feeds and counts the frames it receives from each.

The test, outside, holds the signalling half (Parley's socket) and drives this one with
JSON lines on stdin; each command gets one JSON line back on stdout:

    {"op": "publish", "url", "room", "token", "feed_id", "display"} -> {"ok": true} | {"error"}
    {"op": "subscribe", "feeds": [id, ...]}   -> {"ok": true} | {"error"}
    {"op": "frames", "feeds": [id, ...]}      -> {"ok": true} once an audio and a video frame
                                                 of each came in, or {"error"} after 20 s
    {"op": "kicked"}                          -> {"ok": true, "reason"} once Janus put us out
    {"op": "flowing"}                         -> {"ok": true, "flowing": bool}: did frames still
                                                 arrive in the last 2 s
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections import defaultdict
from typing import Any

import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack

PLUGIN = "janus.plugin.videoroom"


class Peer:
    def __init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=30)
        self.url = ""
        self.session = 0
        self.events: dict[int, asyncio.Queue[dict[str, Any]]] = defaultdict(asyncio.Queue)
        self.room = 0
        self.private_id: int | None = None
        self.pub_handle: int | None = None
        self.publisher: tuple[int, RTCPeerConnection] | None = None
        self.subscribers: list[tuple[int, RTCPeerConnection]] = []
        self.frames: dict[int, dict[str, int]] = defaultdict(lambda: {"audio": 0, "video": 0})
        self.new_frame = asyncio.Event()
        self.kicked: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.tasks: list[asyncio.Task[None]] = []

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = await self.http.post(
            f"{self.url}{path}", json={**body, "transaction": secrets.token_hex(6)}
        )
        reply: dict[str, Any] = r.json()
        if reply.get("janus") == "error":
            raise RuntimeError(reply["error"])
        return reply

    async def poll(self) -> None:
        while True:
            r = await self.http.get(f"{self.url}/{self.session}", params={"maxev": 10})
            body = r.json()
            for event in body if isinstance(body, list) else [body]:
                sender = event.get("sender")
                if sender is None:
                    continue
                data = event.get("plugindata", {}).get("data", {})
                out = data.get("leaving") == "ok" or event.get("janus") == "hangup"
                if out and sender == self.pub_handle and not self.kicked.done():
                    self.kicked.set_result(str(data.get("reason") or event.get("reason")))
                await self.events[sender].put(event)

    async def reply_to(self, handle: int, want: str) -> dict[str, Any]:
        """The next event on the handle whose videoroom data is `want`, or a Janus event of
        that name (`webrtcup`); an error raises."""
        async with asyncio.timeout(20):
            while True:
                event = await self.events[handle].get()
                data = event.get("plugindata", {}).get("data", {})
                if "error_code" in data:
                    raise RuntimeError(data["error"])
                if want in (data.get("videoroom"), event.get("janus")):
                    return event

    async def attach(self) -> int:
        reply = await self.post(f"/{self.session}", {"janus": "attach", "plugin": PLUGIN})
        return int(reply["data"]["id"])

    async def message(self, handle: int, body: dict[str, Any], jsep: Any = None) -> None:
        msg: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            msg["jsep"] = {"type": jsep.type, "sdp": jsep.sdp}
        await self.post(f"/{self.session}/{handle}", msg)

    async def publish(self, cmd: dict[str, Any]) -> None:
        self.url, self.room = cmd["url"], cmd["room"]
        self.session = int((await self.post("", {"janus": "create"}))["data"]["id"])
        self.tasks.append(asyncio.create_task(self.poll()))
        handle = self.pub_handle = await self.attach()
        join = {"request": "join", "ptype": "publisher", "room": self.room}
        join |= {"id": cmd["feed_id"], "display": cmd["display"], "token": cmd["token"]}
        await self.message(handle, join)
        joined = await self.reply_to(handle, "joined")
        self.private_id = joined["plugindata"]["data"]["private_id"]
        pc = RTCPeerConnection()
        pc.addTrack(AudioStreamTrack())
        pc.addTrack(VideoStreamTrack())
        self.publisher = (handle, pc)
        await pc.setLocalDescription(await pc.createOffer())
        await self.message(handle, {"request": "publish"}, pc.localDescription)
        answer = await self.reply_to(handle, "event")
        while "jsep" not in answer:
            answer = await self.reply_to(handle, "event")
        await pc.setRemoteDescription(RTCSessionDescription(**answer["jsep"]))
        await self.reply_to(handle, "webrtcup")  # the feed exists for subscribers from now

    async def subscribe(self, cmd: dict[str, Any]) -> None:
        """One subscription (handle and peer connection) per feed: aiortc receives only
        the first video of a multi-stream subscription."""
        for feed in cmd["feeds"]:
            handle = await self.attach()
            join = {"request": "join", "ptype": "subscriber", "room": self.room}
            join |= {"streams": [{"feed": feed}], "private_id": self.private_id}
            await self.message(handle, join)
            attached = await self.reply_to(handle, "attached")
            pc = RTCPeerConnection()
            self.subscribers.append((handle, pc))
            pc.on(
                "track",
                lambda track, feed=feed: self.tasks.append(
                    asyncio.create_task(self.count(feed, track))
                ),
            )
            await pc.setRemoteDescription(RTCSessionDescription(**attached["jsep"]))
            await pc.setLocalDescription(await pc.createAnswer())
            await self.message(handle, {"request": "start"}, pc.localDescription)

    async def count(self, feed: int, track: Any) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            self.frames[feed][track.kind] += 1
            self.new_frame.set()

    async def wait_frames(self, feeds: list[int]) -> None:
        try:
            async with asyncio.timeout(20):
                while not all(self.frames[f]["audio"] and self.frames[f]["video"] for f in feeds):
                    self.new_frame.clear()
                    await self.new_frame.wait()
        except TimeoutError:
            state = [pc.connectionState for _, pc in self.subscribers]
            raise RuntimeError(f"frames so far {dict(self.frames)}, subscriber {state}") from None

    async def flowing(self) -> bool:
        before = sum(c["video"] + c["audio"] for c in self.frames.values())
        await asyncio.sleep(2)
        return sum(c["video"] + c["audio"] for c in self.frames.values()) > before


async def main() -> None:
    peer = Peer()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        cmd = json.loads(line)
        out: dict[str, Any] = {"ok": True}
        try:
            if cmd["op"] == "publish":
                await peer.publish(cmd)
            elif cmd["op"] == "subscribe":
                await peer.subscribe(cmd)
            elif cmd["op"] == "frames":
                await peer.wait_frames(cmd["feeds"])
            elif cmd["op"] == "kicked":
                async with asyncio.timeout(20):
                    out["reason"] = await peer.kicked
            elif cmd["op"] == "flowing":
                out["flowing"] = await peer.flowing()
        except Exception as exc:  # reported to the test, which fails with it
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)
    for _, pc in [*peer.subscribers, *([peer.publisher] if peer.publisher else [])]:
        await pc.close()


if __name__ == "__main__":
    asyncio.run(main())
