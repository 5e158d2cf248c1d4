"""The message search index: tokenisation and every SQL statement that touches it.

Built-in full-text parsers split Chinese badly (SQLite's unicode61 keeps a whole run of
Han characters as one token; PostgreSQL's parser drops them under a C locale), so
text is segmented here with jieba (jieba-rs via `rjieba`) in search mode and the
storage only ever sees ready-made terms:

* SQLite: `message_search.terms` holds the terms separated by spaces, mirrored by
  triggers into the external-content FTS5 table `message_search_fts` (migration 0002).
* PostgreSQL: `message_search.terms` is `array_to_tsvector(terms)`, taken verbatim
  (no parser, no stemming) under a GIN index.

Beside jieba's words, every run of Chinese characters is also indexed as its character
bigrams (下班前 -> 下班, 班前), marked so they never equal a word: jieba alone misses a
substring that crosses its word boundaries (班前 in 下班前). A query is answered in two
phases (`plan`): first the messages holding its whole words, newest first, then those
holding only its bigrams (any substring of two or more characters), newest first.

Every index term goes through `_stored_term`, so the day message text is sealed at rest
the index can hold keyed hashes (HMAC of each token) instead of the tokens, without
touching the callers (`index`, `unindex`, `find`) or the schema.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import rjieba
from sqlalchemy import Integer, Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.types import Text

from parley.db.base import UTCDateTime
from parley.db.bulk import insert_values
from parley.messages.models import Entry, Message

# Longer "words" (URLs, hashes, base64) are cut: they are never typed as a query in
# full, and PostgreSQL refuses lexemes over 2 KB.
MAX_TERM_CHARS = 64
INDEXED_KINDS = frozenset({"text"})

# Han characters (CJK unified ideographs, extension A, compatibility ideographs): runs of
# them are indexed as bigrams too. The private-use mark keeps a bigram from ever being
# equal to a jieba word (SQLite's unicode61 and a tsvector keep it as part of the term).
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_RUN = re.compile(_HAN + "{2,}")
_HAS_HAN = re.compile(_HAN)
_BIGRAM_MARK = "\ue000"

# Full-width ASCII (ＡＢＣ１２３, common in Chinese input methods) and the ideographic
# space fold to their ASCII forms, so that jieba sees Latin words whatever the width.
# One character stays one character: token offsets remain offsets into the original.
_WIDTH_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word and where it stands in the original text ([start, end))."""

    term: str
    start: int
    end: int


# -- tokenisation -----------------------------------------------------------------------


def fold(text: str) -> str:
    """Width-fold and lower-case without changing the length (offsets must survive)."""
    folded = text.translate(_WIDTH_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A few characters (e.g. 'İ') grow when lower-cased; keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)


def tokens(text: str) -> list[Token]:
    """Every searchable word of `text`, jieba search mode: 项目进度 -> 项目, 进度 and long
    dictionary words also as their parts (中华人民共和国 -> 中华, 人民, 共和国 ...).
    Punctuation, whitespace and symbols (emoji) are not words."""
    return [Token(w[:MAX_TERM_CHARS], start, end) for w, start, end in _words(fold(text))]


def _words(folded: str) -> Iterator[tuple[str, int, int]]:
    for word, start, end in rjieba.tokenize(folded, mode="search", hmm=True):
        if any(c.isalnum() for c in word):
            yield word, start, end


def _stored_term(term: str) -> str:
    """The form a term takes in the index. The identity today; the single place to turn
    terms into keyed hashes (HMAC-SHA256 with the organisation's search key) later."""
    return term


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def han_runs(text: str) -> list[str]:
    """The runs of two or more Han characters in `text`, folded as the index folds."""
    return _HAN_RUN.findall(fold(text))


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> list[str]:
    """What the index stores for a message text: all search-mode words and the bigrams
    of its Chinese runs, once each."""
    folded = fold(text)
    words = (_stored_term(w[:MAX_TERM_CHARS]) for w, _, _ in _words(folded))
    pairs = (
        _stored_term(_BIGRAM_MARK + run[i : i + 2])
        for run in _HAN_RUN.findall(folded)
        for i in range(len(run) - 1)
    )
    return _unique([*words, *pairs])


