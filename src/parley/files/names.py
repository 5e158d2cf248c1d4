"""File names from clients are untrusted: they only label a download, never a path.

`safe_name` keeps what a person would call the name (Chinese included) and drops what
could fool a file system or a reader: directories, control and bidi-override characters,
dot-only names. `content_disposition` quotes it per RFC 6266/5987 so every browser
saves the file under its real UTF-8 name."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

MAX_NAME_BYTES = 255
FALLBACK = "file"


def safe_name(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control characters; Cf: format characters such as U+202E (right-to-left
    # override, which makes "gpj.exe" display as "exe.jpg"); Cs: lone surrogates.
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    name = " ".join(name.split())
    name = name.strip(". ")
    if not name:
        return FALLBACK
    return _truncate(name)


def _truncate(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = name, ""
    budget = MAX_NAME_BYTES - len(ext.encode()) - (1 if ext else 0)
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    return f"{stem}.{ext}" if ext else stem


def content_disposition(name: str, *, inline: bool) -> str:
    ascii_name = "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\%;' else "_" for c in name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
