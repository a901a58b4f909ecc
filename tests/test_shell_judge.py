"""Judging analysed lines: token patterns, built-in classes, floors, integration rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from shellcase import HOME

from agentguard.decision import ALLOW, ASK, DENY, Match
from agentguard.shell import Context, analyse, judge, pattern_matches, validate_pattern
from agentguard.shell.judge import Judgement
from agentguard.shell.rules import allow_matches


def _cmd(line: str, cwd: str = "/tmp") -> object:
    analysis = analyse(line, cwd, HOME)
    return analysis.commands[-1]


@pytest.mark.parametrize(
    ("pattern", "line", "expected"),
    [
        ("git status", "git status", True),
        ("git status", "/usr/bin/git status -sb", True),
        ("git status", "git -C .. -c a=b status", True),
        ("git push --force", "git push origin main --force", True),
        ("git push --force", "git push --force=x", True),
        ("git push --force", "git push --force-with-lease", False),
        ("git clean -f", "git clean -fd", True),
        ("git clean -f", "git clean -d", False),
        ("git push|fetch", "git fetch origin", True),
        ("git * main", "git rebase main", True),
        ("git * main", "git rebase other", False),
        ("npm run check", "npm run check", True),
        ("npm run check", "npm run check:fast", False),
        ("npm run", "npm run build", True),
        (
            "ASTRO_TELEMETRY_DISABLED=1 npm run build",
            "ASTRO_TELEMETRY_DISABLED=1 npm run build",
            True,
        ),
        ("ASTRO_TELEMETRY_DISABLED=1 npm run build", "npm run build", False),
        (
            "ASTRO_TELEMETRY_DISABLED=1 npm run build",
            "ASTRO_TELEMETRY_DISABLED=0 npm run build",
            False,
        ),
        ("git", "git anything", True),
        ("git push", "git status push", False),
        ("git branch --show-current", "git branch --show-current", True),
        ("find -delete", "find . -name x -delete", True),
        ("find -delete", "find . -name d", False),
    ],
)
def test_pattern_semantics(pattern: str, line: str, expected: bool) -> None:
    """Token patterns match program by basename, positionals as a prefix, flags anywhere."""
    assert pattern_matches(validate_pattern(pattern), _cmd(line)) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "git status && rm x",
        "git push; rm",
        "echo $(x)",
        "X=1",
        "-f git",
        "git a||b",
        "git 'unclosed",
        "cat > f",
        "echo $HOME",
    ],
)
def test_validator_rejects_bad_patterns(bad: str) -> None:
    """Invalid pattern strings fail at compile time with a message."""
    with pytest.raises(ValueError, match="pattern"):
        validate_pattern(bad)


def test_validator_splits_quoted_tokens() -> None:
    """Quoted tokens stay whole."""
    assert validate_pattern("git commit -m 'a b'") == ["git", "commit", "-m", "a b"]


RULES: list[dict[str, object]] = [
    {
        "id": "inspection",
        "decision": "allow",
        "justification": "free",
        "patterns": [],
        "builtin": "read-only",
    },
    {
        "id": "git-inspection",
        "decision": "allow",
        "justification": "free",
        "patterns": [["git", "status"], ["git", "diff"], ["git", "log"]],
        "builtin": None,
    },
    {
        "id": "local-gate",
        "decision": "allow",
        "justification": "gate",
        "patterns": [["npm", "run", "check"], ["python3", "-c"]],
        "builtin": None,
    },
    {
        "id": "history-rewrite",
        "decision": "ask",
        "justification": "human",
        "patterns": [],
        "builtin": "git-destructive",
    },
    {
        "id": "no-sudo",
        "decision": "deny",
        "justification": "no root",
        "patterns": [["sudo"]],
        "builtin": None,
    },
    {
        "id": "no-timeout-allow",
        "decision": "allow",
        "justification": "wrappers never allow",
        "patterns": [["timeout"]],
        "builtin": None,
    },
]


def _paths(path: str, mode: str) -> Iterable[Match]:
    if "/protected/" in path:
        return [Match("self-protection", DENY, "guard files", f"{mode} {path}")]
    return []


def _judge(line: str, cwd: str = "/tmp", context: Context | None = None) -> Judgement:
    return judge(analyse(line, cwd, HOME), RULES, _paths, context or Context("a", "agent/a"))


def test_builtin_and_pattern_rules_match() -> None:
    """A builtin class and a pattern both yield matches with their decisions."""
    result = _judge("git status && git push --force")
    assert {(m.rule, m.decision) for m in result} == {
        ("git-inspection", ALLOW),
        ("inspection", ALLOW),
        ("history-rewrite", ASK),
    }
    assert result.decision == ASK
    assert result.explicit_allow is False


def test_explicit_allow_only_when_every_command_is_allowed() -> None:
    """``allow`` is explicit only if every simple command matched an allow rule."""
    assert _judge("git status && git log").explicit_allow is True
    assert _judge("git status && frobnicate").explicit_allow is False
    assert _judge("git status && frobnicate").decision == ALLOW


def test_allow_never_comes_from_a_wrapper_but_deny_does() -> None:
    """Allow patterns match the effective command; ask/deny patterns match any layer."""
    wrapped = _judge("timeout 5 frobnicate")
    assert wrapped.explicit_allow is False
    sudo = _judge("sudo git status")
    assert sudo.decision == DENY
    assert any(m.rule == "no-sudo" for m in sudo)


def test_floors_cannot_be_lowered() -> None:
    """guard-tamper and branch-switch deny; opaque asks unless an allow names it."""
    assert _judge("unset AGENTGUARD_AGENT").decision == DENY
    switch = _judge("git checkout other")
    assert switch.decision == DENY
    assert [m.rule for m in switch if m.decision == DENY] == ["identity"]
    assert _judge("node -e 'x'").decision == ASK
    allowed = _judge("python3 -c 'print(1)'")
    assert allowed.decision == ALLOW
    assert allowed.explicit_allow is True


def test_unparseable_asks() -> None:
    """A line with syntax errors is not allowed silently."""
    result = _judge("git status && (")
    assert result.decision == ASK
    assert any(m.rule == "unparseable" for m in result)


def test_unresolved_write_target_asks() -> None:
    """A write whose target comes from an expansion asks."""
    result = _judge('echo x > "$OUT"')
    assert result.decision == ASK
    assert any(m.rule == "unresolved" for m in result)


def test_path_judgement_is_applied_to_targets() -> None:
    """Write/delete/read targets go through judge_path and its matches are included."""
    result = _judge("cat /protected/x; echo > /protected/y; rm /protected/z")
    whats = sorted(m.what for m in result if m.rule == "self-protection")
    assert whats == ["delete /protected/z", "read /protected/x", "write /protected/y"]
    assert result.decision == DENY


@pytest.fixture
def ctx_agent() -> Context:
    """Agent ``a`` on its branch; ``integrator`` owns the integration branch."""
    return Context(
        "a",
        "agent/a",
        "integration/x",
        "integrator",
        {"a": "agent/a", "b": "agent/b", "integrator": "integration/x"},
    )


def test_agent_may_not_merge_another_agents_branch(ctx_agent: Context) -> None:
    """Bringing another agent's branch into your own is denied."""
    result = _judge("git merge agent/b", context=ctx_agent)
    assert [m.rule for m in result if m.decision == DENY] == ["integration"]


