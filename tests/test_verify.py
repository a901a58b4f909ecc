"""``agentguard verify`` on real git repositories with linked worktrees (no install needed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from world import git, write

from agentguard.commands import verify

POLICY = """\
version: 1
agents:
  metadata:
    branch: agent/metadata
    worktree: ../wt-metadata
    owns: [src/content/**]
    checks: [build]
  search:
    branch: agent/search
    worktree: ../wt-search
    owns: [src/pages/**]
    cannot_touch: [src/content/config.ts]
    checks: [build]
integration:
  branch: integration/blog
  owner: integrator
paths:
  - {id: generated, match: [dist/], write: ask}
checks:
  build: {run: npm run build}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed blog on main, the integration branch, and the search agent's worktree."""
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    write(main, "agentguard.yaml", POLICY)
    write(main, "src/content/config.ts")
    write(main, "src/pages/index.astro")
    write(main, "dist/legacy.js")  # tracked before the agents started: allowed to change
    git(main, "add", "-A")
    git(main, "commit", "-q", "-m", "blog")
    git(main, "branch", "integration/blog")
    git(main, "worktree", "add", "-q", "-b", "agent/search", str(tmp_path / "wt-search"))
    return tmp_path / "wt-search"


def run(cwd: Path, *args: str) -> tuple[int, str]:
    """``agentguard verify`` in ``cwd``; exit status and output."""
    out = io.StringIO()
    code = verify.main(["-C", str(cwd), *args], out=out)
    return code, out.getvalue()


def commit(cwd: Path, *files: str) -> None:
    """Change ``files`` in the worktree and commit them."""
    for rel in files:
        write(cwd, rel, f"changed {rel}\n")
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", "work")


def test_agent_in_its_lane_passes(repo: Path) -> None:
    """A branch that changed only owned files, committed and clean, passes every check."""
    commit(repo, "src/pages/index.astro", "src/pages/blog/new.astro")
    code, output = run(repo)
    assert code == 0, output
    assert output.splitlines()[0] == (
        "agent search (from branch), branch agent/search, base integration/blog"
    )
    assert [line.split(":")[0] for line in output.splitlines()[1:5]] == [
        "PASS branch",
        "PASS ownership",
        "PASS generated",
        "PASS clean",
    ]
    assert output.splitlines()[-1] == "4 passed, 0 failed"


def test_touching_another_agents_file_fails_naming_it(repo: Path) -> None:
    """search changing metadata's file fails ownership, naming the file and the owner."""
    commit(repo, "src/pages/index.astro", "src/content/blog/post.md")
    code, output = run(repo)
    assert code == 1
    assert "FAIL ownership: 1 of 2 changed file(s)" in output
    assert "     src/content/blog/post.md: owned by metadata, not by search\n" in output
    assert "src/pages/index.astro:" not in output


def test_cannot_touch_and_unowned_files_are_named(repo: Path) -> None:
    """A cannot_touch file and a file nobody owns are each named with their reason."""
    commit(repo, "src/content/config.ts", "README.md")
    code, output = run(repo)
    assert code == 1
    assert "src/content/config.ts: in search's cannot_touch ('src/content/config.ts')" in output
    assert "README.md: outside search's owned paths" in output


def test_moving_a_file_out_names_both_paths(repo: Path) -> None:
    """A rename out of another agent's folder names the deleted path too (no rename folding)."""
    git(repo, "mv", "src/content/config.ts", "src/pages/config.ts")
    git(repo, "commit", "-q", "-m", "move")
    code, output = run(repo)
    assert code == 1
    assert "src/content/config.ts: in search's cannot_touch" in output
    assert "src/pages/config.ts" not in output.split("FAIL ownership")[1].split("PASS")[0]


def test_committed_generated_file_fails(repo: Path) -> None:
    """A new file under the generated class, committed on the branch, fails 'generated'."""
    commit(repo, "src/pages/index.astro", "dist/index.html", "dist/legacy.js")
    code, output = run(repo)
    assert code == 1
    assert "FAIL generated: 1 generated file(s)" in output
    assert "     dist/index.html: committed, but integration/blog does not track it\n" in output
    # Already tracked at the base: changing it is not a new generated file.
    generated = output.split("FAIL generated")[1].split("clean:")[0]
    assert "dist/legacy.js" not in generated


def test_untracked_generated_file_and_dirty_tree_fail(repo: Path) -> None:
    """An untracked build output fails 'generated' and 'clean'; an edit fails 'clean'."""
    write(repo, "dist/app.js")
    write(repo, "src/pages/index.astro", "edited\n")
    code, output = run(repo)
    assert code == 1
    assert "     dist/app.js: untracked and not ignored\n" in output
    assert "FAIL clean: 2 uncommitted change(s)" in output
    assert "      M src/pages/index.astro\n" in output


def test_wrong_branch_fails(repo: Path) -> None:
    """Verifying as metadata on search's branch fails 'branch' and ownership of search's work."""
    commit(repo, "src/pages/index.astro")
    code, output = run(repo, "--agent", "metadata")
    assert code == 1
    assert "FAIL branch: agent/search is not agent metadata's branch (agent/metadata)" in output
    assert "src/pages/index.astro: owned by search, not by metadata" in output


def test_identity_from_environment(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """AGENTGUARD_AGENT names the agent, as in the agent's own session."""
    monkeypatch.setenv("AGENTGUARD_AGENT", "search")
    code, output = run(repo)
    assert code == 0, output
    assert output.startswith("agent search (from env)")


def test_github_annotations_name_each_file(repo: Path) -> None:
    """--format github writes one ::error annotation per offending file."""
    commit(repo, "src/content/blog/a.md", "src/content/blog/b.md")
    code, output = run(repo, "--format", "github")
    assert code == 1
    annotations = [line for line in output.splitlines() if line.startswith("::error")]
    assert [line.split(",")[0] for line in annotations] == [
        "::error file=src/content/blog/a.md",
        "::error file=src/content/blog/b.md",
    ]


def test_json_report(repo: Path) -> None:
    """--format json carries the agent, base and each check with its files."""
    commit(repo, "src/content/blog/a.md")
    code, output = run(repo, "--format", "json", "--base", "main")
    body = json.loads(output)
    assert code == 1
    assert (body["agent"], body["base"], body["ok"]) == ("search", "main", False)
    ownership = next(r for r in body["results"] if r["name"] == "ownership")
    assert ownership["files"] == ["src/content/blog/a.md"]


def test_unknown_agent_cannot_run(tmp_path: Path, repo: Path) -> None:
    """Outside any agent's branch and without --agent, verify refuses with exit status 2."""
    code, _ = run(tmp_path / "main")
    assert code == 2


def test_integration_owner_checks_every_file_has_an_owner(repo: Path) -> None:
    """For the integration owner, a changed file no agent owns fails; owned ones pass."""
    main = repo.parent / "main"
    git(main, "switch", "-q", "integration/blog")
    commit(main, "src/pages/index.astro", "src/content/blog/x.md", "NOTES.md")
    code, output = run(main, "--agent", "integrator", "--base", "main")
    assert code == 1
    assert "PASS branch: integration/blog is agent integrator's branch" in output
    assert "     NOTES.md: no agent owns it, so no agent branch should change it\n" in output
    assert "src/pages/index.astro:" not in output


def test_an_integrator_that_is_an_agent_judges_merged_work_on_the_integration_branch(
    repo: Path,
) -> None:
    """On the integration branch a defined integration owner checks owners, not its own lane."""
    main = repo.parent / "main"
    policy = (main / "agentguard.yaml").read_text()
    policy = policy.replace(
        "integration:\n", "  integrator:\n    owns: [docs/**]\n    checks: [build]\nintegration:\n"
    )
    write(main, "agentguard.yaml", policy)
    git(main, "commit", "-qam", "integrator is an agent")
    git(main, "switch", "-q", "integration/blog")
    git(main, "checkout", "-q", "main", "--", "agentguard.yaml")
    commit(main, "src/content/blog/x.md", "NOTES.md")
    code, output = run(main, "--agent", "integrator", "--base", "main")
    assert code == 1
    assert "     NOTES.md: no agent owns it, so no agent branch should change it\n" in output
    assert "src/content/blog/x.md:" not in output


def test_a_tag_named_like_the_base_cannot_hide_the_changes(repo: Path) -> None:
    """git resolves a bare name to a tag first: verify compares with the branch itself."""
    wt = repo.parent / "wt-search"
    commit(wt, "src/content/blog/stolen.md")
    code, out = run(wt)
    assert code == 1
    git(wt, "tag", "integration/blog")  # the tag points at the agent's own HEAD
    code, out = run(wt)
    assert code == 1, out
    assert "src/content/blog/stolen.md" in out
    code, out = run(wt, "--base", "integration/blog")
    assert code == 1, out
    assert "src/content/blog/stolen.md" in out
