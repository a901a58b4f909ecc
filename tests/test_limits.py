"""Hostile sizes end in a bounded answer: huge globs ask, deep input is a clear guard error.

Issue 8, item 3: ``cat /sys/*/*/*/*/*/* > /dev/null; git push -f`` (47 bytes) kept the hook
busy for minutes, and deep nesting ended in a RecursionError. The trees here are built
in ``tmp_path`` (never ``/sys``). Speed is measured in ``benchmarks/``, not asserted here.
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentguard.hook import run as hook
from agentguard.hook.session import MAX_EVENT_DEPTH
from agentguard.shell import analyse, judge
from agentguard.shell.limits import (
    MAX_GLOB_MATCHES,
    MAX_GLOB_SCAN,
    MAX_NESTING,
    TooDeep,
    expand_glob,
)

POLICY = """\
version: 1
defaults:
  on_error: deny
commands:
  - id: force-push
    builtin: git-destructive
    decision: {push}
    justification: Force pushes rewrite history.
"""


class Hook:
    """``hook.main`` in-process, in a project under ``tmp_path`` with its own state folder."""

    def __init__(self, tmp_path: Path, push: str = "deny") -> None:
        self.tmp = tmp_path
        self.state = tmp_path / "state"
        self.project = tmp_path / "project"
        self.project.mkdir()
        policy = tmp_path / "policy.yaml"
        policy.write_text(POLICY.format(push=push), "utf-8")
        self.env = {
            "AGENTGUARD_HOME": str(self.state),
            "AGENTGUARD_POLICY": str(policy),
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.project),
        }

    def raw(self, stdin: str, event: str = "PreToolUse") -> tuple[str, str]:
        """(decision, reason) for the event text ``stdin``."""
        out = io.StringIO()
        assert hook.main([event], io.StringIO(stdin), out, self.env) == 0
        specific = json.loads(out.getvalue())["hookSpecificOutput"]
        return specific["permissionDecision"], specific.get("permissionDecisionReason", "")

    def call(self, tool: str, tool_input: dict[str, Any]) -> tuple[str, str]:
        """(decision, reason) for one tool call."""
        event = {
            "session_id": "s-limits",
            "cwd": str(self.project),
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
        }
        return self.raw(json.dumps(event))

    def bash(self, command: str) -> tuple[str, str]:
        """(decision, reason) for a Bash call."""
        return self.call("Bash", {"command": command})

    def last(self) -> dict[str, Any]:
        """The last decision-log record."""
        path = self.state / "logs" / "decisions.jsonl"
        record: dict[str, Any] = json.loads(path.read_text("utf-8").splitlines()[-1])
        return record

    def crashes(self) -> list[Path]:
        """Crash files written so far."""
        return sorted((self.state / "crash").glob("*")) if (self.state / "crash").exists() else []


def _tree(root: Path, fan: int, depth: int) -> Path:
    """``fan`` folders per level, ``depth`` levels: ``fan ** depth`` paths at the bottom."""
    level = [root]
    for _ in range(depth):
        nxt = []
        for folder in level:
            for i in range(fan):
                child = folder / f"d{i}"
                child.mkdir(parents=True)
                nxt.append(child)
        level = nxt
    return root


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """4096 paths six levels down (5460 entries in all): past the match cap, under the scan cap."""
    root = _tree(tmp_path_factory.mktemp("glob") / "tree", 4, 6)
    yield root
    shutil.rmtree(root)  # not kept for three sessions like the small folders


@pytest.fixture(scope="module")
def wide_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """100 x 100 folders: a pattern two levels down reads 10 100 entries."""
    root = _tree(tmp_path_factory.mktemp("wide") / "tree", 100, 2)
    yield root
    shutil.rmtree(root)


def test_the_47_byte_line_asks_on_the_glob_cap(tmp_path: Path, big_tree: Path) -> None:
    """The issue's line against thousands of matches: the glob cap asks, not the budget."""
    guard = Hook(tmp_path, push="ask")
    line = f"cat {big_tree}/*/*/*/*/*/* > /dev/null; git push -f"
    decision, reason = guard.bash(line)
    assert decision == "ask"
    assert "[agentguard:glob-limit]" in reason
    assert f"matches more than {MAX_GLOB_MATCHES} paths" in reason
    assert "did not enumerate it" in reason
    assert "[agentguard:force-push]" in reason
    assert "budget" not in reason
    record = guard.last()
    assert "over_budget" not in record and "error" not in record
    assert {"glob-limit", "force-push"} <= set(record["rules"])


