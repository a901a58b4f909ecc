"""From raw commands to the commands that will really run.

Wrappers (``bash -c``, ``env``, ``sudo``, ``xargs``, ``find -exec`` …) are peeled off
recursively, package.json scripts are resolved, the working directory is tracked
through ``cd``, and each resulting command is classified.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell import guardentry
from agentguard.shell.classify import classify, loaded_vars, mark_privilege, written_before
from agentguard.shell.lexer import substitutions
from agentguard.shell.model import Analysis, RawCommand, Redirect, SimpleCommand, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

MAX_DEPTH = 8
SHELLS = frozenset(("bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "rbash", "fish"))
# Options of a shell that take a value (``bash -o pipefail -c …``).
_SHELL_VALUE_OPTS = frozenset(("-o", "+o", "-O", "+O", "--rcfile", "--init-file"))
_PACKAGE_RUNNERS = frozenset(("npm", "pnpm", "yarn", "bun"))
_NPM_SCRIPT_ALIASES = {
    "test": "test",
    "t": "test",
    "tst": "test",
    "start": "start",
    "stop": "stop",
    "restart": "restart",
}
_NPM_VALUE_OPTS = frozenset(
    ("--prefix", "-w", "--workspace", "-C", "--dir", "--filter", "-F", "--cwd", "--loglevel")
)
# Subcommands that are the package manager's own, never a script name.
_PNPM_BUILTINS = _w(
    "add install i update up upgrade remove rm uninstall un link ln unlink import rebuild rb "
    "prune fetch dedupe patch patch-commit audit list ls outdated why licenses exec dlx create "
    "init publish pack store env setup config c root bin server recursive -r help deploy "
    "doctor store test t start run"
)
_YARN_BUILTINS = _w(
    "add install remove upgrade up upgrade-interactive dlx exec info init link unlink pack "
    "publish npm config cache workspaces workspace why set plugin constraints version bin "
    "node explain dedupe patch patch-commit rebuild search help run test start list outdated "
    "audit global login logout owner tag team licenses import generate-lock-entry "
    "autoclean create policies"
)


class Expander:
    """Turns raw commands into classified simple commands, appending to an Analysis."""

    __slots__ = ("analysis", "cdpath", "env", "parse")

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
        for raw in raws:
            here = _lookup(cwds, raw.scope)
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

    def _watch_assigns(
        self, assigns: list[tuple[str, Word]], words: list[Word], cwd: str | None, via: list[str]
    ) -> None:
        """CDPATH assignments, and values that run code when evaluated as a name."""
        pairs = list(assigns)
        if words and not words[0].dynamic and words[0].text in _DECLARE:
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
        handler = _WRAPPERS.get(name)
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
            if handler(self, words, assigns, redirects, cwd, via, layers, depth):
                return
        self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns)

    def _path_program(self, text: str, cwd: str | None, via: list[str]) -> None:
        """A program named by a path: its name says nothing about what it is when the
        file was written earlier in the line (``cp /bin/rm ./r && ./r -rf x``) or lies
        outside the worktree and the system folders (``/tmp/r -rf x``)."""
        base = self.analysis.cwd
        if cwd is None and not text.startswith("/"):
            why = f"runs {text} relative to a folder the guard cannot establish"
        else:
            path = _abs(text, cwd, base)
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
        classify(cmd, words, self.analysis.cwd, self.env, self.analysis.commands)
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


def _lookup(cwds: dict[tuple[int, ...], str | None], scope: tuple[int, ...]) -> str | None:
    while scope not in cwds:
        scope = scope[:-1]
    return cwds[scope]


_CD = frozenset(("cd", "pushd", "popd"))
# Wrappers that run their command in the current shell (a ``cd`` there moves it).
_SAME_SHELL = frozenset(("eval", "builtin", "command", "trap", "!", "{", "time"))
_DECLARE = frozenset(("declare", "typeset", "local", "export", "readonly"))


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


# -- wrappers ----------------------------------------------------------------------
# Each handler returns True when it emitted everything for the command, False to let
# the command be classified as itself.


def _split_options(
    words: list[Word], start: int, value_opts: frozenset[str], positionals: int = 0
) -> int | None:
    """Index of the wrapped command after options (and ``positionals`` leading operands)."""
    i = start
    n = len(words)
    while i < n:
        text = words[i].text
        if words[i].dynamic:
            return None
        if text == "--":
            i += 1
            break
        if not text.startswith("-") or text == "-":
            break
        if text in value_opts:
            i += 2
            continue
        i += 1
    i += positionals
    return i


def _shell(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    name = words[0].text.rsplit("/", 1)[-1]
    i, n = 1, len(words)
    has_c = False
    reads_stdin = False
    while i < n:
        w = words[i]
        if w.dynamic:
            ex.opaque([x.text for x in words], cwd, via, "shell option from an expansion")
            if guardentry.script(w.text, None):
                guard = ex.analysis.commands[-1]
                guard.classes.add("guard-tamper")
                guard.notes.append(f"{w.text} is agentguard's hook entry; {guardentry.NOTE}")
            return True
        text = w.text
        if text in ("--", "-"):
            i += 1
            break
        if text in _SHELL_VALUE_OPTS:
            i += 2
            continue
        if text.startswith("--"):
            i += 1
            continue
        if text[:1] in "-+" and len(text) > 1:
            if "c" in text[1:]:
                has_c = True
            if "s" in text[1:]:
                reads_stdin = True
            i += 1
            continue
        break
    label = name + (" -c" if has_c else "")
    ex.redirect_only(words, redirects, cwd, via, layers)
    if has_c:
        if i >= n:
            ex.opaque([w.text for w in words], cwd, via, f"{name} -c without a command")
            return True
        script = words[i]
        if script.dynamic:
            ex.opaque(
                [w.text for w in words], cwd, [*via, label], "command string from an expansion"
            )
            return True
        ex.line(script.text, cwd, [*via, label], depth + 1)
        return True
    if i < n and not reads_stdin:
        ex.opaque([w.text for w in words], cwd, via, f"{name} runs the script file {words[i].text}")
        cmd = ex.analysis.commands[-1]
        cmd.reads.append(_abs(words[i].text, cwd, ex.analysis.cwd))
        if guardentry.script(words[i].text, None if words[i].dynamic else cwd):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{words[i].text} is agentguard's hook entry; {guardentry.NOTE}")
        return True
    # Commands come from standard input: a literal here-document can be read.
    bodies = [r.target for r in redirects if r.op in ("<<", "<<<")]
    if bodies and not bodies[-1].dynamic:
        ex.line(bodies[-1].text, cwd, [*via, f"{name} <<"], depth + 1)
        return True
    ex.opaque([w.text for w in words], cwd, via, f"{name} reads commands from standard input")
    return True


def _eval(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    args = words[1:]
    if args and args[0].text == "--":
        args = args[1:]
    ex.redirect_only(words, redirects, cwd, via, layers)
    if any(w.dynamic for w in args):
        ex.opaque([w.text for w in words], cwd, via, "eval of an expansion")
        return True
    ex.line(" ".join(w.text for w in args), cwd, [*via, "eval"], depth + 1)
    return True


def _env(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    i, n = 1, len(words)
    new = dict(assigns)
    unset: list[str] = []
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            ex.opaque([x.text for x in words], cwd, via, "env argument from an expansion")
            return True
        if text == "--":
            i += 1
            break
        if text in ("-i", "--ignore-environment", "-0", "--null", "-v", "--debug", "-"):
            if text in ("-i", "-", "--ignore-environment"):
                new = {}
            i += 1
            continue
        if text in ("-u", "--unset"):
            if i + 1 < n:
                unset.append(words[i + 1].text)
            i += 2
            continue
        if text.startswith("--unset="):
            unset.append(text.split("=", 1)[1])
            i += 1
            continue
        if text.startswith("-u") and not text.startswith("--"):
            unset.append(text[2:])
            i += 1
            continue
        if text in ("-C", "--chdir") or text.startswith("--chdir="):
            target = (
                text.split("=", 1)[1] if "=" in text else (words[i + 1].text if i + 1 < n else "")
            )
            cwd = os.path.normpath(os.path.join(cwd, target)) if cwd else None
            i += 1 if "=" in text else 2
            continue
        if text in ("-S", "--split-string") or text.startswith(("-S", "--split-string=")):
            if text in ("-S", "--split-string"):
                rest = " ".join(x.text for x in words[i + 1 :])
            else:
                rest = text.split("=", 1)[1] if text.startswith("--") else text[2:]
                rest = " ".join([rest, *(x.text for x in words[i + 1 :])])
            prefix = " ".join(f"{k}={_q(v)}" for k, v in new.items())
            ex.redirect_only(words, redirects, cwd, via, layers)
            ex.line((prefix + " " + rest).strip(), cwd, [*via, "env -S"], depth + 1)
            _tag_unset(ex, unset)
            return True
        if text in ("-a", "--argv0"):
            i += 2
            continue
        if text.startswith(("--argv0=", "--block-signal", "--default-signal", "--ignore-signal")):
            i += 1
            continue
        if text.startswith("-") and not text.startswith("--") and len(text) > 2:
            # A bundle (``-iS 'cmd'``, ``-iu X``): split it into single options.
            k = 1
            split: list[Word] = []
            while k < len(text):
                ch = text[k]
                if ch in "uCSa":
                    split.append(Word("-" + ch))
                    if k + 1 < len(text):
                        split.append(Word(text[k + 1 :]))
                    break
                split.append(Word("-" + ch))
                k += 1
            if all(x.text in ("-i", "-0", "-v", "-u", "-C", "-S", "-a") for x in split[:1]):
                words = [*words[:i], *split, *words[i + 1 :]]
                n = len(words)
                continue
        if text.startswith("-"):
            ex.opaque([x.text for x in words], cwd, via, f"env: unknown option {text}")
            return True
        name, eq, value = text.partition("=")
        if eq and name and (name[0].isalpha() or name[0] == "_"):
            new[name] = value
            i += 1
            continue
        break
    if i >= n:
        # ``env`` with no command prints the environment.
        cmd = ex.emit(words, assigns, redirects, cwd, via, layers)
        cmd.classes.update(("env-dump", "secret-read"))
        _tag_unset(ex, unset)
        return True
    start = len(ex.analysis.commands)
    ex.expand(words[i:], new, redirects, cwd, [*via, "env"], layers, depth + 1)
    for cmd in ex.analysis.commands[start:]:
        for name in unset:
            cmd.notes.append(f"unsets {name}")
            if name.upper().startswith("AGENTGUARD"):
                cmd.classes.add("guard-tamper")
    return True


def _tag_unset(ex: Expander, unset: list[str]) -> None:
    if any(name.upper().startswith("AGENTGUARD") for name in unset) and ex.analysis.commands:
        ex.analysis.commands[-1].classes.add("guard-tamper")


def _simple_wrapper(value_opts: frozenset[str], positionals: int = 0) -> Callable[..., bool]:
    def handler(
        ex: Expander,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        depth: int,
    ) -> bool:
        name = words[0].text.rsplit("/", 1)[-1]
        i = _split_options(words, 1, value_opts, positionals)
        if i is None:
            ex.opaque([w.text for w in words], cwd, via, f"{name} option from an expansion")
            return True
        if i >= len(words):
            return False
        extra = list(redirects)
        # Options of wrappers that write a file.
        for j in range(1, i):
            if words[j].text in ("-o", "--output") and j + 1 < i and name in ("time", "strace"):
                extra.append(Redirect(">", words[j + 1]))
        if name == "command" and any(w.text in ("-v", "-V") for w in words[1:i]):
            return False
        ex.expand(words[i:], dict(assigns), extra, cwd, [*via, name], layers, depth + 1)
        return True

    return handler


_SUDO_VALUE_OPTS = _w(
    "-u -g -C -D -h -p -r -t -U -T --user --group --chdir --host --prompt --role --type "
    "--other-user --close-from --command-timeout"
)


_SUDO_VALUE_CHARS = frozenset("ugCDhprtUT")


def _sudo(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    name = words[0].text.rsplit("/", 1)[-1]
    i, n = 1, len(words)
    shell = False
    edit = name == "sudoedit"
    while i < n:
        text = words[i].text
        if words[i].dynamic:
            ex.opaque([w.text for w in words], cwd, via, f"{name} option from an expansion")
            return True
        if text == "--":
            i += 1
            break
        if not text.startswith("-"):
            break
        if text in _SUDO_VALUE_OPTS or (name == "doas" and text in ("-u", "-C", "-a")):
            i += 2
            continue
        if not text.startswith("--"):
            cut = next((k for k, ch in enumerate(text) if k and ch in _SUDO_VALUE_CHARS), 0)
            if cut:
                # ``-nu root``: the rest of the bundle, or the next word, is the value.
                head = text[:cut]
                shell = shell or "s" in head[1:] or "i" in head[1:]
                edit = edit or "e" in head[1:]
                i += 2 if cut == len(text) - 1 else 1
                continue
            shell = shell or "s" in text[1:] or "i" in text[1:]
            edit = edit or "e" in text[1:]
        elif text in ("--shell", "--login"):
            shell = True
        elif text == "--edit":
            edit = True
        i += 1
    new = dict(assigns)
    while i < n and "=" in words[i].text and not words[i].text.startswith("="):
        key, _, value = words[i].text.partition("=")
        if not key.replace("_", "a").isalnum():
            break
        new[key] = value
        i += 1
    if edit:
        cmd = ex.emit(words, assigns, redirects, cwd, via, layers)
        cmd.classes.add("file-write")
        for w in words[i:]:
            cmd.writes.append(_abs(w.text, cwd, ex.analysis.cwd))
        return True
    if i >= n:
        if shell:
            ex.opaque([w.text for w in words], cwd, via, f"{name} starts an interactive shell")
            return True
        return False
    if shell:
        ex.redirect_only(words, redirects, cwd, via, layers)
        if any(w.dynamic for w in words[i:]):
            ex.opaque([w.text for w in words], cwd, via, "shell command from an expansion")
            return True
        ex.line(" ".join(w.text for w in words[i:]), cwd, [*via, f"{name} -s"], depth + 1)
        return True
    ex.expand(words[i:], new, redirects, cwd, [*via, name], layers, depth + 1)
    return True


_XARGS_VALUE_OPTS = _w(
    "-a -d -E -e -I -L -l -n -P -s --arg-file --delimiter --eof --replace --max-lines "
    "--max-args --max-procs --max-chars --process-slot-var"
)


def _xargs(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    i, n = 1, len(words)
    replace: str | None = None
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            ex.opaque([x.text for x in words], cwd, via, "xargs option from an expansion")
            return True
        if text == "--":
            i += 1
            break
        if not text.startswith("-"):
            break
        if text in ("-I", "--replace"):
            replace = words[i + 1].text if i + 1 < n else "{}"
            i += 2
            continue
        if text.startswith("--replace=") or (text.startswith("-I") and len(text) > 2):
            replace = text.split("=", 1)[1] if text.startswith("--") else text[2:]
        elif text == "-i" or text.startswith("-i"):
            replace = text[2:] or "{}"
        elif text in _XARGS_VALUE_OPTS:
            i += 2
            continue
        i += 1
    inner = list(words[i:]) or [Word("echo")]
    if replace:
        inner = [Word(w.text, True, w.glob) if replace in w.text else w for w in inner]
    else:
        # The arguments read from standard input are appended.
        inner.append(Word("{stdin}", True))
    ex.expand(inner, dict(assigns), redirects, cwd, [*via, "xargs"], layers, depth + 1)
    return True


def _find(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    # The find itself is classified normally (reads, -delete, -fprint); its -exec
    # commands are emitted after it.
    ex.emit(words, assigns, redirects, cwd, via, layers)
    i, n = 1, len(words)
    while i < n:
        text = words[i].text
        if text in ("-exec", "-execdir", "-ok", "-okdir"):
            j = i + 1
            while j < n and words[j].text not in (";", "+"):
                j += 1
            inner = [Word(w.text, True, w.glob) if "{}" in w.text else w for w in words[i + 1 : j]]
            if inner:
                ex.expand(inner, {}, [], cwd, [*via, f"find {text}"], layers, depth + 1)
            i = j + 1
            continue
        i += 1
    return True


def _watch(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    i, n = 1, len(words)
    direct = False
    while i < n and words[i].text.startswith("-") and not words[i].dynamic:
        text = words[i].text
        if text in ("-x", "--exec"):
            direct = True
        if text in ("-n", "--interval"):
            i += 2
            continue
        i += 1
    if i >= n:
        return False
    if direct:
        ex.expand(words[i:], dict(assigns), redirects, cwd, [*via, "watch"], layers, depth + 1)
        return True
    ex.redirect_only(words, redirects, cwd, via, layers)
    if any(w.dynamic for w in words[i:]):
        ex.opaque([w.text for w in words], cwd, via, "watch of an expansion")
        return True
    ex.line(" ".join(w.text for w in words[i:]), cwd, [*via, "watch"], depth + 1)
    return True


# Per tool: (options taking a value, options without one). An option outside both makes
# the command opaque: a value option read as a flag would hide the real program.
_EXEC_OPTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "npx": (
        _w("-p --package --cache --userconfig --registry --prefix -w --workspace --loglevel"),
        _w(
            "-y --yes --no -q --quiet --silent -ws --workspaces --include-workspace-root "
            "--no-install --ignore-existing -d --verbose"
        ),
    ),
    "bunx": (_w("-p --package"), _w("--bun --silent --verbose --no-install")),
    "pnpm dlx": (_w("--package"), _w("--silent -s")),
    "yarn dlx": (_w("-p --package"), _w("-q --quiet")),
    "pnpm exec": (_w("--filter -F -C --dir"), _w("-r --recursive --parallel --no-bail --silent")),
    "yarn exec": (frozenset(), frozenset()),
    "uvx": (
        _w(
            "--from --with --with-editable --with-requirements -w --python -p --index "
            "--index-url --default-index --extra-index-url -i --find-links -f --constraints "
            "-c --overrides --directory --project --cache-dir --config-file --color "
            "--python-preference --exclude-newer --index-strategy --keyring-provider "
            "--resolution --prerelease --link-mode --env-file --refresh-package "
            "--reinstall-package --upgrade-package --allow-insecure-host"
        ),
        _w(
            "-q --quiet -v --verbose --isolated --offline --no-cache -n --refresh "
            "--reinstall -U --upgrade --no-build --no-config --no-progress --native-tls "
            "--no-python-downloads --no-index --lfs --managed-python --no-managed-python"
        ),
    ),
}
_EXEC_OPTS["pnpx"] = _EXEC_OPTS["pnpm dlx"]
_EXEC_OPTS["bun x"] = _EXEC_OPTS["bunx"]
_EXEC_OPTS["npm exec"] = _EXEC_OPTS["npm x"] = _EXEC_OPTS["npx"]
_EXEC_OPTS["uv tool run"] = _EXEC_OPTS["uvx"]
# These fetch the package from a registry every time (or from a cache it filled).
_ALWAYS_DOWNLOAD = frozenset(
    ("pnpm dlx", "yarn dlx", "bunx", "bun x", "pnpx", "uvx", "uv tool run")
)
# These only run what the project installed.
_LOCAL_ONLY = frozenset(("pnpm exec", "yarn exec"))


def _npx(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``npx``/``bunx``/``uvx``/``pnpm dlx`` …: the binary runs (and may be downloaded)."""
    name = words[0].text.rsplit("/", 1)[-1]
    start = 1
    if name in ("pnpm", "yarn", "npm", "bun"):
        start = 2  # ``pnpm dlx``, ``yarn dlx``, ``npm exec``, ``bun x``
        name = f"{name} {words[1].text}"
    elif name == "uv":
        start = 3  # ``uv tool run``
        name = "uv tool run"
    values, flags = _EXEC_OPTS.get(name, (frozenset(), frozenset()))
    argv = [w.text for w in words]
    i, n = start, len(words)
    yes = False
    package: str | None = None
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            ex.opaque(argv, cwd, via, f"{name} argument from an expansion")
            return True
        if text == "--":
            i += 1
            break
        if text in ("-c", "--call", "--shell-mode") or text.startswith("--call="):
            if name in ("uvx", "uv tool run") and text == "-c":
                i += 2
                continue
            script = (
                text.split("=", 1)[1] if "=" in text else (words[i + 1].text if i + 1 < n else "")
            )
            if name not in _LOCAL_ONLY and name not in ("npx", "npm exec", "npm x"):
                ex.mark(argv, cwd, via, ("package-install", "network"), f"{name} downloads")
            ex.line(script, cwd, [*via, f"{name} -c"], depth + 1)
            return True
        if not text.startswith("-"):
            break
        opt, eq, value = text.partition("=")
        if opt in values:
            if opt in ("-p", "--package", "--from"):
                package = value if eq else (words[i + 1].text if i + 1 < n else "")
            i += 1 if eq else 2
            continue
        if opt in flags:
            yes = yes or opt in ("-y", "--yes")
            i += 1
            continue
        ex.opaque(argv, cwd, via, f"{name}: unknown option {opt}")
        return True
    if i >= n:
        return False
    inner = list(words[i:])
    binary = inner[0].text
    # ``pkg@1.2.3`` and ``@scope/pkg@latest`` name the binary without the version.
    at = binary.rfind("@")
    if at > 0:
        binary = binary[:at]
    binary = binary.rsplit("/", 1)[-1] if binary.startswith("@") else binary
    if name.startswith("uv"):
        binary = binary.split("[", 1)[0]
    inner[0] = Word(binary)
    download = name in _ALWAYS_DOWNLOAD or (
        name not in _LOCAL_ONLY
        and (yes or package is not None or not _local_bin(cwd or ex.analysis.cwd, binary))
    )
    if download:
        ex.mark(
            argv,
            cwd,
            via,
            ("package-install", "network"),
            f"{name} downloads and runs {package or binary} (not installed in node_modules/.bin)"
            if name.startswith(("npx", "npm")) and not (yes or package)
            else f"{name} downloads and runs a package",
        )
    ex.expand(inner, dict(assigns), redirects, cwd, [*via, name], layers, depth + 1)
    return True


