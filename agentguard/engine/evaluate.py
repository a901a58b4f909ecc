"""The PreToolUse decision for every tool. Hot path.

``evaluate`` turns one hook event and its :class:`agentguard.engine.call.Call` into an
:class:`Evaluation`; the wire output, the log line and ``agentguard explain`` all render
that one object. Bash lines go to :mod:`agentguard.engine.bash`, web calls to
:mod:`agentguard.engine.web`, each imported only for its own tools.
"""

from __future__ import annotations

import os

from agentguard.claude.tools import IDENTITY, NEUTRAL, READ, SEARCH, TOOLS, WRITE
from agentguard.decision import ALLOW, DENY, Evaluation, Match
from agentguard.engine import paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.engine.call import Call
    from agentguard.policy.compiled_types import CompiledToolClass

# A durable CronCreate (2.1.332) persists the job here: a write of .claude/, self-protected.
DURABLE_CRONS = os.path.join(".claude", "scheduled_tasks.json")
# Where Claude Code puts a subagent started with isolation: "worktree" (both versions):
# <project>/.claude/worktrees/agent-<agent_id>/. Ids are hex today; anything that could
# leave the folder (/, ..) is refused, so a forged id never names another place.
ISOLATION_DIR = os.path.join(".claude", "worktrees")
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _agent_id(value: str) -> bool:
    """1 to 64 of ``[A-Za-z0-9_-]``: an id that cannot leave the isolation folder.

    Without ``re`` (a Write would import it for this alone); like the ``$`` of the pattern
    it replaces, one trailing newline is allowed.
    """
    value = value[:-1] if value.endswith("\n") else value
    return 0 < len(value) <= 64 and _ID_CHARS.issuperset(value)


def _could_match(globs: list[str], name: str) -> bool:
    """Whether any fnmatch glob could match ``name``: its literal part before the first
    ``*``, ``?`` or ``[`` must start it. A Write is told apart from ``mcp__*`` this way
    without importing ``re`` (~5 ms under -S); the regex still decides what passes."""
    for glob in globs:
        cut = min((glob.find(c) for c in "*?[" if c in glob), default=-1)
        if name == glob if cut < 0 else name.startswith(glob[:cut]):
            return True
    return False


def _first_class(
    classes: list[CompiledToolClass], tool: str, source: str = ""
) -> CompiledToolClass | None:
    """The first class naming ``tool``; a class with ``sources`` also needs the server's."""
    for cls in classes:
        if not _could_match(cls["tools"], tool):
            continue
        import re  # only for a tool a class's glob may name (MCP tools, mostly)

        if not re.match(cls["tools_re"], tool):
            continue
        sources = cls.get("sources_re")
        if sources and not (source and re.match(sources, source)):
            continue
        return cls
    return None


def _class_match(cls: CompiledToolClass, tool: str, source: str = "") -> Match:
    return Match(
        cls["id"],
        cls["decision"],
        cls["justification"] or f"{cls['id']}: {cls['decision']}.",
        what=f"tool {tool}" + (f" (server source {source})" if source else ""),
        grant=cls["decision"] == ALLOW,
    )


def mcp_source(event: Mapping[str, Any]) -> str:
    """``mcp_server.source`` of an MCP call (Claude Code 2.1.332+), or ``""``."""
    server = event.get("mcp_server")
    if not isinstance(server, dict):
        return ""
    source = server.get("source")
    return source if isinstance(source, str) else ""


def bind_subagent(call: Call, event: Mapping[str, Any]) -> None:
    """Apply the event's subagent (``agent_type``, ``agent_id``) to the path context.

    The policy's sections for ``*`` and for the type restrict every call of the
    subagent; its own isolation worktree is ``.claude/worktrees/agent-<agent_id>/`` of the
    parent's worktree, and only the subagent whose id it carries gets it.
    """
    ctx = call.paths
    ctx.subagents = []
    ctx.subagent_tree = None
    kind = event.get("agent_type")
    agent_id = event.get("agent_id")
    if kind is not None and not isinstance(kind, str):
        raise ValueError("event field agent_type: expected a string")
    if agent_id is not None and not isinstance(agent_id, str):
        raise ValueError("event field agent_id: expected a string")
    sections = call.policy.get("subagents") or {}
    if kind:
        for name in ("*", kind):
            spec = sections.get(name)
            if spec is not None:
                ctx.subagents.append((kind, spec))
    if agent_id and _agent_id(agent_id):
        ctx.subagent_tree = os.path.join(ctx.worktree, ISOLATION_DIR, f"agent-{agent_id}")


