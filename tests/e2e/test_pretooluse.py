"""agentguard's PreToolUse gate, honoured by the real Claude Code binary (offline, fake model).

Each test builds the worked example (an Astro blog shared by ``metadata`` and ``search``),
registers ``python -m agentguard hook PreToolUse`` for every tool, and scripts the fake
model to call Write/Edit. What is checked is what a user would see: the file on disk, the
``permission_denials`` of the result, and the reason the model received.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from .fakeapi import Block, ToolResult, text, tool_use
from .harness import ClaudeProject, ClaudeResult, hook_group

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults:
  on_error: deny
  unassigned_agent: ask
  unowned_write: ask
  unknown_tool: ask
  unknown_command: allow
agents:
  metadata:
    branch: agent/metadata
    worktree: .
    owns: [src/content/**]
    cannot_touch: [src/layouts/BaseLayout.astro]
    checks: []
  search:
    branch: agent/search
    worktree: .
    owns: [src/pages/**]
    cannot_touch: [src/content/**]
    checks: []
paths:
  - id: shared-layouts
    match: [src/layouts/**]
    write: ask
    justification: Shared layouts need a human.
"""
LAYOUT = "<html><slot /></html>\n"
HOOK = f"{shlex.quote(sys.executable)} -m agentguard hook PreToolUse"


def _guarded(
    project: ClaudeProject,
    tmp_path: Path,
    *,
    agent: str = "search",
    policy: str = POLICY,
    command: str = HOOK,
) -> dict[str, str]:
    """Lay out the blog, commit it, register the hook; the env a run needs."""
    project.write("agentguard.yaml", policy)
    project.write("src/layouts/BaseLayout.astro", LAYOUT)
    project.write("src/pages/about.astro", "<p>about</p>\n")
    project.write("src/content/config.ts", "export const collections = {};\n")
    project.configure({"PreToolUse": [hook_group(command)]}, allow=["Read", "Write", "Edit"])
    project.init_git()
    return {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
        "AGENTGUARD_AGENT": agent,
    }


def _write(project: ClaudeProject, relative: str, content: str) -> Block:
    return tool_use("Write", {"file_path": str(project.path(relative)), "content": content})


def _read_then(project: ClaudeProject, relative: str, call: Block) -> list[list[Block]]:
    """Read first: Claude Code refuses to Write or Edit an existing file it has not read."""
    return [
        [tool_use("Read", {"file_path": str(project.path(relative))})],
        [call],
        [text("stopping here")],
    ]


def _denied_paths(run: ClaudeResult) -> list[str]:
    return sorted(
        str(d["tool_input"].get("file_path")) for d in run.permission_denials if d["tool_input"]
    )


def _only(run: ClaudeResult, tool: str) -> ToolResult:
    found = run.results_for(tool)
    assert len(found) == 1, run.describe()
    return found[0]


def _assert_read_ran(run: ClaudeResult) -> None:
    read = _only(run, "Read")
    assert not read.is_error, f"the Read before the write was refused:\n{run.describe()}"


def _assert_refused(run: ClaudeResult, results: Sequence[ToolResult], rule: str) -> None:
    for result in results:
        assert result.is_error, run.describe()
        assert f"[agentguard:{rule}]" in result.content, run.describe()


