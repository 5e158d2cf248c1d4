"""Editing the tree and people's places in it. Permission checks live here; the caller
owns the transaction. Every change runs inside `groups.following`, so department groups
follow it at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.errors import Conflict, Invalid, NotFound
from parley.departments import repository as repo
from parley.departments.groups import following
from parley.departments.models import Department, DepartmentMember
from parley.departments.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    MembershipRead,
    UserOrgRead,
    UserOrgUpdate,
)
from parley.departments.tree import Tree
from parley.users import service as users
from parley.users.principal import Principal


def require_directory(viewer: Principal) -> None:
    """The directory is for those with `view_directory` (or who edit the tree)."""
    if not viewer.has(Permission.MANAGE_DEPARTMENTS):
        viewer.require(Permission.VIEW_DIRECTORY)


async def load_tree(session: AsyncSession) -> Tree:
    """The tree of ORM objects, for changing it."""
    return Tree(await repo.all_departments(session))


async def read_only_tree(session: AsyncSession) -> Tree:
    """The tree of plain rows, for reading it (the directory)."""
    return Tree(await repo.department_rows(session))


async def access_department(
    session: AsyncSession, viewer: Principal, department_id: uuid.UUID, tree: Tree
) -> Department:
    """A department the viewer may see: hidden ones are 404 to all but tree editors."""
    department = tree.nodes.get(department_id)
    if department is None or (
        tree.hidden(department_id) and not viewer.has(Permission.MANAGE_DEPARTMENTS)
    ):
        raise NotFound("No such department.", code="department_not_found")
    return department


def _placed(rows: list[tuple[uuid.UUID, Any]]) -> dict[uuid.UUID, set[Any]]:
    placed: dict[uuid.UUID, set[Any]] = defaultdict(set)
    for department_id, user_id in rows:
        placed[department_id].add(user_id)
    return placed


def _as_read(tree: Tree, placed: dict[uuid.UUID, set[Any]], d: Department) -> DepartmentRead:
    return DepartmentRead(
        id=d.id,
        parent_id=d.parent_id,
        name=d.name,
        position=d.position,
        head_id=d.head_id,
        hidden=d.hidden,
        member_count=len(set().union(*(placed[s] for s in tree.subtree(d.id)))),
    )


async def read_tree(session: AsyncSession, viewer: Principal) -> list[DepartmentRead]:
    """Every department the viewer may see, depth first, with member counts."""
    require_directory(viewer)
    tree = await read_only_tree(session)
    placed = _placed(await repo.placement_keys(session))
    editor = viewer.has(Permission.MANAGE_DEPARTMENTS)
    return [_as_read(tree, placed, d) for d in tree.ordered() if editor or not tree.hidden(d.id)]


async def _read(session: AsyncSession, department: Department) -> DepartmentRead:
    await session.flush()
    tree = await load_tree(session)
    return _as_read(tree, _placed(await repo.placement_keys(session)), department)


def _place(tree: Tree, department: Department, parent_id: uuid.UUID | None, at: int | None) -> None:
    """Put `department` under `parent_id` at index `at` of its siblings (last if None)."""
    if parent_id is not None:
        if parent_id not in tree.nodes:
            raise Invalid("The parent department does not exist.", code="department_not_found")
        if parent_id in set(tree.subtree(department.id)):
            raise Conflict(
                "A department cannot move under itself or its own sub-department.",
                code="department_cycle",
            )
    siblings = [d for d in tree.children.get(parent_id, []) if d.id != department.id]
    index = len(siblings) if at is None else min(at, len(siblings))
    siblings.insert(index, department)
    department.parent_id = parent_id
    for position, sibling in enumerate(siblings):
        sibling.position = position


async def _require_head(session: AsyncSession, head_id: uuid.UUID | None) -> None:
    if head_id is not None:
        await users.require_active_users(session, [head_id])


async def create(session: AsyncSession, actor: Principal, body: DepartmentCreate) -> DepartmentRead:
    actor.require(Permission.MANAGE_DEPARTMENTS)
    await _require_head(session, body.head_id)
    tree = await load_tree(session)
    department = Department(
        id=uuid.uuid4(), name=body.name, head_id=body.head_id, hidden=body.hidden
    )
    _place(tree, department, body.parent_id, body.position)
    session.add(department)
    await session.flush()
    return await _read(session, department)


async def update(
    session: AsyncSession, actor: Principal, department_id: uuid.UUID, body: DepartmentUpdate
) -> DepartmentRead:
    actor.require(Permission.MANAGE_DEPARTMENTS)
    tree = await load_tree(session)
    department = tree.nodes.get(department_id)
    if department is None:
        raise NotFound("No such department.", code="department_not_found")
    fields = body.model_fields_set
    if "head_id" in fields:
        await _require_head(session, body.head_id)
        department.head_id = body.head_id
    if body.name is not None:
        department.name = body.name
    if body.hidden is not None:
        department.hidden = body.hidden
    async with following(session, actor.user_id):
        if "parent_id" in fields or body.position is not None:
            parent_id = body.parent_id if "parent_id" in fields else department.parent_id
            _place(tree, department, parent_id, body.position)
    return await _read(session, department)


async def delete(
    session: AsyncSession,
    actor: Principal,
    department_id: uuid.UUID,
    move_to: uuid.UUID | None,
) -> None:
    """Refused while it has people or sub-departments, unless `move_to` names the
    department they go to."""
    actor.require(Permission.MANAGE_DEPARTMENTS)
    tree = await load_tree(session)
    if department_id not in tree.nodes:
        raise NotFound("No such department.", code="department_not_found")
    busy = bool(tree.children.get(department_id)) or await repo.has_members(session, department_id)
    if busy and move_to is None:
        raise Conflict(
            "The department has people or sub-departments: move them first (move_to).",
            code="department_not_empty",
        )
    if move_to is not None and (
        move_to not in tree.nodes or move_to in set(tree.subtree(department_id))
    ):
        raise Invalid(
            "move_to must be another department, outside this one.", code="invalid_move_target"
        )
    async with following(session, actor.user_id):
        if move_to is not None:
            await repo.move_members(session, department_id, move_to)
            await repo.reparent_children(session, department_id, move_to)
        await session.delete(tree.nodes[department_id])


def memberships(tree: Tree, rows: list[DepartmentMember]) -> list[MembershipRead]:
    """A person's departments, primary first, each with its path."""
    rows = sorted(rows, key=lambda m: (not m.is_primary, tree.path(m.department_id)))
    return [
        MembershipRead(
            department_id=m.department_id,
            title=m.title,
            primary=m.is_primary,
            path=tree.path(m.department_id),
        )
        for m in rows
    ]


