"""Shell builtins that set or print the environment, and other agents' CLIs.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell.catalogue import AGENTS, ENVIRONMENT
from agentguard.shell.effects import (
    Effects,
    fact,
    fact_tuple,
    words,
)
from agentguard.shell.variables import flag_code_vars, hook_switch

_TAMPER_VARS = fact_tuple(ENVIRONMENT, "tamper_vars")


def export(fx: Effects) -> None:
    """``export``/``declare``/``set``/``unset``: a dump without names, a code-bearing
    variable or one of the guard's."""
    cmd = fx.cmd
    args = [w.text for w in fx.args]
    names = [a.split("=", 1)[0] for a in args if not a.startswith("-")]
    dumps = not args if cmd.program == "set" else not names
    if dumps and cmd.program in ("export", "declare", "typeset", "readonly", "set"):
        cmd.classes.update(("env-dump", "secret-read"))
        return
    if cmd.program == "set" and names:
        cmd.classes.add("read-only")
        return
    if cmd.program not in ("unset", "set"):
        flag_code_vars(
            cmd,
            (
                (a.split("=", 1)[0], a.split("=", 1)[1] if "=" in a else None)
                for a in args
                if not a.startswith(("-", "+"))
            ),
        )
    for name in names:
        if name.upper().startswith(_TAMPER_VARS):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{cmd.program} {name}")
    if cmd.program in ("export", "declare", "typeset"):
        for arg in args:
            name, _, value = arg.partition("=")
            # SKIP is pre-commit's, but too common a name to read as one outside git's own
            # environment; exported, the others reach every later git command of the line.
            if name != "SKIP" and hook_switch(name, value):
                cmd.classes.add("guard-tamper")
                cmd.notes.append(f"exports {name}={value}, which switches the git hooks off")
    if not cmd.classes & {"guard-tamper", "opaque"}:
        cmd.classes.add("read-only")


def agent_cli(fx: Effects) -> None:
    """Another agent's CLI: started with a changed configuration it is guard tampering."""
    cmd = fx.cmd
    changed = [n for n in cmd.assigns if n in words(fact(AGENTS, "config_vars"))]
    flags = [
        w.text
        for w in fx.args
        if w.text.split("=", 1)[0] in words(fact(AGENTS, "tamper_flags"))
        or w.text in ("--permission-mode=bypassPermissions",)
    ]
    args = [w.text for w in fx.args]
    # Every word, the last one too: a flag with no value after it still asks the CLI for
    # a changed configuration (``gemini -p x -y``), and a value may be glued on with ``=``.
    for i, text in enumerate(args):
        name, _, glued = text.partition("=")
        value = glued or (args[i + 1] if i + 1 < len(args) else "")
        if name == "--permission-mode" and value in ("bypassPermissions", "acceptEdits"):
            flags.append(f"{name} {value}")
        if cmd.program == "codex" and name in ("-c", "--config", "-s", "--sandbox"):
            flags.append(f"{name} {value}".rstrip())
        if cmd.program == "gemini" and (
            name == "-y" or (name == "--approval-mode" and value in ("yolo", "auto_edit"))
        ):
            flags.append(f"{name} {value}".rstrip() if name != "-y" else name)
    # Another agent started from a shell works outside this session's view (its own
    # session, its own transcript): a class of its own, which the shipped policies ask for.
    cmd.classes.add("agent-cli")
    if changed or flags:
        cmd.classes.add("guard-tamper")
        cmd.notes.append(
            f"starts {cmd.program} with a changed configuration: " + ", ".join(changed + flags)
        )
    else:
        cmd.notes.append(f"starts another agent: {cmd.program}")
