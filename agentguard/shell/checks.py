"""Which checks a Bash line ran with its own exit status, and whether the line wrote.

Hot path: standard library only. The Stop gate reads a line the way PreToolUse did: the
fast lexer's raw commands (``shell.lexer.fast_parse``) say which checks ran, and the
analyser's simple commands (their writes, deletes and classes) say whether the line may
have changed files. There is no second reader of a command line.

What counts as running a check is deliberately narrow. A check is credited only when the
line is a plain ``&&`` chain (so a success of the line proves the success of every
element), the check's simple commands appear in it word for word with exactly the check's
environment prefix, and it runs in the agent's own worktree (a leading ``cd <own worktree>
&&`` is fine, another worktree is not). So ``npm run check || true``, ``npm run check;
true``, ``npm run check | tee x``, ``! npm run check`` and ``cd ../other && npm run check``
prove nothing. A line the fast lexer refuses (expansions, substitutions, subshells,
here-documents, globs) proves nothing either; the agent is told to run the check as
written.
"""

from __future__ import annotations

import os

from agentguard.shell.lexer import fast_parse
from agentguard.shell.model import Analysis, RawCommand

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from agentguard.shell.expand import Expander
    from agentguard.shell.model import Redirect, SimpleCommand

# Programs that run the project's code to check it: the analyser sees no effect in them
# and none is an edit (``True``), or only these sub-commands or options are (a string).
# Running one with a fixing option (``--fix``, ``-u`` …) is. Anything else the analyser
# finds no effect in may still write (a script, a build, an unknown program). Catalogue
# data waiting for its fact in shell/catalogue.py (most of these have no entry there yet).
CHECKERS: dict[str, object] = {
    "pytest": True,
    "mypy": True,
    "tsc": True,
    "eslint": True,
    "jest": True,
    "vitest": True,
    "ruff": True,
    "flake8": True,
    "pylint": True,
    "shellcheck": True,
    "npm": "test t ls list view info outdated --version -v help audit why explain config",
    "pnpm": "test t ls list view info outdated --version -v help audit why explain config",
    "yarn": "test t ls list view info outdated --version -v help audit why explain config",
    "bun": "test t ls list view info outdated --version -v help audit why explain config",
    "go": "test vet check clippy doc version env list",
    "cargo": "test vet check clippy doc version env list",
    "python": "--version -V",
    "python3": "--version -V",
    "node": "--version -V",
}
_FIXERS = ("--fix", "--write", "-w", "--in-place", "-i", "--inplace", "-u", "--update")
# Where a write is scratch, not an edit of the project (unless the project is there).
_SCRATCH = ("/tmp/", "/dev/")
_SCRATCH_FILES = frozenset(("/dev/null", "/dev/stdout", "/dev/stderr"))
_OUTPUT = frozenset((">", ">>", ">|", "&>", "&>>"))
# Classes that change no file by themselves; file-write and file-delete are judged by
# their targets.
_READING = frozenset(("read-only", "secret-read", "env-dump"))
_HARMLESS = _READING | {"file-write", "file-delete"}


def _plain_chain(raws: list[RawCommand]) -> bool:
    """True when a success of the line proves the success of every element."""
    if not raws or raws[-1].op_after not in ("", ";"):
        return False
    return all(raw.op_after == "&&" for raw in raws[:-1])


def _is_cd(raw: RawCommand) -> bool:
    return bool(raw.words) and raw.words[0].text == "cd"


def _cd_target(raw: RawCommand, cwd: str | None) -> str | None:
    """The folder after ``cd`` (None when it cannot be known)."""
    args = raw.words[1:]
    if cwd is None or len(args) != 1 or raw.assigns or raw.redirects:
        return None
    target = args[0].text
    if not target or target.startswith(("~", "-")):
        return None
    return os.path.normpath(os.path.join(cwd, target))


def _same_dir(a: str | None, b: str) -> bool:
    if a is None:
        return False
    return a == b or os.path.realpath(a) == os.path.realpath(b)


