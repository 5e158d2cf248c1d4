"""Base classes for the public contract.

Requests refuse unknown fields, and any string holding a NUL character or a lone
surrogate (valid JSON, but not storable text) is rejected before it reaches a service.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def check_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text is not valid Unicode (lone surrogate)") from exc
    return value


def _check_strings(value: Any) -> Any:
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, list):
        return [_check_strings(v) for v in value]
    if isinstance(value, dict):
        return {_check_strings(k): _check_strings(v) for k, v in value.items()}
    return value


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _valid_text(cls, value: Any) -> Any:
        return _check_strings(value)


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