def test_the_force_push_deny_wins_over_the_glob_ask(tmp_path: Path, big_tree: Path) -> None:
    """A denied force push after a huge glob is denied: the ask of the cap does not soften it."""
    guard = Hook(tmp_path, push="deny")
    decision, reason = guard.bash(f"cat {big_tree}/*/*/*/*/*/* > /dev/null; git push -f")
    assert decision == "deny"
    assert "[agentguard:force-push]" in reason
    record = guard.last()
    assert "over_budget" not in record
    assert {"glob-limit", "force-push"} <= set(record["rules"])


@pytest.mark.parametrize(
    "tail",
    [
        "git push --force origin HEAD",
        "bash -c 'git push -f'",
        "echo $(git push -f)",
        "{ git push -f; }",
    ],
)
def test_a_dangerous_command_after_a_huge_glob_is_still_judged(
    tmp_path: Path, big_tree: Path, tail: str
) -> None:
    """Hiding a forbidden command behind a huge glob (and a wrapper) does not get it through."""
    guard = Hook(tmp_path, push="deny")
    decision, reason = guard.bash(f"ls {big_tree}/*/*/*/*/*/* {big_tree}/*/*/*/*/* && {tail}")
    assert decision == "deny", reason
    assert "[agentguard:force-push]" in reason


def test_a_glob_that_reads_too_much_asks(tmp_path: Path, wide_tree: Path) -> None:
    """A pattern that matches nothing but reads thousands of entries asks on the scan cap."""
    guard = Hook(tmp_path)
    decision, reason = guard.bash(f"cat {wide_tree}/*/*/nothing-here")
    assert decision == "ask"
    assert "[agentguard:glob-limit]" in reason
    assert f"reads more than {MAX_GLOB_SCAN} directory entries" in reason
    assert "over_budget" not in guard.last()


def test_a_huge_glob_into_a_protected_folder_is_denied(tmp_path: Path) -> None:
    """Past the cap the pattern itself is judged: ``rm .claude/*/*`` is self-protection."""
    guard = Hook(tmp_path)
    for i in range(MAX_GLOB_MATCHES + 20):
        (guard.project / ".claude" / f"c{i // 100}").mkdir(parents=True, exist_ok=True)
        (guard.project / ".claude" / f"c{i // 100}" / f"f{i}").write_text("x")
    decision, reason = guard.bash("rm -f .claude/*/*")
    assert decision == "deny"
    assert "[agentguard:self-protection]" in reason


@pytest.mark.parametrize(
    "word", ["a" * 300_000, "a." * 150_000, "x-" * 150_000 + ".env", "ab+" * 100_000 + ":/"]
)
def test_a_data_client_with_a_huge_word_answers_within_the_budget(
    tmp_path: Path, word: str
) -> None:
    """A 300 KB argument to a data client is judged, not cut off by the 5 s budget: the
    URI and dotenv patterns read it once (they tried it from every character before)."""
    guard = Hook(tmp_path)
    guard.env["AGENTGUARD_BUDGET"] = "5"
    decision, reason = guard.bash(f"psql -h localhost -c {word}; git push -f")
    assert decision == "deny", reason[:200]
    assert "[agentguard:force-push]" in reason
    record = guard.last()
    assert "over_budget" not in record and "error" not in record


def test_a_line_of_thousands_of_data_clients_answers_within_the_budget(tmp_path: Path) -> None:
    """6,000 clients in one line are judged in one pass over the line, not each against
    all the commands before it (that took past the 5 s budget)."""
    guard = Hook(tmp_path)
    guard.env["AGENTGUARD_BUDGET"] = "5"
    decision, reason = guard.bash("X=$PROD_DB; " + "psql; " * 6000 + "git push -f")
    assert decision == "deny", reason[:200]
    assert "[agentguard:force-push]" in reason
    record = guard.last()
    assert "over_budget" not in record and "error" not in record