def _located(raws: list[RawCommand], cwd: str | None) -> list[tuple[RawCommand, str | None]]:
    """Each non-``cd`` command with the folder it runs in (after the ``cd`` steps before it)."""
    out: list[tuple[RawCommand, str | None]] = []
    here = cwd
    for raw in raws:
        if _is_cd(raw):
            here = _cd_target(raw, here)
        else:
            out.append((raw, here))
    return out


def _shape(raw: RawCommand) -> tuple[tuple[tuple[str, str, bool], ...], tuple[str, ...]]:
    assigns = tuple(sorted((name, w.text, w.dynamic) for name, w in raw.assigns))
    return assigns, tuple(w.text for w in raw.words)


def lenient_last(raw: RawCommand) -> bool:
    """Whether ``raw``, ending a line, is a command whose exit status 1 reads as success."""
    if not raw.words:
        return False
    from agentguard.shell.catalogue import PROGRAMS

    words = [w.text for w in raw.words]
    # ``lenient_exit``: Claude Code does not report this program's exit status 1 as a
    # failure (seen in the 2.1.197 binary): True, or the git sub-commands it holds for.
    fact = PROGRAMS.get(words[0].rsplit("/", 1)[-1], {}).get("lenient_exit")
    if isinstance(fact, str):
        rest = [w for w in words[1:] if not w.startswith("-")]
        return bool(rest) and rest[0] in fact.split()
    return fact is True


def last_is_lenient(command: str) -> bool:
    """Whether ``command``'s last element hides its exit status 1 (:func:`lenient_last`);
    True, which credits nothing, when the line cannot be read."""
    try:
        raws = fast_parse(command)
    except Exception:
        return True
    return raws is not None and bool(raws) and lenient_last(raws[-1])


def check_positions(
    command: str,
    cwd: str,
    worktree: str,
    checks: Mapping[str, str],
    lenient: bool | None = None,
) -> dict[str, tuple[int, int]]:
    """The checks (name -> run) that ``command`` runs with its own exit status.

    Returns name -> (first, last) index of the check's elements among the command's
    non-``cd`` elements (so that a writing element after it can make it stale). Empty
    when the line is not a plain ``&&`` chain or no check appears in it as written, in
    the agent's ``worktree``. ``lenient`` is :func:`last_is_lenient` when the caller
    knows it already (PreToolUse keeps it in the call's marker): the program knowledge
    is then not loaded again.
    """
    raws = fast_parse(command)
    if raws is None or not _plain_chain(raws):
        return {}
    if lenient if lenient is not None else lenient_last(raws[-1]):
        # Claude Code judges a Bash call by its last statement, and for grep, diff,
        # test, find … exit status 1 is "no match", not an error: `check && grep -q x f`
        # is reported as a success even when the check failed. Nothing is credited.
        return {}
    located = _located(raws, cwd)
    found: dict[str, tuple[int, int]] = {}
    for name, run in checks.items():
        wanted = fast_parse(run)
        if not wanted or not _plain_chain(wanted):
            continue
        expected = [(_shape(raw), where) for raw, where in _located(wanted, worktree)]
        size = len(expected)
        for start in range(len(located) - size + 1):
            window = located[start : start + size]
            if all(
                _shape(raw) == shape and where is not None and _same_dir(where, expect_dir or "")
                for (raw, where), (shape, expect_dir) in zip(window, expected, strict=True)
            ):
                found[name] = (start, start + size - 1)
                break
    return found


def _checker(cmd: SimpleCommand) -> bool:
    """Whether ``cmd`` runs a check (a test runner, a type checker …) without fixing."""
    fact = CHECKERS.get(cmd.program)
    args = cmd.argv[1:]
    if fact is True:
        return not any(a in _FIXERS or a.startswith("--fix") for a in args)
    return isinstance(fact, str) and bool(args) and args[0] in fact.split()


