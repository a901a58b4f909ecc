"""Evidence for the verification gate: which checks a command really ran, which calls edit.

Hot path: standard library only. The decision log is the audit trail, but reading it
on every Stop would grow with the session; instead PostToolUse keeps one small
evidence record per (session, agent) in :mod:`agentguard.state.records` (last edit time,
each check's last result and when it started), and Stop reads that one record.

What counts as running a check is deliberately narrow. A check is credited only when
the command line is a plain ``&&`` chain (so a success of the line proves the success of
every element), the check's simple commands appear in it word for word with exactly
the check's environment prefix, nothing negates it, and it runs in the agent's own
worktree (a leading ``cd <own worktree> &&`` is fine, another worktree is not). So
``npm run check || true``, ``npm run check; true``, ``npm run check | tee x``,
``! npm run check`` and ``cd ../other && npm run check`` prove nothing. Anything the
strict lexer below does not fully understand (expansions, substitutions, subshells,
here-documents) proves nothing either; the agent is told to run the check as written.
"""

from __future__ import annotations

import os
import time

from agentguard.state import records as counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

EVIDENCE_KEY = "evidence"
_OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&")
_WORD_END = frozenset(" \t\n;&|<>()")
_UNSUPPORTED = frozenset("$`(){}")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")


class Simple:
    """One simple command of a line: env prefix, words, redirections, what follows it."""

    __slots__ = ("assigns", "negated", "op_after", "redirects", "words")

    def __init__(self) -> None:
        self.assigns: list[str] = []
        self.words: list[str] = []
        self.redirects: list[tuple[str, str]] = []
        self.op_after = ""
        self.negated = False

    def __repr__(self) -> str:
        neg = "! " if self.negated else ""
        return f"Simple({neg}{self.assigns + self.words!r} {self.op_after!r})"


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and bool(name) and name[0] in _NAME_START and set(name) <= _NAME_CHARS


