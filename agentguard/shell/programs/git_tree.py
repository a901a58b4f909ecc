"""Git commands that write files or another repository: stash, clean, rm, mv, apply,
worktree, clone, init, submodule, bundle, archive, format-patch, read-tree,
sparse-checkout, hash-object, maintenance.

Hot path, loaded only when a git line uses one of these sub-commands.
"""

from __future__ import annotations

import os

from agentguard.shell.effects import (
    Effects,
    has_short,
    note_refs,
    operands,
    option_values,
    patch_body,
    patch_targets,
    stdin_body,
    worktree_top,
)
from agentguard.shell.model import Word

_F = frozenset

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable


def _stash(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest and not rest[0].text.startswith("-") else "push"
    if rest and verb == rest[0].text:
        rest = rest[1:]
    if verb in ("clear", "drop"):
        fx.cls("git-destructive")
    elif verb in ("list", "show"):
        fx.cls("read-only")
    elif verb == "branch":
        fx.cls("branch-switch")
        note_refs(fx, [w.text for w in rest[:1]])
    elif verb in ("apply", "pop"):
        # The stash is shared by every worktree of the repository: what it restores may
        # come from another agent's files.
        fx.cls("file-write")
        fx.cmd.unresolved.append(("write", f"(the files the stash {verb} restores)"))
    elif verb in ("push", "save"):
        ops, _ = operands(rest, _F(("-m", "--message", "--pathspec-from-file")))
        fx.cls("file-write")
        fx.cmd.notes.append(f"stash {verb} changes files in the working tree")
        if verb == "push":
            for w in ops:
                fx.add("write", w)
                fx.add("delete", w)
            if ops:
                fx.cls("file-delete")
    else:
        fx.cls("file-write")
        fx.cmd.notes.append(f"stash {verb} changes files in the working tree")


def _clean(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("-e", "--exclude")))
    if has_short(opts, "n", "--dry-run"):
        fx.cls("read-only")
        return
    fx.cls("git-destructive", "file-delete")
    for w in ops:
        fx.add("delete", w)
    if not ops:
        # Untracked (with -x also ignored) files anywhere below cwd; never .git itself,
        # so the folder is not a delete target: the set is unknown, a human decides.
        fx.cmd.unresolved.append(("delete", "(untracked files)"))


def _rm(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("--pathspec-from-file",)))
    if has_short(opts, "n", "--dry-run"):
        return
    # --cached keeps the working file but deletes it from the branch at the next
    # commit: for ownership that is the same change as deleting it.
    fx.cls("file-delete")
    for w in ops:
        fx.add("delete", w)


def _mv(fx: Effects, rest: list[Word]) -> None:
    ops, _ = operands(rest)
    fx.cls("file-write", "file-delete")
    for w in ops[:-1]:
        fx.add("delete", w)
    for w in ops[-1:]:
        fx.add("write", w)


