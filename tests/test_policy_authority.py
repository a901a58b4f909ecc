"""One policy authority, and a policy that never silently relaxes (issue 8, items 6 and 7).

The failures this pins, each of which let a forbidden call through before: a deleted
``agentguard.yaml`` fell back to the bundled default; a 0-byte one loaded as a valid empty
policy (force pushes then passed); a FIFO named ``agentguard.yaml`` hung the hook until
Claude Code killed it (and ran the tool); a link to ``/dev/zero`` was read until memory ran
out; a policy too large to compile in the hook's budget was compiled and cut off on every
call. And each worktree read its own branch's copy of the policy, so a rule committed on
main never reached an agent already running, and an agent's branch could loosen its own
rules. The hook runs through its entry point (``hook.main``, in-process) in real git
worktrees; where a regression would hang or flood the caller (the FIFO, ``/dev/zero``) or
the interpreter's start is the point (the compile budget), it runs as Claude Code starts
it: ``agentguard hook PreToolUse``, a process fed the event on stdin.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hookcall import in_process, in_subprocess
from world import git, write

from agentguard.commands import agents, doctor, explain, install
from agentguard.errors import GuardError, PolicyFileError
from agentguard.policy import compiled, files

AGENTGUARD = str(Path(sys.executable).parent / "agentguard")

POLICY = """\
version: 1
defaults:
  on_error: deny
  unassigned_agent: allow
  unowned_write: allow
  unknown_command: allow
