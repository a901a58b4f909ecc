"""Path normalisation, self-protection and the path judgement, as unit tables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agentguard.engine import pathnames, paths
from agentguard.policy.compiler import compile_policy
from agentguard.policy.model import Policy

CWD = "/w/search"
HOME = "/h"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("src/a.ts", "/w/search/src/a.ts"),
        ("./src/./a.ts", "/w/search/src/a.ts"),
        ("/abs/file", "/abs/file"),
        ("src/pages/../../src/content/config.ts", "/w/search/src/content/config.ts"),
        ("../../../../../etc/passwd", "/etc/passwd"),
        ("//etc//passwd", "/etc/passwd"),
        ("///etc/passwd", "/etc/passwd"),
        ("~", "/h"),
        ("~/.claude/settings.json", "/h/.claude/settings.json"),
        # ~user is not the caller's home; the shell is not involved, so it stays literal.
        ("~other/x", "/w/search/~other/x"),
        ("a~/b", "/w/search/a~/b"),
        (".clаude/settings.json", "/w/search/.clаude/settings.json"),
    ],
)
def test_normalise_lexical(raw: str, expected: str) -> None:
    """The first spelling is the lexical absolute path."""
    assert pathnames.normalise(raw, CWD, HOME)[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a.ts ", ["/w/search/a.ts ", "/w/search/a.ts"]),
        ("a.ts\n", ["/w/search/a.ts\n", "/w/search/a.ts"]),
        (" a.ts", ["/w/search/ a.ts", "/w/search/a.ts"]),
        ("a.ts", ["/w/search/a.ts"]),
    ],
)
def test_normalise_whitespace_judges_both_spellings(raw: str, expected: list[str]) -> None:
    """Surrounding whitespace yields both the literal and the stripped spelling."""
    assert pathnames.normalise(raw, CWD, HOME) == expected


def test_normalise_resolves_symlinks(tmp_path: Path) -> None:
    """A link's real target is among the spellings, next to the lexical path."""
    target = tmp_path / "real" / "config.ts"
    target.parent.mkdir()
    target.write_text("x")
    (tmp_path / "link").symlink_to(target)
    (tmp_path / "dirlink").symlink_to(target.parent)
    real = os.path.realpath(target)
    assert pathnames.normalise(str(tmp_path / "link"), "/", HOME)[-1] == real
    assert real in pathnames.normalise("dirlink/config.ts", str(tmp_path), HOME)


def test_normalise_resolves_symlink_before_dotdot(tmp_path: Path) -> None:
    """``dirlink/../x`` is judged where the kernel puts it: next to the link's target."""
    target = tmp_path / "other" / "deep"
    target.mkdir(parents=True)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "dirlink").symlink_to(target)
    spellings = pathnames.normalise("mine/dirlink/../x.ts", str(tmp_path), HOME)
    assert os.path.realpath(tmp_path / "other" / "x.ts") in spellings


def test_inside() -> None:
    """``inside`` is a component-wise prefix test, not a string prefix test."""
    assert pathnames.inside("/w/search/a", "/w/search") == "a"
    assert pathnames.inside("/w/search", "/w/search") == ""
    assert pathnames.inside("/w/search-2/a", "/w/search") is None
    assert pathnames.inside("/w/search/a", "/w/search/") == "a"


def _ctx(tmp_path: Path, agent: str | None = "search", **policy: Any) -> paths.Context:
    base: dict[str, Any] = {
        "agents": {
            "search": {
                "worktree": str(tmp_path / "search"),
                "owns": ["src/pages/**"],
                "cannot_touch": ["src/content/**"],
            },
            "metadata": {"worktree": str(tmp_path / "metadata"), "owns": ["src/content/**"]},
        },
        "paths": [
            {"id": "secrets", "match": [".env"], "read": "ask", "write": "ask"},
            {"id": "lockfiles", "match": ["package-lock.json"], "write": "ask"},
        ],
        "writable_outside": ["/scratch/**"],
    }
    base.update(policy)
    compiled = compile_policy(Policy.model_validate(base))
    return paths.Context(
        compiled,
        agent,
        str(tmp_path / "search"),
        [str(tmp_path / "state"), str(tmp_path / "search" / "agentguard.yaml")],
        [str(tmp_path / "metadata")],
        home_dir="/h",
    )


