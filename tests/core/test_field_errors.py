"""A 422 names each invalid field with a stable code and the rule it broke, so a client can
mark the field and explain it in the user's language."""

from __future__ import annotations

from typing import Any

from tests.helpers import PASSWORD, Server, create_user, problem, setup_admin

USERNAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"


def by_field(body: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {e["field"]: e for e in body["errors"]}


async def test_setup_names_every_invalid_field(server: Server) -> None:
    r = await server.client().post(
        "/setup",
        json={
            "organization_name": "",
            "username": "a",
            "display_name": "名" * 101,
            "email": "not-an-address",
            "colour": "red",
        },
    )
    errors = by_field(problem(r, 422, "invalid_request"))
    assert {
        f: (e["code"], e.get("min_length"), e.get("max_length")) for f, e in errors.items()
    } == {
        "organization_name": ("too_short", 1, None),
        "username": ("too_short", 2, None),
        "password": ("required", None, None),
        "display_name": ("too_long", None, 100),
        "email": ("invalid_email", None, None),
        "colour": ("unknown_field", None, None),
    }
    # Pydantic's own fields stay for older clients.
    assert errors["username"]["loc"] == ["body", "username"]
    assert errors["username"]["type"] == "string_too_short"
    assert (await server.client().get("/setup")).json()["needs_setup"] is True


async def test_username_rule_is_named(server: Server) -> None:
    r = await server.client().post(
        "/setup",
        json={
            "organization_name": "Acme",
            "username": "张 三",
            "password": PASSWORD,
            "display_name": "张三",
        },
    )
    [error] = problem(r, 422, "invalid_request")["errors"]
    assert error["field"] == "username"
    assert error["code"] == "invalid_format"
    assert error["pattern"] == USERNAME_PATTERN


async def test_weak_password_says_why(server: Server) -> None:
    api = server.client()
    body = {"organization_name": "Acme", "username": "boss", "display_name": "Boss"}
    short = problem(
        await api.post("/setup", json={**body, "password": "abc12"}), 422, "weak_password"
    )
    assert (short["reason"], short["min_length"]) == ("too_short", 10)
    common = problem(
        await api.post("/setup", json={**body, "password": "qwertyuiop"}), 422, "weak_password"
    )
    assert common["reason"] == "common"


async def test_choices_queries_and_paths(server: Server) -> None:
    admin = await setup_admin(server)
    body = {"username": "bob", "password": PASSWORD, "display_name": "Bob", "role": "boss"}
    [role] = problem(await admin.post("/users", json=body), 422, "invalid_request")["errors"]
    assert (role["field"], role["code"], role["expected"]) == (
        "role",
        "invalid_choice",
        "'owner', 'admin', 'auditor', 'member' or 'guest'",
    )
    alice = await create_user(admin, "alice")
    [limit] = problem(await alice.get("/users", params={"limit": 0}), 422, "invalid_request")[
        "errors"
    ]
    assert (limit["field"], limit["code"], limit["ge"]) == ("limit", "too_small", 1)
    [user_id] = problem(await alice.get("/users/nobody"), 422, "invalid_request")["errors"]
    assert (user_id["field"], user_id["code"]) == ("user_id", "invalid_type")