def _subagent_tools(
    result: Evaluation, call: Call, tool: str, tool_input: Mapping[str, Any], source: str
) -> None:
    """Tool-level restrictions of the caller's subagent sections (never a grant)."""
    for kind, spec in call.paths.subagents:
        cls = _first_class(spec["tools"], tool, source)
        if cls is not None and cls["decision"] != ALLOW:
            result.add(_class_match(cls, tool, source))
        if not spec["read_only"]:
            continue
        writes = tool == "CronCreate"
        if tool.startswith("mcp__"):
            from agentguard.claude import mcp_args

            parent = _first_class(call.policy["mcp"], tool, source)
            declared = parent.get("arguments") if parent is not None else None
            writes = mcp_args.mode_for(tool, declared) == paths.WRITE
        if writes:
            result.add(
                Match(
                    "subagent",
                    DENY,
                    f"Subagents of type {kind!r} are read-only under this policy.",
                    what=f"tool {tool}",
                    fix="Report the change to the parent agent, which may make it.",
                )
            )


def evaluate(event: Mapping[str, Any], call: Call) -> Evaluation:
    """The PreToolUse evaluation of ``event``."""
    result = Evaluation(call.identity.agent)
    tool = event.get("tool_name")
    if not isinstance(tool, str) or not tool:
        raise ValueError("event field tool_name: missing or not a string")
    tool_input = event.get("tool_input")
    if tool_input is None:
        tool_input = {}
    if not isinstance(tool_input, dict):
        raise ValueError("event field tool_input: expected an object")
    policy = call.policy
    bind_subagent(call, event)
    if call.paths.subagents:
        _subagent_tools(result, call, tool, tool_input, mcp_source(event))

    custom = _first_class(policy["tools"], tool)
    if custom is not None:
        result.add(_class_match(custom, tool))

    kind, field = TOOLS.get(tool, ("", ""))
    if kind == WRITE:
        _file(result, call, tool_input, field, paths.WRITE, tool)
        if call.identity.conflict is not None:
            result.add(call.identity.conflict)
    elif kind == READ:
        _file(result, call, tool_input, field, paths.READ, tool)
    elif kind == SEARCH:
        where = tool_input.get(field) or call.cwd
        if not isinstance(where, str):
            raise ValueError(f"event field tool_input.{field}: expected a string")
        for match in paths.judge(where, paths.READ, call.cwd, call.paths):
            result.add(match)
        if tool == "Grep":
            from agentguard.engine import search

            # Grep reads the contents of everything it searches that its glob and type
            # select: the secrets directly in the folder, and whatever its glob names
            # (a glob overrides rg's skipping of hidden files).
            selection = search.Filter(rg=True, hidden=False)
            glob = tool_input.get("glob")
            if isinstance(glob, str) and glob:
                selection.rules.append((True, glob))
            file_type = tool_input.get("type")
            if isinstance(file_type, str) and file_type:
                selection.add_type(file_type, negated=False)
            for match in search.filtered_secrets(where, call.cwd, call.paths, selection):
                result.add(match)
    elif tool == "Bash":
        command = tool_input.get("command")
        if not isinstance(command, str):
            raise ValueError("event field tool_input.command: expected a string")
        _bash(result, call, command)
    elif tool == "WebFetch":
        from agentguard.engine import web

        web.fetch(result, policy, tool_input)
    elif tool == "WebSearch":
        from agentguard.engine import web

        web.search(result, policy)
    elif tool.startswith("mcp__"):
        source = mcp_source(event)
        cls = _first_class(policy["mcp"], tool, source)
        if cls is not None:
            result.add(_class_match(cls, tool, source))
        elif custom is None:
            _unknown(result, policy, tool)
        _mcp_paths(result, call, tool, tool_input, cls)
    elif tool == "ReadMcpResourceTool":
        _mcp_paths(result, call, tool, {"uri": tool_input.get("uri")}, None, paths.READ)
    elif tool == "Monitor":
        _monitor(result, call, tool_input)
    elif tool == "CronCreate" and tool_input.get("durable") is True:
        for match in paths.judge(DURABLE_CRONS, paths.WRITE, call.paths.worktree, call.paths):
            result.add(match)
        if custom is None:
            _unknown(result, policy, tool)
    elif kind == IDENTITY:
        result.add(
            Match(
                "identity",
                DENY,
                "Changing worktree changes the agent's identity; one agent works in one worktree.",
                what=f"tool {tool}",
                fix="Stay in your worktree; a human sets up worktrees (agentguard agents up).",
            )
        )
    elif kind != NEUTRAL and custom is None:
        _unknown(result, policy, tool)
    return result


