"""Recurring approvals become reviewed policy: ``logs suggest``, ``approve`` and ``approved:``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from agentguard.commands import approve, logs
from agentguard.errors import PolicyError, WriteError
from agentguard.hook import run as hook
from agentguard.observe import suggest
from agentguard.policy.compiler import build
from agentguard.state import log

POLICY = """\
version: 1
# The team's policy: comments like this one must survive `agentguard approve`.
defaults: {on_error: deny, unknown_command: allow}
agents:
  dev:
    worktree: .
    owns: ["**"]
    checks: []
commands:
  - id: network
    builtin: network
    decision: ask
    justification: Network access needs a human.
  - id: history-rewrite
    builtin: git-destructive
    decision: ask
    justification: A human decides.
tests:
  - {name: curl asks, agent: dev, tool: Bash, command: "curl https://example.com", expect: ask}
"""
HEALTH = "https://api.example.com/health"


def _ask(n: int, command: str, rule: str, session: str = "s1") -> list[dict[str, Any]]:
    """An ask as the hook logs it, and the post event a human's approval leaves."""
    ts = f"2026-12-01T10:{n:02d}:00.000Z"
    base = {"session": session, "agent": "dev", "tool": "Bash", "tool_use_id": f"toolu_{n}"}
    return [
        {
            **base,
            "ts": ts,
            "event": "PreToolUse",
            "input": {"command": command},
            "output": "ask",
            "decision": "ask",
            "rules": [rule],
            "matches": [{"rule": rule, "decision": "ask", "justification": "j", "what": command}],
        },
        {**base, "ts": ts, "event": "PostToolUse", "answer": "approved", "decided_by": "human"},
    ]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the policy and a log: curl approved three times in two sessions,
    a force push approved three times, wget twice, one curl ask nobody approved."""
    (tmp_path / "agentguard.yaml").write_text(POLICY)
    records = [
        *_ask(1, f"curl -s {HEALTH}", "network"),
        *_ask(2, f"curl {HEALTH} -o /dev/null", "network"),
        *_ask(3, f"curl --fail {HEALTH}", "network", session="s2"),
        *_ask(4, "git push --force origin feature", "history-rewrite"),
        *_ask(5, "git push --force origin feature", "history-rewrite"),
        *_ask(6, "git push --force origin feature", "history-rewrite"),
        *_ask(7, "wget https://example.org/a", "network"),
        *_ask(8, "wget https://example.org/b", "network"),
        _ask(9, "curl https://evil.example.com", "network")[0],  # asked, never approved
    ]
    home = tmp_path / "state"
    for record in records:
        log.append(str(home), record)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    monkeypatch.setenv("AGENTGUARD_HOME", str(home))
    return tmp_path


def _hook(project: Path, command: str) -> dict[str, Any]:
    """One real PreToolUse call against the project's policy; its output (or {})."""
    event = {
        "session_id": "after",
        "cwd": str(project),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "tool_use_id": "toolu_after",
    }
    out = io.StringIO()
    env = {
        "AGENTGUARD_HOME": str(project / "state"),
        "AGENTGUARD_AGENT": "dev",
        "HOME": str(project),
    }
    assert hook.main(["PreToolUse"], stdin=io.StringIO(json.dumps(event)), stdout=out, env=env) == 0
    return json.loads(out.getvalue()) if out.getvalue() else {}


def _decision(output: dict[str, Any]) -> str:
    return str((output.get("hookSpecificOutput") or {}).get("permissionDecision") or "none")


