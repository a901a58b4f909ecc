"""The ``agentguard`` command line: one ``main(argv) -> int`` dispatching subcommands.

``agentguard hook …`` is the hot path and skips argparse (and every other
subcommand's imports): it is dispatched before anything else is loaded.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the agentguard command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "hook":
        if len(args) > 1 and args[1] in ("-h", "--help"):
            from agentguard.commands.hook_help import show

            return show()
        from agentguard.hook.run import main as hook_main

        return hook_main(args[1:])
    from agentguard.commands.root import main as root_main

    return root_main(args)
