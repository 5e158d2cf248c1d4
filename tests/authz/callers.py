"""Who calls: the caller dimension of the authorisation matrix, and what each one holds.

A caller is a name, not a user: `custom_with` / `custom_without` become, per route, a user
whose custom role grants / lacks that route's permission (tests/authz/world.py builds them)."""

from __future__ import annotations

from parley.access.permissions import SYSTEM_ROLES, Permission

CALLERS = (
    "anonymous",  # no token at all
    "guest",  # system role guest, a member of the group
    "member",  # system role member, a plain member of the group
    "outsider",  # system role member, not in the group (the "non-member")
    "removed",  # was in the group, removed by its owner (their token is still valid)
    "group_admin",  # an admin of the group
    "group_owner",  # the owner of the group
    "custom_with",  # a custom role that grants the route's permission, in the group
    "custom_without",  # a custom role with other permissions only, in the group
    "admin",  # system role admin, not in the group
    "auditor",  # system role auditor, not in the group
    "owner",  # system role owner (set the organisation up), not in the group
    "disabled",  # an account an administrator disabled (its sessions end)
    "expired",  # a session past its expiry
)

SIGNED_OUT = frozenset({"anonymous", "disabled", "expired"})
IN_GROUP = frozenset(
    {"guest", "member", "group_admin", "group_owner", "custom_with", "custom_without"}
)
GROUP_RANK = {"group_admin": 1, "group_owner": 2}

# The system role of each caller's user (custom callers: see custom_base).
SYSTEM_ROLE = {
    "guest": "guest",
    "admin": "admin",
    "auditor": "auditor",
    "owner": "owner",
}
# The permission a route is checked against when it names none: custom callers then
# stand for "an employee with some extra administrative power".
DEFAULT_PERMISSION = Permission.MANAGE_USERS


def custom_base(permission: Permission) -> str:
    """The weakest system role lacking the permission, so a custom role is what decides."""
    return "member" if permission not in SYSTEM_ROLES["member"] else "guest"


def custom_grants(caller: str, permission: Permission) -> frozenset[Permission]:
    """What the custom role of `custom_with` / `custom_without` grants for this permission:
    the permission alone, or everything its base role lacks except it (and never
    read_all_messages, which is no part of any route's check)."""
    if caller == "custom_with":
        return frozenset({permission})
    base = SYSTEM_ROLES[custom_base(permission)]
    return frozenset(Permission) - base - {permission, Permission.READ_ALL_MESSAGES}


def holds(caller: str, permission: Permission) -> bool:
    """Whether the caller's effective permission set contains `permission`."""
    if caller in SIGNED_OUT:
        return False
    if caller in ("custom_with", "custom_without"):
        base = SYSTEM_ROLES[custom_base(permission)]
        return permission in base | custom_grants(caller, permission)
    return permission in SYSTEM_ROLES[SYSTEM_ROLE.get(caller, "member")]
