"""Small helpers that run ``git``. Cold path only (``agents``, ``verify``, ``lint``).

The hook never spawns git (it reads git's files through :mod:`agentguard.git.files`);
these commands run once per CLI call, where a process is cheap and git's own answer
(renames, ignore rules, worktree bookkeeping) beats re-implementing it.
"""

from __future__ import annotations

import os
import subprocess

from agentguard import diag
from agentguard.errors import GitError


def run(cwd: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``git args`` in ``cwd``; raise :class:`GitError` on a non-zero exit when ``check``."""
    env = dict(os.environ)
    # A stray GIT_DIR (set by a hook runner such as pre-commit) would point every command at
    # another repository than the folder we name.
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(var, None)
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH; install git") from exc
    diag.log().debug("git", args=list(args), cwd=cwd, exit=done.returncode)
    if check and done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        detail = message[-1] if message else f"exit status {done.returncode}"
        raise GitError(f"`git {' '.join(args)}` failed in {cwd}: {detail}")
    return done


def out(cwd: str, *args: str) -> str:
    """The stdout of ``git args`` in ``cwd``, without its final newline."""
    return run(cwd, *args).stdout.rstrip("\n")


def lines(cwd: str, *args: str) -> list[str]:
    """The non-empty output lines of ``git args``."""
    return [line for line in run(cwd, *args).stdout.splitlines() if line]


def toplevel(cwd: str) -> str:
    """The top folder of the worktree holding ``cwd``; GitError outside a repository."""
    return out(cwd, "rev-parse", "--show-toplevel")


def common_dir(cwd: str) -> str:
    """The repository's common git directory (shared by all its worktrees), absolute."""
    path = out(cwd, "rev-parse", "--git-common-dir")
    return os.path.normpath(os.path.join(cwd, path))


def status_short(cwd: str) -> list[str]:
    """``git status --short`` lines (modified, staged and untracked files)."""
    return [
        line
        for line in run(cwd, "status", "--short", "--untracked-files=all").stdout.splitlines()
        if line
    ]


def current_branch(cwd: str) -> str | None:
    """The branch checked out in ``cwd``, or None when HEAD is detached."""
    done = run(cwd, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    name = done.stdout.strip()
    return name if done.returncode == 0 and name else None


def resolve(cwd: str, ref: str) -> str | None:
    """The commit ``ref`` names, or None when it names none."""
    done = run(cwd, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else None


def branch_ref(cwd: str, name: str) -> str | None:
    """The full ref of the branch ``name`` (local, then remote-tracking), or None.

    A bare name is resolved by git with tags first, so a tag named like the base
    branch would silently move the base of a comparison: full names cannot be shadowed.
    """
    for candidate in (f"refs/heads/{name}", f"refs/remotes/{name}"):
        done = run(cwd, "show-ref", "--verify", "--quiet", candidate, check=False)
        if done.returncode == 0:
            return candidate
    return None


def full_ref(cwd: str, ref: str) -> str:
    """``ref`` as a full ref name (a branch first, as :func:`branch_ref`), else its commit.

    What ``agents up`` records as a branch's base: a name follows the base branch as it
    moves on (``BASE...HEAD`` then measures from the merge base), a commit stays put.
    """
    if ref == "HEAD":
        done = run(cwd, "symbolic-ref", "--quiet", "HEAD", check=False)
        name = done.stdout.strip()
        if done.returncode == 0 and name.startswith("refs/heads/"):
            return name
    else:
        branch = branch_ref(cwd, ref)
        if branch:
            return branch
        name = out(cwd, "rev-parse", "--symbolic-full-name", ref) if resolve(cwd, ref) else ""
        if name.startswith("refs/"):
            return name
    sha = resolve(cwd, ref)
    if sha is None:
        raise GitError(f"{ref!r} names no commit in {cwd}; pass a branch, tag or commit")
    return sha


BASE_KEY = "agentguardBase"


def base_key(branch: str) -> str:
    """The git config key holding the base ``agents up`` created ``branch`` from."""
    return f"branch.{branch}.{BASE_KEY}"


def recorded_base(cwd: str, branch: str) -> str | None:
    """The base recorded for ``branch`` by ``agents up``, or None.

    ``--local`` reads the repository's own config file only: ``git -c``,
    ``GIT_CONFIG_COUNT``/``KEY``/``VALUE`` and the user's files cannot move the base.
    """
    done = run(cwd, "config", "--local", "--get", base_key(branch), check=False)
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None


def record_base(cwd: str, branch: str, ref: str) -> None:
    """Record ``ref`` as ``branch``'s base (git renames and deletes it with the branch)."""
    run(cwd, "config", "--local", base_key(branch), ref)


def merge_base(cwd: str, one: str, two: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history."""
    done = run(cwd, "merge-base", one, two, check=False)
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else None


def short_ref(ref: str) -> str:
    """``refs/heads/main`` -> ``main``, ``refs/remotes/origin/x`` -> ``origin/x``."""
    for prefix in ("refs/heads/", "refs/remotes/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def branch_exists(cwd: str, branch: str) -> bool:
    """Whether the local branch ``branch`` exists."""
    done = run(cwd, "show-ref", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
    return done.returncode == 0


def is_ancestor(cwd: str, older: str, newer: str) -> bool:
    """Whether ``older`` is an ancestor of (or equal to) ``newer``."""
    return run(cwd, "merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


class WorktreeEntry:
    """One line of ``git worktree list``: folder, branch (None when detached) and state."""

    __slots__ = ("branch", "head", "path", "prunable")

    def __init__(self, path: str, head: str, branch: str | None, prunable: bool) -> None:
        self.path = path
        self.head = head
        self.branch = branch
        self.prunable = prunable


def worktrees(cwd: str) -> list[WorktreeEntry]:
    """Every worktree of the repository holding ``cwd`` (the main one first)."""
    entries: list[WorktreeEntry] = []
    current: dict[str, str] = {}
    for line in [*run(cwd, "worktree", "list", "--porcelain").stdout.splitlines(), ""]:
        if not line:
            if "worktree" in current:
                branch = current.get("branch")
                if branch and branch.startswith("refs/heads/"):
                    branch = branch[len("refs/heads/") :]
                entries.append(
                    WorktreeEntry(
                        current["worktree"], current.get("HEAD", ""), branch, "prunable" in current
                    )
                )
            current = {}
            continue
        key, _, value = line.partition(" ")
        current[key] = value
    return entries


def changed_files(cwd: str, base: str, head: str = "HEAD") -> list[str]:
    """Files changed on ``head`` since it left ``base`` (``git diff BASE...HEAD``).

    Renames are listed as a deletion and an addition (``--no-renames``), so moving a file out
    of someone else's folder names both paths.
    """
    text = run(cwd, "diff", "--name-only", "-z", "--no-renames", f"{base}...{head}").stdout
    return [name for name in text.split("\0") if name]


def tracked_at(cwd: str, ref: str) -> set[str]:
    """Every file path tracked in the commit ``ref``."""
    text = run(cwd, "ls-tree", "-r", "-z", "--name-only", ref).stdout
    return {name for name in text.split("\0") if name}


def tracked(cwd: str) -> list[str]:
    """Every file path tracked in the worktree's index, relative to its top."""
    text = run(cwd, "ls-files", "-z", "--full-name").stdout
    return [name for name in text.split("\0") if name]


def untracked(cwd: str) -> list[str]:
    """Untracked files git does not ignore, relative to the worktree top."""
    top = toplevel(cwd)
    text = run(top, "ls-files", "-z", "--others", "--exclude-standard").stdout
    return [name for name in text.split("\0") if name]


def is_ignored(cwd: str, path: str) -> bool:
    """Whether git ignores ``path`` (relative to ``cwd``)."""
    return run(cwd, "check-ignore", "-q", "--no-index", path, check=False).returncode == 0
