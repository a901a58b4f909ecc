"""``agentguard init`` and ``agentguard agents up|status|down`` on real git repositories."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from world import git, write

from agentguard.commands import agents, init

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
  helpers:
    branch: "agent/helper-*"
    owns: [scripts/**]
    checks: [build]
integration:
  branch: integration/blog
  owner: integrator
checks:
  build: {run: npm run build}
"""


def run(cwd: Path, *args: str) -> tuple[int, str]:
    """``agentguard agents ARGS`` in ``cwd``: exit status and output."""
    out = io.StringIO()
    code = agents.main([*args, "-C", str(cwd)], out=out)
    return code, out.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed repository holding the policy, on main."""
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    write(main, "agentguard.yaml", POLICY)
    write(main, "src/content/config.ts")
    write(main, "src/pages/index.astro")
    git(main, "add", "-A")
    git(main, "commit", "-q", "-m", "blog")
    return main


def test_up_creates_branches_worktrees_and_identity(repo: Path) -> None:
    """up creates each literal-branch agent's branch and worktree and writes its identity."""
    code, output = run(repo, "up")
    assert code == 0, output
    head = git(repo, "rev-parse", "HEAD").strip()
    listing = git(repo, "worktree", "list", "--porcelain")
    for name, branch in (("metadata", "agent/metadata"), ("search", "agent/search")):
        tree = repo.parent / f"wt-{name}"
        assert f"worktree {tree}\nHEAD {head}\nbranch refs/heads/{branch}\n" in listing
        settings = json.loads((tree / ".claude" / "settings.local.json").read_text())
        assert settings == {"env": {"AGENTGUARD_AGENT": name}}
        # The identity file must not make the agent's worktree dirty.
        assert git(tree, "status", "--short") == ""
    assert git(repo, "rev-parse", "integration/blog").strip() == head
    # A branch glob names no single branch to create.
    assert "helpers" not in output
    assert "agent/helper" not in git(repo, "branch", "--list")


def test_up_is_idempotent_and_keeps_other_settings(repo: Path) -> None:
    """A second up skips what exists, and merges the identity into existing settings."""
    assert run(repo, "up")[0] == 0
    local = repo.parent / "wt-search" / ".claude" / "settings.local.json"
    local.write_text('{"permissions": {"allow": ["Bash(npm run check)"]}, "env": {"X": "1"}}')
    code, output = run(repo, "up")
    assert code == 0, output
    assert "search: ../wt-search already on agent/search; skipped; identity written" in output
    assert json.loads(local.read_text()) == {
        "permissions": {"allow": ["Bash(npm run check)"]},
        "env": {"X": "1", "AGENTGUARD_AGENT": "search"},
    }
    code, output = run(repo, "up")
    assert "identity already set" in output
    exclude = Path(git(repo, "rev-parse", "--git-common-dir").strip())
    text = (repo / exclude / "info" / "exclude").read_text()
    assert text.count("/.claude/settings.local.json") == 1


def test_up_refuses_a_dirty_base(repo: Path) -> None:
    """up lists the dirty files and creates nothing."""
    write(repo, "src/pages/index.astro", "edited\n")
    write(repo, "notes.txt")
    code, output = run(repo, "up")
    assert code == 1
    assert output.splitlines()[1:] == ["   M src/pages/index.astro", "  ?? notes.txt"]
    assert not (repo.parent / "wt-search").exists()
    assert "agent/search" not in git(repo, "branch", "--list")


