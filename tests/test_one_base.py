"""One base: ``agents up``, ``verify``, ``agents status`` and the Stop gate measure from it.

The failure this pins: main has moved on (a commit changed ``agentguard.yaml``) while the
integration branch stayed behind; ``agents up`` made the agent's branch from HEAD, and
``verify`` compared with the integration branch, so a fresh agent failed on a policy file
it may not touch and was told to ``git checkout BASE -- agentguard.yaml``, which its own
guard refuses. Every command here runs for real: git, ``agentguard verify`` as the agent's
Bash call runs it, and the hook entry point fed what Claude Code would send.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from world import git, write

from agentguard.commands import agents, verify
from agentguard.hook import run as hook

POLICY = """\
version: 1
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
    cannot_touch: [src/content/config.ts]
    checks: [ownership]
integration:
  branch: integration/blog
  owner: integrator
checks:
  ownership:
    run: agentguard verify
    description: The branch stays in the agent's lane.
"""
VERIFY = "agentguard verify"
SESSION = "sess-one-base"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main one commit ahead of integration/blog, that commit changing agentguard.yaml."""
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    write(main, "agentguard.yaml", POLICY)
    write(main, "src/content/config.ts")
    write(main, "src/pages/index.astro")
    git(main, "add", "-A")
    git(main, "commit", "-q", "-m", "blog")
    git(main, "branch", "integration/blog")
    write(main, "agentguard.yaml", POLICY + "# reviewed by a human\n")
    git(main, "commit", "-qam", "policy: note")
    code, output = run_agents(main, "up")
    assert code == 0, output
    return main


def run_agents(cwd: Path, *args: str) -> tuple[int, str]:
    """``agentguard agents ARGS`` in ``cwd``: exit status and output."""
    out = io.StringIO()
    code = agents.main([*args, "-C", str(cwd)], out=out)
    return code, out.getvalue()


def run_verify(cwd: Path, *args: str) -> tuple[int, str]:
    """``agentguard verify ARGS`` in ``cwd``: exit status and output."""
    out = io.StringIO()
    code = verify.main(["-C", str(cwd), *args], out=out)
    return code, out.getvalue()


def commit(cwd: Path, *files: str) -> None:
    """Change ``files`` in ``cwd`` and commit them."""
    for rel in files:
        write(cwd, rel, f"changed {rel}\n")
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", "work")


