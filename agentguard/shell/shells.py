"""Handlers of what bash itself runs: a shell given a string (``bash -c``, ``sh <<EOF``),
``eval``, ``trap``, reserved words, and builtins that run code hidden in their
arguments (``read 'a[$(cmd)]'``, ``mapfile -C``, ``alias``).

Each handler takes one ``wrappers.Frame``, like the wrappers'. Hot path: standard library
only.
"""

from __future__ import annotations

from agentguard.shell import guardentry
from agentguard.shell.lexer import substitutions
from agentguard.shell.wrappers import abs_path

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.shell.wrappers import Frame, Handler

SHELLS = frozenset(("bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "rbash", "fish"))
# Options of a shell that take a value (``bash -o pipefail -c …``).
_SHELL_VALUE_OPTS = frozenset(("-o", "+o", "-O", "+O", "--rcfile", "--init-file"))
# Builtins that declare variables (their ``NAME=value`` arguments are assignments).
DECLARE = frozenset(("declare", "typeset", "local", "export", "readonly"))


def _shell(f: Frame) -> bool:
    ex, words, name = f.ex, f.words, f.name
    i, n = 1, len(words)
    has_c = False
    reads_stdin = False
    while i < n:
        w = words[i]
        if w.dynamic:
            f.opaque("shell option from an expansion")
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
    f.redirect_only()
    if has_c:
        if i >= n:
            return f.opaque(f"{name} -c without a command")
        script = words[i]
        if script.dynamic:
            ex.opaque(f.argv, f.cwd, [*f.via, label], "command string from an expansion")
            return True
        return f.nested(script.text, label)
    if i < n and not reads_stdin:
        f.opaque(f"{name} runs the script file {words[i].text}")
        cmd = ex.analysis.commands[-1]
        cmd.reads.append(abs_path(words[i].text, f.cwd, ex.analysis.cwd))
        if guardentry.script(words[i].text, None if words[i].dynamic else f.cwd):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{words[i].text} is agentguard's hook entry; {guardentry.NOTE}")
        return True
    # Commands come from standard input: a literal here-document can be read.
    bodies = [r.target for r in f.redirects if r.op in ("<<", "<<<")]
    if bodies and not bodies[-1].dynamic:
        return f.nested(bodies[-1].text, f"{name} <<")
    return f.opaque(f"{name} reads commands from standard input")


def _eval(f: Frame) -> bool:
    args = f.words[1:]
    if args and args[0].text == "--":
        args = args[1:]
    f.redirect_only()
    if any(w.dynamic for w in args):
        return f.opaque("eval of an expansion")
    return f.nested(" ".join(w.text for w in args), "eval")


def _trap(f: Frame) -> bool:
    """``trap 'STRING' SIG``: STRING runs later, like ``eval``."""
    args = f.words[1:]
    if args and args[0].text == "--":
        args = args[1:]
    if not args or args[0].text in ("-l", "-p", "-P", "-"):
        return False
    if len(args) == 1 and not args[0].dynamic and args[0].text.isdigit():
        return False
    action = args[0]
    f.redirect_only()
    if action.dynamic:
        return f.opaque("trap action from an expansion")
    return f.nested(action.text, "trap")


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


def _reserved(f: Frame) -> bool:
    name = f.words[0].text
    rest = f.words[1:]
    if name == "}":
        if rest:
            return f.opaque("words after a closing brace")
        f.redirect_only()
        return True
    if name in _MISPLACED:
        return f.opaque(f"reserved word {name!r} as a command")
    if name == "coproc" and len(rest) > 1 and rest[1].text == "{" and not rest[0].dynamic:
        rest = rest[1:]  # coproc NAME { …; }
    if not rest:
        f.redirect_only()
        return True
    return f.run(rest, name, list(f.redirects))


def _names(f: Frame) -> None:
    """Arguments bash may evaluate as an array element name (``read 'a[$(cmd)]'``,
    ``printf -v``, ``test -v``, ``declare``, ``let``): the subscript's substitutions run."""
    name = f.words[0].text
    for w in f.words[1:]:
        text = w.text
        if w.dynamic or ("$(" not in text and "`" not in text):
            continue
        if "[" not in text and name != "let":
            continue
        found = substitutions(text)
        if found is None:
            f.opaque(f"{name}: unbalanced substitution")
            continue
        for inner in found:
            f.nested(inner, f"{name} subscript")


# shopt options that change what a glob names, when set with -s.
_GLOB_OPTIONS = frozenset(
    ("dotglob", "extglob", "globstar", "nocaseglob", "nullglob", "failglob", "globasciiranges")
)


def _builtin(f: Frame) -> bool:
    """Builtins that define or run code the guard cannot see at this point."""
    name = f.name
    args = f.words[1:]
    texts = [w.text for w in args]
    _names(f)
    why = ""
    if name == "alias" and any("=" in t or w.dynamic for t, w in zip(texts, args, strict=True)):
        why = "alias defines a command that runs instead of the one named later"
    elif name == "shopt" and any(
        w.dynamic or t in ("expand_aliases", "extdebug") for t, w in zip(texts, args, strict=True)
    ):
        why = "shopt changes how later commands are read"
    elif name == "shopt" and "-s" in texts and any(t in _GLOB_OPTIONS for t in texts):
        # The analyser expands globs as bash does by default; with dotglob a ``*`` also
        # names .env, with extglob/globstar patterns mean more. Not tracked: asked.
        why = "shopt changes what later globs name"
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
                    f.nested(callback, f"{name} -C")
        why = f"{name} -C runs a callback with arguments the guard cannot see"
    elif (
        name in DECLARE
        and any(t.startswith("-") and "n" in t for t in texts)
        and any(w.dynamic for w in args)
    ):
        why = "a name reference to a name from an expansion"
    elif name == "let" and any(w.dynamic and "[" in w.text for w in args):
        why = "let evaluates an array subscript from an expansion"
    if why:
        f.opaque(why)
    return False


_BUILTINS = [
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
]
HANDLERS: dict[str, Handler] = {
    "eval": _eval,
    "trap": _trap,
    **dict.fromkeys(SHELLS, _shell),
    **dict.fromkeys((*_BUILTINS, *DECLARE), _builtin),
    **dict.fromkeys((*_TRANSPARENT, "}", *_MISPLACED), _reserved),
}
