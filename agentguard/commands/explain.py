"""``agentguard explain``: the decision for one call, and every rule behind it.

    agentguard explain event.json               # a captured hook event (or - for stdin)
    agentguard explain --agent search --tool Write --path src/content/config.ts
    agentguard explain --agent search -- git push --force origin HEAD

It runs the very code the hook runs (same compiled policy, same identity and
path judgement), so what it prints is what Claude Code would have been told.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Sequence
from typing import Any

from agentguard import compiled, gate, state, wire
from agentguard.compiled import GuardError
from agentguard.decision import Evaluation


def build_event(args: argparse.Namespace, cwd: str) -> dict[str, Any]:
    """A PreToolUse event from command-line options."""
    if args.event:
        if args.event == "-":
            text = sys.stdin.read()
        else:
            with open(args.event, encoding="utf-8") as fh:
                text = fh.read()
        event = json.loads(text)
        from agentguard.events import problems

        found = problems(event)
        if found:
            # A captured event that departs from the protocol is worth saying so, even
            # when the guard can still judge it (the hook would apply on_error if not).
            for problem in found:
                print(f"{args.event}: {problem}", file=sys.stderr)
        if not isinstance(event, dict):
            raise GuardError(f"{args.event}: expected a JSON object (a hook event)")
        if event.get("hook_event_name", "PreToolUse") != "PreToolUse":
            raise GuardError(
                f"{args.event}: explain judges PreToolUse events; this is"
                f" {event.get('hook_event_name')!r} (see `agentguard logs timeline`)"
            )
        return event
    tool_input: dict[str, Any] = {}
    tool = args.tool
    if args.command:
        tool = tool or "Bash"
        tool_input["command"] = (
            shlex.join(args.command) if len(args.command) > 1 else args.command[0]
        )
    if args.path:
        tool = tool or "Write"
        key = "notebook_path" if tool == "NotebookEdit" else "file_path"
        if tool in gate.SEARCH_TOOLS:
            key = "path"
        tool_input[key] = args.path
    if args.url:
        tool = tool or "WebFetch"
        tool_input["url"] = args.url
    if not tool:
        raise GuardError("say what to explain: an event file, --tool/--path/--url, or -- COMMAND")
    return {
        "hook_event_name": "PreToolUse",
        "session_id": "explain",
        "cwd": cwd,
        "tool_name": tool,
        "tool_input": tool_input,
    }


def explain(event: dict[str, Any], env: dict[str, str]) -> tuple[Evaluation, gate.Call]:
    """Evaluate ``event`` exactly as the hook would."""
    cwd = str(event.get("cwd") or os.getcwd())
    home = state.home(cwd, env)
    files = compiled.discover(cwd, env)
    policy = compiled.load(files, home).data
    call = gate.prepare(policy, files, cwd, env, home)
    return gate.evaluate(event, call), call


def render_text(event: dict[str, Any], evaluation: Evaluation, call: gate.Call) -> str:
    """The human-readable explanation."""
    ident = call.identity
    lines = [
        f"policy:   {', '.join(call.policy_files)}",
        f"agent:    {ident.agent or '(unassigned)'} (from {ident.source};"
        f" branch {ident.branch or '-'}; worktree {ident.worktree})",
        f"tool:     {event.get('tool_name')} {json.dumps(event.get('tool_input') or {})}",
    ]
    for note in evaluation.notes:
        lines.append(f"note:     {note}")
    if not evaluation.matches:
        lines.append("matches:  none")
    else:
        lines.append("matches:")
        for m in evaluation.matches:
            lines.append(f"  - {m.decision:5} [{m.rule}] {m.justification}")
            if m.what:
                lines.append(f"            what: {m.what}")
            if m.fix:
                lines.append(f"            fix:  {m.fix}")
    output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
    final = evaluation.decision if output else "none (no opinion: Claude Code's own rules decide)"
    lines.append(f"decision: {final}")
    if output:
        lines.append(f"wire:     {json.dumps(output)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Explain a decision; exit 0 when explained, 2 on a usage or policy problem."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        command = args_list[cut + 1 :]
        args_list = args_list[:cut]
    parser = argparse.ArgumentParser(
        prog="agentguard explain",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("event", nargs="?", help="a hook event JSON file, or - for stdin")
    parser.add_argument("--agent", help="the calling agent (sets AGENTGUARD_AGENT)")
    parser.add_argument("--tool", help="tool name: Write, Edit, Read, Bash, mcp__srv__tool …")
    parser.add_argument("--path", help="the file path of a file tool")
    parser.add_argument("--url", help="the URL of a WebFetch")
    parser.add_argument("--cwd", default=os.getcwd(), help="the worktree the call is made in")
    parser.add_argument("--policy", help="policy file or folder (default: discovery)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(args_list)
    args.command = command
    env = dict(os.environ)
    if args.agent:
        env["AGENTGUARD_AGENT"] = args.agent
    if args.policy:
        env["AGENTGUARD_POLICY"] = os.path.abspath(args.policy)
    try:
        event = build_event(args, os.path.abspath(args.cwd))
        evaluation, call = explain(event, env)
    except (GuardError, ValueError, OSError) as exc:
        print(f"agentguard explain: {exc}", file=sys.stderr)
        return 2
    if args.json:
        output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
        print(
            json.dumps(
                {
                    "agent": call.identity.agent,
                    "identity": call.identity.source,
                    "decision": evaluation.decision if output else "none",
                    "matches": [m.as_dict() for m in evaluation.matches],
                    "wire": output,
                },
                indent=2,
            )
        )
    else:
        print(render_text(event, evaluation, call))
    return 0
