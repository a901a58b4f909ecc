"""Git commands that move refs or rewrite history: push, fetch, pull, merge, rebase,
cherry-pick, am, reset, branch, tag, checkout/switch/restore, commit, update-ref,
symbolic-ref, bisect.

Hot path, loaded only when a git line uses one of these sub-commands.
"""

from __future__ import annotations

import os

from agentguard.shell.catalogue import GIT
from agentguard.shell.effects import (
    Effects,
    fact,
    note_refs,
    operands,
    option_values,
    words,
)
from agentguard.shell.model import Word

_F = frozenset

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable

_FORCE_PUSH = words(fact(GIT, "force_push"))
_COMMIT_VALUE_LETTERS = fact(GIT, "commit_value_letters")


def _push(fx: Effects, rest: list[Word]) -> None:
    cmd = fx.cmd
    ops, opts = operands(
        rest, _F(("--repo", "-o", "--push-option", "--receive-pack", "--exec", "--signed"))
    )
    for name, _ in opts:
        base = name.split("=", 1)[0]
        if base in _FORCE_PUSH or (not name.startswith("--") and ("f" in name or "d" in name)):
            cmd.classes.add("git-destructive")
            cmd.notes.append(f"push {name}")
        if base in ("--receive-pack", "--exec"):
            cmd.classes.add("opaque")
        if base == "--no-verify":
            cmd.classes.add("guard-tamper")
            cmd.notes.append("skips the pre-push hook")
        if base in ("--all", "--branches"):
            cmd.classes.add("merge")
            note_refs(fx, ["(all branches)"])
    if not ops:
        return
    remote, refspecs = ops[0].text, ops[1:]
    for spec in refspecs:
        text = spec.text
        if text.startswith("+"):
            cmd.classes.add("git-destructive")
            cmd.notes.append(f"forced refspec {text}")
            text = text[1:]
        src, colon, dst = text.partition(":")
        if colon and not src:
            cmd.classes.add("git-destructive")
            cmd.notes.append(f"deletes remote ref {dst}")
            note_refs(fx, [dst])
            continue
        dest = dst if colon else src
        if dest == "HEAD" or (not colon and src == "HEAD"):
            continue
        note_refs(fx, [dest])
        if remote == "." or (colon and src != dst):
            cmd.classes.add("merge")
    if remote == "." and refspecs:
        cmd.classes.add("merge")


def _fetch(fx: Effects, rest: list[Word]) -> None:
    ops, _ = operands(
        rest,
        _F(
            (
                "--depth",
                "--deepen",
                "--shallow-since",
                "--shallow-exclude",
                "-j",
                "--jobs",
                "--upload-pack",
                "--refmap",
                "-o",
                "--server-option",
                "--negotiation-tip",
            )
        ),
    )
    for w in rest:
        if w.text.startswith("--upload-pack"):
            fx.cls("opaque")
    for spec in ops[1:]:
        text = spec.text
        forced = text.startswith("+")
        _src, colon, dst = text.lstrip("+").partition(":")
        if colon and dst:
            fx.cls("merge")
            note_refs(fx, [dst])
            if forced:
                fx.cls("git-destructive")


