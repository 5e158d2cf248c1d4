"""What an upload is, beyond its type: image dimensions (as displayed, after EXIF
rotation), voice duration and waveform, video size and length. Runs once, at upload,
on a worker thread; everything here is blocking.

It also removes location data from photos before they are stored: phones write GPS
coordinates into EXIF/XMP, and a photo shared in a group must not tell where it was
taken. The rewrite is lossless (metadata segments only, pixels untouched)."""

from __future__ import annotations

import array
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from parley.files.sniff import OFFICE

BROWSER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif"}
DECODABLE_IMAGES = BROWSER_IMAGES | {"image/tiff", "image/x-icon"}
VOICE = {"audio/ogg; codecs=opus", "video/webm", "audio/webm", "video/x-matroska"}
VIDEO = {"video/mp4", "video/webm", "video/quicktime", "video/x-matroska", "video/x-m4v"}
TEXTUAL = {"text/plain", "text/html", "application/xml", "image/svg+xml", "application/json"}
WAVEFORM_BARS = 64
MAX_VOICE_SECONDS = 15 * 60
_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112


@dataclass
class Inspection:
    kind: str  # image | file | voice | video
    mime: str
    meta: dict[str, Any] = field(default_factory=dict)
    rewritten: bool = False  # the file was changed (metadata stripped): hash it again


def inspect(path: Path, mime: str, *, max_pixels: int, office: bool) -> Inspection:
    if mime in DECODABLE_IMAGES:
        return _image(path, mime, max_pixels)
    if mime.startswith(("audio/", "video/")):
        return _media(path, mime, max_pixels)
    meta: dict[str, Any] = {"preview": _preview_of(mime, office)}
    if mime in OFFICE:
        meta["office"] = True
    return Inspection("file", mime, meta)


def _preview_of(mime: str, office: bool) -> str:
    if mime == "application/pdf":
        return "pages"
    if mime in OFFICE:
        return "pages" if office else "none"
    if mime.startswith("text/") or mime in TEXTUAL:
        return "document"
    return "none"


# -- images ----------------------------------------------------------------------------


def _image(path: Path, mime: str, max_pixels: int) -> Inspection:
    rewritten = False
    if mime == "image/jpeg":
        rewritten = strip_jpeg_location(path)
    elif mime == "image/png":
        rewritten = strip_png_metadata(path)
    Image.MAX_IMAGE_PIXELS = max_pixels  # Image.open refuses twice this, before decoding
    try:
        with Image.open(path) as img:
            width, height = img.size
            orientation = img.getexif().get(_ORIENTATION, 1)
    except Image.DecompressionBombError:
        return Inspection("file", mime, {"preview": "none", "too_large": True}, rewritten)
    except (OSError, ValueError, SyntaxError, struct.error):
        return Inspection("file", mime, {"preview": "none"}, rewritten)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    meta: dict[str, Any] = {"width": width, "height": height}
    if width * height > max_pixels:
        # Never decoded: a tiny file can claim billions of pixels (a decompression bomb).
        return Inspection("file", mime, {**meta, "preview": "none", "too_large": True}, rewritten)
    kind = "image" if mime in BROWSER_IMAGES else "file"
    return Inspection(kind, mime, {**meta, "preview": "image"}, rewritten)


def strip_jpeg_location(path: Path) -> bool:
    """Drop the GPS directory from the EXIF segment and every XMP segment. True if the
    file changed. Malformed files are left alone (they will not decode anyway)."""
    data = path.read_bytes() if path.stat().st_size < 64 * 1024 * 1024 else None
    if data is None or not data.startswith(b"\xff\xd8"):
        return False
    out = bytearray(b"\xff\xd8")
    pos, changed = 2, False
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        body = segment[4:]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            cleaned = _exif_without_gps(body)
            if cleaned is not None:
                segment, changed = (
                    b"\xff\xe1" + (len(cleaned) + 2).to_bytes(2, "big") + cleaned,
                    True,
                )
        elif marker == 0xE1 and body.startswith(b"http://ns.adobe.com/xap/"):
            segment, changed = b"", True
        out += segment
        pos += 2 + length
    if not changed:
        return False
    out += data[pos:]
    path.write_bytes(bytes(out))
    return True


