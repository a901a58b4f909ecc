"""Read what git knows about a working tree from git's own files, without spawning git.

Hot path: standard library only. Spawning ``git`` costs more than the whole hook budget.
"""

from __future__ import annotations

import os

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


class Worktree:
    """A working tree: its top folder, its git dir and the repository's common dir."""

    __slots__ = ("common_dir", "git_dir", "pointer", "top")

    def __init__(self, top: str, git_dir: str, common_dir: str, pointer: str | None) -> None:
        self.top = top
        self.git_dir = git_dir
        self.common_dir = common_dir
        # The ``.git`` *file* of a linked worktree (None for the main worktree).
        self.pointer = pointer

    def head(self) -> str | None:
        """The branch checked out (``main``), ``None`` when detached or unreadable."""
        try:
            with open(os.path.join(self.git_dir, "HEAD"), encoding="utf-8") as fh:
                text = fh.read().strip()
        except OSError:
            return None
        prefix = "ref: refs/heads/"
        if text.startswith(prefix):
            return text[len(prefix) :]
        return None

    def __repr__(self) -> str:
        return f"Worktree(top={self.top!r}, git_dir={self.git_dir!r})"


def _read_gitdir_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read().strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("gitdir:"):
        return None
    target = text[len("gitdir:") :].strip()
    if not os.path.isabs(target):
        target = os.path.join(os.path.dirname(path), target)
    return os.path.normpath(target)


def find_worktree(start: str) -> Worktree | None:
    """The working tree containing ``start`` (a folder or a file), or ``None``."""
    current = os.path.abspath(start)
    if not os.path.isdir(current):
        current = os.path.dirname(current)
    while True:
        dotgit = os.path.join(current, ".git")
        if os.path.isdir(dotgit):
            return Worktree(current, dotgit, _common_dir(dotgit), None)
        if os.path.isfile(dotgit):
            git_dir = _read_gitdir_file(dotgit)
            if git_dir is not None and os.path.isdir(git_dir):
                return Worktree(current, git_dir, _common_dir(git_dir), dotgit)
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def session_worktree(cwd: str, env: Mapping[str, str]) -> Worktree | None:
    """The worktree a hook call belongs to: the project's, else the one holding ``cwd``.

    ``CLAUDE_PROJECT_DIR`` is the folder Claude Code was started in and stays put when
    the agent runs ``cd``; the event's cwd does not. A repository the agent creates
    inside its worktree (``git init x && cd x``) must change neither who the agent is
    nor where its log and counters live.
    """
    project = env.get("CLAUDE_PROJECT_DIR")
    if project and os.path.isdir(project):
        found = find_worktree(project)
        if found is not None:
            return found
    return find_worktree(cwd) if cwd else None


def main_checkout(tree: Worktree) -> str | None:
    """The repository's main checkout: the worktree of git's common dir (None when bare).

    Every linked worktree of a repository shares one common dir; unless the repository is
    bare, that is the ``.git`` folder of the main checkout, so its parent is that checkout.
    """
    common = tree.common_dir
    if os.path.basename(common) != ".git":
        return None
    return os.path.dirname(common)


def _common_dir(git_dir: str) -> str:
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as fh:
            rel = fh.read().strip()
    except OSError:
        return git_dir
    return os.path.normpath(os.path.join(git_dir, rel))