def _pull(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(
        rest,
        _F(
            (
                "--depth",
                "-s",
                "--strategy",
                "-X",
                "--strategy-option",
                "-j",
                "--jobs",
                "--upload-pack",
            )
        ),
    )
    fx.cls("merge")
    fx.cmd.notes.append("pull merges into the current branch")
    note_refs(fx, [w.text.lstrip("+").split(":", 1)[0] for w in ops[1:]] or ["(upstream)"])
    if any(n in ("--no-verify",) for n, _ in opts):
        fx.cls("guard-tamper")


def _merge_like(fx: Effects, rest: list[Word]) -> None:
    sub = fx.cmd.subcommand or ""
    texts = [w.text for w in rest]
    if any(
        t in ("--abort", "--quit", "--continue", "--skip", "--show-current-patch") for t in texts
    ):
        return
    ops, opts = operands(
        rest,
        _F(
            (
                "-m",
                "-F",
                "-s",
                "--strategy",
                "-X",
                "--strategy-option",
                "--onto",
                "--exec",
                "-x",
                "--upstream",
                "-C",
                "--whitespace",
                "-p",
                "--directory",
                "--into-name",
            )
        ),
    )
    fx.cls("merge")
    if sub in ("am", "cherry-pick"):
        # The changes come from patches or commits whose files the line does not name:
        # they may touch anything, so the write targets are unknown (a human decides).
        what = "patches" if sub == "am" else "the picked commits"
        fx.cmd.unresolved.append(("write", f"(the files changed by {what})"))
    if sub == "am":
        for w in ops:
            fx.add("read", w)
        note_refs(fx, ["(patches)"])
        return
    onto = option_values(opts, "--onto")
    note_refs(fx, [w.text for w in onto] + [w.text for w in ops] or ["(upstream)"])
    if sub == "rebase" and option_values(opts, "--exec", "-x"):
        fx.cls("opaque")
    if sub == "rebase" and len(ops) > 1:
        fx.cls("branch-switch")
    if any(n in ("--no-verify",) for n, _ in opts):
        fx.cls("guard-tamper")


def _reset(fx: Effects, rest: list[Word]) -> None:
    fx.cls("git-destructive")
    ops, _ = operands(rest)
    fx.cmd.notes.append("reset moves the branch or discards changes")
    del ops


def _branch(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(
        rest,
        _F(
            (
                "--sort",
                "--format",
                "--contains",
                "--no-contains",
                "--merged",
                "--no-merged",
                "--points-at",
                "-u",
                "--set-upstream-to",
                "--column",
                "--color",
            )
        ),
    )
    names = [n for n, _ in opts]
    destructive = any(
        n in ("--delete", "--move", "--copy", "--force", "-D", "-M", "-C")
        or (not n.startswith("--") and any(c in n for c in "dDmMcCf"))
        for n in names
    )
    if destructive:
        fx.cls("git-destructive")
        note_refs(fx, [w.text for w in ops])
        return
    listing = not ops or any(
        n
        in (
            "-l",
            "--list",
            "-a",
            "--all",
            "-r",
            "--remotes",
            "--show-current",
            "-v",
            "-vv",
            "--verbose",
        )
        for n in names
    )
    if listing or any(n in ("--contains", "--merged", "--no-merged", "--points-at") for n in names):
        fx.cls("read-only")


def _tag(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(
        rest,
        _F(
            (
                "-m",
                "-F",
                "-u",
                "--sort",
                "--format",
                "--contains",
                "--points-at",
                "--merged",
                "--no-merged",
            )
        ),
    )
    names = [n for n, _ in opts]
    if any(n in ("-d", "--delete", "-f", "--force") for n in names):
        fx.cls("git-destructive")
        note_refs(fx, [w.text for w in ops])
    elif not ops or any(n in ("-l", "--list", "-n", "-v") for n in names):
        fx.cls("read-only")


def _checkout(fx: Effects, rest: list[Word]) -> None:
    sub = fx.cmd.subcommand
    texts = [w.text for w in rest]
    if "--" in texts:
        cut = texts.index("--")
        before, paths = rest[:cut], rest[cut + 1 :]
    else:
        before, paths = rest, []
    ops, opts = operands(
        before,
        _F(
            (
                "-b",
                "-B",
                "--orphan",
                "-c",
                "-C",
                "--create",
                "--force-create",
                "--conflict",
                "-t",
                "--track",
                "--pathspec-from-file",
            )
        ),
    )
    names = [n for n, _ in opts]
    if any(n in ("-f", "--force", "--discard-changes") for n in names):
        fx.cls("git-destructive")
    created = option_values(opts, "-b", "-B", "--orphan", "-c", "-C", "--create", "--force-create")
    if sub == "restore":
        staged_only = any(n in ("-S", "--staged") for n in names) and not any(
            n in ("-W", "--worktree") for n in names
        )
        targets = ops + paths
        if not staged_only:
            _path_writes(fx, targets)
        return
    if created or "--detach" in names or ("-d" in names and sub == "switch"):
        fx.cls("branch-switch")
        note_refs(fx, [w.text for w in created])
        return
    if paths:
        _path_writes(fx, paths)
        return
    if not ops:
        return
    first = ops[0]
    if sub == "checkout" and (len(ops) > 1 or _is_path(fx, first.text)):
        targets = ops[1:] if len(ops) > 1 and not _is_path(fx, first.text) else ops
        _path_writes(fx, targets)
        return
    fx.cls("branch-switch")
    note_refs(fx, [first.text])


def _path_writes(fx: Effects, targets: list[Word]) -> None:
    fx.cls("file-write")
    for w in targets:
        fx.add("write", w)
        if w.text in (".", "./", ":/", "*") or w.glob:
            fx.cls("git-destructive")
            fx.cmd.notes.append("discards uncommitted changes")


def _is_path(fx: Effects, text: str) -> bool:
    """A checkout operand names a file (not a branch) when it exists as one and git has
    no branch of that name."""
    root = fx.cwd or fx.base
    if text in (".", "./") or not os.path.exists(os.path.join(root, text)):
        return text in (".", "./")
    from agentguard.git.files import find_worktree

    tree = find_worktree(root)
    if tree is None:
        return True
    if os.path.exists(os.path.join(tree.common_dir, "refs", "heads", text)):
        return False
    try:
        with open(os.path.join(tree.common_dir, "packed-refs"), encoding="utf-8") as fh:
            if f" refs/heads/{text}\n" in fh.read():
                return False
    except OSError:
        pass
    return True


def _symbolic_ref(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("-m",)))
    if any(n in ("-d", "--delete") for n, _ in opts):
        fx.cls("git-destructive")
    elif len(ops) >= 2:
        fx.cls("branch-switch" if ops[0].text == "HEAD" else "merge")
        note_refs(fx, [ops[1].text])
    else:
        fx.cls("read-only")


def _update_ref(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("-m",)))
    names = [n for n, _ in opts]
    if "-d" in names:
        fx.cls("git-destructive")
    elif "--stdin" in names:
        fx.cls("opaque", "git-destructive")
    else:
        fx.cls("merge")
        first = ops[0].text.removeprefix("refs/heads/") if ops else ""
        from agentguard.git.files import find_worktree

        tree = find_worktree(fx.cwd or fx.base)
        own = tree.head() if tree is not None else None
        if first == "HEAD" or (own is not None and first == own):
            # Moving the own branch to any commit is a history move, like ``reset``.
            fx.cls("git-destructive")
            fx.cmd.notes.append("update-ref moves the current branch")
    note_refs(fx, [w.text for w in ops[:1]])


def _commit(fx: Effects, rest: list[Word]) -> None:
    skip_next = False
    for w in rest:
        text = w.text
        if skip_next:
            skip_next = False
            continue
        if text == "--no-verify":
            fx.cls("guard-tamper")
            fx.cmd.notes.append("skips the commit hooks")
        elif text.startswith("-") and not text.startswith("--"):
            for j, letter in enumerate(text[1:]):
                if letter == "n":
                    fx.cls("guard-tamper")
                    fx.cmd.notes.append("skips the commit hooks")
                if letter in _COMMIT_VALUE_LETTERS:
                    skip_next = j == len(text) - 2
                    break
        elif text in (
            "--message",
            "--file",
            "--author",
            "--date",
            "--reuse-message",
            "--reedit-message",
            "--fixup",
            "--squash",
            "--trailer",
            "--cleanup",
        ):
            skip_next = True


def _bisect(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    if verb in ("log", "view", "visualize", "terms"):
        fx.cls("read-only")
    elif verb == "run":
        fx.cls("branch-switch", "opaque")
    else:
        fx.cls("branch-switch")


# The sub-commands this module handles (the catalogue's GIT ``subcommands`` names
# the module of each).
SUBCOMMANDS: dict[str, Callable[[Effects, list[Word]], None]] = {
    "push": _push,
    "fetch": _fetch,
    "pull": _pull,
    "merge": _merge_like,
    "rebase": _merge_like,
    "cherry-pick": _merge_like,
    "am": _merge_like,
    "reset": _reset,
    "branch": _branch,
    "tag": _tag,
    "checkout": _checkout,
    "switch": _checkout,
    "restore": _checkout,
    "symbolic-ref": _symbolic_ref,
    "update-ref": _update_ref,
    "commit": _commit,
    "bisect": _bisect,
}