def _exif_without_gps(body: bytes) -> bytes | None:
    exif = Image.Exif()
    try:
        exif.load(body)
        if _GPS_IFD not in exif:
            return None
        exif.get_ifd(_EXIF_IFD)  # loaded, so that tobytes() writes it back
        del exif[_GPS_IFD]
        cleaned = exif.tobytes()
    except Exception:
        return b"Exif\x00\x00"
    return cleaned if len(cleaned) + 2 < 65536 else b"Exif\x00\x00"


def strip_png_metadata(path: Path) -> bool:
    """Drop eXIf chunks and XMP text chunks of a PNG (where location data may hide)."""
    data = path.read_bytes() if path.stat().st_size < 64 * 1024 * 1024 else None
    if data is None or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    out, pos, changed = bytearray(data[:8]), 8, False
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if ctype == b"eXIf" or (ctype == b"iTXt" and chunk[8:].startswith(b"XML:com.adobe.xmp")):
            changed = True
        else:
            out += chunk
        pos += 12 + length
        if ctype == b"IEND":
            break
    if changed:
        path.write_bytes(bytes(out))
    return changed


# -- audio and video -------------------------------------------------------------------


def _media(path: Path, mime: str, max_pixels: int) -> Inspection:
    import av

    try:
        with av.open(str(path)) as container:
            videos = [s for s in container.streams.video if s.codec_context.width]
            audios = list(container.streams.audio)
            duration = container.duration / 1_000_000 if container.duration else None
            if videos:
                v = videos[0]
                meta: dict[str, Any] = {
                    "width": v.codec_context.width,
                    "height": v.codec_context.height,
                }
                if duration:
                    meta["duration_ms"] = round(duration * 1000)
                big = meta["width"] * meta["height"] > max_pixels
                kind = "video" if mime in VIDEO else "file"
                return Inspection(kind, mime, {**meta, "preview": "none" if big else "media"})
            if audios and audios[0].codec_context.name == "opus" and mime in VOICE:
                voice_mime = "audio/webm" if "webm" in mime or "matroska" in mime else mime
                return _voice(container, voice_mime)
            meta = {"preview": "media"}
            if duration:
                meta["duration_ms"] = round(duration * 1000)
            return Inspection("file", mime, meta)
    except (av.error.FFmpegError, OSError, ValueError, IndexError):
        return Inspection("file", mime, {"preview": "none"})


def _voice(container: Any, mime: str) -> Inspection:
    """Decode the Opus track at 8 kHz mono: the exact duration (MediaRecorder leaves it
    out of WebM headers) and peak levels for the waveform drawn on the message."""
    import av

    rate = 8000
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    samples = array.array("h")
    for frame in container.decode(audio=0):
        for out in resampler.resample(frame):
            samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
        if len(samples) > MAX_VOICE_SECONDS * rate:
            return Inspection("file", mime, {"preview": "media"})
    for out in resampler.resample(None):
        samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
    meta = {
        "duration_ms": round(len(samples) * 1000 / rate),
        "waveform": waveform(samples, WAVEFORM_BARS),
        "preview": "media",
    }
    return Inspection("voice", mime, meta)


def waveform(samples: array.array[int], bars: int) -> list[int]:
    """Peak level of each of `bars` equal slices, scaled 0..100 against the loudest."""
    if not samples:
        return [0] * bars
    step = len(samples) / bars
    peaks = []
    for i in range(bars):
        part = samples[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)]
        peaks.append(max(max(part), -min(part)) if part else 0)
    top = max(peaks) or 1
    return [round(p * 100 / top) for p in peaks]
