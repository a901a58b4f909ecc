"""What a failure means to the caller: the one table of exit codes of the command line.

Hot path safe (the error classes join this module): standard library only, and
nothing but constants here, so importing it costs one small ``.pyc``.

The hook is not in this table: its exit code *is* a decision for Claude Code and
it always ends 0 with its answer on stdout (hook/run.py applies ``on_error``).
"""

from __future__ import annotations

OK = 0
"""The command did what was asked and found nothing to report."""

FINDINGS = 1
"""The command ran and found something: a lint problem, a failed test, a stray path."""

USAGE = 2
"""The command line is wrong, or the command cannot run (no policy, not a repository,
a file it cannot read); the one line on stderr says which and how to fix it."""

INTERRUPTED = 130
"""Interrupted with Ctrl-C (128 + SIGINT, what a shell reports)."""

PIPE_CLOSED = 141
"""The reader of stdout went away (``agentguard logs timeline | head -1``): 128 + SIGPIPE,
what a shell reports for any program whose pipe closed; nothing is printed."""

EXIT: dict[str, int] = {
    "ok": OK,
    "findings": FINDINGS,
    "usage": USAGE,
    "cannot run": USAGE,
    "unexpected error": USAGE,
    "interrupted": INTERRUPTED,
    "pipe closed": PIPE_CLOSED,
}
"""Every exit code of ``agentguard COMMAND`` by what it means (the README's table)."""
