"""Handlers of programs that run other programs (``env``, ``sudo``, ``watch``, ``su -c`` …),
and the ``Frame`` every handler takes (``xargs`` and ``find -exec`` are in ``feeds``).

A handler gets one ``Frame`` (the command and where it runs) and returns True when it
emitted everything for the command, False to let the command be classified as itself.
Wrappers that are only a shape of arguments are in ``shapes`` (their data in
``catalogue.WRAPPERS``), bash's own (``bash -c``, ``eval``, ``trap``) in ``shells``, the
project's tools (``npm run``, ``npx``) in ``project``.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell.catalogue import WRAPPERS
from agentguard.shell.model import Redirect, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    # The one edge back up: the handlers drive the Expander that called them.
    from agentguard.shell.expand import Expander

    Handler = Callable[["Frame"], bool]


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


class Frame:
    """One command on its way through the wrappers: the Expander working on it, its
    words, the assignments and redirections in front of it, the folder it runs in
    (``None``: unknown), the wrappers it came through (``via``), every wrapper layer's
    words (``layers``) and how deeply it is nested (``depth``)."""

    __slots__ = ("assigns", "cwd", "depth", "ex", "layers", "redirects", "via", "words")

    def __init__(
        self,
        ex: Expander,
        words: list[Word],
        assigns: dict[str, str],
        redirects: list[Redirect],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
        depth: int,
    ) -> None:
        self.ex = ex
        self.words = words
        self.assigns = assigns
        self.redirects = redirects
        self.cwd = cwd
        self.via = via
        self.layers = layers
        self.depth = depth

    @property
    def name(self) -> str:
        """The program's name without its folder (``/usr/bin/env`` is ``env``)."""
        return self.words[0].text.rsplit("/", 1)[-1]

    @property
    def argv(self) -> list[str]:
        """The words' texts."""
        return [w.text for w in self.words]

    def but(self, words: list[Word]) -> Frame:
        """This frame with other words (a handler passing on a rewritten command)."""
        return Frame(
            self.ex,
            words,
            self.assigns,
            self.redirects,
            self.cwd,
            self.via,
            self.layers,
            self.depth,
        )

    def opaque(self, why: str) -> bool:
        """Emit the whole command as one the guard cannot see into; True (handled)."""
        self.ex.opaque(self.argv, self.cwd, self.via, why)
        return True

    def redirect_only(self) -> None:
        """Emit the wrapper's own redirections (its inner line is analysed apart)."""
        self.ex.redirect_only(self.words, self.redirects, self.cwd, self.via, self.layers)

    def nested(self, text: str, label: str) -> bool:
        """Analyse ``text`` as a command line run by this wrapper; True (handled)."""
        self.ex.line(text, self.cwd, [*self.via, label], self.depth + 1)
        return True

    def run(self, words: list[Word], label: str, redirects: list[Redirect] | None = None) -> bool:
        """Expand ``words`` as the command this wrapper runs, in its folder, with its
        assignments (and ``redirects``, default its own); True (handled)."""
        self.ex.expand(
            words,
            dict(self.assigns),
            self.redirects if redirects is None else redirects,
            self.cwd,
            [*self.via, label],
            self.layers,
            self.depth + 1,
        )
        return True


def abs_path(path: str, cwd: str | None, base: str) -> str:
    """``path`` made absolute from ``cwd`` (``base`` when unknown), ``~`` expanded."""
    return os.path.normpath(os.path.join(cwd or base, os.path.expanduser(path)))


