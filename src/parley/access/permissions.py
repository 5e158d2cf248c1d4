"""The permission catalogue and the system roles.

A user has one system role and any number of custom roles an administrator composes
from these permissions; what they may do is the union. Services ask
`Principal.require(Permission.X)`, so HTTP, the WebSocket and bots get one answer."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Literal

from parley.core.errors import Forbidden

SystemRole = Literal["owner", "admin", "auditor", "member", "guest"]
SYSTEM_ROLE_NAMES: tuple[str, ...] = ("owner", "admin", "auditor", "member", "guest")


class Permission(StrEnum):
    CREATE_GROUPS = "create_groups"
    CREATE_DEPARTMENT_GROUPS = "create_department_groups"
    MENTION_ALL = "mention_all"
    UPLOAD_FILES = "upload_files"
    VIEW_DIRECTORY = "view_directory"
    START_CALLS = "start_calls"
    MANAGE_DEPARTMENTS = "manage_departments"
    MANAGE_USERS = "manage_users"
    MANAGE_ROLES = "manage_roles"
    MANAGE_GROUPS = "manage_groups"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    EXPORT_DATA = "export_data"
    READ_ALL_MESSAGES = "read_all_messages"


# (zh-CN, en) label and description of each permission, served by the catalogue.
LABELS: dict[Permission, tuple[str, str, str, str]] = {
    Permission.CREATE_GROUPS: (
        "创建群组",
        "Create groups",
        "创建新的群聊",
        "Start new group chats",
    ),
    Permission.CREATE_DEPARTMENT_GROUPS: (
        "创建部门群",
        "Create department groups",
        "为部门建立成员随组织架构变化的群",
        "Bind a group to a department so its members follow the tree",
    ),
    Permission.MENTION_ALL: (
        "使用 @所有人",
        "Use @all",
        "在群里提醒所有成员",
        "Notify every member",
    ),
    Permission.UPLOAD_FILES: (
        "上传文件",
        "Upload files",
        "发送图片、语音和文件",
        "Send images, voice and files",
    ),
    Permission.VIEW_DIRECTORY: (
        "查看通讯录",
        "View the directory",
        "浏览组织架构并搜索同事",
        "Browse the organisation and search colleagues",
    ),
    Permission.START_CALLS: ("发起通话和会议", "Start calls and meetings", "", ""),
    Permission.MANAGE_DEPARTMENTS: (
        "管理部门",
        "Manage departments",
        "编辑组织架构",
        "Edit the tree",
    ),
    Permission.MANAGE_USERS: (
        "管理用户",
        "Manage users",
        "创建、编辑、停用账号，重置密码",
        "Create, edit and disable accounts, reset passwords",
    ),
    Permission.MANAGE_ROLES: (
        "管理角色",
        "Manage roles",
        "创建角色并分配给用户",
        "Compose and assign roles",
    ),
    Permission.MANAGE_GROUPS: (
        "管理群组",
        "Manage groups",
        "查看所有群组、转让群主、归档",
        "See every group, change owners, archive",
    ),
    Permission.MANAGE_SETTINGS: (
        "管理组织设置",
        "Manage organisation settings",
        "注册、限制、品牌和仪表盘",
        "Registration, limits, branding and the dashboard",
    ),
    Permission.VIEW_AUDIT: ("查看审计日志", "View the audit log", "", ""),
    Permission.EXPORT_DATA: ("导出合规数据", "Export compliance data", "", ""),
    Permission.READ_ALL_MESSAGES: (
        "读取所有消息",
        "Read all messages",
        "合规检查时读取任何会话的内容",
        "Read any conversation's content for compliance",
    ),
}

# What every employee may do; guests get less, auditors more.
_MEMBER = frozenset(
    {
        Permission.CREATE_GROUPS,
        Permission.MENTION_ALL,
        Permission.UPLOAD_FILES,
        Permission.VIEW_DIRECTORY,
        Permission.START_CALLS,
    }
)
# Reading every conversation is never implied, not even for owners: it is granted by a
# custom role, on purpose (and audited).
_ADMIN = frozenset(Permission) - {Permission.READ_ALL_MESSAGES}

SYSTEM_ROLES: dict[str, frozenset[Permission]] = {
    "owner": _ADMIN,
    "admin": _ADMIN,
    "auditor": _MEMBER | {Permission.VIEW_AUDIT, Permission.EXPORT_DATA},
    "member": _MEMBER,
    "guest": frozenset({Permission.UPLOAD_FILES, Permission.START_CALLS}),
}

# The system roles that administer the organisation (the admin console is theirs).
ADMINISTRATORS = frozenset({"owner", "admin"})

# What only administration needs: refused outside PARLEY_ADMIN_ALLOWED_NETWORKS.
ADMINISTRATIVE = frozenset(Permission) - _MEMBER - {Permission.CREATE_DEPARTMENT_GROUPS}


def permissions_of(system_role: str, custom: frozenset[str] = frozenset()) -> frozenset[Permission]:
    """The union of a system role and custom roles' permissions; names no longer in the
    catalogue (a permission removed by an upgrade) are ignored."""
    granted = {Permission(name) for name in custom if name in _NAMES}
    return SYSTEM_ROLES.get(system_role, frozenset()) | granted


_NAMES = frozenset(p.value for p in Permission)


def permissions_named(names: list[str]) -> frozenset[Permission]:
    """The permissions among `names` (from another node: unknown ones are dropped)."""
    return frozenset(Permission(n) for n in names if n in _NAMES)


def require(permissions: Collection[Permission], permission: Permission) -> None:
    """403 `permission_required` naming the permission, unless it is among `permissions`:
    the one refusal for HTTP (`Principal.require`) and the socket (a connection's set)."""
    if permission not in permissions:
        raise Forbidden(
            f"This needs the permission “{LABELS[permission][1]}” ({permission.value}).",
            code="permission_required",
            permission=permission.value,
        )
