"""agentguard explain: the decision for one call, and every rule behind it.

    agentguard explain "git status"             # a command line, as you would type it
    agentguard explain --agent search -- git push --force origin HEAD
    agentguard explain --agent search --tool Write --path src/content/config.ts
    agentguard explain event.json               # a captured hook event (or - for stdin)
    agentguard explain --format json "npm test" # for scripts
    agentguard explain --program curl           # what agentguard knows about a program

It runs the very code the hook runs (same compiled policy, same identity and
path judgement), so what it prints is what Claude Code would have been told.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from typing import Any

from agentguard import terminal
from agentguard.claude import tools, wire
from agentguard.commands import usage
from agentguard.decision import Evaluation
from agentguard.engine import evaluate as gate
from agentguard.engine.call import Call, prepare
from agentguard.errors import GuardError
from agentguard.policy import compiled
from agentguard.state import home as state

FORMATS = ("text", "json")


def build_event(args: argparse.Namespace, cwd: str) -> dict[str, Any]:
    """A PreToolUse event from command-line options."""
    if args.event and not is_event_file(args.event):
        # `agentguard explain "git status"`: one quoted command line, as users type it.
        args.command = [args.event, *args.command]
        args.event = None
    if args.event:
        if args.event == "-":
            text = sys.stdin.read()
        else:
            with open(args.event, encoding="utf-8") as fh:
                text = fh.read()
        event = json.loads(text)
        from agentguard.claude.events import problems

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
        tool_input[tools.path_field(tool)] = args.path
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


def is_event_file(word: str) -> bool:
    """Whether explain's positional word names a hook event (``-``, a file, ``*.json``).

    Anything else is the command line to judge: a missing ``x.json`` stays an event file,
    so its "no such file" is reported rather than judged as a command named x.json. A
    word with whitespace in it is a quoted command line even when it ends in ``.json``
    (``'rm $d/settings.json'``): no one names an event file that way by accident.
    """
    if word == "-" or os.path.isfile(word):
        return True
    return word.endswith(".json") and not any(c.isspace() for c in word)


def _agent_cwd(agent: str, cwd: str, env: dict[str, str], explicit: bool) -> str:
    """Check ``agent`` is in the policy; without --cwd, use its worktree when it exists."""
    from agentguard.engine.identity import agent_worktree, base_dir

    files = compiled.discover(cwd, env)
    policy = compiled.load(files, state.home(cwd, env)).data
    integration = policy["integration"]
    owner = integration["owner"] if integration else None
    if agent not in policy["agents"] and agent != owner:
        known = ", ".join(sorted(policy["agents"])) or "none"
        raise GuardError(
            f"agent {agent!r} is not in the policy {', '.join(files)} (agents: {known});"
            " pass --policy to name another policy"
        )
    spec = policy["agents"].get(agent)
    if explicit or spec is None:
        return cwd
    worktree = agent_worktree(spec, base_dir(files))
    return worktree if worktree and os.path.isdir(worktree) else cwd


def explain(event: dict[str, Any], env: dict[str, str]) -> tuple[Evaluation, Call]:
    """Evaluate ``event`` exactly as the hook would."""
    cwd = str(event.get("cwd") or os.getcwd())
    home = state.home(cwd, env)
    files = compiled.discover(cwd, env)
    policy = compiled.load(files, home).data
    call = prepare(policy, files, cwd, env, home)
    return gate.evaluate(event, call), call


def shell_analysis(event: dict[str, Any], call: Call) -> Any:
    """What the shell analyser found in a Bash event's command line."""
    from agentguard.engine.bash import analyse_call

    command = (event.get("tool_input") or {}).get("command")
    return analyse_call(str(command or ""), call)


def render_commands(analysis: Any) -> list[str]:
    """The simple commands of a line: words, classes, targets, wrappers, working folder."""
    lines = [f"commands: {len(analysis.commands)} simple command(s), parsed by {analysis.parser}"]
    for n, cmd in enumerate(analysis.commands, 1):
        lines.append(f"  {n}. {cmd.text}")
        lines.append(f"     classes: {', '.join(sorted(cmd.classes)) or '-'}")
        if cmd.via:
            lines.append(f"     via:     {' > '.join(cmd.via)}")
        for label, values in (
            ("reads", cmd.reads),
            ("writes", cmd.writes),
            ("deletes", cmd.deletes),
            ("unknown", [f"{kind}: {what}" for kind, what in cmd.unresolved]),
            ("notes", cmd.notes),
        ):
            if values:
                lines.append(f"     {label + ':':8} {', '.join(str(v) for v in values)}")
        if cmd.cwd:
            lines.append(f"     cwd:     {cmd.cwd}")
    for error in analysis.errors:
        lines.append(f"  parse error: {error}")
    return lines


