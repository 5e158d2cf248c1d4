"""The files view of a conversation: what was shared, by whom and when; searchable by
name, filtered by kind, paged; only for members, from the time they joined."""

from __future__ import annotations

from tests.files import samples
from tests.files.support import send_files, upload
from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_list_search_and_page_files(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice", display_name="爱丽丝")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, bob)
    report = await upload(alice, "季度报告.pdf", samples.pdf())
    photo = await upload(bob, "团建照片.png", samples.png())
    notes = await upload(alice, "notes_100%.txt", b"meeting notes\n")
    await send_files(alice, cid, report["id"])
    await send_files(bob, cid, photo["id"])
    await send_files(alice, cid, notes["id"], text="会议纪要")
    path = f"/conversations/{cid}/files"

    page = (await bob.get(path)).json()
    assert [i["file"]["name"] for i in page["items"]] == [
        "notes_100%.txt",
        "团建照片.png",
        "季度报告.pdf",
    ]
    first = page["items"][-1]
    assert first["sender_id"] == alice.user_id and first["sender_name"] == "爱丽丝"
    assert first["file"]["mime"] == "application/pdf" and first["shared_at"]
    assert page["next_cursor"] is None

    found = (await bob.get(path, params={"q": "报告"})).json()["items"]
    assert [i["file"]["id"] for i in found] == [report["id"]]
    assert [
        i["file"]["name"] for i in (await bob.get(path, params={"q": "100%"})).json()["items"]
    ] == ["notes_100%.txt"]
    assert (await bob.get(path, params={"q": "_"})).json()["items"][0]["file"]["id"] == notes["id"]
    images = (await bob.get(path, params={"kind": "image"})).json()["items"]
    assert [i["file"]["id"] for i in images] == [photo["id"]]

    seen, cursor = [], None
    while True:
        params = {"limit": 1, **({"before": cursor} if cursor else {})}
        r = (await bob.get(path, params=params)).json()
        seen += [i["file"]["id"] for i in r["items"]]
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert seen == [notes["id"], photo["id"], report["id"]]

    problem(await carol.get(path), 404, "conversation_not_found")
    problem(await bob.get(path, params={"before": "nonsense"}), 422, "invalid_cursor")
    r = await alice.post(f"/conversations/{cid}/members", json={"user_ids": [carol.user_id]})
    assert r.status_code == 200
    assert (await carol.get(path)).json()["items"] == []  # nothing from before she joined
