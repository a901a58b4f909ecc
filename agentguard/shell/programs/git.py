"""What a ``git`` command does: its global options, then one sub-command; the handlers
of the sub-commands that move refs are in ``git_refs.py``, of those that write files or
other repositories in ``git_tree.py``, each loaded when a line uses one of its sub-commands.

Hot path: standard library only; git's own files are read without spawning git.
"""

from __future__ import annotations

import os
import sys

from agentguard.shell.catalogue import GIT
from agentguard.shell.effects import (
    Effects,
    fact,
    fact_tuple,
    operands,
    option_values,
    words,
    worktree_top,
)
from agentguard.shell.model import GIT_GLOBAL_VALUE, Word

_F = frozenset

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

_GLOBAL_VALUE = GIT_GLOBAL_VALUE
# The sub-command tables are the catalogue's GIT section.
# ``-c key=value`` keys (and key suffixes) that make git run a program or load config.
_CODE_KEYS = fact_tuple(GIT, "code_keys")
_CODE_KEY_SUFFIXES = fact_tuple(GIT, "code_key_suffixes")
_READ_ONLY = words(fact(GIT, "read_only"))
_NETWORK = words(fact(GIT, "network"))
_KNOWN = words(fact(GIT, "known"))
_PACKAGE = "agentguard.shell.programs."


def _handler(sub: str) -> Callable[[Effects, list[Word]], None] | None:
    """The handler of the sub-command ``sub``, from the module the catalogue names."""
    where = GIT["subcommands"]
    name = where.get(sub) if isinstance(where, dict) else None
    if name is None:
        return None
    if name == "git":
        return _SUBCOMMANDS[sub]
    module: ModuleType | None = sys.modules.get(_PACKAGE + name)
    if module is None:
        __import__(_PACKAGE + name)
        module = sys.modules[_PACKAGE + name]
    table: dict[str, Callable[[Effects, list[Word]], None]] = module.SUBCOMMANDS
    return table[sub]


def classify_git(fx: Effects) -> None:
    """Classify a git command (global options, then one sub-command)."""
    cmd = fx.cmd
    args = fx.args
    if any(w.dynamic for w in args):
        cmd.classes.add("opaque")
        cmd.notes.append("git argument from an expansion (could be --force, a ref, a path)")
    repo = cmd.repo or fx.cwd
    i = 0
    while i < len(args):
        text = args[i].text
        if not text.startswith("-"):
            break
        key, eq, value = text.partition("=")
        if key in _GLOBAL_VALUE and not eq:
            value = args[i + 1].text if i + 1 < len(args) else ""
            i += 1
        if key in ("-C", "--git-dir", "--work-tree") and repo is not None:
            repo = os.path.normpath(os.path.join(repo, value))
        elif key == "-c":
            _config_key(fx, value.split("=", 1)[0], value.partition("=")[2])
        elif key == "--config-env":
            # ``--config-env=KEY=VAR`` sets KEY from the environment: same keys as ``-c``.
            _config_key(fx, value.split("=", 1)[0], "")
        elif key == "--exec-path" and eq:
            cmd.classes.add("opaque")
        i += 1
    if repo != (cmd.repo or fx.cwd) or cmd.repo:
        cmd.repo = repo
        fx.cwd = repo
    else:
        cmd.repo = repo
    if i >= len(args):
        cmd.classes.add("read-only")
        return
    sub = args[i].text
    cmd.subcommand = sub
    rest = args[i + 1 :]
    before = set(cmd.classes)
    handler = _handler(sub)
    if handler is not None:
        handler(fx, rest)
    elif sub in _READ_ONLY:
        cmd.classes.add("read-only")
        _read_only_extras(fx, sub, rest)
    elif sub not in _KNOWN:
        cmd.classes.add("opaque")
        cmd.notes.append(f"unknown git sub-command {sub!r} (an alias can run anything)")
    if sub in _NETWORK:
        cmd.classes.add("network")
    # State-changing commands in another repository write there.
    changed = cmd.classes - before - {"read-only", "network"}
    base = os.path.normpath(fx.base)
    elsewhere = repo is not None and os.path.normpath(repo) != base
    if elsewhere and repo is not None and sub not in _READ_ONLY and (changed or sub in _KNOWN):
        fx.add("write", Word(repo))
        cmd.classes.add("file-write")


def _config_key(fx: Effects, key: str, value: str) -> None:
    lowered = key.lower()
    if lowered == "core.hookspath":
        fx.cmd.classes.add("guard-tamper")
        fx.cmd.notes.append("changes core.hooksPath")
    if lowered.startswith(_CODE_KEYS) or (
        lowered.startswith("diff.") and lowered.endswith(_CODE_KEY_SUFFIXES)
    ):
        fx.cmd.classes.add("opaque")
        fx.cmd.notes.append(f"git config {key} can run a program")
    del value