def render_text(event: dict[str, Any], evaluation: Evaluation, call: Call) -> str:
    """The human-readable explanation."""
    ident = call.identity
    lines = [
        f"policy:   {', '.join(call.policy_files)}",
        f"          ({compiled.source(call.policy_files, call.cwd, call.env)})",
        f"agent:    {ident.agent or '(unassigned)'} (from {ident.source};"
        f" branch {ident.branch or '-'}; worktree {ident.worktree})",
        f"tool:     {event.get('tool_name')} {json.dumps(event.get('tool_input') or {})}",
    ]
    for note in evaluation.notes:
        lines.append(f"note:     {note}")
    if event.get("tool_name") == "Bash":
        lines.extend(render_commands(shell_analysis(event, call)))
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
    for why in evaluation.withheld:
        lines.append(f"no grant: {why}")
    output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
    final = evaluation.decision if output else "none (no opinion: Claude Code's own rules decide)"
    lines.append(f"decision: {final}")
    if output:
        lines.append(f"wire:     {json.dumps(output)}")
    return "\n".join(lines)


def explain_program(name: str, fmt: str, programs: dict[str, Any] | None = None) -> int:
    """Print what agentguard knows about the program ``name``, and what the policy's
    ``programs`` section (compiled) declares beside it; 1 when neither knows it."""
    from agentguard.policy import programcheck
    from agentguard.shell.describe import describe, lookup, render

    declared = programcheck.declarations(programs, name)
    report = describe(name, {lookup(name)[0]: declared[0]} if declared else None)
    if fmt == "json":
        if declared:
            report["policy"] = [
                {**spec, "wins": programcheck.which_wins(spec)} for spec in declared
            ]
        print(json.dumps(report, indent=2))
    else:
        text = render(report, shutil.get_terminal_size((80, 24)).columns)
        print("\n".join([text, *programcheck.describe(programs, name)]))
    return 0 if report["known"] else 1


def _declared_programs(env: dict[str, str]) -> dict[str, Any] | None:
    """The programs section of the policy found from here, or None when none loads."""
    cwd = os.getcwd()
    try:
        files = compiled.discover(cwd, env)
        policy = compiled.load(files, state.home(cwd, env)).data
    except (GuardError, ValueError, OSError):
        return None  # the built-in knowledge is still worth printing
    return dict(policy.get("programs") or {})


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
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "event",
        nargs="?",
        help='a hook event JSON file, - for stdin, or a command line ("git status")',
    )
    parser.add_argument("--agent", help="the calling agent (sets AGENTGUARD_AGENT)")
    parser.add_argument("--tool", help="tool name: Write, Edit, Read, Bash, mcp__srv__tool …")
    parser.add_argument("--path", help="the file path of a file tool")
    parser.add_argument("--url", help="the URL of a WebFetch")
    parser.add_argument(
        "--cwd",
        help="the folder the call is made in (default: the agent's worktree when it exists,"
        " else the current folder)",
    )
    parser.add_argument("--policy", help="policy file or folder (default: discovery)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--program",
        metavar="NAME",
        help="print what agentguard knows about the program NAME instead (exit 1: unknown)",
    )
    args = parser.parse_args(args_list)
    args.command = command
    env = dict(os.environ)
    if args.agent:
        env["AGENTGUARD_AGENT"] = args.agent
    if args.policy:
        env["AGENTGUARD_POLICY"] = os.path.abspath(args.policy)
    if args.program is not None:
        return explain_program(args.program, args.format, _declared_programs(env))
    try:
        cwd = os.path.abspath(args.cwd or os.getcwd())
        if args.agent:
            cwd = _agent_cwd(args.agent, cwd, env, explicit=args.cwd is not None)
        event = build_event(args, cwd)
        evaluation, call = explain(event, env)
    except (GuardError, ValueError, OSError) as exc:
        print(f"agentguard explain: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
        print(
            json.dumps(
                {
                    "commands": shell_analysis(event, call).as_dict()
                    if event.get("tool_name") == "Bash"
                    else None,
                    "policy": call.policy_files,
                    "policy_source": compiled.source(call.policy_files, call.cwd, call.env),
                    "agent": call.identity.agent,
                    "identity": call.identity.source,
                    "decision": evaluation.decision if output else "none",
                    "matches": [m.as_dict() for m in evaluation.matches],
                    "withheld": list(evaluation.withheld),
                    "wire": output,
                },
                indent=2,
            )
        )
    else:
        print(terminal.fill(render_text(event, evaluation, call)))
    return 0
