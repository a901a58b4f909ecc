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
not enforced), whether ``AGENTGUARD_AGENT`` matches the branch, whether the state folder
is writable and the compiled cache fresh, and, where PYTHONDONTWRITEBYTECODE reaches the
hook, whether agentguard's byte code is. Exit status: 0 the guard holds everywhere, 1 it
would not hold somewhere (each problem says what to do), 2 cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from importlib.util import cache_from_source
from typing import Any, TextIO

import agentguard
from agentguard.claude import plugin, settings, settings_check
from agentguard.commands import usage
from agentguard.commands.diagnosis import CannotRun, Claude, Worktree, as_json, render_text, shown
from agentguard.commands.doctor_hooks import check_hooks, check_settings, event_order, hooks_only
from agentguard.engine import identity
from agentguard.errors import GuardError
from agentguard.policy import compiled
from agentguard.state import home as state

# The package the hook imports when it runs from the same installation as doctor.
PACKAGE = os.path.dirname(os.path.abspath(agentguard.__file__))
MANAGED_PATHS = (
    "/etc/claude-code/managed-settings.json",
    "/Library/Application Support/ClaudeCode/managed-settings.json",
)
# Set in the shell doctor runs from (perhaps a Claude Code session): not the worktree's.
_NOT_INHERITED = ("CLAUDE_PROJECT_DIR", identity.AGENT_ENV)


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
        value = check_settings(tree, scope, path, claude.version)
        if value is not None:
            read.append((scope, path, value))
    # allowManagedHooksOnly (managed only): every other scope's hooks, and plugins that
    # only they enable, are dropped without a word.
    managed_only = [path for scope, path, v in read if scope == "managed" and hooks_only(v)]
    plugins: list[str] = []
    for scope, path, value in read:
        env = value.get("env")
        if isinstance(env, Mapping):
            hook_env.update({str(k): str(v) for k, v in env.items()})
        disabled = disabled or value.get("disableAllHooks") is True
        dropped = bool(managed_only) and scope != "managed"
        keys = _plugin_keys(value)
        if keys and not dropped:
            plugins += [f"{key} in {shown(path)} ({scope})" for key in keys]
        found = [
            (event, where, handler)
            for event, where, handler in settings_check.handlers(value)
            if settings.is_ours(handler)
        ]
        if dropped and (found or keys or settings_check.handlers(value)):
            tree.add(
                "warn",
                "hooks",
                f"{shown(path)} ({scope}): its hooks and plugins do not run:"
                f" allowManagedHooksOnly is set in {shown(managed_only[0])}",
                "move the hooks into managed settings, or drop allowManagedHooksOnly",
            )
            continue
        if found:
            events = sorted({event for event, _, _ in found}, key=event_order)
            tree.add("ok", "hooks", f"{shown(path)} ({scope}): {', '.join(events)}")
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
    check_hooks(tree, ours, env, claude, probe and not disabled, bool(plugins))
    _check_bytecode(tree, env)
    return _check_policy(tree, env, hook_env, authority)


def _check_bytecode(tree: Worktree, env: Mapping[str, str]) -> None:
    # Python compiles a module without a fresh .pyc on every import, and with
    # PYTHONDONTWRITEBYTECODE it never keeps the result: an editable install or a
    # checkout entry then compiles agentguard in every hook process (75 ms a call here
    # instead of 35 ms). pip compiles what it installs; nothing compiles a checkout.
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        return
    stale = uncompiled(PACKAGE)
    if stale:
        tree.add(
            "warn",
            "bytecode",
            f"PYTHONDONTWRITEBYTECODE is set for the hook and {shown(PACKAGE)} lacks an"
            f" up-to-date .pyc for {len(stale)} module(s): every hook call compiles them"
            " again (about twice the latency)",
            f"run `{shown(sys.executable)} -m compileall -q {shown(PACKAGE)}`"
            " once, and again after each update",
        )


def uncompiled(package: str) -> list[str]:
    """The modules under ``package`` whose cached byte code is missing or older than them."""
    out = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            source = os.path.join(folder, name)
            try:
                fresh = os.stat(cache_from_source(source)).st_mtime >= os.stat(source).st_mtime
            except (OSError, NotImplementedError):  # no file; an interpreter without a cache
                fresh = False
            if not fresh:
                out.append(source)
    return out


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
    loads = ", ".join(shown(f) for f in files)
    if authority is None:
        tree.add("ok", "policy", f"loads {loads}")
    elif _contents(files) == _contents(authority):
        tree.add("ok", "policy", f"loads {loads} (same as the main checkout)")
    else:
        tree.add(
            "warn",
            "policy",
            f"loads {loads}, which differs from the main checkout's"
            f" {', '.join(shown(f) for f in authority)}: agents here follow another policy",
            "commit the policy on the base branch and bring this branch up to date",
        )
    root = compiled.authority_root(tree.path, env)
    marked = os.path.lexists(os.path.join(root, compiled.MARKER))
    if not env.get(compiled.POLICY_ENV) and compiled.project_files(root) and not marked:
        tree.add(
            "warn",
            "policy",
            f"{shown(os.path.join(root, compiled.MARKER))} is missing: were the policy"
            " deleted, the hook would fall back to the bundled default",
            "run `agentguard install` in the main checkout and commit .claude/",
        )
    own = compiled.branch_copy(tree.path, env)
    if own and _contents(own) != _contents(files):
        tree.add(
            "warn",
            "policy",
            f"this branch's own {', '.join(shown(f) for f in own)} differs from the policy"
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
            f"state folder {shown(home)} is not writable ({exc.strerror}): no decision is"
            " logged, and the Stop gate finds no evidence",
            "fix its permissions, or set AGENTGUARD_HOME in the settings' env",
        )
        return
    tree.add("ok", "state", f"state folder {shown(home)} is writable")


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


if __name__ == "__main__":
    raise SystemExit(main())
