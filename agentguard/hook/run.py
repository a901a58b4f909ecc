"""``agentguard hook <Event>``: read one event on stdin, decide, print, log. Hot path.

The one error handler of the hook lives here. Claude Code runs the tool when a
hook crashes, exits 1, times out or prints bad JSON, so this function never
does any of those: every failure becomes the policy's ``on_error`` decision,
rendered as valid output with a one-line reason, and is logged (with a crash
file holding the traceback for an unexpected exception). The exit code is
always 0, except 2 for a hook registered under an event name we do not know.
"""

from __future__ import annotations

import json
import os
import sys
import time

from agentguard import __version__, budget
from agentguard.claude import wire
from agentguard.decision import ALLOW, ASK, DENY, Evaluation, Match
from agentguard.policy import compiled
from agentguard.policy.compiled import GuardError
from agentguard.state import home as state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import IO, Any

    from agentguard.engine.evaluate import Call
    from agentguard.policy.compiled_types import CompiledPolicy

EVENTS = (
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "Stop",
    "SubagentStop",
    "PreSkillShellCommand",
)
# Events whose answer is a permissionDecision (allow / ask / deny), not a block.
PERMISSION_EVENTS = ("PreToolUse", "PreSkillShellCommand")
ON_ERROR_ENV = "AGENTGUARD_ON_ERROR"
MODE_ENV = "AGENTGUARD_MODE"
# Containers one hook event may nest (the event object is level 1). Claude Code's
# events are a few levels deep; an MCP tool's arguments rarely reach ten.
MAX_EVENT_DEPTH = 64


def canonical_event(name: str) -> str | None:
    """``PreToolUse``, ``pre-tool-use`` and ``pre_tool_use`` all name PreToolUse."""
    folded = name.replace("-", "").replace("_", "").lower()
    for event in EVENTS:
        if event.lower() == folded:
            return event
    return None


