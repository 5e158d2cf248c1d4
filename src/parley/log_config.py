"""One JSON object per log line on stderr, for Parley's own events and for every library
logging through the standard library (uvicorn's errors and access lines, asyncio's
"exception was never retrieved"), so a log shipper never meets a bare traceback."""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.typing import Processor

_STAMP: list[Processor] = [
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
_HANDLER = "parley-json"
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")
_RENDER: list[Processor] = [
    structlog.processors.format_exc_info,
    structlog.processors.JSONRenderer(),
]


def configure_logging(level: str) -> None:
    structlog.configure(
        processors=[*_STAMP, *_RENDER],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_STAMP, structlog.stdlib.add_logger_name],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *_RENDER],
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
