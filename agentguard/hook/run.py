"""``agentguard hook <Event>``: read one event on stdin, decide, print, log. Hot path.

The one error handler of the hook lives here. Claude Code runs the tool when a
hook crashes, exits 1, times out or prints bad JSON, so this function never
does any of those: every failure becomes the policy's ``on_error`` decision,
rendered as valid output with a one-line reason, and is logged (with a crash
file holding the traceback for an unexpected exception). The exit code is
always 0, except 2 for a hook registered under an event name we do not know.

Each event's handler lives in its own module (:data:`HANDLERS`), imported only when
that event fires: a PreToolUse loads no post or stop code.
"""

from __future__ import annotations

import os
import sys
import time

from agentguard import __version__, budget, wirejson
from agentguard.claude import wire
from agentguard.decision import ALLOW, DENY, Evaluation, Match
from agentguard.errors import GuardError
from agentguard.hook.session import (
    PERMISSION_EVENTS,
    Invocation,
    Outcome,
    cwd,
    observing,
    output_kind,
    write_log,
)
from agentguard.state import home as state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import IO

EVENTS = (
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "Stop",
    "SubagentStop",
    "PreSkillShellCommand",
)
ON_ERROR_ENV = "AGENTGUARD_ON_ERROR"


def canonical_event(name: str) -> str | None:
    """``PreToolUse``, ``pre-tool-use`` and ``pre_tool_use`` all name PreToolUse."""
    folded = name.replace("-", "").replace("_", "").lower()
    for event in EVENTS:
        if event.lower() == folded:
            return event
    return None


# One function per event, each importing its module only when called: the import is the
# cost a hook pays, and an event pays only for its own.
def _pre_tool_use(invocation: Invocation) -> Outcome:
    from agentguard.hook.pre_tool_use import pre_tool_use

    return pre_tool_use(invocation)


def _post_tool_use(invocation: Invocation) -> Outcome:
    from agentguard.hook.post_tool_use import post_tool_use

    return post_tool_use(invocation)


def _post_tool_use_failure(invocation: Invocation) -> Outcome:
    from agentguard.hook.post_tool_use import post_tool_use_failure

    return post_tool_use_failure(invocation)


def _stop(invocation: Invocation) -> Outcome:
    from agentguard.hook.stop import stop

    return stop(invocation)


def _pre_skill_shell_command(invocation: Invocation) -> Outcome:
    from agentguard.hook.pre_skill_shell_command import pre_skill_shell_command

    return pre_skill_shell_command(invocation)


HANDLERS: dict[str, Callable[[Invocation], Outcome]] = {
    "PreToolUse": _pre_tool_use,
    "PostToolUse": _post_tool_use,
    "PostToolUseFailure": _post_tool_use_failure,
    "Stop": _stop,
    "SubagentStop": _stop,
    "PreSkillShellCommand": _pre_skill_shell_command,
}


def on_error_decision(invocation: Invocation) -> str:
    """The decision for a failure of the guard: the policy's, else the env's, else deny."""
    if invocation.policy is not None:
        return str(invocation.policy["defaults"]["on_error"])
    value = invocation.env.get(ON_ERROR_ENV, DENY)
    return value if value in ("allow", "ask", "deny") else DENY


def error_outcome(invocation: Invocation, message: str) -> Outcome:
    """The ``on_error`` decision for ``message``, rendered for the event."""
    decision = on_error_decision(invocation)
    evaluation = Evaluation(invocation.record.get("agent"))
    match = Match(
        "on-error",
        decision,
        f"agentguard could not evaluate this call: {message.rstrip('.')}.",
        fix="A human should check the policy and the agentguard logs (agentguard logs).",
    )
    evaluation.add(match)
    if decision == ALLOW:
        return Outcome(None, evaluation)
    name = invocation.name
    reason = evaluation.reason()
    if name in PERMISSION_EVENTS:
        return Outcome(wire.pre_tool_use(decision, False, reason, name), evaluation)
    if name in ("Stop", "SubagentStop") and invocation.event.get("stop_hook_active"):
        # Blocking again on our own failure would loop; let it stop and tell the human.
        return Outcome(wire.message(f"agentguard: {reason}"), evaluation)
    return Outcome(wire.block(reason, name, system_message=f"agentguard: {reason}"), evaluation)


