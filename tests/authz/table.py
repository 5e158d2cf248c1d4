"""The shape of the authorisation matrix: a route or frame type, its policy, and the
expansion of that policy into one expected outcome per (caller, ownership).

A policy is a plain function `(caller, ownership, permission) -> outcome`; the few below
cover almost every route. Where a route behaves otherwise, `overrides` names the exact
(caller, ownership) — or a caller for every ownership — and its outcome. An outcome is an
HTTP status for routes and, for socket frames, the `code` of the error frame or the
`type` of the answering frame."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parley.access.permissions import Permission
from tests.authz.callers import CALLERS, DEFAULT_PERMISSION, GROUP_RANK, IN_GROUP, SIGNED_OUT, holds

if TYPE_CHECKING:
    from tests.authz.world import Call, Req

Outcome = int | str
Policy = Callable[[str, str | None, Permission | None], Outcome]
Key = str | tuple[str, str | None]
# Ownership: None (the route acts on no one's object), or "own" / "other".
BOTH = ("own", "other")


def public(ok: Outcome = 200) -> Policy:
    """Anyone, signed in or not."""
    return lambda caller, own, perm: ok


def signed_in(ok: Outcome = 200) -> Policy:
    """Any valid session; 401 without one."""
    return lambda caller, own, perm: 401 if caller in SIGNED_OUT else ok


def permission(ok: Outcome = 200) -> Policy:
    """Holders of the route's permission (Route.perm); 403 for other signed-in callers."""

    def policy(caller: str, own: str | None, perm: Permission | None) -> Outcome:
        if caller in SIGNED_OUT:
            return 401
        assert perm is not None, "permission() needs Route.perm"
        return ok if holds(caller, perm) else 403

    return policy


def member_of(ok: Outcome = 200, role: str = "member", low: Outcome = 403) -> Policy:
    """Members of the conversation with at least this group role. Anyone else learns
    nothing (404, as for a conversation that does not exist); a member below the role
    gets `low`."""
    need = {"member": 0, "admin": 1, "owner": 2}[role]

    def policy(caller: str, own: str | None, perm: Permission | None) -> Outcome:
        if caller in SIGNED_OUT:
            return 401
        if caller not in IN_GROUP:
            return 404
        return ok if GROUP_RANK.get(caller, 0) >= need else low

    return policy


def owned(own: Policy, other: Policy) -> Policy:
    """One policy for the caller's own object, another for someone else's."""
    return lambda caller, o, perm: (own if o == "own" else other)(caller, o, perm)


Build = Callable[["Call"], Awaitable["Req"]]


@dataclass(frozen=True)
class Spec:
    """One route (`method` + `path`) or frame type (`method` "WS", `path` the type)."""

    method: str
    path: str
    policy: Policy
    build: Build | None = None  # the request for one row; None: defaults by parameter name
    after: Callable[[Call], Awaitable[None]] | None = None  # puts the world back
    perm: Permission | None = None  # the permission the route is checked against
    ownership: tuple[str | None, ...] = (None,)
    owners: frozenset[str] = frozenset(CALLERS)  # callers who can have an "own" object
    overrides: dict[Key, Outcome] = field(default_factory=dict)
    # (caller, ownership) or caller -> why today's server fails the right expectation.
    xfail: dict[Key, str] = field(default_factory=dict)
    answers: tuple[str, ...] = ()  # frames only: the frame types that answer it

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def rows(self) -> list[Row]:
        out = []
        for caller in CALLERS:
            for own in self.ownership:
                if own == "own" and caller not in self.owners:
                    continue
                expected = _pick(self.overrides, caller, own)
                if expected is None:
                    expected = self.policy(caller, own, self.perm)
                out.append(Row(self, caller, own, expected, _pick(self.xfail, caller, own)))
        return out


def _pick(table: dict[Key, Any], caller: str, own: str | None) -> Any:
    if (caller, own) in table:
        return table[(caller, own)]
    return table.get(caller)


@dataclass(frozen=True)
class Row:
    spec: Spec
    caller: str
    own: str | None
    expected: Outcome
    xfail: str | None

    @property
    def label(self) -> str:
        who = self.caller
        if who.startswith("custom_"):
            who += f"({(self.spec.perm or DEFAULT_PERMISSION).value})"
        return who + (f"/{self.own}" if self.own else "")


def route(method: str, path: str, policy: Policy, **kw: Any) -> Spec:
    """A route under /api/v1 (or, for a path under /api/, exactly there)."""
    return Spec(method, path if path.startswith("/api/") else "/api/v1" + path, policy, **kw)


def frame(type_: str, policy: Policy, **kw: Any) -> Spec:
    return Spec("WS", type_, policy, **kw)


# Reasons of the expected failures, one per pending piece of issue 15: a row marked with
# one passes once that work lands, and then fails as "xfail passed" until its mark goes.
CONVERT = "admin check not yet converted to this permission (issue 15, roles)"
ENFORCE = "permission not yet enforced on this route (issue 15, roles)"
GUESTS = "guests not yet limited to their conversations' people (issue 15, guests)"
