"""The hub gives each member the form of a frame their joining allows (messages/
visibility.py builds the forms), and only walks members one by one when someone there
joined after the message the frame embeds."""

from __future__ import annotations

from datetime import UTC, datetime

from parley.core.events import Publication
from parley.realtime.connection import Connection
from parley.realtime.hub import UNKNOWN_JOIN, Hub

CID = "c1"
FULL, CUT = b'{"quote":"secret"}', b'{"quote":null}'
EMBEDS_SEQ_5 = Publication(f"c:{CID}", FULL, {}, ((5, CUT),))


def _socket(hub: Hub, user: str, joined: dict[str, int]) -> Connection:
    conn = Connection(None, user, f"s-{user}", datetime(2100, 1, 1, tzinfo=UTC), 16)  # type: ignore[arg-type]
    hub.register(conn)
    hub.subscribe(conn, joined)
    return conn


def _received(conn: Connection) -> list[bytes]:
    out = []
    while not conn.queue.empty():
        out.append(conn.queue.get_nowait().payload)
    return out


def test_each_member_gets_the_form_for_their_joining() -> None:
    hub = Hub()
    founder = _socket(hub, "founder", {CID: 1})
    late = _socket(hub, "late", {CID: 9})
    hub.deliver(EMBEDS_SEQ_5)
    assert _received(founder) == [FULL]
    assert _received(late) == [CUT]

    # Added later through `conversation.added`, with the seq they join at.
    newcomer = _socket(hub, "newcomer", {})
    hub.deliver(Publication("u:newcomer", b"{}", {"join": {CID: 12}}))
    _received(newcomer)
    hub.deliver(EMBEDS_SEQ_5)
    assert _received(newcomer) == [CUT] and _received(founder) == [FULL]


def test_late_joiners_gone_means_the_shared_frame_again() -> None:
    hub = Hub()
    founder = _socket(hub, "founder", {CID: 1})
    late = _socket(hub, "late", {CID: 9})
    hub.unregister(late)
    hub.deliver(EMBEDS_SEQ_5)  # walks the members once and learns nobody joined late
    assert hub.latest_join[CID] == 1
    hub.deliver(EMBEDS_SEQ_5)
    assert _received(founder) == [FULL, FULL]


def test_a_join_from_an_older_node_shows_nothing_embedded() -> None:
    hub = Hub()
    member = _socket(hub, "m", {})
    hub.deliver(Publication("u:m", b"{}", {"join": [CID]}))  # the previous release's shape
    assert hub.users_by_conv[CID]["m"] == UNKNOWN_JOIN
    _received(member)
    hub.deliver(EMBEDS_SEQ_5)
    assert _received(member) == [CUT]
