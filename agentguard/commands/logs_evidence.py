"""`agentguard logs evidence`: the pull-request Markdown block for one agent's sessions
(commands run and their results, files changed, checks passed, what was denied or
escalated, remaining risk).

Cold path.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agentguard.commands.logs_text import short
from agentguard.errors import GitError, GuardError
from agentguard.observe import logread
from agentguard.observe.views import (
    JUDGED,
    loop_episodes,
    subject,
)
from agentguard.state import log

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledPolicy

Record = dict[str, Any]


def _current(records: list[Record], agent: str | None, session: str | None) -> tuple[str, str]:
    """The (agent, session) to report: given, else the latest in the log."""
    for record in reversed(records):
        if agent is not None and record.get("agent") != agent:
            continue
        if session is not None and record.get("session") != session:
            continue
        if record.get("session"):
            return str(record.get("agent") or ""), str(record["session"])
    return agent or "", session or ""


def _check_table(home: str, agent: str, session: str) -> tuple[list[str], list[str]]:
    """Rows of the checks table and the checks that have not passed (policy permitting)."""
    from agentguard.engine.loops import agent_key
    from agentguard.policy import compiled
    from agentguard.state import evidence

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        policy = compiled.load(files, home).data
    except GuardError as exc:
        return [f"| (policy) | | cannot load: {exc} |"], []
    spec: Mapping[str, Any] = policy["agents"].get(agent) or {}
    names = list(spec.get("checks") or [])
    if not names:
        return [], []
    record = evidence.read(home, session, agent_key(agent or None))
    rows, pending = [], []
    for status in evidence.standing(record, names, policy["checks"]):
        if status.state == "passed":
            result = "passed after the last edit"
        elif status.state == "failed":
            result = f"FAILED: {short(status.line, 80)}" if status.line else "FAILED"
        else:
            result = "not run since the last edit"
        rows.append(f"| {status.name} | `{status.run}` | {result} |")
        if status.state != "passed":
            pending.append(status.name)
    return rows, pending


def evidence_block(
    records: list[Record],
    home: str,
    agent: str,
    session: str | Sequence[str],
    changes: tuple[list[str], str] | None = None,
) -> str:
    """The Markdown evidence block for one agent over one session or several.

    ``changes`` is the branch's changed files and a note on the base they are measured
    from (``_branch_changes``); the checks table is that of the latest session.
    """
    chosen = [session] if isinstance(session, str) else list(session)
    mine = [r for r in records if r.get("session") in chosen and (r.get("agent") or "") == agent]
    who = f"Agent `{agent or '(unassigned)'}`"
    if len(chosen) == 1:
        where = f"session `{chosen[0]}`"
    else:
        where = f"{len(chosen)} sessions ({', '.join(f'`{s}`' for s in chosen)})"
    if not mine:
        return "\n".join(
            [
                "### agentguard evidence",
                "",
                f"{who}, {where}: **no guarded calls were recorded**, so this block proves"
                " nothing about the change. Check that the hooks are installed"
                " (`agentguard doctor`) and that this is the agent's log.",
            ]
        )
    latest = str(mine[-1].get("session"))
    lines = [
        "### agentguard evidence",
        "",
        f"{who}, {where}: {len(mine)} guarded calls"
        + f", {mine[0].get('ts')} to {mine[-1].get('ts')}.",
        "",
    ]
    if changes is not None:
        files, note = changes
        lines += [f"**Files changed** ({note})", ""]
        if files:
            lines += [f"- `{name}`" for name in files[:200]]
            if len(files) > 200:
                lines.append(f"- … and {len(files) - 200} more")
        elif note.startswith("unknown"):
            lines.append("- could not be listed")
        else:
            lines.append("- none committed")
        lines.append("")
    rows, pending = _check_table(home, agent, latest)
    if rows:
        lines += [
            "**Checks**",
            "",
            "| check | command | result |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    runs = [
        r
        for r in mine
        if r.get("tool") == "Bash" and r.get("event") in ("PostToolUse", "PostToolUseFailure")
    ]
    if runs:
        lines += ["**Commands run**", "", "| # | command | result |", "| --- | --- | --- |"]
        for n, r in enumerate(runs, 1):
            command = short(subject(r), 90).replace("|", "\\|")
            result = (
                "ok"
                if r.get("event") == "PostToolUse" and not r.get("failure")
                else (f"failed: {short(r.get('error_line') or '', 70)}")
            )
            if r.get("evidence") == "unbound":
                result += " (unbound: proves nothing)"
            lines.append(f"| {n} | `{command}` | {result.replace('|', '/')} |")
        lines.append("")
    refused = [
        r
        for r in mine
        if (r.get("event") in JUDGED and r.get("output") in ("ask", "deny")) or r.get("escalation")
    ]
    if refused:
        lines += ["**Denied or escalated**", ""]
        for r in refused:
            what = short(subject(r) or str(r.get("event")), 80)
            reason = short(str(r.get("reason") or r.get("escalation") or ""), 160)
            kind = "escalated" if r.get("escalation") else str(r.get("output"))
            lines.append(f"- {kind}: `{what}` {reason}")
        lines.append("")
    risks = [f"check `{name}` has not passed since the last edit" for name in pending]
    for episode in loop_episodes(mine):
        risks.append(
            f"{episode['kind']} loop `{short(str(episode['subject']), 60)}` repeated"
            f" {episode['count']} times (signature {episode['signature']})"
            + (", escalated to a human" if episode["escalated"] else "")
        )
    unbound = [r for r in mine if r.get("evidence") == "unbound"]
    if unbound:
        risks.append(
            f"{len(unbound)} post events matched no call PreToolUse judged (forged, or"
            " their marker was lost); they credited nothing"
        )
    lost = [r for r in mine if r.get("unrecorded") or r.get("uncounted")]
    if lost:
        risks.append(
            f"{len(lost)} calls whose record or failure count could not be written"
            " (agentguard's state folder took no writes); the gate asked for every check again"
        )
    errors = [r for r in mine if r.get("error")]
    if errors:
        risks.append(f"{len(errors)} calls where the guard itself failed (on_error applied)")
    lines += ["**Remaining risk**", ""]
    lines += [f"- {risk}" for risk in risks] or ["- none recorded by agentguard"]
    return "\n".join(lines)


def _policy(home: str) -> tuple[CompiledPolicy | None, list[str], str]:
    """The policy in force here: (compiled policy, its files, '') or (None, [], why not)."""
    from agentguard.policy import compiled

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        return compiled.load(files, home).data, files, ""
    except GuardError as exc:
        return None, [], str(exc)


def _branch_changes(home: str) -> tuple[list[str], str]:
    """The files this worktree's branch changed since its base, and which base that is.

    The base is the one ``verify`` and the Stop gate use. On any failure, no files and a
    note saying why (the block says so instead of claiming an empty change).
    """
    from agentguard.commands.verify import agent_base, fork_point
    from agentguard.errors import VerifyError
    from agentguard.git import command as gitcmd

    policy, _, why = _policy(home)
    if policy is None:
        return [], f"unknown: the policy does not load ({why})"
    try:
        top = gitcmd.toplevel(os.getcwd())
        branch = gitcmd.current_branch(top)
        name, ref, source = agent_base(top, policy, branch)
        sha = gitcmd.resolve(top, ref)
        if sha is None:
            return [], f"unknown: the base {name} names no commit here"
        since, fork = fork_point(top, policy, name, sha, source)
        files = gitcmd.changed_files(top, fork)
        dirty = len(gitcmd.status_short(top))
    except (GitError, VerifyError) as exc:
        return [], f"unknown: {exc}"
    note = f"on {branch or '(detached)'} since {since} ({fork[:10]})"
    if dirty:
        note += f"; {dirty} uncommitted changes not listed"
    return files, note


def _caller(home: str) -> str | None:
    """The agent running this command, established as the hook does (None if unknown)."""
    from agentguard.engine.identity import identify

    policy, files, _ = _policy(home)
    if policy is None:
        return None
    return identify(policy, os.getcwd(), os.environ, files).agent


def evidence_view(
    home: str, files: list[str], chosen: logread.Filter, args: argparse.Namespace, as_json: bool
) -> int:
    agent = args.agent if args.agent is not None else _caller(home)
    mine = [
        r
        for r in logread.Filter(**{**chosen.__dict__, "agent": None}).apply(logread.records(files))
        if agent is None or (r.get("agent") or "") == agent
    ]
    agent, session = _current(mine, agent, args.session)
    picked = sorted({str(r.get("session")) for r in mine if r.get("session")})
    chosen_sessions = picked if args.all_sessions else [session]
    records = [r for r in mine if r.get("session") in chosen_sessions]
    block = evidence_block(records, home, agent, chosen_sessions, changes=_branch_changes(home))
    found = bool(records)
    if as_json:
        print(
            json.dumps(
                {
                    "agent": agent,
                    "session": session,
                    "sessions": chosen_sessions if found else [],
                    "markdown": block,
                    "found": found,
                }
            )
        )
    else:
        print(block)
    if not found:
        where = ", ".join(files) or log.log_path(home)
        sys.stderr.write(
            f"agentguard logs evidence: no guarded calls for agent {agent or '(unassigned)'!r}"
            f" in {where}; pass --session/--agent, or check AGENTGUARD_HOME.\n"
        )
        return 1
    return 0
