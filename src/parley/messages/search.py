"""Message search: who may find what, paging, and snippets with highlight ranges.

The index itself (terms, SQL) lives in `search_index`; this module decides what a
query means and what a result looks like."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.core.errors import Invalid
from parley.messages import repository as repo
from parley.messages import search_index
from parley.messages.models import Message
from parley.messages.search_schemas import MessageLink, SearchHit, SearchPage
from parley.messages.service import render

MAX_QUERY_CHARS = 200
SNIPPET_CHARS = 120
# How much text to keep before the first match, so the match reads in context.
SNIPPET_LEAD = 30
ELLIPSIS = "…"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    q: str
    conversation_id: uuid.UUID | None = None
    sender_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: str | None = None
    limit: int = 20


async def search(session: AsyncSession, user_id: uuid.UUID, query: SearchQuery) -> SearchPage:
    """Messages matching every word of `query.q`, from conversations the user is a member
    of now and from the seq they joined at, newest first.

    Naming a conversation the user is not in is a 404, as on every other endpoint; a
    query without a single word (only punctuation, say) finds nothing."""
    _check_query(query)
    if query.conversation_id is not None:
        await conversations.access_conversation(session, user_id, query.conversation_id)
    filters = search_index.Filters(
        conversation_id=query.conversation_id,
        sender_id=query.sender_id,
        since=query.since,
        until=query.until,
        before=_decode_cursor(query.before),
    )
    terms = search_index.query_terms(query.q)
    hits = await search_index.find(session, user_id, terms, filters, query.limit + 1)
    more = len(hits) > query.limit
    hits = hits[: query.limit]
    items = await _results(session, user_id, hits, set(search_index.query_words(query.q)))
    return SearchPage(items=items, next_cursor=str(hits[-1].entry_id) if more else None)


def _check_query(query: SearchQuery) -> None:
    if len(query.q) > MAX_QUERY_CHARS:
        raise Invalid(
            f"A search may have at most {MAX_QUERY_CHARS} characters.",
            code="query_too_long",
            limit=MAX_QUERY_CHARS,
        )
    if not query.q.strip():
        raise Invalid("Type something to search for.", code="empty_query")
    since, until = search_index.to_utc(query.since), search_index.to_utc(query.until)
    if since and until and since >= until:
        raise Invalid("`from` must be before `to`.", code="invalid_range")


def _decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise Invalid("Malformed cursor.", code="invalid_cursor")
    return int(cursor)


async def _results(
    session: AsyncSession,
    user_id: uuid.UUID,
    hits: Sequence[search_index.Hit],
    words: Collection[str],
) -> list[SearchHit]:
    """Hits as results, in hit order. A message recalled or changed to another kind
    since it was indexed is skipped rather than shown."""
    loaded = {m.id: m for m in await repo.by_ids(session, [h.message_id for h in hits])}
    messages = [loaded[h.message_id] for h in hits if h.message_id in loaded]
    messages = [m for m in messages if _readable(m)]
    out = []
    # A hit is readable, but the message it quotes may predate the user's joining.
    joined = await conversations.joined_seqs(session, user_id)
    for message, read in zip(messages, await render(session, messages, joined), strict=True):
        snippet, highlights = make_snippet(message.text, words)
        out.append(
            SearchHit(
                message=read,
                conversation_id=message.conversation_id,
                seq=message.seq,
                snippet=snippet,
                highlights=highlights,
                link=MessageLink(
                    conversation_id=message.conversation_id, message_id=message.id, seq=message.seq
                ),
            )
        )
    return out


def _readable(message: Message) -> bool:
    return message.kind in search_index.INDEXED_KINDS and message.recalled_at is None


def match_spans(text: str, words: Collection[str]) -> list[Span]:
    """Where the query's words occur in `text`, merged into ascending disjoint spans.
    The text is segmented exactly as when it was indexed, so a highlight is a whole
    word the index matched, never a substring of another word."""
    spans = sorted((t.start, t.end) for t in search_index.tokens(text) if t.term in words)
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, words: Collection[str]) -> tuple[str, list[Span]]:
    """At most SNIPPET_CHARS of `text` around the first match (with "…" where cut, and
    line breaks as spaces), and the matches as [start, end) offsets into that snippet."""
    spans = match_spans(text, words)
    first = spans[0][0] if spans else 0
    end = min(len(text), max(first - SNIPPET_LEAD, 0) + SNIPPET_CHARS)
    start = max(0, end - SNIPPET_CHARS)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    body = text[start:end].replace("\r", " ").replace("\n", " ")
    shift = len(prefix) - start
    ranges = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    ]
    return prefix + body + suffix, ranges