class Session:
    """The search agent's Claude Code session in its worktree, as the hooks see it."""

    def __init__(self, worktree: Path, home: Path) -> None:
        self.worktree = worktree
        self.env = {
            "AGENTGUARD_AGENT": "search",
            "AGENTGUARD_HOME": str(home),
            "CLAUDE_PROJECT_DIR": str(worktree),
            "HOME": str(home.parent),
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        }
        self.calls = 0

    def call(self, name: str, **fields: Any) -> dict[str, Any] | None:
        """One hook call through the real entry point; its parsed output or None."""
        event = {"session_id": SESSION, "cwd": str(self.worktree), "hook_event_name": name}
        event.update(fields)
        out = io.StringIO()
        code = hook.main([name], stdin=io.StringIO(json.dumps(event)), stdout=out, env=self.env)
        assert code == 0
        text = out.getvalue()
        return json.loads(text) if text else None

    def decision(self, command: str) -> str:
        """The PreToolUse decision for a Bash command (``none`` when agentguard is silent)."""
        output = self.call("PreToolUse", tool_name="Bash", tool_input={"command": command})
        if output is None:
            return "none"
        return str(output["hookSpecificOutput"]["permissionDecision"])

    def tool(self, post: str, tool: str, tool_input: dict[str, Any], **fields: Any) -> None:
        """A genuine tool call: its PreToolUse (not denied), then ``post`` with the same id."""
        self.calls += 1
        ids = {"tool_name": tool, "tool_input": tool_input, "tool_use_id": f"toolu_{self.calls}"}
        pre = self.call("PreToolUse", **ids)
        assert (pre or {}).get("hookSpecificOutput", {}).get("permissionDecision") != "deny", pre
        self.call(post, **ids, **fields)

    def edit(self, rel: str) -> None:
        """A Write of an owned file, as the hooks see it."""
        tool_input = {"file_path": str(self.worktree / rel), "content": "x"}
        self.tool("PostToolUse", "Write", tool_input, tool_response={"type": "update"})

    def bash(self, command: str) -> int:
        """Run ``command`` in the worktree as the Bash tool does and report it to the hooks."""
        done = subprocess.run(
            command,
            shell=True,
            cwd=self.worktree,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            response = {"stdout": done.stdout, "stderr": done.stderr, "interrupted": False}
            self.tool("PostToolUse", "Bash", {"command": command}, tool_response=response)
        else:
            error = f"Exit code {done.returncode}\n{done.stdout}{done.stderr}"
            self.tool("PostToolUseFailure", "Bash", {"command": command}, error=error)
        return done.returncode

    def stop(self) -> dict[str, Any] | None:
        """The Stop hook's output (None: the agent may stop)."""
        return self.call("Stop", stop_hook_active=False)


@pytest.fixture
def search(repo: Path, tmp_path: Path) -> Session:
    """The search agent's session in the worktree ``agents up`` made."""
    return Session(repo.parent / "wt-search", tmp_path / "state")


def status_row(repo: Path, agent: str) -> dict[str, Any]:
    """``agents status --format json``'s row for ``agent``."""
    code, output = run_agents(repo, "status", "--format", "json")
    assert code == 0, output
    return next(r for r in json.loads(output)["agents"] if r["agent"] == agent)


def test_up_records_the_base_it_created_each_branch_from(repo: Path) -> None:
    """up records main (HEAD's branch) per agent branch, and says integration is behind."""
    for branch in ("agent/search", "agent/metadata"):
        key = f"branch.{branch}.agentguardBase"
        assert git(repo, "config", "--local", "--get", key).strip() == "refs/heads/main"
    code, output = run_agents(repo, "up")
    assert code == 0
    assert "integration: integration/blog does not contain main" in output


def test_a_fresh_agent_made_from_head_verifies_clean(search: Session) -> None:
    """The exact failure of old: an agent from HEAD, integration behind; verify exits 0."""
    commit(search.worktree, "src/pages/search.astro")
    code, output = run_verify(search.worktree)
    assert code == 0, output
    assert output.splitlines()[0] == (
        "agent search (from branch), branch agent/search, base main (from agents up)"
    )
    assert "PASS ownership: 1 changed file(s) since main (merge base" in output
    assert "agentguard.yaml" not in output


def test_status_agrees_with_verify(repo: Path, search: Session) -> None:
    """status measures each branch from the same recorded base: nothing out of lane."""
    commit(search.worktree, "src/pages/search.astro")
    row = status_row(repo, "search")
    assert (row["base"], row["base_source"]) == ("main", "from agents up")
    assert (row["changed"], row["out_of_lane"]) == (["src/pages/search.astro"], {})
    code, output = run_agents(repo, "status")
    assert code == 0, output
    assert "  base: main (from agents up)" in output.splitlines()
    # The policy is named only as the file the hook loads, never as a change.
    assert [line for line in output.splitlines() if "agentguard.yaml" in line] == [
        "  policy: agentguard.yaml (the main checkout's, for every worktree)"
    ] * 2


def test_the_stop_gate_agrees(search: Session) -> None:
    """An owned edit, the ownership check run in the worktree: it passes and Stop lets go."""
    commit(search.worktree, "src/pages/search.astro")
    search.edit("src/pages/search.astro")
    blocked = search.stop()
    assert blocked is not None and f"`{VERIFY}`" in blocked["reason"]
    assert search.bash(VERIFY) == 0
    assert search.stop() is None


def test_main_moving_on_later_does_not_move_the_agents_changes(repo: Path, search: Session) -> None:
    """Commits on main after up (the policy again, another lane) are not the agent's."""
    commit(search.worktree, "src/pages/search.astro")
    write(repo, "agentguard.yaml", POLICY + "# reviewed again\n")
    commit(repo, "src/content/blog/later.md")
    assert run_verify(search.worktree)[0] == 0
    assert status_row(repo, "search")["out_of_lane"] == {}


def test_a_real_change_outside_the_lane_is_reported_by_all_three(
    repo: Path, search: Session
) -> None:
    """Another agent's file, a cannot_touch and an unowned file: verify, status, Stop agree."""
    commit(search.worktree, "src/pages/search.astro", "src/content/blog/post.md", "NOTES.md")
    git(search.worktree, "rm", "-q", "src/content/config.ts")
    git(search.worktree, "commit", "-qm", "drop the schema")
    offending = {"src/content/blog/post.md", "src/content/config.ts", "NOTES.md"}
    code, output = run_verify(search.worktree, "--format", "json")
    assert code == 1, output
    result = next(r for r in json.loads(output)["results"] if r["name"] == "ownership")
    assert set(result["files"]) == offending
    assert set(status_row(repo, "search")["out_of_lane"]) == offending
    search.edit("src/pages/search.astro")
    assert search.bash(VERIFY) == 1
    blocked = search.stop()
    assert blocked is not None and blocked["decision"] == "block"
    assert f"- ownership: `{VERIFY}`" in blocked["reason"]
    assert "[failed: FAIL ownership: 3 of 4 changed file(s) since main" in blocked["reason"]


def test_every_hint_names_a_real_ref_and_is_one_the_guard_allows(
    repo: Path, search: Session
) -> None:
    """No BASE placeholder; each undo command is allowed; refused files say whom to ask."""
    # A human's slip on the branch: agents cannot write the policy themselves.
    write(search.worktree, "agentguard.yaml", POLICY + "# edited on the branch\n")
    commit(search.worktree, "src/pages/search.astro", "src/content/blog/post.md", "NOTES.md")
    code, output = run_verify(search.worktree)
    assert code == 1, output
    assert "BASE" not in output
    hints: dict[str, str] = {}
    rel = ""
    for line in output.split("FAIL ownership")[1].split("PASS")[0].splitlines()[1:]:
        if line.startswith("       "):  # a hint under the file named above it
            hints[rel] = f"{hints[rel]} {line.strip()}".strip()
        else:
            rel = line.split(":")[0].strip()
            hints[rel] = ""
    assert set(hints) == {"agentguard.yaml", "src/content/blog/post.md", "NOTES.md"}, output
    fork = git(search.worktree, "merge-base", "main", "HEAD").strip()
    for hint in hints.values():
        command = hint.rsplit(": ", 1)[1]
        for ref in re.findall(r"git checkout (\S+) --", command):
            assert fork.startswith(ref), hint
        if hint.startswith("undo: "):
            assert search.decision(command) != "deny", hint
        else:
            assert hint.startswith("not yours to change: ask the integration owner"), hint
            assert search.decision(command) == "deny", hint
    assert hints["agentguard.yaml"] == (
        "not yours to change: ask the integration owner (integrator) or a human to run on"
        f" agent/search: git checkout {fork[:12]} -- agentguard.yaml"
    )
    assert hints["src/content/blog/post.md"].endswith("git rm -q -- src/content/blog/post.md")
    assert hints["NOTES.md"] == "undo: git rm -q -- NOTES.md"


def test_an_explicit_base_still_wins(search: Session) -> None:
    """``verify --base REF`` measures from REF: the older integration branch shows the policy."""
    commit(search.worktree, "src/pages/search.astro")
    code, output = run_verify(search.worktree, "--base", "integration/blog")
    assert code == 1, output
    assert "agent search (from branch), branch agent/search, base integration/blog" in output
    assert "     agentguard.yaml: agentguard's own file" in output
    assert run_verify(search.worktree, "--base", "main")[0] == 0


def test_the_recorded_base_cannot_be_moved_from_the_environment(
    search: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's environment-injected config (GIT_CONFIG_COUNT…) does not change the base read."""
    commit(search.worktree, "src/content/blog/stolen.md")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "branch.agent/search.agentguardBase")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "HEAD")
    code, output = run_verify(search.worktree)
    assert code == 1, output
    assert "src/content/blog/stolen.md: owned by metadata" in output


