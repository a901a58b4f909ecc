"""Wrappers that are only a shape of arguments (``timeout``, ``nice``, ``taskset``,
``unshare`` …): which options take a value, which mean no command runs, how many
operands come before the command. The shapes are data in ``catalogue.WRAPPERS``; this
module turns an entry into a handler the first time a line names its program.

Each handler takes one ``wrappers.Frame``. Hot path: standard library only.
"""

from __future__ import annotations

from agentguard.shell.catalogue import WRAPPERS
from agentguard.shell.model import Redirect, Word
from agentguard.shell.wrappers import shell_string_opt, split_options

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.shell.wrappers import Frame, Handler


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


def simple(spec: dict[str, object]) -> Handler:
    """The handler of a wrapper ``NAME [options] [positionals] CMD …`` that lets unknown
    options through as flags; ``spec`` (a ``catalogue.WRAPPERS`` entry) names the
    options that take a value and the count of leading operands."""
    value_opts = _w(str(spec.get("values", "")))
    positionals = int(spec.get("positionals", 0))  # type: ignore[call-overload]

    def handler(f: Frame) -> bool:
        words, name = f.words, f.name
        i = split_options(words, 1, value_opts, positionals)
        if i is None:
            return f.opaque(f"{name} option from an expansion")
        if i >= len(words):
            return False
        extra = list(f.redirects)
        # Options of wrappers that write a file.
        for j in range(1, i):
            if words[j].text in ("-o", "--output") and j + 1 < i and name in ("time", "strace"):
                extra.append(Redirect(">", words[j + 1]))
        if name == "command" and any(w.text in ("-v", "-V") for w in words[1:i]):
            return False
        return f.run(words[i:], name, extra)

    return handler


def strict(spec: dict[str, object], lead: int | None = None) -> Handler:
    """The handler of a wrapper ``NAME [options] [positionals] CMD …`` whose options are
    all known; ``spec`` is its ``catalogue.WRAPPERS`` entry (``lead``: its lead count
    instead of the entry's, for an alias that names the lead operand).

    ``flags`` take no value, ``values`` take one (attached or the next word), ``attached``
    take an optional value only when attached (``-n10``, ``--nofile=10``); ``nocmd``
    options mean no command runs, ``refuse`` ones make the command opaque (a shell, a
    remote host); ``cwd_opts`` move the directory somewhere unknown, and when
    ``keep_cwd`` is given the command keeps the current directory only with one of them.
    ``long_any`` accepts any ``--name[=value]`` (tools whose long options never take a
    separate value). ``lead`` positionals come before the options (``setarch ARCH``).
    An option outside these tables makes the command opaque rather than guessed at."""

    def words_of(key: str) -> frozenset[str]:
        return _w(str(spec.get(key, "")))

    flag_set, value_set, att_set = words_of("flags"), words_of("values"), words_of("attached")
    nocmd_set, refuse_set = words_of("nocmd"), words_of("refuse")
    cwd_set, keep_set = words_of("cwd_opts"), words_of("keep_cwd")
    long_any = bool(spec.get("long_any"))
    bare_opaque = bool(spec.get("bare_opaque"))
    positionals = int(spec.get("positionals", 0))  # type: ignore[call-overload]
    skip = int(spec.get("lead", 0)) if lead is None else lead  # type: ignore[call-overload]

    def handler(f: Frame) -> bool:
        words, name = f.words, f.name
        i, n = 1 + skip, len(words)
        seen: list[str] = []
        while i < n:
            w = words[i]
            text = w.text
            if w.dynamic:
                return f.opaque(f"{name} option from an expansion")
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
                    return f.opaque(f"{name}: unknown option {opt}")
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
                    return f.opaque(f"{name}: unknown option {opt}")
                k += 1
            i += step
        if any(o in nocmd_set for o in seen):
            return False
        if any(o in refuse_set for o in seen):
            return f.opaque(f"{name} runs a shell or on another system")
        i += positionals
        if i >= n:
            if bare_opaque:
                return f.opaque(f"{name} without a command starts a shell")
            return False
        cwd = f.cwd
        if any(o in cwd_set for o in seen) or (keep_set and not any(o in keep_set for o in seen)):
            cwd = None
        extra = list(f.redirects)
        for w in words[1:i]:
            if w.text.startswith(("--log-file=", "--xml-file=")):
                extra.append(Redirect(">", Word(w.text.split("=", 1)[1])))
        f.ex.expand(words[i:], dict(f.assigns), extra, cwd, [*f.via, name], f.layers, f.depth + 1)
        return True

    return handler


_RUNUSER_C = shell_string_opt("-c")


def _runuser(f: Frame) -> bool:
    """``runuser -u USER [--] CMD`` runs CMD; ``runuser USER -c STRING`` a shell string."""
    if _RUNUSER_C(f):
        return True
    user_opt = any(
        w.text in ("-u", "--user")
        or w.text.startswith("--user=")
        or (w.text.startswith("-") and not w.text.startswith("--") and "u" in w.text)
        for w in f.words[1:]
    )
    if user_opt:
        return strict(WRAPPERS["runuser"])(f)
    if len(f.words) > 1:
        return f.opaque("runuser starts a shell for the user")
    return False


_BUILT: dict[str, Handler] = {"runuser": _runuser}
# Names that are a catalogue wrapper with its lead operand in the name (``linux32``).
_ALIASES = {
    alias: name for name, spec in WRAPPERS.items() for alias in str(spec.get("aliases", "")).split()
}


def handler(name: str) -> Handler | None:
    """The handler of the shape wrapper ``name`` (built on first use), or None when the
    catalogue holds no shape for it."""
    found = _BUILT.get(name)
    if found is not None:
        return found
    spec = WRAPPERS.get(name)
    if spec is not None and spec.get("shape") in ("simple", "strict"):
        found = strict(spec) if spec["shape"] == "strict" else simple(spec)
    elif name in _ALIASES:
        found = strict(WRAPPERS[_ALIASES[name]], lead=0)
    else:
        return None
    _BUILT[name] = found
    return found
