"""The hook half of `agentguard doctor`: which settings carry agentguard's hooks, whether each
command resolves, and whether the PreToolUse one really answers a probe Read.

Cold path.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from agentguard.claude import entry, settings, settings_check
from agentguard.claude.settings_check import Version
from agentguard.commands.diagnosis import Claude, Worktree, shown

PROBE_TIMEOUT = 20.0


PROBE_SESSION = "agentguard-doctor"


def check_settings(
    tree: Worktree, scope: str, path: str, version: Version | None
) -> dict[str, Any] | None:
    """The settings Claude Code reads from ``path`` (None when absent or dropped)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        tree.add("error", "settings", f"{shown(path)} ({scope}): cannot read ({exc})", "fix it")
        return None
    value, hazards = settings_check.check_text(text, version)
    dropped = value is None
    for hazard in hazards:
        line, col = settings_check.locate(text, hazard.where, hazard.value)
        where = f"{shown(path)}:{line}:{col}" if line > 1 or col > 1 else shown(path)
        tree.add("error", "settings", f"{where} ({scope}): {hazard.where}: {hazard.message}")
        tree.checks[-1].fix = hazard.fix
        dropped = dropped or hazard.drops_file
    return None if dropped else value


def hooks_only(value: Mapping[str, Any]) -> bool:
    return value.get("allowManagedHooksOnly") is True


def event_order(event: str) -> int:
    names = [name for name, _ in settings.EVENTS]
    return names.index(event) if event in names else len(names)


def check_hooks(
    tree: Worktree,
    ours: list[tuple[str, str, Mapping[str, Any]]],
    env: Mapping[str, str],
    claude: Claude,
    probe: bool,
    by_plugin: bool = False,
) -> None:
    covered = {event for event, _, _ in ours}
    if by_plugin:
        # The plugin's hooks files carry every event (tests/test_delivery.py pins it).
        covered |= {name for name, _ in settings.EVENTS}
    if "PreToolUse" not in covered:
        tree.add(
            "error",
            "hooks",
            "no agentguard PreToolUse hook is read here: every tool call runs unchecked",
            "run `agentguard install` in the main checkout and commit .claude/",
        )
    missing = [name for name, _ in settings.EVENTS if name not in covered and name != "PreToolUse"]
    if missing and covered:
        tree.add(
            "warn",
            "hooks",
            f"no agentguard hook for {', '.join(missing)} (loops and the Stop gate need them)",
            "re-run `agentguard install`",
        )
    honours = settings_check.honours_on_failure(claude.version)
    entry_checked = False
    for event, where, handler in ours:
        program = _resolve(handler, env)
        if program is None:
            tree.add(
                "error",
                "hooks",
                f"{where}: {handler.get('command')!r} does not resolve here: the hook cannot"
                " start"
                + (
                    ""
                    if honours and handler.get("onFailure") == "block"
                    else ", and Claude Code then runs the tool unchecked"
                ),
                "re-run `agentguard install` (it writes a command that works on any clone)",
            )
            continue
        if program == entry.COMMAND and not entry_checked:
            _check_entry(tree, env)
            entry_checked = True
        if event != "PreToolUse":
            continue
        _check_on_failure(tree, where, handler, claude)
        if probe:
            _probe(tree, where, handler, env)