def _tokens(line: str) -> list[tuple[str, str]] | None:
    """``(kind, text)`` tokens: ``word``, ``op``, ``redir``; None when unsupported."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
            continue
        if c == "\n":
            out.append(("op", ";"))
            i += 1
            continue
        if c == "#":
            while i < n and line[i] != "\n":
                i += 1
            continue
        # Redirections, with an optional fd number glued in front (``2>``, ``2>&1``).
        j = i
        while j < n and line[j].isdigit():
            j += 1
        if (j < n and line[j] in "<>") or line.startswith("&>", i):
            k = j if line[j : j + 1] in ("<", ">") else i
            for redir in ("<<<", "<<", "&>>", "&>", ">>", ">&", "<&", ">|", "<>", ">", "<"):
                if line.startswith(redir, k):
                    if redir in ("<<", "<<<"):
                        return None  # here-documents and here-strings: not this lexer's job
                    out.append(("redir", line[i:k] + redir))
                    i = k + len(redir)
                    break
            continue
        op = next((o for o in _OPERATORS if line.startswith(o, i)), None)
        if op is not None:
            if op in (";;", "|&"):
                return None
            out.append(("op", op))
            i += len(op)
            continue
        if c in _UNSUPPORTED:
            return None
        word: list[str] = []
        while i < n and line[i] not in _WORD_END:
            c = line[i]
            if c in _UNSUPPORTED:
                return None
            if c == "\\":
                if i + 1 >= n or line[i + 1] == "\n":
                    return None
                word.append(line[i + 1])
                i += 2
            elif c == "'":
                end = line.find("'", i + 1)
                if end < 0:
                    return None
                word.append(line[i + 1 : end])
                i = end + 1
            elif c == '"':
                end = line.find('"', i + 1)
                if end < 0:
                    return None
                inner = line[i + 1 : end]
                if any(ch in inner for ch in "$`\\"):
                    return None
                word.append(inner)
                i = end + 1
            else:
                word.append(c)
                i += 1
        out.append(("word", "".join(word)))
    return out


def split(line: str) -> list[Simple] | None:
    """The simple commands of ``line``, or None when it is not plain enough to judge."""
    tokens = _tokens(line)
    if tokens is None:
        return None
    commands: list[Simple] = []
    current = Simple()
    pending_redirect = ""
    for kind, text in tokens:
        if pending_redirect:
            if kind != "word":
                return None
            current.redirects.append((pending_redirect, text))
            pending_redirect = ""
        elif kind == "redir":
            pending_redirect = text
        elif kind == "op":
            if not (current.words or current.assigns):
                if text == ";" and not current.negated:
                    continue  # blank lines
                return None
            current.op_after = text
            commands.append(current)
            current = Simple()
        elif text == "!" and not current.words and not current.assigns:
            current.negated = not current.negated
        elif not current.words and _is_assignment(text):
            current.assigns.append(text)
        else:
            current.words.append(text)
    if pending_redirect:
        return None
    if current.words or current.assigns:
        commands.append(current)
    elif current.negated or (commands and commands[-1].op_after not in (";", "&")):
        return None
    while commands and commands[-1].op_after == ";":
        commands[-1].op_after = ""
    return commands


def _cd_target(cmd: Simple, cwd: str | None) -> str | None:
    """The folder after ``cd`` (None when it cannot be known)."""
    args = cmd.words[1:]
    if cwd is None or len(args) != 1 or cmd.assigns or cmd.redirects:
        return None
    target = args[0]
    if not target or target.startswith(("~", "-")):
        return None
    return os.path.normpath(os.path.join(cwd, target))


def _same_dir(a: str | None, b: str) -> bool:
    if a is None:
        return False
    return a == b or os.path.realpath(a) == os.path.realpath(b)


def _plain_chain(commands: list[Simple]) -> bool:
    """True when a success of the line proves the success of every element."""
    if not commands or commands[-1].op_after:
        return False
    return all(not c.negated for c in commands) and all(c.op_after == "&&" for c in commands[:-1])


def _located(commands: list[Simple], cwd: str | None) -> list[tuple[Simple, str | None]]:
    """Each non-``cd`` command with the folder it runs in (after the ``cd`` steps before it)."""
    out: list[tuple[Simple, str | None]] = []
    here = cwd
    for cmd in commands:
        if cmd.words and cmd.words[0] == "cd":
            here = _cd_target(cmd, here)
        else:
            out.append((cmd, here))
    return out


def _shape(cmd: Simple) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(sorted(cmd.assigns)), tuple(cmd.words)


def check_positions(
    command: str, cwd: str, worktree: str, checks: Mapping[str, str]
) -> dict[str, tuple[int, int]]:
    """The checks (name -> run) that ``command`` runs with its own exit status.

    Returns name -> (first, last) index of the check's elements among the command's
    non-``cd`` elements (so that a writing element after it can make it stale). Empty
    when the line is not a plain ``&&`` chain or no check appears in it as written, in
    the agent's ``worktree``.
    """
    commands = split(command)
    if commands is None or not _plain_chain(commands):
        return {}
    if _lenient_last(commands[-1]):
        # Claude Code judges a Bash call by its last statement, and for grep, diff,
        # test, find … exit status 1 is "no match", not an error: `check && grep -q x f`
        # is reported as a success even when the check failed. Nothing is credited.
        return {}
    located = _located(commands, cwd)
    found: dict[str, tuple[int, int]] = {}
    for name, run in checks.items():
        wanted = split(run)
        if not wanted or not _plain_chain(wanted):
            continue
        expected = [(_shape(c), where) for c, where in _located(wanted, worktree)]
        size = len(expected)
        for start in range(len(located) - size + 1):
            window = located[start : start + size]
            if all(
                _shape(c) == shape and where is not None and _same_dir(where, expect_dir or "")
                for (c, where), (shape, expect_dir) in zip(window, expected, strict=True)
            ):
                found[name] = (start, start + size - 1)
                break
    return found


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Programs whose exit status 1 Claude Code does not report as a failure when they end
# a Bash line (seen in the 2.1.197 binary's return-code interpretation).
_LENIENT = frozenset(("grep", "egrep", "fgrep", "rg", "find", "diff", "test", "[", "cmp"))
_LENIENT_GIT = frozenset(("diff", "grep"))


def _lenient_last(simple: Simple) -> bool:
    """Whether the line's last command is one whose exit 1 reads as success."""
    words = simple.words
    if not words:
        return False
    program = words[0].rsplit("/", 1)[-1]
    if program == "git":
        rest = [w for w in words[1:] if not w.startswith("-")]
        return bool(rest) and rest[0] in _LENIENT_GIT
    return program in _LENIENT


