"""``agentguard hook --help``: the hook's help, written out (argparse is not loaded for it).

The hook itself is dispatched by agentguard/cli.py before any of this is imported; this
module serves its help, and ``agentguard -v hook …``, which reaches the hook through
commands/root.py.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from agentguard import errors

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


def show() -> int:
    """Print the hook's help; 0, or 141 when the reader went away."""
    try:
        sys.stdout.write(HOOK_HELP)
        sys.stdout.flush()
    except BrokenPipeError:  # `agentguard hook --help | head -1`: quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return errors.PIPE_CLOSED
    return errors.OK


def main(argv: Sequence[str] | None = None) -> int:
    """``agentguard -v hook …``: the help, or the hook itself."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        return show()
    from agentguard.hook.run import main as hook_main

    return hook_main(args)
