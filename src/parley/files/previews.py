"""Making previews: thumbnails, a screen-sized image, PDF/Office pages, and HTML views
of text, code, Markdown and CSV. Blocking functions, run by `renditions` on worker
threads; each writes its artifacts into `out` and returns the manifest describing them.

Safety: images are checked against the pixel limit before any decoding; HTML views
escape everything they show (Pygments escapes code, Markdown is rendered with raw HTML
disabled, CSV cells are escaped) and are served under a CSP sandbox besides."""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from parley.files.media import DECODABLE_IMAGES
from parley.files.sniff import OFFICE, decode_text

THUMB_PX = 320
# Profile pictures: square renditions, family `avatar-<px>` (files/avatars.py).
AVATAR_SIZES = (64, 128, 256)
AVATAR_FAMILY = "avatar-"
VIEW_PX = 2048
PAGE_PX = 1240
CSV_ROWS, CSV_COLS = 1000, 50
OFFICE_TIMEOUT = 120


class PreviewError(Exception):
    """The file cannot be previewed (damaged, or too large to decode safely)."""


Manifest = dict[str, Any]


# -- images ----------------------------------------------------------------------------


def _open_image(src: Path, max_pixels: int, box: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb check, a second line
    try:
        img = Image.open(src)
        if img.width * img.height > max_pixels:
            raise PreviewError("image too large")
        if img.format == "JPEG":
            img.draft("RGB", (box * 2, box * 2))  # decode at a reduced scale: much faster
        img = ImageOps.exif_transpose(img)
        img.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PreviewError(str(exc)) from exc
    return img


def _rgb(img: Image.Image) -> Image.Image:
    """A copy in a mode WebP takes and Lanczos resamples (palette images are neither)."""
    if img.mode in ("RGB", "RGBA"):
        return img.copy()
    return img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")


def _save_webp(img: Image.Image, box: int, dest: Path) -> dict[str, int]:
    img = _rgb(img)
    img.thumbnail((box, box), Image.Resampling.LANCZOS)
    # No exif= argument: the rendition carries no metadata at all.
    img.save(dest, "WEBP", quality=80, method=4)
    return {"width": img.width, "height": img.height}


def image_rendition(src: Path, out: Path, box: int, max_pixels: int) -> Manifest:
    img = _open_image(src, max_pixels, box)
    size = _save_webp(img, box, out / "1")
    return {"media_type": "image/webp", "pages": 1, **size}


def avatar_rendition(src: Path, out: Path, size: int, max_pixels: int) -> Manifest:
    """The centre square at `size` px: the client crops to a square already; anything
    else (an API client's upload) is cropped here."""
    img = ImageOps.fit(_rgb(_open_image(src, max_pixels, size)), (size, size))
    return {"media_type": "image/webp", "pages": 1, **_save_webp(img, size, out / "1")}


# -- PDF and Office ---------------------------------------------------------------------


def pdf_pages(src: Path, out: Path, *, pages: int, box: int) -> Manifest:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(src))
    except pdfium.PdfiumError as exc:
        raise PreviewError(f"unreadable PDF: {exc}") from exc
    try:
        total = len(pdf)
        if total == 0:
            raise PreviewError("PDF without pages")
        shown = min(total, pages)
        for i in range(shown):
            page = pdf[i]
            width, height = page.get_size()
            scale = min(box / max(width, 1), box / max(height, 1), 4.0)
            bitmap = page.render(scale=scale)
            bitmap.to_pil().save(out / str(i + 1), "PNG", optimize=False)
            page.close()
    except pdfium.PdfiumError as exc:
        raise PreviewError(f"unreadable PDF: {exc}") from exc
    finally:
        pdf.close()
    return {"media_type": "image/png", "pages": shown, "total_pages": total}


def office_to_pdf(src: Path, command: str) -> Path:
    """Convert with LibreOffice in a private profile (concurrent conversions would
    otherwise fight over one). Returns the PDF, inside a temp dir the caller removes."""
    binary = shutil.which(command) if command else None
    if binary is None:
        raise PreviewError("no office converter")
    work = Path(tempfile.mkdtemp(prefix="parley-office-"))
    doc = work / "document"
    shutil.copyfile(src, doc)
    try:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{work / 'profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(doc),
            ],
            check=True,
            capture_output=True,
            timeout=OFFICE_TIMEOUT,
            env={**os.environ, "HOME": str(work)},
        )
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise PreviewError(f"office conversion failed: {exc}") from exc
    pdf = work / "document.pdf"
    if not pdf.exists():
        shutil.rmtree(work, ignore_errors=True)
        raise PreviewError("office conversion produced nothing")
    return pdf


def office_available(command: str) -> bool:
    return bool(command) and shutil.which(command) is not None


# -- text ------------------------------------------------------------------------------

