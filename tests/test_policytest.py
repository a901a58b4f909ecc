"""``agentguard test``: a policy's own tests, evaluated by the hook's real code."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from agentguard.commands import policytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "policies" / "examples" / "astro-blog-discovery.yaml"

POLICY = """\
version: 1
agents:
  metadata:
    branch: agent/metadata
    worktree: ../wt-metadata
    owns: [src/content/**]
    checks: [build]
  search:
    branch: agent/search
    worktree: ../wt-search
    owns: [src/pages/**]
    cannot_touch: [src/content/config.ts]
    checks: [build]
paths:
  - {id: lockfiles, match: [package-lock.json], write: ask}
mcp:
  - {id: mcp-read, tools: ["mcp__*__get_*"], decision: allow}
checks:
  build: {run: npm run build}
tests:
"""


def run(path: Path, *args: str) -> tuple[int, str]:
    """``agentguard test PATH``: exit status and output."""
    out = io.StringIO()
    code = policytest.main([*args, str(path)], out=out)
    return code, out.getvalue()


def test_shipped_example_passes() -> None:
    """Every test of the article's example policy passes."""
    code, output = run(EXAMPLE)
    assert output.splitlines()[-1] == "28 passed, 0 failed", output
    assert code == 0


@pytest.mark.parametrize(
    ("test", "line"),
    [
        (
            "{agent: search, tool: Write, path: src/pages/a.astro, expect: none}",
            "PASS search Write src/pages/a.astro: none",
        ),
        (
            "{agent: search, tool: Edit, path: src/content/config.ts, expect: deny,"
            " rule: cannot-touch}",
            "PASS search Edit src/content/config.ts: deny [cannot-touch, ownership]",
        ),
        (
            "{agent: metadata, tool: Write, path: src/pages/a.astro, expect: deny,"
            " rule: ownership}",
            "PASS metadata Write src/pages/a.astro: deny [ownership]",
        ),
        (
            "{agent: metadata, tool: Write, path: package-lock.json, expect: ask, rule: lockfiles}",
            "PASS metadata Write package-lock.json: ask [lockfiles, unowned-write]",
        ),
        (
            "{agent: search, tool: mcp__github__get_issue, expect: allow, rule: mcp-read}",
            "PASS search mcp__github__get_issue: allow [mcp-read]",
        ),
        (
            "{name: absolute path into the other worktree, agent: search, tool: Write,"
            " path: ../wt-metadata/src/content/a.md, expect: deny, rule: outside-worktree}",
            "PASS absolute path into the other worktree: deny [outside-worktree]",
        ),
    ],
)
def test_expectations_that_hold_pass(tmp_path: Path, test: str, line: str) -> None:
    """A test whose expectation matches the real decision passes, showing the deciding rules."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY + f"  - {test}\n")
    code, output = run(policy)
    assert output.splitlines() == [line, "1 passed, 0 failed"]
    assert code == 0


@pytest.mark.parametrize(
    ("test", "message"),
    [
        (
            "{agent: search, tool: Edit, path: src/content/config.ts, expect: allow}",
            "expected allow, got deny [cannot-touch, ownership]",
        ),
        (
            "{agent: metadata, tool: Write, path: src/content/a.md, expect: deny}",
            "expected deny, got none",
        ),
        (
            "{agent: metadata, tool: Write, path: package-lock.json, expect: ask, rule: secrets}",
            "expected ask by rule secrets, got ask [lockfiles, unowned-write]",
        ),
    ],
)
def test_wrong_expectations_fail(tmp_path: Path, test: str, message: str) -> None:
    """A wrong decision or a wrong deciding rule fails, saying what was expected and got."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY + f"  - {test}\n")
    code, output = run(policy)
    first = output.splitlines()[0]
    assert first.startswith("FAIL ") and message in first, output
    assert f"({policy}:21:5)" in first
    assert output.splitlines()[-1] == "0 passed, 1 failed"
    assert code == 1


def test_identity_is_the_tests_agent_not_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller's own AGENTGUARD_AGENT and checkout do not leak into the synthetic session."""
    monkeypatch.setenv("AGENTGUARD_AGENT", "metadata")
    monkeypatch.setenv("AGENTGUARD_POLICY", "/nonexistent")
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        POLICY + "  - {agent: search, tool: Write, path: src/content/a.md, expect: deny}\n"
    )
    code, output = run(policy)
    assert (code, output.splitlines()[0]) == (
        0,
        "PASS search Write src/content/a.md: deny [ownership]",
    )


def test_whole_event_and_github_format(tmp_path: Path) -> None:
    """A test may give a whole hook event; failures become ::error annotations at the test."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        POLICY
        + "  - agent: search\n"
        + "    event: {tool_name: Write, tool_input: {file_path: src/content/config.ts}}\n"
        + "    expect: none\n"
    )
    code, output = run(policy, "--format", "github")
    assert code == 1
    assert output.splitlines()[0] == "FAIL search event: expected none, got deny" + (
        f" [cannot-touch, ownership] ({policy}:21:5)"
    )
    assert f"::error file={policy},line=21,col=5,title=agentguard test%3A search event::" in output


def test_json_format(tmp_path: Path) -> None:
    """--format json lists each test with its result."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        POLICY + "  - {agent: search, tool: Write, path: src/pages/a.astro, expect: none}\n"
    )
    code, output = run(policy, "--format", "json")
    body = json.loads(output)
    assert (code, body["ok"], body["summary"]) == (0, True, {"passed": 1, "failed": 0})


def test_policy_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken policy exits 2 with the located problem."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nagentz: {}\n")
    code, _ = run(policy)
    assert code == 2
    assert f"{policy}:2:1: agentz: unknown field" in capsys.readouterr().err
