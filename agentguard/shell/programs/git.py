"""What a ``git`` command does: history rewrites, ref moves, branch switches, files.

Hot path: standard library only; git's own files are read without spawning git.
"""

from __future__ import annotations

import os

from agentguard.shell.catalogue import GIT
from agentguard.shell.effects import (
    Effects,
    fact,
    fact_tuple,
    has_short,
    operands,
    option_values,
    patch_targets,
    words,
)
from agentguard.shell.model import GIT_GLOBAL_VALUE, Word

_F = frozenset

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable

_GLOBAL_VALUE = GIT_GLOBAL_VALUE
# The sub-command tables are the catalogue's GIT section.
# ``-c key=value`` keys (and key suffixes) that make git run a program or load config.
_CODE_KEYS = fact_tuple(GIT, "code_keys")
_CODE_KEY_SUFFIXES = fact_tuple(GIT, "code_key_suffixes")
_READ_ONLY = words(fact(GIT, "read_only"))
_NETWORK = words(fact(GIT, "network"))
_FORCE_PUSH = words(fact(GIT, "force_push"))
_KNOWN = words(fact(GIT, "known"))
_COMMIT_VALUE_LETTERS = fact(GIT, "commit_value_letters")


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
    handler = _SUBCOMMANDS.get(sub)
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
    top = _top(fx)
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


def _top(fx: Effects) -> str | None:
    from agentguard.git.files import find_worktree

    tree = find_worktree(fx.cwd or fx.base)
    return tree.top if tree is not None else fx.cwd


def _refs(fx: Effects, names: list[str]) -> None:
    for raw in names:
        name = raw.removeprefix("refs/heads/")
        if name and name not in fx.cmd.refs:
            fx.cmd.refs.append(name)


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
            _refs(fx, ["(all branches)"])
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
            _refs(fx, [dst])
            continue
        dest = dst if colon else src
        if dest == "HEAD" or (not colon and src == "HEAD"):
            continue
        _refs(fx, [dest])
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
            _refs(fx, [dst])
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
    _refs(fx, [w.text.lstrip("+").split(":", 1)[0] for w in ops[1:]] or ["(upstream)"])
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
        _refs(fx, ["(patches)"])
        return
    onto = option_values(opts, "--onto")
    _refs(fx, [w.text for w in onto] + [w.text for w in ops] or ["(upstream)"])
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
        _refs(fx, [w.text for w in ops])
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
        _refs(fx, [w.text for w in ops])
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
        _refs(fx, [w.text for w in created])
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
    _refs(fx, [first.text])


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
        _refs(fx, [w.text for w in rest[:1]])
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
    top = _top(fx)
    if not ops:
        fx.cmd.unresolved.append(("write", "(the files named by the patch on stdin)"))
    for w in ops:
        patch_targets(fx, w, strip, top)


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


def _symbolic_ref(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("-m",)))
    if any(n in ("-d", "--delete") for n, _ in opts):
        fx.cls("git-destructive")
    elif len(ops) >= 2:
        fx.cls("branch-switch" if ops[0].text == "HEAD" else "merge")
        _refs(fx, [ops[1].text])
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
    _refs(fx, [w.text for w in ops[:1]])


def _simple(*classes: str) -> Callable[[Effects, list[Word]], None]:
    def handler(fx: Effects, rest: list[Word]) -> None:
        fx.cls(*classes)
        del rest

    return handler


def _reflog(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    fx.cls("git-destructive" if verb in ("expire", "delete", "drop") else "read-only")


def _gc(fx: Effects, rest: list[Word]) -> None:
    if any(w.text.startswith("--prune") for w in rest):
        fx.cls("git-destructive")


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
            _refs(fx, created + [w.text for w in ops[1:2]])
        elif len(ops) == 1 and not detach and not ops[0].dynamic:
            # Without a commit-ish git checks out the branch named after the folder
            # (``worktree add /tmp/main`` checks out main) when that branch exists.
            name = os.path.basename(ops[0].text.rstrip("/"))
            if name and _branch_exists(fx, name):
                fx.cls("merge")
                fx.cmd.notes.append(f"worktree add checks out {name} (named after the folder)")
                _refs(fx, [name])
        elif len(ops) > 1:
            # Checking out a branch in a new worktree lets this agent commit to it: the
            # integration rules decide whose branch that may be.
            fx.cls("merge")
            fx.cmd.notes.append(f"worktree add checks out {ops[1].text}")
            _refs(fx, [ops[1].text])
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


def _bisect(fx: Effects, rest: list[Word]) -> None:
    verb = rest[0].text if rest else ""
    if verb in ("log", "view", "visualize", "terms"):
        fx.cls("read-only")
    elif verb == "run":
        fx.cls("branch-switch", "opaque")
    else:
        fx.cls("branch-switch")


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


def _credential(fx: Effects, rest: list[Word]) -> None:
    fx.cls("credential-read")
    del rest


def _read_tree(fx: Effects, rest: list[Word]) -> None:
    ops, opts = operands(rest, _F(("--prefix", "--index-output", "--exclude-per-directory")))
    names = {n.split("=", 1)[0] for n, _ in opts}
    if names & {"-u", "--reset", "-m"}:
        fx.cls("file-write", "merge")
        fx.cmd.unresolved.append(("write", "(the files of the trees read)"))
        _refs(fx, [w.text for w in ops if w.text not in ("HEAD", "@")])


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


_SUBCOMMANDS: dict[str, Callable[[Effects, list[Word]], None]] = {
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
    "stash": _stash,
    "clean": _clean,
    "rm": _rm,
    "mv": _mv,
    "apply": _apply,
    "config": _config,
    "remote": _remote,
    "symbolic-ref": _symbolic_ref,
    "update-ref": _update_ref,
    "reflog": _reflog,
    "gc": _gc,
    "prune": _simple("git-destructive"),
    "filter-branch": _simple("git-destructive"),
    "filter-repo": _simple("git-destructive"),
    "replace": _simple("git-destructive"),
    "worktree": _worktree,
    "commit": _commit,
    "clone": _clone,
    "submodule": _submodule,
    "bisect": _bisect,
    "format-patch": _format_patch,
    "archive": _archive,
    "credential": _credential,
    "init": _init,
    "read-tree": _read_tree,
    "sparse-checkout": _sparse_checkout,
    "hash-object": _hash_object,
    "maintenance": _maintenance,
    "bundle": _bundle,
    "difftool": _simple("opaque"),
    "mergetool": _simple("opaque"),
}
