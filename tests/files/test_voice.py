"""Voice messages (Opus in Ogg or WebM, as MediaRecorder makes them): duration and a
waveform computed by the server, played inline."""

from __future__ import annotations

import pytest

from tests.files import samples
from tests.files.support import send_files, upload
from tests.helpers import Server, create_group, create_user, setup_admin


@pytest.mark.parametrize(("container", "mime"), [("ogg", "audio/ogg"), ("webm", "audio/webm")])
async def test_voice_note_duration_and_waveform(server: Server, container: str, mime: str) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    clip = samples.voice(container, seconds=1.5)
    f = await upload(alice, f"voice.{container}", clip)
    assert f["kind"] == "voice" and f["mime"].startswith(mime)
    assert 1400 <= f["duration_ms"] <= 1600
    wave = f["waveform"]
    assert len(wave) == 64 and max(wave) == 100
    silent, loud, quiet = wave[2:18], wave[24:40], wave[46:62]
    assert max(silent) <= 5 and min(loud) >= 80 and all(5 <= v <= 30 for v in quiet)
    msg = await send_files(alice, cid, f["id"])
    shown = msg["attachments"][0]
    assert shown["duration_ms"] == f["duration_ms"] and shown["waveform"] == wave
    r = await bob.get(f"/files/{f['id']}", headers={"Range": "bytes=0-1023"})
    assert r.status_code == 206 and r.content == clip[:1024]
    assert r.headers["content-disposition"].startswith("inline;")  # plays in the page


async def test_audio_that_is_not_opus_is_a_plain_file(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "fake.ogg", b"OggS" + b"\x00" * 200)
    assert f["kind"] == "file" and f["waveform"] is None