def query_words(query: str) -> list[str]:
    """The words a query requires (plain, for highlighting), all of which must match.

    Search mode also yields coarse words made of finer ones (怎么样 with 怎么); a coarse
    word that its finer words cover entirely is dropped, so that 项目进度 asks for 项目
    and 进度 and finds 我们项目的进度 as well as 项目进度汇报."""
    found = tokens(query)
    kept = [t for t in found if not _covered(t, found)]
    return _unique(t.term for t in kept)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a query asks of the index, phase by phase (see the module docstring).

    `words` and `substrings` are plain, for highlighting; `phases` hold stored terms:
    each phase finds the entries holding all its `require` terms and not all of its
    `exclude` terms (the earlier phase's), so no message is listed twice."""

    words: list[str]
    substrings: list[str]
    phases: list[tuple[list[str], list[str]]]


def plan(query: str) -> Plan:
    """Phase one: every whole word (`query_terms`). Phase two, when the query has two or
    more Chinese characters in a row: every bigram of those runs (an AND of bigrams, so
    班前 finds 下班前), with the words that have no Chinese in them (`release`
    in `release 发布会`) still required as words."""
    words = query_words(query)
    runs = han_runs(query)
    whole = _unique(_stored_term(w) for w in words)
    phases = [(whole, [])] if whole else []
    if runs:
        pairs = (_stored_term(_BIGRAM_MARK + b) for run in runs for b in _bigrams(run))
        others = (_stored_term(w) for w in words if not _HAS_HAN.search(w))
        phases.append((_unique([*pairs, *others]), whole))
    return Plan(words=words, substrings=_unique(runs), phases=phases)


def _covered(token: Token, others: Sequence[Token]) -> bool:
    """Whether shorter tokens inside `token`'s span cover every one of its characters."""
    inner = [o for o in others if token.start <= o.start and o.end <= token.end and o != token]
    positions = {p for o in inner for p in range(o.start, o.end)}
    return len(positions) == token.end - token.start


# -- writing ----------------------------------------------------------------------------


def _dialect(session: AsyncSession) -> str:
    bind = session.get_bind()
    return bind.dialect.name


# An entry's columns and their types, in `_row`'s order (SQLite's `terms` is text; on
# PostgreSQL the terms go in as an array and become a tsvector).
_COLUMNS = {
    "message_id": Uuid(),
    "conversation_id": Uuid(),
    "seq": Integer(),
    "sender_id": Uuid(),
    "created_at": UTCDateTime(),
    "terms": Text(),
}
_INSERT_HEAD = f"INSERT INTO message_search ({', '.join(_COLUMNS)})"
_ON_CONFLICT = "ON CONFLICT (message_id) DO UPDATE SET terms = excluded.terms"


@functools.cache
def _upsert(dialect: str) -> TextClause:
    """Insert an entry, or replace the terms of an existing one keeping its `id` (so an
    edited message keeps its place in "newest first")."""
    values = [f":{name}" for name in _COLUMNS]
    types = dict(_COLUMNS)
    if dialect != "sqlite":
        values[-1], types["terms"] = "array_to_tsvector(:terms)", ARRAY(Text())
    stmt = text(f"{_INSERT_HEAD} VALUES ({', '.join(values)}) {_ON_CONFLICT}")
    return stmt.bindparams(*(bindparam(name, type_=t) for name, t in types.items()))


def _row(dialect: str, message: Entry, terms: list[str]) -> dict[str, Any]:
    return {
        "message_id": message.id,
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "sender_id": message.sender_id,
        "created_at": message.created_at,
        "terms": " ".join(terms) if dialect == "sqlite" else terms,
    }


def _searchable(message: Entry) -> bool:
    return message.kind in INDEXED_KINDS and message.recalled_at is None


async def index(session: AsyncSession, message: Message) -> None:
    """Make a text message findable, or refresh its entry after an edit. Other kinds are
    left alone (no statement at all); a recalled message or a text without words (emoji
    only) loses any entry it had."""
    if message.kind not in INDEXED_KINDS:
        return
    terms = index_terms(message.text) if message.recalled_at is None else []
    if not terms:
        await unindex(session, message.id)
        return
    dialect = _dialect(session)
    await session.execute(_upsert(dialect), _row(dialect, message, terms))


async def index_many(session: AsyncSession, messages: Sequence[Entry]) -> None:
    """`index` for a batch (sends, backfills): one statement on SQLite (db/bulk.py), one
    executemany round trip elsewhere."""
    dialect = _dialect(session)
    rows = []
    for message in messages:
        terms = index_terms(message.text) if _searchable(message) else []
        if terms:
            rows.append(_row(dialect, message, terms))
    if not rows:
        return
    if dialect == "sqlite":
        values = [tuple(row[name] for name in _COLUMNS) for row in rows]
        await insert_values(session, _INSERT_HEAD, list(_COLUMNS.values()), values, _ON_CONFLICT)
    else:
        await session.execute(_upsert(dialect), rows)


async def unindex(session: AsyncSession, message_id: uuid.UUID) -> None:
    """Remove a message from the index (recall). Its terms are gone with the row."""
    stmt = text("DELETE FROM message_search WHERE message_id = :message_id").bindparams(
        bindparam("message_id", type_=Uuid())
    )
    await session.execute(stmt, {"message_id": message_id})


# -- searching --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """What narrows a search besides its words. `before` is an index entry id (cursor)."""

    conversation_id: uuid.UUID | None = None
    sender_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: int
    message_id: uuid.UUID


def fts5_query(terms: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """An FTS5 query requiring every term (and not every `exclude` term), each a quoted
    string: inside double quotes FTS5 syntax (NEAR, *, ^, AND, column filters) is plain
    text; quotes are doubled."""

    def all_of(ts: Sequence[str]) -> str:
        return "(" + " ".join('"' + t.replace('"', '""') + '"' for t in ts) + ")"

    return f"{all_of(terms)} NOT {all_of(exclude)}" if exclude else all_of(terms)


def tsquery(terms: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """A tsquery literal requiring every term (and not every `exclude` term), each a
    quoted lexeme (quote doubled, backslash escaped), so `&`, `|`, `!`, `:*` are plain
    text."""

    def all_of(ts: Sequence[str]) -> str:
        quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in ts)
        return "(" + " & ".join(quoted) + ")"

    return f"{all_of(terms)} & !{all_of(exclude)}" if exclude else all_of(terms)


# Which entries the user may read: current memberships, from the seq they joined at.
# On SQLite, CROSS JOIN pins the full-text table as the outer loop, walked newest
# first, so a page costs the matches up to its last hit rather than all of them; a date
# range becomes a rowid range of that walk (see `_id_range`).
_FIND_SQLITE = """
SELECT s.id AS entry_id, s.message_id AS message_id
FROM message_search_fts AS f
CROSS JOIN message_search AS s
CROSS JOIN members AS m
WHERE f.terms MATCH :match
  AND s.id = f.rowid
  AND m.conversation_id = s.conversation_id AND m.user_id = :user_id
  AND s.seq >= m.joined_seq
  {filters}
ORDER BY f.rowid DESC
LIMIT :limit
"""
# One sender's entries are usually far fewer than the matches of a common word: walk
# them newest first and ask the full-text index about each (a rowid seek).
_FIND_SQLITE_BY_SENDER = """
SELECT s.id AS entry_id, s.message_id AS message_id
FROM message_search AS s INDEXED BY ix_message_search_sender_id_id
CROSS JOIN members AS m
WHERE s.sender_id = :sender_id
  AND m.conversation_id = s.conversation_id AND m.user_id = :user_id
  AND s.seq >= m.joined_seq
  AND EXISTS (
    SELECT 1 FROM message_search_fts AS f WHERE f.rowid = s.id AND f.terms MATCH :match
  )
  {filters}
ORDER BY s.id DESC
LIMIT :limit
"""
_FIND_POSTGRES = """
SELECT s.id AS entry_id, s.message_id AS message_id
FROM message_search AS s
JOIN members AS m ON m.conversation_id = s.conversation_id AND m.user_id = :user_id
WHERE s.terms @@ CAST(:match AS tsquery)
  AND s.seq >= m.joined_seq
  {filters}
ORDER BY s.id DESC
LIMIT :limit
"""
_FILTERS = {
    "conversation_id": "AND s.conversation_id = :conversation_id",
    "sender_id": "AND s.sender_id = :sender_id",
    "since": "AND s.created_at >= :since",
    "until": "AND s.created_at < :until",
    "before": "AND s.id < :before",
    "min_id": "AND f.rowid >= :min_id",
    "max_id": "AND f.rowid <= :max_id",
}
_UUIDS = ("user_id", "conversation_id", "sender_id")
_TIMES = ("since", "until")
# Entries are numbered in commit order, which follows `created_at` except across
# transactions that overlap in time; bounds are widened by this much to cover them.
_CLOCK_SLACK = timedelta(minutes=5)
_FIRST_AT = """
SELECT id FROM message_search WHERE created_at >= :at ORDER BY created_at LIMIT 1
"""
_LAST_BEFORE = """
SELECT id FROM message_search WHERE created_at < :at ORDER BY created_at DESC LIMIT 1
"""


class _NoEntries(Exception):
    """The date range holds no entry at all."""


def to_utc(value: datetime | None) -> datetime | None:
    """Naive means UTC; aware values are converted (SQLite compares the stored text)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _params(filters: Filters) -> dict[str, Any]:
    params: dict[str, Any] = {
        "conversation_id": filters.conversation_id,
        "sender_id": filters.sender_id,
        "since": to_utc(filters.since),
        "until": to_utc(filters.until),
        "before": filters.before,
    }
    return {k: v for k, v in params.items() if v is not None}


async def _entry_id(session: AsyncSession, sql: str, at: datetime) -> int:
    stmt = text(sql).bindparams(bindparam("at", type_=UTCDateTime()))
    found = await session.scalar(stmt, {"at": at})
    if found is None:
        raise _NoEntries
    return int(found)


async def _id_range(session: AsyncSession, params: dict[str, Any]) -> dict[str, int]:
    """The dates as bounds on the entry id, so SQLite's newest-first walk over the
    matches starts at `to` and stops at `from` instead of crossing every newer match.
    The exact date conditions still apply; the bounds are widened to be safe."""
    bounds = {}
    if "since" in params:
        bounds["min_id"] = await _entry_id(session, _FIRST_AT, params["since"] - _CLOCK_SLACK)
    if "until" in params:
        bounds["max_id"] = await _entry_id(session, _LAST_BEFORE, params["until"] + _CLOCK_SLACK)
    return bounds


def _statement(dialect: str, params: dict[str, Any]) -> TextClause:
    if dialect != "sqlite":
        sql = _FIND_POSTGRES
    elif "sender_id" in params:
        sql = _FIND_SQLITE_BY_SENDER
    else:
        sql = _FIND_SQLITE
    where = "\n  ".join(_FILTERS[k] for k in params)
    stmt = text(sql.format(filters=where)).bindparams(
        *(bindparam(k, type_=Uuid()) for k in _UUIDS if k in params or k == "user_id"),
        *(bindparam(k, type_=UTCDateTime()) for k in _TIMES if k in params),
    )
    return stmt.columns(entry_id=Integer(), message_id=Uuid())


async def find(
    session: AsyncSession,
    user_id: uuid.UUID,
    terms: Sequence[str],
    filters: Filters,
    limit: int,
    exclude: Sequence[str] = (),
) -> list[Hit]:
    """Entries holding every term (and not every `exclude` term), in conversations
    `user_id` may read now, newest first.

    `terms` come from `query_terms` or a `plan` phase; an empty list finds nothing."""
    if not terms:
        return []
    dialect = _dialect(session)
    params = _params(filters)
    if dialect == "sqlite" and "sender_id" not in params:
        try:
            params |= await _id_range(session, params)
        except _NoEntries:
            return []
    match = fts5_query(terms, exclude) if dialect == "sqlite" else tsquery(terms, exclude)
    rows = await session.execute(
        _statement(dialect, params), {**params, "user_id": user_id, "match": match, "limit": limit}
    )
    return [Hit(entry_id=r.entry_id, message_id=r.message_id) for r in rows]
