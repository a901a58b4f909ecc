"""``agentguard integrate plan|run``: agent branches into the integration branch, in order.

    agentguard integrate plan [--format text|json|markdown]   # read-only, anyone
    agentguard integrate run [--evidence FILE]                 # the integration owner

``plan`` says, per agent branch, whether it is ready (ownership against its base, a
clean worktree, the last Stop in its worktree passed the gate after its last edit),
what it changed and how far it is ahead of and behind the integration branch; which
merges conflict (each branch into the integration branch, each pair; computed with
``git merge-tree``, no worktree touched); which pairs meet at a shared interface and
need a human's review first; and the order: providers before consumers, then
independent lanes, ties to fewer conflicts. See :mod:`agentguard.coordinate.plan`.

``run`` is for the integration owner only, in the worktree where the integration
branch is checked out: it merges the ready branches in the planned order (the commit
the plan saw, not a later one), runs the owner's checks after each merge, and stops at
the first merge or check that fails (the failed merge is reset: the branch stays at
the last good merge) or at a branch whose interface review is still open. It prints
the pull-request evidence block of the integration, and never merges into main: a
human decides that. Exit status: 0 every ready branch merged, 1 stopped or refused,
2 cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from agentguard.commands import usage
from agentguard.commands.agents import Context
from agentguard.coordinate.plan import Plan, make
from agentguard.coordinate.readiness import Branch
from agentguard.coordinate.reviews import review_command
from agentguard.engine.identity import identify
from agentguard.errors import GitError, VerifyError
from agentguard.git import command as gitcmd
from agentguard.state import home as state
from agentguard.state import log

WIDTH = 79
_PROTECTED = ("main", "master")


def _wrap(text: str, indent: int, hang: int = 2, width: int = WIDTH) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(
        text,
        width,
        initial_indent=pad,
        subsequent_indent=pad + " " * hang,
        break_on_hyphens=False,
    ) or [pad]


def _short(sha: str) -> str:
    return sha[:8]


def _status(b: Branch) -> str:
    if not b.exists:
        return "not created"
    if b.merged:
        return "merged already"
    return "ready" if b.ready else "NOT READY"


def render_text(plan: Plan) -> str:
    """The plan as a person reads it in a terminal (80 columns)."""
    owner = f"owner {plan.owner}" if plan.owner else "no owner named"
    lines = [
        f"integration plan for {plan.integration} ({owner}, at {_short(plan.integration_head)})",
        "",
        "branches",
    ]
    for b in plan.branches:
        lines.append(f"  {b.agent}: {b.branch}: {_status(b)}")
        if b.exists:
            files = ", ".join(b.changed) or "none"
            lines += _wrap(
                f"{b.ahead} ahead, {b.behind} behind; {len(b.changed)} file(s)"
                f" changed since {b.base or 'its base'}: {files}",
                4,
            )
        for why in b.reasons:
            lines += _wrap(f"- {why}", 4)
        if b.ready and not b.merged:
            lines += _wrap(f"gate: {b.gate.detail}", 4)
    lines += ["", "conflicts"]
    for c in plan.conflicts:
        lines += _wrap(f"{c.theirs} into {c.ours}: {', '.join(c.files)}", 2)
    if not plan.conflicts:
        lines.append("  none: every merge goes through cleanly")
    lines += ["", "shared interfaces"]
    for r in plan.reviews:
        state_ = "reviewed" if r.reviewed else "NEEDS REVIEW before either merges"
        lines += _wrap(f"{r.interface}: {r.provider} -> {r.consumer}: {state_}", 2)
        lines += _wrap(r.why, 4)
        if not r.reviewed:
            lines.append("    once a human has reviewed the pair, they record it:")
            command = review_command(r.interface, r.tips, WIDTH)
            lines += [f"    {line}" for line in command.splitlines()]
    if not plan.reviews:
        lines.append("  none: no two branches meet at a provider and its consumer")
    lines += ["", "order"]
    for n, s in enumerate(plan.order, 1):
        lines += _wrap(f"{n}. {s.branch} (lane {s.lane}): {s.why}", 2, 3)
        if s.blocked:
            lines += _wrap(f"waits for interface review: {s.blocked}", 5, 2)
    if not plan.order:
        lines.append("  nothing to merge: no branch is ready")
    parallel = [lane for lane in plan.lanes if lane]
    if len(parallel) > 1:
        lines.append("")
        lines += _wrap(
            "lanes that can merge in parallel: "
            + "; ".join(f"{i}: {', '.join(lane)}" for i, lane in enumerate(parallel, 1)),
            0,
        )
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(plan: Plan) -> str:
    """The plan as a pull-request comment."""
    owner = f" (owner `{plan.owner}`)" if plan.owner else ""
    lines = [
        "### agentguard integration plan",
        "",
        f"Into `{plan.integration}`{owner} at `{_short(plan.integration_head)}`.",
        "",
        "| agent | branch | status | ahead/behind | changed | why not ready |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for b in plan.branches:
        changed = ", ".join(f"`{f}`" for f in b.changed) or "none"
        lines.append(
            f"| {b.agent} | `{b.branch}` | {_status(b)} | {b.ahead}/{b.behind} | {_md(changed)}"
            f" | {_md('; '.join(b.reasons)) or '-'} |"
        )
    lines += ["", "**Conflicts**", ""]
    lines += [
        f"- `{c.theirs}` into `{c.ours}`: {', '.join(f'`{f}`' for f in c.files)}"
        for c in plan.conflicts
    ] or ["- none"]
    lines += ["", "**Shared interfaces**", ""]
    for r in plan.reviews:
        state_ = "reviewed" if r.reviewed else "**needs review before either merges**"
        lines.append(f"- `{r.interface}`: `{r.provider}` -> `{r.consumer}`, {state_}: {r.why}")
        if not r.reviewed:
            lines.append(f"  - record the review: `{r.record}`")
    if not plan.reviews:
        lines.append("- none")
    lines += ["", "**Order**", ""]
    for n, s in enumerate(plan.order, 1):
        wait = f" Waits for interface review: {s.blocked}." if s.blocked else ""
        lines.append(f"{n}. `{s.branch}` (lane {s.lane}): {s.why}.{wait}")
    if not plan.order:
        lines.append("Nothing to merge: no branch is ready.")
    return "\n".join(lines)


# --- run -------------------------------------------------------------------------------


@dataclass
class Merged:
    """One branch merged by ``run``, and the checks after its merge."""

    branch: Branch
    commit: str
    checks: list[tuple[str, str, int, str]] = field(default_factory=list)  # name, run, exit, line


@dataclass
class Outcome:
    """What ``run`` did: merged, stopped at, skipped, and the integration branch's ends."""

    start: str
    end: str = ""
    merged: list[Merged] = field(default_factory=list)
    stopped: str = ""
    skipped: list[tuple[str, str]] = field(default_factory=list)


