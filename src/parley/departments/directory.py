"""The directory (通讯录): browse the tree, search people, open a profile card.

Hidden departments (and their sub-departments) are left out for everyone but tree
editors; a person whose every department is hidden is left out of search too. Contact
fields follow the organisation's profile-field setting (org/profile.py)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.errors import NotFound
from parley.departments import repository as repo
from parley.departments.schemas import DirectoryCard, DirectoryEntry, DirectoryPage
from parley.departments.service import (
    access_department,
    memberships,
    read_only_tree,
    require_directory,
)
from parley.departments.tree import Tree
from parley.org import profile
from parley.users import service as users
from parley.users.models import User
from parley.users.pinyin import query_key
from parley.users.principal import Principal


async def _contact_fields(session: AsyncSession, viewer: Principal) -> set[str]:
    if viewer.has(Permission.MANAGE_USERS):
        return set(profile.ALL_FIELDS)
    return set((await profile.shown_fields(session)).fields)


def _hidden(tree: Tree, viewer: Principal) -> set[uuid.UUID]:
    if viewer.has(Permission.MANAGE_DEPARTMENTS):
        return set()
    return {d for d in tree.nodes if tree.hidden(d)}


async def _entries(
    session: AsyncSession, viewer: Principal, tree: Tree, people: list[User]
) -> list[DirectoryEntry]:
    """Each person with their primary (visible) department's title and path."""
    hidden = _hidden(tree, viewer)
    rows = await repo.memberships_of(session, [u.id for u in people])
    by_user: dict[uuid.UUID, list] = defaultdict(list)
    for m in rows:
        if m.department_id not in hidden:
            by_user[m.user_id].append(m)
    out = []
    for user in people:
        placed = sorted(by_user[user.id], key=lambda m: not m.is_primary)
        first = placed[0] if placed else None
        out.append(
            DirectoryEntry(
                user=users.read_as(user, viewer),
                title=(first.title if first and first.title else user.title),
                department_path=tree.path(first.department_id) if first else [],
            )
        )
    return out


def _page(entries: list[DirectoryEntry], people: list[User], limit: int) -> DirectoryPage:
    more = len(people) > limit
    return DirectoryPage(
        items=entries[:limit], next_cursor=people[limit - 1].username if more else None
    )


async def search(
    session: AsyncSession, viewer: Principal, query: str, *, after: str | None, limit: int
) -> DirectoryPage:
    """People by name, username, pinyin (`zhangsan`, `zhang san`) or initials (`zs`), and by
    e-mail or phone where the viewer may see those."""
    require_directory(viewer)
    tree = await read_only_tree(session)
    people = await repo.search(
        session,
        query,
        query_key(query),
        contact_fields=await _contact_fields(session, viewer),
        hidden_departments=_hidden(tree, viewer),
        after=after,
        limit=limit + 1,
    )
    return _page(await _entries(session, viewer, tree, people[:limit]), people, limit)


async def department_members(
    session: AsyncSession,
    viewer: Principal,
    department_id: uuid.UUID,
    *,
    after: str | None,
    limit: int,
) -> DirectoryPage:
    """The people placed directly in a department, with their title there."""
    require_directory(viewer)
    tree = await read_only_tree(session)
    await access_department(session, viewer, department_id, tree)
    rows = await repo.members(session, department_id, after=after, limit=limit + 1)
    entries = [
        DirectoryEntry(
            user=users.read_as(user, viewer),
            title=member.title or user.title,
            department_path=tree.path(department_id),
        )
        for user, member in rows[:limit]
    ]
    return _page(entries, [u for u, _ in rows], limit)


async def card(session: AsyncSession, viewer: Principal, user_id: uuid.UUID) -> DirectoryCard:
    require_directory(viewer)
    user = await users.get_user(session, user_id)
    if not user.is_active and not viewer.has(Permission.MANAGE_USERS):
        raise NotFound("No such user.", code="user_not_found")
    tree = await read_only_tree(session)
    hidden = _hidden(tree, viewer)
    rows = [
        m for m in await repo.memberships_of(session, [user.id]) if m.department_id not in hidden
    ]
    placed = memberships(tree, rows)
    manager = await users.get_user(session, user.manager_id) if user.manager_id else None
    shown = (
        set(profile.ALL_FIELDS)
        if viewer.user_id == user.id
        else await _contact_fields(session, viewer)
    )
    return DirectoryCard(
        user=users.read_as(user, viewer),
        title=(placed[0].title if placed and placed[0].title else user.title),
        departments=placed,
        manager=users.read_as(manager, viewer) if manager else None,
        email=(user.email or "") if "email" in shown else None,
        phone=user.phone if "phone" in shown else None,
        employee_no=user.employee_no if "employee_no" in shown else None,
        time_zone=user.time_zone,
    )
