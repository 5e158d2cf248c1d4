"""Arranging data for the browser tests over the HTTP API, so each test starts from what it
is about: the organisation and its admin Alice, colleagues, signed-in clients."""

from __future__ import annotations

import uuid

import httpx

PASSWORD = "e2e-password-1"


class Api:
    """A signed-in HTTP client for arranging data."""

    def __init__(self, url: str, login_name: str, password: str) -> None:
        self.url = url
        self.http = httpx.Client(
            base_url=f"{url}/api/v1", headers={"X-Requested-With": "parley"}, timeout=30
        )
        r = self.http.post("/auth/login", json={"login": login_name, "password": password})
        r.raise_for_status()
        self.me = r.json()["user"]

    def post(self, path: str, body: dict) -> dict:  # type: ignore[type-arg]
        r = self.http.post(path, json=body)
        assert r.status_code < 300, r.text
        return r.json()  # type: ignore[no-any-return]

    def send(self, cid: str, text: str) -> dict:  # type: ignore[type-arg]
        return self.post(
            f"/conversations/{cid}/messages",
            {"client_msg_id": f"e2e-{uuid.uuid4().hex}", "text": text},
        )


def set_up(base_url: str, organization_name: str = "Acme 测试") -> Api:
    """Run the first-start setup with Alice Wang as the admin (unless the server already
    has one) and sign her in."""
    if httpx.get(f"{base_url}/api/v1/setup").json()["needs_setup"]:
        r = httpx.post(
            f"{base_url}/api/v1/setup",
            headers={"X-Requested-With": "parley"},
            json={
                "organization_name": organization_name,
                "username": "alice",
                "password": PASSWORD,
                "display_name": "Alice Wang",
            },
        )
        assert r.status_code == 201, r.text
    return Api(base_url, "alice", PASSWORD)


def add_colleague(admin: Api, username: str, display_name: str) -> Api:
    """An admin adds a member who keeps the given password (409: a fixture of another
    module already did), and the member signs in."""
    r = admin.http.post(
        "/users",
        json={
            "username": username,
            "password": PASSWORD,
            "display_name": display_name,
            "must_change_password": False,
        },
    )
    assert r.status_code in (201, 409), r.text
    return Api(admin.url, username, PASSWORD)