def _read_only_extras(fx: Effects, sub: str, rest: list[Word]) -> None:
    ops, opts = operands(
        rest,
        _F(
            (
                "-n",
                "--max-count",
                "--format",
                "--pretty",
                "-U",
                "-L",
                "--author",
                "--grep",
                "--since",
                "--until",
                "--date",
                "-G",
                "-S",
                "-e",
                "--output",
                "-o",
                "--skip",
                "-M",
            )
        ),
    )
    for value in option_values(opts, "--output"):
        fx.cls("file-write")
        fx.add("write", value)
    top = worktree_top(fx)
    for w in ops:
        rev, colon, path = w.text.partition(":")
        if colon and not rev and path[:1] in "0123" and path[1:2] == ":":
            rev, path = "(index)", path[2:]  # ``:0:path``: a stage of the index
        elif colon and not rev and not path.startswith("/"):
            rev = "(index)"  # ``:path`` is the staged version (``:/text`` searches messages)
        if colon and sub in ("show", "cat-file", "diff", "grep") and rev and not w.dynamic:
            saved = fx.cwd
            if not path.startswith(("./", "../")):
                fx.cwd = top
            fx.add("read", Word(path, False, False))
            fx.cwd = saved
    if sub == "blame":
        for w in ops[-1:]:
            fx.add("read", w)
    if sub == "diff" and any(n == "--no-index" for n, _ in opts):
        for w in ops:
            fx.add("read", w)
    if sub == "grep":
        for w in rest:
            if w.text.startswith(("-O", "--open-files")):
                fx.cls("opaque")
                fx.cmd.notes.append("git grep -O runs a pager program")


def _config(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(
        rest, _F(("-f", "--file", "--blob", "--type", "--default", "--comment", "--value"))
    )
    names = [n for n, _ in opts]
    verbs = ("get", "set", "unset", "list", "rename-section", "remove-section", "edit")
    verb = ops[0].text if ops and ops[0].text in verbs else ""
    if verb:
        ops = ops[1:]
    reading = (
        verb in ("get", "list")
        or any(
            n
            in (
                "--get",
                "--get-all",
                "--get-regexp",
                "-l",
                "--list",
                "--get-urlmatch",
                "--show-origin",
                "--name-only",
                "--get-color",
                "--get-colorbool",
            )
            for n in names
        )
        or (
            not verb
            and len(ops) == 1
            and not any(
                n
                in (
                    "--unset",
                    "--unset-all",
                    "--add",
                    "--replace-all",
                    "--remove-section",
                    "--rename-section",
                    "-e",
                    "--edit",
                )
                for n in names
            )
        )
    )
    if reading:
        fx.cls("read-only")
        return
    if ops:
        _config_key(fx, ops[0].text, ops[1].text if len(ops) > 1 else "")
    fx.cls("file-write")
    files = option_values(opts, "-f", "--file")
    if files:
        fx.add("write", files[0])
    elif "--global" in names:
        fx.add("write", Word("~/.gitconfig"))
    elif "--system" in names:
        fx.add("write", Word("/etc/gitconfig"))
    else:
        from agentguard.git.files import find_worktree

        tree = find_worktree(fx.cwd or fx.base)
        path = os.path.join(tree.common_dir if tree else ".git", "config")
        if "--worktree" in names and tree is not None:
            path = os.path.join(tree.git_dir, "config.worktree")
        fx.add("write", Word(path))


def _remote(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    if verb in ("add", "remove", "rm", "rename", "set-url", "set-head", "set-branches", "prune"):
        _config(fx, [Word("set"), Word("remote.x"), Word("")])
        fx.cmd.classes.discard("opaque")
        fx.cmd.notes.append(f"remote {verb} changes the repository's config")
        if verb in ("prune", "set-head"):
            fx.cls("network")
    elif verb == "update" or (verb == "show" and "-n" not in [w.text for w in rest]):
        fx.cls("network")
    else:
        fx.cls("read-only")


def _credential(fx: Effects, rest: list[Word]) -> None:
    fx.cls("credential-read")
    del rest


def _reflog(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    fx.cls("git-destructive" if verb in ("expire", "delete", "drop") else "read-only")


def _gc(fx: Effects, rest: list[Word]) -> None:
    if any(w.text.startswith("--prune") for w in rest):
        fx.cls("git-destructive")


def _simple(*classes: str) -> Callable[[Effects, list[Word]], None]:
    def handler(fx: Effects, rest: list[Word]) -> None:
        fx.cls(*classes)
        del rest

    return handler


_SUBCOMMANDS: dict[str, Callable[[Effects, list[Word]], None]] = {
    "config": _config,
    "remote": _remote,
    "reflog": _reflog,
    "gc": _gc,
    "prune": _simple("git-destructive"),
    "filter-branch": _simple("git-destructive"),
    "filter-repo": _simple("git-destructive"),
    "replace": _simple("git-destructive"),
    "credential": _credential,
    "difftool": _simple("opaque"),
    "mergetool": _simple("opaque"),
}
