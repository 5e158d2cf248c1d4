"""CSV bulk create: encodings, every bad input as a per-row report, all-or-nothing."""

from __future__ import annotations

from parley.admin import csv_import
from tests.admin.support import HEADER, errors_by_line, upload
from tests.departments.helpers import add_department
from tests.helpers import Api, Server, create_user, login, problem, setup_admin

GOOD = HEADER + (
    "zhangsan,张三,zs@example.com,13800000001,工程师,E001,研发部/后端组,\nlisi,李四,,,,,,guest\n"
)


async def _admin_with_tree(server: Server) -> tuple[Api, str]:
    """An administrator, and the id of 研发部/后端组 that GOOD places 张三 in."""
    admin = await setup_admin(server)
    return admin, await add_department(admin, "后端组", await add_department(admin, "研发部"))


async def _usernames(admin: Api) -> set[str]:
    page = (await admin.get("/admin/users", params={"limit": 200})).json()
    return {u["username"] for u in page["items"]}


async def test_dry_run_then_apply_creates_accounts_once(server: Server) -> None:
    admin, backend = await _admin_with_tree(server)
    before = await _usernames(admin)
    r = await upload(admin, GOOD.encode())
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["dry_run"], report["encoding"], report["total"], report["error_count"]) == (
        True,
        "utf-8",
        2,
        0,
    )
    assert [row["role"] for row in report["rows"]] == ["member", "guest"]
    assert await _usernames(admin) == before  # a dry run writes nothing

    r = await upload(admin, GOOD.encode(), dry_run=False)
    assert r.status_code == 200, r.text
    created = {c["username"]: c["password"] for c in r.json()["created"]}
    assert set(created) == {"zhangsan", "lisi"}
    zs = await login(server, "zhangsan", created["zhangsan"])
    assert zs.user["must_change_password"] is True
    assert (zs.user["display_name"], zs.user["email"]) == ("张三", "zs@example.com")
    org = (await admin.get(f"/users/{zs.user_id}/org")).json()
    assert [(d["department_id"], d["primary"]) for d in org["departments"]] == [(backend, True)]
    lisi = await login(server, "lisi", created["lisi"])
    assert lisi.user["role"] == "guest"

    # Retrying the same upload (a double click, a lost response) creates nothing twice.
    r = await upload(admin, GOOD.encode(), dry_run=False)
    body = problem(r, 422, "csv_has_errors")
    assert errors_by_line(body["report"]) == {
        2: {("username", "username_taken"), ("email", "email_taken")},
        3: {("username", "username_taken")},
    }
    assert await _usernames(admin) == before | {"zhangsan", "lisi"}


async def test_gbk_and_bom_files_are_read(server: Server) -> None:
    admin, _ = await _admin_with_tree(server)
    r = await upload(admin, GOOD.encode("gbk"))
    assert r.status_code == 200 and r.json()["encoding"] == "gbk", r.text
    assert [row["display_name"] for row in r.json()["rows"]] == ["张三", "李四"]
    r = await upload(admin, b"\xef\xbb\xbf" + GOOD.encode())
    assert r.status_code == 200 and r.json()["encoding"] == "utf-8-sig", r.text
    assert r.json()["rows"][0]["username"] == "zhangsan"  # the BOM is not in the header
    r = await upload(admin, GOOD.encode("gbk"), dry_run=False)
    assert r.status_code == 200, r.text
    zs = (await admin.get("/admin/users", params={"q": "zhangsan"})).json()["items"][0]
    assert zs["display_name"] == "张三" and zs["title"] == "工程师"


async def test_every_bad_row_is_reported_and_nothing_applied(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "taken")
    csv = HEADER + (
        "ok1,好人,,,,,,\n"  # 2: fine
        ",无名,,,,,,\n"  # 3: no username
        "dup,甲,,,,,,\n"  # 4
        "DUP,乙,,,,,,\n"  # 5: same username, other case
        "taken,丙,,,,,,\n"  # 6: an existing account
        "mailer,丁,not-an-email,,,,,\n"  # 7
        "roled,戊,,,,,,king\n"  # 8: no such role
        "boss,己,,,,,,owner\n"  # 9: owners are never imported
        "short,庚\n"  # 10: too few columns
        "bad name!,辛,,,,,,\n"  # 11: invalid username
    )
    r = await upload(admin, csv.encode())
    assert r.status_code == 200, r.text
    assert r.json()["error_count"] == 8
    assert errors_by_line(r.json()) == {
        3: {("username", "missing_value")},
        5: {("username", "duplicate_in_file")},
        6: {("username", "username_taken")},
        7: {("email", "invalid_value")},
        8: {("role", "unknown_role")},
        9: {("role", "role_not_allowed")},
        10: {("row", "missing_columns")},
        11: {("username", "invalid_value")},
    }
    r = await upload(admin, csv.encode(), dry_run=False)
    problem(r, 422, "csv_has_errors")
    names = {u["username"] for u in (await admin.get("/admin/users")).json()["items"]}
    assert "ok1" not in names and "dup" not in names


async def test_bad_files_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    body = problem(
        await upload(admin, b"username,email\nx,x@example.com\n"), 422, "csv_missing_columns"
    )
    assert body["columns"] == ["display_name"]
    problem(await upload(admin, b"username,display_name,nickname\n"), 422, "csv_unknown_columns")
    problem(await upload(admin, b""), 422, "csv_empty")
    problem(await upload(admin, "名字".encode("utf-16")), 422, "csv_bad_encoding")
    rows = HEADER + "".join(f"u{i},U{i},,,,,,\n" for i in range(csv_import.MAX_ROWS + 1))
    problem(await upload(admin, rows.encode()), 422, "csv_too_many_rows")
    big = HEADER.encode() + b"a" * (csv_import.MAX_BYTES + 10)
    problem(await upload(admin, big), 413, "csv_too_large")
    problem(await upload(admin, HEADER.encode(), dry_run=False), 422, "csv_empty")
