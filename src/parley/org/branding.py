"""Branding: a company makes Parley look like its own product (name, colour, logo)."""

from __future__ import annotations

import base64
import binascii
import re

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.errors import Invalid, NotFound
from parley.org import repository as repo
from parley.org.schemas import Branding, BrandingUpdate
from parley.users.principal import Principal

DEFAULT_COLOR = "#2E62E0"  # white text on it passes WCAG AA (5.3:1)
MAX_LOGO_BYTES = 256 * 1024
_DATA_URL = re.compile(r"^data:image/(png|jpeg|webp|gif);base64,([A-Za-z0-9+/=\s]+)$")
# Raster formats only, checked by their magic bytes: an SVG could carry script.
_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}


async def get(session: AsyncSession) -> Branding:
    org = await repo.get(session)
    if org is None:
        return Branding(organization_name="Parley", primary_color=DEFAULT_COLOR, logo_url=None)
    return Branding(
        organization_name=org.name,
        primary_color=org.primary_color or DEFAULT_COLOR,
        logo_url=org.logo,
    )


async def update(session: AsyncSession, actor: Principal, body: BrandingUpdate) -> Branding:
    actor.require(Permission.MANAGE_SETTINGS)
    org = await repo.get(session)
    if org is None:
        raise NotFound("Parley is not set up yet.", code="setup_required")
    changes = body.model_dump(exclude_unset=True)
    if "organization_name" in changes:
        if not changes["organization_name"]:
            raise Invalid("The organisation needs a name.", code="invalid_field")
        org.name = changes["organization_name"]
    if "primary_color" in changes:
        org.primary_color = changes["primary_color"].upper() if changes["primary_color"] else None
    if "logo_url" in changes:
        org.logo = check_logo(changes["logo_url"]) if changes["logo_url"] else None
    await session.flush()
    return await get(session)


def check_logo(data_url: str) -> str:
    match = _DATA_URL.match(data_url)
    if match is None:
        raise Invalid("The logo must be a PNG, JPEG, WebP or GIF data: URL.", code="invalid_logo")
    kind, payload = match.groups()
    try:
        raw = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("The logo is not valid base64.", code="invalid_logo") from exc
    if len(raw) > MAX_LOGO_BYTES:
        raise Invalid(f"The logo may be at most {MAX_LOGO_BYTES // 1024} KB.", code="invalid_logo")
    if not raw.startswith(_MAGIC[kind]) or (kind == "webp" and raw[8:12] != b"WEBP"):
        raise Invalid(f"The logo is not really a {kind.upper()} image.", code="invalid_logo")
    return data_url