def _resolve(handler: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The handler's program as it would start here; ``entry.COMMAND`` for the entry; None."""
    command = str(handler.get("command", ""))
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    while words and (re.match(r"[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] in ("exec", "env")):
        words = words[1:]
    if not words:
        return None
    project = env["CLAUDE_PROJECT_DIR"]
    program = words[0].replace("${CLAUDE_PROJECT_DIR}", project)
    program = program.replace("$CLAUDE_PROJECT_DIR", project)
    if "/" not in program:
        return shutil.which(program, path=env.get("PATH"))
    if not (os.path.isfile(program) and os.access(program, os.X_OK)):
        return None
    if os.path.realpath(program) == os.path.realpath(entry.path_in(project)):
        return entry.COMMAND
    return program


def _check_entry(tree: Worktree, env: Mapping[str, str]) -> None:
    """What the committed entry finds here (its lookup, replayed)."""
    found = entry.finds(tree.path, env)
    if found:
        tree.add("ok", "entry", f"{entry.PATH} runs {found}")
        return
    tree.add(
        "error",
        "entry",
        f"{entry.PATH} finds no agentguard here (no AGENTGUARD_PYTHON, no .venv/bin/agentguard,"
        " none on PATH): it refuses every tool call",
        f"install it with {entry.INSTALL_COMMAND}",
    )


def _check_on_failure(
    tree: Worktree, where: str, handler: Mapping[str, Any], claude: Claude
) -> None:
    honours = settings_check.honours_on_failure(claude.version)
    version = settings_check.shown(claude.version)
    since = settings_check.shown(settings_check.ON_FAILURE_SINCE)
    if handler.get("onFailure") == settings.ON_FAILURE:
        if honours is False:
            tree.add(
                "info",
                "onFailure",
                f"{where}: onFailure is block, but Claude Code {version} ignores it ({since}+"
                " honours it); the entry's own refusal is what fails closed",
            )
        else:
            tree.add("ok", "onFailure", f"{where}: onFailure is block")
        return
    tree.add(
        "info" if honours is False else "warn",
        "onFailure",
        f'{where}: no "onFailure": "block": a hook that cannot start, times out or crashes'
        f" lets the tool run (Claude Code {since}+ would block it)",
        "re-run `agentguard install`",
    )


def _probe_event(tree: str) -> str:
    return json.dumps(
        {
            "session_id": PROBE_SESSION,
            "transcript_path": os.path.join(tree, ".agentguard-doctor.jsonl"),
            "cwd": tree,
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Read",
            "tool_input": {"file_path": os.path.join(tree, "README.md")},
            "tool_use_id": "toolu_agentguard_doctor",
        }
    )


def _probe(tree: Worktree, where: str, handler: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """Run the hook command as Claude Code would (``sh -c``) on a harmless Read."""
    command = str(handler.get("command", ""))
    argv = ["sh", "-c", command]
    if isinstance(handler.get("args"), list):
        argv = [command, *(str(a) for a in handler["args"])]
    try:
        done = subprocess.run(
            argv,
            input=_probe_event(tree.path),
            cwd=tree.path,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        tree.add(
            "error",
            "probe",
            f"{where}: no answer to a probe within {PROBE_TIMEOUT:.0f} s",
            f"run `agentguard compile`, then `agentguard logs timeline --session {PROBE_SESSION}`",
        )
        return
    except OSError as exc:
        tree.add("error", "probe", f"{where}: cannot start ({exc})", "re-run `agentguard install`")
        return
    problem = _answer_problem(done.returncode, done.stdout, done.stderr)
    if problem is None:
        answer = json.loads(done.stdout) if done.stdout.strip() else {}
        decision = answer.get("hookSpecificOutput", {}).get("permissionDecision", "none")
        tree.add("ok", "probe", f"{where}: answers a probe Read (decision: {decision})")
        return
    message, fix = problem
    tree.add("error", "probe", f"{where}: {message}", fix)


def _answer_problem(code: int, stdout: str, stderr: str) -> tuple[str, str] | None:
    """What is wrong with a probe's answer, and what to do; None when it is a real answer."""
    last = (stderr.strip().splitlines() or [""])[-1][:200]
    if code != 0:
        return (
            f"exits {code} on a probe ({last or 'no message'}): Claude Code reads that as"
            " a failed hook",
            "re-run `agentguard install`; `agentguard doctor --format json` shows the command",
        )
    if not stdout.strip():
        return None
    try:
        answer = json.loads(stdout)
    except ValueError:
        return (
            "prints output that is not one JSON object: Claude Code ignores it (the tool runs)",
            "check the hook command for extra output (a shell profile echo)",
        )
    if not isinstance(answer, dict):
        return ("prints JSON that is not an object", "re-run `agentguard install`")
    reason = str(answer.get("hookSpecificOutput", {}).get("permissionDecisionReason", ""))
    reason = reason or str(answer.get("systemMessage", ""))
    if "[agentguard:not-installed]" in reason or reason.startswith("agentguard is not installed"):
        return (
            "agentguard is not installed for this worktree: every tool call is refused",
            f"install it with {entry.INSTALL_COMMAND}",
        )
    if "[agentguard:on-error]" in reason:
        return (
            f"the guard failed and answered with on_error: {reason[:300]}",
            f"run `agentguard lint` and `agentguard logs timeline --session {PROBE_SESSION}`",
        )
    return None
