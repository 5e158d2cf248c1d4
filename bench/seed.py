"""Fast set-up of users, conversations, sessions and old messages, before the server starts.

Creating 10,000 users through `POST /api/v1/users` and logging each in costs two argon2
hashes and two HTTP round trips per user: minutes of set-up for a few seconds of
measurement. Instead this module opens the benchmark's fresh database with the server's
own code (`create_database`, the `groups` and `messages` services, `users.service`'s
session opening) and writes everything in a few transactions, exactly as the server would.
The one shortcut: every bench user shares one password, hashed once with the server's
argon2 parameters, so the rows are identical to those `create_user` writes. Realtime
events of the set-up are dropped (no server runs yet; clients sync)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from parley.access.permissions import SYSTEM_ROLES
from parley.config import Settings
from parley.core.clock import utcnow
from parley.db.engine import create_database
from parley.db.migrate import upgrade
from parley.db.session import write_scope
from parley.groups import service as groups
from parley.groups.schemas import GroupCreate
from parley.messages import service as messages
from parley.messages.schemas import MessageCreate
from parley.org import repository as org_repo
from parley.runtime import Runtime
from parley.security.passwords import Passwords
from parley.users import service as users
from parley.users.models import User
from parley.users.principal import Principal

PASSWORD = "bench-password-7x!"
BATCH = 500


@dataclass
class Topology:
    """What to create. Users are numbered 0..n-1; conversations are groups, then directs."""

    users: int
    groups: list[list[int]] = field(default_factory=list)
    directs: list[tuple[int, int]] = field(default_factory=list)
    # (conversation index, messages) sent round-robin by its members before the run
    history: list[tuple[int, int]] = field(default_factory=list)
    tokens: bool = True


@dataclass
class Seeded:
    user_ids: list[str]
    usernames: list[str]
    tokens: list[str]
    conv_ids: list[str]
    members: list[list[int]]
    last_seq: list[int]
    groups: int = 0
    seconds: float = 0.0


async def _noop(_: object) -> None:
    return None


def username(i: int) -> str:
    return f"bench{i:05d}"


async def seed(database_url: str, topo: Topology, env: dict[str, str]) -> Seeded:
    t0 = time.monotonic()
    settings = Settings(
        database_url=database_url,
        argon2_time_cost=int(env.get("PARLEY_ARGON2_TIME_COST", 3)),
        argon2_memory_kib=int(env.get("PARLEY_ARGON2_MEMORY_KIB", 65536)),
    )
    upgrade(settings)
    db = create_database(settings)
    rt = Runtime(settings, db, Passwords(settings), publish=_noop)
    try:
        password_hash = await rt.passwords.hash(PASSWORD)
        async with write_scope(db, rt.publish) as session:
            await org_repo.create(session, "Bench Inc.")
            rows = [
                User(
                    id=uuid.uuid4(),
                    username=username(i),
                    display_name=f"Bench {i}",
                    password_hash=password_hash,
                    role="admin" if i == 0 else "member",
                )
                for i in range(topo.users)
            ]
            session.add_all(rows)
            await session.flush()
        ids = [r.id for r in rows]
        tokens: list[str] = []
        for start in range(0, topo.users if topo.tokens else 0, 2000):
            async with write_scope(db, rt.publish) as session:
                for user in rows[start : start + 2000]:
                    login = await users.open_session_for(session, rt, user, "bench", "127.0.0.1")
                    tokens.append(login.token)
        conv_ids: list[str] = []
        members: list[list[int]] = []
        async with write_scope(db, rt.publish) as session:
            for n, group in enumerate(topo.groups):
                body = GroupCreate.model_construct(
                    type="group", name=f"group {n}", member_ids=[ids[i] for i in group], topic=""
                )
                conv = await groups.create_group(session, _member(ids[group[0]]), body)
                conv_ids.append(str(conv.id))
                members.append(list(dict.fromkeys(group)))
            for a, b in topo.directs:
                conv, _ = await groups.open_direct(session, _member(ids[a]), ids[b])
                conv_ids.append(str(conv.id))
                members.append([a, b])
        last_seq = [1 if i < len(topo.groups) else 0 for i in range(len(conv_ids))]
        pending = [(c, k) for c, count in topo.history for k in range(count)]
        for start in range(0, len(pending), BATCH):
            async with write_scope(db, rt.publish) as session:
                for c, k in pending[start : start + BATCH]:
                    sender = members[c][k % len(members[c])]
                    body = MessageCreate(client_msg_id=f"seed-{c}-{k}", text=f"history {k} 历史")
                    msg, _ = await messages.send(
                        session,
                        settings,
                        ids[sender],
                        uuid.UUID(conv_ids[c]),
                        body,
                        permissions=SYSTEM_ROLES["member"],
                    )
                    last_seq[c] = msg.seq
    finally:
        await db.dispose()
    return Seeded(
        user_ids=[str(i) for i in ids],
        usernames=[username(i) for i in range(topo.users)],
        tokens=tokens,
        conv_ids=conv_ids,
        members=members,
        last_seq=last_seq,
        groups=len(topo.groups),
        seconds=time.monotonic() - t0,
    )


def _member(user_id: uuid.UUID) -> Principal:
    """The seeded user as a signed-in member (what group creation asks of its caller)."""
    return Principal(user_id, uuid.uuid4(), "member", utcnow(), permissions=SYSTEM_ROLES["member"])