def _apply(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(
        rest, _F(("-p", "-C", "--exclude", "--include", "--directory", "--whitespace"))
    )
    names = [n for n, _ in opts]
    if any(n in ("--check", "--stat", "--numstat", "--summary") for n in names) and not any(
        n == "--apply" for n in names
    ):
        fx.cls("read-only")
        return
    if "--cached" in names:
        return
    fx.cls("file-write")
    strip = 1
    for value in option_values(opts, "-p"):
        strip = int(value.text) if value.text.isdigit() else 1
    top = worktree_top(fx)
    for value in option_values(opts, "--directory"):
        # Every name in the patch is prefixed with it: --directory=.claude reaches the guard.
        if value.dynamic:
            fx.cmd.unresolved.append(("write", "(the files named by the patch)"))
            return
        top = os.path.join(top or fx.cwd or fx.base, value.text)
    files = [w for w in ops if w.text != "-"]
    if not files or len(files) < len(ops):
        body = stdin_body(fx.cmd.redirects)
        if body is None:
            fx.cmd.unresolved.append(("write", "(the files named by the patch on stdin)"))
        else:
            patch_body(fx, body, strip, top)
    for w in files:
        patch_targets(fx, w, strip, top)


def _worktree(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    ops, opts = operands(rest[1:], _F(("-b", "-B", "--reason", "--expire")))
    if verb == "list":
        fx.cls("read-only")
    elif verb == "add":
        fx.cls("file-write")
        created, reset, detach, ops = _worktree_add_args(rest[1:])
        for w in ops[:1]:
            fx.add("write", w)
        if created:
            # ``-b``/``-B NAME`` creates (or, with -B, resets) a branch: a ref move the
            # integration rules judge; the start point is judged like a merge source.
            fx.cls("merge")
            if reset:
                fx.cls("git-destructive")
                fx.cmd.notes.append(f"worktree add -B resets branch {created[-1]}")
            else:
                fx.cmd.notes.append(f"worktree add -b creates branch {created[-1]}")
            note_refs(fx, created + [w.text for w in ops[1:2]])
        elif len(ops) == 1 and not detach and not ops[0].dynamic:
            # Without a commit-ish git checks out the branch named after the folder
            # (``worktree add /tmp/main`` checks out main) when that branch exists.
            name = os.path.basename(ops[0].text.rstrip("/"))
            if name and _branch_exists(fx, name):
                fx.cls("merge")
                fx.cmd.notes.append(f"worktree add checks out {name} (named after the folder)")
                note_refs(fx, [name])
        elif len(ops) > 1:
            # Checking out a branch in a new worktree lets this agent commit to it: the
            # integration rules decide whose branch that may be.
            fx.cls("merge")
            fx.cmd.notes.append(f"worktree add checks out {ops[1].text}")
            note_refs(fx, [ops[1].text])
    elif verb == "remove":
        fx.cls("file-delete")
        for w in ops[:1]:
            fx.add("delete", w)
        if any(n in ("-f", "--force") for n, _ in opts):
            fx.cls("git-destructive")
    elif verb == "prune":
        fx.cls("file-delete")
    elif verb == "move":
        fx.cls("file-write", "file-delete")
        for w in ops[:1]:
            fx.add("delete", w)
        for w in ops[1:2]:
            fx.add("write", w)
    elif verb not in ("lock", "unlock", "repair"):
        fx.cls("opaque")


def _branch_exists(fx: Effects, name: str) -> bool:
    """Whether the repository has a local branch ``name`` (git's files, no git)."""
    from agentguard.git.files import find_worktree

    tree = find_worktree(fx.cwd or fx.base)
    if tree is None:
        return False
    if os.path.isfile(os.path.join(tree.common_dir, "refs", "heads", name)):
        return True
    try:
        with open(os.path.join(tree.common_dir, "packed-refs"), encoding="utf-8") as fh:
            return f" refs/heads/{name}\n" in fh.read()
    except (OSError, UnicodeDecodeError):
        return False


def _worktree_add_args(rest: list[Word]) -> tuple[list[str], bool, bool, list[Word]]:
    """``worktree add``'s new branch names, whether one is ``-B``, whether it detaches,
    and its operands.

    Parsed by hand because git bundles short options (``-fB main`` is ``-f -B main``).
    """
    created: list[str] = []
    reset = detach = False
    ops: list[Word] = []
    i = 0
    while i < len(rest):
        w = rest[i]
        text = w.text
        i += 1
        if text == "--":
            ops.extend(rest[i:])
            break
        if text.startswith("--") and not w.dynamic:
            if text == "--reason":
                i += 1
            detach = detach or text == "--detach"
            continue
        if text.startswith("-") and len(text) > 1 and not w.dynamic:
            for j, letter in enumerate(text[1:], start=1):
                detach = detach or letter == "d"
                if letter in "bB":
                    reset = reset or letter == "B"
                    value = text[j + 1 :]
                    if not value and i < len(rest):
                        value = rest[i].text
                        i += 1
                    created.append(value)
                    break
            continue
        ops.append(w)
    return created, reset, detach, ops


def _maintenance(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    texts = [w.text for w in rest]
    if verb in ("start", "stop", "register", "unregister") or (
        verb == "run" and any(t.startswith("--schedule") for t in texts)
    ):
        # These write crontab/launchd/systemd entries and the global config in $HOME:
        # scheduled git runs outside this hook's sight.
        fx.cls("opaque")
        fx.cmd.notes.append(f"maintenance {verb} schedules git runs and edits $HOME config")
    elif verb == "run":
        pass  # the tasks of ``git gc``, which is not objected to either
    else:
        fx.cls("opaque")
        fx.cmd.notes.append(f"unknown maintenance verb {verb!r}")


def _bundle(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    ops, _ = operands(rest[1:], _F(("--version",)))
    if verb == "create":
        fx.cls("file-write")
        for w in ops[:1]:
            if w.text != "-":
                fx.add("write", w)
    elif verb in ("verify", "list-heads"):
        fx.cls("read-only")
        for w in ops[:1]:
            fx.add("read", w)
    elif verb == "unbundle":
        for w in ops[:1]:
            fx.add("read", w)
    else:
        fx.cls("opaque")
        fx.cmd.notes.append(f"unknown bundle verb {verb!r}")


def _clone(fx: Effects, rest: list[Word]) -> None:
    ops, _ = operands(
        rest,
        _F(
            (
                "-b",
                "--branch",
                "-o",
                "--origin",
                "--depth",
                "-c",
                "--config",
                "--reference",
                "--template",
                "-u",
                "--upload-pack",
                "--separate-git-dir",
                "-j",
                "--jobs",
                "--filter",
            )
        ),
    )
    for w in rest:
        if w.text.startswith(("-u", "--upload-pack", "--template", "--config", "-c")):
            fx.cls("opaque")
    if not ops:
        return
    fx.cls("file-write")
    dest = (
        ops[1].text
        if len(ops) > 1
        else ops[0].text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    )
    fx.add("write", Word(dest))


def _submodule(fx: Effects, rest: list[Word]) -> None:
    verb = next((w.text for w in rest if not w.text.startswith("-")), "")
    if verb == "foreach":
        fx.cls("opaque")
    elif verb in ("update", "add", "sync", "init"):
        fx.cls("network", "file-write")
    else:
        fx.cls("read-only")


def _format_patch(fx: Effects, rest: list[Word]) -> None:
    _, opts = operands(rest, _F(("-o", "--output-directory", "--output")))
    fx.cls("file-write")
    outs = option_values(opts, "-o", "--output-directory", "--output")
    fx.add("write", outs[0] if outs else Word("."))


def _archive(fx: Effects, rest: list[Word]) -> None:
    _, opts = operands(rest, _F(("-o", "--output", "--remote", "--format", "--prefix", "--exec")))
    if option_values(opts, "--remote"):
        fx.cls("network")
    if option_values(opts, "--exec"):
        fx.cls("opaque")
    for value in option_values(opts, "-o", "--output"):
        fx.cls("file-write")
        fx.add("write", value)


def _read_tree(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("--prefix", "--index-output", "--exclude-per-directory")))
    names = {n.split("=", 1)[0] for n, _ in opts}
    if names & {"-u", "--reset", "-m"}:
        fx.cls("file-write", "merge")
        fx.cmd.unresolved.append(("write", "(the files of the trees read)"))
        note_refs(fx, [w.text for w in ops if w.text not in ("HEAD", "@")])


def _sparse_checkout(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    if verb in ("list", "check-rules", "--help", "-h"):
        fx.cls("read-only")
        return
    fx.cls("file-delete", "file-write")
    fx.cmd.unresolved.append(("delete", "(the files outside the sparse cone)"))
    from agentguard.git.files import find_worktree

    tree = find_worktree(fx.cwd or fx.base)
    if tree is not None:
        fx.add("write", Word(os.path.join(tree.git_dir, "info", "sparse-checkout")))


def _hash_object(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("-t", "--path")))
    if any(n == "--stdin-paths" for n, _ in opts):
        fx.cmd.unresolved.append(("read", "(the files named on standard input)"))
    for w in ops:
        fx.add("read", w)


def _init(fx: Effects, rest: list[Word]) -> None:
    # A new repository is a new .git: judged as writing one (self-protected), so an agent
    # cannot plant a repository whose branch or state folder would stand in for its own.
    fx.cls("file-write")
    ops, opts = operands(
        rest, _F(("--template", "--separate-git-dir", "-b", "--initial-branch", "--object-format"))
    )
    folder = ops[-1] if ops else Word(".")
    fx.add("write", folder)
    fx.add("write", Word(folder.text.rstrip("/") + "/.git", folder.dynamic))
    for value in option_values(opts, "--separate-git-dir"):
        fx.add("write", value)


# The sub-commands this module handles (the catalogue's GIT ``subcommands`` names
# the module of each).
SUBCOMMANDS: dict[str, Callable[[Effects, list[Word]], None]] = {
    "stash": _stash,
    "clean": _clean,
    "rm": _rm,
    "mv": _mv,
    "apply": _apply,
    "worktree": _worktree,
    "clone": _clone,
    "submodule": _submodule,
    "format-patch": _format_patch,
    "archive": _archive,
    "init": _init,
    "read-tree": _read_tree,
    "sparse-checkout": _sparse_checkout,
    "hash-object": _hash_object,
    "maintenance": _maintenance,
    "bundle": _bundle,
}