class Outcome:
    """What one hook call produced: its wire output and what the log records."""

    __slots__ = ("evaluation", "extra", "output")

    def __init__(
        self,
        output: dict[str, Any] | None,
        evaluation: Evaluation | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.output = output
        self.evaluation = evaluation
        self.extra = extra or {}


class Session:
    """The parsed event and what was established about it, shared by the handlers."""

    __slots__ = ("cwd", "env", "event", "files", "home", "name", "policy", "policy_key", "record")

    def __init__(self, name: str, env: Mapping[str, str], record: dict[str, Any]) -> None:
        self.name = name
        self.env = env
        self.record = record
        self.event: dict[str, Any] = {}
        self.cwd = ""
        self.home = ""
        self.files: list[str] = []
        self.policy: CompiledPolicy | None = None
        self.policy_key = ""

    def load_policy(self) -> CompiledPolicy:
        """Discover and load the compiled policy (cached)."""
        self.files = compiled.discover(self.cwd, self.env)
        loaded = compiled.load(self.files, self.home)
        self.policy = loaded.data
        self.policy_key = loaded.key
        self.record["policy"] = loaded.key
        return loaded.data


def read_event(stream: IO[str], expected: str) -> dict[str, Any]:
    """The event object on ``stream``; :class:`GuardError` with a clear line otherwise."""
    buffer = getattr(stream, "buffer", None)
    try:
        raw: bytes | str = buffer.read() if buffer is not None else stream.read()
    except (OSError, ValueError) as exc:
        raise GuardError(f"cannot read the hook event on stdin: {exc}") from None
    if not raw or not raw.strip():
        raise GuardError("stdin is empty: expected the hook event JSON from Claude Code")
    try:
        event = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GuardError(f"stdin is not valid JSON ({exc}); expected the hook event") from None
    except RecursionError:
        # The stdlib parser recurses once per level: thousands of ``[`` exhaust it.
        raise GuardError(_too_deep()) from None
    if not isinstance(event, dict):
        raise GuardError(f"stdin holds a JSON {type(event).__name__}; expected the event object")
    if not _shallow(event, MAX_EVENT_DEPTH):
        raise GuardError(_too_deep())
    named = event.get("hook_event_name")
    if named is not None and named != expected:
        raise GuardError(
            f"event field hook_event_name is {named!r} but this hook is registered for"
            f" {expected}; fix .claude/settings.json (run `agentguard install`)"
        )
    return event


def _too_deep() -> str:
    return (
        f"the hook event JSON nests more than {MAX_EVENT_DEPTH} levels deep; agentguard"
        " does not judge it (no tool's input is that deep)"
    )


def _shallow(value: object, limit: int) -> bool:
    """Whether ``value`` nests at most ``limit`` containers deep (an explicit stack:
    the code that walks a tool's input later may recurse)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        children = list(item.values()) if isinstance(item, dict) else item
        if isinstance(children, list):
            stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return True


def _cwd() -> str:
    """The process's working folder, or ``/`` when it was deleted under us (getcwd raises)."""
    try:
        return os.getcwd()
    except OSError:
        return "/"


def _str_field(event: Mapping[str, Any], field: str) -> str:
    value = event.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise GuardError(f"event field {field}: expected a string, got {type(value).__name__}")
    return value


def _judge(session: Session, event: Mapping[str, Any]) -> tuple[Evaluation, Call]:
    """Load the policy, establish who is calling, and judge ``event`` as a tool call."""
    from agentguard.engine import evaluate as gate

    policy = session.load_policy()
    call = gate.prepare(policy, session.files, session.cwd, session.env, session.home)
    session.record["agent"] = call.identity.agent
    session.record["identity"] = call.identity.source
    if call.identity.branch:
        session.record["branch"] = call.identity.branch  # exported as vcs.ref.head.name
    try:
        return gate.evaluate(event, call), call
    except ValueError as exc:
        raise GuardError(str(exc)) from None


def pre_tool_use(session: Session) -> Outcome:
    """Judge a tool call before it runs."""
    evaluation, call = _judge(session, session.event)
    from agentguard.hook.loops import pre_tool_matches

    for match in pre_tool_matches(session, call):
        evaluation.add(match)
    if observing(session):
        # Observing, every call runs (a would-be deny too) and no dialog opens: each gets a
        # marker, and none claims a human answered.
        _remember(session, "observe")
    elif evaluation.decision != DENY:
        _remember(session, evaluation.decision)
    output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
    return Outcome(output, evaluation)


def _remember(session: Session, decision: str) -> None:
    """Leave the marker that binds this call's PostToolUse to it (:mod:`agentguard.state.seen`).

    A denied call never runs, so it gets none: a post event for it is forged. A marker
    that cannot be written costs the call its evidence (its checks are not credited),
    never the call itself. The marker keeps ``decision``, so that the PostToolUse of an
    asked call can record the human's approval.
    """
    event = session.event
    tool_use_id = event.get("tool_use_id")
    tool = event.get("tool_name")
    if not isinstance(tool_use_id, str) or not tool_use_id or not isinstance(tool, str):
        return
    from agentguard.hook.loops import subject_of
    from agentguard.state import seen

    bound_to = seen.digest(tool, subject_of(tool, event.get("tool_input")))
    sid = str(session.record.get("session") or "")
    try:
        seen.note(session.home, sid, tool_use_id, bound_to, decision)
    except OSError as exc:
        from agentguard.state import ledger

        # Kept elsewhere, so that the failure this call may report is still counted.
        env = session.env
        kept = ledger.note_seen(session.home, sid, tool_use_id, bound_to, env, decision)
        session.record["seen"] = f"unrecorded (kept: {kept}): {exc}"[:300]


def pre_skill_shell_command(session: Session) -> Outcome:
    """Judge a shell command a skill or slash command embeds (`` !`cmd` ``) before it runs.

    Claude Code 2.1.332+ runs these with no PreToolUse; the command is judged exactly
    like a Bash call, whatever ``tool_name`` the event carries, so a skill cannot reach
    through another door what a Bash call may not do.
    """
    event = session.event
    tool_input = event.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if not isinstance(command, str):
        raise GuardError("event field tool_input.command: missing or not a string")
    for key in ("command_name", "command_source", "invoked_by"):
        if isinstance(event.get(key), str):
            session.record[key] = event[key]
    bash: dict[str, Any] = {"tool_name": "Bash", "tool_input": {"command": command}}
    for key in ("agent_id", "agent_type"):
        if key in event:
            bash[key] = event[key]  # a subagent's skill is judged under its own rules
    evaluation, _call = _judge(session, bash)
    reason = evaluation.reason()
    output = wire.pre_tool_use(
        evaluation.decision, evaluation.explicit, reason, "PreSkillShellCommand"
    )
    return Outcome(output, evaluation)


def _loops(name: str) -> Callable[[Session], Outcome]:
    """A handler of :mod:`agentguard.hook.loops`, imported only when its event fires."""

    def handler(session: Session) -> Outcome:
        from agentguard.hook import loops

        result: Outcome = getattr(loops, name)(session)
        return result

    handler.__name__ = name
    return handler


HANDLERS: dict[str, Callable[[Session], Outcome]] = {
    "PreToolUse": pre_tool_use,
    "PostToolUse": _loops("post_tool_use"),
    "PostToolUseFailure": _loops("post_tool_use_failure"),
    "Stop": _loops("stop"),
    "SubagentStop": _loops("stop"),
    "PreSkillShellCommand": pre_skill_shell_command,
}


def observing(session: Session) -> bool:
    """Whether this call only observes: ``AGENTGUARD_MODE``, else the policy's ``defaults.mode``.

    The environment wins both ways (``observe`` for a trial of a policy that enforces,
    ``enforce`` to try enforcement of one that observes); the agent cannot set it, since
    the hook's environment is Claude Code's own.
    """
    mode = session.env.get(MODE_ENV)
    if mode in ("observe", "enforce"):
        return mode == "observe"
    if session.policy is not None:
        return bool(session.policy["defaults"].get("mode") == "observe")
    return False


def on_error_decision(session: Session) -> str:
    """The decision for a failure of the guard: the policy's, else the env's, else deny."""
    if session.policy is not None:
        return str(session.policy["defaults"]["on_error"])
    value = session.env.get(ON_ERROR_ENV, DENY)
    return value if value in ("allow", "ask", "deny") else DENY


def error_outcome(session: Session, message: str) -> Outcome:
    """The ``on_error`` decision for ``message``, rendered for the event."""
    decision = on_error_decision(session)
    evaluation = Evaluation(session.record.get("agent"))
    match = Match(
        "on-error",
        decision,
        f"agentguard could not evaluate this call: {message.rstrip('.')}.",
        fix="A human should check the policy and the agentguard logs (agentguard logs).",
    )
    evaluation.add(match)
    if decision == ALLOW:
        return Outcome(None, evaluation)
    name = session.name
    reason = evaluation.reason()
    if name in PERMISSION_EVENTS:
        return Outcome(wire.pre_tool_use(decision, False, reason, name), evaluation)
    if name in ("Stop", "SubagentStop") and session.event.get("stop_hook_active"):
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
            out.write(json.dumps(wire.pre_tool_use(decision, False, reason, name)))
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
        log.append(state.home(_cwd(), env), record)
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
    now = time.time()  # one clock read: seconds and milliseconds must agree
    record: dict[str, Any] = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
        "event": name,
        "version": __version__,
    }
    session = Session(name, env, record)
    outcome: Outcome
    budget.start(budget.seconds(env))
    try:
        session.event = read_event(stdin, name)
        event = session.event
        session.cwd = _str_field(event, "cwd") or _cwd()
        record["session"] = _str_field(event, "session_id")
        record["cwd"] = session.cwd
        tool = event.get("tool_name")
        if isinstance(tool, str):
            record["tool"] = tool
            from agentguard.redact import summarise

            record["input"] = summarise(tool, event.get("tool_input"))
        for key in ("tool_use_id", "agent_id", "agent_type", "prompt_id"):
            if isinstance(event.get(key), str):
                record[key] = event[key]
        if name in ("Stop", "SubagentStop") and isinstance(event.get("transcript_path"), str):
            # Once per turn: `agentguard metrics` reads the model from the transcript.
            record["transcript"] = event["transcript_path"]
        server = event.get("mcp_server")
        if isinstance(server, dict):
            # Where the MCP server was configured: what trust keys on (2.1.332+).
            record["mcp_server"] = {
                k: str(server[k])[:200] for k in ("name", "source") if k in server
            }
        session.home = state.home(session.cwd, env)
        outcome = HANDLERS[name](session)
        budget.stop()
    except budget.OverBudget as exc:
        budget.stop()
        record["error"] = str(exc)
        record["over_budget"] = True
        outcome = error_outcome(session, str(exc))
    except GuardError as exc:
        budget.stop()
        record["error"] = str(exc)
        outcome = error_outcome(session, str(exc))
    except RecursionError:
        # Every known deep input has its own limit with a clearer message; this is the
        # net under them, so it still answers (and writes no crash file).
        budget.stop()
        message = "the event or command is nested too deeply to judge"
        record["error"] = message
        outcome = error_outcome(session, message)
    except Exception as exc:
        budget.stop()
        message = f"internal error {type(exc).__name__}: {exc}"
        record["error"] = message
        home = session.home or state.home(session.cwd or _cwd(), env)
        crash = _crash_file(home, exc)
        if crash:
            record["crash"] = crash
        outcome = error_outcome(session, message.splitlines()[0][:300])
    if name in ("PostToolUse", "PostToolUseFailure") and "error" in record:
        _lost(session, str(record["error"]))
    if observing(session):
        # A trial: the decision is computed and logged as what would have happened, and
        # Claude Code hears nothing, so it behaves as if agentguard were not installed.
        record["mode"] = "observe"
        record["would"] = _output_kind(outcome.output)
        outcome.output = None
    if outcome.output is not None:
        stdout.write(json.dumps(outcome.output))
        stdout.flush()
    _log(session, outcome, started)
    return 0


