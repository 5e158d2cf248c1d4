"""Helpers of the admin console tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import Api

HEADER = "username,display_name,email,phone,title,employee_no,department,role\n"


async def upload(admin: Api, data: bytes, *, dry_run: bool = True) -> httpx.Response:
    return await admin.post(
        "/admin/users/import",
        params={"dry_run": str(dry_run).lower()},
        files={"file": ("people.csv", data, "text/csv")},
    )


def errors_by_line(report: dict[str, Any]) -> dict[int, set[tuple[str, str]]]:
    """line -> {(field, code)} of the rows that have errors."""
    return {
        row["line"]: {(e["field"], e["code"]) for e in row["errors"]}
        for row in report["rows"]
        if row["errors"]
    }
