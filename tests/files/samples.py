"""Sample files made in Python at test time, so CI needs no binary fixtures or tools:
images (with EXIF GPS and rotation), PDFs, decompression bombs, Opus voice notes in Ogg
and WebM (encoded with PyAV's bundled libopus), a small video, a minimal .docx."""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib

from PIL import Image

GPS_IFD, EXIF_IFD, ORIENTATION = 0x8825, 0x8769, 0x0112


def png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def jpeg_with_gps(width: int = 400, height: int = 200, orientation: int = 6) -> bytes:
    """A photo as phones write it: rotated by EXIF, with where it was taken."""
    img = Image.new("RGB", (width, height), (20, 120, 220))
    for x in range(width // 4):  # a marker in the top-left corner, to check rotation
        for y in range(height // 4):
            img.putpixel((x, y), (250, 250, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 9.0), 3: "E", 4: (121.0, 28.0, 30.0)}
    exif.get_ifd(EXIF_IFD)[0x9003] = "2026:11:27 10:00:00"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=90)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(side: int = 40_000) -> bytes:
    """A few kilobytes claiming side x side pixels (1.6 gigapixels at the default):
    decoding it would take gigabytes of memory."""
    row = b"\x00" + b"\x00" * side  # filter byte + grey pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    )


def pdf(pages: int = 2) -> bytes:
    colors = [(220, 20, 20), (20, 160, 20), (20, 20, 220), (200, 200, 0)]
    images = [Image.new("RGB", (300, 400), colors[i % len(colors)]) for i in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buf.getvalue()


MALFORMED_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf\n%%EOF"


def docx(text: str = "季度报告 Quarterly report") -> bytes:
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def voice(container: str = "ogg", seconds: float = 1.5) -> bytes:
    """Opus voice note: a third silence, a third loud tone, a third quiet tone."""
    import av

    rate = 48_000
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream("libopus", rate=rate)
        stream.layout = "mono"
        total = int(seconds * rate)
        samples = []
        for i in range(total):
            part = i * 3 // total
            amp = (0.0, 0.8, 0.1)[part]
            samples.append(int(amp * 32767 * math.sin(2 * math.pi * 440 * i / rate)))
        pcm = struct.pack(f"<{total}h", *samples)
        step = 960
        for start in range(0, total, step):
            chunk = pcm[start * 2 : (start + step) * 2]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
            frame.planes[0].update(chunk.ljust(frame.planes[0].buffer_size, b"\x00"))
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def video(width: int = 64, height: int = 48, frames: int = 24, fps: int = 12) -> bytes:
    """A one- or two-second VP8 WebM video."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            img = Image.new("RGB", (width, height), (i * 10 % 255, 100, 200))
            frame = av.VideoFrame.from_image(img)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()
