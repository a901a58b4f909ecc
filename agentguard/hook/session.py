"""One hook call: the event read from stdin, what was established about it, and its log
record. Hot path.

:class:`Invocation` carries the event and its log record through the handler;
:class:`Context` is what the post and stop handlers establish once (policy, agent,
worktree, checks); :class:`Outcome` is what a handler returns; :func:`write_log` turns
the three into the decision log's line.
"""

from __future__ import annotations

import os
import sys
import time

from agentguard import __version__, wirejson
from agentguard.decision import ALLOW, ASK
from agentguard.engine.loops import agent_key
from agentguard.errors import GuardError
from agentguard.policy import compiled
from agentguard.state import home as state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO, Any

    from agentguard.decision import Evaluation
    from agentguard.policy.compiled_types import CompiledPolicy

# Events whose answer is a permissionDecision (allow / ask / deny), not a block.
PERMISSION_EVENTS = ("PreToolUse", "PreSkillShellCommand")
MODE_ENV = "AGENTGUARD_MODE"
# Containers one hook event may nest (the event object is level 1). Claude Code's
# events are a few levels deep; an MCP tool's arguments rarely reach ten.
MAX_EVENT_DEPTH = 64
# Claude Code 2.1.332+ sets it to "0" in a session nobody attends (``-p``).
ATTENDED_ENV = "CLAUDE_CODE_SESSION_ATTENDED"
# ``cli`` for the interactive client, ``sdk-cli`` for ``-p`` (2.1.197 and 2.1.332).
ENTRYPOINT_ENV = "CLAUDE_CODE_ENTRYPOINT"


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


class Invocation:
    """The parsed event and what was established about it, shared by the handlers."""

    __slots__ = ("cwd", "env", "event", "files", "home", "name", "policy", "policy_key", "record")

    def __init__(self, name: str, env: Mapping[str, str]) -> None:
        self.name = name
        self.env = env
        now = time.time()  # one clock read: seconds and milliseconds must agree
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
        self.record: dict[str, Any] = {
            "ts": f"{stamp}.{int(now % 1 * 1000):03d}Z",
            "event": name,
            "version": __version__,
        }
        self.event: dict[str, Any] = {}
        self.cwd = ""
        self.home = ""
        self.files: list[str] = []
        self.policy: CompiledPolicy | None = None
        self.policy_key = ""

    def read(self, stream: IO[str]) -> None:
        """Read the event on ``stream`` and note in the record what it names."""
        self.event = event = read_event(stream, self.name)
        record = self.record
        self.cwd = str_field(event, "cwd") or cwd()
        record["session"] = str_field(event, "session_id")
        record["cwd"] = self.cwd
        tool = event.get("tool_name")
        if isinstance(tool, str):
            record["tool"] = tool
            from agentguard.redact import summarise

            record["input"] = summarise(tool, event.get("tool_input"))
        for key in ("tool_use_id", "agent_id", "agent_type", "prompt_id"):
            if isinstance(event.get(key), str):
                record[key] = event[key]
        if self.name in ("Stop", "SubagentStop") and isinstance(event.get("transcript_path"), str):
            # Once per turn: `agentguard metrics` reads the model from the transcript.
            record["transcript"] = event["transcript_path"]
        server = event.get("mcp_server")
        if isinstance(server, dict):
            # Where the MCP server was configured: what trust keys on (2.1.332+).
            record["mcp_server"] = {
                k: str(server[k])[:200] for k in ("name", "source") if k in server
            }
        self.home = state.home(self.cwd, self.env)

    def state_home(self) -> str:
        """The state folder, found again when the call failed before it was established."""
        return self.home or state.home(self.cwd or cwd(), self.env)

    def load_policy(self) -> CompiledPolicy:
        """Discover and load the compiled policy (cached)."""
        self.files = compiled.discover(self.cwd, self.env)
        loaded = compiled.load(self.files, self.home)
        self.policy = loaded.data
        self.policy_key = loaded.key
        self.record["policy"] = loaded.key
        return loaded.data


class Context:
    """What the post/stop handlers establish once: policy, agent, worktree, event."""

    __slots__ = (
        "agent",
        "checks",
        "env",
        "event",
        "home",
        "key",
        "policy",
        "session",
        "worktree",
    )

    def __init__(self, invocation: Invocation) -> None:
        from agentguard.engine.identity import identify

        policy = invocation.load_policy()
        identity = identify(policy, invocation.cwd, invocation.env, invocation.files)
        invocation.record["agent"] = identity.agent
        invocation.record["identity"] = identity.source
        self.policy = policy
        self.agent = identity.agent
        self.key = agent_key(identity.agent)
        self.worktree = identity.worktree
        self.home = invocation.home
        self.event = invocation.event
        self.session = str(invocation.record.get("session") or "")
        self.env = invocation.env
        spec = policy["agents"].get(identity.agent) if identity.agent else None
        names = list(spec.get("checks") or []) if spec else []
        self.checks: dict[str, str] = {}
        for name in names:
            check: Mapping[str, Any] = policy["checks"].get(name) or {}
            self.checks[name] = str(check.get("run") or name)


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
        event = wirejson.loads(raw)
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


def cwd() -> str:
    """The process's working folder, or ``/`` when it was deleted under us (getcwd raises)."""
    try:
        return os.getcwd()
    except OSError:
        return "/"


def str_field(event: Mapping[str, Any], field: str) -> str:
    """The event's string ``field`` (``""`` when absent); :class:`GuardError` for a non-string."""
    value = event.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise GuardError(f"event field {field}: expected a string, got {type(value).__name__}")
    return value


def subagent_of(event: Mapping[str, Any]) -> str | None:
    """The event's ``agent_id`` (a subagent's call), or None for the main agent's."""
    value = event.get("agent_id")
    return value if isinstance(value, str) and value else None


def observing(invocation: Invocation) -> bool:
    """Whether this call only observes: ``AGENTGUARD_MODE``, else the policy's ``defaults.mode``.

    The environment wins both ways (``observe`` for a trial of a policy that enforces,
    ``enforce`` to try enforcement of one that observes); the agent cannot set it, since
    the hook's environment is Claude Code's own.
    """
    mode = invocation.env.get(MODE_ENV)
    if mode in ("observe", "enforce"):
        return mode == "observe"
    if invocation.policy is not None:
        return bool(invocation.policy["defaults"].get("mode") == "observe")
    return False


def write_log(invocation: Invocation, outcome: Outcome, started: float) -> None:
    """Complete the call's record with its outcome and append it to the decision log."""
    from agentguard.redact import env_secrets
    from agentguard.state import log

    record = invocation.record
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
        if invocation.name in PERMISSION_EVENTS and record.get("mode") != "observe":
            by = decided_by(invocation.name, evaluation, invocation.env)
            if by:
                record["decided_by"] = by
    record["output"] = output_kind(outcome.output)
    record.update(outcome.extra)
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
    try:
        # The policy's own secret variables are hidden too, as the built-in names are.
        policy = invocation.policy
        listed = (policy.get("secrets") or {}).get("variables", []) if policy else []
        log.append(invocation.state_home(), record, secrets=env_secrets(invocation.env, listed))
    except OSError as exc:
        # The decision already went out; a lost log line must at least be visible.
        sys.stderr.write(f"agentguard: could not write the decision log: {exc}\n")


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


def output_kind(output: dict[str, Any] | None) -> str:
    """How the log names a wire output: its permission decision, ``block``, ``context``…"""
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
