"""Building a small tree through the API."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api


async def add_department(admin: Api, name: str, parent: str | None = None, **extra: Any) -> str:
    r = await admin.post("/departments", json={"name": name, "parent_id": parent, **extra})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def place(
    admin: Api, person: Api, *departments: str, title: str = "", manager: str | None = None
) -> dict[str, Any]:
    body = {
        "departments": [{"department_id": d, "title": title} for d in departments],
        "manager_id": manager,
    }
    r = await admin.put(f"/users/{person.user_id}/org", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def tree(api: Api) -> dict[str, dict[str, Any]]:
    """The departments `api` sees, by name."""
    r = await api.get("/departments")
    assert r.status_code == 200, r.text
    return {d["name"]: d for d in r.json()}
