"""Run the real Claude Code binary in a throwaway project against the fake Messages API.

A :class:`ClaudeProject` is a project folder (optionally a git repository) plus an
isolated ``HOME`` whose ``.claude.json`` trusts it, so that project ``permissions.allow``
rules apply in ``-p`` mode. :meth:`ClaudeProject.run` launches ``claude -p`` from the
project root with the offline environment of claude-code-hooks.md section 12, the model
pinned to :data:`MODEL` and ``--output-format stream-json``, and returns a
:class:`ClaudeResult`: every per-turn result (2.1.332 ends each turn with its own, and
``--output-format json`` would print only the last), the hook events, the raw output
and the fake server's recorded requests.

Versions. The suite runs against the oldest and the newest supported Claude Code
(:data:`VERSIONS`): the ``claude_bin`` fixture (tests/e2e/conftest.py) is parametrised
over them, so every test that uses it or ``claude_project`` runs once per version, with
the version in its id (``test_x[2.1.197]``). A version is found in any ``.tools*``
folder of the repository (``npm install --prefix .tools-<version> …``, see
:func:`install_hint`), else as ``claude`` on PATH when that reports the version.
``$AGENTGUARD_CLAUDE_BIN`` replaces the list with that one binary. A missing version
skips its tests with the install command, and fails them when ``CI`` is set.

Where a test needs a newer version (``onFailure``, ``PreSkillShellCommand``,
``Monitor``…), mark it ``@pytest.mark.requires_claude("2.1.295")``: it is skipped, with
the reason, on older versions. Inside a test, the ``claude_version`` fixture (or
``claude_project.version``) is the version string and :func:`claude_at_least` (or
``claude_project.at_least("2.1.295")``) compares it, for assertions that differ by
version.

What the model saw differs by version (claude-code-hooks.md section 13): read deny
reasons with :attr:`ToolResult.reason` (the ``PreToolUse:<Tool> hook error: `` prefix
and appended ``<system-reminder>`` blocks removed), hook context with
:attr:`ClaudeResult.hook_texts` (extra user blocks, mid-list ``system`` messages and
reminders inside tool results) and Stop feedback with :attr:`ClaudeResult.stop_feedback`.

Interactive. ``-p`` treats ``ask`` as ``deny``; :meth:`ClaudeProject.interactive` starts
the interactive client instead, in a detached tmux pane (its own tmux server, so nothing
of the developer's tmux is touched), with the same fake API, model and offline
environment, and returns a :class:`Terminal`: :meth:`Terminal.wait_for` text on the
screen, :meth:`Terminal.press` keys (``Enter`` approves a permission dialog, ``Escape``
refuses it), :meth:`Terminal.screen` for assertions. The project's ``.claude.json``
pre-accepts what an interactive start would otherwise ask (onboarding, trust, the API
key), and the permission mode is set explicitly (2.1.332 defaults to ``auto``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from .fakeapi import FakeAnthropic, Script, ToolResult

REPO = Path(__file__).resolve().parents[2]
BIN_ENV = "AGENTGUARD_CLAUDE_BIN"
PACKAGE = "@anthropic-ai/claude-code"
# The supported range, oldest first: README states it and .ci/run installs both ends.
OLDEST = "2.1.197"
NEWEST = "2.1.332"
VERSIONS = (OLDEST, NEWEST)
# Pinned so that both versions lay hook output out the same way: 2.1.332's default
# model (claude-opus-5-5) and some others move hook context into tool results.
MODEL = "claude-opus-4-8"
DEFAULT_ALLOW = ("Read", "Write", "Edit")
DEFAULT_TIMEOUT = 120.0
API_KEY = "sk-ant-e2e-dummy-key-0000000000"
# The interactive client's terminal: wide, so a permission dialog's lines do not wrap.
COLUMNS, ROWS = 200, 60
_TMUX_SERVERS = itertools.count()
# Variables from the caller's environment that would change what the binary does
# (another session's identity, a real API, a user's agentguard state) are not passed on.
_INHERITED = ("PATH", "LANG", "LC_ALL", "TMPDIR", "TZ", "SYSTEMROOT")


def install_hint(version: str) -> str:
    """How a developer installs ``version`` where :func:`find_claude` looks."""
    return (
        f"Claude Code {version} not found: run "
        f"`npm install --prefix .tools-{version} {PACKAGE}@{version}` "
        f"or set {BIN_ENV}"
    )


def parse_version(text: str) -> tuple[int, ...]:
    """``"2.1.197 (Claude Code)"`` -> ``(2, 1, 197)``; ``()`` when it holds no version."""
    match = re.search(r"\d+(?:\.\d+)*", text)
    return tuple(int(part) for part in match.group().split(".")) if match else ()


def claude_at_least(version: str, minimum: str) -> bool:
    """Whether ``version`` is ``minimum`` or newer (an unreadable version is not)."""
    have = parse_version(version)
    return bool(have) and have >= parse_version(minimum)


def _package_version(folder: Path) -> str | None:
    try:
        meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(meta, dict) and meta.get("name") == PACKAGE:
        return str(meta.get("version"))
    return None


@functools.cache
def binary_version(binary: str) -> str | None:
    """The version of the Claude Code at ``binary``: its npm package, else ``--version``."""
    path = shutil.which(binary) or binary
    if not Path(path).exists():
        return None
    for folder in Path(os.path.realpath(path)).parents:
        version = _package_version(folder)
        if version is not None:
            return version
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = parse_version(done.stdout)
    return ".".join(map(str, found)) if done.returncode == 0 and found else None


def installed_claudes() -> dict[str, str]:
    """Version -> binary for every npm install under ``<repo>/.tools*`` (and ``.tools/*``)."""
    found: dict[str, str] = {}
    for prefix in sorted([*REPO.glob(".tools*"), *REPO.glob(".tools/*")]):
        version = _package_version(prefix / "node_modules" / "@anthropic-ai" / "claude-code")
        binary = prefix / "node_modules" / ".bin" / "claude"
        if version is not None and binary.exists():
            found.setdefault(version, str(binary))
    return found


def find_claude(version: str = OLDEST) -> str | None:
    """The binary for ``version``: $AGENTGUARD_CLAUDE_BIN, then <repo>/.tools*, then PATH."""
    override = os.environ.get(BIN_ENV)
    if override:
        return override
    local = installed_claudes().get(version)
    if local is not None:
        return local
    on_path = shutil.which("claude")
    if on_path is not None and binary_version(on_path) == version:
        return on_path
    return None


def claude_versions() -> list[str]:
    """The versions the e2e tests run against: :data:`VERSIONS`, or the override's own."""
    override = os.environ.get(BIN_ENV)
    if override:
        return [binary_version(override) or BIN_ENV]
    return list(VERSIONS)


def require_claude(version: str = OLDEST) -> str:
    """The binary for ``version``, or skip the test (fail under CI, which must never skip)."""
    binary = find_claude(version)
    if binary is not None and (Path(binary).exists() or shutil.which(binary)):
        return binary
    hint = install_hint(version)
    if binary is not None:
        hint = f"{BIN_ENV}={binary} does not exist; unset it or fix the path. {hint}"
    if os.environ.get("CI"):
        pytest.fail(f"{hint} (CI is set, so e2e tests may not skip)")
    pytest.skip(hint)


def require_tmux() -> str:
    """The tmux binary, or skip the test (fail under CI, whose .ci/run installs it)."""
    found = shutil.which("tmux")
    if found is not None:
        return found
    hint = "tmux not found: install it (apt-get install -y tmux) to drive the interactive client"
    if os.environ.get("CI"):
        pytest.fail(f"{hint} (CI is set, so e2e tests may not skip)")
    pytest.skip(hint)


class Terminal:
    """The interactive client running in a tmux pane: read the screen, press keys."""

    def __init__(self, tmux: str, server: str, api: FakeAnthropic) -> None:
        self.tmux = tmux
        self.server = server
        self.api = api

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.server, *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        """What the terminal shows now, lines joined where tmux wrapped them."""
        return self._tmux("capture-pane", "-p", "-J", "-t", "claude")

    def wait_for(self, *texts: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The screen once it shows every one of ``texts``; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            if "[claude exited" in shown:
                break
            time.sleep(0.3)
        raise AssertionError(
            f"the terminal did not show {texts!r} within {timeout:.0f}s\n"
            f"requests so far: {len(self.api.requests)}\nscreen:\n{shown}"
        )

    def press(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``Escape``, ``Down``) or literal text."""
        self._tmux("send-keys", "-t", "claude", *keys)

    def close(self) -> None:
        """End the client and its tmux server."""
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            self._tmux("kill-server")


def hook_group(command: str, *, matcher: str = "*", timeout: int = 30) -> dict[str, Any]:
    """One matcher group with one shell-form command hook, for ``settings['hooks'][event]``."""
    return {
        "matcher": matcher,
        "hooks": [{"type": "command", "command": command, "timeout": timeout}],
    }


class ClaudeResult:
    """What one ``claude -p`` run produced, and what the fake model was told."""

    def __init__(
        self,
        *,
        argv: list[str],
        returncode: int,
        stdout: str,
        stderr: str,
        elapsed: float,
        api: FakeAnthropic,
        debug_log: str | None,
    ) -> None:
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed
        self.api = api
        self.debug_log = debug_log
        self.events: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.output: dict[str, Any] = {}
        self._parse()

    def _parse(self) -> None:
        text = self.stdout.strip()
        if not text:
            return
        try:
            whole = json.loads(text)
        except ValueError:
            whole = None
        if isinstance(whole, dict):
            self.output = whole
            self.results = [whole]
            return
        # stream-json: one event per line; each turn ends with a "result" (2.1.332 can
        # run several turns in -p, for instance when a background subagent finishes).
        for raw in text.splitlines():
            line = raw.strip()
            if not line.startswith("{"):
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                self.events.append(event)
                if event.get("type") == "result":
                    self.results.append(event)
                    self.output = event

    def describe(self) -> str:
        """Everything useful for an assertion message."""
        return (
            f"argv: {self.argv}\nexit: {self.returncode} in {self.elapsed:.1f}s\n"
            f"output: {json.dumps(self.output, indent=1)[:4000]}\n"
            f"tool results: {self.tool_results}\n"
            f"stderr: {self.stderr[-3000:]}\nstdout tail: {self.stdout[-2000:]}"
        )

    @property
    def result(self) -> str:
        """The final ``result`` text (of the last turn)."""
        return str(self.output.get("result", ""))

    @property
    def is_error(self) -> bool:
        """Whether any turn's result has ``is_error``."""
        return any(bool(r.get("is_error", False)) for r in self.results)

    @property
    def permission_denials(self) -> list[dict[str, Any]]:
        """``{tool_name, tool_use_id, tool_input}`` per refused call, of every turn, once each."""
        seen: dict[str, dict[str, Any]] = {}
        for result in self.results:
            for denial in result.get("permission_denials") or []:
                if isinstance(denial, dict):
                    key = denial.get("tool_use_id")
                    seen.setdefault(str(key) if key else f"#{len(seen)}", denial)
        return list(seen.values())

    @property
    def terminal_reason(self) -> str | None:
        """Why the loop ended (``completed``, ``hook_stopped``, ``tool_deferred``...)."""
        value = self.output.get("terminal_reason")
        return None if value is None else str(value)

    @property
    def num_turns(self) -> int:
        """The result JSON's ``num_turns``."""
        return int(self.output.get("num_turns") or 0)

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every ``/v1/messages`` body the binary sent."""
        return self.api.snapshot()

    @property
    def tool_results(self) -> list[ToolResult]:
        """Every ``tool_result`` the model received, once each, in order."""
        return self.api.tool_results()

    def results_for(self, tool_name: str) -> list[ToolResult]:
        """The ``tool_result`` blocks answering calls to ``tool_name``."""
        return [r for r in self.tool_results if r.name == tool_name]

    @property
    def extra_texts(self) -> list[str]:
        """Extra user text blocks (system-reminders, Stop hook feedback) the model received."""
        return self.api.extra_texts()

    @property
    def hook_texts(self) -> list[str]:
        """Every text that can carry hook context or feedback, wherever this version put it.

        Extra user blocks, mid-list ``role:"system"`` messages and ``<system-reminder>``
        blocks appended inside tool results (section 13 of claude-code-hooks.md), once each.
        Search it by containment.
        """
        return self.api.hook_texts()

    @property
    def stop_feedback(self) -> list[str]:
        """The reason of each Stop/SubagentStop block, as the model was told it, in order."""
        return self.api.stop_feedback()

    def hook_events(self, subtype: str | None = None) -> list[dict[str, Any]]:
        """stream-json ``system/hook_*`` events (``hook_started``, ``hook_response``)."""
        return [
            e
            for e in self.events
            if e.get("type") == "system"
            and str(e.get("subtype", "")).startswith("hook_")
            and (subtype is None or e.get("subtype") == subtype)
        ]


class ClaudeProject:
    """A throwaway project and HOME in which the real binary runs against a fake API."""

    def __init__(self, root: Path, home: Path, binary: str, version: str | None = None) -> None:
        self.root = root.resolve()
        self.home = home.resolve()
        self.binary = binary
        self.version = version or binary_version(binary) or "unknown"
        self.root.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        self.trusted: list[Path] = []
        self.trust(self.root)

    def at_least(self, minimum: str) -> bool:
        """Whether the binary is Claude Code ``minimum`` or newer."""
        return claude_at_least(self.version, minimum)

    def path(self, relative: str) -> Path:
        """The absolute path of ``relative`` inside the project."""
        return self.root / relative

    def write(self, relative: str, content: str) -> Path:
        """Create ``relative`` (and its folders) with ``content``."""
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        return target

    def read(self, relative: str) -> str:
        """The text of ``relative``."""
        return self.path(relative).read_text(encoding="utf-8")

    def git(self, *args: str) -> str:
        """Run git in the project with a fixed identity; its stdout."""
        done = subprocess.run(
            ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", *args],
            cwd=self.root,
            env={**self._base_env(), "GIT_CONFIG_NOSYSTEM": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed in {self.root}: {done.stderr}")
        return done.stdout

    def init_git(self, *, commit: bool = True, branch: str = "main") -> None:
        """``git init`` the project and, with ``commit``, commit everything in it."""
        self.git("init", "-q", "-b", branch)
        if commit:
            self.commit("initial")

    def commit(self, message: str) -> None:
        """Commit every file in the project."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def trust(self, *folders: Path) -> None:
        """Mark ``folders`` trusted in ``$HOME/.claude.json``, keeping earlier entries (a linked
        worktree needs its main worktree trusted too, or project ``permissions.allow`` is
        ignored)."""
        config_file = self.home / ".claude.json"
        config: dict[str, Any] = {}
        if config_file.exists():
            config = json.loads(config_file.read_text(encoding="utf-8"))
        config["hasCompletedOnboarding"] = True
        projects = config.setdefault("projects", {})
        for folder in folders:
            resolved = Path(folder).resolve()
            projects.setdefault(str(resolved), {})["hasTrustDialogAccepted"] = True
            if resolved not in self.trusted:
                self.trusted.append(resolved)
        config_file.write_text(json.dumps(config, indent=1), encoding="utf-8")

    def add_worktree(self, folder: Path, branch: str) -> ClaudeProject:
        """A linked worktree of this repository on a new ``branch``, sharing this HOME.

        Claude Code looks trust up under the main worktree's path, so both are trusted.
        """
        self.git("worktree", "add", "-q", "-b", branch, str(folder))
        linked = ClaudeProject(folder, self.home, self.binary, self.version)
        linked.trust(self.root)
        return linked

    def accept_interactive_start(self) -> None:
        """Pre-accept, in ``$HOME/.claude.json``, every dialog an interactive start shows.

        The API key prompt (``customApiKeyResponses`` approves the key by its last 20
        characters), onboarding, the theme, and each trusted project's onboarding.
        """
        config_file = self.home / ".claude.json"
        config = json.loads(config_file.read_text(encoding="utf-8"))
        config.update(
            hasCompletedOnboarding=True,
            theme="dark",
            customApiKeyResponses={"approved": [API_KEY[-20:]], "rejected": []},
        )
        for project in config.setdefault("projects", {}).values():
            project.update(hasTrustDialogAccepted=True, hasCompletedProjectOnboarding=True)
        config_file.write_text(json.dumps(config, indent=1), encoding="utf-8")

    @contextlib.contextmanager
    def interactive(
        self,
        prompt: str,
        script: Script,
        *,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        permission_mode: str = "default",
    ) -> Iterator[Terminal]:
        """The interactive client, started with ``prompt``, in a tmux pane (see module doc).

        The fake model plays ``script``; ``permission_mode`` is passed explicitly, since
        2.1.332 starts in ``auto`` mode otherwise. The client and its tmux server end when
        the block does.
        """
        tmux = require_tmux()
        self.accept_interactive_start()
        argv = [self.binary, "--permission-mode", permission_mode]
        if not any(arg == "--model" or arg.startswith("--model=") for arg in args):
            argv += ["--model", MODEL]
        argv += [*args, prompt]
        server = f"agentguard-e2e-{os.getpid()}-{next(_TMUX_SERVERS)}"
        with FakeAnthropic(script) as api:
            variables = {**self.env(api, env), "TERM": "xterm-256color"}
            # The pane stays after the client exits, so a crash is on the screen.
            command = (
                "env -i "
                + " ".join(shlex.quote(f"{k}={v}") for k, v in variables.items())
                + " "
                + " ".join(shlex.quote(part) for part in argv)
                + '; echo "[claude exited $?]"; sleep 3600'
            )
            terminal = Terminal(tmux, server, api)
            terminal._tmux(
                "new-session", "-d", "-s", "claude", "-x", str(COLUMNS), "-y", str(ROWS),
                "-c", str(self.root), command,
            )  # fmt: skip
            try:
                yield terminal
            finally:
                terminal.close()
        if api.errors:
            raise AssertionError("the fake API script raised:\n" + "\n".join(api.errors))

    def configure(
        self,
        hooks: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
        *,
        allow: Sequence[str] = DEFAULT_ALLOW,
        extra: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write ``.claude/settings.json`` with ``hooks`` (event -> groups) and ``allow`` rules."""
        settings: dict[str, Any] = {"permissions": {"allow": list(allow)}}
        if hooks:
            settings["hooks"] = {event: list(groups) for event, groups in hooks.items()}
        if extra:
            settings.update(extra)
        return self.write(".claude/settings.json", json.dumps(settings, indent=2) + "\n")

    def _base_env(self) -> dict[str, str]:
        env = {key: os.environ[key] for key in _INHERITED if key in os.environ}
        env.setdefault("PATH", os.defpath)
        env.setdefault("LANG", "C.UTF-8")
        env["HOME"] = str(self.home)
        return env

    def env(self, api: FakeAnthropic, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a run: offline settings of section 12 plus ``extra``."""
        env = self._base_env()
        env.update(
            ANTHROPIC_API_KEY=API_KEY,
            ANTHROPIC_BASE_URL=api.url,
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
            DISABLE_TELEMETRY="1",
            DISABLE_AUTOUPDATER="1",
            DISABLE_ERROR_REPORTING="1",
            PYTHONPATH=str(REPO),
            PYTHONDONTWRITEBYTECODE="1",
        )
        if extra:
            env.update(extra)
        return env

    def run(
        self,
        prompt: str,
        script: Script,
        *,
        env: Mapping[str, str] | None = None,
        stream: bool = True,
        debug: bool = False,
        args: Sequence[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
        launcher: Sequence[str] = (),
    ) -> ClaudeResult:
        """Run ``claude -p prompt`` from the project root with the fake model playing ``script``.

        Output is always ``stream-json --verbose`` (every turn's result); ``stream`` adds
        ``--include-hook-events`` (hook events land in :meth:`ClaudeResult.hook_events`).
        The model is :data:`MODEL` unless ``args`` names one; ``debug`` keeps a
        ``--debug-file``. ``launcher`` is put before the binary (a wrapper that execs it, such
        as ``unshare``).
        """
        debug_file = self.home / f"debug-{time.monotonic_ns()}.log" if debug else None
        argv = [self.binary, "-p", prompt, "--output-format", "stream-json", "--verbose"]
        if stream:
            argv.append("--include-hook-events")
        if not any(arg == "--model" or arg.startswith("--model=") for arg in args):
            argv += ["--model", MODEL]
        if debug_file is not None:
            argv += ["--debug-file", str(debug_file)]
        argv += list(args)
        with FakeAnthropic(script) as api:
            started = time.monotonic()
            process = subprocess.Popen(
                [*launcher, *argv],
                cwd=self.root,
                env=self.env(api, env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                # Its own process group, so a timeout also kills the hooks it spawned.
                start_new_session=True,
            )
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                stdout, stderr = process.communicate()
                raise AssertionError(
                    f"claude did not finish within {timeout:.0f}s in {self.root}\n"
                    f"requests so far: {len(api.requests)}\nstderr: {stderr[-3000:]}\n"
                    f"stdout: {stdout[-3000:]}"
                ) from None
            elapsed = time.monotonic() - started
        result = ClaudeResult(
            argv=argv,
            returncode=process.returncode,
            stdout=stdout,
            stderr=stderr,
            elapsed=elapsed,
            api=api,
            debug_log=(
                debug_file.read_text(encoding="utf-8", errors="replace")
                if debug_file is not None and debug_file.exists()
                else None
            ),
        )
        if api.errors:
            raise AssertionError(
                "the fake API script raised:\n" + "\n".join(api.errors) + "\n" + result.describe()
            )
        if not result.output:
            raise AssertionError("claude produced no result JSON\n" + result.describe())
        return result
