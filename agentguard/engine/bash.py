"""Bridge from a Bash call to the shell analyser. Hot path (imported for Bash calls only).

The analyser finds every simple command the line will run; ``judge`` applies the
policy's command rules and the built-in floors, and sends every file the line reads,
writes or deletes through the very path judgement Write/Edit/Read get.
"""

from __future__ import annotations

import os

from agentguard.decision import ALLOW, DENY, Match
from agentguard.engine import paths, search
from agentguard.shell import Context, analyse, judge
from agentguard.shell.catalogue import PROGRAMS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentguard.engine.evaluate import Call
    from agentguard.shell.model import Analysis


def context_for(call: Call) -> Context:
    """Who acts, for judging merges and ref moves."""
    policy = call.policy
    integration = policy.get("integration") or {}
    branches = {
        name: spec["branch"]
        for name, spec in policy["agents"].items()
        if spec.get("branch") and not any(c in spec["branch"] for c in "*?[")
    }
    return Context(
        agent=call.identity.agent,
        branch=call.identity.branch,
        integration_branch=integration.get("branch"),
        integration_owner=integration.get("owner"),
        agent_branches=branches,
    )


def judge_command(command: str, call: Call) -> tuple[list[Match], list[str]]:
    """Every match about the command line ``command`` (grants mark an explicit allow),
    and the commands that run through a privilege wrapper (no grant may cover them)."""
    analysis = analyse(command, call.cwd, call.env)

    def judge_path(path: str, mode: str) -> list[Match]:
        return paths.judge(path, mode, call.cwd, call.paths)

    judgement = judge(analysis, call.policy["commands"], judge_path, context_for(call))
    matches = list(judgement)
    if call.paths.subagents:
        matches.extend(_subagent_commands(analysis, call))
    for cmd in analysis.commands:
        hidden = _searches_hidden(cmd.program, cmd.argv)
        if hidden is None:
            continue
        for target in cmd.reads:
            if os.path.isdir(target):
                matches.extend(search.folder_secrets(target, call.cwd, call.paths, hidden))
    if judgement.explicit_allow:
        for match in matches:
            match.grant = match.decision == ALLOW
    else:
        for match in matches:
            match.grant = False
    if not matches:
        decision = call.policy["defaults"]["unknown_command"]
        if decision != ALLOW:
            matches.append(
                Match(
                    "unknown-command",
                    decision,
                    "No rule covers this command.",
                    what=command[:200],
                    fix="Add it to the policy's commands if it is expected.",
                )
            )
    return matches, list(judgement.privileged)


def _subagent_commands(analysis: Analysis, call: Call) -> list[Match]:
    """The caller's subagent sections on each simple command: deny and ask, never a grant.

    Judged apart from the parent's rules, so that a parent's allow pattern cannot
    cover a subagent's deny; the parent's matches stand beside these.
    """
    out: list[Match] = []
    for kind, spec in call.paths.subagents:
        rules = spec["commands"]
        if rules:
            ids = {rule["id"] for rule in rules}
            out.extend(m for m in judge(analysis, rules) if m.rule in ids and m.decision != ALLOW)
        if spec["read_only"]:
            # A line that does not parse is not known to be read-only either.
            unknown = [f"unparseable: {e}" for e in analysis.errors][:1]
            unknown += [cmd.text for cmd in analysis.commands if "read-only" not in cmd.classes]
            for what in unknown:
                out.append(
                    Match(
                        "subagent",
                        DENY,
                        f"Subagents of type {kind!r} are read-only under this policy: they"
                        " run only commands agentguard knows to be read-only.",
                        what=what[:200],
                        fix="Report the command to the parent agent, which may run it.",
                    )
                )
    return out


def _searches_hidden(program: str, argv: Sequence[str]) -> bool | None:
    """For a recursive search, whether it reads dot-files; None when it is not one.

    GNU grep -r reads every file below the folder; ripgrep and its kin skip hidden
    files unless --hidden (or -uu) says otherwise.
    """
    name = program.rsplit("/", 1)[-1]
    flags = [a for a in argv[1:] if a.startswith("-")]
    search = PROGRAMS.get(name, {}).get("search")
    if search == "grep":
        recursive = any(
            a in ("--recursive", "--dereference-recursive")
            or (not a.startswith("--") and ("r" in a[1:] or "R" in a[1:]))
            for a in flags
        )
        return True if recursive else None
    if search == "ripgrep":
        return any(a in ("--hidden", "-.", "-uu", "-uuu") for a in flags)
    return None
