"""From raw commands to the commands that will really run.

Wrappers (``bash -c``, ``env``, ``sudo``, ``xargs``, ``find -exec`` …) are peeled off
recursively, package.json scripts are resolved, the working directory is tracked
through ``cd``, and each resulting command is classified.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell.classify import classify
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

    __slots__ = ("analysis", "env", "parse")

    def __init__(
        self,
        analysis: Analysis,
        env: Mapping[str, str],
        parse: Callable[[str, Mapping[str, str]], tuple[list[RawCommand], list[str], str]],
    ) -> None:
        self.analysis = analysis
        self.env = env
        self.parse = parse

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
            self.expand(raw.words, assigns, raw.redirects, here, via, [], depth, dyn_assigns)
            if raw.words and not raw.words[0].dynamic and raw.words[0].text in _CD:
                new = _cd_target(raw.words, here, self.env)
                if raw.op_after == "||" or not raw.certain:
                    new = None
                cwds[raw.scope] = new

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
        if head.dynamic:
            self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns).classes.add(
                "opaque"
            )
            return
        name = head.text.rsplit("/", 1)[-1]
        handler = _WRAPPERS.get(name)
        if handler is not None and handler(
            self, words, assigns, redirects, cwd, via, layers, depth
        ):
            return
        self.emit(words, assigns, redirects, cwd, via, layers, dyn_assigns)

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
        classify(cmd, words, self.analysis.cwd, self.env)
        if dyn_assigns:
            cmd.notes.append("assignment from an expansion: " + ", ".join(dyn_assigns))
        self.analysis.commands.append(cmd)
        return cmd

    def opaque(self, argv: list[str], cwd: str | None, via: list[str], why: str) -> None:
        """Emit a command whose meaning the guard cannot establish."""
        cmd = SimpleCommand(argv, [True] * len(argv), {}, cwd, list(via), [argv])
        cmd.classes.add("opaque")
        cmd.notes.append(why)
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


def _lookup(cwds: dict[tuple[int, ...], str | None], scope: tuple[int, ...]) -> str | None:
    while scope not in cwds:
        scope = scope[:-1]
    return cwds[scope]


_CD = frozenset(("cd", "pushd", "popd"))


def _cd_target(words: list[Word], cwd: str | None, env: Mapping[str, str]) -> str | None:
    if words[0].text == "popd":
        return None
    args = [w for w in words[1:] if not (w.text.startswith("-") and w.text != "-")]
    if not args:
        return env.get("HOME") or None
    target = args[0]
    if target.dynamic or target.glob or target.text == "-" or cwd is None:
        return None
    return os.path.normpath(os.path.join(cwd, target.text))


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
        if text.startswith("-"):
            i += 1
            continue
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
        if text in _SUDO_VALUE_OPTS or (name == "doas" and text in ("-u", "-C")):
            i += 2
            continue
        if not text.startswith("--"):
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


_NPX_VALUE_OPTS = frozenset(("-p", "--package", "--cache", "--userconfig", "--registry"))


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
    name = words[0].text.rsplit("/", 1)[-1]
    start = 1
    if name in ("pnpm", "yarn", "npm", "bun"):
        start = 2  # ``pnpm dlx``, ``yarn dlx``, ``npm exec``, ``bun x``
        name = f"{name} {words[1].text}"
    i, n = start, len(words)
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            ex.opaque([x.text for x in words], cwd, via, f"{name} argument from an expansion")
            return True
        if text == "--":
            i += 1
            break
        if text in ("-c", "--call") or text.startswith("--call="):
            script = (
                text.split("=", 1)[1] if "=" in text else (words[i + 1].text if i + 1 < n else "")
            )
            ex.line(script, cwd, [*via, f"{name} -c"], depth + 1)
            return True
        if not text.startswith("-"):
            break
        if text in _NPX_VALUE_OPTS:
            i += 2
            continue
        i += 1
    if i >= n:
        return False
    inner = list(words[i:])
    package = inner[0].text
    # ``pkg@1.2.3`` and ``@scope/pkg@latest`` name the binary without the version.
    at = package.rfind("@")
    if at > 0:
        package = package[:at]
    inner[0] = Word(package.rsplit("/", 1)[-1] if package.startswith("@") else package)
    ex.expand(inner, dict(assigns), redirects, cwd, [*via, name], layers, depth + 1)
    return True


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
    found = _package_scripts(cwd or ex.analysis.cwd)
    if found is None:
        cmd.notes.append("no package.json found")
        return True
    folder, scripts = found
    if script not in scripts:
        if name == "bun":
            # ``bun run file.ts`` runs a file when no script has that name.
            return True
        cmd.notes.append(f"package.json has no script {script!r}")
        return True
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
    "runuser": _shell_string_opt("-c"),
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
for _word in (*_TRANSPARENT, "}", *_MISPLACED):
    _WRAPPERS[_word] = _reserved
for _runner_name in _PACKAGE_RUNNERS:
    _WRAPPERS[_runner_name] = _runner
