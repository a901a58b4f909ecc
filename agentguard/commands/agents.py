"""``agentguard agents up|status|down``: one agent = one branch = one worktree, from the policy.

    agentguard agents up [--base REF]      # create each agent's branch and worktree
    agentguard agents status [--base REF]  # branch, worktree, dirty files, files out of lane
    agentguard agents down [--base REF]    # remove worktrees that are merged and clean

``up`` starts from a clean base (``git status --short`` empty, else it refuses and lists
the files): for every agent with a branch (not a glob) and a worktree it creates the
branch (from the current HEAD or ``--base``) and a linked worktree (``git worktree
add``), records that base for the branch (``git config branch.<branch>.agentguardBase``:
the base branch's full ref, or a commit), creates the integration branch if the policy
names one, and writes the agent's
identity into the worktree's ``.claude/settings.local.json`` (``env.AGENTGUARD_AGENT``,
other keys kept), a file agents cannot edit; the file is kept out of ``git status``
through the repository's ``info/exclude``. Running it again skips what exists.
``status`` measures each branch from ``--base``, else the base recorded for it (as
``verify`` does), else the integration branch, else main. ``down`` removes a worktree
whose branch is merged into ``--base``, else the integration branch, else main, and
keeps the branches. ``status`` also names the policy file each agent's hook loads (the
main checkout's: the authority for every worktree) and says when the branch's own copy
differs (it is not enforced). Exit status: 1 when something was refused, 2 when the
command cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from agentguard.commands import settings_file, usage
from agentguard.commands.verify import (
    RECORDED,
    agent_base,
    default_base,
    fork_point,
    judge_file,
    load_policy,
)
from agentguard.engine.identity import AGENT_ENV, agent_worktree, base_dir
from agentguard.errors import GitError, GuardError, InstallError, VerifyError
from agentguard.git import command as gitcmd
from agentguard.policy import compiled
from agentguard.policy.files import read_policy

SETTINGS_LOCAL = os.path.join(".claude", "settings.local.json")
_GLOB = frozenset("*?[")


class Target:
    """An agent that has a concrete branch and a worktree folder."""

    __slots__ = ("branch", "name", "path")

    def __init__(self, name: str, branch: str, path: str) -> None:
        self.name = name
        self.branch = branch
        self.path = path


class Context:
    """The repository, its main worktree and the compiled policy."""

    def __init__(self, cwd: str, env: Mapping[str, str], policy_path: str | None) -> None:
        self.env = env
        try:
            self.top = gitcmd.toplevel(cwd)
        except GitError as exc:
            raise VerifyError(f"{cwd} is not inside a git repository ({exc})") from None
        try:
            self.policy, self.files = load_policy(self.top, env, policy_path)
        except GuardError as exc:
            raise VerifyError(str(exc)) from None
        self.main = base_dir(self.files)

    def targets(self) -> list[Target]:
        """Agents with a literal branch and a worktree, in policy order."""
        out = []
        for name, spec in self.policy["agents"].items():
            branch = spec.get("branch")
            path = agent_worktree(spec, self.main)
            if branch and path and not (_GLOB & set(branch)):
                out.append(Target(name, branch, path))
        return out

    def shown(self, path: str) -> str:
        """``path`` relative to the main worktree when that is shorter."""
        rel = os.path.relpath(path, self.main)
        return rel if len(rel) < len(path) else path


def hook_policy(worktree: str, env: Mapping[str, str]) -> dict[str, Any]:
    """Which policy the hook of an agent working in ``worktree`` loads, and why.

    The hook's own resolution (:func:`agentguard.policy.compiled.discover`) with the environment
    Claude Code gives it there: this one's, the worktree's settings ``env``, and
    ``CLAUDE_PROJECT_DIR``. ``own_policy`` lists the branch's own copy when it differs
    (it is not enforced).
    """
    hook_env = {**env, **_settings_env(worktree), "CLAUDE_PROJECT_DIR": worktree}
    try:
        files = compiled.discover(worktree, hook_env)
    except GuardError as exc:
        return {"policy": None, "policy_error": str(exc)}
    own = compiled.branch_copy(worktree, hook_env)
    return {
        "policy": files,
        "policy_source": compiled.source(files, worktree, hook_env),
        "own_policy": own if own and _read_all(own) != _read_all(files) else [],
    }


def _settings_env(worktree: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("settings.json", "settings.local.json"):
        try:
            with open(os.path.join(worktree, ".claude", name), encoding="utf-8") as fh:
                value = json.load(fh)
        except (OSError, ValueError):
            continue
        env = value.get("env") if isinstance(value, dict) else None
        if isinstance(env, dict):
            out.update({str(k): str(v) for k, v in env.items()})
    return out


def _read_all(files: list[str]) -> list[bytes | None]:
    out: list[bytes | None] = []
    for file in files:
        try:
            out.append(read_policy(file))
        except GuardError:
            out.append(None)
    return out


def _registered(top: str) -> dict[str, gitcmd.WorktreeEntry]:
    return {os.path.realpath(w.path): w for w in gitcmd.worktrees(top)}


def write_identity(worktree: str, agent: str) -> bool:
    """Merge ``env.AGENTGUARD_AGENT`` into the worktree's settings.local.json; True if written."""
    path = os.path.join(worktree, SETTINGS_LOCAL)
    loaded = settings_file.load(path)
    value = dict(loaded.value)
    env = value.get("env")
    if env is not None and not isinstance(env, dict):
        raise InstallError(f"{path}: 'env' is not an object; fix it by hand")
    if (env or {}).get(AGENT_ENV) == agent:
        return False
    value["env"] = {**(env or {}), AGENT_ENV: agent}
    settings_file.write_atomic(path, (loaded.style or settings_file.Style()).render(value))
    return True