def _lost(session: Session, message: str) -> None:
    """A post event that could not be handled may have hidden an edit: note it as lost.

    The Stop gate reads the note as an edit at this time (:mod:`agentguard.state.ledger`), so
    a failure here can only make every check run again, never let unverified work stop.
    """
    try:
        from agentguard.state import ledger

        home = session.home or state.home(session.cwd or _cwd(), session.env)
        sid = str(session.record.get("session") or "")
        session.record["unrecorded_kept"] = ledger.note_edit(home, sid, message, session.env)
    except Exception:  # the error path must answer; the Stop probe still fails closed
        session.record["unrecorded_kept"] = 0


def _log(session: Session, outcome: Outcome, started: float) -> None:
    from agentguard.redact import env_secrets
    from agentguard.state import log

    record = session.record
    evaluation = outcome.evaluation
    if evaluation is not None:
        record["decision"] = evaluation.decision
        record["explicit"] = evaluation.explicit
        if evaluation.withheld:
            record["withheld"] = list(evaluation.withheld)
        record["rules"] = [m.rule for m in evaluation.matches]
        record["matches"] = [m.as_dict() for m in evaluation.matches]
        if evaluation.matches:
            record["reason"] = evaluation.reason()
        if session.name in PERMISSION_EVENTS and record.get("mode") != "observe":
            by = decided_by(session.name, evaluation, session.env)
            if by:
                record["decided_by"] = by
    record["output"] = _output_kind(outcome.output)
    record.update(outcome.extra)
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
    try:
        home = session.home or state.home(session.cwd or _cwd(), session.env)
        log.append(home, record, secrets=env_secrets(session.env))
    except OSError as exc:
        # The decision already went out; a lost log line must at least be visible.
        sys.stderr.write(f"agentguard: could not write the decision log: {exc}\n")


