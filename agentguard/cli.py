"""The ``agentguard`` command line: one ``main(argv) -> int`` dispatching subcommands.

``agentguard hook …`` is the hot path and skips argparse (and every other
subcommand's imports): it is dispatched before anything else is loaded.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

# argparse is not loaded for the hook, so its help is written out here.
HOOK_HELP = """\
usage: agentguard hook EVENT < event.json

Run as a Claude Code hook: read one hook event (JSON) on stdin, print the answer
for Claude Code on stdout, and exit 0 (the answer, not the exit code, decides).
`agentguard install` writes these commands into .claude/settings.json.

events:
  PreToolUse          allow, ask or deny a tool call
  PostToolUse         record edits and the checks a command ran
  PostToolUseFailure  count failures for the loop cap
  Stop, SubagentStop  the verification gate before an agent stops
  PreSkillShellCommand  a skill's shell command, judged as a Bash call

Try a call without Claude Code: agentguard explain -- git push --force
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the agentguard command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "hook":
        if len(args) > 1 and args[1] in ("-h", "--help"):
            return _hook_help()
        from agentguard.hook.run import main as hook_main

        return hook_main(args[1:])
    from agentguard.commands.root import main as root_main

    return root_main(args)


def _hook_help() -> int:
    try:
        sys.stdout.write(HOOK_HELP)
        sys.stdout.flush()
    except BrokenPipeError:  # `agentguard hook --help | head -1`: 128 + SIGPIPE, quietly
        import os

        from agentguard import errors

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return errors.PIPE_CLOSED
    return 0
