"""What a failure means to the caller: every error class agentguard raises on purpose,
and the one table of exit codes of the command line.

Hot path safe: standard library only and no ``typing`` at run time; the hook imports
this module (:class:`GuardError`) on every call, so it costs one small ``.pyc``. Each
error's message is one line that says where, what and how to fix it; the command line
and the hook print it as it is.

The hook is not in the exit-code table: its exit code *is* a decision for Claude Code
and it always ends 0 with its answer on stdout (hook/run.py applies ``on_error``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

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


class GuardError(Exception):
    """A failure of the guard itself; its message is one line, fit for Claude and the log."""


class PolicyFileError(GuardError):
    """A policy file that cannot be read safely; ``detail`` says why, without the path."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}")


class Problem:
    """One located problem in a policy file."""

    __slots__ = ("col", "field", "file", "line", "message", "severity")

    def __init__(
        self,
        file: str,
        line: int,
        col: int,
        field: str,
        message: str,
        severity: str = "error",
    ) -> None:
        self.file = file
        self.line = line
        self.col = col
        self.field = field
        self.message = message
        self.severity = severity

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


class PolicyError(Exception):
    """A policy that cannot be used, with every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class GitError(Exception):
    """A git command that failed: the command, the folder and git's own message."""


class SettingsError(ValueError):
    """The settings object does not have the shape Claude Code expects; ``where`` says where."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class InstallError(Exception):
    """A refusal: one line saying where, what and how to fix it. Maps to exit status 2."""


class VerifyError(Exception):
    """Verify cannot run: one line saying what is missing and how to provide it."""


class LogReadError(Exception):
    """A log source or a filter the user gave cannot be used; the message says how to fix it."""


class EngineError(Exception):
    """DuckDB is not installed, or could not read the log; the message says what to do."""


class WriteError(Exception):
    """The policy file could not be changed safely; the message says what to do instead."""
