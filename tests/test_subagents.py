"""Per-subagent policy: sections by agent_type narrow the parent, never widen it.

The golden corpus (tests/cases/pretooluse/*/subagent-*) pins the hook's answers end to
end; these tests pin the pieces: the model, the compiled form, how an event binds its
subagent, the shell and tool routes, skill shell commands, and ``agentguard test``.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agentguard.commands import policytest
from agentguard.commands.explain import explain
from agentguard.decision import Evaluation
from agentguard.hook import run as hook
from agentguard.policy.compiler import compile_policy
from agentguard.policy.model import Policy

AGENT_ID = "a5839fef199e441de"
OTHER_ID = "b7d1c0ffee0000001"

POLICY = """\
version: 1
defaults: {unowned_write: deny}
agents:
  main:
    owns: ["src/**", "tests/**"]
commands:
  - {id: no-net, builtin: network, decision: deny}
  - {id: inspect, allow: [git status, git log]}
subagents:
  Explore: {read_only: true}
  reviewer:
    owns: ["tests/**", "docs/**"]
    commands:
      - {id: net-ok, builtin: network, decision: allow}
      - {id: no-commit, deny: [git commit]}
    tools:
      - {id: no-agents, tools: [Agent], decision: deny}
      - {id: web-ok, tools: [WebFetch], decision: allow}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding POLICY, the agent ``main`` named by the environment."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "agentguard.yaml").write_text(POLICY, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    return root


def _env(root: Path) -> dict[str, str]:
    return {
        "HOME": str(root.parent / "home"),
        "AGENTGUARD_HOME": str(root.parent / "state"),
        "CLAUDE_PROJECT_DIR": str(root),
        "AGENTGUARD_AGENT": "main",
    }


def _judge(root: Path, tool: str, tool_input: dict[str, Any], **fields: str) -> Evaluation:
    event: dict[str, Any] = {
        "hook_event_name": "PreToolUse",
        "cwd": str(root),
        "tool_name": tool,
        "tool_input": tool_input,
        **fields,
    }
    evaluation, _call = explain(event, _env(root))
    return evaluation


def _write(root: Path, rel: str, **fields: str) -> Evaluation:
    return _judge(root, "Write", {"file_path": str(root / rel), "content": "x"}, **fields)


def _rules(evaluation: Evaluation) -> list[str]:
    return sorted({m.rule for m in evaluation.deciding()})


def test_the_compiled_section_drops_allows() -> None:
    """A subagent section compiles without its allows: they have nothing to add."""
    policy = Policy.model_validate(
        {
            "subagents": {
                "reviewer": {
                    "owns": ["tests/**"],
                    "commands": [
                        {"id": "a", "builtin": "network", "decision": "allow"},
                        {"id": "b", "allow": ["npm test"], "deny": ["git commit"]},
                    ],
                }
            }
        }
    )
    section = compile_policy(policy)["subagents"]["reviewer"]
    assert [(r["id"], r["decision"]) for r in section["commands"]] == [("b", "deny")]
    assert [entry[2] for entry in section["owns"]] == ["tests/**"]
    assert section["read_only"] is False


def test_unset_owns_and_empty_owns_differ() -> None:
    """Unset owns is the parent's lane (None); an empty list owns nothing."""
    policy = Policy.model_validate({"subagents": {"a": {}, "b": {"owns": []}}})
    compiled = compile_policy(policy)["subagents"]
    assert compiled["a"]["owns"] is None
    assert compiled["b"]["owns"] == []


@pytest.mark.parametrize("name", ["Explore", "general-purpose", "plugin:reviewer", "*"])
def test_subagent_type_names(name: str) -> None:
    """Built-in, custom, plugin-qualified types and '*' are valid section names."""
    assert name in Policy.model_validate({"subagents": {name: {}}}).subagents


@pytest.mark.parametrize("name", ["../x", "a b", "", "**"])
def test_bad_subagent_type_names_are_rejected(name: str) -> None:
    """A section name that no agent_type can carry is a schema error."""
    with pytest.raises(ValidationError):
        Policy.model_validate({"subagents": {name: {}}})


def test_subagent_is_a_reserved_rule_id() -> None:
    """A policy rule may not be called 'subagent': the log could not tell it apart."""
    with pytest.raises(ValidationError, match="reserved"):
        Policy.model_validate({"commands": [{"id": "subagent", "deny": ["x"]}]})


def test_a_read_only_type_is_denied_what_its_parent_may_do(project: Path) -> None:
    """The parent writes src/a.ts; an Explore subagent of it is denied the same write."""
    assert _write(project, "src/a.ts").decision == "allow"
    explore = _write(project, "src/a.ts", agent_type="Explore", agent_id=AGENT_ID)
    assert explore.decision == "deny"
    assert _rules(explore) == ["subagent"]
    assert "read-only" in explore.reason() and "'Explore'" in explore.reason()