_PAGE_STYLE = """
body{margin:0;padding:12px;font:14px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",
sans-serif;color:#1f2328;background:#fff}
pre{margin:0;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;
word-break:break-word}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d0d7de;padding:4px 8px;
vertical-align:top}th{background:#f6f8fa}.note{color:#59636e;font-size:12px;margin-top:8px}
img{max-width:100%}
"""
TRUNCATED_NOTE = (
    "Preview shortened; download the file to see all of it. 预览已截断，请下载文件查看全部内容。"
)


def _page(body: str, css: str = "", truncated: bool = False) -> bytes:
    note = f'<p class="note">{html.escape(TRUNCATED_NOTE)}</p>' if truncated else ""
    doc = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<style>{_PAGE_STYLE}{css}</style></head><body>{body}{note}</body></html>"
    )
    return doc.encode()


def _read_text(src: Path, cap: int) -> tuple[str, bool]:
    with src.open("rb") as f:
        data = f.read(cap + 1)
    truncated = len(data) > cap
    text = decode_text(data[:cap], partial=truncated)
    if text is None:
        raise PreviewError("not text")
    return text, truncated


def text_view(src: Path, out: Path, *, name: str, cap: int) -> Manifest:
    text, truncated = _read_text(src, cap)
    lower = name.lower()
    if lower.endswith((".md", ".markdown")):
        body, css = _markdown(text), ""
    elif lower.endswith((".csv", ".tsv")):
        body, css = _csv_table(text, "\t" if lower.endswith(".tsv") else None), ""
    else:
        body, css = _highlight(text, name)
    (out / "1").write_bytes(_page(body, css, truncated))
    return {"media_type": "text/html; charset=utf-8", "pages": 1, "truncated": truncated}


def _highlight(text: str, name: str) -> tuple[str, str]:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_for_filename(name, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    formatter = HtmlFormatter(nowrap=False, cssclass="hl")
    return highlight(text, lexer, formatter), formatter.get_style_defs(".hl")


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    # html=False: raw HTML in the source is shown as text, never interpreted.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return md.render(text)


def _csv_table(text: str, delimiter: str | None) -> str:
    sample = text[:8192]
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
        if i >= CSV_ROWS:
            break
        cells = "".join(
            f"<{'th' if i == 0 else 'td'}>{html.escape(c)}</{'th' if i == 0 else 'td'}>"
            for c in row[:CSV_COLS]
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{''.join(rows)}</table>"


# -- video ----------------------------------------------------------------------------


def video_frame(src: Path, out: Path, box: int, max_pixels: int) -> Manifest:
    import av

    try:
        with av.open(str(src)) as container:
            stream = container.streams.video[0]
            if stream.codec_context.width * stream.codec_context.height > max_pixels:
                raise PreviewError("video frame too large")
            frame = next(container.decode(video=0))
            img = frame.to_image()
    except (av.error.FFmpegError, IndexError, StopIteration, OSError) as exc:
        raise PreviewError(f"unreadable video: {exc}") from exc
    size = _save_webp(img, box, out / "1")
    return {"media_type": "image/webp", "pages": 1, **size}


# -- dispatch -------------------------------------------------------------------------


def make(
    family: str,
    src: Path,
    out: Path,
    *,
    mime: str,
    name: str,
    settings: Any,
) -> Manifest:
    """Make the `thumb` or `preview` rendition of a file of type `mime`."""
    max_pixels = settings.max_image_pixels
    if family.startswith(AVATAR_FAMILY):
        size = int(family.removeprefix(AVATAR_FAMILY))
        if mime not in DECODABLE_IMAGES or size not in AVATAR_SIZES:
            raise PreviewError("no such avatar rendition")
        return avatar_rendition(src, out, size, max_pixels)
    if mime in DECODABLE_IMAGES:
        box = THUMB_PX if family == "thumb" else VIEW_PX
        return image_rendition(src, out, box, max_pixels)
    if mime == "application/pdf":
        if family == "thumb":
            return pdf_pages(src, out, pages=1, box=THUMB_PX)
        return pdf_pages(src, out, pages=settings.preview_pages, box=PAGE_PX)
    if mime in OFFICE and family == "preview":
        pdf = office_to_pdf(src, settings.office_converter)
        try:
            return pdf_pages(pdf, out, pages=settings.preview_pages, box=PAGE_PX)
        finally:
            shutil.rmtree(pdf.parent, ignore_errors=True)
    if mime.startswith("video/") and family == "thumb":
        return video_frame(src, out, THUMB_PX, max_pixels)
    if family == "preview" and (mime.startswith("text/") or mime in _TEXT_VIEWS):
        return text_view(src, out, name=name, cap=settings.preview_text_bytes)
    raise PreviewError("no preview for this type")


_TEXT_VIEWS = {"application/xml", "image/svg+xml", "application/json"}