agents:
  search:
    branch: agent/search
    worktree: ../search
    owns: [src/**]
commands:
  - id: history-rewrite
    builtin: git-destructive
    decision: deny
    justification: Force pushes rewrite history.
"""
RELEASE_RULE = """\
  - id: no-release
    deny: ["git tag"]
    justification: Release tags are made by a human.
"""


def _hook(project: Path, command: str, env: dict[str, str], process: bool = False) -> Any:
    """The hook's JSON answer to a Bash call in ``project``; ``process``: in a real
    ``agentguard hook PreToolUse`` process (20 s to answer), as Claude Code starts it."""
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "sess-authority",
        "cwd": str(project),
        "tool_name": "Bash",
        "tool_input": {"command": command},
    }
    call = partial(in_subprocess, entry=[AGENTGUARD, "hook"], timeout=20) if process else in_process
    run = call(
        ["PreToolUse"], json.dumps(event), {**env, "CLAUDE_PROJECT_DIR": str(project)}, project
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout) if run.stdout.strip() else None


def _decision(answer: Any) -> tuple[str, str]:
    specific = (answer or {}).get("hookSpecificOutput") or {}
    return specific.get("permissionDecision", "none"), specific.get("permissionDecisionReason", "")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The hook's environment: an own state folder, no policy override, no agent name."""
    out = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AGENTGUARD_POLICY", "AGENTGUARD_AGENT", "AGENTGUARD_BUDGET")
    }
    out["AGENTGUARD_HOME"] = str(tmp_path / "state")
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A guarded repository: policy and hooks committed (``install`` marks the policy)."""
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    write(main, "agentguard.yaml", POLICY)
    write(main, "src/app.ts", "export {};\n")
    assert install.main(["install", "--project", str(main)]) == 0
    assert (main / compiled.MARKER).read_text() == "agentguard.yaml\n"
    git(main, "add", "-A")
    git(main, "commit", "-q", "-m", "guarded")
    return main


# Item 6: a missing, empty or broken policy never relaxes.


def test_the_policy_as_committed_denies_a_force_push(repo: Path, env: dict[str, str]) -> None:
    """The baseline the cases below must never fall beneath: a force push is denied."""
    decision, reason = _decision(_hook(repo, "git push -f origin main", env))
    assert decision == "deny"
    assert ":history-rewrite]" in reason


def test_a_deleted_policy_is_a_guard_error_not_the_default(repo: Path, env: dict[str, str]) -> None:
    """A deleted policy in a project that has one: on_error with the reason, no fallback."""
    (repo / "agentguard.yaml").unlink()
    decision, reason = _decision(_hook(repo, "git push -f origin main", env))
    assert decision == "deny"
    assert "[agentguard:on-error]" in reason
    assert f"{repo / 'agentguard.yaml'} is missing" in reason
    assert "git checkout -- agentguard.yaml" in reason
    # The bundled default (which only asks) would have answered ask.
    decision, _ = _decision(_hook(repo, "ls", env))
    assert decision == "deny"


def test_a_project_without_a_policy_still_gets_the_bundled_default(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """No policy and no marker: the bundled default applies (installing is not a policy)."""
    bare = tmp_path / "plain"
    bare.mkdir()
    git(bare, "init", "-q", "-b", "main")
    assert install.main(["install", "--project", str(bare)]) == 0
    assert not (bare / compiled.MARKER).exists()
    assert compiled.discover(str(bare), {"CLAUDE_PROJECT_DIR": str(bare)}) == [
        compiled.bundled_default()
    ]
    decision, reason = _decision(_hook(bare, "git push -f origin main", env))
    assert decision == "ask", reason


def test_an_emptied_policy_folder_is_a_guard_error(tmp_path: Path) -> None:
    """A ``.agentguard/`` folder left with no ``*.yaml`` is an error, never the default."""
    project = tmp_path / "p"
    (project / ".agentguard").mkdir(parents=True)
    with pytest.raises(GuardError, match=r"holds no \*\.yaml policy"):
        compiled.discover(str(project), {"CLAUDE_PROJECT_DIR": str(project)})


@pytest.mark.parametrize(
    "text", ["", "   \n\n  \n", "# the policy\n# comes later\n", "---\n# nothing\n"]
)
def test_an_empty_policy_is_a_guard_error(repo: Path, env: dict[str, str], text: str) -> None:
    """0 bytes, blanks or comments only: on_error with the reason, never "no rules"."""
    (repo / "agentguard.yaml").write_text(text)
    decision, reason = _decision(_hook(repo, "git push -f origin main", env))
    assert decision == "deny"
    assert "[agentguard:on-error]" in reason
    assert "the policy is empty" in reason


def test_a_fifo_policy_is_refused_without_hanging(repo: Path, env: dict[str, str]) -> None:
    """A FIFO named agentguard.yaml (no writer): on_error at once, not a hook that hangs."""
    policy = repo / "agentguard.yaml"
    policy.unlink()
    os.mkfifo(policy)
    started = time.monotonic()
    decision, reason = _decision(_hook(repo, "git push -f origin main", env, process=True))
    assert time.monotonic() - started < 5
    assert decision == "deny"
    assert "is a FIFO, not a regular file" in reason
    # Every reader goes through the same check: lint and compile do not hang either.
    run = subprocess.run(
        [AGENTGUARD, "compile", "--cwd", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
        check=False,
    )
    assert run.returncode == 1
    assert "FIFO" in run.stderr


def test_a_link_to_dev_zero_is_refused_at_once(repo: Path, env: dict[str, str]) -> None:
    """agentguard.yaml -> /dev/zero: refused from the stat, nothing is read."""
    policy = repo / "agentguard.yaml"
    policy.unlink()
    policy.symlink_to("/dev/zero")
    decision, reason = _decision(_hook(repo, "git push -f origin main", env, process=True))
    assert decision == "deny"
    assert "is a device, not a regular file" in reason


def test_read_policy_rechecks_the_open_file_and_never_blocks(tmp_path: Path) -> None:
    """The reader opens non-blocking and reads at most the cap plus one byte."""
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PolicyFileError, match="FIFO"):
        files.read_policy(str(fifo))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 10)
    assert files.read_policy(str(big), limit=10) == b"#" * 10
    with pytest.raises(PolicyFileError, match="larger than"):
        files.read_policy(str(big), limit=9)


def test_an_oversized_policy_is_a_guard_error(repo: Path, env: dict[str, str]) -> None:
    """A policy past the 1 MiB cap (a comment padding it): on_error, the cap in the reason."""
    policy = repo / "agentguard.yaml"
    padding = "#" * 99 + "\n"
    policy.write_text(POLICY + padding * (files.MAX_BYTES // len(padding) + 1))
    assert policy.stat().st_size > files.MAX_BYTES
    decision, reason = _decision(_hook(repo, "git push -f origin main", env))
    assert decision == "deny"
    assert "larger than the 1 MiB agentguard reads" in reason


def _large_policy(rules: int) -> str:
    lines = [POLICY]
    for n in range(rules):
        lines.append(
            f'  - id: rule-{n}\n    deny: ["tool{n} --flag{n}"]\n'
            f"    justification: Rule number {n}.\n"
            f'    match: ["tool{n} --flag{n} x"]\n'
        )
    return "".join(lines)


def test_a_policy_over_the_compile_budget_fails_closed_once_then_answers_at_once(
    repo: Path, env: dict[str, str]
) -> None:
    """Too slow to compile in the budget: on_error naming `agentguard compile`, recorded.

    The next call answers from the record instead of compiling and being cut off again;
    `agentguard compile` (no budget) then fills the cache the hook reads.
    """
    (repo / "agentguard.yaml").write_text(_large_policy(1500))
    env = {**env, "AGENTGUARD_BUDGET": "0.3"}
    decision, reason = _decision(_hook(repo, "git push -f origin main", env, process=True))
    assert decision == "deny"
    assert "[agentguard:on-error]" in reason
    assert "too large to compile within the hook's 0.3 s budget" in reason
    assert "run `agentguard compile`" in reason
    [cache] = list((Path(env["AGENTGUARD_HOME"]) / "cache").glob("policy-*.json"))
    assert json.loads(cache.read_text())["over_budget"] is True
    started = time.monotonic()
    again = _decision(_hook(repo, "git push -f origin main", env, process=True))
    assert again == (decision, reason)
    # Interpreter start included: no compile was attempted (it alone runs past 0.3 s).
    assert time.monotonic() - started < 2
    run = subprocess.run(
        [AGENTGUARD, "compile", "--cwd", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    decision, reason = _decision(_hook(repo, "tool7 --flag7", env, process=True))
    assert (decision, ":rule-7]" in reason) == ("deny", True), reason


# Item 7: one authority, the main checkout's policy, for every worktree.


@pytest.fixture
def agent_tree(repo: Path, env: dict[str, str]) -> Path:
    """Agent search's linked worktree, made by ``agentguard agents up``."""
    run = subprocess.run(
        [AGENTGUARD, "agents", "up"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    tree = repo.parent / "search"
    assert (tree / ".git").is_file()
    return tree


def test_a_rule_committed_on_main_reaches_a_running_agent(
    repo: Path, agent_tree: Path, env: dict[str, str]
) -> None:
    """A deny committed on main holds for the agent's next call in its linked worktree."""
    agent_env = {**env, "AGENTGUARD_AGENT": "search"}
    decision, _ = _decision(_hook(agent_tree, "git tag v1.0", agent_env))
    assert decision == "none"
    (repo / "agentguard.yaml").write_text(POLICY + RELEASE_RULE)
    git(repo, "commit", "-qam", "deny git tag")
    # The agent's branch still holds the old copy, and the agent is not restarted.
    assert "no-release" not in (agent_tree / "agentguard.yaml").read_text()
    decision, reason = _decision(_hook(agent_tree, "git tag v1.0", agent_env))
    assert decision == "deny", reason
    assert ":no-release]" in reason


def test_the_agents_own_loosened_copy_is_ignored(
    repo: Path, agent_tree: Path, env: dict[str, str]
) -> None:
    """The branch's copy allowing force pushes and failing open changes nothing."""
    loose = POLICY.replace("decision: deny", "decision: allow").replace(
        "on_error: deny", "on_error: allow"
    )
    (agent_tree / "agentguard.yaml").write_text(loose)
    git(agent_tree, "commit", "-qam", "loosen")
    agent_env = {**env, "AGENTGUARD_AGENT": "search"}
    decision, reason = _decision(_hook(agent_tree, "git push -f origin agent/search", agent_env))
    assert decision == "deny"
    assert ":history-rewrite]" in reason
    # Even deleting its copy (and the marker) in its worktree does not reach the authority.
    (agent_tree / "agentguard.yaml").unlink()
    (agent_tree / compiled.MARKER).unlink()
    decision, _ = _decision(_hook(agent_tree, "git push -f origin agent/search", agent_env))
    assert decision == "deny"
    assert compiled.discover(str(agent_tree), {"CLAUDE_PROJECT_DIR": str(agent_tree)}) == [
        str(repo / "agentguard.yaml")
    ]


def test_agentguard_policy_still_overrides(
    repo: Path, agent_tree: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """``AGENTGUARD_POLICY`` names the policy explicitly, in any worktree."""
    other = tmp_path / "other.yaml"
    other.write_text(POLICY + RELEASE_RULE)
    found = compiled.discover(str(agent_tree), {"AGENTGUARD_POLICY": str(other)})
    assert found == [str(other)]
    decision, _ = _decision(
        _hook(agent_tree, "git tag v1.0", {**env, "AGENTGUARD_POLICY": str(other)})
    )
    assert decision == "deny"


def test_agents_status_names_the_file_each_hook_loads(
    repo: Path, agent_tree: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``agents status`` says the agent's hook loads the main checkout's policy, and why."""
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    (agent_tree / "agentguard.yaml").write_text(POLICY.replace("deny", "allow"))
    out = io.StringIO()
    assert agents.main(["status", "-C", str(agent_tree)], out=out) == 0
    text = out.getvalue()
    assert f"  policy: {repo / 'agentguard.yaml'}" in text or "  policy: agentguard.yaml" in text
    assert "(the main checkout's, for every worktree)" in text
    assert "its own" in text and "differs and is not enforced" in text
    out = io.StringIO()
    assert agents.main(["status", "-C", str(repo), "--format", "json"], out=out) == 0
    [row] = json.loads(out.getvalue())["agents"]
    assert row["policy"] == [str(repo / "agentguard.yaml")]
    assert row["own_policy"] == [str(agent_tree / "agentguard.yaml")]


def test_explain_names_the_file_the_hook_loads(
    repo: Path,
    agent_tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """``explain`` for an agent in its worktree names the main checkout's policy."""
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.setenv("AGENTGUARD_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(agent_tree)
    assert explain.main(["--agent", "search", "--", "git", "push", "-f"]) == 0
    text = capsys.readouterr().out
    assert f"policy:   {repo / 'agentguard.yaml'}\n" in text
    assert "(the main checkout's, for every worktree)" in text
    assert "decision: deny" in text
    assert explain.main(["--agent", "search", "--format", "json", "--", "git", "push", "-f"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["policy"] == [str(repo / "agentguard.yaml")]


def test_doctor_agrees_and_warns_about_a_differing_branch_copy(
    repo: Path, agent_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``doctor`` reports the authority for the agent's worktree and flags its own copy."""
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    monkeypatch.setenv("AGENTGUARD_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(doctor, "MANAGED_PATHS", ())
    (agent_tree / "agentguard.yaml").write_text(POLICY.replace("deny", "allow"))
    out = io.StringIO()
    doctor.main(["--project", str(repo), "--no-probe", "--format", "json"], out=out)
    report = json.loads(out.getvalue())
    [tree] = [t for t in report["worktrees"] if t["path"] == str(agent_tree)]
    checks = [c for c in tree["checks"] if c["area"] == "policy"]
    assert checks[0]["status"] == "ok"
    assert "(same as the main checkout)" in checks[0]["message"]
    assert checks[1]["status"] == "warn"
    assert "differs from the policy enforced here; it is not enforced" in checks[1]["message"]


def test_doctor_warns_when_the_policy_is_not_marked(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project policy without ``.claude/agentguard-policy`` (set up before it existed)."""
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    monkeypatch.setenv("AGENTGUARD_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(doctor, "MANAGED_PATHS", ())
    (repo / compiled.MARKER).unlink()
    out = io.StringIO()
    doctor.main(["--project", str(repo), "--no-probe", "--format", "json"], out=out)
    [tree] = json.loads(out.getvalue())["worktrees"]
    [warn] = [c for c in tree["checks"] if c["area"] == "policy" and c["status"] == "warn"]
    assert "would fall back to the bundled default" in warn["message"]
    assert "agentguard install" in warn["fix"]