def test_read_only_shell_runs_only_known_read_only_commands(project: Path) -> None:
    """ls and git log run; git commit, python and an unparseable line are denied."""
    fields = {"agent_type": "Explore", "agent_id": AGENT_ID}
    for command in ("ls src", "git log --oneline"):
        assert _judge(project, "Bash", {"command": command}, **fields).decision != "deny"
    for command in ("git commit -m x", "python tool.py", "echo 'unclosed"):
        evaluation = _judge(project, "Bash", {"command": command}, **fields)
        assert evaluation.decision == "deny", command
        assert "subagent" in _rules(evaluation), command


def test_a_parent_grant_stays_a_grant_for_a_read_only_type(project: Path) -> None:
    """git status is explicitly allowed to the parent and to its read-only subagent."""
    fields = {"agent_type": "Explore", "agent_id": AGENT_ID}
    evaluation = _judge(project, "Bash", {"command": "git status"}, **fields)
    assert evaluation.decision == "allow" and evaluation.explicit


def test_read_only_denies_mcp_tools_that_write(project: Path) -> None:
    """mcp__x__create_issue writes (its verb); mcp__x__get_issue reads and is not denied."""
    fields = {"agent_type": "Explore", "agent_id": AGENT_ID}
    write = _judge(project, "mcp__github__create_issue", {"title": "x"}, **fields)
    assert "subagent" in [m.rule for m in write.matches if m.decision == "deny"]
    read = _judge(project, "mcp__github__get_issue", {"number": 1}, **fields)
    assert "subagent" not in [m.rule for m in read.matches]


def test_owns_intersects_the_parent_lane(project: Path) -> None:
    """tests/ is in both lanes; src/ only the parent's; docs/ only the reviewer's: denied."""
    fields = {"agent_type": "reviewer", "agent_id": AGENT_ID}
    assert _write(project, "tests/t.py", **fields).decision == "allow"
    assert _rules(_write(project, "src/a.ts", **fields)) == ["subagent"]
    docs = _write(project, "docs/a.md", **fields)
    assert docs.decision == "deny" and "unowned-write" in _rules(docs)


def test_a_subagent_allow_never_lifts_a_parent_deny(project: Path) -> None:
    """The reviewer's network allow leaves the parent's network deny deciding."""
    fields = {"agent_type": "reviewer", "agent_id": AGENT_ID}
    evaluation = _judge(project, "Bash", {"command": "curl https://example.com"}, **fields)
    assert evaluation.decision == "deny"
    assert _rules(evaluation) == ["no-net"]


def test_a_parent_allow_pattern_does_not_cover_a_subagent_deny(project: Path) -> None:
    """The reviewer's deny of git commit applies even beside a parent allow of git log."""
    fields = {"agent_type": "reviewer", "agent_id": AGENT_ID}
    evaluation = _judge(project, "Bash", {"command": "git log && git commit -m x"}, **fields)
    assert evaluation.decision == "deny" and "no-commit" in _rules(evaluation)
    assert _judge(project, "Bash", {"command": "git commit -m x"}).decision != "deny"


def test_subagent_tool_classes_deny_and_their_allows_grant_nothing(project: Path) -> None:
    """A deny class applies to the reviewer; its WebFetch allow is not an explicit allow."""
    fields = {"agent_type": "reviewer", "agent_id": AGENT_ID}
    agent = _judge(project, "Agent", {"prompt": "x", "subagent_type": "Explore"}, **fields)
    assert agent.decision == "deny" and _rules(agent) == ["no-agents"]
    web = _judge(project, "WebFetch", {"url": "https://example.com", "prompt": "x"}, **fields)
    parent = _judge(project, "WebFetch", {"url": "https://example.com", "prompt": "x"})
    assert (web.decision, web.explicit) == (parent.decision, parent.explicit)


def test_an_unknown_type_has_its_parents_rules(project: Path) -> None:
    """A type with no section (and no '*') is judged exactly like its parent."""
    fields = {"agent_type": "general-purpose", "agent_id": AGENT_ID}
    assert _write(project, "src/a.ts", **fields).decision == "allow"


def test_agent_type_alone_applies_the_section(project: Path) -> None:
    """``claude --agent Explore`` sends agent_type without agent_id: still read-only."""
    assert _write(project, "src/a.ts", agent_type="Explore").decision == "deny"


def test_the_own_isolation_worktree_has_the_parents_lane(project: Path) -> None:
    """agent-<own id>/src is the parent's src: allowed; agent-<own id>/docs is not owned."""
    own = f".claude/worktrees/agent-{AGENT_ID}"
    fields = {"agent_type": "general-purpose", "agent_id": AGENT_ID}
    assert _write(project, f"{own}/src/a.ts", **fields).decision == "allow"
    assert "unowned-write" in _rules(_write(project, f"{own}/docs/a.md", **fields))
    for protected in (".claude/settings.json", ".git/config", "agentguard.yaml"):
        evaluation = _write(project, f"{own}/{protected}", **fields)
        assert "self-protection" in _rules(evaluation), protected