def _ignore_local_settings(worktree: str) -> None:
    """Keep settings.local.json out of ``git status`` without touching a committed file."""
    if gitcmd.is_ignored(worktree, SETTINGS_LOCAL):
        return
    exclude = os.path.join(gitcmd.common_dir(worktree), "info", "exclude")
    os.makedirs(os.path.dirname(exclude), exist_ok=True)
    with open(exclude, "a", encoding="utf-8") as fh:
        fh.write("\n# agentguard: per-worktree agent identity\n/.claude/settings.local.json\n")


def up(ctx: Context, base: str | None, out: TextIO) -> int:
    """Create branches, worktrees and identities; 1 when something was refused."""
    dirty = gitcmd.status_short(ctx.top)
    if dirty:
        print(
            f"refused: {ctx.top} is not clean; agents start from a clean base."
            " Commit or stash these first:",
            file=out,
        )
        for line in dirty:
            print(f"  {line}", file=out)
        return 1
    # The one base: recorded per branch, read by verify and status (and so the Stop gate).
    # A branch named like a tag is the branch, as verify reads it.
    recorded = gitcmd.full_ref(ctx.top, base or "HEAD")
    sha = gitcmd.resolve(ctx.top, recorded)
    if sha is None:
        raise VerifyError(f"--base {base!r} names no commit; pass a branch, tag or commit")
    ref = gitcmd.short_ref(recorded) if recorded != sha else sha[:12]
    short = sha[:8]
    refused = 0
    spec = ctx.policy.get("integration")
    integration = spec["branch"] if spec else None
    if integration and not gitcmd.branch_exists(ctx.top, integration):
        gitcmd.run(ctx.top, "branch", integration, sha)
        print(f"integration: created branch {integration} at {ref} ({short})", file=out)
    elif integration and not gitcmd.is_ancestor(ctx.top, sha, f"refs/heads/{integration}"):
        print(
            f"integration: {integration} does not contain {ref} ({short});\n"
            f"  each agent's work is measured from {ref}, the base recorded for its branch",
            file=out,
        )
    registered = _registered(ctx.top)
    for target in ctx.targets():
        where = ctx.shown(target.path)
        entry = registered.get(os.path.realpath(target.path))
        if entry is not None:
            if entry.branch != target.branch:
                print(
                    f"{target.name}: {where} has {entry.branch or 'a detached HEAD'} checked out,"
                    f" not {target.branch}; left alone (switch it yourself to use it)",
                    file=out,
                )
                if os.path.realpath(target.path) != os.path.realpath(ctx.main):
                    refused += 1
                continue
            note = f"{target.name}: {where} already on {target.branch}; skipped"
        else:
            if os.path.exists(target.path) and os.listdir(target.path):
                print(
                    f"{target.name}: refused: {where} exists and is not a worktree of this"
                    " repository; move it away or change agents."
                    f"{target.name}.worktree",
                    file=out,
                )
                refused += 1
                continue
            try:
                if gitcmd.branch_exists(ctx.top, target.branch):
                    gitcmd.run(ctx.top, "worktree", "add", "--quiet", target.path, target.branch)
                    made = f"existing branch {target.branch}"
                else:
                    gitcmd.run(
                        ctx.top, "worktree", "add", "--quiet", "-b", target.branch, target.path, sha
                    )
                    gitcmd.record_base(ctx.top, target.branch, recorded)
                    made = f"branch {target.branch} from {ref} ({short})"
            except GitError as exc:
                print(f"{target.name}: refused: {exc}", file=out)
                refused += 1
                continue
            note = f"{target.name}: created worktree {where} on {made}"
        try:
            _ignore_local_settings(target.path)
            written = write_identity(target.path, target.name)
        except (InstallError, OSError, GitError) as exc:
            print(f"{note}; identity NOT written: {exc}", file=out)
            refused += 1
            continue
        identity = "identity written" if written else "identity already set"
        print(f"{note}; {identity} ({AGENT_ENV}={target.name} in {SETTINGS_LOCAL})", file=out)
    return 1 if refused else 0


