"""The command a settings file runs for each hook event, by style (entry, script, python),
and the interpreter it names: a real one, never a version manager's shim.

Cold path.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from typing import TextIO

from agentguard.claude import entry
from agentguard.errors import InstallError

SCRIPT = "hooks/agentguard"


PROJECT_VAR = '"$CLAUDE_PROJECT_DIR"'


# Version managers whose ``shims`` folder holds scripts that re-resolve the interpreter on every
# call (pyenv's costs about 170 ms here, more than the whole hook budget).
_MANAGERS = ("pyenv", "asdf", "rtx", "mise")


_SAFE_WORD = re.compile(r"[A-Za-z0-9_./+-]+\Z")


def is_shim(path: str) -> bool:
    """Whether ``path`` is a version manager's shim rather than an interpreter."""
    parts = os.path.abspath(path).split(os.sep)
    if "shims" in parts[:-1]:
        above = parts[: len(parts) - 1 - parts[::-1].index("shims")]
        if any(part.lstrip(".") in _MANAGERS for part in above):
            return True
    # mise and rtx shims are symlinks to the manager's own binary.
    if os.path.basename(os.path.realpath(path)) in _MANAGERS:
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    # A custom PYENV_ROOT or ASDF_DATA_DIR hides the folder name; the script still says who it is.
    return head.startswith(b"#!") and any(
        re.search(rb"\b" + name.encode() + rb"\b", head) for name in _MANAGERS
    )


def resolve_interpreter(
    executable: str,
    *,
    running: str | None = None,
    prefix: str | None = None,
    base_prefix: str | None = None,
) -> tuple[str, list[str]]:
    """The interpreter to name in the hook command, and warnings. Raises InstallError on a shim.

    A venv's ``bin/python`` is kept as it is (not resolved through its symlink: that would leave
    the venv and lose its packages). A shim is replaced by the running interpreter, the venv's
    interpreter or the shim's resolved target, whichever is first not a shim.
    """
    running = sys.executable if running is None else running
    prefix = sys.prefix if prefix is None else prefix
    base_prefix = sys.base_prefix if base_prefix is None else base_prefix
    if not executable:
        raise InstallError("cannot tell which Python runs agentguard; pass --python PATH")
    path = os.path.abspath(executable)
    if not is_shim(path):
        return path, []
    candidates = [running]
    if prefix != base_prefix:
        candidates += [
            os.path.join(prefix, "bin", "python3"),
            os.path.join(prefix, "bin", "python"),
        ]
    candidates.append(os.path.realpath(path))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and not is_shim(candidate):
            real = os.path.abspath(candidate)
            return real, [
                f"warning: {path} is a version-manager shim (about 170 ms per hook call);"
                f" the hook names the real interpreter {real} instead"
            ]
    raise InstallError(
        f"{path} is a version-manager shim (about 170 ms per hook call) and the real interpreter"
        " behind it could not be found; pass --python with the real path"
        " (for pyenv: `pyenv which python3`)"
    )


def shell_path(path: str, project: str | None) -> str:
    """``path`` as a shell word: relative to ``"$CLAUDE_PROJECT_DIR"`` when inside ``project``."""
    if project is not None:
        rel = inside(path, project)
        if rel is not None:
            return PROJECT_VAR + "/" + (rel if _SAFE_WORD.match(rel) else shlex.quote(rel))
    if not re.search(r'["$`\\]', path):
        return f'"{path}"'
    return shlex.quote(path)


def command_factory(style: str, python: str, project: str | None) -> Callable[[str], str]:
    """The function giving the hook command for an event, in ``style``.

    ``entry``: the project's committed entry (agentguard/claude/entry.py), the same on every clone;
    ``script``: the checkout's ``hooks/agentguard``; ``python``: ``python`` by path.

    ``project`` is None for user scope: the user's settings serve every project, so no path in
    them may depend on ``$CLAUDE_PROJECT_DIR``.
    """
    if style == "entry":
        return entry.command
    if style == "script":
        return lambda event: f"{PROJECT_VAR}/{SCRIPT} {event}"
    interpreter = shell_path(python, project)
    return lambda event: f"{interpreter} -m agentguard hook {event}"


def install_commands(
    args: argparse.Namespace, style: str, project: str, err: TextIO
) -> Callable[[str], str]:
    in_project = None if args.scope in ("user", "managed") else project
    if args.scope == "managed" and style != "python":
        raise InstallError(
            f"--command-style {style} depends on a project checkout, and managed hooks run in"
            " every project; use --command-style python (the default for --scope managed)"
        )
    if style == "entry":
        if in_project is None:
            raise InstallError(
                "--command-style entry lives in the project; use it with --scope project or"
                " local, or use --command-style python"
            )
        for warning in _entry_warnings(project):
            print(f"agentguard install: {warning}", file=err)
        return command_factory("entry", "", in_project)
    if style == "script":
        if in_project is None:
            raise InstallError(
                "--command-style script names the project's checkout of agentguard;"
                " use it with --scope project or local, or use --command-style python"
            )
        if not os.path.isfile(os.path.join(project, SCRIPT)):
            print(
                f"agentguard install: warning: {os.path.join(project, SCRIPT)} does not exist yet;"
                " until it does the hooks fail (Claude Code before 2.1.295 then lets every tool"
                " call through)",
                file=err,
            )
        return command_factory("script", "", in_project)
    python, warnings = resolve_interpreter(args.python or sys.executable)
    warnings += _import_warnings(python)
    if args.scope == "managed":
        warnings += _managed_warnings(python)
    for warning in warnings:
        print(f"agentguard install: {warning}", file=err)
    return command_factory("python", python, in_project)


def _entry_warnings(project: str) -> list[str]:
    """A warning when, on this machine, the entry would find no agentguard and refuse all."""
    if entry.finds(project, os.environ):
        return []
    return [
        "warning: on this machine the hook finds no agentguard (not in the project's .venv,"
        " not on PATH, AGENTGUARD_PYTHON unset), so it will refuse every tool call; install"
        f" it with {entry.INSTALL_COMMAND}, or put {os.path.dirname(sys.executable)} on PATH"
    ]


def _import_warnings(python: str) -> list[str]:
    """A warning when ``python`` can import agentguard only from the current folder."""
    try:
        done = subprocess.run(
            [python, "-c", "import agentguard"],
            cwd=os.path.abspath(os.sep),
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"warning: could not run {python} ({exc}); check the path"]
    if done.returncode == 0:
        return []
    return [
        f"warning: {python} cannot import agentguard outside this folder, so the hook fails once"
        " the agent runs `cd` (and a failing hook lets every tool call through); install it"
        f" (`{python} -m pip install -e .`) or use --command-style script"
    ]


def _managed_warnings(python: str) -> list[str]:
    """A warning when someone other than root can change what the managed hook runs."""
    if os.name != "posix":
        return []
    for candidate in dict.fromkeys((python, os.path.realpath(python))):
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        if info.st_uid != 0 or info.st_mode & 0o022:
            return [
                f"warning: {candidate} can be changed by uid {info.st_uid} or others, not only"
                " root: whoever can write it controls every session's managed hook; install"
                " agentguard where only root writes (a venv under /opt) and name it --python"
            ]
    return []


def inside(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` when inside it (symlinked folders compared resolved)."""
    for inner, outer in (
        (os.path.abspath(path), os.path.abspath(folder)),
        (
            os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)),
            os.path.realpath(folder),
        ),
    ):
        if os.path.commonpath([inner, outer]) == outer:
            return os.path.relpath(inner, outer)
    return None
