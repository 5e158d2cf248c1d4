"""What the matrix must cover: every API route of the app and every socket frame type
the gateway routes."""

from __future__ import annotations

from typing import get_args

from fastapi.routing import iter_route_contexts

from parley.app import create_app
from tests.authz.matrix import BY_KEY


def api_routes() -> set[tuple[str, str]]:
    """(method, path) of every route under /api/ (HEAD mirrors GET and is left out)."""
    out = set()
    for ctx in iter_route_contexts(create_app().routes):
        methods, path = getattr(ctx, "methods", None), ctx.path or ""
        if methods and path.startswith("/api/"):
            out |= {(m, path) for m in methods if m != "HEAD"}
    return out


def frame_types() -> set[tuple[str, str]]:
    """The `type` of every frame model in the gateway's routing table."""
    routes = create_app().state.gateway.routes
    return {("WS", get_args(model.model_fields["type"].annotation)[0]) for model in routes}


def missing_and_stale() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    wanted = api_routes() | frame_types()
    return wanted - set(BY_KEY), set(BY_KEY) - wanted
