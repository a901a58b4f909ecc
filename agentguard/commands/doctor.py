"""``agentguard doctor``: whether the guard really runs, per worktree. Cold path.

    agentguard doctor                         # every worktree of this repository
    agentguard doctor --claude ~/bin/claude   # judge against that Claude Code's version
    agentguard doctor --format json           # for scripts
    agentguard doctor --no-probe              # do not run the hook commands

Per worktree (``git worktree list``) and settings scope (project, local, user, managed: the
file and the fragments of its ``managed-settings.d`` folder; and the agentguard plugin where
``enabledPlugins`` turns it on):
whether the file is read at all by the Claude Code version in use (one invalid value drops
every hook in it); which of agentguard's hooks it carries; whether each hook command
resolves, and whether the PreToolUse one answers a probe (a Read of a file in the worktree,
logged like any call under session ``agentguard-doctor``); whether ``onFailure`` is set
and that version honours it. Then which policy files the hook loads there (the hook's own
resolution: the main checkout's policy, unless ``AGENTGUARD_POLICY`` says otherwise),
whether they differ from the main checkout's, whether the branch's own copy differs (it is
not enforced), whether ``AGENTGUARD_AGENT`` matches the branch, whether
the state folder is writable and the compiled cache fresh. Exit status: 0 the guard holds
everywhere, 1 it would not hold somewhere (each problem says what to do), 2 cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from agentguard.claude import entry, plugin, settings, settings_check
from agentguard.claude.settings_check import Version
from agentguard.commands import usage
from agentguard.engine import identity
from agentguard.policy import compiled
from agentguard.policy.compiled import GuardError
from agentguard.state import home as state

PROBE_TIMEOUT = 20.0
PROBE_SESSION = "agentguard-doctor"
MANAGED_PATHS = (
    "/etc/claude-code/managed-settings.json",
    "/Library/Application Support/ClaudeCode/managed-settings.json",
)
# Set in the shell doctor runs from (perhaps a Claude Code session): not the worktree's.
_NOT_INHERITED = ("CLAUDE_PROJECT_DIR", identity.AGENT_ENV)
WIDTH = 80
STATUSES = ("ok", "info", "warn", "error")


class Check:
    """One line of the report: status, area, what was found, and what to do."""

    __slots__ = ("area", "fix", "message", "status")

    def __init__(self, status: str, area: str, message: str, fix: str = "") -> None:
        self.status = status
        self.area = area
        self.message = message
        self.fix = fix

    def as_dict(self) -> dict[str, str]:
        """Plain form for JSON output."""
        return {"status": self.status, "area": self.area, "message": self.message, "fix": self.fix}


class Worktree:
    """One worktree's checks."""

    __slots__ = ("branch", "checks", "path")

    def __init__(self, path: str, branch: str | None) -> None:
        self.path = path
        self.branch = branch
        self.checks: list[Check] = []

    def add(self, status: str, area: str, message: str, fix: str = "") -> None:
        """Record one check."""
        self.checks.append(Check(status, area, message, fix))

    @property
    def holds(self) -> bool:
        """Whether the guard holds here: no check failed."""
        return not any(c.status == "error" for c in self.checks)


class Claude:
    """The Claude Code binary judged against, and its version (None: unknown)."""

    __slots__ = ("binary", "version")

    def __init__(self, binary: str | None, version: Version | None) -> None:
        self.binary = binary
        self.version = version


