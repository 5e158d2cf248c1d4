"""Search finds files by name, under the same rule as opening them: only shares in
messages the caller can read (member now, from their joining on)."""

from __future__ import annotations

from typing import Any

from tests.files.support import send_files, upload
from tests.helpers import Api, Server, create_group, create_user, setup_admin


async def file_hits(api: Api, q: str, **params: Any) -> list[dict[str, Any]]:
    r = await api.get("/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return list(r.json()["files"])


async def test_file_names_are_found_by_members_only(server: Server) -> None:
    admin = await setup_admin(server)
    alice, bob, carol, erin = [await create_user(admin) for _ in range(4)]
    ours = await create_group(alice, bob)
    theirs = await create_group(carol, name="财务")
    report = await upload(alice, "项目进度报告.pdf", b"weekly progress")
    shared = await send_files(alice, ours, report["id"], text="见附件")
    await send_files(carol, theirs, (await upload(carol, "财务报告.xlsx", b"numbers"))["id"])
    await upload(alice, "草稿报告.docx", b"never sent")

    [hit] = await file_hits(bob, "报告")
    assert hit["file"]["name"] == "项目进度报告.pdf"
    assert hit["file"]["id"] == report["id"]
    assert hit["highlights"] == [[4, 6]]
    assert hit["conversation_id"] == ours and hit["sender_id"] == alice.user_id
    link = {"conversation_id": ours, "message_id": shared["id"], "seq": shared["seq"]}
    assert hit["link"] == link
    assert [h["file"]["name"] for h in await file_hits(bob, "进度 PDF")] == ["项目进度报告.pdf"]
    assert await file_hits(bob, "报告", conversation_id=ours, sender_id=bob.user_id) == []

    # Another group's file, and an upload never sent, stay hidden.
    assert [h["file"]["name"] for h in await file_hits(carol, "报告")] == ["财务报告.xlsx"]
    assert await file_hits(erin, "报告") == []

    # Joining later does not reveal what was shared before; later shares are found.
    r = await alice.post(f"/conversations/{ours}/members", json={"user_ids": [erin.user_id]})
    assert r.status_code in (200, 201), r.text
    assert await file_hits(erin, "报告") == []
    await send_files(alice, ours, (await upload(alice, "周报告.txt", b"later"))["id"])
    assert [h["file"]["name"] for h in await file_hits(erin, "报告")] == ["周报告.txt"]
    assert (await bob.get(f"/files/{report['id']}")).status_code == 200
    assert (await erin.get(f"/files/{report['id']}")).status_code == 404
