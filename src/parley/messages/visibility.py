"""What of a log entry a reader may see when it embeds another message.

A member reads the log from the entry that added them (`joined_seq`; founders see it
all), and `GET /messages/{id}` answers 404 for anything older. The same rule holds
inside other entries: a reply quoting, or a reaction, pin, edit or recall changing, a
message from before the reader joined shows its id and seq only, never its text, sender,
reactions or files. Entries are rendered once for everyone (`EVERYONE`) and cut down per
reader here, so sync pages and live frames stay shared bytes: `hidden_forms` lists, per
embedded seq, the form for readers who joined after it (at most two: a changed message
and the message it quotes)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from parley.core.events import Hidden
from parley.core.jsonutil import dumps
from parley.messages.schemas import MessageRead, ReplyPreview

# Render for every reader; cut down per reader with `for_reader` or `hidden_forms`.
EVERYONE = 0

# The first seq a reader may read: one number for a page of one conversation, or per
# conversation for lists that span several (favourites, mentions, search).
VisibleFrom = int | Mapping[uuid.UUID, int]


def first_visible(visible_from: VisibleFrom, conversation_id: uuid.UUID) -> int:
    if isinstance(visible_from, int):
        return visible_from
    return visible_from[conversation_id]


def embedded_seqs(read: MessageRead) -> list[int]:
    """Seqs of the messages this entry shows inside itself, ascending and distinct."""
    seqs = set()
    if read.reply_to is not None and not read.reply_to.hidden:
        seqs.add(read.reply_to.seq)
    if read.target is not None:
        seqs.add(read.target.seq)
        seqs.update(embedded_seqs(read.target))
    return sorted(seqs)


def for_reader(read: MessageRead, visible_from: int) -> MessageRead:
    """The entry as a reader who may read from `visible_from` on sees it; the same object
    when it embeds nothing older (the usual case, checked without copying)."""
    update: dict[str, object] = {}
    quote = read.reply_to
    if quote is not None and not quote.hidden and quote.seq < visible_from:
        update["reply_to"] = ReplyPreview(
            id=quote.id, seq=quote.seq, sender_id=None, text="", hidden=True
        )
    target = read.target
    if target is not None:
        if target.seq < visible_from:
            update["target"] = None
        elif (shown := for_reader(target, visible_from)) is not target:
            update["target"] = shown
    if not update:
        return read
    copy = read.model_copy(update=update)
    copy._json = None  # the cached JSON is the uncut form's
    return copy


def for_readers(reads: list[MessageRead], visible_from: VisibleFrom) -> list[MessageRead]:
    return [for_reader(r, first_visible(visible_from, r.conversation_id)) for r in reads]


def hidden_forms(read: MessageRead) -> list[tuple[int, MessageRead]]:
    """(seq, form) for each embedded seq: readers who joined after `seq` get `form`."""
    return [(seq, for_reader(read, seq + 1)) for seq in embedded_seqs(read)]


def hidden_json(read: MessageRead) -> Hidden:
    """`hidden_forms` as JSON, for the rendered log's shared entries."""
    return tuple((seq, dumps(form.as_json())) for seq, form in hidden_forms(read))
