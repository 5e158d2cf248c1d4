"""FairSlots, the preview workers' scheduler: owners are served in turn, and a waiter
that gives up never keeps a slot."""

from __future__ import annotations

import asyncio

from parley.files.fair_slots import FairSlots


async def _run(slots: FairSlots, owner: str, done: list[str], gate: asyncio.Event) -> None:
    async with slots.slot(owner):
        done.append(owner)
        await gate.wait()


async def test_owners_take_turns() -> None:
    slots, done, gate = FairSlots(1), [], asyncio.Event()
    first = asyncio.create_task(_run(slots, "alice", done, gate))
    await asyncio.sleep(0)
    tasks = [asyncio.create_task(_run(slots, "alice", done, gate)) for _ in range(3)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(_run(slots, "bob", done, gate)))
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(_run(slots, "carol", done, gate)))
    gate.set()
    await asyncio.gather(first, *tasks)
    assert done == ["alice", "alice", "bob", "carol", "alice", "alice"]


async def test_a_cancelled_waiter_frees_its_place() -> None:
    slots, done, gate = FairSlots(1), [], asyncio.Event()
    holder = asyncio.create_task(_run(slots, "alice", done, gate))
    await asyncio.sleep(0)
    gone = asyncio.create_task(_run(slots, "bob", done, gate))
    waiting = asyncio.create_task(_run(slots, "carol", done, gate))
    await asyncio.sleep(0)
    gone.cancel()
    gate.set()
    await asyncio.gather(holder, waiting)
    assert done == ["alice", "carol"] and gone.cancelled()
    async with asyncio.timeout(1), slots.slot("dave"):  # the slot came back
        pass