class CannotRun(Exception):
    """doctor cannot do its job (exit status 2); the message says why and what to do."""


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run every check; 0 the guard holds, 1 it would not somewhere, 2 cannot run."""
    parser = argparse.ArgumentParser(
        prog="agentguard doctor",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--project", default=None, help="a folder of the repository (default: .)")
    parser.add_argument("--claude", default=None, metavar="BIN", help="Claude Code binary")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--no-probe", action="store_true", help="do not run the hook commands")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    try:
        claude = find_claude(args.claude)
        trees = diagnose(os.path.abspath(args.project or os.getcwd()), claude, not args.no_probe)
    except CannotRun as exc:
        print(f"agentguard doctor: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        stream.write(json.dumps(as_json(claude, trees), indent=2) + "\n")
    else:
        render_text(claude, trees, stream)
    return 0 if all(tree.holds for tree in trees) else 1


def find_claude(given: str | None) -> Claude:
    """The binary (``given``, else ``claude`` on PATH) and its ``--version``."""
    binary = given or shutil.which("claude")
    if binary is None:
        return Claude(None, None)
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        if given:
            raise CannotRun(f"--claude {given}: cannot run it ({exc}); check the path") from exc
        return Claude(binary, None)
    version = settings_check.parse_version(done.stdout)
    if version is None and given:
        raise CannotRun(f"--claude {given}: `--version` printed no version; is it Claude Code?")
    return Claude(binary, version)


def worktrees(project: str) -> list[tuple[str, str | None]]:
    """(path, branch) of every worktree of the repository holding ``project``, main first."""
    if not os.path.isdir(project):
        raise CannotRun(f"{project} is not a folder; pass --project with the repository")
    try:
        done = subprocess.run(
            ["git", "-C", project, "worktree", "list", "--porcelain"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0:
        return [(project, None)]  # not a repository: the folder is the one project
    out: list[tuple[str, str | None]] = []
    path: str | None = None
    branch: str | None = None
    bare = False
    for line in [*done.stdout.splitlines(), ""]:
        if line.startswith("worktree "):
            path, branch, bare = line[len("worktree ") :], None, False
        elif line.startswith("branch "):
            branch = line[len("branch ") :].removeprefix("refs/heads/")
        elif line == "bare":
            bare = True
        elif not line and path is not None:
            if not bare and os.path.isdir(path):
                out.append((path, branch))
            path = None
    return out or [(project, None)]


def scopes(tree: str) -> list[tuple[str, str]]:
    """(scope, settings file) in Claude Code's order of increasing precedence.

    Managed: ``managed-settings.json``, then the ``*.json`` fragments beside it in
    ``managed-settings.d`` (2.1.83+), in name order, as Claude Code merges them.
    """
    out = [
        ("user", os.path.join(os.path.expanduser("~"), ".claude", "settings.json")),
        ("project", os.path.join(tree, ".claude", "settings.json")),
        ("local", os.path.join(tree, ".claude", "settings.local.json")),
    ]
    for path in MANAGED_PATHS:
        if os.path.isfile(path):
            out.append(("managed", path))
        folder = os.path.join(os.path.dirname(path), "managed-settings.d")
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        out += [
            ("managed", os.path.join(folder, name))
            for name in names
            if name.endswith(".json") and not name.startswith(".")
        ]
    return out


def _plugin_keys(value: Mapping[str, Any]) -> list[str]:
    """The ``enabledPlugins`` keys of a settings object that turn the agentguard plugin on."""
    enabled = value.get("enabledPlugins")
    if not isinstance(enabled, Mapping):
        return []
    return [
        str(key)
        for key, on in enabled.items()
        if str(key).split("@", 1)[0] == plugin.NAME and on is not False and on is not None
    ]


def diagnose(project: str, claude: Claude, probe: bool) -> list[Worktree]:
    """Every worktree's checks."""
    trees = worktrees(project)
    authority: list[str] | None = None
    out = []
    for index, (path, branch) in enumerate(trees):
        tree = Worktree(path, branch)
        files = _check_worktree(tree, claude, probe, authority)
        if index == 0:
            authority = files
        out.append(tree)
    return out


def _check_worktree(
    tree: Worktree, claude: Claude, probe: bool, authority: list[str] | None
) -> list[str] | None:
    """Run the checks of one worktree; return the policy files its hook loads."""
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    hook_env: dict[str, str] = {}
    ours: list[tuple[str, str, Mapping[str, Any]]] = []
    disabled = False
    read: list[tuple[str, str, dict[str, Any]]] = []
    for scope, path in scopes(tree.path):
        value = _check_settings(tree, scope, path, claude.version)
        if value is not None:
            read.append((scope, path, value))
    # allowManagedHooksOnly (managed only): every other scope's hooks, and plugins that
    # only they enable, are dropped without a word.
    managed_only = [path for scope, path, v in read if scope == "managed" and _hooks_only(v)]
    plugins: list[str] = []
    for scope, path, value in read:
        env = value.get("env")
        if isinstance(env, Mapping):
            hook_env.update({str(k): str(v) for k, v in env.items()})
        disabled = disabled or value.get("disableAllHooks") is True
        dropped = bool(managed_only) and scope != "managed"
        keys = _plugin_keys(value)
        if keys and not dropped:
            plugins += [f"{key} in {_shown(path)} ({scope})" for key in keys]
        found = [
            (event, where, handler)
            for event, where, handler in settings_check.handlers(value)
            if settings.is_ours(handler)
        ]
        if dropped and (found or keys or settings_check.handlers(value)):
            tree.add(
                "warn",
                "hooks",
                f"{_shown(path)} ({scope}): its hooks and plugins do not run:"
                f" allowManagedHooksOnly is set in {_shown(managed_only[0])}",
                "move the hooks into managed settings, or drop allowManagedHooksOnly",
            )
            continue
        if found:
            events = sorted({event for event, _, _ in found}, key=_event_order)
            tree.add("ok", "hooks", f"{_shown(path)} ({scope}): {', '.join(events)}")
        ours += [(event, f"{scope} {event} hook", handler) for event, _, handler in found]
    if plugins:
        tree.add(
            "ok",
            "plugin",
            f"the agentguard plugin is enabled ({'; '.join(plugins)}): its hooks/hooks.json"
            " runs agentguard for every event",
        )
        if ours:
            tree.add(
                "warn",
                "plugin",
                "agentguard is registered twice (the plugin and settings hooks): every event"
                " runs it twice, and the second PostToolUse finds its evidence taken",
                "keep one: disable the plugin, or `agentguard uninstall` that scope",
            )
    env = {**base, **hook_env, "CLAUDE_PROJECT_DIR": tree.path}
    _check_hooks(tree, ours, env, claude, probe and not disabled, bool(plugins))
    return _check_policy(tree, env, hook_env, authority)