def _outside(target: str, cwd: str) -> bool:
    """Whether ``target`` is scratch: in the temp or device folders, not in the project."""
    return target.startswith(_SCRATCH) and not target.startswith(cwd.rstrip("/") + "/")


def may_write(cmd: SimpleCommand, cwd: str) -> bool:
    """Whether the analysed command ``cmd`` may have changed the project's files.

    A write or delete outside the scratch folders is an edit, and so is anything the
    analyser could not see through (``opaque``, unresolved targets), a file effect whose
    target it does not know, and every class beyond reading. A read-only command is not,
    nor a checker; any other program may write (a script, a build).
    """
    if any(not _outside(t, cwd) for t in (*cmd.writes, *cmd.deletes)):
        return True
    classes = cmd.classes
    if cmd.unresolved or classes - _HARMLESS:
        return True
    # A file effect whose targets the analyser does not name (``git stash``).
    if "file-write" in classes and not cmd.writes:
        return True
    if "file-delete" in classes and not cmd.deletes:
        return True
    if classes & _READING or _checker(cmd):
        return False
    # Only scratch writes. Through a redirection they hide what the program itself does
    # (``echo x > /tmp/f`` and ``python3 gen.py > /tmp/f`` read alike): it may write.
    return not classes or any(r.op in _OUTPUT for r in cmd.redirects)


def _scratch_redirect(redirect: Redirect) -> bool:
    """An output redirection into scratch, named literally (``> /tmp/log``, ``2>/dev/null``)."""
    target = redirect.target.text
    return (
        redirect.op in _OUTPUT
        and not redirect.target.dynamic
        and (target in _SCRATCH_FILES or target.startswith(("/tmp/", "/dev/fd/")))
    )


def _unscratched(raw: RawCommand) -> RawCommand:
    """``raw`` without its scratch output redirections, so that the analyser classifies the
    program itself (a redirection's write would hide that ``echo`` only reads)."""
    if not any(_scratch_redirect(r) for r in raw.redirects):
        return raw
    redirects = [r for r in raw.redirects if not _scratch_redirect(r)]
    return RawCommand(raw.words, raw.assigns, redirects, raw.scope, raw.op_after, raw.certain)


def _attributing(
    analysis: Analysis,
    env: Mapping[str, str],
    parse: Callable[[str, Mapping[str, str]], tuple[list[RawCommand], list[str], str]],
    ends: list[int],
) -> Expander:
    """The analyser's expander, appending to ``ends`` where each raw command's simple
    commands end. Built on first use, so that a line whose every element is a credited
    check loads no analyser."""
    from agentguard.shell.expand import Expander

    class Attributing(Expander):
        __slots__ = ("inside",)

        def expand(self, *args: Any, **kwargs: Any) -> None:
            """Expand one command; at the outermost level, note where its commands end."""
            if getattr(self, "inside", False):
                super().expand(*args, **kwargs)
                return
            self.inside = True
            try:
                super().expand(*args, **kwargs)
            finally:
                self.inside = False
            ends.append(len(self.analysis.commands))

    return Attributing(analysis, env, parse)


def analysed(
    raws: list[RawCommand], command: str, cwd: str, env: Mapping[str, str]
) -> list[list[SimpleCommand]] | None:
    """Each raw command's simple commands, as ``shell.analyse`` finds them (None when
    the analysis cannot say which raw command a simple command came from)."""
    from agentguard.shell import parse

    analysis = Analysis(command, cwd, "fast")

    def nested(text: str, names: Mapping[str, str]) -> tuple[list[RawCommand], list[str], str]:
        return parse(text, names)

    ends: list[int] = []
    expander = _attributing(analysis, env, nested, ends)
    expander.run([_unscratched(raw) for raw in raws], cwd, [], 0)
    if len(ends) != len(raws) or analysis.errors:
        return None
    out: list[list[SimpleCommand]] = []
    start = 0
    for end in ends:
        out.append(analysis.commands[start:end])
        start = end
    return out