# Programs that only read (with their usual options); anything else may write.
_READ_ONLY = _names(
    "ls cat head tail grep egrep fgrep rg ag wc echo printf pwd which type file stat du df"
    " diff cmp true false test [ sleep date whoami id uname sort uniq cut tr jq yq less more"
    " tree realpath readlink dirname basename nl od xxd hexdump md5sum sha256sum sha1sum"
    " column seq expr printenv hostname ps pgrep lsof cd exit"
    " pytest mypy tsc eslint jest vitest ruff flake8 pylint shellcheck"
)
_GIT_READ = _names(
    "status diff log show rev-parse ls-files blame grep describe shortlog reflog"
    " cat-file ls-tree merge-base name-rev for-each-ref show-ref whatchanged"
)
_GIT_READ_WITH_ARGS = {"branch": ("--show-current", "-a", "-v", "-vv", "--list", "-r"),
                       "remote": ("-v",), "config": ("--get", "--list", "-l"),
                       "stash": ("list", "show"), "tag": ("-l", "--list")}  # fmt: skip
_FIXERS = ("--fix", "--write", "-w", "--in-place", "-i", "--inplace", "-u", "--update")
_NOT_FILES = ("/dev/null", "/dev/stdout", "/dev/stderr")


def _writes_simple(cmd: Simple) -> bool:
    """A conservative guess: may this simple command change files?"""
    for op, target in cmd.redirects:
        to_file = ">" in op and "&" not in op.replace("&>", "")
        if to_file and target not in _NOT_FILES and not target.startswith(("/tmp/", "/dev/fd/")):
            return True
    if not cmd.words:
        return False
    program = cmd.words[0].rsplit("/", 1)[-1]
    args = cmd.words[1:]
    if program == "git":
        sub = next((a for a in args if not a.startswith("-")), "")
        if sub in _GIT_READ:
            return False
        allowed = _GIT_READ_WITH_ARGS.get(sub)
        rest = args[args.index(sub) + 1 :] if sub in args else []
        if sub == "stash" and not rest:
            return True  # a bare ``git stash`` stashes (and reverts) the changes
        return not (allowed is not None and all(a in allowed for a in rest))
    if program == "find":
        return any(a in ("-delete", "-exec", "-execdir", "-ok", "-fprint") for a in args)
    if program in ("sed", "perl") and not any(a.startswith(("-i", "--in-place")) for a in args):
        return False
    if program in _READ_ONLY:
        return any(a in _FIXERS or a.startswith("--fix") for a in args)
    if program in ("npm", "pnpm", "yarn", "bun"):
        sub = args[0] if args else ""
        return sub not in ("test", "t", "ls", "list", "view", "info", "outdated", "--version",
                           "-v", "help", "audit", "why", "explain", "config")  # fmt: skip
    if program in ("go", "cargo"):
        sub = args[0] if args else ""
        return sub not in ("test", "vet", "check", "clippy", "doc", "version", "env", "list")
    if program in ("python", "python3", "node"):
        return not args or args[0] not in ("--version", "-V")
    return True


def _analyser_writes(command: str, cwd: str, env: Mapping[str, str]) -> bool:
    """What the shell analyser (when present) says about a line the strict lexer refused."""
    try:
        from agentguard.shell import analyse
    except ImportError:
        return True
    try:
        analysis = analyse(command, cwd, env)
    except Exception:
        return True  # a line nobody understands may write anything
    for cmd in analysis.commands:
        if cmd.writes or cmd.deletes or cmd.unresolved or "opaque" in cmd.classes:
            return True
    return bool(analysis.errors)


