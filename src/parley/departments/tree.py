"""The department tree in memory: a company has hundreds of departments, not millions,
so every question about ancestry is answered from one read of the table."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Protocol


class Department(Protocol):
    """What the tree reads of a department: an ORM object or a plain row."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def parent_id(self) -> uuid.UUID | None: ...
    @property
    def name(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def hidden(self) -> bool: ...
    @property
    def head_id(self) -> uuid.UUID | None: ...


class Tree:
    def __init__(self, departments: Iterable[Department]) -> None:
        self.nodes = {d.id: d for d in departments}
        self.children: dict[uuid.UUID | None, list[Department]] = defaultdict(list)
        for d in self.nodes.values():
            self.children[d.parent_id].append(d)
        for siblings in self.children.values():
            siblings.sort(key=lambda d: (d.position, d.name))

    def subtree(self, root: uuid.UUID) -> Iterator[uuid.UUID]:
        """`root` and every department below it."""
        stack = [root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(d.id for d in self.children.get(node, ()))

    def ancestors(self, node: uuid.UUID) -> list[Department]:
        """From the top of the tree down to `node` itself."""
        chain: list[Department] = []
        current = self.nodes.get(node)
        while current is not None:
            chain.append(current)
            current = self.nodes.get(current.parent_id) if current.parent_id else None
        return chain[::-1]

    def path(self, node: uuid.UUID) -> list[str]:
        return [d.name for d in self.ancestors(node)]

    def hidden(self, node: uuid.UUID) -> bool:
        """Hidden itself or below a hidden department."""
        return any(d.hidden for d in self.ancestors(node))

    def ordered(self) -> list[Department]:
        """Depth first, siblings by position: the order the directory shows them in."""
        out: list[Department] = []
        stack = list(reversed(self.children.get(None, [])))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children.get(node.id, [])))
        return out
