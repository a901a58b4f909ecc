"""The hook entry point in-process: failures become on_error, the cache, the log, the crash file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest
from world import World

from agentguard.engine import evaluate as gate
from agentguard.hook import run as hook
from agentguard.policy import compiled

GOOD = "version: 1\nweb:\n  search: deny\n"


def _event(cwd: str, tool: str = "WebSearch", tool_input: Any = None, **extra: Any) -> str:
    event = {
        "session_id": "s-1",
        "cwd": cwd,
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": {"query": "x"} if tool_input is None else tool_input,
        **extra,
    }
    return json.dumps(event)


class Env:
    """A hook environment rooted in ``tmp_path``: a policy file, a state folder, a HOME."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.state = tmp_path / "state"
        self.policy = tmp_path / "policy.yaml"
        self.policy.write_text(GOOD, "utf-8")
        self.cwd = tmp_path / "project"
        self.cwd.mkdir()
        self.env = {
            "AGENTGUARD_HOME": str(self.state),
            "AGENTGUARD_POLICY": str(self.policy),
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.cwd),
        }

    def run(self, stdin: str | IO[str], *argv: str, **env: str) -> tuple[int, Any]:
        """Call ``hook.main``; return the exit code and the parsed output (None when empty)."""
        stream = io.StringIO(stdin) if isinstance(stdin, str) else stdin
        out = io.StringIO()
        code = hook.main(list(argv or ["PreToolUse"]), stream, out, {**self.env, **env})
        text = out.getvalue()
        return code, (json.loads(text) if text else None)

    def log(self) -> list[dict[str, Any]]:
        """Every log record so far."""
        path = self.state / "logs" / "decisions.jsonl"
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]

    def caches(self) -> list[Path]:
        """The compiled-policy cache files."""
        return sorted((self.state / "cache").glob("policy-*.json"))


@pytest.fixture
def env(tmp_path: Path) -> Env:
    """A fresh hook environment."""
    return Env(tmp_path)


def _decision(output: Any) -> tuple[str, str]:
    specific = output["hookSpecificOutput"]
    assert specific["hookEventName"] == "PreToolUse"
    return specific["permissionDecision"], specific.get("permissionDecisionReason", "")


def test_a_decision_is_printed_and_logged(env: Env) -> None:
    """A policy decision reaches stdout in Claude Code's shape and one log line."""
    code, output = env.run(_event(str(env.cwd)))
    assert code == 0
    decision, reason = _decision(output)
    assert decision == "deny"
    assert reason.startswith("[agentguard:web]")
    (record,) = env.log()
    assert record["decision"] == "deny"
    assert record["rules"] == ["web"]
    assert record["tool"] == "WebSearch"
    assert record["session"] == "s-1"
    assert record["output"] == "deny"
    assert len(record["policy"]) == 32


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        ("", "stdin is empty"),
        ("  \n\t", "stdin is empty"),
        ("{not json", "stdin is not valid JSON"),
        ("[1, 2]", "stdin holds a JSON list"),
        ('"PreToolUse"', "stdin holds a JSON str"),
        ("null", "stdin holds a JSON NoneType"),
        (
            json.dumps({"hook_event_name": "Stop", "tool_name": "Write"}),
            "hook_event_name is 'Stop'",
        ),
    ],
    ids=["empty", "blank", "invalid-json", "array", "string", "null", "wrong-event-name"],
)
def test_bad_stdin_is_on_error(env: Env, stdin: str, fragment: str) -> None:
    """Unusable stdin becomes the on_error decision (deny by default) with a one-line reason."""
    code, output = env.run(stdin)
    assert code == 0
    decision, reason = _decision(output)
    assert decision == "deny"
    assert reason.startswith("[agentguard:on-error]")
    assert fragment in reason
    assert "\n" not in reason
    (record,) = env.log()
    assert fragment in record["error"]
    assert record["rules"] == ["on-error"]