def test_suggest_proposes_the_recurring_approval(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three approvals of curl to one host: the smallest pattern, the evidence, examples."""
    assert logs.main(["suggest", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["approvals"] == 8
    (proposal,) = result["suggestions"]
    assert proposal["commands"] == [f"curl {HEALTH}"]
    assert proposal["lifts"] == ["network"]
    assert proposal["evidence"].startswith(
        "3 human approvals in 2 sessions of dev since 2026-12-01"
    )
    assert f"curl -s {HEALTH}" in proposal["match"]
    notes = "\n".join(result["notes"])
    assert "kept manual: `git push --force origin feature` (history-rewrite" in notes
    assert "2 approvals of `wget https://example.org/a`" in notes
    assert "evil.example.com" not in result["patch"]


def test_the_patch_lints_and_its_tests_pass(project: Path, tmp_path: Path) -> None:
    """The printed patch, merged into the policy, loads and its tests hold."""
    approved, _ = suggest.approved_asks(log.read(str(project / "state")))
    proposals, _ = suggest.propose(approved, build_policy(project))
    suggest.check([str(project / "agentguard.yaml")], proposals)
    assert [p.problem for p in proposals] == [""]
    merged = yaml.safe_load(POLICY)
    extra = yaml.safe_load(suggest.patch(proposals))
    merged["approved"] = extra["approved"]
    merged["tests"] += extra["tests"]
    path = tmp_path / "merged.yaml"
    path.write_text(yaml.safe_dump(merged))
    from agentguard.commands import policytest

    assert policytest.main([str(path)], out=io.StringIO()) == 0


def build_policy(project: Path) -> Any:
    """The project's policy, validated."""
    from agentguard.policy.loader import load_files

    return load_files([str(project / "agentguard.yaml")]).policy


def test_approve_writes_a_reviewed_rule(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``approve`` adds the approval and its test in place; the hook then allows exactly it."""
    assert _decision(_hook(project, f"curl {HEALTH}")) == "ask"
    assert approve.main(["--session", "s1", "--index", "1"]) == 0
    assert "Review the change (git diff)" in capsys.readouterr().out
    text = (project / "agentguard.yaml").read_text()
    assert "# The team's policy: comments like this one must survive" in text
    assert text.index("approved:") > text.index("commands:")
    assert "  - {name: 'approved: curl -s https://api.example.com/health'" in text
    build([str(project / "agentguard.yaml")])  # loads, examples hold
    output = _hook(project, f"curl -s {HEALTH}")
    assert _decision(output) == "allow"
    assert "approved-curl-https-api-example-com-health" in json.dumps(output)
    # The approval is as narrow as the command: other hosts and other classes still ask.
    assert _decision(_hook(project, "curl https://evil.example.com")) == "ask"
    assert _decision(_hook(project, f"curl {HEALTH}/../admin")) in ("ask", "deny")
    forced = _hook(project, f"curl {HEALTH} && git reset --hard HEAD~1")
    assert _decision(forced) == "ask" and "history-rewrite" in json.dumps(forced)


def test_approve_refuses_what_stays_manual(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A force push's ask: refused, the policy file untouched."""
    before = (project / "agentguard.yaml").read_text()
    assert approve.main(["--tool-use-id", "toolu_4"]) == 1
    assert "kept manual" in capsys.readouterr().err
    assert (project / "agentguard.yaml").read_text() == before
    assert approve.main(["--session", "s1", "--index", "99"]) == 2


def _policy_with(tmp_path: Path, approval: str) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(POLICY + "approved:\n" + approval)
    try:
        build([str(path)])
    except PolicyError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.mark.parametrize(
    ("approval", "message"),
    [
        (
            "  - {id: a, justification: j, commands: ['git push'], lifts: [history-rewrite]}\n",
            "which stays manual",
        ),
        ("  - {id: a, justification: j, commands: [curl], lifts: [network]}\n", "too broad"),
        ("  - {id: a, justification: j, commands: ['curl x'], lifts: [nope]}\n", "no command rule"),
        (
            "  - {id: a, justification: j, commands: ['curl https://a.example'], lifts: [network],"
            " match: ['curl https://b.example']}\n",
            "does not let",
        ),
    ],
)
def test_approvals_that_would_widen_are_refused(
    tmp_path: Path, approval: str, message: str
) -> None:
    """Lifting a manual class, a bare program, an unknown rule, a wrong example: errors."""
    problems = _policy_with(tmp_path, approval)
    assert any(message in p for p in problems), problems


def test_insert_keeps_layout() -> None:
    """Entries go at the end of an existing block list, or into a new section at the end."""
    text = "version: 1\ntests:\n  - {name: a, expect: none}\n\n# trailing comment\nloops: {}\n"
    out = suggest.insert_items(text, "tests", [{"name": "b", "expect": "allow"}])
    assert out == (
        "version: 1\ntests:\n  - {name: a, expect: none}\n  - {name: b, expect: allow}\n\n"
        "# trailing comment\nloops: {}\n"
    )
    assert suggest.insert_items("version: 1", "approved", [{"id": "x"}]) == (
        "version: 1\n\napproved:\n  - {id: x}\n"
    )
    with pytest.raises(WriteError, match="flow style"):
        suggest.insert_items("tests: [{name: a}]\n", "tests", [{"name": "b"}])


def test_suggest_from_real_hook_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asks the hook made and a human approved (their PostToolUse took the marker): proposed."""
    from test_loops import Guard

    guard = Guard(tmp_path, policy=POLICY)
    guard.env["CLAUDE_CODE_ENTRYPOINT"] = "cli"  # the interactive client: a human answers
    for flag in ("-s", "--fail", "-sS"):
        guard.ok(f"curl {flag} {HEALTH}")
    guard.ok("git reset --hard HEAD~1")  # approved too, but it stays manual
    records = guard.records()
    assert sum(1 for r in records if r.get("answer") == "approved") == 4
    monkeypatch.chdir(guard.root)
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    assert logs.main(["--home", str(guard.home), "suggest", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [s["commands"] for s in result["suggestions"]] == [[f"curl {HEALTH}"]]
    assert any("kept manual" in note for note in result["notes"])
