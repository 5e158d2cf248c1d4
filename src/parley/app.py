"""The application factory: wires settings, database, broker, gateway and routers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, WebSocket
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from parley import __version__
from parley.access.permissions import Permission
from parley.admin.api import router as admin_router
from parley.api_docs import mount_api_docs
from parley.calls.api import router as calls_router
from parley.calls.janus import Janus, browser_origins
from parley.calls.meetings import MeetingSignalling
from parley.calls.signalling import CallSignalling
from parley.calls.store import MemoryCallStore
from parley.config import Settings, load_settings
from parley.conversations import service as conversations
from parley.core import http_errors
from parley.core.api_headers import ApiHeaders
from parley.core.body_limit import BodyLimit
from parley.core.events import Publication
from parley.core.transport_headers import TransportSecurity
from parley.db.engine import create_database
from parley.departments.api import router as departments_router
from parley.files import service as file_service
from parley.files.api import router as files_router
from parley.files.avatars_api import router as avatars_router
from parley.files.runtime import FilesRuntime
from parley.groups.api import router as conversations_router
from parley.guests.api import router as guests_router
from parley.log_config import configure_logging
from parley.messages.api import router as messages_router
from parley.messages.changes_api import router as changes_router
from parley.messages.me_api import router as me_router
from parley.messages.rendered import RenderedLog
from parley.messages.search_api import router as search_router
from parley.messages.send_queue import SendQueue
from parley.org.api import router as setup_router
from parley.realtime.broker import SYNC_REQUIRED, create_broker
from parley.realtime.gateway import Gateway
from parley.realtime.hub import Hub
from parley.realtime.presence import create_presence
from parley.runtime import ReadSession, Runtime
from parley.security.passwords import Passwords
from parley.users.alerts_api import router as security_alerts_router
from parley.users.api import auth_router, users_router
from parley.users.deps import CurrentUser, MaybeUser
from parley.users.roles_api import router as roles_router
from parley.web_client import mount_client

API = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    db = create_database(settings)
    broker = create_broker(settings.broker_url)
    presence = create_presence(settings.broker_url, settings.node_id)
    hub = Hub()
    rt = Runtime(settings=settings, db=db, passwords=Passwords(settings), publish=broker.publish)
    sends = SendQueue(db, broker.publish, settings)
    calls = CallSignalling(rt, broker.post, MemoryCallStore())
    meetings = MeetingSignalling(rt, broker.post, Janus.from_settings(settings))
    gateway = Gateway(rt, hub, broker, presence, sends, calls, meetings)
    files = FilesRuntime.create(settings)
    broker.on_reconnect = lambda: hub.deliver(SYNC_REQUIRED)

    def deliver(p: Publication) -> None:
        hub.deliver(p)
        meetings.observe(p)  # someone out of a group is out of its meeting too

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await broker.start(deliver)
        await presence.start()
        files.start()
        try:
            yield
        finally:
            await files.close()
            await meetings.close()
            await presence.close()
            await broker.close()
            await db.dispose()
            rt.passwords.close()

    app = FastAPI(
        title="Parley API",
        version=__version__,
        lifespan=lifespan,
        openapi_url=f"{API}/openapi.json",
        docs_url=None,  # served by api_docs, without a CDN
        redoc_url=None,
    )
    app.state.runtime = rt
    app.state.hub = hub
    app.state.meetings = meetings
    app.state.gateway = gateway
    app.state.send_queue = sends
    app.state.rendered_log = RenderedLog(settings.rendered_entries)
    app.state.files = files
    app.state.broker = broker
    app.state.presence = presence
    # Uploads stream to storage and enforce PARLEY_MAX_UPLOAD_BYTES themselves.
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_depth=settings.max_json_depth,
        exempt={f"{API}/files"},
    )
    # Outermost, so that refusals made before the app (413, json_too_deep) carry them too.
    app.add_middleware(ApiHeaders, prefix=f"{API}/")
    app.add_middleware(TransportSecurity, max_age=settings.hsts_max_age)
    http_errors.install(app)

    routers = (
        setup_router,
        auth_router,
        users_router,
        conversations_router,
        messages_router,
        changes_router,
        me_router,
        files_router,
        search_router,
        security_alerts_router,
        avatars_router,
        calls_router,
        roles_router,
        departments_router,
        guests_router,
        admin_router,
    )
    for router in routers:
        app.include_router(router, prefix=API)
    app.include_router(_system_router(hub, gateway), prefix=API)

    @app.websocket(f"{API}/ws")
    async def websocket(ws: WebSocket) -> None:
        await gateway.handle(ws)

    if settings.api_docs:
        mount_api_docs(app)
    if (settings.web_dist / "index.html").is_file():
        mount_client(
            app, settings.web_dist, settings.frame_ancestors, connect=browser_origins(settings)
        )
    else:

        @app.get("/", include_in_schema=False)
        async def index() -> HTMLResponse:
            return HTMLResponse(_STATUS_PAGE)

    return app


def _system_router(hub: Hub, gateway: Gateway) -> APIRouter:
    router = APIRouter(tags=["system"])

    @router.get("/health")
    async def health(session: ReadSession, me: MaybeUser) -> dict[str, object]:
        """Liveness and database reachability, for load balancers: `{"status": "ok"}`.
        Those who manage the settings also get the version, this node's id and its socket count."""
        await session.execute(text("SELECT 1"))
        if me is None or not me.has(Permission.MANAGE_SETTINGS):
            return {"status": "ok"}
        return {
            "status": "ok",
            "version": __version__,
            "node": gateway.rt.settings.node_id,
            "connections": hub.connection_count,
        }

    @router.get("/presence")
    async def presence(
        me: CurrentUser,
        session: ReadSession,
        user_ids: Annotated[list[uuid.UUID], Query(max_length=1000)],
    ) -> dict[str, list[str]]:
        """Which of these users are online now (on any node). Only people you share a
        conversation with are reported; anyone else is left out, like an unknown id."""
        peers = await conversations.access_peers(session, me.user_id, user_ids)
        return {"online": sorted(await gateway.online(peers))}

    @router.get("/limits")
    async def limits(me: CurrentUser, session: ReadSession) -> dict[str, object]:
        """The rules clients should know to offer only what the server will accept;
        `max_upload_bytes` is the caller's (a custom role may set it)."""
        s = gateway.rt.settings
        upload = await file_service.upload_limit_of(session, s, me.user_id)
        return {
            "max_message_chars": s.max_message_chars,
            "edit_window_seconds": s.edit_window_seconds,
            "recall_window_seconds": s.recall_window_seconds,
            "all_mention_role": s.all_mention_role,
            "max_upload_bytes": upload,
            "max_pins": s.max_pins,
        }

    return router


_STATUS_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>Parley</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Parley</h1>
<p>服务器正在运行，但网页客户端尚未构建（在 web/ 中运行 <code>npm run build</code>，
或使用 <code>make run</code>）。另见 <a href="/api/docs">API 文档</a>。</p>
<p>The server is running, but the web client is not built (run <code>npm run build</code>
in web/, or use <code>make run</code>). See also the <a href="/api/docs">API documentation</a>.
</p></body></html>"""