async def read_user_org(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> UserOrgRead:
    if actor.user_id != user_id:
        actor.require(Permission.MANAGE_DEPARTMENTS)
    user = await users.get_user(session, user_id)
    tree = await read_only_tree(session)
    manager = await users.get_user(session, user.manager_id) if user.manager_id else None
    return UserOrgRead(
        user_id=user.id,
        departments=memberships(tree, await repo.memberships_of(session, [user.id])),
        manager=users.read_as(manager, actor) if manager else None,
    )


async def _check_manager(session: AsyncSession, user_id: uuid.UUID, manager_id: uuid.UUID) -> None:
    """The manager is another active person, and not someone this person manages."""
    if manager_id == user_id:
        raise Invalid("Nobody is their own manager.", code="manager_cycle")
    chain = await users.require_active_users(session, [manager_id])
    seen = {user_id}
    current = chain[0]
    while current.manager_id is not None:
        if current.manager_id in seen or current.manager_id == user_id:
            raise Conflict("That manager reports to this person.", code="manager_cycle")
        seen.add(current.manager_id)
        current = await users.get_user(session, current.manager_id)


async def set_user_org(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, body: UserOrgUpdate
) -> UserOrgRead:
    actor.require(Permission.MANAGE_DEPARTMENTS)
    user = await users.get_user(session, user_id)
    tree = await load_tree(session)
    ids = [m.department_id for m in body.departments]
    if len(set(ids)) != len(ids):
        raise Invalid("A department is listed twice.", code="duplicate_department")
    if any(i not in tree.nodes for i in ids):
        raise Invalid("A department does not exist.", code="department_not_found")
    primaries = [m for m in body.departments if m.primary]
    if len(primaries) > 1:
        raise Invalid("Only one department is primary.", code="multiple_primary")
    primary = primaries[0].department_id if primaries else (ids[0] if ids else None)
    if body.manager_id is not None:
        await _check_manager(session, user.id, body.manager_id)
    user.manager_id = body.manager_id
    rows = [
        DepartmentMember(
            department_id=m.department_id,
            user_id=user.id,
            title=m.title,
            is_primary=m.department_id == primary,
        )
        for m in body.departments
    ]
    async with following(session, actor.user_id):
        await repo.replace_memberships(session, user.id, rows)
    return await read_user_org(session, actor, user_id)


def _by_path(tree: Tree) -> dict[str, uuid.UUID]:
    """Each department by its path as people write it: `研发部/后端组`."""
    return {"/".join(tree.path(node)): node for node in tree.nodes}


async def unknown_paths(session: AsyncSession, paths: set[str]) -> set[str]:
    """Those of `paths` (`研发部/后端组`) that name no department."""
    known = _by_path(await load_tree(session))
    return {p for p in paths if p.strip("/") not in known}


async def place_by_path(
    session: AsyncSession, actor: uuid.UUID, placements: dict[uuid.UUID, str]
) -> None:
    """Put each new account (id -> department path) in that department as its primary one,
    moving department groups along (bulk creation; the paths were checked)."""
    if not placements:
        return
    known = _by_path(await load_tree(session))
    async with following(session, actor):
        session.add_all(
            DepartmentMember(department_id=known[path.strip("/")], user_id=user_id, is_primary=True)
            for user_id, path in placements.items()
        )