def status(ctx: Context, base: str | None, fmt: str, out: TextIO) -> int:
    """Each agent's branch, worktree, dirty files and files outside its lane."""
    registered = _registered(ctx.top)
    report: list[dict[str, Any]] = []
    for target in ctx.targets():
        row: dict[str, Any] = {"agent": target.name, "branch": target.branch}
        row["branch_exists"] = gitcmd.branch_exists(ctx.top, target.branch)
        entry = registered.get(os.path.realpath(target.path))
        row["worktree"] = ctx.shown(target.path)
        row["checked_out"] = entry.branch if entry is not None else None
        row["dirty"] = gitcmd.status_short(target.path) if entry is not None else []
        changed: list[str] = []
        row["base"] = row["base_source"] = None
        if row["branch_exists"]:
            # The same base verify uses for this branch (the one agents up recorded).
            try:
                name, ref, source = agent_base(ctx.top, ctx.policy, target.branch, base)
                head = f"refs/heads/{target.branch}"
                since, fork = fork_point(ctx.top, ctx.policy, name, ref, source, head)
            except VerifyError as exc:
                row["base_error"] = str(exc)
            else:
                row["base"], row["base_source"], row["measured_from"] = name, source, since
                changed = gitcmd.changed_files(ctx.top, fork, head)
        if entry is not None:
            row.update(hook_policy(target.path, ctx.env))
        dirty_paths = [line[3:].split(" -> ")[-1] for line in row["dirty"]]
        row["changed"] = changed
        row["out_of_lane"] = {
            rel: why
            for rel in dict.fromkeys([*changed, *dirty_paths])
            if (why := judge_file(ctx.policy, target.name, rel))
        }
        report.append(row)
    if fmt == "json":
        out.write(json.dumps({"base": base, "agents": report}, indent=2) + "\n")
        return 0
    for row in report:
        if not row["branch_exists"]:
            where = "branch not created yet (agentguard agents up)"
        elif row["checked_out"] is None:
            where = f"no worktree at {row['worktree']}"
        elif row["checked_out"] != row["branch"]:
            where = f"worktree {row['worktree']} has {row['checked_out']} checked out"
        else:
            where = f"worktree {row['worktree']}"
        changes = (
            "changes unknown" if row.get("base_error") else f"{len(row['changed'])} file(s) changed"
        )
        print(f"{row['agent']}: {row['branch']}, {where}, {changes}", file=out)
        if row["base"]:
            recorded = f" ({RECORDED})" if row["base_source"] == RECORDED else ""
            since = row["measured_from"]
            later = f"; measured from {since}, merged in since" if since != row["base"] else ""
            print(f"  base: {row['base']}{recorded}{later}", file=out)
        elif row.get("base_error"):
            print(f"  base: {row['base_error']}", file=out)
        if row.get("policy_error"):
            print(f"  policy: {row['policy_error']}", file=out)
        elif row.get("policy"):
            shown = ", ".join(ctx.shown(f) for f in row["policy"])
            print(f"  policy: {shown} ({row['policy_source']})", file=out)
            if row.get("own_policy"):
                own = ", ".join(ctx.shown(f) for f in row["own_policy"])
                print(f"    its own {own} differs and is not enforced", file=out)
        print(f"  dirty: {', '.join(row['dirty']) if row['dirty'] else 'none'}", file=out)
        if row["out_of_lane"]:
            print("  outside its lane:", file=out)
            for rel, why in row["out_of_lane"].items():
                print(f"    {rel}: {why}", file=out)
        else:
            print("  outside its lane: none", file=out)
    return 0


