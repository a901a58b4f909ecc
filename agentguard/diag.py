"""Diagnostics of the cold-path commands, through structlog. Never imported by the hook.

``agentguard -v COMMAND`` (or ``AGENTGUARD_VERBOSE=1``) prints what a command does
step by step on stderr: policy files found and compiled, worktrees created, settings
merged. ``AGENTGUARD_LOG_FORMAT=json`` prints the same events as JSON lines, for CI
logs that are parsed. Without either, only warnings are printed.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from agentguard import terminal

VERBOSE_ENV = "AGENTGUARD_VERBOSE"
FORMAT_ENV = "AGENTGUARD_LOG_FORMAT"

_STATE = {"configured": False}


class _Stderr:
    """``sys.stderr`` as it is at each write, not as it was when logging was configured.

    A command run in-process (a test's captured stderr, a caller's redirect) may replace
    sys.stderr after the first log line; a logger holding the old stream would write to
    a closed file.
    """

    def write(self, text: str) -> int:
        """Write ``text`` to the current stderr."""
        return sys.stderr.write(text)

    def flush(self) -> None:
        """Flush the current stderr."""
        sys.stderr.flush()


def configure(verbose: bool | None = None) -> None:
    """Set up structlog: level from ``verbose`` (or the environment), stderr output."""
    # Imported here, not at the top: structlog (and the asyncio it loads) costs a command
    # that never logs about 70 ms, and most runs of most commands log nothing.
    import structlog

    if verbose is None:
        verbose = os.environ.get(VERBOSE_ENV) == "1"
    renderer: Any
    if os.environ.get(FORMAT_ENV) == "json":
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=terminal.colour(sys.stderr))
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.DEBUG if verbose else logging.WARNING
        ),
        logger_factory=structlog.PrintLoggerFactory(_Stderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )
    _STATE["configured"] = True


def log(**context: Any) -> Any:
    """A logger for a cold-path command, bound to ``context``."""
    import structlog

    if not _STATE["configured"]:
        configure()
    return structlog.get_logger("agentguard").bind(**context)
