"""The project's committed hook entry, ``.claude/hooks/agentguard``. Cold path.

``agentguard install`` (project scope) writes this POSIX sh script into the project and
registers ``"$CLAUDE_PROJECT_DIR"/.claude/hooks/agentguard <Event>``, a command with no
machine-specific path, so the committed settings work on every clone. The script lives under
``.claude/``, which self-protection keeps out of every agent's reach.

It finds agentguard, in order: ``$AGENTGUARD_PYTHON`` (an interpreter that has it), the
project's ``.venv/bin/agentguard``, in a linked worktree (``agentguard agents up``) the main
checkout's ``.venv/bin/agentguard`` (found from the worktree's ``.git`` file with ``read``, no
``git`` process), then ``agentguard`` on ``PATH`` (pipx, a user install). A console script
whose ``#!`` line names a Python is run through that Python as ``python -I -S -c BOOT``: the
interpreter's site machinery (the .pth files, an editable install's finder) costs more than
the whole evaluation of a Write, and :data:`BOOT` finds the package without it.
The hook's output is captured and passed on only when the hook exited 0 (agentguard's own
contract). When nothing is found, or what was found does not run (an interpreter without
agentguard, a venv whose Python is gone: exit 1 or 127, which Claude Code 2.1.197 treats as
"run the tool"), the script answers by itself, exit 0: a PreToolUse ``deny`` naming the
install command (``AGENTGUARD_ON_ERROR=ask`` or ``allow`` soften it, as for the hook; the
same under PreSkillShellCommand, so a skill's shell command is refused too), and a
``systemMessage`` on the other events, so a teammate sees at once that the guard is not
running. The capture costs one ``fork`` of sh, no ``exec`` of anything else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

PATH = os.path.join(".claude", "hooks", "agentguard")
# The command word settings.json names; is_ours() recognises it (it ends in hooks/agentguard).
COMMAND = '"$CLAUDE_PROJECT_DIR"/.claude/hooks/agentguard'
MARKER = "# agentguard-entry:"
INSTALL_COMMAND = (
    "'pipx install agentguard', or into the project's .venv"
    " ('python3 -m venv .venv && .venv/bin/pip install agentguard')"
)

# Run as ``python -I -S -c BOOT hook EVENT``: without site, the interpreter knows only the
# standard library (even ``sys.prefix`` is the base installation's, as site is what reads a
# venv's pyvenv.cfg), so this finds agentguard the way site would, for the two forms an install
# takes: the package in the interpreter's site-packages, or an editable install's mapping
# (setuptools writes it into a finder module or, in compat mode, a .pth naming the folder).
# The folder is appended after the standard library, so nothing in it can shadow ``json``.
# Where neither is found (a distribution's dist-packages, a user site), site runs after all.
# Single-quoted in sh: it holds no single quote (\x27 spells one).
BOOT = """import sys, os
def where():
    prefix = os.path.dirname(os.path.dirname(sys.executable))
    if not os.path.isfile(prefix + "/pyvenv.cfg"):
        prefix = sys.prefix
    site = "%s/lib/python%d.%d/site-packages" % (prefix, *sys.version_info[:2])
    if os.path.isfile(site + "/agentguard/cli.py"):
        return [site]
    try:
        names = os.listdir(site)
    except OSError:
        return None
    for name in names:
        if not name.startswith("__editable__"):
            continue
        if name.startswith("__editable___agentguard_") and name.endswith("_finder.py"):
            key = "\\x27agentguard\\x27: \\x27"
            with open(os.path.join(site, name), encoding="utf-8") as handle:
                text = handle.read()
            start = text.find(key)
            end = text.find("\\x27", start + len(key)) if start >= 0 else -1
            if end > 0:
                return [os.path.dirname(text[start + len(key):end]), site]
        elif name.startswith("__editable__.agentguard-") and name.endswith(".pth"):
            with open(os.path.join(site, name), encoding="utf-8") as handle:
                line = handle.readline().strip()
            if line.startswith("/") and os.path.isdir(line + "/agentguard"):
                return [line, site]
    return None
found = where()
if found and os.path.isfile(found[0] + "/agentguard/cli.py"):
    sys.path += found
else:
    import site
    site.main()
from agentguard.cli import main
raise SystemExit(main(sys.argv[1:]))
"""
# No path, double quote or backslash is ever substituted into the JSON below, so it stays
# valid; INSTALL_COMMAND holds none either (a test pins that the output parses).
_TEMPLATE = r"""#!/bin/sh
@MARKER@ 1. @WRITTEN@
# Runs agentguard's hook for this project on any clone, without a machine-specific path:
# $AGENTGUARD_PYTHON, else the project's .venv/bin/agentguard (in a linked worktree, the main
# checkout's too), else agentguard on PATH.
# When none is found or it does not run, answers the call itself (fail closed), exit 0.
@TOP@
boot='@BOOT@'
event=${1:-}
refuse() {
    msg="agentguard $1, so this call cannot be checked: install it with @INSTALL@,\
 or set AGENTGUARD_PYTHON to a Python that has it; until then every tool call is refused.\
 Run 'agentguard doctor' to check."
    case ${AGENTGUARD_ON_ERROR:-deny} in
        ask) decision=ask ;;
        allow) decision= ;;
        *) decision=deny ;;
    esac
    case $event in
        PreToolUse|PreSkillShellCommand) ;;
        *) decision= ;;
    esac
    if [ -n "$decision" ]; then
        printf '{"hookSpecificOutput":{"hookEventName":"%s",' "$event"
        printf '"permissionDecision":"%s","permissionDecisionReason":"%s"}}\n' \
            "$decision" "[agentguard:not-installed] $msg"
    else
        printf '{"systemMessage":"%s"}\n' "$msg"
    fi
    exit 0
}
python=${AGENTGUARD_PYTHON:-}
script=
if [ -n "$python" ]; then
    :
