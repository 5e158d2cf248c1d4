"""Files travel with forwarded messages: recipients open them without the source."""

from __future__ import annotations

from tests.files.support import send_files, upload
from tests.helpers import Server, create_group, create_user, setup_admin


async def test_forwarded_files_open_for_recipients(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    source = await create_group(alice, bob, name="source")
    target = await create_group(bob, carol, name="target")
    report = await upload(alice, "季度报告.txt", "第三季度收入增长 12%".encode())
    msg = await send_files(alice, source, report["id"], text="报告")
    assert (await carol.get(f"/files/{report['id']}")).status_code == 404

    base = {"conversation_id": source, "message_ids": [msg["id"]], "target_ids": [target]}
    copies = (await bob.post("/forward", json={**base, "client_msg_id": "c1"})).json()
    assert [a["id"] for a in copies[0]["attachments"]] == [report["id"]]
    r = await carol.get(f"/files/{report['id']}")
    assert r.status_code == 200 and "12%" in r.text

    card = (await bob.post("/forward", json={**base, "merge": True, "client_msg_id": "c2"})).json()
    assert card[0]["forward"]["items"][0]["attachment_ids"] == [report["id"]]
    assert [a["id"] for a in card[0]["attachments"]] == [report["id"]]
    # Recalling the copy and the card leaves carol without access again.
    for m in (copies[0], card[0]):
        await bob.post(f"/conversations/{target}/messages/{m['id']}/recall")
    assert (await carol.get(f"/files/{report['id']}")).status_code == 404