class Refused(Exception):
    """``run`` will not start: who may run it, or where, and how to get there."""


def _owner_checks(policy: Mapping[str, Any], owner: str) -> list[tuple[str, str]]:
    spec = policy["agents"].get(owner)
    names = list(spec.get("checks") or []) if spec else list(policy["checks"])
    return [(n, str((policy["checks"].get(n) or {}).get("run") or n)) for n in names]


def _check_caller(ctx: Context, plan: Plan, cwd: str, env: Mapping[str, str]) -> str:
    owner = plan.owner
    if not owner:
        raise Refused("the policy names no integration owner (integration.owner); a human adds one")
    who = identify(ctx.policy, cwd, env, ctx.files)
    if who.conflict is not None or who.agent != owner:
        caller = f"{who.agent} (from {who.source})" if who.agent else "an unassigned caller"
        raise Refused(
            f"only the integration owner ({owner}) merges into {plan.integration}, and this"
            f" is {caller}; see the order with `agentguard integrate plan` and hand it to"
            f" {owner}"
        )
    if plan.integration in _PROTECTED:
        raise Refused(
            f"the integration branch is {plan.integration}: integrate never merges into"
            " main (a human decides that); name an integration branch in the policy"
        )
    here = gitcmd.current_branch(ctx.top)
    if here != plan.integration:
        raise Refused(
            f"{ctx.top} has {here or 'a detached HEAD'} checked out, not {plan.integration};"
            " run it in the integrator's worktree"
        )
    dirty = gitcmd.status_short(ctx.top)
    if dirty:
        raise Refused(
            f"{ctx.top} has uncommitted changes ({', '.join(dirty[:3])}); commit or discard"
            " them first, so a failed merge can be reset without losing work"
        )
    return owner


