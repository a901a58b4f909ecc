"""``agentguard metrics``: cost per merged change, per agent branch and per model. Cold path.

One row per agent branch merged into the integration branch (and per integration merge
into main): agent, model (from the sessions' transcripts), time from its first guarded
call to the merge, human interventions (asks and escalations; approvals where the log
records the human's answer), denials, failed checks, loop episodes, Stop blocks, files
changed. Branches never merged are listed as open, charged to their task. Totals by agent
and by model end with the article's figure: what one merged change cost on average.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from agentguard.commands import usage
from agentguard.errors import GitError, GuardError, LogReadError
from agentguard.git import command as gitcmd
from agentguard.observe import logread
from agentguard.observe.metrics import SUMMED, metrics
from agentguard.state import home as state

_CSV = (
    "branch",
    "agent",
    "into",
    "status",
    "merged_at",
    "model",
    "first_call",
    "elapsed_s",
    *SUMMED,
)


def _elapsed(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(result: dict[str, Any]) -> str:
    """The tables a person reads (80 columns)."""
    lines = [f"agent branches into {result['into']}:"]
    head = f"{'branch':19} {'agent':10} {'merged':10} {'time':>7} {'hum':>4} {'deny':>4}"
    head += f" {'fail':>4} {'loop':>4} {'stop':>4} {'files':>5}"
    lines.append(head)
    for row in [*result["branches"], *result["integration"]]:
        merged = row["merged_at"][:10] if row["merged"] else "open"
        lines.append(
            f"{_short(row['branch'], 19):19} {_short(row['agent'], 10):10} {merged:10}"
            f" {_elapsed(row['elapsed_s']):>7} {row['interventions']:>4} {row['denials']:>4}"
            f" {row['failed_checks']:>4} {row['loops']:>4} {row['stop_blocks']:>4}"
            f" {row['files_changed']:>5}"
        )
    if not result["branches"]:
        lines.append("(no agent branches: the policy's agents name no branch, or none exists)")
    lines.append("hum: human interventions (asks, escalations); open: charged to its task")
    for key, title in (("by_agent", "agent"), ("by_model", "model")):
        lines += ["", f"per merged change, by {title}:"]
        lines.append(
            f"{title:24} {'merged':>6} {'open':>5} {'time':>8} {'hum':>6} {'deny':>6} {'fail':>6}"
        )
        for name, total in sorted(result[key].items()):
            per = total["per_merged_change"]
            open_ = total["branches"] - total["merged"]
            if per is None:
                figures = f"{'-':>8} {'-':>6} {'-':>6} {'-':>6}"
            else:
                figures = (
                    f"{_elapsed(per['elapsed_s']):>8} {per['interventions']:>6}"
                    f" {per['denials']:>6} {per['failed_checks']:>6}"
                )
            lines.append(f"{_short(name, 24):24} {total['merged']:>6} {open_:>5} {figures}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``agentguard metrics``."""
    parser = argparse.ArgumentParser(
        prog="agentguard metrics",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument("--home", help="state folder (default: this repository's)")
    parser.add_argument(
        "--log",
        action="append",
        default=[],
        metavar="PATH",
        help="other logs (files, folders, globs)",
    )
    args = parser.parse_args(argv)
    from agentguard.policy import compiled

    cwd = os.getcwd()
    home = args.home or state.home(cwd, os.environ)
    try:
        top = gitcmd.toplevel(cwd)
        files = compiled.discover(top, os.environ)
        policy = compiled.load(files, home).data
        records = list(logread.records(logread.sources(home, args.log)))
        result = metrics(top, policy, records)
    except (GitError, GuardError, LogReadError) as exc:
        sys.stderr.write(f"agentguard metrics: {exc}\n")
        return 2
    if args.format == "json":
        print(json.dumps(result, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=_CSV, extrasaction="ignore")
        writer.writeheader()
        for row in [*result["branches"], *result["integration"]]:
            writer.writerow(row)
    else:
        print(render_text(result))
    return 0
