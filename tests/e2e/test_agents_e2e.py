"""Real Claude Code in a repository set up by ``agentguard init`` and ``agentguard agents up``.

The article's example policy is scaffolded with ``init --template astro-blog-discovery``
(which installs the hooks with an absolute interpreter path), committed, and the agents'
worktrees are created with ``agents up``. Claude Code then runs in two of them with no
identity in its environment: the identity each hook sees comes only from the
worktree's ``.claude/settings.local.json`` that ``agents up`` wrote. The same Write of
``src/content/config.ts`` is denied for ``search`` (cannot-touch) and goes through for
``metadata`` (its owner), and the decision log records each agent with identity ``env``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentguard import log
from agentguard.commands import agents, init

from .fakeapi import text, tool_use
from .harness import ClaudeProject

pytestmark = pytest.mark.e2e

CONFIG = "src/content/config.ts"
CONTENT = "export const collections = { blog: {} };\n"


@pytest.fixture
def worktrees(claude_project: ClaudeProject) -> dict[str, ClaudeProject]:
    """The blog after init + commit + agents up: agent name -> its worktree as a project."""
    root = claude_project.root
    claude_project.write("src/pages/blog/index.astro", "<h1>Blog</h1>\n")
    claude_project.write("src/content/blog/hello.md", "---\ntitle: Hello\n---\n")
    assert init.main(["--project", str(root), "--template", "astro-blog-discovery"]) == 0
    settings_file = root / ".claude" / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    # Claude Code's own permission for file tools; agentguard's no-opinion leaves it in charge.
    settings["permissions"] = {"allow": ["Read", "Write", "Edit"]}
    settings_file.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    claude_project.init_git()
    assert agents.main(["up", "-C", str(root)]) == 0
    out = {}
    for name in ("search", "metadata"):
        folder = root.parent / f"repo-agent-{name}"
        assert (folder / ".claude" / "settings.local.json").is_file()
        tree = ClaudeProject(
            folder, claude_project.home, claude_project.binary, claude_project.version
        )
        tree.trust(root)
        out[name] = tree
    return out


def test_hooks_fire_with_each_worktrees_identity(
    worktrees: dict[str, ClaudeProject], tmp_path: Path
) -> None:
    """search is denied the content schema (cannot-touch); metadata writes it; the log says who."""
    state = tmp_path / "agentguard-home"
    runs = {}
    for name, tree in worktrees.items():
        target = tree.path(CONFIG)
        runs[name] = tree.run(
            "update the content schema",
            [[tool_use("Write", {"file_path": str(target), "content": CONTENT})], [text("done")]],
            env={"AGENTGUARD_HOME": str(state)},
        )

    search, metadata = runs["search"], runs["metadata"]
    assert not worktrees["search"].path(CONFIG).exists(), search.describe()
    assert [d["tool_name"] for d in search.permission_denials] == ["Write"], search.describe()
    [refusal] = search.results_for("Write")
    assert refusal.is_error and "[agentguard:cannot-touch]" in refusal.content, search.describe()

    assert worktrees["metadata"].read(CONFIG) == CONTENT, metadata.describe()
    assert metadata.permission_denials == [], metadata.describe()
    [written] = metadata.results_for("Write")
    assert not written.is_error, metadata.describe()

    records = [
        r
        for r in log.read(str(state))
        if r.get("event") == "PreToolUse" and r.get("tool") == "Write"
    ]
    assert [(r.get("agent"), r.get("identity"), r.get("decision")) for r in records] == [
        ("search", "env", "deny"),
        ("metadata", "env", "allow"),
    ], records
