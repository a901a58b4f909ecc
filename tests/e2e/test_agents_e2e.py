"""Real Claude Code in a repository set up by ``agentguard init`` and ``agentguard agents up``.

The article's example policy is scaffolded with ``init --template astro-blog-discovery``
(which installs the hooks with an absolute interpreter path), committed, and the agents'
worktrees are created with ``agents up``. Claude Code then runs in two of them with no
identity in its environment: the identity each hook sees comes only from the
worktree's ``.claude/settings.local.json`` that ``agents up`` wrote. The same Write of
``src/content/config.ts`` is denied for ``search`` (cannot-touch) and goes through for
``metadata`` (its owner), and the decision log records each agent with identity ``env``.

One base: with main a policy commit ahead of the integration branch, a fresh ``search``
session commits an owned page, runs its ownership check (``agentguard verify``) and may
stop; a file of metadata's on its branch fails that check, naming whom to ask, and the
Stop gate refuses to let it stop.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from agentguard.commands import agents, init, install
from agentguard.state import log

from .fakeapi import STOP_FEEDBACK as FEEDBACK
from .fakeapi import Block, Body, count_tool_results, extra_texts, text, tool_use
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
            # The committed hook entry finds agentguard through AGENTGUARD_PYTHON here.
            env={"AGENTGUARD_HOME": str(state), "AGENTGUARD_PYTHON": sys.executable},
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


# --- One base: a fresh agent from HEAD while the integration branch is behind -----------

ONE_BASE_POLICY = """\
version: 1
defaults: {unknown_command: allow}
agents:
  metadata:
    branch: agent/metadata
    worktree: ../wt-metadata
    owns: [src/content/**]
    checks: [ownership]
  search:
    branch: agent/search
    worktree: ../wt-search
    owns: [src/pages/**]
    checks: [ownership]
integration:
  branch: integration/blog
  owner: integrator
checks:
  ownership:
    run: agentguard verify
    description: The branch stays in the agent's lane.
loops: {stop_blocks: 2}
"""
PAGE = "src/pages/search.astro"
COMMIT = f"git add {PAGE} && git commit -q -m search"


@pytest.fixture
def behind(claude_project: ClaudeProject, tmp_path: Path) -> ClaudeProject:
    """main one policy commit ahead of integration/blog; search's worktree from agents up."""
    root = claude_project.root
    claude_project.write("agentguard.yaml", ONE_BASE_POLICY)
    claude_project.write("src/pages/index.astro", "<h1>Blog</h1>\n")
    claude_project.write("src/content/blog/hello.md", "---\ntitle: Hello\n---\n")
    assert install.main(["install", "--project", str(root), "--command-style", "python"]) == 0
    settings_file = root / ".claude" / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings["permissions"] = {"allow": ["Read", "Write", "Edit", "Bash"]}
    settings_file.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    claude_project.init_git()
    claude_project.git("branch", "integration/blog")
    claude_project.write("agentguard.yaml", ONE_BASE_POLICY + "# reviewed by a human\n")
    claude_project.commit("policy: reviewed")
    assert agents.main(["up", "-C", str(root)]) == 0
    tree = ClaudeProject(tmp_path / "wt-search", claude_project.home, claude_project.binary)
    tree.trust(root)
    return tree


def _agent_env(state: Path) -> dict[str, str]:
    """The session's environment: ``agentguard`` on PATH for the check, a git identity."""
    return {
        "AGENTGUARD_HOME": str(state),
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        **{
            f"GIT_{who}_{what}": value
            for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", "e2e"), ("EMAIL", "e2e@example.invalid"))
        },
    }


def _session(tree: ClaudeProject) -> Sequence[Sequence[Block]]:
    """Write an owned page, commit it, run the ownership check, say done."""
    return [
        [tool_use("Write", {"file_path": str(tree.path(PAGE)), "content": "<h1>Search</h1>\n"})],
        [tool_use("Bash", {"command": COMMIT, "description": "commit"})],
        [tool_use("Bash", {"command": "agentguard verify", "description": "ownership check"})],
    ]


def _stops(state: Path) -> list[dict[str, object]]:
    return [r for r in log.read(str(state)) if r.get("event") == "Stop"]


def test_a_fresh_agent_passes_verify_and_the_stop_gate(
    behind: ClaudeProject, tmp_path: Path
) -> None:
    """From HEAD with integration behind: the real session's verify passes and Stop lets go."""
    state = tmp_path / "agentguard-home"
    steps = [*_session(behind), [text("search page done")]]
    run = behind.run("add a search page", steps, env=_agent_env(state))
    [commit, check] = run.results_for("Bash")
    assert not commit.is_error, run.describe()
    assert not check.is_error, run.describe()
    assert "base main (from agents up)" in check.content, run.describe()
    assert "PASS ownership" in check.content and "agentguard.yaml" not in check.content
    assert run.result == "search page done", run.describe()
    assert not [t for t in run.extra_texts if FEEDBACK in t], run.describe()
    stops = _stops(state)
    assert [(r.get("gate"), r.get("checks")) for r in stops] == [
        ("passed", {"ownership": "passed"})
    ], stops


def test_a_real_change_outside_the_lane_still_blocks_the_stop(
    behind: ClaudeProject, tmp_path: Path
) -> None:
    """metadata's file on search's branch: verify fails naming it, Stop is refused; no BASE."""
    stolen = "src/content/blog/stolen.md"
    behind.write(stolen, "---\ntitle: not mine\n---\n")
    behind.commit("a slip on the agent's branch")
    state = tmp_path / "agentguard-home"
    session = _session(behind)

    def respond(body: Body) -> Sequence[Block]:
        done = count_tool_results(body)
        if done < len(session):
            return session[done]
        feedback = [t for t in extra_texts(body) if FEEDBACK in t]
        return [text(f"stopping ({len(feedback)} refusals)")]

    run = behind.run("add a search page", respond, env=_agent_env(state))
    check = run.results_for("Bash")[1]
    assert check.is_error, run.describe()
    assert f"{stolen}: owned by metadata, not by search" in check.content, run.describe()
    assert "not yours to change: ask the integration owner (integrator)" in check.content
    assert "BASE" not in check.content
    # 2.1.332 puts a preamble before the feedback (claude-code-hooks.md section 13).
    feedback = [t[t.index(FEEDBACK) :] for t in run.extra_texts if FEEDBACK in t]
    assert feedback, run.describe()
    assert "- ownership: `agentguard verify`" in feedback[0], feedback[0]
    assert "FAIL ownership: 1 of 2 changed file(s) since main" in feedback[0], feedback[0]
    assert "BASE" not in feedback[0]
    gates = [r.get("gate") for r in _stops(state)]
    assert gates[0] == "blocked" and "passed" not in gates, gates