def test_write_to_another_agents_file_is_denied(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """search writing metadata's files (directly or via ``..``) is denied with the rule's reason."""
    env = _guarded(claude_project, tmp_path, agent="search")
    direct = "src/content/blog/post.md"
    # The same file spelled through a folder search owns: ownership must see the real path.
    sneaky = "src/pages/../content/blog/sneaky.md"
    run = claude_project.run(
        "add a post",
        [
            [_write(claude_project, direct, "# hi\n"), _write(claude_project, sneaky, "# hi\n")],
            [text("could not write")],
        ],
        env=env,
    )
    assert not claude_project.path(direct).exists(), run.describe()
    assert not claude_project.path("src/content/blog/sneaky.md").exists(), run.describe()
    assert len(run.permission_denials) == 2, run.describe()
    assert {d["tool_name"] for d in run.permission_denials} == {"Write"}
    writes = run.results_for("Write")
    assert len(writes) == 2, run.describe()
    for write in writes:
        assert write.is_error, run.describe()
        assert write.reason.startswith("[agentguard:"), run.describe()
        # Two rules speak here (metadata owns it, search may not touch it); either is right.
        assert "[agentguard:ownership]" in write.content or (
            "[agentguard:cannot-touch]" in write.content
        ), run.describe()
        assert "metadata" in write.content or "src/content" in write.content, run.describe()


def test_ask_is_not_silently_allowed_in_print_mode(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """An ask (shared layout) has no one to ask under -p: refused, reason shown, file unchanged."""
    env = _guarded(claude_project, tmp_path, agent="search")
    layout = "src/layouts/BaseLayout.astro"
    edit = tool_use(
        "Edit",
        {
            "file_path": str(claude_project.path(layout)),
            "old_string": "<slot />",
            "new_string": "<slot /><script>track()</script>",
        },
    )
    run = claude_project.run("tweak the layout", _read_then(claude_project, layout, edit), env=env)
    _assert_read_ran(run)
    assert claude_project.read(layout) == LAYOUT, run.describe()
    assert _denied_paths(run) == [str(claude_project.path(layout))], run.describe()
    result = _only(run, "Edit")
    assert result.is_error and result.reason.startswith("[agentguard:"), run.describe()
    assert "Shared layouts need a human." in result.content, run.describe()


def test_owned_write_goes_through(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """search writing under src/pages/** (its own) reaches the disk, with no denial."""
    env = _guarded(claude_project, tmp_path, agent="search")
    page = "src/pages/blog/index.astro"
    run = claude_project.run(
        "add the blog index",
        [[_write(claude_project, page, "<h1>Blog</h1>\n")], [text("added")]],
        env=env,
    )
    assert claude_project.read(page) == "<h1>Blog</h1>\n", run.describe()
    assert run.permission_denials == [], run.describe()
    assert not _only(run, "Write").is_error, run.describe()
    assert (run.result, run.is_error) == ("added", False)


def test_editing_claude_settings_is_denied(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """An Edit of .claude/settings.json (turning the guard off) is denied by self-protection."""
    env = _guarded(claude_project, tmp_path, agent="search")
    settings = ".claude/settings.json"
    before = claude_project.read(settings)
    edit = tool_use(
        "Edit",
        {
            "file_path": str(claude_project.path(settings)),
            # Valid settings (Claude Code rejects an edit that breaks the schema on its own)
            # that would switch the guard off by matching no tool.
            "old_string": '"matcher": "*"',
            "new_string": '"matcher": "NoSuchTool"',
        },
    )
    run = claude_project.run("relax the rules", _read_then(claude_project, settings, edit), env=env)
    _assert_read_ran(run)
    assert claude_project.read(settings) == before, run.describe()
    assert _denied_paths(run) == [str(claude_project.path(settings))], run.describe()
    _assert_refused(run, [_only(run, "Edit")], "self-protection")


def test_unparseable_policy_fails_closed(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """A policy that is not YAML makes the guard deny (on_error), even an otherwise owned write."""
    env = _guarded(claude_project, tmp_path, policy="version: 1\nagents: [search\n  owns: {\n")
    page = "src/pages/blog/index.astro"
    run = claude_project.run(
        "add the blog index",
        [[_write(claude_project, page, "<h1>Blog</h1>\n")], [text("blocked")]],
        env=env,
    )
    assert not claude_project.path(page).exists(), run.describe()
    assert _denied_paths(run) == [str(claude_project.path(page))], run.describe()
    result = _only(run, "Write")
    assert result.is_error and "on-error" in result.content, run.describe()


def test_garbage_on_stdin_fails_closed(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """A hook fed text that is not JSON denies (on_error) instead of crashing open."""
    env = _guarded(claude_project, tmp_path, command=f"printf 'not json{{' | {HOOK}")
    page = "src/pages/blog/index.astro"
    run = claude_project.run(
        "add the blog index",
        [[_write(claude_project, page, "<h1>Blog</h1>\n")], [text("blocked")]],
        env=env,
    )
    assert not claude_project.path(page).exists(), run.describe()
    assert _denied_paths(run) == [str(claude_project.path(page))], run.describe()
    result = _only(run, "Write")
    assert result.is_error and "on-error" in result.content, run.describe()