def test_undecodable_stdin_is_on_error(env: Env) -> None:
    """Bytes that are not UTF-8 are on_error, not a crash."""
    stream = io.TextIOWrapper(io.BytesIO(b'{"cwd": "\xff\xfe"}'), encoding="utf-8")
    code, output = env.run(stream)
    assert code == 0
    assert _decision(output)[0] == "deny"


@pytest.mark.parametrize("argv", [["PostToolUseOops"], ["stop-hook"], []])
def test_unknown_event_argument_exits_2(
    env: Env, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A hook registered under an event name we do not know: exit 2 with a how-to-fix line."""
    out = io.StringIO()
    code = hook.main(argv, io.StringIO(_event(str(env.cwd))), out, env.env)
    assert code == 2
    assert out.getvalue() == ""
    err = capsys.readouterr().err
    assert "unknown event" in err
    assert "PreToolUse" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("spelling", ["PreToolUse", "pre-tool-use", "pre_tool_use", "pretooluse"])
def test_event_spellings(env: Env, spelling: str) -> None:
    """The event argument accepts the hook name and its kebab and snake spellings."""
    code, output = env.run(_event(str(env.cwd)), spelling)
    assert (code, _decision(output)[0]) == (0, "deny")


def test_broken_policy_is_on_error_and_the_error_is_cached(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A policy that does not load is on_error; its error is cached so it is built once."""
    env.policy.write_text("version: 1\nagents: [\n", "utf-8")
    builds: list[list[str]] = []
    real = compiled._build

    def counting(files: list[str]) -> dict[str, Any]:
        builds.append(files)
        return real(files)

    monkeypatch.setattr(compiled, "_build", counting)
    first = env.run(_event(str(env.cwd)))
    second = env.run(_event(str(env.cwd)))
    assert first == second
    decision, reason = _decision(first[1])
    assert decision == "deny"
    assert "policy does not load" in reason
    assert f"{env.policy}:" in reason
    assert len(builds) == 1
    (cache,) = env.caches()
    assert "error" in json.loads(cache.read_text("utf-8"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ask", "ask"), ("deny", "deny"), ("allow", None), ("maybe", "deny"), ("", "deny")],
)
def test_on_error_env_when_no_policy_loaded(env: Env, value: str, expected: str | None) -> None:
    """Before a policy loads, AGENTGUARD_ON_ERROR decides; allow prints nothing; junk is deny."""
    code, output = env.run("{broken", AGENTGUARD_ON_ERROR=value)
    assert code == 0
    if expected is None:
        assert output is None
    else:
        assert _decision(output)[0] == expected
    (record,) = env.log()
    assert record["decision"] == ("allow" if expected is None else expected)


def test_policy_on_error_wins_over_env(env: Env) -> None:
    """Once the policy has loaded, its on_error decides, not AGENTGUARD_ON_ERROR."""
    env.policy.write_text("version: 1\ndefaults:\n  on_error: ask\n", "utf-8")
    code, output = env.run(_event(str(env.cwd), "Write", "nope"), AGENTGUARD_ON_ERROR="deny")
    assert (code, _decision(output)[0]) == (0, "ask")


def test_cache_reused_then_rebuilt_on_change(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled cache is keyed by policy content: reused while equal, rebuilt on change."""
    builds: list[list[str]] = []
    real = compiled._build

    def counting(files: list[str]) -> dict[str, Any]:
        builds.append(files)
        return real(files)

    monkeypatch.setattr(compiled, "_build", counting)
    assert _decision(env.run(_event(str(env.cwd)))[1])[0] == "deny"
    (cache,) = env.caches()
    stamp = cache.stat().st_mtime_ns
    assert _decision(env.run(_event(str(env.cwd)))[1])[0] == "deny"
    assert len(builds) == 1
    assert env.caches() == [cache]
    assert cache.stat().st_mtime_ns == stamp
    env.policy.write_text(GOOD.replace("deny", "allow"), "utf-8")
    assert _decision(env.run(_event(str(env.cwd)))[1])[0] == "allow"
    assert len(builds) == 2
    assert len(env.caches()) == 2
    keys = [r["policy"] for r in env.log()]
    assert keys[0] == keys[1] != keys[2]
    assert cache.name == f"policy-{keys[0]}.json"


def test_corrupt_cache_is_rebuilt(env: Env) -> None:
    """A torn or garbage cache file is ignored and rewritten."""
    env.run(_event(str(env.cwd)))
    (cache,) = env.caches()
    cache.write_text("{trunc", "utf-8")
    code, output = env.run(_event(str(env.cwd)))
    assert (code, _decision(output)[0]) == (0, "deny")
    assert json.loads(cache.read_text("utf-8"))["defaults"]


def test_crash_is_on_error_with_a_crash_file(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception: on_error, one-line reason, a crash file, no traceback anywhere."""

    def boom(event: Any, call: Any) -> Any:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(gate, "evaluate", boom)
    code, output = env.run(_event(str(env.cwd)))
    assert code == 0
    decision, reason = _decision(output)
    assert decision == "deny"
    assert "internal error RuntimeError: boom" in reason
    assert "second line" not in reason
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    (crash,) = (env.state / "crash").glob("*.log")
    text = crash.read_text("utf-8")
    assert "Traceback" in text
    assert "RuntimeError: boom" in text
    (record,) = env.log()
    assert record["crash"] == str(crash)


def test_unwritable_state_still_decides(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    """A state folder that cannot be written costs the log line, never the decision."""
    blocker = env.tmp / "not-a-dir"
    blocker.write_text("x")
    code, output = env.run(_event(str(env.cwd)), AGENTGUARD_HOME=str(blocker / "state"))
    assert (code, _decision(output)[0]) == (0, "deny")
    err = capsys.readouterr().err
    assert "could not write the decision log" in err


def test_successful_read_is_recorded_silently(env: Env) -> None:
    """A PostToolUse of a plain Read is logged and gets no output (nothing to object to)."""
    event = json.dumps({"hook_event_name": "PostToolUse", "cwd": str(env.cwd), "tool_name": "Read"})
    assert env.run(event, "PostToolUse") == (0, None)
    (record,) = env.log()
    assert (record["event"], record["output"]) == ("PostToolUse", "none")


def test_log_record_redacts_and_omits_contents(world: World, tmp_path: Path) -> None:
    """The log line summarises the input: the path, the content's length, never the content."""
    state = tmp_path / "state"
    secret = "CF_API_TOKEN=abc123"
    event = _event(
        str(world.search),
        "Write",
        {"file_path": str(world.search / ".env"), "content": secret},
    )
    envmap = {"AGENTGUARD_HOME": str(state), "HOME": str(world.home)}
    out = io.StringIO()
    assert hook.main(["PreToolUse"], io.StringIO(event), out, envmap) == 0
    (line,) = (state / "logs" / "decisions.jsonl").read_text("utf-8").splitlines()
    assert secret not in line
    record = json.loads(line)
    assert record["input"] == {
        "file_path": str(world.search / ".env"),
        "content_chars": len(secret),
    }
    assert (record["agent"], record["identity"]) == ("search", "branch")
    assert record["decision"] == "ask"
    assert set(record["rules"]) == {"secrets", "unowned-write"}
    for key in ("ts", "version", "latency_ms", "reason", "matches", "cwd"):
        assert key in record


def test_log_never_holds_the_messaging_token(env: Env) -> None:
    """CLAUDE_CODE_MESSAGING_TOKEN's value, pasted into a command, is redacted in the log."""
    token = "cc-msg-7f3a9b1c2d4e5f60718293a4b5c6d7e8"
    command = f"curl --unix-socket /tmp/s -H 'X-Claude: {token}' http://claude/send"
    event = _event(str(env.cwd), "Bash", {"command": command, "description": "send"})
    code, _ = env.run(event, CLAUDE_CODE_MESSAGING_TOKEN=token)
    assert code == 0
    text = (env.state / "logs" / "decisions.jsonl").read_text("utf-8")
    assert token not in text
    (record,) = env.log()
    assert record["input"]["command"] == command.replace(token, "[REDACTED]")


HEAVY = ("pydantic", "yaml", "jsonschema", "structlog", "pathspec", "typing", "dataclasses")
PROBE = """
import io, json, sys
from agentguard.hook import run as hook
out = io.StringIO()
hook.main(["PreToolUse"], io.StringIO(sys.argv[1]), out)
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print(json.dumps({"heavy": heavy, "out": out.getvalue()}))
"""


def test_warm_hook_imports_nothing_heavy(env: Env) -> None:
    """On a warm cache the hook imports none of the cold-path libraries (nor typing)."""
    envmap = {**os.environ, **env.env}
    envmap.pop("AGENTGUARD_AGENT", None)
    argv = [
        sys.executable,
        "-c",
        PROBE,
        _event(str(env.cwd), "Read", {"file_path": "a"}),
        ",".join(HEAVY),
    ]
    subprocess.run(argv, env=envmap, check=True, capture_output=True)  # warms the cache
    done = subprocess.run(argv, env=envmap, check=True, capture_output=True, text=True)
    assert json.loads(done.stdout) == {"heavy": [], "out": ""}


def test_a_failing_error_path_still_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """When even on_error handling raises, PreToolUse still prints one valid deny, exit 0."""
    from agentguard.hook import run as hook
    from agentguard.hook import session

    def boom(*_: object) -> None:
        raise RuntimeError("broken error path")

    monkeypatch.setattr(session, "read_event", boom)
    monkeypatch.setattr(hook, "error_outcome", boom)
    out = io.StringIO()
    code = hook.main(["PreToolUse"], io.StringIO("{}"), out, {"AGENTGUARD_HOME": "/nonexistent"})
    assert code == 0
    decision = json.loads(out.getvalue())["hookSpecificOutput"]
    assert decision["hookEventName"] == "PreToolUse"
    assert decision["permissionDecision"] == "deny"
    assert decision["permissionDecisionReason"].startswith("[agentguard:on-error]")


def test_a_failing_log_after_the_answer_adds_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An answer already printed stays the only JSON object even if logging then blows up."""
    from agentguard.hook import run as hook

    def boom(*_: object) -> None:
        raise RuntimeError("log exploded")

    monkeypatch.setattr(hook, "write_log", boom)
    out = io.StringIO()
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "s",
        "cwd": str(tmp_path),
        "tool_name": "Read",
        "tool_input": {"file_path": ".env"},
    }
    env = {"AGENTGUARD_HOME": str(tmp_path / "home")}
    assert hook.main(["PreToolUse"], io.StringIO(json.dumps(event)), out, env) == 0
    assert json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"] == "ask"


def test_deleted_working_folder_and_no_cwd_still_answers(tmp_path: Path) -> None:
    """An event without cwd, run from a folder deleted under the hook: a valid answer, exit 0."""
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import io, os, sys\n"
        f"os.chdir({str(gone)!r}); os.rmdir({str(gone)!r})\n"
        "from agentguard.hook.run import main\n"
        'event = \'{"hook_event_name": "PreToolUse", "session_id": "s",'
        ' "tool_name": "Read", "tool_input": {"file_path": "x"}}\'\n'
        "sys.exit(main(['PreToolUse'], io.StringIO(event)))\n"
    )
    env = dict(os.environ, AGENTGUARD_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if proc.stdout:
        assert json.loads(proc.stdout)["hookSpecificOutput"]["hookEventName"] == "PreToolUse"
