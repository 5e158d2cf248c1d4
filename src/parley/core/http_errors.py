"""Render every error as application/problem+json; never a stack trace."""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from parley.core.api_headers import API_HEADERS
from parley.core.errors import Problem
from parley.core.field_errors import field_errors
from parley.core.jsonutil import dumps

log = structlog.get_logger()
PROBLEM_JSON = "application/problem+json"

_HTTP_CODES = {
    400: ("malformed_json", "Malformed body"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("payload_too_large", "Payload too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}


def problem_response(problem: Problem) -> Response:
    headers = {}
    retry = problem.extra.get("retry_after")
    if retry is not None:
        headers["Retry-After"] = str(retry)
    return Response(
        dumps(problem.body()),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> Response:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem_response(Problem("The body is not valid JSON.", code="malformed_json"))
        problem = Problem(
            "The request does not match the schema.",
            code="invalid_request",
            errors=field_errors(errors),
        )
        problem.status = 422
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
        problem = Problem(str(exc.detail) if exc.detail else title, code=code)
        problem.status, problem.title = exc.status_code, title
        return problem_response(problem)

    @app.exception_handler(SQLAlchemyTimeout)
    async def _overloaded(_: Request, exc: SQLAlchemyTimeout) -> Response:
        # The connection pool stayed exhausted: a retryable overload, not a server bug.
        problem = Problem("The server is busy; try again shortly.", code="overloaded")
        problem.status, problem.title = 503, "Service unavailable"
        problem.extra["retry_after"] = 2
        return problem_response(problem)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("http.unhandled", path=request.url.path)
        problem = Problem("Something went wrong on the server.", code="internal_error")
        problem.status, problem.title = 500, "Internal error"
        response = problem_response(problem)
        # Sent from outside every middleware (Starlette's ServerErrorMiddleware).
        response.headers.update(API_HEADERS)
        return response
