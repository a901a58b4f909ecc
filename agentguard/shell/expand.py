"""From raw commands to the commands that will really run: the Expander.

Wrappers (``bash -c``, ``env``, ``sudo``, ``xargs``, ``find -exec`` …) are peeled off
recursively by their handlers (``shells``, ``wrappers``, ``project``), the working
directory is tracked through ``cd`` per shell scope, assignments are watched, and each
resulting command is classified.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell import shapes, shells, wrappers
from agentguard.shell.catalogue import WRAPPERS
from agentguard.shell.classify import classify, mark_privilege
from agentguard.shell.effects import written_before
from agentguard.shell.envstate import ShellVars, env_set
from agentguard.shell.model import Analysis, RawCommand, Redirect, SimpleCommand, Word
from agentguard.shell.shells import DECLARE
from agentguard.shell.variables import loaded_vars
from agentguard.shell.wrappers import Frame, abs_path

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from agentguard.shell.wrappers import Handler

MAX_DEPTH = 8
_NONE: dict[str, object] = {}


class Expander:
    """Turns raw commands into classified simple commands, appending to an Analysis."""

    __slots__ = ("analysis", "cdpath", "env", "exported", "feed", "parse")

    def __init__(
        self,
        analysis: Analysis,
        env: Mapping[str, str],
        parse: Callable[[str, Mapping[str, str]], tuple[list[RawCommand], list[str], str]],
    ) -> None:
        self.analysis = analysis
        self.env = env
        self.parse = parse
        # Once CDPATH may be set, ``cd NAME`` may go anywhere (bash searches CDPATH).
        self.cdpath = bool(env.get("CDPATH"))
        # Variables the line exported so far in the current shell, with their values;
        # only literal values count (``export X=$(f)`` may be empty).
        self.exported: dict[str, str] = {}
        # The plain command piped into the command being expanded (``xargs`` reads it).
        self.feed: RawCommand | None = None

    # -- lines and raw commands ------------------------------------------------
    def line(
        self,
        text: str,
        cwd: str | None,
        via: list[str],
        depth: int,
        script: str | None = None,
        covered_by: int | None = None,
    ) -> None:
        """Analyse a nested command line (``bash -c``, ``eval``, a script) in place."""
        if depth > MAX_DEPTH:
            self.opaque([text], cwd, via, f"nested deeper than {MAX_DEPTH} levels")
            return
        known = {"HOME": self.env["HOME"]} if self.env.get("HOME") else {}
        raws, errors, _ = self.parse(text, known)
        for error in errors:
            self.analysis.errors.append(error if not via else f"{' > '.join(via)}: {error}")
        start = len(self.analysis.commands)
        self.run(raws, cwd, via, depth)
        for cmd in self.analysis.commands[start:]:
            if script is not None and cmd.script is None:
                cmd.script = script
            if covered_by is not None and cmd.covered_by is None:
                cmd.covered_by = covered_by

    def run(self, raws: list[RawCommand], cwd: str | None, via: list[str], depth: int) -> None:
        """Expand raw commands in order, tracking ``cd`` per shell scope."""
        cwds: dict[tuple[int, ...], str | None] = {(): cwd}
        outer = self.exported
        state = ShellVars(outer)
        prev_op = ""
        outer_feed = self.feed
        for raw in raws:
            self.feed = raw.fed_by
            here = _lookup(cwds, raw.scope)
            self.exported = state.exported(raw.scope)
            assigns = {name: w.text for name, w in raw.assigns}
            dyn_assigns = [name for name, w in raw.assigns if w.dynamic]
            self._watch_assigns(raw.assigns, raw.words, here, via)
            start = len(self.analysis.commands)
            self.expand(raw.words, assigns, raw.redirects, here, via, [], depth, dyn_assigns)
            words = _strip_builtin(raw.words)
            if words and not words[0].dynamic and words[0].text in _CD:
                new = _cd_target(words, here, self.env, self.cdpath)
                if raw.op_after == "||" or not raw.certain:
                    new = None
                cwds[raw.scope] = new
            elif any(
                cmd.program in _CD
                and cmd.via
                and all(v in _SAME_SHELL for v in cmd.via[len(via) :])
                for cmd in self.analysis.commands[start:]
            ):
                # ``eval cd x``, ``trap 'cd x' …``: the directory moves in this shell.
                cwds[raw.scope] = None
            state.watch(raw, prev_op)
            prev_op = raw.op_after
        self.exported = outer
        self.feed = outer_feed

    def _watch_assigns(
        self, assigns: list[tuple[str, Word]], words: list[Word], cwd: str | None, via: list[str]
    ) -> None:
        """CDPATH assignments, and values that run code when evaluated as a name."""
        pairs = list(assigns)
        if words and not words[0].dynamic and words[0].text in DECLARE:
            for w in words[1:]:
                key, eq, text = w.text.partition("=")
                if eq and not key.startswith("-"):
                    pairs.append((key, Word(text, w.dynamic, w.glob)))
        for var, value in pairs:
            if var == "CDPATH":
                self.cdpath = True
            if _loaded(value.text):
                self.opaque(
                    [f"{var}={value.text}"],
                    cwd,
                    via,
                    "a value with an array subscript holding a command substitution: bash "
                    "runs it when the variable is evaluated as a number or a name",
                )

    def mark(
        self, argv: list[str], cwd: str | None, via: list[str], classes: tuple[str, ...], why: str
    ) -> SimpleCommand:
        """Emit a command carrying ``classes`` without classifying it (what a wrapper
        itself does: download a package, hide code)."""
        cmd = SimpleCommand(argv, [False] * len(argv), {}, cwd, list(via), [argv])
        cmd.classes.update(classes)
        cmd.notes.append(why)
        mark_privilege(cmd)
        self.analysis.commands.append(cmd)
        return cmd

    # -- one command -------------------------------------------------------------
    def expand(
        self,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        depth: int,
        dyn_assigns: list[str] | None = None,
    ) -> None:
        """Peel wrappers off ``words`` and emit the command(s) that will run."""
        if depth > MAX_DEPTH:
            self.opaque([w.text for w in words], cwd, via, f"nested deeper than {MAX_DEPTH}")
            return
        if not words:
            self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns)
            return
        layers = [*layers, [w.text for w in words]]
        head = words[0]
        if head.dynamic or (head.glob and _globby(head.text)):
            # ``/bin/r? -rf x``: the program is whatever the pattern matches.
            self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns).classes.add(
                "opaque"
            )
            return
        name = head.text.rsplit("/", 1)[-1]
        if "/" in head.text:
            self._path_program(head.text, cwd, via)
        handler = _handler(name)
        if handler is not None:
            # ``PATH=/tmp/e eval "git status"``, ``BASH_ENV=x bash -c true``: the wrapper
            # consumes the assignment and the nested line is judged without it, so a
            # code-bearing variable in front of a wrapper makes the wrapper itself opaque.
            loaded = loaded_vars(name, assigns)
            if loaded:
                self.mark(
                    [f"{var}={assigns[var]}" for var in loaded] + [head.text],
                    cwd,
                    via,
                    ("opaque",),
                    f"{', '.join(loaded)} set for {name}, which runs other commands",
                )
            # What this command runs (a script, ``bash -c``) inherits its prefix assignments.
            outer = self.exported
            self.exported = {**outer, **assigns}
            for dyn in dyn_assigns or ():
                self.exported.pop(dyn, None)
            try:
                if handler(Frame(self, words, assigns, redirects, cwd, via, layers, depth)):
                    return
            finally:
                self.exported = outer
        self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns)

    def _path_program(self, text: str, cwd: str | None, via: list[str]) -> None:
        """A program named by a path: its name says nothing about what it is when the
        file was written earlier in the line (``cp /bin/rm ./r && ./r -rf x``) or lies
        outside the worktree and the system folders (``/tmp/r -rf x``)."""
        base = self.analysis.cwd
        if cwd is None and not text.startswith("/"):
            why = f"runs {text} relative to a folder the guard cannot establish"
        else:
            path = abs_path(text, cwd, base)
            if path in written_before(self.analysis.commands):
                why = f"runs {text}, which this line writes first"
            elif _trusted_program(path, base):
                return
            else:
                why = f"runs {text}, which lies outside this worktree and the system folders"
        self.mark([text], cwd, via, ("opaque",), why)

    def emit(
        self,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        dyn_assigns: list[str] | None = None,
    ) -> SimpleCommand:
        """Classify one effective command and append it to the analysis."""
        cmd = SimpleCommand(
            [w.text for w in words],
            [w.dynamic for w in words],
            assigns,
            cwd,
            list(via),
            layers or [[w.text for w in words]],
        )
        cmd.redirects = list(redirects)
        cmd.env_set = env_set(self.exported, assigns, dyn_assigns or ())
        if self.exported:
            cmd.exported = dict(self.exported)
        classify(
            cmd, words, self.analysis.cwd, self.env, self.analysis.commands, self.analysis.programs
        )
        if dyn_assigns:
            cmd.notes.append("assignment from an expansion: " + ", ".join(dyn_assigns))
        self.analysis.commands.append(cmd)
        return cmd

    def opaque(self, argv: list[str], cwd: str | None, via: list[str], why: str) -> None:
        """Emit a command whose meaning the guard cannot establish."""
        cmd = SimpleCommand(argv, [True] * len(argv), {}, cwd, list(via), [argv])
        cmd.classes.add("opaque")
        cmd.notes.append(why)
        mark_privilege(cmd)
        self.analysis.commands.append(cmd)

    def redirect_only(
        self,
        words: list[Word],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
    ) -> None:
        """The redirections of a wrapper whose inner line is analysed separately."""
        if not [r for r in redirects if r.op not in ("<<", "<<<")]:
            return
        cmd = self.emit([], {}, redirects, cwd, via, layers)
        cmd.text = " ".join(w.text for w in words) + " (redirections)"


# Folders whose programs are the system's: an agent cannot plant a file there.
_SYSTEM_BIN = frozenset(
    (
        "/bin",
        "/sbin",
        "/usr/bin",
        "/usr/sbin",
        "/usr/local/bin",
        "/usr/local/sbin",
        "/snap/bin",
        "/run/current-system/sw/bin",
    )
)


def _trusted_program(path: str, base: str) -> bool:
    """Whether the program file ``path`` is the system's or this project's own: in a
    system folder (``/opt/NAME/bin`` too), or, links resolved, inside the worktree of
    ``base`` or the main checkout it was made from (``node_modules`` may link there)."""
    folder = os.path.dirname(path)
    if folder in _SYSTEM_BIN or (
        folder.startswith("/opt/") and folder.endswith("/bin") and folder.count("/") == 3
    ):
        return True
    from agentguard.git.files import find_worktree

    real = os.path.realpath(path)
    tree = find_worktree(base)
    roots = [tree.top if tree is not None else base]
    if tree is not None and os.path.basename(tree.common_dir) == ".git":
        roots.append(os.path.dirname(tree.common_dir))
    for root in roots:
        top = os.path.realpath(root)
        if real == top or real.startswith(top + os.sep):
            return True
    return False


def _handler(name: str) -> Handler | None:
    """The handler of a program that runs other programs, None for any other program."""
    found = shells.HANDLERS.get(name) or wrappers.HANDLERS.get(name) or shapes.handler(name)
    module = WRAPPERS.get(name, _NONE).get("module") if found is None else None
    if module == "project":
        # The project's tools: that module loads only for a line naming one.
        from agentguard.shell.project import HANDLERS

        found = HANDLERS[name]
    elif module == "feeds":
        from agentguard.shell.feeds import HANDLERS as FEEDS

        found = FEEDS[name]
    elif module == "entrypoints":
        from agentguard.shell.entrypoints import HANDLERS as ENTRY_POINTS

        found = ENTRY_POINTS[name]
    return found


def _lookup(cwds: dict[tuple[int, ...], str | None], scope: tuple[int, ...]) -> str | None:
    while scope not in cwds:
        scope = scope[:-1]
    return cwds[scope]


_CD = frozenset(("cd", "pushd", "popd"))
# Wrappers that run their command in the current shell (a ``cd`` there moves it).
_SAME_SHELL = frozenset(("eval", "builtin", "command", "trap", "!", "{", "time"))


def _strip_builtin(words: list[Word]) -> list[Word]:
    """``builtin cd x`` and ``command cd x`` are ``cd x``."""
    while len(words) > 1 and not words[0].dynamic and words[0].text in ("builtin", "command"):
        words = words[1:]
        if words and words[0].text == "--":
            words = words[1:]
    return words


def _globby(text: str) -> bool:
    """Whether a word with glob characters is a pattern bash would match (``[`` alone,
    the test command, is not)."""
    return "*" in text or "?" in text or ("[" in text and "]" in text[text.index("[") :])


def _loaded(value: str) -> bool:
    """A value that runs code when bash evaluates it as an array element name."""
    return "[" in value and ("$(" in value or "`" in value)


def _cd_target(
    words: list[Word], cwd: str | None, env: Mapping[str, str], cdpath: bool = False
) -> str | None:
    if words[0].text == "popd":
        return None
    args = [w for w in words[1:] if not (w.text.startswith("-") and w.text != "-")]
    if not args:
        return env.get("HOME") or None
    target = args[0]
    if target.dynamic or target.glob or target.text == "-" or cwd is None:
        return None
    if words[0].text == "pushd" and target.text[:1] in "+-":
        return None  # pushd +N rotates the stack
    text = target.text
    if cdpath and not (text.startswith(("/", "./", "../")) or text in (".", "..")):
        return None  # bash searches CDPATH for a relative name first
    return os.path.normpath(os.path.join(cwd, text))
