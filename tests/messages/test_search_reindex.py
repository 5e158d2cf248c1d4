"""Migration 0011 on a database indexed by the code before it: existing messages become
findable by substring, existing people by pinyin, with no step but `parley migrate`."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from parley.db.migrate import MIGRATIONS
from tests.helpers import Api, Server, create_group, create_user, setup_admin


def migration() -> ModuleType:
    path = next((MIGRATIONS / "versions").glob("0011_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def found(api: Api, q: str) -> list[str]:
    r = await api.get("/search", params={"q": q})
    return [hit["message"]["text"] for hit in r.json()["items"]]


async def directory(api: Api, q: str) -> list[str]:
    return [u["display_name"] for u in (await api.get("/users", params={"q": q})).json()["items"]]


async def test_migration_reindexes_old_entries_and_fills_name_keys(
    server: Server, database_url: str, backend: str
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice", "张三")
    cid = await create_group(admin, alice)
    await admin.send(cid, "下班前记得提交周报")

    # What the code before 0011 had stored: jieba's words only, no pinyin keys.
    old_terms = "下班 前 记得 提交 周报"
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            terms = ":t" if backend == "sqlite" else "array_to_tsvector(string_to_array(:t, ' '))"
            await conn.execute(text(f"UPDATE message_search SET terms = {terms}"), {"t": old_terms})
            await conn.execute(text("UPDATE users SET name_pinyin = '', name_initials = ''"))
        assert await found(alice, "班前") == []
        assert await directory(admin, "zs") == []

        module = migration()
        async with engine.begin() as conn:
            await conn.run_sync(module._fill_name_keys)
            await conn.run_sync(module._reindex_messages)
    finally:
        await engine.dispose()

    assert await found(alice, "班前") == ["下班前记得提交周报"]
    assert await found(alice, "下班") == ["下班前记得提交周报"]
    assert await directory(admin, "zs") == ["张三"]
