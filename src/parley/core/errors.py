"""Problem details (RFC 9457): every error a client sees has a stable machine `code`."""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    """An error meant for the client. Raised anywhere; rendered by the HTTP and socket edges."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str = "", *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if code:
            self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {
            "type": f"https://parley.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
            **self.extra,
        }


class BadRequest(Problem):
    pass


class Unauthorized(Problem):
    status, code, title = 401, "unauthorized", "Authentication required"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Not allowed"


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflict"


class PayloadTooLarge(Problem):
    status, code, title = 413, "payload_too_large", "Payload too large"


class Invalid(Problem):
    status, code, title = 422, "invalid", "Invalid request"


class Locked(Problem):
    status, code, title = 423, "account_locked", "Account locked"


class TooManyRequests(Problem):
    status, code, title = 429, "too_many_requests", "Too many requests"


class Overloaded(Problem):
    """Retryable: the client should come back after `retry_after` seconds."""

    status, code, title = 503, "overloaded", "Service unavailable"