def writes(
    command: str,
    cwd: str,
    env: Mapping[str, str],
    skip: set[int] | frozenset[int] = frozenset(),
) -> int | None:
    """The index of the last element of ``command`` that may write files, or None.

    ``skip`` holds element indexes that are known checks (a build writes ``dist/``, but
    running a check is not an edit). A line the strict lexer cannot split is handed to the
    shell analyser when it exists; without it, such a line counts as writing (index 0).
    """
    commands = split(command)
    if commands is None:
        return 0 if _analyser_writes(command, cwd, env) else None
    last = None
    others: list[tuple[int, Simple]] = []
    index = -1
    for cmd in commands:
        if cmd.words and cmd.words[0] == "cd":
            continue
        index += 1
        if index in skip:
            continue
        others.append((index, cmd))
        if _writes_simple(cmd):
            last = index
    if last is None and others:
        # The shell analyser (what PreToolUse judged) sees writes this table misses
        # (`sort -o f`, `>& f`, `git diff --output=f` …): ask it about the elements
        # that are not checks, in order, and take the last that writes.
        for i, cmd in reversed(others):
            if _analyser_writes(_render(cmd), cwd, env):
                last = i
                break
    return last


def _render(cmd: Simple) -> str:
    """A simple command back as one shell line (quoted words and redirections)."""
    import shlex

    parts = [shlex.quote(w) for w in (*cmd.assigns, *cmd.words)]
    parts += [f"{op}{shlex.quote(target)}" for op, target in cmd.redirects]
    return " ".join(parts)


# --- the evidence record -------------------------------------------------------------


def read(home: str, session: str, agent: str) -> dict[str, Any]:
    """The evidence record of (session, agent): ``{}`` when nothing was recorded."""
    return counters.read_record(home, session, agent, EVIDENCE_KEY)


def note(
    home: str,
    session: str,
    agent: str,
    *,
    edit_at: float | None = None,
    checks: Mapping[str, dict[str, Any]] | None = None,
    sub: str | None = None,
) -> dict[str, Any]:
    """Record an edit (its time) and/or check results (name -> {ok, at, line, …})."""

    def update(record: dict[str, Any]) -> dict[str, Any]:
        if edit_at is not None:
            record["edit"] = max(float(record.get("edit") or 0), edit_at)
            record["edits"] = int(record.get("edits") or 0) + 1
            if sub:
                subs = record.setdefault("subs", {})
                subs[sub] = max(float(subs.get(sub) or 0), edit_at)
        if checks:
            known = record.setdefault("checks", {})
            for name, result in checks.items():
                previous = known.get(name)
                # Parallel hooks may finish out of order: the later start wins.
                if not previous or float(previous.get("at", 0)) <= float(result.get("at", 0)):
                    known[name] = dict(result)
        return record

    return counters.update_record(home, session, agent, EVIDENCE_KEY, update)


class Status:
    """One check's standing at Stop: ``passed``, ``failed`` or ``missing``."""

    __slots__ = ("description", "line", "name", "run", "state")

    def __init__(self, name: str, run: str, description: str, state: str, line: str = "") -> None:
        self.name = name
        self.run = run
        self.description = description
        self.state = state
        self.line = line

    def __repr__(self) -> str:
        return f"Status({self.name!r}, {self.state!r})"


def standing(
    record: Mapping[str, Any],
    names: list[str],
    checks: Mapping[str, Any],
    since: float | None = None,
) -> list[Status]:
    """Each named check's standing after ``since`` (default: the last edit in ``record``)."""
    since = float(record.get("edit") or 0) if since is None else since
    results = record.get("checks") or {}
    out = []
    for name in names:
        spec = checks.get(name) or {}
        run = str(spec.get("run") or name)
        description = str(spec.get("description") or "")
        result = results.get(name)
        if not result or float(result.get("at", 0)) < since:
            out.append(Status(name, run, description, "missing"))
        elif result.get("ok"):
            out.append(Status(name, run, description, "passed"))
        else:
            out.append(Status(name, run, description, "failed", str(result.get("line") or "")))
    return out


def now() -> float:
    """The current time (a seam for tests)."""
    return time.time()