@pytest.mark.parametrize("hidden", [".claude/settings.json", ".git/hooks/pre-commit"])
def test_a_protected_file_at_the_end_of_a_long_diff_is_denied(tmp_path: Path, hidden: str) -> None:
    """A diff past the name cap with a protected file as its last name is denied (it
    asked before: the names past the cap were only unresolved)."""
    guard = Hook(tmp_path)
    names = [f"src/f{i}.ts" for i in range(MAX_GLOB_MATCHES + 40)] + [hidden]
    diff = "\n".join(f"--- a/{n}\n+++ b/{n}\n@@ -1 +1 @@\n-a\n+b" for n in names)
    decision, reason = guard.bash(f"git apply <<'EOF'\n{diff}\nEOF")
    assert decision == "deny"
    assert "[agentguard:self-protection]" in reason


def test_expand_glob_agrees_with_glob_below_the_caps(tmp_path: Path) -> None:
    """Below the caps the bounded expansion lists exactly what ``glob.glob`` does."""
    for name in ("a.py", "b.py", ".hidden.py", "sub/c.py", "sub/.d.py", "sub/e.txt", "x1", "x2"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    (tmp_path / "dir1").mkdir()
    for pattern in (
        "*.py",
        ".*",
        "*/*.py",
        "*/",
        "x[12]",
        "x?",
        "sub/*",
        "s*/.*",
        "none*",
        "*/e.txt",
    ):
        full = f"{tmp_path}/{pattern}"
        expected = sorted(os.path.normpath(p) for p in glob.glob(full))
        found, capped = expand_glob(full)
        assert capped is None
        assert found == expected, pattern


def test_expand_glob_stops_at_the_caps(big_tree: Path, wide_tree: Path) -> None:
    """Past either cap the expansion says why and keeps at most MAX_GLOB_MATCHES paths."""
    found, capped = expand_glob(f"{big_tree}/*/*/*/*/*/*")
    assert capped is not None and "matches more than" in capped
    assert len(found) == MAX_GLOB_MATCHES
    found, capped = expand_glob(f"{wide_tree}/*/*/nothing")
    assert capped is not None and "reads more than" in capped
    assert found == []
    found, capped = expand_glob("/" + "*/" * 100 + "x")
    assert capped is not None and found == []


def _deep(kind: str, n: int) -> str:
    return {
        "substitution": "echo " + "$(" * n + "x" + ")" * n,
        "quoted substitution": "echo " + '"$(' * n + "x" + ')"' * n,
        "subshell": "( " * n + "ls" + " )" * n,
        "brace group": "{ " * n + "ls; " + "}; " * (n - 1) + "}",
        "if": "if true; then " * n + "ls" + "; fi" * n,
        "parameter expansion": "echo " + "${a:-" * n + "x" + "}" * n,
        "arithmetic": "echo $(( " + "(" * n + "1" + ")" * n + " ))",
        "test": "[[ " + "( " * n + "a" + " )" * n + " ]]",
        "process substitution": "cat " + "<(" * n + "x" + ")" * n,
        "here-document": "cat <<E\n" + "$(" * n + "x" + ")" * n + "\nE",
    }[kind]


DEEP_KINDS = [
    "substitution",
    "quoted substitution",
    "subshell",
    "brace group",
    "if",
    "parameter expansion",
    "arithmetic",
    "test",
    "process substitution",
    "here-document",
]


@pytest.mark.parametrize("kind", DEEP_KINDS)
def test_deep_shell_nesting_is_a_clear_guard_error(tmp_path: Path, kind: str) -> None:
    """Thousands of levels of each construct: on_error naming the limit, no crash file."""
    guard = Hook(tmp_path)
    decision, reason = guard.bash(_deep(kind, 3000))
    assert decision == "deny"
    assert "[agentguard:on-error]" in reason
    assert f"more than {MAX_NESTING} levels deep" in reason
    assert "RecursionError" not in reason
    assert guard.crashes() == []
    assert "crash" not in guard.last()


@pytest.mark.parametrize("kind", DEEP_KINDS)
def test_nesting_under_the_limit_is_analysed(kind: str) -> None:
    """A few levels of every construct are analysed as before (the cap is far from use)."""
    analysis = analyse(_deep(kind, 10), "/tmp", {}, force_tree_sitter=True)
    assert analysis.errors == []
    assert analysis.commands or kind == "test"


def test_the_analyser_raises_too_deep() -> None:
    """Outside the hook the analysis raises TooDeep (a ValueError: explain reports it)."""
    with pytest.raises(TooDeep) as info:
        analyse(_deep("subshell", 500), "/tmp", {}, force_tree_sitter=True)
    assert isinstance(info.value, ValueError)
    assert info.value.limit == MAX_NESTING


@pytest.mark.parametrize("op", ["&&", "||", "|", ";"])
def test_long_lists_and_pipelines_are_linear_not_deep(tmp_path: Path, op: str) -> None:
    """3000 commands joined by one operator are judged (a list is a chain, not nesting)."""
    guard = Hook(tmp_path)
    line = f" {op} ".join(["echo $HOME"] * 3000) + f" {op} git push -f"
    decision, reason = guard.bash(line)
    assert decision == "deny"
    assert "[agentguard:force-push]" in reason
    analysis = analyse(line, str(tmp_path), {"HOME": "/h"})
    assert len(analysis.commands) == 3001
    assert judge(analysis, []).decision == "allow"


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Bash", {"command": "cat " + "a/" * 10_000 + "x"}),
        ("Read", {"file_path": "a/" * 10_000 + "x"}),
        ("Read", {"file_path": "../" * 10_000 + "etc/passwd"}),
        ("Write", {"file_path": "a/" * 10_000 + "x", "content": ""}),
    ],
)
def test_a_deep_path_is_a_clear_guard_error(
    tmp_path: Path, tool: str, tool_input: dict[str, Any]
) -> None:
    """A path of 10 000 components (through a ``a -> .`` link): on_error, naming the limit."""
    guard = Hook(tmp_path)
    os.symlink(".", guard.project / "a")
    decision, reason = guard.call(tool, tool_input)
    assert decision == "deny"
    assert "[agentguard:on-error]" in reason
    assert "more than 1024 components" in reason
    assert guard.crashes() == []


