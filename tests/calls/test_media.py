"""Real media: two aiortc peers (synthetic audio and video) set up a call through Parley's
signalling over real sockets, and each receives the other's frames.

aiortc never offers 127.0.0.1 as a host candidate; the test makes aioice gather on the
loopback only, so the media stays on this machine (shared/COMPONENTS.md)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aioice import ice
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCIceTransportPolicy,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame

from tests.calls.support import act, direct_chat, ring
from tests.helpers import Api, Server, Ws, create_user, setup_admin


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["127.0.0.1"])
    yield


async def peer(
    api: Api,
) -> tuple[RTCPeerConnection, dict[str, asyncio.Future[MediaStreamTrack]]]:
    """A peer configured from Parley's ICE servers and transport policy (as the web client
    does), sending synthetic audio and video; the futures resolve with the remote audio
    and video tracks."""
    body = (await api.get("/calls/ice-servers")).json()
    pc = RTCPeerConnection(
        RTCConfiguration(
            iceServers=[RTCIceServer(**s) for s in body["ice_servers"]],
            iceTransportPolicy=RTCIceTransportPolicy(body["ice_transport_policy"]),
        )
    )
    pc.addTrack(AudioStreamTrack())
    pc.addTrack(VideoStreamTrack())
    loop = asyncio.get_running_loop()
    remote: dict[str, asyncio.Future[MediaStreamTrack]] = {
        "audio": loop.create_future(),
        "video": loop.create_future(),
    }

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        remote[track.kind].set_result(track)

    return pc, remote


async def first_frames(remote: dict[str, asyncio.Future[MediaStreamTrack]]) -> list[Any]:
    """The first audio and video frame that came through the peer connection."""
    tracks = [await remote["audio"], await remote["video"]]
    return list(await asyncio.gather(*(t.recv() for t in tracks)))


async def signal(ws: Ws, call_id: str, description: RTCSessionDescription) -> None:
    """The whole description in one frame: aiortc gathers its candidates before it is set."""
    await act(ws, "call.signal", call_id, kind=description.type, sdp=description.sdp)


@contextlib.asynccontextmanager
async def media_call(
    server: Server,
) -> AsyncIterator[tuple[RTCPeerConnection, RTCPeerConnection]]:
    """Alice calls Bob through Parley's signalling, both peers receive the other's audio
    and video; yields the two connected peers, then hangs up."""
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await direct_chat(alice, bob)
    a, b = await alice.ws(), await bob.ws()
    (pa, got_a), (pb, got_b) = await peer(alice), await peer(bob)
    try:
        call_id = (await ring(a, cid, "video"))["call_id"]
        await b.expect("call.invite", call_id=call_id)
        await act(b, "call.accept", call_id)
        await a.expect("call.accepted", call_id=call_id)

        await pa.setLocalDescription(await pa.createOffer())
        await signal(a, call_id, pa.localDescription)
        offer = await b.expect("call.signal", call_id=call_id, kind="offer")
        await pb.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        await pb.setLocalDescription(await pb.createAnswer())
        await signal(b, call_id, pb.localDescription)
        answer = await a.expect("call.signal", call_id=call_id, kind="answer")
        await pa.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))

        async with asyncio.timeout(15):
            audio_at_a, video_at_a = await first_frames(got_a)
            audio_at_b, video_at_b = await first_frames(got_b)
        for audio in (audio_at_a, audio_at_b):
            assert isinstance(audio, AudioFrame) and audio.samples > 0
        for video in (video_at_a, video_at_b):
            assert isinstance(video, VideoFrame) and (video.width, video.height) == (640, 480)
        assert {pa.iceConnectionState, pb.iceConnectionState} <= {"connected", "completed"}
        yield pa, pb

        await act(a, "call.hangup", call_id)
        assert (await b.expect("call.ended", call_id=call_id))["reason"] == "completed"
    finally:
        await pa.close()
        await pb.close()


@pytest.mark.parametrize("backend", ["sqlite"])  # media does not touch the database
async def test_two_aiortc_peers_exchange_audio_and_video(
    server: Server, loopback_only: None
) -> None:
    async with media_call(server):
        pass