def test_a_recorded_base_that_is_gone_cannot_run(
    repo: Path, search: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    """A recorded base that names no commit is exit 2 with the config key to fix."""
    git(repo, "config", "branch.agent/search.agentguardBase", "refs/heads/gone")
    code, _ = run_verify(search.worktree)
    assert code == 2
    assert "git config branch.agent/search.agentguardBase" in capsys.readouterr().err
    code, output = run_agents(repo, "status")
    assert code == 0, output
    assert "  base: the base refs/heads/gone recorded for agent/search" in output
    assert "search: agent/search, worktree ../wt-search, changes unknown" in output


def test_the_agent_cannot_rewrite_its_recorded_base(search: Session) -> None:
    """Moving the base through git config is a write to .git/config: denied."""
    key = "branch.agent/search.agentguardBase"
    assert search.decision(f"git config {key} HEAD") == "deny"
    assert search.decision(f"git config --unset {key}") == "deny"


def test_an_agent_cannot_open_the_gate_with_a_base_of_its_choosing(search: Session) -> None:
    """``verify --base HEAD`` passes (nothing changed since HEAD) but proves no check."""
    commit(search.worktree, "src/pages/search.astro", "src/content/blog/stolen.md")
    search.edit("src/pages/search.astro")
    assert search.bash(f"{VERIFY} --base HEAD") == 0
    blocked = search.stop()
    assert blocked is not None and blocked["decision"] == "block"
    assert "ownership: `agentguard verify`" in blocked["reason"]


def test_taking_the_integration_branch_in_does_not_charge_others_work(
    repo: Path, search: Session
) -> None:
    """metadata's work merged by the integrator, then into search: only search's is judged."""
    metadata = repo.parent / "wt-metadata"
    commit(metadata, "src/content/blog/m.md")
    git(repo, "switch", "-q", "integration/blog")
    git(repo, "merge", "-q", "--no-edit", "agent/metadata")
    git(repo, "switch", "-q", "main")
    commit(search.worktree, "src/pages/search.astro")
    git(search.worktree, "merge", "-q", "--no-edit", "integration/blog")
    code, output = run_verify(search.worktree)
    assert code == 0, output
    assert "PASS ownership: 1 changed file(s) since integration/blog (merge base" in output
    row = status_row(repo, "search")
    assert (row["measured_from"], row["out_of_lane"]) == ("integration/blog", {})
    # Its own slip after the merge is still its own.
    commit(search.worktree, "src/content/blog/slip.md")
    code, output = run_verify(search.worktree)
    assert code == 1, output
    assert "src/content/blog/slip.md: owned by metadata" in output
    assert "src/content/blog/m.md" not in output
    assert set(status_row(repo, "search")["out_of_lane"]) == {"src/content/blog/slip.md"}
