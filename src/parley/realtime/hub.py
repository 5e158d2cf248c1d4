"""This node's sockets and who should get what. Delivery is synchronous and never waits."""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping

import structlog

from parley.access.permissions import permissions_named
from parley.core.events import ALL_SOCKETS, Publication
from parley.realtime.connection import CLOSE_AUTH, Connection
from parley.realtime.wire import OutFrame

log = structlog.get_logger()
# Conversations with more local members online than this carry no presence events.
PRESENCE_GROUP_LIMIT = 500
# Presence changes are held this long and then written to each socket together.
PRESENCE_FLUSH_SECONDS = 0.2


# A member whose joined_seq is unknown sees no embedded message at all.
UNKNOWN_JOIN = 2**31


def _joined(join: object) -> dict[str, int]:
    """`join` control: conversation -> joined_seq. A node of the previous release (in a
    rolling upgrade) sends a bare list of ids; those members are taken as having joined
    late, so they are shown too little rather than too much until they reconnect."""
    if isinstance(join, dict):
        return join
    return dict.fromkeys(join, UNKNOWN_JOIN) if isinstance(join, list) else {}


class Hub:
    def __init__(self) -> None:
        self.conns_by_user: dict[str, set[Connection]] = defaultdict(set)
        # Conversation -> its local members -> the first seq each may read (joined_seq).
        self.users_by_conv: dict[str, dict[str, int]] = defaultdict(dict)
        self.convs_by_user: dict[str, set[str]] = defaultdict(set)
        # Conversation -> the highest joined_seq among its local members, or higher: it
        # is raised on join and lowered only when a delivery walks the members anyway.
        self.latest_join: dict[str, int] = {}
        # Recipient -> subject -> the latest presence frame about that subject.
        self._presence_due: dict[str, dict[str, OutFrame]] = defaultdict(dict)
        self._presence_flush: asyncio.TimerHandle | None = None

    @property
    def connection_count(self) -> int:
        return sum(len(c) for c in self.conns_by_user.values())

    def register(self, conn: Connection) -> None:
        """Start routing the user's own events to the socket; `subscribe` follows."""
        self.conns_by_user[conn.user_id].add(conn)

    def subscribe(self, conn: Connection, joined: Mapping[str, int]) -> None:
        """Apply the user's conversations (with the seq each may be read from), read after
        `register`, then the membership changes that arrived meanwhile: neither a join nor
        a removal can fall between the snapshot and the stream."""
        self._join(conn.user_id, joined)
        for join, leave in conn.pending_ops or ():
            self._join(conn.user_id, join)
            self._leave(conn.user_id, leave)
        conn.pending_ops = None

    def unregister(self, conn: Connection) -> None:
        conns = self.conns_by_user.get(conn.user_id)
        if conns is None:
            return
        conns.discard(conn)
        if not conns:
            del self.conns_by_user[conn.user_id]
            self._leave(conn.user_id, list(self.convs_by_user.get(conn.user_id, ())))
            self.convs_by_user.pop(conn.user_id, None)

    def _join(self, user_id: str, joined: Mapping[str, int]) -> None:
        for cid, seq in joined.items():
            self.users_by_conv[cid][user_id] = seq
            self.convs_by_user[user_id].add(cid)
            if seq > self.latest_join.get(cid, 0):
                self.latest_join[cid] = seq

    def _leave(self, user_id: str, conversation_ids: Iterable[str]) -> None:
        for cid in conversation_ids:
            users = self.users_by_conv.get(cid)
            if users is not None:
                users.pop(user_id, None)
                if not users:
                    del self.users_by_conv[cid]
                    self.latest_join.pop(cid, None)
            self.convs_by_user.get(user_id, set()).discard(cid)

    def is_member(self, user_id: str, conversation_id: str) -> bool:
        return conversation_id in self.convs_by_user.get(user_id, ())

    def deliver(self, p: Publication) -> None:
        """Hand the publication to every local socket it concerns. The frame is wrapped once
        (`OutFrame`): every socket writes the same bytes, framed once (see wire.py)."""
        kind, _, target = p.topic.partition(":")
        if kind == "c" and p.hidden and self.latest_join.get(target, 0) > p.hidden[0][0]:
            self._deliver_by_joining(target, p)
            return
        frame = OutFrame(p.frame)
        if kind == "c":
            conns_by_user = self.conns_by_user
            for user_id in self.users_by_conv.get(target, ()):
                for conn in conns_by_user[user_id]:
                    conn.send(frame)
        elif kind == "u":
            self._deliver_to_user(target, frame, p.control)
        elif p.topic == "presence":
            self._deliver_presence(p, frame)
        elif p.topic == ALL_SOCKETS:
            self._broadcast(frame)
        else:
            log.warning("hub.unknown_topic", topic=p.topic)

    def _deliver_by_joining(self, conversation_id: str, p: Publication) -> None:
        """A frame embedding a message that a local member joined after: each member gets
        the form for their joined_seq (see core/events.py). Taken only when some member
        joined that late (`latest_join`), which this walk brings up to date."""
        frames = [OutFrame(p.frame), *(OutFrame(form) for _, form in p.hidden)]
        seqs = [seq for seq, _ in p.hidden]
        users = self.users_by_conv.get(conversation_id, {})
        conns_by_user = self.conns_by_user
        latest = 0
        for user_id, joined in users.items():
            latest = max(latest, joined)
            frame = frames[bisect_left(seqs, joined)]  # one form per embedded seq < joined
            for conn in conns_by_user[user_id]:
                conn.send(frame)
        if users:
            self.latest_join[conversation_id] = latest

    def _deliver_to_user(self, user_id: str, frame: OutFrame, control: dict[str, object]) -> None:
        conns = self.conns_by_user.get(user_id)
        if not conns:
            return
        join = _joined(control.get("join", {}))
        leave: list[str] = control.get("leave", [])  # type: ignore[assignment]
        self._join(user_id, join)
        self._leave(user_id, leave)
        closing = set(control.get("close_sessions", ()))  # type: ignore[call-overload]
        granted = control.get("permissions")
        permissions = None if granted is None else permissions_named(granted)  # type: ignore[arg-type]
        device, except_device = control.get("device"), control.get("except_device")
        for conn in list(conns):
            if (device and conn.device_id != device) or conn.device_id == except_device:
                continue  # a call's frame for one of the user's devices, or all but one
            if conn.pending_ops is not None and (join or leave):
                conn.pending_ops.append((join, leave))
            if permissions is not None:  # before the frame: the client may act on it at once
                conn.permissions = permissions
            if frame.payload:  # an empty frame only changes routing
                conn.send(frame)
            if conn.session_id in closing:
                conn.close(CLOSE_AUTH, "session revoked")

    def _deliver_presence(self, p: Publication, frame: OutFrame) -> None:
        """Presence goes to the user's contacts online here, through conversations of at
        most PRESENCE_GROUP_LIMIT local members. Through an all-hands group every login
        would reach every member: N logins x N members frames (25 million for a group of
        5,000 logging in at 9:00), which is what the bench's login storm hit. Members of
        big groups ask `presence.query` / GET /presence for the people they show."""
        subject = p.control.get("user_id")
        recipients: set[str] = set()
        for cid in p.control.get("conversations", ()):
            members = self.users_by_conv.get(cid)
            if members and len(members) <= PRESENCE_GROUP_LIMIT:
                recipients.update(members)
        recipients.discard(subject)  # type: ignore[arg-type]
        due = self._presence_due
        for user_id in recipients:
            due[user_id][subject] = frame  # type: ignore[index]
        if recipients and self._presence_flush is None:
            self._presence_flush = asyncio.get_running_loop().call_later(
                PRESENCE_FLUSH_SECONDS, self._flush_presence
            )

    def _flush_presence(self) -> None:
        """Each socket gets the presence changes held for it in one write. At 9:00 every
        login reaches every contact online: 2,000 people in groups of 100 make millions of
        frames, and written one by one their system calls were 40% of the node's CPU in
        the bench's login storm. A subject that changed twice only sends its latest state."""
        due, self._presence_due = self._presence_due, defaultdict(dict)
        self._presence_flush = None
        for user_id, frames in due.items():
            batch = list(frames.values())
            for conn in self.conns_by_user.get(user_id, ()):
                conn.send_all(batch)

    def _broadcast(self, frame: OutFrame) -> None:
        for conns in self.conns_by_user.values():
            for conn in conns:
                conn.send(frame)