def writes(
    command: str,
    cwd: str,
    env: Mapping[str, str],
    skip: set[int] | frozenset[int] = frozenset(),
) -> int | None:
    """The index of the last non-``cd`` element of ``command`` that may write, or None.

    ``skip`` holds element indexes that are known checks (a build writes ``dist/``, but
    running a check is not an edit). A line the fast lexer refuses is analysed whole:
    when anything in it may write, the answer is its first element (index 0).
    """
    cwd = os.path.abspath(cwd)
    try:
        raws = fast_parse(command)
        if raws is not None and all(i in skip for i in range(sum(not _is_cd(raw) for raw in raws))):
            return None  # the line only ran credited checks (and cd)
        per_raw = None if raws is None else analysed(raws, command, cwd, env)
        if per_raw is None:
            from agentguard.shell import analyse

            analysis = analyse(command, cwd, env)
            if not (analysis.errors or any(may_write(c, cwd) for c in analysis.commands)):
                return None
    except Exception:
        return 0  # a line nobody understands may write anything
    if raws is None:
        return 0
    elements = [i for i in range(sum(not _is_cd(raw) for raw in raws)) if i not in skip]
    if per_raw is None:
        # Parsed, but a nested line did not (``bash -c '…'``): the last element may write.
        return elements[-1] if elements else None
    last = None
    index = -1
    for raw, cmds in zip(raws, per_raw, strict=True):
        if _is_cd(raw):
            continue
        index += 1
        if index not in skip and any(may_write(c, cwd) for c in cmds):
            last = index
    return last


def write_profile(command: str, cwd: str, env: Mapping[str, str]) -> str:
    """What :func:`writes` needs of ``command`` whatever checks it credits, as a short word.

    PreToolUse, which has the analyser loaded, keeps this in the call's marker
    (:mod:`agentguard.state.seen`), so that the PostToolUse of a bound call answers
    :func:`writes` with :func:`writes_in` and loads no analyser. ``-``: nothing may write;
    ``*``: the lexer refused the line and it may write; ``*<n>``: the analysis of a
    line of ``n`` elements failed; else one ``0``/``1`` per non-``cd`` element (may it
    write). The word ends with ``.``, so that a truncated one is never read.
    """
    cwd = os.path.abspath(cwd)
    raws: list[RawCommand] | None = None
    try:
        raws = fast_parse(command)
        per_raw = None if raws is None else analysed(raws, command, cwd, env)
        if per_raw is None:
            from agentguard.shell import analyse

            analysis = analyse(command, cwd, env)
            if not (analysis.errors or any(may_write(c, cwd) for c in analysis.commands)):
                return "-."
    except Exception:
        return "*." if raws is None else f"*{sum(not _is_cd(raw) for raw in raws)}."
    if raws is None:
        return "*."
    if per_raw is None:
        return "1" * sum(not _is_cd(raw) for raw in raws) + "."
    flags = [
        "1" if any(may_write(c, cwd) for c in cmds) else "0"
        for raw, cmds in zip(raws, per_raw, strict=True)
        if not _is_cd(raw)
    ]
    return "".join(flags) + "."


def writes_in(profile: str, skip: set[int] | frozenset[int] = frozenset()) -> int | None:
    """:func:`writes` from a :func:`write_profile`; raises ValueError for a malformed one."""
    if not profile.endswith("."):
        raise ValueError(f"write profile {profile!r} is truncated")
    body = profile[:-1]
    if body == "-":
        return None
    if body == "*":
        return 0
    if body.startswith("*"):
        if not body[1:].isdigit():
            raise ValueError(f"write profile {profile!r} is malformed")
        return None if all(i in skip for i in range(int(body[1:]))) else 0
    if body.strip("01"):
        raise ValueError(f"write profile {profile!r} is malformed")
    last = None
    for index, flag in enumerate(body):
        if flag == "1" and index not in skip:
            last = index
    return last
