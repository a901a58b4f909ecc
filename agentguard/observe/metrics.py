"""Cost per merged change: one row per agent branch, from git history and the decision log.

Cold path. The article's metric is "cost per merged change": what it took (time, human
interventions, denials, failed checks, loops, Stop blocks) for a change to reach the
integration branch. A branch's merge is found in git: the merge commit on the target's
first-parent line whose second parent holds the branch tip (or, for a branch deleted after
its merge, whose subject names it: ``Merge branch 'x'``); a fast-forward counts as merged
at the tip's commit time. Its cost is read from the log records of that branch (the hook
records the branch it judged on), or of its agent for records older than that. A branch
never merged is charged to its task as ``open``, never dropped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from agentguard.errors import GitError
from agentguard.git import command as gitcmd

Record = dict[str, Any]
_MERGE_SUBJECT = re.compile(r"^Merge (?:remote-tracking )?branch '(?P<branch>[^']+)'")
_JUDGED = ("PreToolUse", "PreSkillShellCommand")


class Merge:
    """A merge commit on a target's first-parent line."""

    __slots__ = ("first", "second", "sha", "subject", "when")

    def __init__(self, sha: str, first: str, second: str, when: str, subject: str) -> None:
        self.sha, self.first, self.second, self.when, self.subject = (
            sha,
            first,
            second,
            when,
            subject,
        )


def _merges(top: str, target: str) -> list[Merge]:
    """The merges on ``target``'s first-parent line, oldest first."""
    text = gitcmd.out(
        top, "log", "--first-parent", "--merges", "--reverse", "--format=%H %P%x09%cI%x09%s", target
    )
    out = []
    for line in text.splitlines():
        shas, when, subject = [*line.split("\t", 2), "", ""][:3]
        parts = shas.split()
        if len(parts) >= 3:
            out.append(Merge(parts[0], parts[1], parts[2], when, subject))
    return out


def _branches(top: str) -> dict[str, tuple[str, str]]:
    """Local branches: name -> (tip, commit time)."""
    text = gitcmd.out(
        top,
        "for-each-ref",
        "refs/heads",
        "--format=%(refname:short)%09%(objectname)%09%(committerdate:iso-strict)",
    )
    out = {}
    for line in text.splitlines():
        name, sha, when = [*line.split("\t"), "", ""][:3]
        out[name] = (sha, when)
    return out


def find_merge(
    top: str, tip: str | None, name: str, merges: Sequence[Merge], target: str
) -> tuple[str, str] | None:
    """(merge commit, time) that brought branch ``name`` into ``target``, or None if open."""
    for merge in merges:
        if tip is None:
            if (m := _MERGE_SUBJECT.match(merge.subject)) and m.group("branch") == name:
                return merge.sha, merge.when
            continue
        if gitcmd.is_ancestor(top, tip, merge.second) and not gitcmd.is_ancestor(
            top, tip, merge.first
        ):
            return merge.sha, merge.when
    if tip is not None and gitcmd.is_ancestor(top, tip, target):
        when = gitcmd.out(top, "show", "-s", "--format=%cI", tip).strip()
        return tip, when  # a fast-forward: the tip itself is on the target
    return None


def model_of(transcripts: Iterable[str]) -> str:
    """The model the sessions ran, from their transcripts (the most used), or ``unknown``."""
    seen: Counter[str] = Counter()
    for path in transcripts:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if '"model"' not in line:
                        continue
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    message = entry.get("message") if isinstance(entry, dict) else None
                    if (
                        isinstance(message, dict)
                        and isinstance(message.get("model"), str)
                        and message.get("role", "assistant") == "assistant"
                    ):
                        seen[message["model"]] += 1
        except OSError:
            continue
    return seen.most_common(1)[0][0] if seen else "unknown"


def _seconds(a: str, b: str) -> float | None:
    try:
        start = datetime.fromisoformat(a.replace("Z", "+00:00"))
        end = datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (end - start).total_seconds())


def cost(records: Sequence[Record]) -> dict[str, Any]:
    """What the calls in ``records`` cost: interventions, denials, failures, loops, blocks."""
    from agentguard.observe.views import loop_episodes

    asks = approvals = denials = failed = blocks = escalations = 0
    for r in records:
        said = r.get("would") if r.get("mode") == "observe" else r.get("output")
        if r.get("event") in _JUDGED and said == "ask":
            asks += 1
        if r.get("event") in _JUDGED and said == "deny":
            denials += 1
        if r.get("answer") == "approved":
            approvals += 1
        checks = r.get("checks")
        if r.get("event") not in ("Stop", "SubagentStop") and isinstance(checks, dict):
            failed += sum(1 for v in checks.values() if v == "failed")
        if r.get("gate") == "blocked":
            blocks += 1
        if r.get("escalation"):
            escalations += 1
    return {
        "calls": len(records),
        "interventions": asks + escalations,
        "asks": asks,
        "approvals": approvals,
        "denials": denials,
        "failed_checks": failed,
        "loops": len(loop_episodes(records)),
        "stop_blocks": blocks,
    }


