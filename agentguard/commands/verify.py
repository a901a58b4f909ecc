"""``agentguard verify``: the ownership row of the verification matrix, for CI and the integrator.

    agentguard verify                          # in an agent's worktree: identity from the session
    agentguard verify --agent search --base integration/blog-discovery --format github

Checks, each a PASS/FAIL line: ``branch`` (the branch checked out is the agent's),
``ownership`` (``git diff --name-only BASE...HEAD`` stays inside the agent's ``owns`` and
outside its ``cannot_touch``; each offending file is named), ``generated`` (no generated
file, per the policy's ``generated`` path class, committed or left untracked unless the
repository already tracked it at BASE), ``clean`` (``git status --short`` is empty).
BASE defaults to the base ``agents up`` created the branch from (recorded in ``git config
branch.<branch>.agentguardBase``), else the integration branch, else ``main``/``master``;
changes are measured from the merge base with it. Each offending file comes with how to
undo it, or with whom to ask when the agent's own guard would refuse that. For the integration
owner (when it is also an agent of the policy: on the integration branch), ``ownership`` means
every changed file is owned by some agent. In CI on a detached checkout, ``GITHUB_HEAD_REF``
names the branch. Exit status: 1 when a check fails, 2 when
verify cannot run (no agent, no base, not a repository).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from agentguard.commands import usage
from agentguard.decision import DENY
from agentguard.engine import evaluate as gate
from agentguard.engine.call import Call, prepare
from agentguard.engine.identity import AGENT_ENV, identify
from agentguard.engine.paths import may_change
from agentguard.engine.patterns import deciding_pattern
from agentguard.errors import GitError, GuardError, PolicyError, VerifyError
from agentguard.git import command as gitcmd
from agentguard.policy import compiled
from agentguard.policy.compiler import build
from agentguard.report import FORMATS, Outcome, render_outcomes
from agentguard.state import home as state

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledPolicy

GENERATED_ID = "generated"


# verify's words for each objection of the one ownership judgement (engine.paths.may_change).
_WHY = {
    "self-protection": "agentguard's own file (policy, .claude/, git internals): only a human"
    " changes it",
    "cannot-touch": "in {agent}'s cannot_touch ({subject!r})",
    "ownership": "owned by {subject}, not by {agent}",
    "unowned-write": "outside {agent}'s owned paths",
}
_UNOWNED_MERGED = "no agent owns it, so no agent branch should change it"


def integrating(policy: Mapping[str, Any], agent: str, branch: str | None = None) -> bool:
    """Whether ``agent``'s changes are the agents' merged work: the integration owner, when it
    is no agent of the policy or when ``branch`` is the integration branch."""
    integration: Mapping[str, Any] = policy.get("integration") or {}
    if not integration.get("owner") or agent != integration["owner"]:
        return False
    return agent not in policy["agents"] or branch == integration.get("branch")


def judge_file(
    policy: CompiledPolicy, agent: str, rel: str, *, merged: bool | None = None
) -> str | None:
    """Why ``agent`` may not have changed ``rel`` (None when it may). ``policy`` is compiled.

    The hook's own judgement (:func:`agentguard.engine.paths.may_change`); ``merged`` (by
    default :func:`integrating` without a branch) judges the branch as the integration
    owner's, where every changed file must be some agent's.
    """
    if merged is None:
        merged = integrating(policy, agent)
    if not merged and agent not in policy["agents"]:
        return f"agent {agent} is not defined in the policy"
    # Git records names exactly; only a policy that says the paths ignore case folds them.
    fold = policy["defaults"].get("case_insensitive_paths") is True
    objections = may_change(policy, agent, rel, integrating=merged, fold=fold)
    if not objections:
        return None
    rule, _, subject = objections[0]
    if merged and rule == "unowned-write":
        return _UNOWNED_MERGED
    return _WHY[rule].format(agent=agent, subject=subject)


def default_base(top: str, policy: Mapping[str, Any]) -> str:
    """The integration branch when it exists, else main or master; VerifyError otherwise."""
    integration = (policy.get("integration") or {}).get("branch")
    candidates = [c for c in (integration, f"origin/{integration}" if integration else None) if c]
    for name in [*candidates, "main", "master", "origin/main", "origin/master"]:
        if gitcmd.branch_ref(top, name):
            return name
    raise VerifyError("no base branch found (integration branch, main, master); pass --base REF")


RECORDED = "from agents up"


def agent_base(
    top: str, policy: Mapping[str, Any], branch: str | None, explicit: str | None = None
) -> tuple[str, str, str]:
    """The one base a branch is measured from: ``(name shown, ref for git, where from)``.

    In order: ``--base``; the base ``agents up`` recorded when it created the branch
    (``git config branch.<branch>.agentguardBase``); the integration branch, else main.
    ``verify`` and ``agents status`` both ask this, and the Stop gate's ownership check
    is ``agentguard verify``, so the three cannot disagree about what the agent changed.
    """
    if explicit:
        name, source = explicit, "--base"
        ref = gitcmd.branch_ref(top, name) or name
    elif branch and (recorded := gitcmd.recorded_base(top, branch)):
        name, source, ref = gitcmd.short_ref(recorded), RECORDED, recorded
        if gitcmd.resolve(top, ref) is None:
            raise VerifyError(
                f"the base {recorded} recorded for {branch} by `agentguard agents up`"
                f" (git config {gitcmd.base_key(branch)}) names no commit; pass --base REF,"
                " or a human sets it again with git config"
            )
    else:
        name, source = default_base(top, policy), "default"
        ref = gitcmd.branch_ref(top, name) or name
    return name, ref, source


def fork_point(
    top: str, policy: Mapping[str, Any], name: str, ref: str, source: str, head: str = "HEAD"
) -> tuple[str, str]:
    """The commit ``head``'s own changes start after, and the base it is on: ``(name, sha)``.

    The merge base with the base. For a recorded base, the integration branch's merge
    base wins when it is newer: an agent branch that took the integration branch in
    (others' merged work, by the integrator) is measured from there, not charged with
    it. Only its owner moves the integration branch; ``--base`` is taken as given.
    """
    fork = gitcmd.merge_base(top, ref, head)
    if fork is None:
        raise VerifyError(f"{head} shares no history with the base {name}; pass --base REF")
    integration = (policy.get("integration") or {}).get("branch")
    if source == RECORDED and integration and integration != name:
        other = gitcmd.branch_ref(top, integration)
        later = gitcmd.merge_base(top, other, head) if other else None
        if later and later != fork and gitcmd.is_ancestor(top, fork, later):
            return integration, later
    return name, fork


def generated_patterns(policy: Mapping[str, Any]) -> list[Any]:
    """The compiled patterns of the policy's ``generated`` path class (empty when none)."""
    return [p for cls in policy["paths"] if cls["id"] == GENERATED_ID for p in cls["patterns"]]


def load_policy(
    cwd: str, env: Mapping[str, str], policy: str | None
) -> tuple[CompiledPolicy, list[str]]:
    """The compiled policy for ``cwd`` (or the given file/folder) and its files."""
    if policy:
        env = {**env, compiled.POLICY_ENV: os.path.abspath(policy)}
    files = compiled.discover(cwd, env)
    try:
        return compiled.stamp(build(files)), files
    except PolicyError as exc:
        raise VerifyError(
            f"the policy does not load: {exc.problems[0]}; run `agentguard lint`"
        ) from None


def verify(
    cwd: str,
    env: Mapping[str, str],
    *,
    agent: str | None = None,
    base: str | None = None,
    policy_path: str | None = None,
) -> tuple[list[str], list[Outcome], dict[str, Any]]:
    """Run the checks in the worktree holding ``cwd``: header lines, outcomes, JSON extras."""
    try:
        top = gitcmd.toplevel(cwd)
    except GitError as exc:
        raise VerifyError(f"{cwd} is not inside a git repository ({exc})") from None
    try:
        policy, files = load_policy(top, env, policy_path)
    except GuardError as exc:
        raise VerifyError(str(exc)) from None
    source = "--agent"
    if agent is None:
        ident = identify(policy, top, env, files)
        agent, source = ident.agent, ident.source
    if agent is None:
        raise VerifyError(
            "cannot tell which agent this worktree belongs to (no AGENTGUARD_AGENT, no agent's"
            " branch checked out); pass --agent NAME"
        )
    integration: Mapping[str, Any] = policy.get("integration") or {}
    spec = policy["agents"].get(agent)
    if spec is None and agent != integration.get("owner"):
        raise VerifyError(f"agent {agent!r} is not defined in {', '.join(files)}")
    branch = gitcmd.current_branch(top) or env.get("GITHUB_HEAD_REF") or None
    # A branch name is taken as the branch, never a same-named tag (git resolves a bare
    # name to the tag first): git is given the full ref, the report shows the short name.
    base, ref, base_source = agent_base(top, policy, branch, base)
    base_sha = gitcmd.resolve(top, ref)
    if base_sha is None:
        raise VerifyError(f"base {base!r} names no commit here; fetch it or pass --base REF")
    since, fork = fork_point(top, policy, base, base_sha, base_source)
    undo = Undo(top, env, policy, files, agent, branch, fork)
    outcomes = [
        _check_branch(agent, spec, integration, branch),
        _check_ownership(top, policy, agent, since, fork, undo, integrating(policy, agent, branch)),
        _check_generated(top, policy, base, fork),
        _check_clean(top),
    ]
    shown = f"{base} ({RECORDED})" if base_source == RECORDED else base
    header = [f"agent {agent} (from {source}), branch {branch or '(detached)'}, base {shown}"]
    extra = {
        "agent": agent,
        "identity": source,
        "branch": branch,
        "base": base,
        "base_source": base_source,
        "merge_base": fork,
    }
    return header, outcomes, extra


def _check_branch(
    agent: str, spec: Mapping[str, Any] | None, integration: Mapping[str, Any], branch: str | None
) -> Outcome:
    expected = spec.get("branch") if spec else integration.get("branch")
    regex = spec.get("branch_re") if spec else None
    if not expected:
        return Outcome("branch", True, f"agent {agent} declares no branch")
    if branch is None:
        return Outcome(
            "branch",
            False,
            f"HEAD is detached; check out {expected} (in CI, GITHUB_HEAD_REF names the branch)",
        )
    ok = bool(re.match(regex, branch)) if regex else branch == expected
    if ok:
        return Outcome("branch", True, f"{branch} is agent {agent}'s branch")
    return Outcome(
        "branch",
        False,
        f"{branch} is not agent {agent}'s branch ({expected}); one agent works on one branch:"
        f" run verify on {expected}, or pass the right --agent",
    )


class Undo:
    """How the agent undoes a change to one file on its branch, as its own guard will judge it.

    The suggestion is the command that restores the file as of the merge base (``git
    checkout <commit> -- FILE``, or ``git rm`` for a file the base did not have), run
    through the same PreToolUse evaluation the agent's Bash call would get. When that
    evaluation denies it (agentguard's own files, another agent's, a ``cannot_touch``),
    the agent is told to ask the integration owner or a human instead of being handed a
    command its guard refuses.
    """

    def __init__(
        self,
        top: str,
        env: Mapping[str, str],
        policy: CompiledPolicy,
        files: list[str],
        agent: str,
        branch: str | None,
        fork: str,
    ) -> None:
        self.top = top
        self.env = {**env, AGENT_ENV: agent}
        self.policy = policy
        self.files = files
        self.branch = branch or "this branch"
        self.fork = fork
        integration = policy.get("integration")
        self.owner = integration["owner"] if integration else None
        self._at_base: set[str] | None = None
        self._call: Call | None = None

    def command(self, rel: str) -> str:
        """The git command that puts ``rel`` back as it was at the merge base."""
        if self._at_base is None:
            self._at_base = gitcmd.tracked_at(self.top, self.fork)
        if rel in self._at_base:
            return f"git checkout {self.fork[:12]} -- {shlex.quote(rel)}"
        return f"git rm -q -- {shlex.quote(rel)}"

    def hint(self, rel: str) -> list[str]:
        """The command to run, or whom to ask when the guard would refuse it (short lines)."""
        command = self.command(rel)
        if self._call is None:
            home = state.home(self.top, self.env)
            self._call = prepare(self.policy, self.files, self.top, self.env, home)
        call = self._call
        event = {"tool_name": "Bash", "tool_input": {"command": command}}
        if gate.evaluate(event, call).decision != DENY:
            return [f"undo: {command}"]
        who = f"the integration owner ({self.owner}) or a human" if self.owner else "a human"
        return [f"not yours to change: ask {who}", f"to run on {self.branch}: {command}"]


def _check_ownership(
    top: str,
    policy: CompiledPolicy,
    agent: str,
    base: str,
    fork: str,
    undo: Undo,
    merged: bool,
) -> Outcome:
    changed = gitcmd.changed_files(top, fork)
    since = f"{base} (merge base {fork[:12]})"
    offending = [
        (rel, why) for rel in changed if (why := judge_file(policy, agent, rel, merged=merged))
    ]
    if not offending:
        return Outcome(
            "ownership",
            True,
            f"{len(changed)} changed file(s) since {since}, all in {agent}'s lane",
        )
    details = []
    for rel, why in offending:
        details += [f"{rel}: {why}", *(f"  {line}" for line in undo.hint(rel))]
    return Outcome(
        "ownership",
        False,
        f"{len(offending)} of {len(changed)} changed file(s) since {since} are outside"
        f" {agent}'s lane; undo each as shown",
        details=details,
        files=[rel for rel, _ in offending],
    )


def _check_generated(top: str, policy: Mapping[str, Any], base: str, ref: str) -> Outcome:
    patterns = generated_patterns(policy)
    if not patterns:
        return Outcome("generated", True, f"the policy has no {GENERATED_ID!r} path class")
    known = gitcmd.tracked_at(top, ref)
    at_head = gitcmd.tracked_at(top, "HEAD")
    committed = [
        rel
        for rel in gitcmd.changed_files(top, ref)
        if rel in at_head and rel not in known and deciding_pattern(patterns, rel)
    ]
    loose = [rel for rel in gitcmd.untracked(top) if deciding_pattern(patterns, rel)]
    if not committed and not loose:
        return Outcome("generated", True, "no new generated files, committed or untracked")
    details = [f"{rel}: committed, but {base} does not track it" for rel in committed]
    details += [f"{rel}: untracked and not ignored" for rel in loose]
    return Outcome(
        "generated",
        False,
        f"{len(committed) + len(loose)} generated file(s) the repository did not track at {base};"
        " remove them from the branch (git rm --cached) and ignore them (.gitignore)",
        details=details,
        files=committed + loose,
    )


def _check_clean(top: str) -> Outcome:
    dirty = gitcmd.status_short(top)
    if not dirty:
        return Outcome("clean", True, "working tree clean")
    return Outcome(
        "clean",
        False,
        f"{len(dirty)} uncommitted change(s); commit or discard them before verifying",
        details=dirty,
        files=[line[3:] for line in dirty],
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Verify the current branch; 0 all checks pass, 1 a check failed, 2 verify cannot run."""
    parser = argparse.ArgumentParser(
        prog="agentguard verify",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "row", nargs="?", choices=("ownership",), help="the matrix row (only ownership)"
    )
    parser.add_argument("--agent", help="the agent (default: identity of this worktree)")
    parser.add_argument(
        "--base", help="base ref (default: recorded by agents up, else integration branch)"
    )
    parser.add_argument("--policy", help="policy file or folder (default: discovery)")
    parser.add_argument("-C", dest="cwd", default=None, help="run in this folder")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    cwd = os.path.abspath(args.cwd or os.getcwd())
    try:
        header, outcomes, extra = verify(
            cwd, os.environ, agent=args.agent, base=args.base, policy_path=args.policy
        )
    except (VerifyError, GitError) as exc:
        print(f"agentguard verify: {exc}", file=sys.stderr)
        return 2
    render_outcomes(
        outcomes, args.format, stream, tool="agentguard verify", header=header, extra=extra
    )
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