def _local_bin(start: str, binary: str) -> bool:
    """Whether ``node_modules/.bin/<binary>`` exists in ``start`` or a folder above it."""
    if not binary or "/" in binary:
        return False
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, "node_modules", ".bin", binary)):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _runner(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``npm``/``pnpm``/``yarn``/``bun``: exec forms unwrap, scripts are resolved."""
    name = words[0].text.rsplit("/", 1)[-1]
    args = words[1:]
    # Options that change where scripts come from or what runs them, anywhere before
    # ``--`` (npm reads its options after the script name too).
    folder_opt: Word | None = None
    hidden = ""
    for j, w in enumerate(args):
        text = w.text
        if text == "--":
            break
        opt, eq, value = text.partition("=")
        if "script-shell" in opt or opt in ("--shell-emulator",):
            hidden = f"{opt} runs scripts with another shell"
        elif opt in ("--prefix", "-C", "--dir", "--cwd"):
            folder_opt = (
                Word(value, w.dynamic)
                if eq
                else (args[j + 1] if j + 1 < len(args) else Word("", True))
            )
        elif opt in (
            "-w",
            "--workspace",
            "-ws",
            "--workspaces",
            "--filter",
            "-F",
            "-r",
            "--recursive",
        ):
            hidden = f"{opt}: scripts of other workspace packages are not resolved"
        elif w.dynamic and text.startswith("-"):
            hidden = "option from an expansion"
    if any(k.lower() == "npm_config_script_shell" for k in assigns) or ex.env.get(
        "npm_config_script_shell"
    ):
        hidden = "npm_config_script_shell runs scripts with another shell"
    i = 0
    while i < len(args) and args[i].text.startswith("-") and not args[i].dynamic:
        i += 2 if args[i].text in _NPM_VALUE_OPTS else 1
    if i >= len(args):
        return False
    sub = args[i]
    if sub.dynamic:
        return False
    verb = sub.text
    if (name, verb) in (
        ("pnpm", "dlx"),
        ("yarn", "dlx"),
        ("npm", "exec"),
        ("npm", "x"),
        ("bun", "x"),
        ("pnpm", "exec"),
        ("yarn", "exec"),
    ):
        return _npx(
            ex, [words[0], sub, *args[i + 1 :]], assigns, redirects, cwd, via, layers, depth
        )
    if name == "npm" and verb == "explore":
        _explore(ex, words, args[i + 1 :], assigns, redirects, cwd, via, layers, depth)
        return True
    parts = _LIFECYCLE.get((name, verb))
    if parts is not None:
        later = [w for w in args[i + 1 :] if not w.text.startswith("-")]
        if verb == "version" and not later:
            return False  # ``npm version`` alone prints versions
        if any(w.text in ("--ignore-scripts", "--ignore-scripts=true") for w in args):
            return False
        cmd = ex.emit(words, assigns, redirects, cwd, via, layers)
        if hidden:
            cmd.classes.add("opaque")
            cmd.notes.append(hidden)
        base = cwd or ex.analysis.cwd
        if folder_opt is not None:
            if folder_opt.dynamic or folder_opt.glob:
                cmd.classes.add("opaque")
                cmd.notes.append("package folder from an expansion")
                return True
            base = _abs(folder_opt.text, cwd, ex.analysis.cwd)
        local = [w for w in later if w.text.startswith((".", "/", "~", "file:"))]
        if verb in ("pack", "publish") and local:
            # ``npm pack ./dir``: the named folder's own lifecycle scripts run.
            if local[0].dynamic or local[0].glob:
                cmd.classes.add("opaque")
                cmd.notes.append("package folder from an expansion")
                return True
            text = local[0].text
            base = _abs(text[5:] if text.startswith("file:") else text, cwd, ex.analysis.cwd)
        found = _package_scripts(base)
        if found is None:
            cmd.notes.append("no package.json found")
            return True
        folder, scripts = found
        for part in parts:
            if part in scripts:
                ex.line(scripts[part], folder, [*via, f"{name} {verb}: {part}"], depth + 1, part)
        return True
    script: str | None = None
    rest: list[Word] = []
    if verb in ("run", "run-script", "rum", "urn"):
        after = args[i + 1 :]
        while after and after[0].text.startswith("-") and after[0].text != "--":
            after = after[1:]
        if after and not after[0].dynamic:
            script, rest = after[0].text, after[1:]
    elif name == "npm" and verb in _NPM_SCRIPT_ALIASES:
        script, rest = _NPM_SCRIPT_ALIASES[verb], args[i + 1 :]
    elif name == "pnpm" and (verb in ("test", "t", "start") or verb not in _PNPM_BUILTINS):
        script, rest = {"t": "test"}.get(verb, verb), args[i + 1 :]
    elif name == "yarn" and (verb in ("test", "start") or verb not in _YARN_BUILTINS):
        script, rest = verb, args[i + 1 :]
    if script is None:
        return False
    index = len(ex.analysis.commands)
    cmd = ex.emit(words, assigns, redirects, cwd, via, layers)
    if hidden:
        cmd.classes.add("opaque")
        cmd.notes.append(hidden)
    base = cwd or ex.analysis.cwd
    if folder_opt is not None:
        if folder_opt.dynamic or folder_opt.glob:
            cmd.classes.add("opaque")
            cmd.notes.append("package folder from an expansion")
            return True
        base = _abs(folder_opt.text, cwd, ex.analysis.cwd)
    found = _package_scripts(base)
    implicit = verb not in ("run", "run-script", "rum", "urn")
    if found is None or script not in found[1]:
        if name in ("pnpm", "yarn") and (implicit or name == "yarn"):
            # ``pnpm NAME``/``yarn NAME`` with no such script runs the binary NAME.
            if rest and rest[0].text == "--":
                rest = rest[1:]
            ex.expand(
                [Word(script), *rest],
                dict(assigns),
                [],
                base,
                [*via, f"{name} {script}"],
                layers,
                depth + 1,
            )
            return True
        if found is None:
            cmd.notes.append("no package.json found")
            return True
        if name == "bun":
            # ``bun run file.ts`` runs a file when no script has that name.
            return True
        cmd.notes.append(f"package.json has no script {script!r}")
        return True
    folder, scripts = found
    if folder_opt is not None:
        # The folder option is the package manager's, not an argument of the script.
        kept: list[Word] = []
        skip = False
        for w in rest:
            if skip:
                skip = False
            elif w.text in ("--prefix", "-C", "--dir", "--cwd"):
                skip = True
            elif not w.text.startswith(("--prefix=", "--dir=", "--cwd=")):
                kept.append(w)
        rest = kept
    if rest and rest[0].text == "--":
        rest = rest[1:]
    for dynamic_arg in (w for w in rest if w.dynamic):
        cmd.notes.append(f"script argument from an expansion: {dynamic_arg.text}")
        cmd.classes.add("opaque")
    for part in (f"pre{script}", script, f"post{script}"):
        if part not in scripts:
            continue
        body = scripts[part]
        if part == script and rest:
            body = body + " " + " ".join(_q(w.text) for w in rest)
        ex.line(body, folder, [*via, f"{name} run {part}"], depth + 1, part, index)
    return True


# Commands of a package manager that run the package's lifecycle scripts, in order.
_PUBLISH_SCRIPTS = (
    "prepublish",
    "prepublishOnly",
    "prepack",
    "prepare",
    "postpack",
    "publish",
    "postpublish",
)
_PACK_SCRIPTS = ("prepack", "prepare", "postpack")
_VERSION_SCRIPTS = ("preversion", "version", "postversion")
_REBUILD_SCRIPTS = ("preinstall", "install", "postinstall", "prepare")
_LIFECYCLE = {
    ("npm", "pack"): _PACK_SCRIPTS,
    ("npm", "publish"): _PUBLISH_SCRIPTS,
    ("npm", "version"): _VERSION_SCRIPTS,
    ("npm", "rebuild"): _REBUILD_SCRIPTS,
    ("npm", "rb"): _REBUILD_SCRIPTS,
    ("pnpm", "pack"): _PACK_SCRIPTS,
    ("pnpm", "publish"): _PUBLISH_SCRIPTS,
    ("pnpm", "version"): _VERSION_SCRIPTS,
    ("pnpm", "rebuild"): _REBUILD_SCRIPTS,
    ("pnpm", "rb"): _REBUILD_SCRIPTS,
    ("yarn", "pack"): _PACK_SCRIPTS,
    ("yarn", "publish"): _PUBLISH_SCRIPTS,
    ("yarn", "version"): _VERSION_SCRIPTS,
    ("yarn", "rebuild"): _REBUILD_SCRIPTS,
    ("bun", "publish"): _PUBLISH_SCRIPTS,
}


def _explore(
    ex: Expander,
    words: list[Word],
    args: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> None:
    """``npm explore PKG -- CMD…``: npm runs the words after the package in a shell
    inside ``node_modules/PKG`` (an interactive one without them)."""
    ex.mark(
        [w.text for w in words],
        cwd,
        via,
        ("opaque",),
        "npm explore runs a shell command inside an installed package",
    )
    ops = [w for w in args if not w.text.startswith("-")]
    if not ops or ops[0].dynamic:
        return
    inner = args[args.index(ops[0]) + 1 :]
    if inner and inner[0].text == "--":
        inner = inner[1:]
    if not inner or any(w.dynamic for w in inner):
        return
    folder = os.path.join(cwd or ex.analysis.cwd, "node_modules", ops[0].text)
    ex.line(" ".join(w.text for w in inner), folder, [*via, "npm explore"], depth + 1)


def _package_scripts(start: str) -> tuple[str, dict[str, str]] | None:
    """The nearest package.json above ``start`` and its ``scripts``."""
    folder = os.path.abspath(start)
    while True:
        path = os.path.join(folder, "package.json")
        if os.path.isfile(path):
            import json

            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError):
                return folder, {}
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if not isinstance(scripts, dict):
                return folder, {}
            return folder, {str(k): str(v) for k, v in scripts.items() if isinstance(v, str)}
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _run_sub(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``uv run``, ``poetry run``, ``pipenv run``, ``bundle exec``: run the rest."""
    name = words[0].text.rsplit("/", 1)[-1]
    if name == "uv" and len(words) > 3 and words[1].text == "tool" and words[2].text == "run":
        return _npx(ex, words, assigns, redirects, cwd, via, layers, depth)
    if len(words) < 3 or words[1].text not in ("run", "exec"):
        return False
    i = _split_options(words, 2, frozenset(("--with", "--python", "-p", "--project", "--env-file")))
    if i is None or i >= len(words):
        return False
    ex.expand(
        words[i:],
        dict(assigns),
        redirects,
        cwd,
        [*via, f"{name} {words[1].text}"],
        layers,
        depth + 1,
    )
    return True


def _shell_string_opt(option: str) -> Callable[..., bool]:
    """Wrappers that take a shell string after an option (``su -c``, ``script -c``,
    ``flock -c``)."""

    def handler(
        ex: Expander,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        depth: int,
    ) -> bool:
        name = words[0].text.rsplit("/", 1)[-1]
        for j, w in enumerate(words[1:-1], start=1):
            cluster = (
                w.text.startswith("-")
                and not w.text.startswith("--")
                and (w.text.endswith(option[1:]) and w.text[1:].isalpha())
            )
            if w.text in (option, "--command") or cluster:
                script = words[j + 1]
                ex.redirect_only(words, redirects, cwd, via, layers)
                if script.dynamic:
                    ex.opaque([x.text for x in words], cwd, via, f"{name} {option} of an expansion")
                else:
                    ex.line(script.text, cwd, [*via, f"{name} {option}"], depth + 1)
                return True
        if name == "flock" and len(words) > 2:
            i = _split_options(
                words, 1, frozenset(("-w", "-E", "--timeout", "--conflict-exit-code")), 1
            )
            if i is not None and i < len(words):
                ex.expand(words[i:], dict(assigns), redirects, cwd, [*via, name], layers, depth + 1)
                return True
        if name == "su" and len(words) > 1:
            return False
        return False

    return handler


def _abs(path: str, cwd: str | None, base: str) -> str:
    return os.path.normpath(os.path.join(cwd or base, os.path.expanduser(path)))


def _q(text: str) -> str:
    if text and all(c.isalnum() or c in "@%+=:,./-_" for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


# Reserved words tree-sitter-bash leaves as plain words when a group follows ``!``,
# ``time`` or ``coproc`` (``time { rm -rf x; }`` parses as the command ``{ rm -rf x``
# and the command ``}``): the words after them are the command that runs.
_TRANSPARENT = frozenset(("{", "!", "coproc"))
# Any other reserved word in command position means the parse went wrong.
_MISPLACED = frozenset(
    (
        "then", "else", "elif", "fi", "do", "done", "esac", "in", "(", ")", "[[", "]]",
        "if", "case", "while", "until", "for", "select", "function",
    )
)  # fmt: skip


def _reserved(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    name = words[0].text
    rest = words[1:]
    if name == "}":
        if rest:
            ex.opaque([w.text for w in words], cwd, via, "words after a closing brace")
        else:
            ex.redirect_only(words, redirects, cwd, via, layers)
        return True
    if name in _MISPLACED:
        ex.opaque([w.text for w in words], cwd, via, f"reserved word {name!r} as a command")
        return True
    if name == "coproc" and len(rest) > 1 and rest[1].text == "{" and not rest[0].dynamic:
        rest = rest[1:]  # coproc NAME { …; }
    if not rest:
        ex.redirect_only(words, redirects, cwd, via, layers)
        return True
    ex.expand(rest, dict(assigns), list(redirects), cwd, [*via, name], layers, depth + 1)
    return True


# -- builtins that run hidden code ------------------------------------------------


def _names(ex: Expander, words: list[Word], cwd: str | None, via: list[str], depth: int) -> None:
    """Arguments bash may evaluate as an array element name (``read 'a[$(cmd)]'``,
    ``printf -v``, ``test -v``, ``declare``, ``let``): the subscript's substitutions run."""
    name = words[0].text
    for w in words[1:]:
        text = w.text
        if w.dynamic or ("$(" not in text and "`" not in text):
            continue
        if "[" not in text and name != "let":
            continue
        found = substitutions(text)
        if found is None:
            ex.opaque([x.text for x in words], cwd, via, f"{name}: unbalanced substitution")
            continue
        for inner in found:
            ex.line(inner, cwd, [*via, f"{name} subscript"], depth + 1)


def _builtin(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """Builtins that define or run code the guard cannot see at this point."""
    name = words[0].text.rsplit("/", 1)[-1]
    args = words[1:]
    texts = [w.text for w in args]
    _names(ex, words, cwd, via, depth)
    why = ""
    if name == "alias" and any("=" in t or w.dynamic for t, w in zip(texts, args, strict=True)):
        why = "alias defines a command that runs instead of the one named later"
    elif name == "shopt" and any(
        w.dynamic or t in ("expand_aliases", "extdebug") for t, w in zip(texts, args, strict=True)
    ):
        why = "shopt changes how later commands are read"
    elif name == "hash" and any(t.startswith("-") and "p" in t for t in texts):
        why = "hash -p makes a name run another program"
    elif name == "enable" and any(t not in ("-a", "-p", "-s") for t in texts):
        why = "enable loads or disables builtins"
    elif name in ("mapfile", "readarray") and any(
        t.startswith("-") and not t.startswith("--") and "C" in t for t in texts
    ):
        for j, t in enumerate(texts):
            if t.startswith("-") and "C" in t and j + 1 < len(args):
                callback = t[t.index("C") + 1 :] or texts[j + 1]
                if not args[j + 1].dynamic or t[t.index("C") + 1 :]:
                    ex.line(callback, cwd, [*via, f"{name} -C"], depth + 1)
        why = f"{name} -C runs a callback with arguments the guard cannot see"
    elif (
        name in _DECLARE
        and any(t.startswith("-") and "n" in t for t in texts)
        and any(w.dynamic for w in args)
    ):
        why = "a name reference to a name from an expansion"
    elif name == "let" and any(w.dynamic and "[" in w.text for w in args):
        why = "let evaluates an array subscript from an expansion"
    if why:
        ex.opaque([w.text for w in words], cwd, via, why)
    return False


def _trap(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``trap 'STRING' SIG``: STRING runs later, like ``eval``."""
    args = words[1:]
    if args and args[0].text == "--":
        args = args[1:]
    if not args or args[0].text in ("-l", "-p", "-P", "-"):
        return False
    if len(args) == 1 and not args[0].dynamic and args[0].text.isdigit():
        return False
    action = args[0]
    ex.redirect_only(words, redirects, cwd, via, layers)
    if action.dynamic:
        ex.opaque([w.text for w in words], cwd, via, "trap action from an expansion")
        return True
    ex.line(action.text, cwd, [*via, "trap"], depth + 1)
    return True


def _strict(
    flags: str = "",
    values: str = "",
    positionals: int = 0,
    attached: str = "",
    nocmd: str = "",
    refuse: str = "",
    cwd_opts: str = "",
    keep_cwd: str = "",
    long_any: bool = False,
    bare_opaque: bool = False,
    lead: int = 0,
) -> Callable[..., bool]:
    """A wrapper ``NAME [options] [positionals] CMD …`` whose options are all known.

    ``flags`` take no value, ``values`` take one (attached or the next word), ``attached``
    take an optional value only when attached (``-n10``, ``--nofile=10``); ``nocmd``
    options mean no command runs, ``refuse`` ones make the command opaque (a shell, a
    remote host); ``cwd_opts`` move the directory somewhere unknown, and when
    ``keep_cwd`` is given the command keeps the current directory only with one of them.
    ``long_any`` accepts any ``--name[=value]`` (tools whose long options never take a
    separate value). ``lead`` positionals come before the options (``setarch ARCH``).
    An option outside these tables makes the command opaque rather than guessed at."""
    flag_set, value_set, att_set = _w(flags), _w(values), _w(attached)
    nocmd_set, refuse_set, cwd_set, keep_set = _w(nocmd), _w(refuse), _w(cwd_opts), _w(keep_cwd)

    def handler(
        ex: Expander,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        depth: int,
    ) -> bool:
        name = words[0].text.rsplit("/", 1)[-1]
        argv = [w.text for w in words]
        i, n = 1 + lead, len(words)
        seen: list[str] = []
        while i < n:
            w = words[i]
            text = w.text
            if w.dynamic:
                ex.opaque(argv, cwd, via, f"{name} option from an expansion")
                return True
            if text == "--":
                i += 1
                break
            if not text.startswith("-") or text == "-":
                break
            if text.startswith("--"):
                opt, eq, _ = text.partition("=")
                seen.append(opt)
                if opt in value_set and not eq:
                    i += 2
                    continue
                if not (
                    opt in value_set
                    or opt in flag_set
                    or opt in att_set
                    or opt in nocmd_set
                    or opt in refuse_set
                    or long_any
                ):
                    ex.opaque(argv, cwd, via, f"{name}: unknown option {opt}")
                    return True
                i += 1
                continue
            k = 1
            step = 1
            while k < len(text):
                opt = "-" + text[k]
                seen.append(opt)
                if opt in value_set:
                    if k + 1 == len(text):
                        step = 2
                    break
                if opt in att_set:
                    break
                if not (opt in flag_set or opt in nocmd_set or opt in refuse_set):
                    ex.opaque(argv, cwd, via, f"{name}: unknown option {opt}")
                    return True
                k += 1
            i += step
        if any(o in nocmd_set for o in seen):
            return False
        if any(o in refuse_set for o in seen):
            ex.opaque(argv, cwd, via, f"{name} runs a shell or on another system")
            return True
        i += positionals
        if i >= n:
            if bare_opaque:
                ex.opaque(argv, cwd, via, f"{name} without a command starts a shell")
                return True
            return False
        if any(o in cwd_set for o in seen) or (keep_set and not any(o in keep_set for o in seen)):
            cwd = None
        extra = list(redirects)
        for w in words[1:i]:
            if w.text.startswith(("--log-file=", "--xml-file=")):
                extra.append(Redirect(">", Word(w.text.split("=", 1)[1])))
        ex.expand(words[i:], dict(assigns), extra, cwd, [*via, name], layers, depth + 1)
        return True

    return handler


def _applet(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``busybox APPLET …``/``toybox APPLET …``: the applet is the program."""
    name = words[0].text.rsplit("/", 1)[-1]
    if len(words) < 2 or words[1].text.startswith("-"):
        return False
    ex.expand(words[1:], dict(assigns), redirects, cwd, [*via, name], layers, depth + 1)
    return True


def _corepack(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``corepack pnpm …``: the package manager is the program."""
    if len(words) < 2 or words[1].dynamic:
        return False
    tool = words[1].text.split("@", 1)[0]
    if tool not in ("npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg"):
        return False
    inner = [Word(tool), *words[2:]]
    ex.expand(inner, dict(assigns), redirects, cwd, [*via, "corepack"], layers, depth + 1)
    return True


def _bwrap(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """bubblewrap remaps the file system: what the command touches is unknown."""
    ex.opaque([w.text for w in words], cwd, via, "bwrap runs a command in a remapped file system")
    return True


_RUNUSER_C = _shell_string_opt("-c")
_RUNUSER = _strict(
    flags="-l --login -m -p --preserve-environment -P --pty -f",
    values="-u --user -g --group -G --supp-group -s --shell -w --whitelist-environment",
    nocmd="-h --help -V --version",
)


def _runuser(
    ex: Expander,
    words: list[Word],
    assigns: dict[str, str],
    redirects: list[Redirect],
    cwd: str | None,
    via: list[str],
    layers: list[list[str]],
    depth: int,
) -> bool:
    """``runuser -u USER [--] CMD`` runs CMD; ``runuser USER -c STRING`` a shell string."""
    if _RUNUSER_C(ex, words, assigns, redirects, cwd, via, layers, depth):
        return True
    user_opt = any(
        w.text in ("-u", "--user")
        or w.text.startswith("--user=")
        or (w.text.startswith("-") and not w.text.startswith("--") and "u" in w.text)
        for w in words[1:]
    )
    if user_opt:
        return _RUNUSER(ex, words, assigns, redirects, cwd, via, layers, depth)
    if len(words) > 1:
        ex.opaque([w.text for w in words], cwd, via, "runuser starts a shell for the user")
        return True
    return False


_WRAPPERS: dict[str, Callable[..., bool]] = {
    "eval": _eval,
    "env": _env,
    "sudo": _sudo,
    "sudoedit": _sudo,
    "doas": _sudo,
    "xargs": _xargs,
    "find": _find,
    "watch": _watch,
    "npx": _npx,
    "bunx": _npx,
    "pnpx": _npx,
    "uvx": _npx,
    "uv": _run_sub,
    "poetry": _run_sub,
    "pipenv": _run_sub,
    "bundle": _run_sub,
    "su": _shell_string_opt("-c"),
    "script": _shell_string_opt("-c"),
    "flock": _shell_string_opt("-c"),
    "nohup": _simple_wrapper(frozenset()),
    "setsid": _simple_wrapper(frozenset()),
    "unbuffer": _simple_wrapper(frozenset()),
    "chronic": _simple_wrapper(frozenset()),
    "builtin": _simple_wrapper(frozenset()),
    "command": _simple_wrapper(frozenset()),
    "exec": _simple_wrapper(frozenset(("-a",))),
    "nice": _simple_wrapper(frozenset(("-n", "--adjustment"))),
    "time": _simple_wrapper(frozenset(("-f", "--format", "-o", "--output"))),
    "timeout": _simple_wrapper(frozenset(("-k", "--kill-after", "-s", "--signal")), 1),
    "stdbuf": _simple_wrapper(frozenset(("-i", "-o", "-e"))),
    "ionice": _simple_wrapper(frozenset(("-c", "-n", "-t", "--class", "--classdata"))),
    "caffeinate": _simple_wrapper(frozenset(("-t", "-w"))),
    "strace": _simple_wrapper(frozenset(("-o", "-e", "-s", "-u", "-p"))),
    "ltrace": _simple_wrapper(frozenset(("-o", "-e", "-s", "-u", "-p"))),
    "chroot": _simple_wrapper(frozenset(("--userspec", "--groups")), 1),
}
for _shell_name in SHELLS:
    _WRAPPERS[_shell_name] = _shell
for _word in (
    "alias",
    "shopt",
    "hash",
    "enable",
    "mapfile",
    "readarray",
    "let",
    "test",
    "[",
    "printf",
    "read",
    "unset",
    "getopts",
    "wait",
    *_DECLARE,
):
    _WRAPPERS[_word] = _builtin
_WRAPPERS["trap"] = _trap
_WRAPPERS["runuser"] = _runuser
# systemd's sudo: options it does not know make the command opaque; without a command,
# or with --via-shell, it starts a shell; --machine runs on another system.
_WRAPPERS["run0"] = _strict(
    "--no-ask-password --slice-inherit --pty --pipe --empower",
    "-u --user -g --group --nice -D --chdir --setenv --unit --property --description "
    "--slice --background --shell-prompt-prefix --lightweight --area",
    nocmd="-h --help --version",
    refuse="-i --via-shell --machine",
    cwd_opts="-D --chdir",
    bare_opaque=True,
)
_WRAPPERS["busybox"] = _applet
_WRAPPERS["toybox"] = _applet
_WRAPPERS["corepack"] = _corepack
_WRAPPERS["bwrap"] = _bwrap
_WRAPPERS.update(
    {
        "taskset": _strict(
            "-a --all-tasks -c --cpu-list",
            nocmd="-p --pid -h --help -V --version",
            positionals=1,
        ),
        "chrt": _strict(
            "-a --all-tasks -b --batch -d --deadline -f --fifo -i --idle -o --other -r --rr "
            "-R --reset-on-fork -v --verbose",
            "-T --sched-runtime -P --sched-period -D --sched-deadline",
            nocmd="-p --pid -m --max -h --help -V --version",
            positionals=1,
        ),
        "prlimit": _strict(
            "--noheadings --raw --verbose",
            "-o --output",
            attached="-c --core -d --data -e --nice -f --fsize -i --sigpending -l --memlock "
            "-m --rss -n --nofile -q --msgqueue -r --rtprio -s --stack -t --cpu -u --nproc "
            "-v --as -x --locks -y --rttime",
            nocmd="-p --pid -h --help -V --version",
        ),
        "unshare": _strict(
            "-f --fork -r --map-root-user -c --map-current-user --map-auto --keep-caps",
            "--propagation --setgroups -S --setuid -G --setgid --map-user --map-group "
            "--map-users --map-groups --monotonic --boottime -l --load-interp -R --root "
            "-w --wd",
            attached="-m --mount -u --uts -i --ipc -n --net -p --pid -U --user -C --cgroup "
            "-T --time --kill-child --mount-proc",
            nocmd="-h --help -V --version",
            cwd_opts="-R --root -w --wd",
            bare_opaque=True,
        ),
        "numactl": _strict(
            "-a --all -l --localalloc -b --balancing",
            "-i --interleave -w --weighted-interleave -m --membind -N --cpunodebind "
            "-C --physcpubind -p --preferred -P --preferred-many",
            nocmd="-H --hardware -s --show -S --shm -f --file -h --help -V --version",
        ),
        "nsenter": _strict(
            "-a --all -F --no-fork --preserve-credentials -Z --follow-context -e --env "
            "-c --join-cgroup",
            "-t --target -S --setuid -G --setgid",
            attached="-m --mount -u --uts -i --ipc -n --net -p --pid -U --user -C --cgroup "
            "-T --time -r --root -w --wd",
            nocmd="-h --help -V --version",
            cwd_opts="-r --root -w --wd",
            bare_opaque=True,
        ),
        "systemd-run": _strict(
            "--user --system --scope -r --remain-after-exit --send-sighup -t --pty -P --pipe "
            "-q --quiet -G --collect --no-block --wait --no-ask-password -d --same-dir",
            "-u --unit -p --property --description --slice -E --setenv --uid --gid --nice "
            "--on-active --on-boot --on-startup --on-unit-active --on-unit-inactive "
            "--on-calendar --on-clock-change --on-timezone-change --path-property "
            "--socket-property --timer-property --working-directory --service-type "
            "--job-mode",
            nocmd="-h --help --version",
            refuse="-S --shell -H --host -M --machine",
            cwd_opts="--working-directory",
            keep_cwd="--scope -d --same-dir",
        ),
        "fakeroot": _strict(
            "-u --unknown-is-real",
            "-l --lib --faked -s -i -b",
            nocmd="-h --help -v --version",
            bare_opaque=True,
        ),
        "firejail": _strict(
            long_any=True,
            cwd_opts="--chroot --private --private-cwd --overlay --overlay-named --overlay-tmpfs",
            bare_opaque=True,
        ),
        "proot": _strict(
            "-0 --root-id --link2symlink -L --kill-on-exit",
            "-r --rootfs -b --bind -m --mount -q --qemu -w --pwd --cwd -k --kernel-release "
            "-p --port -R -S -i -v --verbose",
            nocmd="-h --help -V --version",
            cwd_opts="-r --rootfs -R -S -w --pwd --cwd",
            bare_opaque=True,
        ),
        "valgrind": _strict("-q -v -d", long_any=True, nocmd="-h --help --version"),
        "pkexec": _strict(
            "--disable-internal-agent --keep-cwd",
            "--user",
            nocmd="--help --version",
            keep_cwd="--keep-cwd",
            bare_opaque=True,
        ),
        "setpriv": _strict(
            "-d --dump --nnp --no-new-privs --clear-groups --init-groups --keep-groups --reset-env",
            "--inh-caps --ambient-caps --bounding-set --reuid --regid --ruid --rgid --euid "
            "--egid --groups --securebits --pdeathsig --selinux-label --apparmor-profile "
            "--landlock-access --landlock-rule",
            nocmd="-h --help -V --version",
        ),
        "eatmydata": _strict(),
        "catchsegv": _strict(),
        "nocache": _strict(),
        "torsocks": _strict(
            "-i --isolate -q --quiet -d --debug",
            "-u --user -p --pass -a --address -P --port",
            nocmd="-h --help --version",
        ),
        "proxychains": _strict("-q", "-f"),
        "proxychains4": _strict("-q", "-f"),
        "faketime": _strict("-m --exclude-monotonic", "-f", positionals=1),
        "dbus-run-session": _strict("", "--config-file --dbus-daemon", nocmd="--help --version"),
        "xvfb-run": _strict(
            "-a --auto-servernum -l --listen-tcp",
            "-n --server-num -s --server-args -f --auth-file -e --error-file "
            "-p --xauth-protocol -w --wait",
            nocmd="-h --help",
        ),
    }
)
_SETARCH = _strict(
    "-v --verbose -3 --3gb -B --32bit -F --fdpic-funcptrs -Z --mmap-page-zero "
    "-L --addr-compat-layout -R --addr-no-randomize -S --whole-seconds -T --sticky-timeouts "
    "-X --read-implies-exec -I --short-inode --uname-2.6",
    nocmd="-h --help -V --version --list",
    bare_opaque=True,
)
_WRAPPERS["setarch"] = _strict(
    "-v --verbose -3 --3gb -B --32bit -F --fdpic-funcptrs -Z --mmap-page-zero "
    "-L --addr-compat-layout -R --addr-no-randomize -S --whole-seconds -T --sticky-timeouts "
    "-X --read-implies-exec -I --short-inode --uname-2.6",
    nocmd="-h --help -V --version --list",
    bare_opaque=True,
    lead=1,
)
for _arch in ("linux32", "linux64", "i386", "x86_64", "uname26"):
    _WRAPPERS[_arch] = _SETARCH
for _word in (*_TRANSPARENT, "}", *_MISPLACED):
    _WRAPPERS[_word] = _reserved
for _runner_name in _PACKAGE_RUNNERS:
    _WRAPPERS[_runner_name] = _runner
