"""agentguard's own command line: which sub-commands only read and which reconfigure it.

Hot path, loaded only when a line runs agentguard.
"""

from __future__ import annotations

from agentguard.shell import guardentry
from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.effects import (
    Effects,
    verb_set,
)
from agentguard.shell.model import Word

# Sub-commands that change neither the guard's installation nor its counters, evidence or
# log. ``hook`` is not one: a forged event records evidence and moves counters. ``wrap``
# counts blocks and logs. ``compile`` writes only the policy cache, keyed by the policy's
# content, so it can only write what the next hook call would; ``test`` and ``demo`` run in
# a throwaway state folder; ``doctor`` probes the hook with a harmless Read under its own
# session id, which no agent's session can be credited with.
_READ_ONLY = verb_set(PROGRAMS["agentguard"], "read")

# The sub-command ``agentguard integrate run`` is given: the judge lets only the
# integration owner, on the integration branch, run it.
INTEGRATE_RUN = "agentguard-integrate-run"


def command_line(fx: Effects, args: list[Word]) -> None:
    """``agentguard SUB …``: read-only sub-commands pass, the rest reconfigure the guard."""
    sub = next((w for w in args if not w.text.startswith("-") or w.text in _READ_ONLY), None)
    cmd = fx.cmd
    if sub is not None and sub.dynamic:
        cmd.classes.add("guard-tamper")
        cmd.notes.append("agentguard sub-command from an expansion")
        return
    verb = sub.text if sub is not None else "--help"
    writes_schema = verb == "schema" and any(w.text.startswith("--write") for w in args)
    if verb in _READ_ONLY and not writes_schema:
        cmd.classes.add("read-only")
        _output(fx, args)
        return
    if verb == "integrate" and sub is not None:
        # ``plan`` only reads git; ``run`` merges into the branch checked out, which only
        # the integration owner may do on the integration branch (it refuses anyone else
        # itself too).
        action = next((w for w in args[args.index(sub) + 1 :] if not w.text.startswith("-")), None)
        if action is not None and not action.dynamic and action.text in ("plan", "run"):
            if action.text == "plan":
                cmd.classes.add("read-only")
            else:
                cmd.classes.add("merge")
                cmd.subcommand = INTEGRATE_RUN
            return
    cmd.classes.add("guard-tamper")
    if verb == "hook":
        cmd.notes.append(f"agentguard hook: {guardentry.NOTE}")
    else:
        cmd.notes.append(f"agentguard {verb} changes the guard's installation or state")


def _output(fx: Effects, args: list[Word]) -> None:
    """``--out FILE`` (``logs report``, ``logs export``) writes FILE: judged like any write."""
    for n, w in enumerate(args):
        if w.text == "--out" and n + 1 < len(args):
            target = args[n + 1]
        elif w.text.startswith("--out="):
            target = Word(w.text[len("--out=") :], w.dynamic, w.glob)
        else:
            continue
        fx.cls("file-write")
        fx.add("write", target)