def _changed(top: str, name: str, tip: str | None, merge: str | None, target: str) -> list[str]:
    """The files the branch changed: its side of the merge, or since it left the target."""
    try:
        if merge and merge != tip:
            return gitcmd.changed_files(top, f"{merge}^1", f"{merge}^2")
        if tip is None:
            return []
        if merge:  # a fast-forward: measured from the base agents up recorded, if any
            base = gitcmd.recorded_base(top, name)
            return gitcmd.changed_files(top, base, tip) if base else []
        return gitcmd.changed_files(top, target, tip)
    except GitError:
        return []


def _rows_for(
    top: str,
    names: Iterable[tuple[str, str | None, str]],
    target: str,
    records: Sequence[Record],
    by_branch: Mapping[str, str],
) -> list[Record]:
    merges = _merges(top, target)
    rows = []
    for name, tip, agent in names:
        mine = [r for r in records if r.get("branch") == name] or [
            r for r in records if not r.get("branch") and r.get("agent") == agent
        ]
        merged = find_merge(top, tip, name, merges, target)
        first = str(mine[0].get("ts")) if mine else ""
        end = merged[1] if merged else (str(mine[-1].get("ts")) if mine else "")
        files = _changed(top, name, tip, merged[0] if merged else None, target)
        transcripts = sorted({str(r["transcript"]) for r in mine if r.get("transcript")})
        rows.append(
            {
                "branch": name,
                "agent": agent or by_branch.get(name, "(unknown)"),
                "into": target,
                "merged": bool(merged),
                "merged_at": merged[1] if merged else "",
                "merge": merged[0] if merged else "",
                "status": "merged" if merged else "open (charged to its task)",
                "model": model_of(transcripts),
                "first_call": first,
                "elapsed_s": _seconds(first, end) if first and end else None,
                **cost(mine),
                "files_changed": len(files),
                "files": files,
            }
        )
    return rows


def metrics(top: str, policy: Mapping[str, Any], records: Sequence[Record]) -> dict[str, Any]:
    """Rows per agent branch (into the integration branch) and per integration merge (into
    main), with totals by agent and by model."""
    records = sorted(records, key=lambda r: str(r.get("ts") or ""))
    integration = (policy.get("integration") or {}).get("branch")
    mainline = next((n for n in ("main", "master") if gitcmd.branch_ref(top, n)), None)
    target = integration if integration and gitcmd.branch_ref(top, integration) else mainline
    if target is None:
        raise GitError("no integration branch, main or master to measure merges into")
    branches = _branches(top)
    owners: dict[str, str] = {}
    for name in branches:
        if name in (integration, mainline):
            continue  # the integrator's own branch is the target, not a change into it
        for agent, spec in (policy.get("agents") or {}).items():
            regex = spec.get("branch_re")
            if regex and re.match(regex, name):
                owners[name] = agent
                break
    # Branches deleted after their merge still appear in merge subjects.
    for merge in _merges(top, target):
        if (m := _MERGE_SUBJECT.match(merge.subject)) and m.group("branch") not in branches:
            gone = m.group("branch")
            for agent, spec in (policy.get("agents") or {}).items():
                regex = spec.get("branch_re")
                if regex and re.match(regex, gone):
                    owners[gone] = agent
                    break
    names = [(n, branches[n][0] if n in branches else None, a) for n, a in sorted(owners.items())]
    rows = _rows_for(top, names, target, records, owners)
    integration_rows: list[Record] = []
    if integration and mainline and target == integration and integration in branches:
        agents = set(owners.values())
        integration_rows = _rows_for(
            top,
            [
                (
                    integration,
                    branches[integration][0],
                    str(policy["integration"].get("owner") or ""),
                )
            ],
            mainline,
            [r for r in records if r.get("agent") in agents or r.get("branch") == integration],
            owners,
        )
    return {
        "into": target,
        "branches": rows,
        "integration": integration_rows,
        "by_agent": _totals(rows, "agent"),
        "by_model": _totals(rows, "model"),
    }


# The cost fields, summed per agent and per model (and the CSV columns after the time).
SUMMED = (
    "calls",
    "interventions",
    "asks",
    "approvals",
    "denials",
    "failed_checks",
    "loops",
    "stop_blocks",
    "files_changed",
)


def _totals(rows: Sequence[Record], key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = out.setdefault(
            str(row[key]),
            {"branches": 0, "merged": 0, "elapsed_s": 0.0, **dict.fromkeys(SUMMED, 0)},
        )
        total["branches"] += 1
        total["merged"] += 1 if row["merged"] else 0
        total["elapsed_s"] += row["elapsed_s"] or 0.0
        for field in SUMMED:
            total[field] += row[field]
    for total in out.values():
        merged = total["merged"]
        # The article's figure: what one merged change cost on average.
        total["per_merged_change"] = (
            {
                f: round(total[f] / merged, 2)
                for f in ("interventions", "denials", "failed_checks", "elapsed_s")
            }
            if merged
            else None
        )
    return out
