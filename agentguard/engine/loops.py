"""The loop cap's rules: who counts, what an attempt is, how many are allowed. Hot path.

Pure functions of the event and the policy: the hook's handlers (:mod:`agentguard.hook`)
and ``agentguard wrap`` (:mod:`agentguard.commands.wrap`) count with them, so both cap
the same thing the same way. Nothing here reads or writes state.
"""

from __future__ import annotations

from agentguard.claude import tools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

UNASSIGNED = "(unassigned)"
CLAUDE_CAP_ENV = "CLAUDE_CODE_STOP_HOOK_BLOCK_CAP"
# Claude Code overrides a Stop hook after 8 consecutive blocks (claude-code-hooks.md §7).
CLAUDE_CAP = 8
# A cap the policy leaves out (or sets to nonsense): three laps of the same failure.
DEFAULT_CAP = 3
# The tool_input fields naming what a non-Bash call acts on, most specific first.
SUBJECT_FIELDS = (*tools.PATH_FIELDS, "url", "pattern")


def agent_key(agent: str | None) -> str:
    """The counters' agent name for an identity (unassigned callers share one)."""
    return agent or UNASSIGNED


def subject_of(tool: str, tool_input: Any) -> str:
    """What an attempt is about: the command for Bash, else the path or URL it names."""
    if not isinstance(tool_input, dict):
        return ""
    if tool == "Bash":
        command = tool_input.get("command")
        return command if isinstance(command, str) else ""
    for field in SUBJECT_FIELDS:
        value = tool_input.get(field)
        if isinstance(value, str) and value:
            return value
    if tool.startswith("mcp__") or not tool_input:
        import json

        return json.dumps(tool_input, sort_keys=True, default=str)[:2000]
    return ""


def attempt_key(tool: str, subject: str) -> str:
    """The counters key of an attempt's failure record."""
    from agentguard.signature import subject_signature

    return "attempt:" + subject_signature(tool, subject)


def cap(policy: Mapping[str, Any], field: str) -> int:
    """The policy's ``loops.<field>`` (a positive integer), else :data:`DEFAULT_CAP`."""
    value = (policy.get("loops") or {}).get(field)
    return value if isinstance(value, int) and value > 0 else DEFAULT_CAP


def effective_stop_cap(policy: Mapping[str, Any], env: Mapping[str, str]) -> int:
    """``loops.stop_blocks``, but never above Claude Code's own cap (0 disables that cap)."""
    blocks = cap(policy, "stop_blocks")
    raw = env.get(CLAUDE_CAP_ENV)
    try:
        claude = int(raw) if raw not in (None, "") else CLAUDE_CAP
    except ValueError:
        claude = CLAUDE_CAP
    return min(blocks, claude) if claude > 0 else blocks


def event_cap(policy: Mapping[str, Any], event: str, env: Mapping[str, str]) -> int:
    """The cap on blocks of ``event``: the Stop cap for the Stop events, else ``same_failure``."""
    if event in ("Stop", "SubagentStop"):
        return effective_stop_cap(policy, env)
    return cap(policy, "same_failure")