@pytest.mark.parametrize(
    ("raw", "mode", "expected"),
    [
        ("src/pages/a.astro", "write", []),
        ("src/pages/a.astro", "read", []),
        ("src/content/config.ts", "write", [("cannot-touch", "deny"), ("ownership", "deny")]),
        ("src/content/config.ts", "delete", [("cannot-touch", "deny"), ("ownership", "deny")]),
        ("src/content/config.ts", "read", []),
        ("src/lib/x.ts", "write", [("unowned-write", "ask")]),
        (".env", "read", [("secrets", "ask")]),
        (".env", "write", [("secrets", "ask"), ("unowned-write", "ask")]),
        ("src/pages/.env", "write", [("secrets", "ask")]),
        ("package-lock.json", "read", []),
        (".claude/settings.json", "read", []),
        (".claude/settings.json", "write", [("self-protection", "deny"), ("unowned-write", "ask")]),
        ("src/pages/.git", "write", [("self-protection", "deny")]),
        ("agentguard.yaml", "write", [("self-protection", "deny"), ("unowned-write", "ask")]),
        ("/etc/hosts", "write", [("outside-worktree", "deny")]),
        ("/etc/hosts", "read", []),
        ("/scratch/out.txt", "write", []),
        ("../metadata/src/content/x.ts", "write", [("outside-worktree", "deny")]),
    ],
)
def test_judge(raw: str, mode: str, expected: list[tuple[str, str]], tmp_path: Path) -> None:
    """Every match of a path judgement, in order: self-protection, classes, worktree, ownership."""
    ctx = _ctx(tmp_path)
    got = [(m.rule, m.decision) for m in paths.judge(raw, mode, str(tmp_path / "search"), ctx)]
    assert got == expected


def test_judge_state_folder_is_protected(tmp_path: Path) -> None:
    """The state folder (a protected root) is self-protected even outside the worktree."""
    ctx = _ctx(tmp_path)
    rules = [m.rule for m in paths.judge(str(tmp_path / "state" / "x"), "write", "/", ctx)]
    assert rules[0] == "self-protection"


def test_judge_unassigned(tmp_path: Path) -> None:
    """No identity: writes get the unassigned default, reads are still judged by class only."""
    ctx = _ctx(tmp_path, agent=None)
    cwd = str(tmp_path / "search")
    assert [(m.rule, m.decision) for m in paths.judge("src/pages/a", "write", cwd, ctx)] == [
        ("unassigned-agent", "ask")
    ]
    assert paths.judge("src/pages/a", "read", cwd, ctx) == []
    loose = _ctx(tmp_path, agent=None, defaults={"unassigned_agent": "allow"})
    assert paths.judge("src/pages/a", "write", cwd, loose) == []


def test_judge_outside_write_default_does_not_open_other_worktrees(tmp_path: Path) -> None:
    """``outside_write: allow`` loosens /etc, never another agent's worktree."""
    ctx = _ctx(tmp_path, defaults={"outside_write": "allow"})
    cwd = str(tmp_path / "search")
    assert paths.judge("/etc/hosts", "write", cwd, ctx) == []
    other = str(tmp_path / "metadata" / "a")
    assert [m.rule for m in paths.judge(other, "write", cwd, ctx)] == ["outside-worktree"]


def test_judge_reason_names_what_and_fix(tmp_path: Path) -> None:
    """A match says what matched and what to do instead."""
    cwd = str(tmp_path / "search")
    (match,) = paths.judge("src/lib/x.ts", "write", cwd, _ctx(tmp_path))
    assert match.what == "write src/lib/x.ts"
    assert "src/pages/**" in match.fix


@pytest.mark.parametrize(
    ("path", "protected"),
    [
        ("/w/.claude/settings.json", True),
        ("/w/.claude", True),
        ("/w/.Claude/settings.json", True),
        ("/w/.CLAUDE/settings.local.json", True),
        ("/w/.clаude/settings.json", False),  # Cyrillic a: another folder
        ("/w/my.claude/x", False),
        ("/w/.git", True),
        ("/w/.git/hooks/pre-commit", True),
        ("/w/.GIT/config", True),
        ("/w/.github/workflows/ci.yml", False),
        ("/w/.gitignore", False),
        ("/w/.agentguard/overlay.yaml", True),
        ("/w/sub/agentguard.yaml", True),
        ("/w/AGENTGUARD.YML", True),
        ("/w/agentguard.yaml.bak", False),
        ("/state", True),
        ("/state/logs/decisions.jsonl", True),
        ("/STATE/cache/x", True),
        ("/state-other/x", False),
        ("/p/policy.yaml", True),
        ("/p/policy.yaml.new", False),
        ("/w/src/index.ts", False),
    ],
)
def test_self_protected(path: str, protected: bool) -> None:
    """Protected names anywhere (case-folded), protected roots and nothing else."""
    ctx = paths.Context({}, "a", "/w", ["/state", "/p/policy.yaml"])
    reason = paths.self_protected(path, ctx)
    assert (reason is not None) == protected, reason


def test_judge_directory_pattern_matches_the_folder_itself(tmp_path: Path) -> None:
    """Reading the folder a directory pattern names (Grep/LS path) is judged by that pattern."""
    ctx = _ctx(tmp_path, paths=[{"id": "private-notes", "match": ["notes/"], "read": "ask"}])
    (tmp_path / "search" / "notes").mkdir(parents=True)
    got = paths.judge("notes", "read", str(tmp_path / "search"), ctx)
    assert [(m.rule, m.decision) for m in got] == [("private-notes", "ask")]
