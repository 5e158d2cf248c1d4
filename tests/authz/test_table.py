"""The policy expansion the matrix relies on (pure: no server)."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.table import BOTH, Outcome, Spec, member_of, owned, permission, route, signed_in


def outcomes(spec: Spec) -> dict[str, Outcome]:
    return {row.caller + (f"/{row.own}" if row.own else ""): row.expected for row in spec.rows()}


def test_member_of_hides_the_conversation_from_non_members() -> None:
    got = outcomes(route("PATCH", "/x", member_of(role="admin")))
    assert got["anonymous"] == got["expired"] == got["disabled"] == 401
    assert got["outsider"] == got["removed"] == got["admin"] == got["owner"] == 404
    assert got["member"] == got["guest"] == got["custom_with"] == 403
    assert got["group_admin"] == got["group_owner"] == 200


def test_custom_roles_decide_a_permission() -> None:
    got = outcomes(route("POST", "/x", permission(201), perm=Permission.CREATE_GROUPS))
    assert got["custom_with"] == got["member"] == got["auditor"] == 201
    assert got["custom_without"] == got["guest"] == 403


def test_overrides_and_own_objects() -> None:
    spec = route(
        "PATCH",
        "/x",
        owned(signed_in(), member_of(403)),
        ownership=BOTH,
        owners=frozenset({"member"}),
        overrides={("member", "other"): 409},
        xfail={"owner": "why"},
    )
    got = outcomes(spec)
    assert got["member/own"] == 200 and got["member/other"] == 409
    assert "outsider/own" not in got and got["outsider/other"] == 404
    assert [r.xfail for r in spec.rows() if r.caller == "owner"] == ["why"]
