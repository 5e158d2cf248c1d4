"""HTTP shape of files: upload, download (with Range), thumbnail, preview, and the
files view of a conversation."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from parley.core.http_errors import problem_response
from parley.core.values import Text
from parley.files import http, service, uploads
from parley.files.http import PreviewUnavailable
from parley.files.models import File
from parley.files.previews import office_available
from parley.files.runtime import FilesDep, FilesRuntime
from parley.files.schemas import FileKind, FileRead, SharedFilePage
from parley.files.storage import blob_key
from parley.runtime import ReadSession, RuntimeDep
from parley.users.deps import CurrentUser

router = APIRouter(tags=["files"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post(
    "/files",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_UPLOAD_BODY,
    responses={200: {"model": FileRead, "description": "A retry: the same upload, unsent."}},
)
async def upload(
    request: Request, me: CurrentUser, rt: RuntimeDep, files: FilesDep, response: Response
) -> FileRead:
    """Upload one file (multipart field `file`). Its type is detected from its content;
    attach it to a message with `attachments: [id]`. Until then only you can read it."""
    read, created = await uploads.handle(request, rt, files.storage, files.renditions, me)
    if not created:
        response.status_code = status.HTTP_200_OK
    return read


@router.get("/files/{file_id}/info")
async def info(file_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> FileRead:
    """What a file is, if you may read it."""
    return service.to_read(await service.access_file(session, me.user_id, file_id))


@router.get("/files/{file_id}", response_class=Response)
async def download(
    file_id: uuid.UUID,
    request: Request,
    me: CurrentUser,
    session: ReadSession,
    files: FilesDep,
    download: bool = False,
) -> Response:
    """The file's bytes. Supports `Range` (seeking in audio/video, resuming downloads)
    and `If-None-Match`. Types a browser could execute are always sent as attachments
    under a sandboxing CSP; `download=true` forces an attachment for any type."""
    file = await service.access_file(session, me.user_id, file_id)
    etag = f'"{file.sha256}"'
    headers = http.security_headers(file.mime, file.name, download=download)
    if request.headers.get("if-none-match") == etag:
        return http.file_response(
            None, size=file.size, byte_range=None, mime=file.mime, etag=etag, headers=headers
        )
    try:
        byte_range = http.parse_range(request.headers.get("range"), file.size)
    except http.RangeNotSatisfiable as exc:
        answer = problem_response(exc)
        answer.headers["Content-Range"] = f"bytes */{file.size}"
        return answer
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range != etag:
        byte_range = None  # the client's partial copy is of other content
    start, end = byte_range or (0, file.size - 1)
    body = files.storage.stream(blob_key(file.sha256), start, end)
    return http.file_response(
        body, size=file.size, byte_range=byte_range, mime=file.mime, etag=etag, headers=headers
    )


@router.get("/files/{file_id}/thumbnail", response_class=Response)
async def thumbnail(
    file_id: uuid.UUID, me: CurrentUser, session: ReadSession, files: FilesDep
) -> Response:
    """A small WebP (longest side 320 px) of an image, a PDF's first page or a video's
    first frame; no metadata. 202 while it is being made."""
    file = await service.access_file(session, me.user_id, file_id)
    if service.to_read(file).thumbnail_url is None:
        raise PreviewUnavailable("This file has no thumbnail.", notes=service.NOTES["none"])
    return await _rendition(files, file, "thumb", 1, me.user_id)


@router.get("/files/{file_id}/preview", response_class=Response)
async def preview(
    file_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    files: FilesDep,
    rt: RuntimeDep,
    page: Annotated[int, Query(ge=1, le=50)] = 1,
) -> Response:
    """The preview named by the file's `preview` field: a screen-sized image, page
    `page` of a PDF or Office document as PNG (`X-Preview-Pages` tells how many), or a
    self-contained HTML view of text, code, Markdown or CSV (size-capped, sandboxed).
    415 when there is none (with a note to show), 202 while it is being made."""
    file = await service.access_file(session, me.user_id, file_id)
    read = service.to_read(file)
    office = bool((file.meta or {}).get("office"))
    if read.preview in ("none", "media") or (
        office and not office_available(rt.settings.office_converter)
    ):
        notes = service.NOTES["office"] if office else read.preview_note or service.NOTES["none"]
        raise PreviewUnavailable("No preview for this file; download it.", notes=notes)
    return await _rendition(files, file, "preview", page, me.user_id)


async def _rendition(
    files: FilesRuntime, file: File, family: str, page: int, viewer: uuid.UUID
) -> Response:
    made = await http.rendition(files, file, family, page, viewer)
    if made is None:
        return JSONResponse({"status": "pending"}, status_code=202, headers={"Retry-After": "1"})
    data, manifest = made
    pages = int(manifest["pages"])
    media = str(manifest["media_type"])
    headers: dict[str, Any] = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": http.DOCUMENT_CSP
        if media.startswith("text/html")
        else http.SANDBOX_CSP,
        "Cache-Control": "private, no-cache",
        "X-Preview-Pages": str(pages),
    }
    if "total_pages" in manifest:
        headers["X-Total-Pages"] = str(manifest["total_pages"])
    if manifest.get("truncated"):
        headers["X-Preview-Truncated"] = "true"
    return Response(data, media_type=media, headers=headers)


@router.get("/conversations/{conversation_id}/files")
async def conversation_files(
    conversation_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    q: Annotated[Text | None, Query(max_length=100, description="Part of the name.")] = None,
    kind: FileKind | None = None,
    before: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SharedFilePage:
    """Files shared in a conversation (since you joined), newest first; filter by part of
    the name (`q`) or by kind, page with `before=<next_cursor>`."""
    return await service.shared_in(
        session,
        me.user_id,
        conversation_id,
        query=q,
        kind=kind,
        before=before,
        limit=min(limit, rt.settings.page_max),
    )
