"""The server's log is JSON lines throughout, its own events and the libraries' alike."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from parley.log_config import TracebackThrottle, configure_logging


def test_library_errors_and_own_events_are_one_json_object_per_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("info")
    try:
        raise RuntimeError("数据库连接中断")
    except RuntimeError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    logging.getLogger("uvicorn.access").info('%s - "%s %s"', "127.0.0.1", "GET", "/api/health")
    logging.getLogger("asyncio").debug("below the level: not written")
    structlog.get_logger().warning("messages.slow_batch", size=3)

    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["level"], e["event"]) for e in entries] == [
        ("error", "Exception in ASGI application"),
        ("info", '127.0.0.1 - "GET /api/health"'),
        ("warning", "messages.slow_batch"),
    ]
    crash = entries[0]
    assert crash["logger"] == "uvicorn.error"
    assert crash["exception"].splitlines()[-1] == "RuntimeError: 数据库连接中断"
    assert entries[2]["size"] == 3 and all("timestamp" in e for e in entries)


def test_secrets_are_masked_whoever_logs_them(capsys: pytest.CaptureFixture[str]) -> None:
    token = "plt_7tL4ncPTmRvSHMBN71VMmHGIEtCixvlpedh3LaO4Ouw"
    configure_logging("debug")
    logging.getLogger("uvicorn.error").debug("< cookie: parley_session=%s", token)
    logging.getLogger("websockets").debug("> Authorization: Bearer %s", token)
    structlog.get_logger().info("bot.request", url=f"/hook?t={token}", note="kept")
    try:
        raise ValueError('bad body {"login": "bob", "new_password": "hunter2-secret"}')
    except ValueError:
        logging.getLogger("uvicorn.error").exception("failed")

    out = capsys.readouterr().err
    assert token not in out and "hunter2-secret" not in out
    entries = [json.loads(line) for line in out.splitlines()]
    assert entries[0]["event"] == "< cookie: [redacted]"
    assert entries[2]["url"] == "/hook?t=plt_[redacted]" and entries[2]["note"] == "kept"
    assert '"new_password": "[redacted]"' in entries[3]["exception"]


def test_configuring_again_keeps_one_handler() -> None:
    configure_logging("info")
    configure_logging("warning")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "parley-json"]
    assert len(ours) == 1 and logging.getLogger().level == logging.WARNING


def _fail(depth: int = 0) -> None:
    if depth < 3:
        _fail(depth + 1)
    raise RecursionError("maximum recursion depth exceeded")


def _entry(throttle: TracebackThrottle, exc: BaseException, event: str) -> dict[str, object]:
    return throttle(None, "error", {"event": event, "exc_info": exc})


def test_one_traceback_per_cause_and_minute() -> None:
    now = [1000.0]
    throttle = TracebackThrottle(window=60, clock=lambda: now[0])
    errors = []
    for _ in range(3):
        try:
            _fail()
        except RecursionError as exc:
            errors.append(exc)
    try:
        raise ValueError("another cause")
    except ValueError as exc:
        other = exc

    first = _entry(throttle, errors[0], "http.unhandled")
    assert first["exc_info"] is errors[0]  # the whole story, once
    again = _entry(throttle, errors[1], "Exception in ASGI application")
    assert "exc_info" not in again
    assert again["exception"] == "RecursionError: maximum recursion depth exceeded"
    assert "test_logging.py" in str(again["traceback"])
    assert _entry(throttle, other, "http.unhandled")["exc_info"] is other  # its own cause
    now[0] += 60
    later = _entry(throttle, errors[2], "http.unhandled")
    assert later["exc_info"] is errors[2] and later["repeats"] == 1
