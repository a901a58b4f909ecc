"""Render an evaluation as exactly what Claude Code parses. Hot path.

One JSON object on stdout, or nothing. Decisions live inside
``hookSpecificOutput`` with the firing ``hookEventName``: a top-level
``permissionDecision`` is silently ignored by Claude Code (issue #4669), and a
missing ``hookEventName`` voids the whole output (issue #18312). No opinion is
an empty stdout, never ``allow``: an allow skips the user's own prompt.
"""

from __future__ import annotations

from agentguard.decision import ALLOW, ASK, DENY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Claude Code caps reasons and context at 10,000 characters and persists longer
# text to a file the model may never open; stay well under.
MAX_TEXT = 4000


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    if len(text) <= limit:
        return text
    return text[: limit - 15] + " … [truncated]"


def pre_tool_use(
    decision: str, explicit: bool, reason: str, event: str = "PreToolUse"
) -> dict[str, Any] | None:
    """PreToolUse output for a decision, or None for no opinion.

    PreSkillShellCommand (2.1.332+) takes the same shape under its own ``hookEventName``.
    """
    if decision == ALLOW and not explicit:
        return None
    if decision not in (ALLOW, ASK, DENY):
        raise ValueError(f"not a decision: {decision!r}")
    out: dict[str, Any] = {"hookEventName": event, "permissionDecision": decision}
    if reason:
        out["permissionDecisionReason"] = clip(reason)
    return {"hookSpecificOutput": out}


def block(reason: str, event: str, context: str = "", system_message: str = "") -> dict[str, Any]:
    """A ``decision: block`` for PostToolUse, PostToolUseFailure, Stop and SubagentStop."""
    out: dict[str, Any] = {"decision": "block", "reason": clip(reason)}
    if context:
        out["hookSpecificOutput"] = {"hookEventName": event, "additionalContext": clip(context)}
    if system_message:
        out["systemMessage"] = clip(system_message)
    return out


def context(event: str, text: str, system_message: str = "") -> dict[str, Any]:
    """Extra context for the model (and optionally a message for the human)."""
    out: dict[str, Any] = {
        "hookSpecificOutput": {"hookEventName": event, "additionalContext": clip(text)}
    }
    if system_message:
        out["systemMessage"] = clip(system_message)
    return out


def message(text: str) -> dict[str, Any]:
    """A message shown to the human only (never to the model)."""
    return {"systemMessage": clip(text)}
