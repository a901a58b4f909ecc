"""Token patterns for command rules: matching (hot path) and validation (compile time).

A pattern is a list of tokens:

- leading ``NAME=value`` tokens must be among the command's prefix assignments; for
  an allow pattern they must be exactly the command's assignments (``X=1 git status``
  is not the ``git status`` an allow names: the assignment may change what runs);
- the first other token matches the program by basename (``git`` matches ``/usr/bin/git``);
- further tokens not starting with ``-`` match the positional arguments in order, as a
  prefix (for git, after its global options ``-c``/``-C``/``--git-dir`` …);
- tokens starting with ``-`` are flags that must appear anywhere: ``--force`` also
  matches ``--force=x``, a short ``-f`` also matches inside a cluster such as ``-fd``;
- ``a|b`` are alternatives, ``*`` matches any one token.
"""

from __future__ import annotations

from agentguard.shell.model import GIT_GLOBAL_VALUE

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentguard.shell.model import SimpleCommand

_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_FORBIDDEN = ("&&", "||", ";", "`", "$(", "\n", ">", "<")


def _is_assignment(token: str) -> bool:
    name, eq, _ = token.partition("=")
    return bool(eq) and bool(name) and name[0] in _NAME_START and (name.replace("_", "a").isalnum())


def positionals(argv: Sequence[str]) -> list[str]:
    """Positional arguments of a command (flags removed; git's global options skipped)."""
    out: list[str] = []
    args = list(argv[1:])
    i = 0
    if argv and argv[0].rsplit("/", 1)[-1] == "git":
        while i < len(args) and args[i].startswith("-"):
            i += 2 if args[i] in GIT_GLOBAL_VALUE else 1
    after_dashes = False
    for text in args[i:]:
        if text == "--" and not after_dashes:
            after_dashes = True
            continue
        if text.startswith("-") and not after_dashes and text != "-":
            continue
        out.append(text)
    return out


def _alt_match(token: str, value: str) -> bool:
    return any(alt in ("*", value) for alt in token.split("|"))


def _flag_match(token: str, argv: Sequence[str]) -> bool:
    for alt in token.split("|"):
        for arg in argv[1:]:
            if arg == "--":
                break
            if arg == alt or (alt.startswith("--") and arg.startswith(alt + "=")):
                return True
            if (
                len(alt) == 2
                and alt[0] == "-"
                and alt[1] != "-"
                and arg.startswith("-")
                and not arg.startswith("--")
                and len(arg) > 2
                and arg[1:].isalnum()
                and alt[1] in arg[1:]
            ):
                return True
            if alt.startswith("-") and len(alt) > 2 and not alt.startswith("--") and arg == alt:
                return True
    return False


def match_argv(
    tokens: Sequence[str], argv: Sequence[str], assigns: dict[str, str], exact: bool = False
) -> bool:
    """True when ``tokens`` match the command ``argv`` with prefix ``assigns``.

    With ``exact`` the pattern's assignments must be all of the command's.
    """
    i = 0
    while i < len(tokens) and _is_assignment(tokens[i]):
        name, _, value = tokens[i].partition("=")
        if name not in assigns or not _alt_match(value, assigns[name]):
            return False
        i += 1
    if exact and i != len(assigns):
        return False
    if i >= len(tokens):
        return False
    if not argv:
        return False
    program = argv[0].rsplit("/", 1)[-1]
    if not _alt_match(tokens[i], program):
        return False
    pos = positionals(argv)
    k = 0
    for token in tokens[i + 1 :]:
        if token.startswith("-"):
            if not _flag_match(token, argv):
                return False
            continue
        if k >= len(pos) or not _alt_match(token, pos[k]):
            return False
        k += 1
    return True


def pattern_matches(
    pattern_tokens: Sequence[str], command: SimpleCommand, exact: bool = False
) -> bool:
    """True when the pattern matches the command as it will run (after unwrapping).

    ``exact`` (for allow patterns): the command's assignments are exactly the pattern's.
    """
    return match_argv(pattern_tokens, command.argv, command.assigns, exact)


def allow_matches(pattern_tokens: Sequence[str], command: SimpleCommand) -> bool:
    """True when an allow pattern grants ``command``: same command, same assignments."""
    return match_argv(pattern_tokens, command.argv, command.assigns, True)


def pattern_matches_any_layer(pattern_tokens: Sequence[str], command: SimpleCommand) -> bool:
    """True when the pattern matches the effective command or any wrapper around it.

    Used for ask and deny rules only: ``deny: [sudo]`` must catch ``sudo rm x``; an allow
    must never come from a wrapper (``allow: [timeout]`` would allow ``timeout 5 rm -rf``).
    """
    if pattern_matches(pattern_tokens, command):
        return True
    return any(match_argv(pattern_tokens, layer, {}) for layer in command.layers)


def split_pattern(text: str) -> list[str]:
    """Tokens of a pattern string, with shell quoting (``"a b"`` is one token)."""
    import shlex

    return shlex.split(text, posix=True)


def validate_pattern(text: str) -> list[str]:
    """Tokens of ``text``, or ``ValueError`` saying what is wrong and how to fix it."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            "empty command pattern: write the program and its arguments, e.g. 'git push --force'"
        )
    for bad in _FORBIDDEN:
        if bad in text:
            raise ValueError(
                f"command pattern {text!r} contains {bad!r}: a pattern matches one simple "
                "command; write one pattern per command"
            )
    try:
        tokens = split_pattern(text)
    except ValueError as exc:
        raise ValueError(f"command pattern {text!r}: {exc}; close the quote") from None
    i = 0
    while i < len(tokens) and _is_assignment(tokens[i]):
        i += 1
    if i >= len(tokens):
        raise ValueError(f"command pattern {text!r} names no program after its assignments")
    for token in tokens[i:]:
        if any(not alt for alt in token.split("|")):
            raise ValueError(
                f"command pattern {text!r}: empty alternative in {token!r}; write 'a|b'"
            )
        if "$" in token:
            raise ValueError(
                f"command pattern {text!r}: {token!r} holds '$'; patterns match literal words"
            )
    if tokens[i].startswith("-"):
        raise ValueError(f"command pattern {text!r} starts with a flag; put the program first")
    for token in tokens[i + 1 :]:
        if _is_assignment(token) and not token.startswith("-"):
            continue
        if (
            token.startswith("-")
            and "|" in token
            and any(not alt.startswith("-") for alt in token.split("|"))
        ):
            raise ValueError(
                f"command pattern {text!r}: {token!r} mixes flags and words; split them"
            )
    return tokens
