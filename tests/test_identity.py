"""Who is calling: AGENTGUARD_AGENT, else the branch read from git's files, else the worktree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from world import World

from agentguard.engine.identity import AGENT_ENV, base_dir, identify, other_worktrees
from agentguard.policy.compiler import build


def _policy(world: World) -> tuple[dict[str, Any], list[str]]:
    files = [str(world.search / "agentguard.yaml")]
    return build(files), files


def _custom(tmp_path: Path, world: World, text: str) -> tuple[dict[str, Any], list[str]]:
    path = tmp_path / "policy.yaml"
    path.write_text(world.substitute(text), "utf-8")
    return build([str(path)]), [str(path)]


@pytest.fixture(autouse=True)
def _no_git_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Identity is read from git's files: spawning git would blow the latency budget."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"identity spawned a process: {args!r}")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.mark.parametrize(
    ("where", "agent", "branch"),
    [
        ("metadata", "metadata", "agent/metadata-filter-contract"),
        ("search", "search", "agent/blog-search-ui"),
        ("review", "review", "agent/blog-render-verifier"),
        ("repo", "integrator", "integration/blog-discovery"),
    ],
)
def test_branch_identifies_the_agent(world: World, where: str, agent: str, branch: str) -> None:
    """Without the env, the branch checked out in cwd's worktree names the agent."""
    policy, files = _policy(world)
    me = identify(policy, str(getattr(world, where)), {}, files)
    assert (me.agent, me.source, me.branch, me.conflict) == (agent, "branch", branch, None)
    assert os.path.realpath(me.worktree) == os.path.realpath(getattr(world, where))


def test_linked_worktree_git_file_is_followed(world: World) -> None:
    """A linked worktree's .git is a file pointing at the real git dir under the main repo."""
    policy, files = _policy(world)
    me = identify(policy, str(world.metadata / "src" / "content"), {}, files)
    assert me.agent == "metadata"
    assert me.tree is not None
    assert me.tree.pointer == str(world.metadata / ".git")
    assert Path(me.tree.git_dir).parent == world.repo / ".git" / "worktrees"
    assert me.tree.common_dir == str(world.repo / ".git")


def test_env_wins(world: World) -> None:
    """AGENTGUARD_AGENT naming the branch's own agent: env is the source, no conflict."""
    policy, files = _policy(world)
    me = identify(policy, str(world.search), {AGENT_ENV: "search"}, files)
    assert (me.agent, me.source, me.conflict) == ("search", "env", None)


def test_env_in_a_worktree_without_agent_branch(world: World) -> None:
    """The env identifies a caller where the branch cannot (a detached HEAD)."""
    policy, files = _policy(world)
    me = identify(policy, str(world.detached), {AGENT_ENV: "review"}, files)
    assert (me.agent, me.source, me.branch, me.conflict) == ("review", "env", None, None)
    assert os.path.realpath(me.worktree) == os.path.realpath(world.review)


def test_conflict_env_against_branch(world: World) -> None:
    """The env names agent X in a worktree on agent Y's branch: a deny-worthy conflict."""
    policy, files = _policy(world)
    me = identify(policy, str(world.search), {AGENT_ENV: "metadata"}, files)
    assert (me.agent, me.source) == ("metadata", "env")
    assert me.conflict is not None
    assert (me.conflict.rule, me.conflict.decision) == ("identity", "deny")
    assert "'search'" in me.conflict.justification
    assert "agent/blog-search-ui" in me.conflict.justification


def test_unknown_env_name_falls_back_to_branch(world: World) -> None:
    """An env value that names no agent is ignored; the branch decides (documented behaviour)."""
    policy, files = _policy(world)
    me = identify(policy, str(world.search), {AGENT_ENV: "nobody"}, files)
    assert (me.agent, me.source) == ("search", "branch")


@pytest.mark.parametrize("where", ["detached", "scratch"])
def test_unassigned(world: World, where: str) -> None:
    """A detached HEAD or a branch no agent owns, in no declared worktree: unassigned."""
    policy, files = _policy(world)
    me = identify(policy, str(getattr(world, where)), {}, files)
    assert (me.agent, me.source) == (None, "none")
    assert me.branch == (None if where == "detached" else "scratch/experiment")
    assert me.worktree == str(getattr(world, where))