def quote(text: str) -> str:
    """``text`` as one shell word (quoted only when it needs to be)."""
    if text and all(c.isalnum() or c in "@%+=:,./-_" for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def split_options(
    words: list[Word], start: int, value_opts: frozenset[str], positionals: int = 0
) -> int | None:
    """Index of the wrapped command after options (and ``positionals`` leading operands);
    ``None`` when an option comes from an expansion."""
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


def _env(f: Frame) -> bool:
    ex, words, assigns, redirects, cwd, via = f.ex, f.words, f.assigns, f.redirects, f.cwd, f.via
    i, n = 1, len(words)
    new = dict(assigns)
    unset: list[str] = []
    cleared = False
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
                cleared = True
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
            prefix = " ".join(f"{k}={quote(v)}" for k, v in new.items())
            ex.redirect_only(words, redirects, cwd, via, f.layers)
            ex.line((prefix + " " + rest).strip(), cwd, [*via, "env -S"], f.depth + 1)
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
        cmd = ex.emit(words, assigns, redirects, cwd, via, f.layers)
        cmd.classes.update(("env-dump", "secret-read"))
        _tag_unset(ex, unset)
        return True
    start = len(ex.analysis.commands)
    outer = ex.exported
    # ``env -u X`` and ``env -i`` take variables out of the command's environment.
    ex.exported = {} if cleared else {k: v for k, v in outer.items() if k not in unset}
    for name in unset:
        new.pop(name, None) if name not in words_assigned(words[:i]) else None
    try:
        ex.expand(words[i:], new, redirects, cwd, [*via, "env"], f.layers, f.depth + 1)
    finally:
        ex.exported = outer
    for cmd in ex.analysis.commands[start:]:
        for name in unset:
            cmd.notes.append(f"unsets {name}")
            if name.upper().startswith("AGENTGUARD"):
                cmd.classes.add("guard-tamper")
    return True


def words_assigned(words: list[Word]) -> set[str]:
    """Names that ``env``'s own ``NAME=value`` operands among ``words`` set."""
    return {w.text.partition("=")[0] for w in words if "=" in w.text and not w.text.startswith("-")}


def _tag_unset(ex: Expander, unset: list[str]) -> None:
    if any(name.upper().startswith("AGENTGUARD") for name in unset) and ex.analysis.commands:
        ex.analysis.commands[-1].classes.add("guard-tamper")


_SUDO_VALUE_OPTS = _w(str(WRAPPERS["sudo"]["values"]))
_SUDO_VALUE_CHARS = frozenset("ugCDhprtUT")


def _sudo(f: Frame) -> bool:
    words, name = f.words, f.name
    i, n = 1, len(words)
    shell = False
    edit = name == "sudoedit"
    while i < n:
        text = words[i].text
        if words[i].dynamic:
            return f.opaque(f"{name} option from an expansion")
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
    new = dict(f.assigns)
    while i < n and "=" in words[i].text and not words[i].text.startswith("="):
        key, _, value = words[i].text.partition("=")
        if not key.replace("_", "a").isalnum():
            break
        new[key] = value
        i += 1
    ex = f.ex
    if edit:
        cmd = ex.emit(words, f.assigns, f.redirects, f.cwd, f.via, f.layers)
        cmd.classes.add("file-write")
        for w in words[i:]:
            cmd.writes.append(abs_path(w.text, f.cwd, ex.analysis.cwd))
        return True
    if i >= n:
        if shell:
            return f.opaque(f"{name} starts an interactive shell")
        return False
    if shell:
        f.redirect_only()
        if any(w.dynamic for w in words[i:]):
            return f.opaque("shell command from an expansion")
        return f.nested(" ".join(w.text for w in words[i:]), f"{name} -s")
    ex.expand(words[i:], new, f.redirects, f.cwd, [*f.via, name], f.layers, f.depth + 1)
    return True


def _watch(f: Frame) -> bool:
    words = f.words
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
        return f.run(words[i:], "watch")
    f.redirect_only()
    if any(w.dynamic for w in words[i:]):
        return f.opaque("watch of an expansion")
    return f.nested(" ".join(w.text for w in words[i:]), "watch")


def shell_string_opt(option: str) -> Handler:
    """Wrappers that take a shell string after an option (``su -c``, ``script -c``,
    ``flock -c``)."""

    def handler(f: Frame) -> bool:
        words, name = f.words, f.name
        for j, w in enumerate(words[1:-1], start=1):
            cluster = (
                w.text.startswith("-")
                and not w.text.startswith("--")
                and (w.text.endswith(option[1:]) and w.text[1:].isalpha())
            )
            if w.text in (option, "--command") or cluster:
                script = words[j + 1]
                f.redirect_only()
                if script.dynamic:
                    return f.opaque(f"{name} {option} of an expansion")
                return f.nested(script.text, f"{name} {option}")
        if name == "flock" and len(words) > 2:
            i = split_options(
                words, 1, frozenset(("-w", "-E", "--timeout", "--conflict-exit-code")), 1
            )
            if i is not None and i < len(words):
                return f.run(words[i:], name)
        return False

    return handler


def _applet(f: Frame) -> bool:
    """``busybox APPLET …``/``toybox APPLET …``: the applet is the program."""
    if len(f.words) < 2 or f.words[1].text.startswith("-"):
        return False
    return f.run(f.words[1:], f.name)


def _corepack(f: Frame) -> bool:
    """``corepack pnpm …``: the package manager is the program."""
    words = f.words
    if len(words) < 2 or words[1].dynamic:
        return False
    tool = words[1].text.split("@", 1)[0]
    if tool not in ("npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg"):
        return False
    return f.run([Word(tool), *words[2:]], "corepack")


def _bwrap(f: Frame) -> bool:
    """bubblewrap remaps the file system: what the command touches is unknown."""
    return f.opaque("bwrap runs a command in a remapped file system")


HANDLERS: dict[str, Handler] = {
    "env": _env,
    "sudo": _sudo,
    "sudoedit": _sudo,
    "doas": _sudo,
    "watch": _watch,
    "su": shell_string_opt("-c"),
    "script": shell_string_opt("-c"),
    "flock": shell_string_opt("-c"),
    "busybox": _applet,
    "toybox": _applet,
    "corepack": _corepack,
    "bwrap": _bwrap,
}
