"""Log entries rendered once, as JSON, for every reader of a conversation.

At 9:00 sync pages are most of what a node serves, and every member of a group pulls the
same missed entries. Rendering one (ORM row, quote, reactions, files, pydantic, JSON) costs
about 100 us of CPU; a page served from here joins ready bytes.

Valid while the conversation's log has not moved: whatever changes how an entry shows (an
edit, a recall, a reaction, a pin) is itself a new entry of the same conversation, and a
message's files never change once sent. So a conversation's renderings are kept with the
`last_seq` they were made at, and a reader whose snapshot shows another `last_seq` renders
afresh (and replaces them). Seqs have no gaps, so the entries of a page are known from its
range alone: a full hit needs no query.

An entry is held as rendered for every reader, with the forms for readers who joined
after a message it embeds (visibility.py); a page picks each reader's form."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends

from parley.core.app_state import app_state
from parley.core.events import Hidden, pick

# An entry for every reader, and its forms for readers who joined after a message it embeds.
Entry = tuple[bytes, Hidden]


@dataclass(slots=True)
class _Held:
    last_seq: int
    entries: dict[int, Entry] = field(default_factory=dict)


class RenderedLog:
    """Per node, least recently used conversations dropped beyond `max_entries`."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._held: OrderedDict[uuid.UUID, _Held] = OrderedDict()
        self._size = 0

    def page(
        self, conversation_id: uuid.UUID, last_seq: int, first: int, last: int, joined_seq: int
    ) -> list[bytes] | None:
        """Entries `first`..`last` as rendered when the log ended at `last_seq`, as a
        reader who joined at `joined_seq` sees them, or None unless every one is held."""
        held = self._held.get(conversation_id)
        if held is None or held.last_seq != last_seq:
            return None
        try:
            entries = [pick(*held.entries[seq], joined_seq) for seq in range(first, last + 1)]
        except KeyError:
            return None
        self._held.move_to_end(conversation_id)
        return entries

    def keep(
        self, conversation_id: uuid.UUID, last_seq: int, rendered: Iterable[tuple[int, Entry]]
    ) -> None:
        """Hold entries rendered from a snapshot whose log ended at `last_seq`."""
        if self.max_entries <= 0:
            return
        held = self._held.get(conversation_id)
        if held is None or held.last_seq != last_seq:
            if held is not None:
                self._size -= len(held.entries)
            held = self._held[conversation_id] = _Held(last_seq)
        before = len(held.entries)
        held.entries.update(rendered)
        self._size += len(held.entries) - before
        self._held.move_to_end(conversation_id)
        while self._size > self.max_entries:
            _, dropped = self._held.popitem(last=False)
            self._size -= len(dropped.entries)


RenderedLogDep = Annotated[RenderedLog, Depends(app_state("rendered_log"))]