def test_outside_any_repository(world: World) -> None:
    """cwd outside every repository: no tree, no branch, no agent."""
    policy, files = _policy(world)
    me = identify(policy, str(world.tmp), {}, files)
    assert (me.agent, me.tree, me.branch) == (None, None, None)


def test_worktree_path_identifies_when_branch_does_not(world: World, tmp_path: Path) -> None:
    """A declared worktree identifies its agent when the branch names nobody (detached)."""
    policy, files = _custom(
        tmp_path,
        world,
        'version: 1\nagents:\n  checker:\n    branch: agent/never\n    worktree: "{detached}"\n',
    )
    me = identify(policy, str(world.detached / "src"), {}, files)
    assert (me.agent, me.source) == ("checker", "worktree")


def test_integration_owner_on_integration_branch(world: World, tmp_path: Path) -> None:
    """The integration branch identifies its owner even when the owner declares no branch."""
    text = (
        "version: 1\nintegration:\n  branch: integration/blog-discovery\n  owner: lead\n"
        "agents:\n  search:\n    branch: agent/blog-search-ui\n"
    )
    policy, files = _custom(tmp_path, world, text)
    me = identify(policy, str(world.repo), {}, files)
    assert (me.agent, me.source) == ("lead", "branch")
    named = identify(policy, str(world.search), {AGENT_ENV: "lead"}, files)
    assert (named.agent, named.source) == ("lead", "env")
    assert named.conflict is not None


def test_base_dir(world: World, tmp_path: Path) -> None:
    """Relative agent worktrees resolve against the main worktree, from any linked one."""
    assert base_dir([str(world.search / "agentguard.yaml")]) == str(world.repo)
    assert base_dir([str(world.repo / "agentguard.yaml")]) == str(world.repo)
    assert base_dir([str(tmp_path / "p.yaml")]) == str(tmp_path)


def test_other_worktrees(world: World) -> None:
    """Every worktree of the repository but the caller's is someone else's."""
    policy, files = _policy(world)
    me = identify(policy, str(world.search), {}, files)
    others = {os.path.realpath(p) for p in other_worktrees(policy, me, base_dir(files))}
    expected = {
        os.path.realpath(getattr(world, name))
        for name in ("repo", "metadata", "review", "scratch", "detached")
    }
    assert others == expected


def test_a_repository_planted_inside_the_worktree_does_not_change_identity(
    world: World, tmp_path: Path
) -> None:
    """cd into a nested repo on another agent's branch: identity stays the project's."""
    policy, files = _policy(world)
    planted = world.search / "src" / "components" / "planted"
    (planted / ".git" / "refs" / "heads").mkdir(parents=True)
    (planted / ".git" / "HEAD").write_text("ref: refs/heads/agent/metadata-filter-contract\n")
    try:
        without = identify(policy, str(planted), {}, files)
        assert without.agent == "metadata"  # what the cwd alone would say: the trap
        env = {"CLAUDE_PROJECT_DIR": str(world.search)}
        found = identify(policy, str(planted), env, files)
        assert (found.agent, found.source, found.branch) == (
            "search",
            "branch",
            "agent/blog-search-ui",
        )
    finally:
        import shutil

        shutil.rmtree(planted)


def test_state_folder_follows_the_project_not_the_cwd(world: World) -> None:
    """The log and counters stay in the repository's common dir after a cd into a nested repo."""
    from agentguard.state.home import home

    planted = world.search / "src" / "components" / "planted2"
    (planted / ".git").mkdir(parents=True)
    (planted / ".git" / "HEAD").write_text("ref: refs/heads/x\n")
    try:
        nested = home(str(planted), {})
        assert nested == str(planted / ".git" / "agentguard")
        projected = home(str(planted), {"CLAUDE_PROJECT_DIR": str(world.search)})
        assert projected == home(str(world.search), {})
        assert ".git/agentguard" in projected and "planted2" not in projected
    finally:
        import shutil

        shutil.rmtree(planted)
