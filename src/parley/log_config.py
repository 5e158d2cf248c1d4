"""One JSON object per log line on stderr, for Parley's own events and for every library
logging through the standard library (uvicorn's errors and access lines, asyncio's
"exception was never retrieved"), so a log shipper never meets a bare traceback; and
no more than one full traceback per cause a minute, so a client cannot flood the log."""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from parley.security.tokens import TOKEN_PREFIX


class TracebackThrottle:
    """At most one full traceback per cause (exception type and the line that raised
    it) per `window` seconds; repeats within it log one line naming the exception.

    A request that crashes the server may be repeated by anyone at will: one bad input
    once wrote a 310 KB traceback per request (twice: the app and uvicorn log it), 95 MB
    a minute. The first keeps the whole story; the next full one says how many were
    cut short since (`repeats`)."""

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self.clock = window, clock
        self.causes: dict[tuple[str, str, int], tuple[float, int]] = {}

    def __call__(self, _: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        exc = _exception(event_dict.get("exc_info"))
        if exc is None:
            return event_dict
        cause = _cause(exc)
        now = self.clock()
        since, repeats = self.causes.get(cause, (-self.window, 0))
        if now - since >= self.window:
            if len(self.causes) > 10_000:  # bounded, whatever the variety of failures
                self.causes.clear()
            self.causes[cause] = (now, 0)
            if repeats:
                event_dict["repeats"] = repeats
            return event_dict
        self.causes[cause] = (since, repeats + 1)
        del event_dict["exc_info"]
        event_dict["exception"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        event_dict["traceback"] = f"one per cause every {self.window:g} s: {cause[1]}:{cause[2]}"
        return event_dict


def _exception(exc_info: Any) -> BaseException | None:
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        exc_info = exc_info[1]
    return exc_info if isinstance(exc_info, BaseException) else None


def _cause(exc: BaseException) -> tuple[str, str, int]:
    """The exception's type and the innermost line of its traceback."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return type(exc).__qualname__, "", 0
    return type(exc).__qualname__, tb.tb_frame.f_code.co_filename, tb.tb_lineno


# What must never reach a log line, whoever logs it: session tokens (anywhere in a
# line), and the values of credential headers and password fields. The websockets
# library, for one, logs every handshake header at debug level, cookie included.
_SECRETS = (
    (re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_\-]{8,}"), TOKEN_PREFIX + "[redacted]"),
    (
        re.compile(r"(?im)^([<>]?\s*(?:authorization|cookie|set-cookie)\s*:\s*).+$"),
        r"\1[redacted]",
    ),
    (re.compile(r'(?i)("[a-z_]*password"\s*:\s*)"(?:[^"\\]|\\.)*"'), r'\1"[redacted]"'),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def redact_secrets(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Mask secrets in every string of the event (the message and its fields)."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = redact(value)
    return event_dict


_STAMP: list[Processor] = [
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
_HANDLER = "parley-json"
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(level: str) -> None:
    # One throttle for both paths: uvicorn logs the same crash our handler just logged.
    render: list[Processor] = [
        TracebackThrottle(),
        structlog.processors.format_exc_info,
        redact_secrets,  # after the traceback is text: it may quote a token too
        structlog.processors.JSONRenderer(),
    ]
    structlog.configure(
        processors=[*_STAMP, *render],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_STAMP, structlog.stdlib.add_logger_name],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
        )
    )
    root = logging.getLogger()
    # Replace only our own handler (apps are created more than once in a process).
    root.handlers = [h for h in root.handlers if h.get_name() != _HANDLER] + [handler]
    root.setLevel(level.upper())
    for name in _UVICORN:  # in case uvicorn's own plain-text config was applied before
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers, uvicorn_logger.propagate = [], True
        uvicorn_logger.setLevel(logging.NOTSET)
