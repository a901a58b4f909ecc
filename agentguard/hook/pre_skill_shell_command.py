"""PreSkillShellCommand: judge a shell command a skill or slash command embeds. Hot path."""

from __future__ import annotations

from agentguard.claude import wire
from agentguard.errors import GuardError
from agentguard.hook.pre_tool_use import judge
from agentguard.hook.session import Outcome

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentguard.hook.session import Invocation


def pre_skill_shell_command(invocation: Invocation) -> Outcome:
    """Judge a shell command a skill or slash command embeds (`` !`cmd` ``) before it runs.

    Claude Code 2.1.332+ runs these with no PreToolUse; the command is judged exactly
    like a Bash call, whatever ``tool_name`` the event carries, so a skill cannot reach
    through another door what a Bash call may not do.
    """
    event = invocation.event
    tool_input = event.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if not isinstance(command, str):
        raise GuardError("event field tool_input.command: missing or not a string")
    for key in ("command_name", "command_source", "invoked_by"):
        if isinstance(event.get(key), str):
            invocation.record[key] = event[key]
    bash: dict[str, Any] = {"tool_name": "Bash", "tool_input": {"command": command}}
    for key in ("agent_id", "agent_type"):
        if key in event:
            bash[key] = event[key]  # a subagent's skill is judged under its own rules
    evaluation, _call = judge(invocation, bash)
    reason = evaluation.reason()
    output = wire.pre_tool_use(
        evaluation.decision, evaluation.explicit, reason, "PreSkillShellCommand"
    )
    return Outcome(output, evaluation)