def _mcp_paths(
    result: Evaluation,
    call: Call,
    tool: str,
    tool_input: Mapping[str, Any],
    cls: Mapping[str, Any] | None,
    mode: str | None = None,
) -> None:
    """The path judgement of Read/Write for every path an MCP call's arguments name."""
    from agentguard.claude import mcp_args

    declared = mode or (cls.get("arguments") if cls is not None else None)
    named = mcp_args.paths(tool, tool_input, mcp_args.mode_for(tool, declared))
    for where, raw, how in named:
        if "\0" in raw:
            raise ValueError(f"event field tool_input.{where}: contains a NUL byte")
        for match in paths.judge(raw, how, call.cwd, call.paths):
            match.what = f"{match.what} (argument {where} of {tool})"
            result.add(match)
    if any(how == paths.WRITE for _, _, how in named) and call.identity.conflict is not None:
        result.add(call.identity.conflict)


def _monitor(result: Evaluation, call: Call, tool_input: Mapping[str, Any]) -> None:
    """Monitor runs a shell command (each output line an event) or opens a WebSocket."""
    command = tool_input.get("command")
    ws = tool_input.get("ws")
    if command is None and ws is None:
        _unknown(result, call.policy, "Monitor")
        return
    if command is not None:
        if not isinstance(command, str):
            raise ValueError("event field tool_input.command: expected a string (Monitor)")
        _bash(result, call, command)
    if ws is not None:
        url = ws.get("url") if isinstance(ws, dict) else None
        if not isinstance(url, str):
            raise ValueError("event field tool_input.ws.url: expected a string (Monitor)")
        from agentguard.engine import web

        web.fetch(result, call.policy, {"url": url}, "Monitor WebSocket")


def _unknown(result: Evaluation, policy: Mapping[str, Any], tool: str) -> None:
    decision = policy["defaults"]["unknown_tool"]
    if decision != ALLOW:
        result.add(
            Match(
                "unknown-tool",
                decision,
                f"No rule covers the tool {tool}.",
                what=f"tool {tool}",
                fix="Add it to the policy's tools: or mcp: classes if it is expected.",
            )
        )


def _file(
    result: Evaluation,
    call: Call,
    tool_input: Mapping[str, Any],
    field: str,
    mode: str,
    tool: str,
) -> None:
    raw = tool_input.get(field)
    if not isinstance(raw, str) or not raw:
        raise ValueError(f"event field tool_input.{field}: missing or not a string ({tool})")
    if "\0" in raw:
        raise ValueError(f"event field tool_input.{field}: contains a NUL byte")
    for match in paths.judge(raw, mode, call.cwd, call.paths):
        result.add(match)


def _bash(result: Evaluation, call: Call, command: str) -> None:
    # The shell analyser is imported only for Bash calls.
    from agentguard.engine.bash import judge_command

    matches, privileged = judge_command(command, call)
    for match in matches:
        result.add(match)
    # A tools class that allows Bash, a grant from another part of the call: none of
    # them may wave through a command run as another user.
    result.withheld.extend(f"{text} runs as another user" for text in privileged)
    if call.identity.conflict is not None:
        result.add(call.identity.conflict)
