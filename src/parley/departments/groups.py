"""Department groups (部门群): a group whose members are the people of a department (and
its sub-departments, if chosen). Every change to the tree or to someone's departments is
made inside `following(...)`, which compares who should be in each such group before and
after and moves people through the groups service, so the change reaches the group as a
manual one would: a log event, joined_seq from it on, sockets unsubscribed on removal."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.errors import NotFound
from parley.departments import repository as repo
from parley.departments.models import DepartmentGroup
from parley.departments.schemas import (
    DepartmentGroupCreate,
    DepartmentGroupRead,
    DepartmentGroupUpdate,
)
from parley.departments.tree import Tree
from parley.groups import service as groups
from parley.groups.schemas import GroupCreate
from parley.users.principal import Principal

Membership = dict[uuid.UUID, set[uuid.UUID]]  # conversation id -> user ids


async def desired(session: AsyncSession, only: list[DepartmentGroup] | None = None) -> Membership:
    """Who the tree puts in each department group now."""
    bound = only if only is not None else await repo.department_groups(session)
    if not bound:
        return {}
    tree = Tree(await repo.all_departments(session))
    placed: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for department_id, user_id in await repo.placements(session):
        placed[department_id].add(user_id)
    out: Membership = {}
    for group in bound:
        scope = (
            tree.subtree(group.department_id) if group.include_subtree else [group.department_id]
        )
        out[group.conversation_id] = set().union(*(placed[d] for d in scope))
    return out


@asynccontextmanager
async def following(session: AsyncSession, actor: uuid.UUID) -> AsyncIterator[None]:
    """Run a change of the tree or of memberships; then move people between department
    groups as the change requires (`actor` is named as who did it)."""
    before = await desired(session)
    yield
    await session.flush()
    after = await desired(session)
    for conversation_id in sorted(before.keys() | after.keys()):
        was, now = before.get(conversation_id, set()), after.get(conversation_id, set())
        if was != now:
            await groups.follow_rule(
                session, actor, conversation_id, add=sorted(now - was), remove=sorted(was - now)
            )


async def create(
    session: AsyncSession, actor: Principal, department_id: uuid.UUID, body: DepartmentGroupCreate
) -> DepartmentGroupRead:
    actor.require(Permission.CREATE_DEPARTMENT_GROUPS)
    department = await repo.get(session, department_id)
    if department is None:
        raise NotFound("No such department.", code="department_not_found")
    bound = DepartmentGroup(department_id=department_id, include_subtree=body.include_subtree)
    bound.conversation_id = uuid.uuid4()  # placeholder for computing members only
    members = (await desired(session, [bound]))[bound.conversation_id]
    conversation = await groups.create_group(
        session,
        actor,
        GroupCreate.model_construct(
            type="group",
            name=body.name or department.name,
            member_ids=sorted(members),
            topic="",
        ),
    )
    bound.conversation_id = conversation.id
    session.add(bound)
    await session.flush()
    return DepartmentGroupRead.model_validate(bound)


async def update(
    session: AsyncSession, actor: Principal, conversation_id: uuid.UUID, body: DepartmentGroupUpdate
) -> DepartmentGroupRead:
    actor.require(Permission.CREATE_DEPARTMENT_GROUPS)
    bound = await repo.department_group(session, conversation_id)
    if bound is None:
        raise NotFound("That group is not a department group.", code="not_a_department_group")
    async with following(session, actor.user_id):
        bound.include_subtree = body.include_subtree
    return DepartmentGroupRead.model_validate(bound)


async def of_department(
    session: AsyncSession, actor: Principal, department_id: uuid.UUID
) -> list[DepartmentGroupRead]:
    actor.require(Permission.CREATE_DEPARTMENT_GROUPS)
    return [
        DepartmentGroupRead.model_validate(g)
        for g in await repo.department_groups(session, department_id)
    ]
