"""Generated frames against a live, signed-in socket, on SQLite and PostgreSQL: random
types and fields, random JSON, deep nesting, text that is not JSON, binary frames.

Whatever arrives, the server answers on the same socket: an error frame for what it
refuses (never a 5xx `internal_error`), never a close; and the socket stays usable."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from tests.fuzz.conftest import Live, fuzz_settings

EXAMPLES = 300
TYPES = [
    *("message.send", "read", "typing", "presence.query", "ping", "pong", "auth", "subscribe"),
    *("meeting.start", "meeting.join", "meeting.hand", "meeting.remove"),
]
FIELDS = [
    "conversation_id",
    "client_msg_id",
    "text",
    "seq",
    "ref",
    "user_ids",
    "token",
    "t",
    "mentions",
    "reply_to",
    "attachments",
    "call_id",
    "raised",
    "user_id",
    "media",
]
_probes = itertools.count()
# A text frame is UTF-8: no lone surrogates (JSON escapes of them are still generated).
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


def _nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def frames(live: Live) -> st.SearchStrategy[str | bytes]:
    known = st.sampled_from([*live.known["conversation_id"], *live.known["message_id"]])
    value = (
        json_values
        | known
        | st.integers(0, 5).map(str)
        | st.builds(_nested, st.integers(1, 300), json_scalars)
    )
    shaped = st.fixed_dictionaries(
        {"type": st.sampled_from(TYPES) | text},
        optional={name: value for name in FIELDS},
    )
    as_text = (shaped | json_values | value).map(lambda v: json.dumps(v, ensure_ascii=False))
    return as_text | text | st.binary(max_size=200) | deep


def _deep_frame(kind: str, field: str, depth: int) -> str:
    """Nested past what json.dumps (and, before the depth limit, the server) recurses to."""
    return f'{{"type": {json.dumps(kind)}, "{field}": ' + "[" * depth + "1" + "]" * depth + "}"


# Around the limits that matter: ours (32), Python's stack (~500), orjson's (1024).
depths = st.integers(1, 3000) | st.sampled_from([32, 33, 500, 700, 1000, 1024, 1025])
# The frame's own fields, or any field: validation walks them differently.
OWN_FIELDS = [
    ("ping", "ref"),
    ("read", "seq"),
    ("message.send", "mentions"),
    ("presence.query", "user_ids"),
    ("auth", "token"),
    ("pong", "t"),
]
deep = st.builds(
    lambda pair, depth: _deep_frame(*pair, depth),
    st.sampled_from(OWN_FIELDS) | st.tuples(st.sampled_from(TYPES), st.sampled_from(FIELDS)),
    depths,
)


@pytest.fixture(scope="module")
def socket(live: Live) -> Iterator[ClientConnection]:
    with connect(live.ws_url, max_size=None) as ws:
        ws.send(json.dumps({"type": "auth", "token": live.token}))
        assert orjson.loads(ws.recv(timeout=10))["type"] == "hello"
        yield ws


def _until_pong(ws: ClientConnection, ref: str) -> list[dict[str, Any]]:
    """Every frame up to the answer to our ping `ref`."""
    seen = []
    while True:
        frame = orjson.loads(ws.recv(timeout=10))
        if frame.get("type") == "pong" and frame.get("ref") == ref:
            return seen
        seen.append(frame)


def test_every_frame_is_answered_and_the_socket_lives(live: Live, socket: ClientConnection) -> None:
    @fuzz_settings(EXAMPLES)
    @given(frame=frames(live))
    def run(frame: str | bytes) -> None:
        socket.send(frame)
        ref = f"probe-{next(_probes)}"
        socket.send(json.dumps({"type": "ping", "ref": ref}))
        answers = _until_pong(socket, ref)
        for answer in answers:
            assert answer.get("code") != "internal_error", (frame, answer)
            if answer.get("type") == "error":
                assert 400 <= answer["status"] < 500, (frame, answer)
        if not _well_formed(frame):
            assert any(a.get("type") == "error" for a in answers), (frame, answers)

    run()
    cid = live.known["conversation_id"][0]
    socket.send(
        json.dumps(
            {
                "type": "message.send",
                "conversation_id": cid,
                "client_msg_id": "after-fuzz",
                "text": "还在",
                "ref": "last",
            }
        )
    )
    while (frame := orjson.loads(socket.recv(timeout=10))).get("ref") != "last":
        assert frame.get("code") != "internal_error", frame
    assert frame["type"] == "message.ack" and frame["message"]["text"] == "还在"


def _well_formed(frame: str | bytes) -> bool:
    """Whether the frame is a JSON object with a known type: only those may go unanswered
    before the next ping (typing and pong have no answer; sends answer later)."""
    if isinstance(frame, bytes):
        return False
    try:
        data = orjson.loads(frame)
    except ValueError:  # orjson gives up past 1024 levels, as the server's parser does
        return False
    return isinstance(data, dict) and data.get("type") in TYPES[:6]
