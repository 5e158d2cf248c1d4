"""What `create_app` built, handed to endpoints as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request


def app_state(name: str) -> Callable[[Request], Awaitable[Any]]:
    """A dependency returning `app.state.<name>`. Async on purpose: FastAPI runs a plain
    `def` dependency on its thread pool, a thread hop on every request (bench/README.md:
    four of them cost the login storm ~9%)."""

    async def dependency(request: Request) -> Any:
        return getattr(request.app.state, name)

    dependency.__name__ = f"app_state_{name}"
    return dependency