# Claude Code 2.1.332+ sets it to "0" in a session nobody attends (``-p``).
ATTENDED_ENV = "CLAUDE_CODE_SESSION_ATTENDED"
# ``cli`` for the interactive client, ``sdk-cli`` for ``-p`` (2.1.197 and 2.1.332).
ENTRYPOINT_ENV = "CLAUDE_CODE_ENTRYPOINT"


def decided_by(name: str, evaluation: Evaluation, env: Mapping[str, str]) -> str:
    """Who decides the call: ``rule``, ``hook`` or ``human``; ``""`` when agentguard did not.

    - ``rule``: a policy rule's allow or deny is final. So is an ``ask`` nobody can
      answer: a skill's shell command (PreSkillShellCommand runs no dialog) or a ``-p``
      session (entry point ``sdk-cli``, or ``CLAUDE_CODE_SESSION_ATTENDED=0``), where
      ``ask`` acts as ``deny``.
    - ``hook``: agentguard could not evaluate the call and its ``on_error`` decided.
    - ``human``: ``ask`` shows Claude Code's permission dialog; the PostToolUse of the
      call records the approval (:func:`agentguard.state.seen.answer`).
    - ``""``: a silent allow; Claude Code's own permissions decide.
    """
    decision = evaluation.decision
    if decision == ALLOW and not evaluation.explicit:
        return ""
    if all(m.rule == "on-error" for m in evaluation.deciding()):
        return "human" if decision == ASK and _attended(name, env) else "hook"
    if decision == ASK:
        return "human" if _attended(name, env) else "rule"
    return "rule"


def _attended(name: str, env: Mapping[str, str]) -> bool:
    """Whether an ``ask`` of event ``name`` reaches a human's permission dialog."""
    if name != "PreToolUse":
        return False
    return env.get(ATTENDED_ENV) != "0" and env.get(ENTRYPOINT_ENV) != "sdk-cli"


def _output_kind(output: dict[str, Any] | None) -> str:
    if output is None:
        return "none"
    specific = output.get("hookSpecificOutput") or {}
    if "permissionDecision" in specific:
        return str(specific["permissionDecision"])
    if output.get("decision") == "block":
        return "block"
    if "additionalContext" in specific:
        return "context"
    return "message"
