"""The cold-path command line: argparse over every subcommand but ``hook``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from agentguard import __version__, diag

# subcommand -> (module, function, one-line help). Modules load only when used.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "hook": (
        "agentguard.hook.run",
        "main",
        "run as a Claude Code hook: agentguard hook PreToolUse",
    ),
    "explain": ("agentguard.commands.explain", "main", "show the decision for a call and why"),
    "schema": ("agentguard.commands.schema", "main", "print or write the policy JSON Schema"),
    "demo": ("agentguard.commands.demo", "main", "replay the article's example through the hook"),
    "install": ("agentguard.commands.install", "install_main", "add the hooks to settings.json"),
    "uninstall": ("agentguard.commands.install", "uninstall_main", "remove agentguard's hooks"),
    "compile": ("agentguard.commands.compile", "main", "compile the policy cache (and check it)"),
    "wrap": ("agentguard.commands.wrap", "main", "run a team's own hook with a loop cap"),
    "logs": ("agentguard.commands.logs", "main", "sessions, report, loops, suggest, export …"),
    "lint": ("agentguard.commands.lint", "main", "check policies: schema, examples, semantics"),
    "test": ("agentguard.commands.policytest", "main", "run the policy's own tests"),
    "init": ("agentguard.commands.init", "main", "write agentguard.yaml and install the hooks"),
    "agents": ("agentguard.commands.agents", "main", "set up, inspect, remove agent worktrees"),
    "verify": ("agentguard.commands.verify", "main", "check a branch stayed in its agent's lane"),
    "doctor": ("agentguard.commands.doctor", "main", "check the guard really runs, per worktree"),
    "approve": ("agentguard.commands.approve", "main", "turn one logged ask into a reviewed rule"),
    "memory": (
        "agentguard.commands.memory",
        "main",
        "lint CLAUDE.md & co. against repo and policy",
    ),
    "integrate": ("agentguard.commands.integrate", "main", "plan or run the integration merges"),
    "metrics": (
        "agentguard.commands.metrics",
        "main",
        "cost per merged change, by agent and model",
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch ``agentguard <command> …``."""
    args = list(sys.argv[1:] if argv is None else argv)
    while args and args[0] in ("-v", "--verbose"):
        args.pop(0)
        os.environ[diag.VERBOSE_ENV] = "1"  # subprocesses of the command inherit it
        diag.configure(verbose=True)
    parser = argparse.ArgumentParser(
        prog="agentguard",
        description="Claude Code hooks and a declarative policy for parallel coding agents.",
    )
    parser.add_argument("--version", action="version", version=f"agentguard {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print what the command does on stderr"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, _, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not args or args[0] not in COMMANDS:
        parsed = parser.parse_args(args)  # --version, --help, or an error naming the commands
        if parsed.command is None:
            parser.print_help()
            return 2
        return 2
    module_name, func, _ = COMMANDS[args[0]]
    module = importlib.import_module(module_name)
    try:
        result: int = getattr(module, func)(args[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`agentguard logs timeline | head`): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
    return result
