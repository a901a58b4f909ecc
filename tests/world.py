"""The article's repository built for real: an Astro blog, three agent worktrees, an integrator.

Tests that need a realistic repository (the golden corpus, identity, the hook)
build it once per session with :func:`build_world`: ``git init``, one commit,
real linked worktrees made by ``git worktree add``, and the symlinks that the
path-trick cases aim at. Placeholders such as ``{search}`` in case files are
replaced by :meth:`World.substitute`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_POLICY = REPO_ROOT / "policies" / "examples" / "astro-blog-discovery.yaml"
PACKAGE_DIR = REPO_ROOT / "agentguard"

MAIN_BRANCH = "main"
INTEGRATION_BRANCH = "integration/blog-discovery"
# worktree folder name -> branch (None: detached HEAD)
AGENT_WORKTREES: dict[str, str | None] = {
    "repo-agent-metadata": "agent/metadata-filter-contract",
    "repo-agent-search": "agent/blog-search-ui",
    "repo-agent-review": "agent/blog-render-verifier",
    # A branch no agent owns, and a detached HEAD: both leave the caller unassigned.
    "repo-scratch": "scratch/experiment",
    "repo-detached": None,
}

FILES: dict[str, str] = {
    "package.json": json.dumps(
        {
            "name": "astro-blog",
            "private": True,
            "scripts": {
                "check": "astro check",
                "build": "astro build",
                "test:search-filter": "node tests/search-filter.test.mjs",
                "test:toc": "node tests/toc.test.mjs",
                "test:mermaid": "node tests/mermaid.test.mjs",
            },
            "dependencies": {"astro": "^4.0.0"},
        },
        indent=2,
    )
    + "\n",
    "package-lock.json": '{"name": "astro-blog", "lockfileVersion": 3, "packages": {}}\n',
    "src/content/config.ts": (
        "import { defineCollection, z } from 'astro:content';\n"
        "export const collections = {\n"
        "  blog: defineCollection({ schema: z.object({ title: z.string(),"
        " tags: z.array(z.string()) }) }),\n"
        "};\n"
    ),
    "src/content/blog/post.md": (
        "---\ntitle: Hello\ntags: [astro]\n---\n\n## Intro\n\n### Details\n\n"
        "```mermaid\ngraph TD; A-->B\n```\n"
    ),
    "src/layouts/BaseLayout.astro": "<html><body><slot /></body></html>\n",
    "src/pages/blog/index.astro": "---\nconst posts = [];\n---\n<ul></ul>\n",
    "tests/search-filter.test.mjs": "// filters by text and tag\n",
    "tests/toc.test.mjs": "// a post renders a TOC for ## and ###\n",
    ".claude/settings.json": '{"hooks": {}}\n',
    ".gitignore": ".env\nnotes/\ndist/\nnode_modules/\n.astro/\n",
}
# Ignored by git, present in every worktree, as on a developer's machine.
UNTRACKED: dict[str, str] = {
    ".env": "PUBLIC_SITE=https://example.com\nCF_API_TOKEN=not-a-real-token\n",
    "notes/ideas.md": "- a private idea\n",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity and no user or system config; its stdout."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "World",
        "GIT_AUTHOR_EMAIL": "world@example.com",
        "GIT_COMMITTER_NAME": "World",
        "GIT_COMMITTER_EMAIL": "world@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout


def write(root: Path, rel: str, text: str = "x\n") -> None:
    """Create ``rel`` under ``root`` (and its folders)."""
    _write(root, {rel: text})


def _write(folder: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


class World:
    """The built world: where everything is, and the placeholder map for case files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = root / "repo"
        self.metadata = root / "repo-agent-metadata"
        self.search = root / "repo-agent-search"
        self.review = root / "repo-agent-review"
        self.scratch = root / "repo-scratch"
        self.detached = root / "repo-detached"
        # HOME for hook processes (holds ~/.claude), and a folder outside every repository.
        self.home = root / "home"
        self.tmp = root / "outside"

    def placeholders(self) -> dict[str, str]:
        """``{name}`` -> absolute path, for every placeholder case files may use."""
        return {
            "root": str(self.root),
            "repo": str(self.repo),
            "metadata": str(self.metadata),
            "search": str(self.search),
            "review": str(self.review),
            "scratch": str(self.scratch),
            "detached": str(self.detached),
            "home": str(self.home),
            "tmp": str(self.tmp),
            "package": str(PACKAGE_DIR),
            "python": sys.executable,
        }

    def substitute(self, value: Any, extra: Mapping[str, str] | None = None) -> Any:
        """``value`` (JSON-like) with ``{name}`` placeholders replaced in every string."""
        table = {**self.placeholders(), **(extra or {})}
        if isinstance(value, str):
            for name, replacement in table.items():
                value = value.replace("{" + name + "}", replacement)
            return value
        if isinstance(value, list):
            return [self.substitute(v, table) for v in value]
        if isinstance(value, dict):
            return {k: self.substitute(v, table) for k, v in value.items()}
        return value

    def worktree_of(self, path: Path) -> Path:
        """The worktree top holding ``path`` (``path`` itself when it is in none)."""
        probe = path
        while True:
            if (probe / ".git").exists():
                return probe
            if probe.parent == probe:
                return path
            probe = probe.parent


def build_world(root: Path) -> World:
    """Build the article's repository under ``root`` (which must be empty or absent)."""
    world = World(root)
    root.mkdir(parents=True, exist_ok=True)
    repo = world.repo
    repo.mkdir()
    git(repo, "init", "-q", "-b", MAIN_BRANCH)
    _write(repo, FILES)
    (repo / "agentguard.yaml").write_text(EXAMPLE_POLICY.read_text("utf-8"), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "An Astro blog")
    for folder, branch in AGENT_WORKTREES.items():
        if branch is None:
            git(repo, "worktree", "add", "-q", "--detach", f"../{folder}", MAIN_BRANCH)
        else:
            git(repo, "worktree", "add", "-q", "-b", branch, f"../{folder}", MAIN_BRANCH)
    git(repo, "checkout", "-q", "-b", INTEGRATION_BRANCH)
    for tree in (repo, *(root / name for name in AGENT_WORKTREES)):
        _write(tree, UNTRACKED)
    search = world.search
    # A file link to a path the search agent may not touch, in its own worktree.
    (search / "src/pages/blog/link-to-config").symlink_to("../../content/config.ts")
    # A folder link into another agent's worktree.
    (search / "src/pages/meta-content").symlink_to(world.metadata / "src/content")
    # A file link and a folder link onto .claude.
    (search / "src/pages/settings-link.json").symlink_to("../../.claude/settings.json")
    (search / "src/claude-dir").symlink_to("../.claude")
    # A link to the policy file under an innocent name.
    (search / "src/pages/blog/policy-link.yaml").symlink_to("../../../agentguard.yaml")
    _write(world.home, {".claude/settings.json": "{}\n", ".gitconfig": "[user]\n"})
    world.tmp.mkdir()
    return world