def _crash_file(home: str, exc: BaseException) -> str | None:
    import platform
    import traceback

    try:
        folder = state.ensure_dir(os.path.join(home, "crash"))
        path = os.path.join(folder, f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f"agentguard {__version__}, Python {platform.python_version()}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return path
    except OSError:
        return None


def main(
    argv: Sequence[str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run one hook call; always prints valid output (or nothing) and returns 0."""
    out = sys.stdout if stdout is None else stdout
    written: list[bool] = []
    try:
        return _main(argv, stdin, _Tracked(out, written), env)
    except BaseException as exc:  # the error path itself failed: last resort, fail closed
        budget.stop()
        if isinstance(exc, KeyboardInterrupt):
            raise
        args = list(sys.argv[1:] if argv is None else argv)
        name = canonical_event(args[0]) if args else None
        environ = os.environ if env is None else env
        decision = environ.get(ON_ERROR_ENV, DENY)
        if not written and name in PERMISSION_EVENTS and decision in ("ask", "deny"):
            reason = f"[agentguard:on-error] agentguard failed: {type(exc).__name__}."
            out.write(wirejson.dumps(wire.pre_tool_use(decision, False, reason, name)))
            out.flush()
        _last_log(environ, name, exc)
        return 0


def _last_log(env: Mapping[str, str], name: str | None, exc: BaseException) -> None:
    """Best effort: even the last resort leaves a line in the log (and never raises)."""
    try:
        from agentguard.state import log

        record = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "event": name,
            "version": __version__,
            "error": f"last resort: {type(exc).__name__}: {exc}"[:500],
        }
        log.append(state.home(cwd(), env), record)
    except Exception:  # nothing is left to report to: the answer already went out
        pass


class _Tracked:
    """A stdout that remembers whether anything was written (one JSON object at most)."""

    __slots__ = ("_stream", "_written")

    def __init__(self, stream: IO[str], written: list[bool]) -> None:
        self._stream = stream
        self._written = written

    def write(self, text: str) -> int:
        """Write ``text`` and remember that the answer went out."""
        self._written.append(True)
        return self._stream.write(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self._stream.flush()


def _main(
    argv: Sequence[str] | None,
    stdin: IO[str] | None,
    stdout: _Tracked,
    env: Mapping[str, str] | None,
) -> int:
    started = time.perf_counter()
    args = list(sys.argv[1:] if argv is None else argv)
    stdin = sys.stdin if stdin is None else stdin
    env = os.environ if env is None else env
    name = canonical_event(args[0]) if args else None
    if name is None:
        given = args[0] if args else "(none)"
        sys.stderr.write(
            f"agentguard hook: unknown event {given!r}; expected one of {', '.join(EVENTS)}."
            " Fix the hook command in .claude/settings.json (agentguard install).\n"
        )
        return 2
    invocation = Invocation(name, env)
    record = invocation.record
    outcome: Outcome
    budget.start(budget.seconds(env))
    try:
        invocation.read(stdin)
        outcome = HANDLERS[name](invocation)
        budget.stop()
    except budget.OverBudget as exc:
        budget.stop()
        record["error"] = str(exc)
        record["over_budget"] = True
        outcome = error_outcome(invocation, str(exc))
    except GuardError as exc:
        budget.stop()
        record["error"] = str(exc)
        outcome = error_outcome(invocation, str(exc))
    except RecursionError:
        # Every known deep input has its own limit with a clearer message; this is the
        # net under them, so it still answers (and writes no crash file).
        budget.stop()
        message = "the event or command is nested too deeply to judge"
        record["error"] = message
        outcome = error_outcome(invocation, message)
    except Exception as exc:
        budget.stop()
        message = f"internal error {type(exc).__name__}: {exc}"
        record["error"] = message
        crash = _crash_file(invocation.state_home(), exc)
        if crash:
            record["crash"] = crash
        outcome = error_outcome(invocation, message.splitlines()[0][:300])
    if name in ("PostToolUse", "PostToolUseFailure") and "error" in record:
        _lost(invocation, str(record["error"]))
    if observing(invocation):
        # A trial: the decision is computed and logged as what would have happened, and
        # Claude Code hears nothing, so it behaves as if agentguard were not installed.
        record["mode"] = "observe"
        record["would"] = output_kind(outcome.output)
        outcome.output = None
    if outcome.output is not None:
        stdout.write(wirejson.dumps(outcome.output))
        stdout.flush()
    write_log(invocation, outcome, started)
    return 0


def _lost(invocation: Invocation, message: str) -> None:
    """A post event that could not be handled may have hidden an edit: note it as lost.

    The Stop gate reads the note as an edit at this time (:mod:`agentguard.state.ledger`), so
    a failure here can only make every check run again, never let unverified work stop.
    """
    try:
        from agentguard.state import ledger

        sid = str(invocation.record.get("session") or "")
        kept = ledger.note_edit(invocation.state_home(), sid, message, invocation.env)
        invocation.record["unrecorded_kept"] = kept
    except Exception:  # the error path must answer; the Stop probe still fails closed
        invocation.record["unrecorded_kept"] = 0