def test_up_from_a_base_ref(repo: Path) -> None:
    """--base REF starts the agents' branches there, not at HEAD."""
    first = git(repo, "rev-parse", "HEAD").strip()
    write(repo, "README.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    code, output = run(repo, "up", "--base", first)
    assert code == 0, output
    assert git(repo, "rev-parse", "agent/search").strip() == first
    # A commit (not a branch) is recorded as itself: the base stays where it was.
    key = "branch.agent/search.agentguardBase"
    assert git(repo, "config", "--local", "--get", key).strip() == first


def test_up_refuses_a_foreign_folder(repo: Path) -> None:
    """A non-empty folder where a worktree should go is refused with the reason."""
    write(repo.parent, "wt-search/keep.txt")
    code, output = run(repo, "up")
    assert code == 1
    assert "search: refused: ../wt-search exists and is not a worktree" in output
    assert (repo.parent / "wt-metadata").is_dir()


def test_status_shows_dirty_and_out_of_lane_files(repo: Path) -> None:
    """status names the dirty files and the files changed outside each agent's lane."""
    run(repo, "up")
    search = repo.parent / "wt-search"
    write(search, "src/content/config.ts", "mine now\n")
    git(search, "commit", "-qam", "schema")
    write(search, "src/pages/index.astro", "wip\n")
    code, output = run(repo, "status")
    assert code == 0
    lines = output.splitlines()
    start = lines.index("search: agent/search, worktree ../wt-search, 1 file(s) changed")
    assert lines[start + 1 : start + 6] == [
        "  base: main (from agents up)",
        "  policy: agentguard.yaml (the main checkout's, for every worktree)",
        "  dirty:  M src/pages/index.astro",
        "  outside its lane:",
        "    src/content/config.ts: in search's cannot_touch ('src/content/config.ts')",
    ]
    assert "metadata: agent/metadata, worktree ../wt-metadata, 0 file(s) changed" in lines


def test_down_removes_only_merged_clean_worktrees(repo: Path) -> None:
    """down removes a merged clean worktree and refuses unmerged or dirty ones, saying why."""
    run(repo, "up")
    metadata, search = repo.parent / "wt-metadata", repo.parent / "wt-search"
    write(metadata, "src/content/blog/a.md")
    git(metadata, "add", "-A")
    git(metadata, "commit", "-qm", "post")
    write(search, "src/pages/wip.astro")
    code, output = run(repo, "down")
    assert code == 1
    assert "metadata: refused: agent/metadata is not merged into integration/blog" in output
    assert (
        "search: refused: ../wt-search has uncommitted changes (?? src/pages/wip.astro)" in output
    )
    git(repo, "switch", "-q", "integration/blog")
    git(repo, "merge", "-q", "--ff-only", "agent/metadata")
    code, output = run(repo, "down")
    assert "metadata: removed ../wt-metadata (merged into integration/blog; branch kept)" in output
    assert not metadata.exists() and search.exists()
    assert "agent/metadata" in git(repo, "branch", "--list")


def test_init_writes_policy_with_schema_header_and_installs(tmp_path: Path) -> None:
    """init writes the template with the schema header, the schema, and the hooks; no overwrite."""
    project = tmp_path / "p"
    project.mkdir()
    assert init.main(["--project", str(project), "--template", "astro-blog-discovery"]) == 0
    text = (project / "agentguard.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=.claude/agentguard.schema.json"
    assert "agent/blog-search-ui" in text
    schema = json.loads((project / ".claude" / "agentguard.schema.json").read_text())
    assert schema["title"] == "agentguard policy"
    settings = json.loads((project / ".claude" / "settings.json").read_text())
    handler = settings["hooks"]["PreToolUse"][0]["hooks"][0]
    # The committed command names no path of this machine: a teammate's clone runs it too.
    assert handler["command"] == '"$CLAUDE_PROJECT_DIR"/.claude/hooks/agentguard PreToolUse'
    assert handler["onFailure"] == "block"
    assert str(tmp_path) not in (project / ".claude" / "settings.json").read_text()
    assert os.access(project / ".claude" / "hooks" / "agentguard", os.X_OK)
    (project / "agentguard.yaml").write_text("mine\n")
    assert init.main(["--project", str(project)]) == 2
    assert (project / "agentguard.yaml").read_text() == "mine\n"
    assert init.main(["--project", str(project), "--force", "--no-install"]) == 0
    assert "mine" not in (project / "agentguard.yaml").read_text()


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` (but .git's) with its bytes and mode: a snapshot."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture
def bare_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with a subfolder, no policy yet; the test runs in the subfolder."""
    root = tmp_path / "repo"
    (root / "src" / "pages").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write(root, "src/pages/index.astro")
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.chdir(root / "src" / "pages")
    return root


def test_init_in_a_subfolder_writes_at_the_repository_root(bare_repo: Path) -> None:
    """Run from src/pages, init puts the policy and the hooks at the root, none in src/pages."""
    assert init.main([]) == 0
    assert (bare_repo / "agentguard.yaml").is_file()
    assert (bare_repo / ".claude" / "settings.json").is_file()
    assert (bare_repo / ".claude" / "agentguard-policy").read_text() == "agentguard.yaml\n"
    assert sorted(p.name for p in (bare_repo / "src" / "pages").iterdir()) == ["index.astro"]


def test_install_in_a_subfolder_writes_at_the_repository_root(bare_repo: Path) -> None:
    """install, like init, finds the root from a subfolder."""
    from agentguard.commands import install

    assert install.install_main(["--command-style", "script"]) == 0
    assert (bare_repo / ".claude" / "settings.json").is_file()
    assert not (bare_repo / "src" / "pages" / ".claude").exists()


@pytest.mark.parametrize("extra", [[], ["--no-install"], ["--force"]])
def test_init_dry_run_writes_nothing(
    bare_repo: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run leaves the tree byte for byte as it was, and says what it would write."""
    before = _tree(bare_repo)
    assert init.main(["--dry-run", *extra]) == 0
    assert _tree(bare_repo) == before
    out = capsys.readouterr().out
    assert f"would write {bare_repo / 'agentguard.yaml'}" in out
    assert "dry run: nothing written" in out
