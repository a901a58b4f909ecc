"""``agentguard approve``: turn one ask from the log into a reviewed rule in the policy.

    agentguard approve --session S --index 2     # the second ask of session S
    agentguard approve --tool-use-id toolu_…     # the ask of that tool call

Proposes the narrowest approval for the ask's command (its program and arguments, flags
aside) that lifts the rules that asked, checks that the policy with it loads, lints clean
and passes a new test built from the command, and only then writes both into the policy
file, keeping its comments and layout. A human runs this and reviews the diff like code:
an agent running it is guard tampering. Asks of classes the article keeps manual
(secrets, deploys, history rewrites, the guard's files, privilege) are refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from agentguard.commands import usage
from agentguard.errors import GuardError, LogReadError, PolicyError, WriteError
from agentguard.observe import logread, suggest
from agentguard.policy import compiled
from agentguard.policy.loader import load_files
from agentguard.state import home as state

Record = dict[str, Any]


def _find(records: list[Record], args: argparse.Namespace) -> Record | None:
    asks = [
        r
        for r in records
        if r.get("event") in ("PreToolUse", "PreSkillShellCommand") and r.get("output") == "ask"
    ]
    if args.tool_use_id:
        return next((r for r in asks if r.get("tool_use_id") == args.tool_use_id), None)
    mine = [r for r in asks if r.get("session") == args.session]
    return mine[args.index - 1] if 0 < args.index <= len(mine) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``agentguard approve``."""
    parser = argparse.ArgumentParser(
        prog="agentguard approve",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--home", help="state folder (default: this repository's)")
    parser.add_argument("--log", action="append", default=[], metavar="PATH", help="other logs")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--tool-use-id", help="the ask's tool call id (the report shows it)")
    which.add_argument("--session", help="the ask's session (with --index)")
    parser.add_argument("--index", type=int, default=1, help="which ask of the session, from 1")
    parser.add_argument("--dry-run", action="store_true", help="print the entry, write nothing")
    args = parser.parse_args(argv)
    home = args.home or state.home(os.getcwd(), os.environ)
    try:
        records = list(logread.records(logread.sources(home, args.log)))
        files = compiled.discover(os.getcwd(), os.environ)
        policy = load_files(files).policy
    except (LogReadError, GuardError, PolicyError) as exc:
        sys.stderr.write(f"agentguard approve: {exc}\n")
        return 2
    ask = _find(records, args)
    if ask is None:
        sys.stderr.write(
            "agentguard approve: no such ask in the log; list them with"
            " `agentguard logs timeline --session S --decision ask`\n"
        )
        return 2
    command = str((ask.get("input") or {}).get("command") or "")
    if ask.get("tool") != "Bash" or not command:
        sys.stderr.write(
            f"agentguard approve: that ask is a {ask.get('tool')} call; only shell commands"
            " become approvals (edit the policy's paths or tools by hand)\n"
        )
        return 2
    matches = ask.get("matches") or []
    rules = sorted(
        {str(m.get("rule")) for m in matches if isinstance(m, dict) and m.get("decision") == "ask"}
    )
    item = suggest.Approved(
        command,
        rules,
        str(ask.get("agent") or "(unassigned)"),
        str(ask.get("session") or ""),
        str(ask.get("ts") or ""),
        0,
    )
    proposals, notes = suggest.propose([item], policy, minimum=1)
    if not proposals:
        sys.stderr.write(f"agentguard approve: not approved: {notes[0] if notes else 'no rule'}\n")
        return 1
    proposal = proposals[0]
    if args.dry_run:
        print(suggest.patch([proposal]), end="")
        return 0
    target = files[-1]
    try:
        suggest.write_approval(target, proposal, files)
    except (WriteError, OSError) as exc:
        sys.stderr.write(f"agentguard approve: {target} left unchanged: {exc}\n")
        return 1
    print(
        f"approved `{proposal.pattern}` (lifts {', '.join(proposal.lifts)}) as"
        f" {proposal.id} in {target}, with {len(proposal.tests())} test(s)."
    )
    print("Review the change (git diff), run `agentguard test`, and commit it.")
    return 0
