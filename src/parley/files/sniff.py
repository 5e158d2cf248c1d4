"""The type of an upload, decided from its bytes: the client's name and Content-Type are
never trusted (a "photo.png" may be an HTML page). Binary formats come from magic
numbers (`filetype`), refined where one signature covers several formats (zip-based
Office files, Opus in Ogg); text is recognised by decoding, then checked for markup a
browser would execute."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import filetype

HEAD_BYTES = 8192
OCTET = "application/octet-stream"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFFICE = {
    DOCX,
    XLSX,
    PPTX,
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
_ZIP_PREFIXES = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_MARKUP = re.compile(
    rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe|<!--|<\?xml|<svg|<meta|<style)",
    re.IGNORECASE,
)


def sniff(path: Path) -> str:
    """The MIME type of the file at `path`, from its content."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return _refine(kind.mime, path, head)
    text = _text_type(head)
    return text or OCTET


def _refine(mime: str, path: Path, head: bytes) -> str:
    if mime == "audio/ogg" and b"OpusHead" in head[:128]:
        return "audio/ogg; codecs=opus"
    if mime in ("application/zip", DOCX, XLSX, PPTX):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError):
            return mime if mime == "application/zip" else OCTET
        for prefix, office in _ZIP_PREFIXES:
            if any(n.startswith(prefix) for n in names):
                return office
        return "application/zip"
    if mime == "application/x-msi":  # OLE2: old Word/Excel/PowerPoint share the signature
        return "application/x-ole-storage"
    return mime


def _text_type(head: bytes) -> str | None:
    if decode_text(head, partial=True) is None:
        return None
    lowered = head.lstrip(b"\xef\xbb\xbf")
    match = _MARKUP.match(lowered)
    if match:
        tag = match.group(1).lower()
        if b"<svg" in lowered[:2048].lower():
            return "image/svg+xml"
        if tag == b"<?xml":
            return "application/xml"
        return "text/html"
    return "text/plain"


def decode_text(data: bytes, *, partial: bool = False) -> str | None:
    """The text of these bytes (UTF-8, UTF-16 with BOM, or GB18030 as Chinese Windows
    writes it), or None when they are not text. `partial`: may end mid-character."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        if b"\x00" in data:
            return None
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        for cut in range(4 if partial else 1):
            try:
                text = data[: len(data) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text
            break
    return None


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for c in text if ord(c) < 0x20 and c not in "\t\n\r\f\x1b")
    return controls / len(text) < 0.01
