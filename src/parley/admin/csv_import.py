"""Bulk account creation from a CSV file, with a dry run.

The file may be UTF-8, UTF-8 with a byte-order mark (Excel's "CSV UTF-8") or GBK (Excel's
default "CSV" on Chinese Windows); the encoding is detected. Every row is checked before
anything is written, and the whole file is refused while any row has an error, so an
import applies completely or not at all. A retried import finds its usernames taken and
creates nothing twice."""

from __future__ import annotations

import asyncio
import csv
import io
import secrets
import uuid
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access import service as access
from parley.access.permissions import Permission
from parley.admin.schemas import (
    CreatedAccount,
    ImportIssue,
    ImportReport,
    ImportResult,
    ImportRow,
)
from parley.core.errors import Invalid, PayloadTooLarge
from parley.db.session import read_scope, write_scope
from parley.departments import service as departments
from parley.runtime import Runtime
from parley.users import service as users
from parley.users.principal import Principal
from parley.users.schemas import UserCreate

MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
COLUMNS = (
    "username",
    "display_name",
    "email",
    "phone",
    "title",
    "employee_no",
    "department",
    "role",
)
REQUIRED = ("username", "display_name")
# System roles an import may give, and the permission giving each needs (None: any
# holder of manage_users). Owners are made one by one, never in bulk.
SYSTEM_ROLES: dict[str, Permission | None] = {
    "member": None,
    "guest": None,
    "auditor": Permission.MANAGE_ROLES,
    "admin": Permission.MANAGE_ROLES,
}
_PLACEHOLDER = "x" * 16  # UserCreate needs a password; the real one is made at apply


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    errors: list[ImportIssue] = field(default_factory=list)
    account: UserCreate | None = None

    def fail(self, column: str, code: str, message: str) -> None:
        self.errors.append(ImportIssue(field=column, code=code, message=message))

    def view(self) -> ImportRow:
        v = self.values
        return ImportRow(
            line=self.line,
            username=v.get("username", ""),
            display_name=v.get("display_name", ""),
            email=v.get("email") or None,
            department=v.get("department", ""),
            role=v.get("role") or "member",
            errors=self.errors,
        )


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: `utf-8-sig`, `utf-8` or `gbk`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            return raw.decode("gb18030"), "gbk"  # GB18030 reads every GBK file
        except UnicodeDecodeError:
            pass
    raise Invalid("The file is neither UTF-8 nor GBK text.", code="csv_bad_encoding")