def test_a_dot_dot_chain_in_a_command_is_judged_where_it_leads(tmp_path: Path) -> None:
    """``../`` 10 000 times collapses to ``/`` (as the kernel walks it): the target is judged."""
    guard = Hook(tmp_path)
    target = "../" * 10_000 + str(guard.project).lstrip("/") + "/.claude/settings.json"
    decision, reason = guard.bash(f"echo x > {target}")
    assert decision == "deny"
    assert "[agentguard:self-protection]" in reason


def test_a_path_under_the_limit_is_judged(tmp_path: Path) -> None:
    """A long but possible path is judged normally (the cap sits above PATH_MAX's reach)."""
    guard = Hook(tmp_path)
    os.symlink(".", guard.project / "a")
    decision, reason = guard.call("Write", {"file_path": "a/" * 500 + ".claude/x", "content": ""})
    assert decision == "deny"
    assert "[agentguard:self-protection]" in reason


@pytest.mark.parametrize("depth", [100, 900, 5000, 100_000])
@pytest.mark.parametrize("event", ["PreToolUse", "PostToolUse"])
def test_deeply_nested_event_json_is_a_clear_guard_error(
    tmp_path: Path, depth: int, event: str
) -> None:
    """An event whose tool input nests ``depth`` arrays: on_error naming the limit, no crash."""
    guard = Hook(tmp_path)
    nested = "[" * depth + "]" * depth
    stdin = (
        f'{{"session_id": "s", "cwd": {json.dumps(str(guard.project))},'
        f' "hook_event_name": "{event}", "tool_name": "mcp__fs__read_file",'
        f' "tool_use_id": "t1", "tool_input": {{"x": {nested}}}}}'
    )
    out = io.StringIO()
    assert hook.main([event], io.StringIO(stdin), out, guard.env) == 0
    answer = json.loads(out.getvalue())
    if event == "PreToolUse":
        assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"
        reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
    else:
        assert answer["decision"] == "block"
        reason = answer["reason"]
    assert f"nests more than {MAX_EVENT_DEPTH} levels deep" in reason
    assert guard.crashes() == []


def test_an_ordinary_nested_event_is_judged(tmp_path: Path) -> None:
    """MCP arguments a few levels deep are judged, not refused."""
    guard = Hook(tmp_path)
    value: Any = {"path": "notes.md"}
    for _ in range(20):
        value = {"inner": [value]}
    decision, reason = guard.call("mcp__fs__read_file", value)
    assert "[agentguard:on-error]" not in reason
    assert decision in ("ask", "allow")
