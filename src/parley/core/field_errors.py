"""Per-field validation errors with stable codes, built from Pydantic's errors.

Pydantic's `type` names and English `msg` texts are not a contract (they change between
versions, and clients cannot translate them); a client maps `code` and its parameters to
a message in the user's language and marks `field` in its form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_LOCATIONS = {"body", "query", "path", "header", "cookie"}
_CODES = {
    "missing": "required",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_pattern_mismatch": "invalid_format",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "extra_forbidden": "unknown_field",
    "greater_than": "too_small",
    "greater_than_equal": "too_small",
    "less_than": "too_large",
    "less_than_equal": "too_large",
}
# Constraint values a client needs for its message ("at least 2 characters").
_PARAMS = ("min_length", "max_length", "pattern", "expected", "gt", "ge", "lt", "le")
_EMAIL_MSG = "value is not a valid email address"


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per Pydantic error: `field` (dotted path, null for the whole body), `code`,
    the constraint's parameters, and the raw `loc`, `msg`, `type` kept for older clients."""
    return [_one(e) for e in errors]


def _one(error: Mapping[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in error.get("loc", ())]
    path = loc[1:] if loc and loc[0] in _LOCATIONS else loc
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    ctx = error.get("ctx") or {}
    return {
        "field": ".".join(path) or None,
        "code": _code(kind, msg),
        **{k: ctx[k] for k in _PARAMS if isinstance(ctx.get(k), str | int | float)},
        "loc": loc,
        "msg": msg,
        "type": kind,
    }


def _code(kind: str, msg: str) -> str:
    if kind in _CODES:
        return _CODES[kind]
    if kind == "value_error" and msg.startswith(_EMAIL_MSG):
        return "invalid_email"
    if kind.endswith(("_type", "_parsing")):
        return "invalid_type"
    return "invalid"
