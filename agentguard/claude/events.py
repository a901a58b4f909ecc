"""JSON Schemas of the hook events agentguard handles, and their validation. Cold path.

The hook itself only checks the fields it reads (it must stay on the standard
library); these schemas serve ``agentguard explain`` on a captured event and the
tests that capture real payloads from the Claude Code binary, so that a change in
the protocol shows up as a failing test rather than as a silent misjudgement.
Fields are those of claude-code-hooks.md section 3; unknown fields are allowed,
because Claude Code adds fields between versions.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from agentguard.claude.tools import READ, SEARCH, TOOLS, WRITE

_STRING = {"type": "string"}
_COMMON = {
    "session_id": {"type": "string", "minLength": 1},
    "transcript_path": _STRING,
    "cwd": {"type": "string", "minLength": 1},
    "permission_mode": {
        "enum": ["default", "acceptEdits", "plan", "dontAsk", "bypassPermissions", "auto"]
    },
    "prompt_id": _STRING,
    "agent_id": _STRING,
    "agent_type": _STRING,
}
# On mcp__* tools (2.1.332+): the server and where it was configured; ``source`` is an
# open set (sdk, plugin, user, project, local, dynamic, managed, enterprise, claudeai, agent).
_MCP_SERVER = {
    "type": "object",
    "properties": {"name": _STRING, "source": _STRING},
    "required": ["name", "source"],
}
_TOOL = {
    "tool_name": {"type": "string", "minLength": 1},
    "tool_input": {"type": "object"},
    "tool_use_id": _STRING,
    "mcp_server": _MCP_SERVER,
}
# A shell command embedded in a skill or slash command (`` !`cmd` ``), 2.1.332+.
_SKILL_SHELL = {
    "tool_name": {"type": "string", "minLength": 1},
    "tool_input": {
        "type": "object",
        "properties": {"command": _STRING},
        "required": ["command"],
    },
    "tool_use_id": _STRING,
    "command_name": _STRING,
    "command_source": _STRING,
    "invoked_by": {"enum": ["user", "claude", "other"]},
}
_STOP = {
    "stop_hook_active": {"type": "boolean"},
    "last_assistant_message": {"type": ["string", "null"]},
    "background_tasks": {"type": "array"},
    "session_crons": {"type": "array"},
}


def _event(name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Claude Code {name} hook input",
        "type": "object",
        "properties": {"hook_event_name": {"const": name}, **_COMMON, **properties},
        "required": ["hook_event_name", "session_id", "cwd", *required],
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "PreToolUse": _event("PreToolUse", _TOOL, ["tool_name", "tool_input"]),
    "PostToolUse": _event(
        "PostToolUse",
        {**_TOOL, "tool_response": {}, "duration_ms": {"type": "number"}},
        ["tool_name", "tool_input", "tool_response"],
    ),
    "PostToolUseFailure": _event(
        "PostToolUseFailure",
        {
            **_TOOL,
            "error": _STRING,
            "is_interrupt": {"type": "boolean"},
            "duration_ms": {"type": "number"},
        },
        ["tool_name", "tool_input", "error"],
    ),
    "Stop": _event("Stop", _STOP, ["stop_hook_active"]),
    "SubagentStop": _event(
        "SubagentStop",
        {**_STOP, "agent_transcript_path": _STRING},
        ["stop_hook_active", "agent_id"],
    ),
    "PreSkillShellCommand": _event(
        "PreSkillShellCommand", _SKILL_SHELL, ["tool_name", "tool_input", "command_name"]
    ),
}
# The tool inputs agentguard reads, by tool (claude-code-hooks.md section 9). A path
# is a non-empty string without NUL (no file system accepts one; the hook refuses it).
_PATH = {"type": "string", "minLength": 1, "pattern": "^[^\\x00]*$"}
# Write and read tools need their path field; a search's path is optional (default: cwd).
TOOL_INPUTS: dict[str, dict[str, Any]] = {
    **{
        tool: {"required": [field], "properties": {field: _PATH}}
        for tool, (kind, field) in TOOLS.items()
        if kind in (WRITE, READ)
    },
    **{
        tool: {"properties": {field: _PATH}}
        for tool, (kind, field) in TOOLS.items()
        if kind == SEARCH
    },
    "Bash": {"required": ["command"], "properties": {"command": _STRING}},
    "WebFetch": {"required": ["url"], "properties": {"url": _STRING}},
    "Monitor": {
        "properties": {
            "command": _STRING,
            "ws": {"type": "object", "properties": {"url": _STRING}},
        }
    },
}


def _where(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "event" + "".join(parts)


def problems(event: Any) -> list[str]:
    """Every way ``event`` departs from the hook protocol, as ``event.field: message``."""
    if not isinstance(event, dict):
        return [f"event: expected a JSON object, got {type(event).__name__}"]
    name = event.get("hook_event_name")
    schema = SCHEMAS.get(name) if isinstance(name, str) else None
    if schema is None:
        known = ", ".join(SCHEMAS)
        return [f"event.hook_event_name: {name!r} is not an event agentguard handles ({known})"]
    validator = jsonschema.Draft202012Validator(schema)
    out = [
        f"{_where(e.absolute_path)}: {e.message}"
        for e in sorted(validator.iter_errors(event), key=lambda e: list(e.absolute_path))
    ]
    tool = event.get("tool_name")
    tool_input = event.get("tool_input")
    if isinstance(tool, str) and tool in TOOL_INPUTS and isinstance(tool_input, dict):
        inner = jsonschema.Draft202012Validator({"type": "object", **TOOL_INPUTS[tool]})
        out += [
            f"event.tool_input{''.join(f'.{p}' for p in e.absolute_path)}: {e.message}"
            for e in inner.iter_errors(tool_input)
        ]
    return out