elif [ -x "$top/.venv/bin/agentguard" ]; then
    script=$top/.venv/bin/agentguard
elif [ -f "$top/.git" ] && { read -r main || [ -n "$main" ]; } < "$top/.git" \
    && main=${main#gitdir: } \
    && case $main in /*) ;; *) main=$top/$main ;; esac \
    && main=${main%/.git/worktrees/*} && [ -x "$main/.venv/bin/agentguard" ]; then
    script=$main/.venv/bin/agentguard
elif script=$(command -v agentguard 2>/dev/null) && [ -n "$script" ]; then
    :
else
    refuse "is not installed for this project"
fi
# The console script's interpreter, from its #! line, runs the hook without Python's site
# machinery (-S: no .pth files, which cost more than the whole evaluation) and isolated
# (-I: no PYTHON* variables, no current folder on sys.path); @BOOT_NAME@ below finds the
# package instead. Any other script form (pip's /bin/sh trampoline) runs as it is.
if [ -n "$script" ] && { read -r line || [ -n "$line" ]; } < "$script"; then
    case $line in
        '#!/'*) python=${line#??} ;;
    esac
    case ${python##*/} in
        python*) [ -x "$python" ] || python= ;;
        *) python= ;;
    esac
fi
if [ -n "$python" ]; then
    set -- "$python" -I -S -c "$boot" hook "$@"
else
    set -- "$script" hook "$@"
fi
# Captured, not exec'd: a hook that did not start (exit 1, 126, 127) must not let the call run.
out=$("$@")
status=$?
if [ "$status" -eq 0 ]; then
    [ -z "$out" ] || printf '%s\n' "$out"
    exit 0
fi
refuse "did not run (exit status $status)"
"""
# The project's entry sits at <project>/.claude/hooks/agentguard: the project is two folders up.
_PROJECT_TOP = r"""case $0 in
    */*) here=${0%/*} ;;
    *) here=. ;;
esac
top=$here/../.."""
# The plugin's entry sits in the plugin's own folder (a marketplace copy or --plugin-dir), so
# the project is the one Claude Code names; the current folder when run without it.
_PLUGIN_TOP = "top=${CLAUDE_PROJECT_DIR:-.}"


def _render(written: str, top: str) -> str:
    return (
        _TEMPLATE.replace("@MARKER@", MARKER)
        .replace("@WRITTEN@", written)
        .replace("@TOP@", top)
        .replace("@INSTALL@", INSTALL_COMMAND)
        .replace("@BOOT_NAME@", "$boot")
        .replace("@BOOT@", BOOT)
    )


SCRIPT = _render("Written by `agentguard install`; re-run it instead of editing.", _PROJECT_TOP)
# The plugin's hooks/agentguard-plugin (agentguard/claude/plugin.py): the same lookup and refusal,
# rooted at $CLAUDE_PROJECT_DIR instead of the script's own folder.
PLUGIN_SCRIPT = _render(
    "Generated by `python -m agentguard.claude.plugin --write` for the plugin; re-run it.",
    _PLUGIN_TOP,
)


def path_in(project: str) -> str:
    """Where the entry lives in ``project``."""
    return os.path.join(project, PATH)


def is_entry(text: str) -> bool:
    """Whether ``text`` is an entry agentguard wrote (any version), by its marker line."""
    lines = text.splitlines()
    return len(lines) > 1 and lines[1].startswith(MARKER)


def command(event: str) -> str:
    """The hook command for ``event``, the same on every machine."""
    return f"{COMMAND} {event}"


def named_in(settings: Mapping[str, Any]) -> bool:
    """Whether any command handler in a settings object runs the entry."""
    hooks = settings.get("hooks")
    if not isinstance(hooks, Mapping):
        return False
    for groups in hooks.values():
        for group in groups if isinstance(groups, list) else []:
            handlers = group.get("hooks") if isinstance(group, Mapping) else None
            for handler in handlers if isinstance(handlers, list) else []:
                text = handler.get("command") if isinstance(handler, Mapping) else None
                if isinstance(text, str) and COMMAND in text:
                    return True
    return False


def finds(project: str, env: Mapping[str, str]) -> str | None:
    """What the entry in ``project`` would run with ``env`` (its lookup, replayed), or None."""
    import shutil

    python = env.get("AGENTGUARD_PYTHON")
    if python:
        return f"AGENTGUARD_PYTHON={python}"
    for top in (project, main_checkout(project)):
        candidate = os.path.join(top, ".venv", "bin", "agentguard") if top else ""
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("agentguard", path=env.get("PATH"))
    return f"{on_path} (PATH)" if on_path else None


def main_checkout(tree: str) -> str | None:
    """The main checkout of a linked worktree, from its ``.git`` file, as the entry finds it."""
    try:
        with open(os.path.join(tree, ".git"), encoding="utf-8") as handle:
            line = handle.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not line.startswith("gitdir: "):
        return None
    gitdir = line[len("gitdir: ") :]
    if not gitdir.startswith("/"):
        gitdir = os.path.join(tree, gitdir)
    marker = "/.git/worktrees/"
    return gitdir[: gitdir.rindex(marker)] if marker in gitdir else None