def _hooks_only(value: Mapping[str, Any]) -> bool:
    return value.get("allowManagedHooksOnly") is True


def _check_settings(
    tree: Worktree, scope: str, path: str, version: Version | None
) -> dict[str, Any] | None:
    """The settings Claude Code reads from ``path`` (None when absent or dropped)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        tree.add("error", "settings", f"{_shown(path)} ({scope}): cannot read ({exc})", "fix it")
        return None
    value, hazards = settings_check.check_text(text, version)
    dropped = value is None
    for hazard in hazards:
        line, col = settings_check.locate(text, hazard.where, hazard.value)
        where = f"{_shown(path)}:{line}:{col}" if line > 1 or col > 1 else _shown(path)
        tree.add("error", "settings", f"{where} ({scope}): {hazard.where}: {hazard.message}")
        tree.checks[-1].fix = hazard.fix
        dropped = dropped or hazard.drops_file
    return None if dropped else value


def _event_order(event: str) -> int:
    names = [name for name, _ in settings.EVENTS]
    return names.index(event) if event in names else len(names)


def _check_hooks(
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


def _check_policy(
    tree: Worktree,
    env: Mapping[str, str],
    hook_env: Mapping[str, str],
    authority: list[str] | None,
) -> list[str] | None:
    try:
        files = compiled.discover(tree.path, env)
    except GuardError as exc:
        tree.add("error", "policy", str(exc), "fix AGENTGUARD_POLICY or the policy files")
        return None
    shown = ", ".join(_shown(f) for f in files)
    if authority is None:
        tree.add("ok", "policy", f"loads {shown}")
    elif _contents(files) == _contents(authority):
        tree.add("ok", "policy", f"loads {shown} (same as the main checkout)")
    else:
        tree.add(
            "warn",
            "policy",
            f"loads {shown}, which differs from the main checkout's"
            f" {', '.join(_shown(f) for f in authority)}: agents here follow another policy",
            "commit the policy on the base branch and bring this branch up to date",
        )
    root = compiled.authority_root(tree.path, env)
    marked = os.path.lexists(os.path.join(root, compiled.MARKER))
    if not env.get(compiled.POLICY_ENV) and compiled.project_files(root) and not marked:
        tree.add(
            "warn",
            "policy",
            f"{_shown(os.path.join(root, compiled.MARKER))} is missing: were the policy"
            " deleted, the hook would fall back to the bundled default",
            "run `agentguard install` in the main checkout and commit .claude/",
        )
    own = compiled.branch_copy(tree.path, env)
    if own and _contents(own) != _contents(files):
        tree.add(
            "warn",
            "policy",
            f"this branch's own {', '.join(_shown(f) for f in own)} differs from the policy"
            " enforced here; it is not enforced (the main checkout's policy is the authority)",
            "bring the branch up to date with its base so its copy matches",
        )
    home = state.home(tree.path, env)
    _check_state(tree, home)
    try:
        cache = compiled.cache_file(files, home)
    except GuardError as exc:
        tree.add("error", "policy", str(exc), "check the policy file's permissions")
        return files
    fresh = os.path.isfile(cache)
    try:
        policy = compiled.load(files, home)
    except GuardError as exc:
        tree.add("error", "policy", str(exc), "run `agentguard lint`")
        return files
    if fresh:
        tree.add("ok", "cache", "the compiled policy is fresh")
    else:
        tree.add(
            "warn",
            "cache",
            "the compiled policy was stale: the next hook call would have rebuilt it (about"
            " a second); doctor has now built it",
            "run `agentguard compile` after each policy change",
        )
    mode = env.get("AGENTGUARD_MODE")
    if mode == "observe" or (
        mode != "enforce" and policy.data["defaults"].get("mode") == "observe"
    ):
        where = "AGENTGUARD_MODE=observe" if mode == "observe" else "defaults.mode: observe"
        tree.add(
            "warn",
            "mode",
            f"observe mode ({where}): every decision is logged, none is enforced",
            "set mode: enforce (or drop AGENTGUARD_MODE) when the trial is over",
        )
    _check_identity(tree, policy, env, hook_env, files)
    return files


def _contents(files: list[str]) -> list[bytes | None]:
    out: list[bytes | None] = []
    for file in files:
        try:
            with open(file, "rb") as handle:
                out.append(handle.read())
        except OSError:
            out.append(None)
    return out


def _check_state(tree: Worktree, home: str) -> None:
    try:
        os.makedirs(home, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".doctor-", dir=home)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        tree.add(
            "error",
            "state",
            f"state folder {_shown(home)} is not writable ({exc.strerror}): no decision is"
            " logged, and the Stop gate finds no evidence",
            "fix its permissions, or set AGENTGUARD_HOME in the settings' env",
        )
        return
    tree.add("ok", "state", f"state folder {_shown(home)} is writable")


def _check_identity(
    tree: Worktree,
    policy: compiled.Compiled,
    env: Mapping[str, str],
    hook_env: Mapping[str, str],
    files: list[str],
) -> None:
    named = hook_env.get(identity.AGENT_ENV, "").strip()
    who = identity.identify(policy.data, tree.path, env, files)
    branch = f"branch {tree.branch}" if tree.branch else "no branch"
    if who.conflict is not None:
        tree.add(
            "error",
            "identity",
            f"{identity.AGENT_ENV}={named} but {branch}: {who.conflict.justification}",
            who.conflict.fix,
        )
        return
    if named and who.source != "env":
        tree.add(
            "warn",
            "identity",
            f"{identity.AGENT_ENV}={named} names no agent of the policy; the hook goes by"
            f" {branch} instead ({who.agent or 'unassigned'})",
            "fix the name in .claude/settings.local.json (`agentguard agents up` writes it)",
        )
        return
    if who.agent is None:
        tree.add("info", "identity", f"no agent ({branch}): defaults.unassigned_agent applies")
        return
    how = f"{identity.AGENT_ENV}={named}, {branch}" if named else f"by {who.source}, {branch}"
    tree.add("ok", "identity", f"agent {who.agent} ({how})")


def as_json(claude: Claude, trees: list[Worktree]) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "claude": {
            "binary": claude.binary,
            "version": None if claude.version is None else settings_check.shown(claude.version),
            "honours_on_failure": settings_check.honours_on_failure(claude.version),
        },
        "holds": all(tree.holds for tree in trees),
        "worktrees": [
            {
                "path": tree.path,
                "branch": tree.branch,
                "holds": tree.holds,
                "checks": [check.as_dict() for check in tree.checks],
            }
            for tree in trees
        ],
    }


def render_text(claude: Claude, trees: list[Worktree], out: TextIO) -> None:
    """The report for people: 80 columns, each problem followed by what to do."""
    if claude.binary is None:
        head = "Claude Code: not on PATH; judged against every known version (--claude BIN)"
    else:
        version = settings_check.shown(claude.version) if claude.version else "unknown version"
        honours = settings_check.honours_on_failure(claude.version)
        note = {True: "honours onFailure", False: "ignores onFailure", None: ""}[honours]
        head = f"Claude Code {version} ({claude.binary})" + (f": {note}" if note else "")
    _wrap(out, head, "", "  ")
    for tree in trees:
        print("", file=out)
        _wrap(out, f"{tree.path} ({tree.branch or 'no branch'})", "", "  ")
        for check in tree.checks:
            first = f"  {check.status:<5} {check.area:<9} "
            _wrap(out, check.message, first, " " * len(first))
            if check.fix and check.status in ("warn", "error"):
                _wrap(out, check.fix, " " * (len(first) - 5) + "fix: ", " " * len(first))
    broken = [tree for tree in trees if not tree.holds]
    print("", file=out)
    if broken:
        _wrap(
            out,
            f"the guard would NOT hold in {len(broken)} of {len(trees)} worktree"
            f"{'s' if len(trees) != 1 else ''}; fix the errors above",
            "",
            "  ",
        )
    else:
        print(f"the guard holds in {len(trees)} of {len(trees)} worktrees", file=out)


def _wrap(out: TextIO, text: str, first: str, rest: str) -> None:
    print(
        textwrap.fill(
            text,
            WIDTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
            break_long_words=True,
        ),
        file=out,
    )


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


if __name__ == "__main__":
    raise SystemExit(main())
