"""Who may read a file: its uploader until it is sent, then exactly the members who can
read a live message carrying it. Everyone else gets 404 on every endpoint."""

from __future__ import annotations

from tests.files import samples
from tests.files.support import guessed_id, send_files, upload
from tests.helpers import Api, Server, create_group, create_user, problem, setup_admin

ENDPOINTS = ("", "/info", "/thumbnail", "/preview")


async def _hidden_from(api: Api, file_id: str) -> None:
    for suffix in ENDPOINTS:
        problem(await api.get(f"/files/{file_id}{suffix}"), 404, "file_not_found")


async def _readable_by(api: Api, file_id: str, data: bytes) -> None:
    r = await api.get(f"/files/{file_id}")
    assert r.status_code == 200 and r.content == data


async def test_unsent_upload_is_private_to_its_uploader(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    data = samples.png()
    f = await upload(alice, "me.png", data)
    await _readable_by(alice, f["id"], data)
    await _hidden_from(bob, f["id"])
    await _hidden_from(alice, guessed_id())
    cid = await create_group(bob, alice)
    # Bob cannot send Alice's unsent upload either.
    r = await bob.post(
        f"/conversations/{cid}/messages",
        json={"client_msg_id": "steal", "text": "", "attachments": [f["id"]]},
    )
    assert problem(r, 422, "attachment_not_found")["file_id"] == f["id"]


async def test_members_only_and_not_before_they_joined(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    dave = await create_user(admin, "dave")
    cid = await create_group(alice, bob)
    data = samples.pdf()
    f = await upload(alice, "合同.pdf", data)
    msg = await send_files(alice, cid, f["id"], text="合同见附件")
    assert [a["id"] for a in msg["attachments"]] == [f["id"]]
    await _readable_by(alice, f["id"], data)
    await _readable_by(bob, f["id"], data)
    await _hidden_from(carol, f["id"])  # a stranger
    r = await alice.post(f"/conversations/{cid}/members", json={"user_ids": [dave.user_id]})
    assert r.status_code == 200, r.text
    await _hidden_from(dave, f["id"])  # joined after the message
    r = await alice.request(
        "DELETE", f"/conversations/{cid}/members", json={"user_ids": [bob.user_id]}
    )
    assert r.status_code == 200, r.text
    await _hidden_from(bob, f["id"])  # removed: access stops at once
    # Files shared again later are readable by those who see the new message.
    await send_files(alice, cid, f["id"])
    await _readable_by(dave, f["id"], data)


async def test_recalled_message_files_are_unreachable_for_everyone(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    data = samples.png()
    f = await upload(alice, "oops.png", data)
    msg = await send_files(alice, cid, f["id"])
    await _readable_by(bob, f["id"], data)
    r = await alice.post(f"/conversations/{cid}/messages/{msg['id']}/recall")
    assert r.status_code == 200, r.text
    assert r.json()["attachments"] == []
    await _hidden_from(bob, f["id"])
    await _hidden_from(alice, f["id"])
    items = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    assert all(m["attachments"] == [] for m in items)
    assert (await bob.get(f"/conversations/{cid}/files")).json()["items"] == []


async def test_attachment_messages_over_http_and_websocket(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    problem(
        await alice.post(
            f"/conversations/{cid}/messages", json={"client_msg_id": "e", "text": " "}
        ),
        422,
        "empty_message",
    )
    a = await upload(alice, "a.png", samples.png(color=(1, 2, 3)))
    b = await upload(alice, "b.txt", "你好\n".encode())
    bob_ws = await bob.ws()
    ws = await alice.ws()
    await ws.send(
        {
            "type": "message.send",
            "conversation_id": cid,
            "client_msg_id": "ws-1",
            "text": "",
            "attachments": [a["id"], b["id"], a["id"]],
            "ref": "r1",
        }
    )
    ack = await ws.expect("message.ack", ref="r1")
    shown = ack["message"]["attachments"]
    assert [x["name"] for x in shown] == ["a.png", "b.txt"]  # in order, once each
    assert shown[0]["kind"] == "image" and shown[0]["thumbnail_url"].endswith("/thumbnail")
    assert shown[1]["kind"] == "file" and shown[1]["preview"] == "document"
    frame = await bob_ws.expect("message.new")
    assert [x["id"] for x in frame["message"]["attachments"]] == [a["id"], b["id"]]
    history = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    assert history[-1]["text"] == "" and len(history[-1]["attachments"]) == 2
    await ws.close()
    await bob_ws.close()