def down(ctx: Context, base: str | None, out: TextIO) -> int:
    """Remove merged, clean agent worktrees (branches kept); 1 when one was refused."""
    base = base or default_base(ctx.top, ctx.policy)
    registered = _registered(ctx.top)
    refused = 0
    for target in ctx.targets():
        real = os.path.realpath(target.path)
        entry = registered.get(real)
        where = ctx.shown(target.path)
        if entry is None or real == os.path.realpath(ctx.main):
            continue
        dirty = gitcmd.status_short(target.path)
        if dirty:
            print(
                f"{target.name}: refused: {where} has uncommitted changes"
                f" ({', '.join(dirty)}); commit or discard them",
                file=out,
            )
            refused += 1
            continue
        head = entry.head or target.branch
        # The branch's full ref: a tag named like the base must not make work look merged.
        if not gitcmd.is_ancestor(ctx.top, head, gitcmd.branch_ref(ctx.top, base) or base):
            print(
                f"{target.name}: refused: {entry.branch or head} is not merged into {base};"
                " merge it (integrator) or pass the --base it was merged into",
                file=out,
            )
            refused += 1
            continue
        try:
            gitcmd.run(ctx.top, "worktree", "remove", target.path)
        except GitError as exc:
            print(f"{target.name}: refused: {exc}", file=out)
            refused += 1
            continue
        print(f"{target.name}: removed {where} (merged into {base}; branch kept)", file=out)
    return 1 if refused else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """``agents up|status|down``; 0 done, 1 something refused, 2 cannot run."""
    parser = argparse.ArgumentParser(
        prog="agentguard agents",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", choices=("up", "status", "down"))
    parser.add_argument(
        "--base",
        help="base ref (up: default HEAD; status: the recorded base; down: integration branch)",
    )
    parser.add_argument("--policy", help="policy file or folder (default: discovery)")
    parser.add_argument("-C", dest="cwd", default=None, help="run in this folder")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="status output")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    try:
        ctx = Context(os.path.abspath(args.cwd or os.getcwd()), os.environ, args.policy)
        if args.action == "up":
            return up(ctx, args.base, stream)
        if args.action == "status":
            return status(ctx, args.base, args.format, stream)
        return down(ctx, args.base, stream)
    except (VerifyError, GitError) as exc:
        print(f"agentguard agents {args.action}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