def test_agent_may_rebase_on_integration(ctx_agent: Context) -> None:
    """Updating your own branch from the integration branch is fine."""
    result = _judge("git rebase origin/integration/x", context=ctx_agent)
    assert not [m for m in result if m.rule == "integration"]


def test_agent_may_not_move_integration_branch(ctx_agent: Context) -> None:
    """Only the owner moves the integration branch."""
    for line in (
        "git push origin HEAD:integration/x",
        "git push . agent/a:integration/x",
        "git update-ref refs/heads/integration/x HEAD",
        "git push origin main",
        "git fetch origin main:main",
    ):
        result = _judge(line, context=ctx_agent)
        assert any(m.rule == "integration" and m.decision == DENY for m in result), line


def test_owner_merges_into_integration() -> None:
    """The integration owner, on the integration branch, may merge agent branches."""
    owner = Context("integrator", "integration/x", "integration/x", "integrator", {"a": "agent/a"})
    assert not [m for m in _judge("git merge agent/a", context=owner) if m.rule == "integration"]
    assert not [
        m for m in _judge("git push origin integration/x", context=owner) if m.rule == "integration"
    ]


def test_own_push_is_fine(ctx_agent: Context) -> None:
    """Pushing your own branch moves nothing else."""
    for line in ("git push origin agent/a", "git push -u origin HEAD", "git push"):
        assert not [m for m in _judge(line, context=ctx_agent) if m.rule == "integration"]


def test_unknown_agent_asks_for_ref_moves() -> None:
    """Without an identity a merge cannot be judged: ask."""
    result = judge(analyse("git merge x", "/tmp", HOME), RULES, _paths, Context())
    assert any(m.rule == "integration" and m.decision == ASK for m in result)


def test_script_commands_are_covered_by_the_allowed_run(tmp_path: Path) -> None:
    """``npm run check`` allowed explicitly covers its script, whose denies still apply."""
    (tmp_path / "package.json").write_text(
        '{"scripts": {"check": "astro check && tsc", "bad": "git push -f"}}'
    )
    ok = judge(analyse("npm run check", str(tmp_path), HOME), RULES, _paths, Context("a"))
    assert ok.explicit_allow is True
    (tmp_path / "package.json").write_text('{"scripts": {"check": "git reset --hard"}}')
    bad = judge(analyse("npm run check", str(tmp_path), HOME), RULES, _paths, Context("a"))
    assert bad.decision == ASK
    assert bad.explicit_allow is False


def test_judgement_is_a_list_of_matches() -> None:
    """The result is a plain list of Match with a decision on top."""
    result = _judge("git status")
    assert isinstance(result, list)
    assert all(isinstance(m, Match) for m in result)
    assert result.decision == ALLOW


# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


def test_allow_pattern_needs_exactly_its_assignments(worktree: Path) -> None:
    """An allow grants only when the command's assignments are exactly the pattern's;
    ask/deny patterns keep subset semantics."""
    plain = analyse("X=1 git status", str(worktree), HOME).commands[0]
    assert pattern_matches(["git", "status"], plain)
    assert not allow_matches(["git", "status"], plain)
    named = analyse("ASTRO_TELEMETRY_DISABLED=1 npm run build", str(worktree), HOME).commands[0]
    assert allow_matches(["ASTRO_TELEMETRY_DISABLED=1", "npm", "run", "build"], named)
    rules = [{"id": "i", "decision": ALLOW, "justification": "", "patterns": [["git", "status"]]}]
    assert judge(analyse("git status", str(worktree), HOME), rules).explicit_allow
    assert not judge(analyse("X=1 git status", str(worktree), HOME), rules).explicit_allow
