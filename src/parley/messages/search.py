"""Message search: who may find what, paging, and snippets with highlight ranges.

The index itself (terms, SQL) lives in `search_index`; this module decides what a
query means and what a result looks like."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.core.errors import Invalid
from parley.files import service as files
from parley.messages import repository as repo
from parley.messages import search_index
from parley.messages.models import Message
from parley.messages.search_schemas import FileHit, MessageLink, SearchHit, SearchPage
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
    plan = search_index.plan(query.q)
    found = await _hits(session, user_id, query, plan)
    more = len(found) > query.limit
    found = found[: query.limit]
    marks = Marks(set(plan.words), plan.substrings)
    by_substring = {hit.message_id for phase, hit in found if phase > 0}
    items = await _results(session, user_id, [hit for _, hit in found], marks, by_substring)
    return SearchPage(
        items=items,
        files=await _file_results(session, user_id, query) if query.before is None else [],
        next_cursor=_encode_cursor(*found[-1]) if more else None,
    )


async def _hits(
    session: AsyncSession, user_id: uuid.UUID, query: SearchQuery, plan: search_index.Plan
) -> list[tuple[int, search_index.Hit]]:
    """Up to `limit + 1` hits with their phase, from the cursor on: the rest of the
    cursor's phase, then the later phases from their newest entry."""
    start, before = _decode_cursor(query.before)
    found: list[tuple[int, search_index.Hit]] = []
    for phase in range(start, len(plan.phases)):
        need = query.limit + 1 - len(found)
        if need <= 0:
            break
        terms, exclude = plan.phases[phase]
        filters = search_index.Filters(
            conversation_id=query.conversation_id,
            sender_id=query.sender_id,
            since=query.since,
            until=query.until,
            before=before if phase == start else None,
        )
        hits = await search_index.find(session, user_id, terms, filters, need, exclude)
        found += [(phase, hit) for hit in hits]
    return found


async def _file_results(
    session: AsyncSession, user_id: uuid.UUID, query: SearchQuery
) -> list[FileHit]:
    """Files named with every whitespace-separated part of the query (names are short
    and matched as plain substrings, so 报告 finds 项目进度报告.pdf)."""
    words = search_index.fold(query.q).split()
    shares = await files.named(
        session,
        user_id,
        words,
        conversation_id=query.conversation_id,
        sender_id=query.sender_id,
        since=search_index.to_utc(query.since),
        until=search_index.to_utc(query.until),
        limit=query.limit,
    )
    return [
        FileHit(
            **shared.model_dump(),
            conversation_id=cid,
            highlights=_merge(
                (at, at + len(w))
                for w in words
                for at in _occurrences(search_index.fold(shared.file.name), w)
            ),
            link=MessageLink(conversation_id=cid, message_id=shared.message_id, seq=shared.seq),
        )
        for cid, shared in shares
    ]


def _occurrences(text: str, part: str) -> list[int]:
    """Every offset where `part` starts in `text` (overlapping ones too)."""
    found = []
    at = text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


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


# A cursor is the last entry id of the page, prefixed with `p` in the second phase
# (substring matches). A page ending a phase continues it: it finds nothing more there
# and goes on to the next phase from the newest entry.
_PHASE_TAGS = ("", "p")


def _encode_cursor(phase: int, hit: search_index.Hit) -> str:
    return f"{_PHASE_TAGS[phase]}{hit.entry_id}"


def _decode_cursor(cursor: str | None) -> tuple[int, int | None]:
    """(phase, entry id to continue before) of a `next_cursor`."""
    if cursor is None:
        return 0, None
    phase = _PHASE_TAGS.index("p") if cursor.startswith("p") else 0
    digits = cursor[len(_PHASE_TAGS[phase]) :]
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        raise Invalid("Malformed cursor.", code="invalid_cursor")
    return phase, int(digits)


@dataclass(frozen=True, slots=True)
class Marks:
    """What to highlight: the query's words where the text's own words equal them, and
    its Chinese runs wherever they occur (the substrings the bigram phase matched)."""

    words: Collection[str]
    substrings: Sequence[str] = ()


async def _results(
    session: AsyncSession,
    user_id: uuid.UUID,
    hits: Sequence[search_index.Hit],
    marks: Marks,
    by_substring: Collection[uuid.UUID],
) -> list[SearchHit]:
    """Hits as results, in hit order. A message recalled or changed to another kind
    since it was indexed is skipped rather than shown, and so is a substring hit
    (`by_substring`) holding every bigram of the query but not the query's Chinese runs
    themselves (班前 and 前记 apart, for 班前记): a page may then be short."""
    loaded = {m.id: m for m in await repo.by_ids(session, [h.message_id for h in hits])}
    messages = [loaded[h.message_id] for h in hits if h.message_id in loaded]
    messages = [
        m
        for m in messages
        if _readable(m) and (m.id not in by_substring or _holds(m.text, marks.substrings))
    ]
    out = []
    # A hit is readable, but the message it quotes may predate the user's joining.
    joined = await conversations.joined_seqs(session, user_id)
    for message, read in zip(messages, await render(session, messages, joined), strict=True):
        snippet, highlights = make_snippet(message.text, marks)
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


def _holds(text: str, runs: Sequence[str]) -> bool:
    folded = search_index.fold(text)
    return all(run in folded for run in runs)


def match_spans(text: str, marks: Marks) -> list[Span]:
    """Where the query's words and Chinese runs occur in `text`, merged into ascending
    disjoint spans. For words the text is segmented exactly as when it was indexed, so a
    word highlight is a whole word the index matched; runs are found anywhere (folded,
    as the index folds: one character stays one, so offsets hold)."""
    spans = [(t.start, t.end) for t in search_index.tokens(text) if t.term in marks.words]
    folded = search_index.fold(text)
    spans += [(at, at + len(run)) for run in marks.substrings for at in _occurrences(folded, run)]
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted and merged where they touch or overlap."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, marks: Marks) -> tuple[str, list[Span]]:
    """At most SNIPPET_CHARS of `text` around the first match (with "…" where cut, and
    line breaks as spaces), and the matches as [start, end) offsets into that snippet."""
    spans = match_spans(text, marks)
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
