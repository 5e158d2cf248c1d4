"""The server's log is JSON lines throughout, its own events and the libraries' alike."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from parley.log_config import configure_logging


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


def test_configuring_again_keeps_one_handler() -> None:
    configure_logging("info")
    configure_logging("warning")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "parley-json"]
    assert len(ours) == 1 and logging.getLogger().level == logging.WARNING
