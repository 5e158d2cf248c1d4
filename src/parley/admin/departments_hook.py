"""DEPARTMENT HOOK for the CSV import (admin/csv_import.py).

The department tree (issue 15, "orgtree") is not in this tree yet. When it is, wire
these two functions to its service at merge: `unknown_departments` reports the paths
(`研发部/后端组`) that name no department, and `place` puts each new account into the
department of its path. Until then every path is accepted and nobody is placed."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

DEPARTMENTS_WIRED = False  # True once the hooks below use the department service


async def unknown_departments(session: AsyncSession, paths: set[str]) -> set[str]:
    """The paths among `paths` that name no department."""
    return set()


async def place(session: AsyncSession, placements: dict[uuid.UUID, str]) -> None:
    """Make each user (id -> department path) a member of that department."""
    return None