def _run_check(command: str, cwd: str, env: Mapping[str, str], timeout: float) -> tuple[int, str]:
    try:
        done = subprocess.run(
            command,
            shell=True,
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout:g} s"
    text = (done.stderr.strip() or done.stdout.strip()).splitlines()
    return done.returncode, text[-1][:200] if text else "(no output)"


def run(ctx: Context, plan: Plan, env: Mapping[str, str], out: TextIO, timeout: float) -> Outcome:
    """Merge the ready branches in order with checks after each; stop at the first failure."""
    top = ctx.top
    owner = _check_caller(ctx, plan, top, env)
    checks = _owner_checks(ctx.policy, owner)
    result = Outcome(start=gitcmd.resolve(top, "HEAD") or "")
    for b in plan.branches:
        if not b.ready:
            why = "not created" if not b.exists else "; ".join(b.reasons)
            result.skipped.append((b.branch, f"not ready: {why}"))
        elif b.merged:
            result.skipped.append((b.branch, "already in the integration branch"))
    for n, step in enumerate(plan.order):
        rest = [s.branch for s in plan.order[n + 1 :]]
        b = plan.branch(step.branch)
        if result.stopped:
            break
        if step.blocked:
            result.stopped = f"{b.branch} waits for interface review: {step.blocked}"
            result.skipped.append((b.branch, f"interface review needed: {step.blocked}"))
        else:
            before = gitcmd.resolve(top, "HEAD") or ""
            print(f"merging {b.branch} ({_short(b.head)}) into {plan.integration}", file=out)
            done = gitcmd.run(
                top,
                "merge",
                "--no-ff",
                "--no-edit",
                "-m",
                f"Merge {b.branch} into {plan.integration} (agentguard integrate run)",
                b.head,
                check=False,
            )
            if done.returncode != 0:
                gitcmd.run(top, "merge", "--abort", check=False)
                gitcmd.run(top, "reset", "--hard", "--quiet", before)
                files = ", ".join(b.conflicts) or (done.stdout or done.stderr).strip()[-200:]
                result.stopped = f"merging {b.branch} failed ({files}); the merge was undone"
                result.skipped.append((b.branch, f"the merge failed: {files}"))
            else:
                merged = Merged(b, gitcmd.resolve(top, "HEAD") or "")
                for name, command in checks:
                    code, line = _run_check(command, top, env, timeout)
                    merged.checks.append((name, command, code, line))
                    mark = "passed" if code == 0 else f"FAILED (exit {code})"
                    print(f"  {name}: {command}: {mark}", file=out)
                    if code != 0:
                        break
                failed = [c for c in merged.checks if c[2] != 0]
                if failed:
                    gitcmd.run(top, "reset", "--hard", "--quiet", before)
                    name, command, code, line = failed[0]
                    result.stopped = (
                        f"check {name} failed after merging {b.branch}; the merge was reset,"
                        f" {plan.integration} stays at {_short(before)}"
                    )
                    result.skipped.append(
                        (b.branch, f"check {name} (`{command}`) failed after its merge: {line}")
                    )
                    merged.commit = ""
                    result.merged.append(merged)
                else:
                    result.merged.append(merged)
        if result.stopped:
            for later in rest:
                result.skipped.append((later, "not tried: the run stopped before it"))
    result.end = gitcmd.resolve(top, "HEAD") or ""
    return result


def _decisions(records: Sequence[Mapping[str, Any]], b: Branch) -> str:
    mine = [r for r in records if r.get("agent") == b.agent]
    asks = sum(1 for r in mine if r.get("output") == "ask")
    denies = sum(1 for r in mine if r.get("output") == "deny")
    escalations = sum(1 for r in mine if r.get("escalation"))
    return f"{len(mine)} guarded calls, {denies} denied, {asks} asked, {escalations} escalated"