def parse(text: str) -> list[_Row]:
    """The rows (blank lines skipped); 422 for a file whose header or size is unusable."""
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise Invalid(f"The file is not valid CSV: {exc}.", code="csv_malformed") from exc
    if not lines:
        raise Invalid("The file is empty.", code="csv_empty")
    header = [h.strip().lower() for h in lines[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid(
            f"Missing column(s): {', '.join(missing)}.", code="csv_missing_columns", columns=missing
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or len(set(header)) != len(header):
        raise Invalid(
            f"Unknown or repeated column(s): {', '.join(unknown) or 'repeated'}; "
            f"the columns are {', '.join(COLUMNS)}.",
            code="csv_unknown_columns",
            columns=unknown,
        )
    rows = [
        _row(n, header, cells)
        for n, cells in enumerate(lines[1:], start=2)
        if any(c.strip() for c in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise Invalid(
            f"At most {MAX_ROWS} rows per file.", code="csv_too_many_rows", limit=MAX_ROWS
        )
    return rows


def _row(line: int, header: list[str], cells: list[str]) -> _Row:
    row = _Row(
        line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
    )
    if len(cells) < len(header):
        row.fail("row", "missing_columns", f"{len(cells)} of {len(header)} columns.")
    elif len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        row.fail("row", "extra_columns", f"{len(cells)} columns, the header has {len(header)}.")
    return row


def _validate(row: _Row) -> None:
    v = row.values
    for column in REQUIRED:
        if not v.get(column):
            row.fail(column, "missing_value", f"{column} is required.")
    if row.errors and any(e.code == "missing_value" for e in row.errors):
        return
    try:
        row.account = UserCreate(
            username=v["username"],
            password=_PLACEHOLDER,
            display_name=v["display_name"],
            email=v.get("email") or None,
            title=v.get("title", ""),
            phone=v.get("phone", ""),
            employee_no=v.get("employee_no", ""),
        )
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else "row"
            row.fail(column, "invalid_value", f"{column}: {error['msg']}")


async def _check_all(session: AsyncSession, actor: Principal, rows: list[_Row]) -> None:
    for row in rows:
        _validate(row)
    ok = [r for r in rows if r.account is not None]
    seen_names: dict[str, int] = {}
    seen_mails: dict[str, int] = {}
    for row in ok:
        assert row.account is not None
        name, mail = row.account.username.lower(), (row.account.email or "").lower()
        if name in seen_names:
            row.fail("username", "duplicate_in_file", f"Also on line {seen_names[name]}.")
        seen_names.setdefault(name, row.line)
        if mail and mail in seen_mails:
            row.fail("email", "duplicate_in_file", f"Also on line {seen_mails[mail]}.")
        if mail:
            seen_mails.setdefault(mail, row.line)
    taken_names, taken_mails = await users.taken(session, set(seen_names), set(seen_mails))
    for row in ok:
        assert row.account is not None
        if row.account.username.lower() in taken_names:
            row.fail("username", "username_taken", "An account has this username already.")
        if row.account.email and row.account.email.lower() in taken_mails:
            row.fail("email", "email_taken", "An account has this e-mail address already.")
    await _check_roles(session, actor, rows)
    paths = {r.values["department"] for r in rows if r.values.get("department")}
    unknown = await departments.unknown_paths(session, paths)
    for row in rows:
        if row.values.get("department") in unknown:
            row.fail("department", "unknown_department", "No such department.")


async def _check_roles(session: AsyncSession, actor: Principal, rows: list[_Row]) -> None:
    names = {r.values.get("role", "") for r in rows} - set(SYSTEM_ROLES) - {""}
    custom = await access.custom_roles_named(session, names)
    for row in rows:
        role = row.values.get("role", "")
        if not role or role in custom:
            continue
        if role == "owner":
            row.fail("role", "role_not_allowed", "Owners are not made by import.")
        elif role not in SYSTEM_ROLES:
            row.fail("role", "unknown_role", f"No role “{role}”.")
        elif (needed := SYSTEM_ROLES[role]) is not None and not actor.has(needed):
            row.fail("role", "role_not_allowed", f"Giving “{role}” needs {needed.value}.")


async def _report(
    session: AsyncSession, actor: Principal, raw: bytes, *, dry_run: bool
) -> tuple[ImportReport, list[_Row]]:
    actor.require(Permission.MANAGE_USERS)
    if len(raw) > MAX_BYTES:
        raise PayloadTooLarge(
            f"The file may be at most {MAX_BYTES // 1024} KB.",
            code="csv_too_large",
            limit=MAX_BYTES,
        )
    text, encoding = decode(raw)
    rows = parse(text)
    await _check_all(session, actor, rows)
    report = ImportReport(
        dry_run=dry_run,
        encoding=encoding,  # type: ignore[arg-type]
        total=len(rows),
        error_count=sum(1 for r in rows if r.errors),
        rows=[r.view() for r in rows],
    )
    return report, rows


async def dry_run(rt: Runtime, actor: Principal, raw: bytes) -> ImportReport:
    """What importing `raw` would do, row by row; nothing is written."""
    async with read_scope(rt.db) as session:
        report, _ = await _report(session, actor, raw, dry_run=True)
    return report


async def apply(rt: Runtime, actor: Principal, raw: bytes) -> ImportResult:
    """Create every account of the file, or none: 422 `csv_has_errors` with the report
    while any row has an error. Passwords are hashed before the transaction (as every
    password write is) and returned once."""
    async with read_scope(rt.db) as session:
        report, rows = await _report(session, actor, raw, dry_run=False)
    if report.error_count or not rows:
        raise Invalid(
            f"{report.error_count} row(s) have errors; nothing was imported.",
            code="csv_has_errors" if rows else "csv_empty",
            report=report.model_dump(mode="json"),
        )
    passwords = [secrets.token_urlsafe(12) for _ in rows]
    hashes = await asyncio.gather(*(rt.passwords.hash(p) for p in passwords))
    async with write_scope(rt.db, rt.publish) as session:
        custom = await access.custom_roles_named(session, {r.values.get("role", "") for r in rows})
        grants: list[tuple[uuid.UUID, uuid.UUID]] = []
        placements: dict[uuid.UUID, str] = {}
        for row, password_hash in zip(rows, hashes, strict=True):
            assert row.account is not None
            role = row.values.get("role") or "member"
            user = await users.create_user(
                session,
                rt,
                row.account,
                role=role if role in SYSTEM_ROLES else "member",
                must_change_password=True,
                password_hash=password_hash,
            )
            if role in custom:
                grants.append((user.id, custom[role]))
            if row.values.get("department"):
                placements[user.id] = row.values["department"]
        await access.grant_custom_roles(session, grants)
        await departments.place_by_path(session, actor.user_id, placements)
    return ImportResult(
        created=[
            CreatedAccount(
                username=r.account.username.lower(),
                display_name=r.account.display_name,
                password=p,
            )
            for r, p in zip(rows, passwords, strict=True)
            if r.account is not None
        ]
    )