def test_other_isolation_worktrees_stay_protected(project: Path) -> None:
    """Another id's worktree, the parent itself, and a mismatched id: all self-protected."""
    target = f".claude/worktrees/agent-{AGENT_ID}/src/a.ts"
    other = {"agent_type": "general-purpose", "agent_id": OTHER_ID}
    assert "self-protection" in _rules(_write(project, target, **other))
    assert "self-protection" in _rules(_write(project, target))


@pytest.mark.parametrize("forged", ["x/../..", "..", "a/b", "", "x" * 65, "a\0b"])
def test_a_forged_agent_id_names_no_worktree(project: Path, forged: str) -> None:
    """An agent_id that is a path (or not an id) never unprotects .claude/ or its parent."""
    fields = {"agent_type": "general-purpose", "agent_id": forged}
    assert "self-protection" in _rules(_write(project, ".claude/settings.json", **fields))


def test_a_non_string_agent_type_is_an_input_error(project: Path) -> None:
    """agent_type must be a string: anything else fails closed (on_error), not ignored."""
    with pytest.raises(ValueError, match="agent_type"):
        _write(project, "src/a.ts", agent_type=["Explore"])  # type: ignore[arg-type]


def test_a_subagents_skill_shell_command_gets_its_rules(project: Path) -> None:
    """PreSkillShellCommand from an Explore subagent: its commit is denied as read-only."""
    event = {
        "hook_event_name": "PreSkillShellCommand",
        "cwd": str(project),
        "session_id": "s",
        "tool_name": "Bash",
        "tool_input": {"command": "git commit -qm skill"},
        "agent_id": AGENT_ID,
        "agent_type": "Explore",
    }
    out = io.StringIO()
    hook.main(["PreSkillShellCommand"], io.StringIO(json.dumps(event)), out, _env(project))
    specific = json.loads(out.getvalue())["hookSpecificOutput"]
    assert specific["permissionDecision"] == "deny"
    assert "[agentguard:subagent]" in specific["permissionDecisionReason"]


def test_the_log_records_the_subagent(project: Path) -> None:
    """The decision log line carries agent_id and agent_type."""
    event = {
        "hook_event_name": "PreToolUse",
        "cwd": str(project),
        "session_id": "s",
        "tool_name": "Write",
        "tool_input": {"file_path": str(project / "src/a.ts"), "content": "x"},
        "agent_id": AGENT_ID,
        "agent_type": "Explore",
    }
    out = io.StringIO()
    hook.main(["PreToolUse"], io.StringIO(json.dumps(event)), out, _env(project))
    log = project.parent / "state" / "logs" / "decisions.jsonl"
    record = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert (record["agent_id"], record["agent_type"], record["decision"]) == (
        AGENT_ID,
        "Explore",
        "deny",
    )


def test_policy_tests_can_name_a_subagent(tmp_path: Path) -> None:
    """agentguard test: agent_type, agent_id and isolated build the subagent's event."""
    policy = tmp_path / "agentguard.yaml"
    policy.write_text(
        POLICY
        + """\
tests:
  - {agent: main, agent_type: Explore, tool: Write, path: src/a.ts, expect: deny, rule: subagent}
  - {agent: main, agent_type: reviewer, tool: Write, path: tests/t.py, expect: none}
  - {agent: main, agent_type: general-purpose, isolated: true, tool: Write, path: src/a.ts,
     expect: none}
  - {agent: main, agent_type: general-purpose, agent_id: abc, isolated: true, tool: Write,
     path: docs/a.md, expect: deny, rule: unowned-write}
""",
        encoding="utf-8",
    )
    out = io.StringIO()
    code = policytest.main([str(policy)], out=out)
    assert code == 0, out.getvalue()
    assert out.getvalue().splitlines()[-1] == "4 passed, 0 failed"
    assert "main > Explore Write src/a.ts" in out.getvalue()


def test_build_event_puts_an_isolated_test_in_its_worktree() -> None:
    """An isolated test's cwd and relative path lie in .claude/worktrees/agent-<id>/."""
    test = policytest.PolicyTest(
        agent_type="Plan", agent_id="abc", isolated=True, tool="Write", path="x", expect="deny"
    )
    event = policytest.build_event(test, "/w")
    assert event["cwd"] == "/w/.claude/worktrees/agent-abc"
    assert event["tool_input"]["file_path"] == "/w/.claude/worktrees/agent-abc/x"
    assert (event["agent_type"], event["agent_id"]) == ("Plan", "abc")