def evidence(plan: Plan, result: Outcome, records: Sequence[Mapping[str, Any]]) -> str:
    """The pull-request evidence block of the integration."""
    good = [m for m in result.merged if m.commit]
    lines = [
        "### agentguard integration evidence",
        "",
        f"`{plan.integration}` by `{plan.owner}`: {_short(result.start)} -> {_short(result.end)},"
        f" {len(good)} branch(es) merged. Nothing was merged into main: a human decides that.",
        "",
    ]
    if result.merged:
        lines += [
            "**Merged, in order**",
            "",
            "| # | branch | agent | its evidence | checks after the merge |",
            "| --- | --- | --- | --- | --- |",
        ]
        for n, m in enumerate(result.merged, 1):
            b = m.branch
            gate = (
                f"gate passed {b.gate.ts} (session `{b.gate.session}`: {', '.join(b.gate.checks)})"
                if b.gate.state == "passed"
                else b.gate.detail
            )
            own = f"ownership: {len(b.changed)} file(s) in its lane since {b.base}"
            checks = (
                "; ".join(
                    f"{name} {'ok' if code == 0 else f'FAILED (exit {code}): {line}'}"
                    for name, _, code, line in m.checks
                )
                or "no checks"
            )
            status = "" if m.commit else " (reset)"
            lines.append(
                f"| {n} | `{b.branch}` @ `{_short(b.head)}`{status} | {b.agent} |"
                f" {_md(own)}; {_md(gate)}; {_decisions(records, b)} | {_md(checks)} |"
            )
        lines.append("")
    if result.skipped:
        lines += ["**Skipped**", ""]
        lines += [f"- `{branch}`: {_md(why)}" for branch, why in result.skipped]
        lines.append("")
    risks = []
    if result.stopped:
        risks.append(f"stopped: {result.stopped}")
    for r in plan.reviews:
        if r.reviewed:
            risks.append(
                f"`{r.interface}` between `{r.provider}` and `{r.consumer}` was reviewed by a"
                " human at these tips; the checks above are what proves it since"
            )
    merged_names = {m.branch.branch for m in good}
    left = [c for c in plan.conflicts if not ({c.ours, c.theirs} <= merged_names)]
    for c in left:
        if c.theirs not in merged_names:
            risks.append(f"`{c.theirs}` conflicts with `{c.ours}` on {', '.join(c.files)}")
    for m in good:
        if m.branch.gate.state == "no-checks":
            risks.append(
                f"`{m.branch.branch}` has no checks in the verification matrix: only its"
                " ownership and the checks after its merge speak for it"
            )
    if not _any_checks(result):
        risks.append("no checks ran after the merges (the owner has none in the matrix)")
    risks.append(
        "undeclared interfaces are found from imports agentguard can resolve; dynamic"
        " imports and package boundaries are not seen"
    )
    lines += ["**Remaining risk**", ""] + [f"- {r}" for r in risks]
    return "\n".join(lines)


def _any_checks(result: Outcome) -> bool:
    return any(m.checks for m in result.merged) or not result.merged


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """``integrate plan|run``; see the module docstring for exit statuses."""
    parser = argparse.ArgumentParser(
        prog="agentguard integrate",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", choices=("plan", "run"))
    parser.add_argument("--policy", help="policy file or folder (default: discovery)")
    parser.add_argument("-C", dest="cwd", default=None, help="run in this folder")
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="plan output"
    )
    parser.add_argument("--evidence", help="run: also write the evidence block to this file")
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="run: seconds each check may take"
    )
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    env = os.environ
    try:
        ctx = Context(os.path.abspath(args.cwd or os.getcwd()), env, args.policy)
        plan = make(ctx, env)
        if args.action == "plan":
            if args.format == "json":
                stream.write(json.dumps(plan.as_dict(), indent=2) + "\n")
            elif args.format == "markdown":
                stream.write(render_markdown(plan) + "\n")
            else:
                stream.write(render_text(plan) + "\n")
            return 0
        try:
            result = run(ctx, plan, env, stream, args.timeout)
        except Refused as exc:
            print(f"agentguard integrate run: refused: {exc}", file=sys.stderr)
            return 1
        block = evidence(plan, result, log.read(state.home(ctx.top, env)))
        print("", file=stream)
        print(block, file=stream)
        if args.evidence:
            with open(args.evidence, "w", encoding="utf-8") as fh:
                fh.write(block + "\n")
        return 1 if result.stopped else 0
    except (VerifyError, GitError) as exc:
        print(f"agentguard integrate {args.action}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
