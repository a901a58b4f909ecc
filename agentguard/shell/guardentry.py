"""Which programs, scripts and modules are agentguard itself.

An agent that runs agentguard's hook entry speaks for Claude Code: a forged
PostToolUse credits a check that never ran (the Stop gate then passes), a forged
success resets a loop count, and a forged PostToolUse of a refused ask would log a
human's approval. So every spelling that reaches the hook is
``guard-tamper``: the console script with ``hook``, the POSIX entry
(``hooks/agentguard <Event>``, which always runs the hook), any shim named
``agentguard*``, a link to or a small copy of one, ``python -m agentguard``, and
agentguard's own source files run as scripts.

The answer is ``CLI`` (the words after it are agentguard's command line, judged by
sub-command), ``HOOK`` (it runs the hook whatever follows) or ``None`` (not agentguard).

Hot path: standard library only.
"""

from __future__ import annotations

import os

CLI = "cli"
HOOK = "hook"
# Why, for the agent: appended to what was found.
NOTE = "only Claude Code calls it: a hand-made event would record evidence and move loop counts"

# Modules whose ``python -m`` is agentguard's command line; any other module of the
# package run directly is not a documented entry and is treated as the hook.
CLI_MODULES = frozenset(("agentguard", "agentguard.__main__", "agentguard.cli"))
# What a small script that hands over to agentguard says: the console script pip
# writes, the POSIX entry, and shims that call either.
_MARKERS = (b"agentguard.cli import", b"-m agentguard", b"hooks/agentguard", b"agentguard hook")
# Entries are a few lines; a bigger file is the project's own code (see the README's
# known limitation on scripts written in one call and run in a later one).
_SNIFF_MAX = 4096


def _resolve(text: str, cwd: str | None) -> str | None:
    if cwd is None and not text.startswith("/"):
        return None
    return os.path.realpath(os.path.join(cwd or "/", os.path.expanduser(text)))


def _named(path: str) -> str | None:
    """Judge by name: ``…/bin/agentguard`` or a bare ``agentguard`` is the console
    script; any other ``agentguard*`` (``hooks/agentguard``, ``agentguard-hook.sh``)
    is an entry that runs the hook."""
    head, _, base = path.rpartition("/")
    base = base.lower()
    if base == "agentguard":
        return CLI if not head or head.rpartition("/")[2] == "bin" else HOOK
    if base.startswith("agentguard"):
        return HOOK
    return None


def _sniff(path: str) -> str | None:
    """A small file whose text hands over to agentguard is an entry that runs the hook."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > _SNIFF_MAX:
            return None
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_MAX)
    except OSError:
        return None
    return HOOK if any(marker in head for marker in _MARKERS) else None


def program(text: str, cwd: str | None) -> str | None:
    """What running the program ``text`` (a literal ``argv[0]``) in ``cwd`` is."""
    if "/" not in text:
        return _named(text)
    found = _named(text)
    resolved = _resolve(text, cwd)
    if resolved is None:
        return found
    # ``cd .venv/bin && ./agentguard lint`` is the console script; a link named
    # otherwise (``ln -s …/agentguard ag; ./ag hook Stop``) is what it points to.
    real = _named(resolved) or _sniff(resolved)
    if found is None or real == HOOK:
        return real
    return real or found


def script(text: str, cwd: str | None) -> str | None:
    """What running the script file ``text`` with a shell (``sh FILE``, ``source``) is."""
    if _named(text) is not None:
        return HOOK  # a shell running the console script or the POSIX entry: the hook
    resolved = _resolve(text, cwd)
    if resolved is None:
        return None
    return HOOK if _named(resolved) is not None else _sniff(resolved)


# The package's folders: any source file in one of them runs part of the guard.
_SUBPACKAGES = frozenset(
    [
        "claude",
        "commands",
        "coordinate",
        "engine",
        "git",
        "hook",
        "observe",
        "policy",
        "shell",
        "state",
    ]
)


def python_script(text: str, cwd: str | None) -> str | None:
    """What ``python FILE`` is: the package folder or a zipapp is the command line,
    ``agentguard/__main__.py`` too; any other source file of the package is the hook."""
    resolved = _resolve(text, cwd)
    for path in (text,) if resolved is None else (text, resolved):
        parts = path.rstrip("/").split("/")
        base = parts[-1].lower()
        parent = parts[-2] if len(parts) > 1 else ""
        grand = parts[-3] if len(parts) > 2 else ""
        if base in ("agentguard", "agentguard.pyz"):
            return CLI
        if parent == "agentguard" and base in ("__main__.py", "cli.py"):
            return CLI
        if base.endswith(".py") and (
            parent == "agentguard" or (grand == "agentguard" and parent in _SUBPACKAGES)
        ):
            return HOOK
        if base.endswith(".py") and len(parts) > 3 and parts[-4] == "agentguard":
            return HOOK  # a family module: agentguard/shell/programs/*.py
        if base.startswith("agentguard"):
            return HOOK
    return None if resolved is None else _sniff(resolved)


def module(name: str) -> str:
    """What ``python -m NAME`` is, for a module of the ``agentguard`` package."""
    return CLI if name in CLI_MODULES else HOOK
