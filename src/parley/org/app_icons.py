"""The installable app's identity from the branding: the web app manifest and its PNG icons.

A phone shows the organisation's own name, colour and logo on the home screen, so the
manifest and icons are made from the branding row rather than shipped with the client.
Icons are drawn with Pillow: the logo (or, without one, the default chat bubble) on the
brand colour, 192 and 512 px, plus a maskable 512 px variant whose artwork stays inside
the 80% safe zone that launchers may crop to a circle or squircle."""

from __future__ import annotations

import base64
import hashlib
import io
from functools import lru_cache

from PIL import Image, ImageDraw

from parley.org.schemas import Branding

ICONS = {"192": (192, False), "512": (512, False), "maskable-512": (512, True)}
BACKGROUND = "#FFFFFF"
_MAX_LOGO_PIXELS = 4096 * 4096  # a small file may still claim a huge canvas
_SUPERSAMPLE = 4  # Pillow draws shapes without antialiasing: draw big, then shrink.
# The favicon's speech bubble (web/public/favicon.svg), in its 64-unit box: a rounded
# body and a tail.
_BODY, _BODY_RADIUS = (12, 20, 48, 44), 7
_TAIL = [(20, 40), (32, 40), (20, 51)]


def version(branding: Branding) -> str:
    """Changes whenever the icons would: installed apps refetch icons whose URL changed."""
    key = f"{branding.primary_color}|{branding.logo_url or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def manifest(branding: Branding) -> dict[str, object]:
    """The manifest; icon URLs are relative to it (served beside it under /branding)."""
    v = version(branding)
    icons: list[dict[str, str]] = []
    for name, (size, maskable) in ICONS.items():
        icons.append(
            {
                "src": f"icons/{name}.png?v={v}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable" if maskable else "any",
            }
        )
    name = branding.organization_name
    return {
        "id": "/",
        "name": name,
        "short_name": name if len(name) <= 12 else name[:12],
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": branding.primary_color,
        "background_color": BACKGROUND,
        "icons": icons,
    }


def icon_png(branding: Branding, name: str) -> bytes | None:
    """The PNG named `name` (a key of ICONS), or None for an unknown name."""
    spec = ICONS.get(name)
    if spec is None:
        return None
    size, maskable = spec
    return _render(branding.primary_color, branding.logo_url, size, maskable)


@lru_cache(maxsize=32)
def _render(color: str, logo_url: str | None, size: int, maskable: bool) -> bytes:
    big = size * _SUPERSAMPLE
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=color)  # full bleed: the launcher crops it
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 // 64, fill=color)
    # The artwork's box: inside the safe zone (a centred circle of 80%) when maskable.
    art = int(big * (0.56 if maskable else 0.72))
    logo = _decode(logo_url) if logo_url else None
    if logo is None:
        scale = art / 36  # the bubble spans x 12..48, y 20..51 of the favicon's 64 units
        left, top = (big - 36 * scale) / 2, (big - 31 * scale) / 2
        at = lambda x, y: (left + (x - 12) * scale, top + (y - 20) * scale)  # noqa: E731
        x0, y0, x1, y1 = _BODY
        draw.rounded_rectangle(
            (*at(x0, y0), *at(x1, y1)), radius=_BODY_RADIUS * scale, fill="#FFFFFF"
        )
        draw.polygon([at(x, y) for x, y in _TAIL], fill="#FFFFFF")
    else:
        logo.thumbnail((art, art), Image.Resampling.LANCZOS)
        canvas.alpha_composite(logo, ((big - logo.width) // 2, (big - logo.height) // 2))
    out = io.BytesIO()
    canvas.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def _decode(data_url: str) -> Image.Image | None:
    """The logo as RGBA, or None when it does not decode (it was checked when stored)."""
    try:
        raw = base64.b64decode(data_url.split(",", 1)[1])
        with Image.open(io.BytesIO(raw)) as img:
            if img.width * img.height > _MAX_LOGO_PIXELS:
                return None
            return img.convert("RGBA")
    except (ValueError, OSError, IndexError, Image.DecompressionBombError):
        return None
