"""The project's own programs: package.json scripts and lifecycle scripts, node_modules/.bin,
runners that download a package (npx, dlx, uvx), ``npm explore`` and ``npm exec -c``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from shellcase import HOME, classes, runs, targets

from agentguard.shell import analyse

# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


@pytest.mark.parametrize(
    "line",
    [
        "pnpm dlx cowsay",
        "yarn dlx cowsay",
        "bunx cowsay",
        "uvx ruff",
        "npx -y cowsay",
        "uv tool run ruff",
        "npx --package=cowsay cowsay",
    ],
)
def test_downloading_runners_install(line: str, tmp_path: Path) -> None:
    """Runners that fetch a package are package-install and network."""
    assert {"package-install", "network"} <= classes(line, tmp_path)


def test_npx_local_binary_is_not_an_install(tmp_path: Path) -> None:
    """``npx NAME`` with ``node_modules/.bin/NAME`` above cwd runs the local binary."""
    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "node_modules" / ".bin" / "tsc").touch()
    (tmp_path / "src").mkdir()
    assert "package-install" not in classes("npx tsc --noEmit", tmp_path / "src")
    assert {"package-install", "network"} <= classes("npx cowsay", tmp_path / "src")


def test_pnpm_and_yarn_run_binaries(tmp_path: Path) -> None:
    """``pnpm BIN``/``yarn BIN`` without such a script run BIN."""
    (tmp_path / "package.json").write_text('{"scripts": {"build": "astro build"}}')
    assert runs("pnpm rimraf y", tmp_path, ["rimraf", "y"])
    assert runs("yarn rm -rf y", tmp_path, ["rm", "-rf", "y"])


def test_npm_prefix_resolves_that_package(tmp_path: Path) -> None:
    """``npm --prefix DIR run X`` runs DIR's script X; ``--script-shell`` is opaque."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "package.json").write_text('{"scripts": {"go": "rm -rf y"}}')
    (tmp_path / "package.json").write_text('{"scripts": {"go": "echo hi"}}')
    assert runs("npm --prefix a run go", tmp_path, ["rm", "-rf", "y"])
    assert runs("npm run go -C a", tmp_path, ["rm", "-rf", "y"])
    assert "opaque" in classes("npm run go --script-shell=/tmp/x", tmp_path)
    assert "opaque" in classes("npm_config_script_shell=/tmp/x npm run go", tmp_path)


# -- red-team pass 2: each case ran unobjected before its fix ---------------------------


def test_npm_explore_is_opaque_and_its_command_is_analysed(worktree: Path) -> None:
    """``npm explore PKG -- CMD`` runs CMD in a shell in node_modules/PKG: opaque, and
    CMD's targets resolve from that folder."""
    a = analyse("npm explore astro -- rm -rf ../../src/content", str(worktree), HOME)
    assert "opaque" in a.classes
    assert targets(a, "deletes", worktree) == ["src/content"]
    assert "opaque" in classes("npm explore astro", worktree)


@pytest.mark.parametrize(
    "line", ['npm exec -c "rm -rf src/content"', 'npx -c "rm -rf src/content"']
)
def test_exec_call_commands_are_analysed(worktree: Path, line: str) -> None:
    """``npm exec -c``/``npx -c`` run their string in a shell: it is analysed."""
    a = analyse(line, str(worktree), HOME)
    assert targets(a, "deletes", worktree) == ["src/content"]


LIFECYCLE = {
    "prepack": "rm -rf src/content/a",
    "prepare": "rm -rf src/content/b",
    "postpack": "rm -rf src/content/c",
    "preversion": "rm -rf src/content/d",
    "version": "rm -rf src/content/e",
    "postversion": "git push -f origin HEAD",
    "prepublishOnly": "rm -rf src/content/f",
    "publish": "rm -rf src/content/g",
    "postpublish": "rm -rf src/content/h",
    "preinstall": "rm -rf src/content/i",
    "install": "rm -rf src/content/j",
    "postinstall": "rm -rf src/content/k",
}


@pytest.fixture
def pkg(worktree: Path) -> Path:
    """The repository with a package.json holding every lifecycle script."""
    (worktree / "package.json").write_text(json.dumps({"scripts": LIFECYCLE}))
    return worktree


@pytest.mark.parametrize(
    ("line", "deleted"),
    [
        ("npm pack", "abc"),
        ("npm pack --dry-run", "abc"),
        ("pnpm pack", "abc"),
        ("yarn pack", "abc"),
        ("npm version patch", "de"),
        ("npm publish --dry-run", "fabcgh"),
        ("npm rebuild", "ijkb"),
        ("npm pack ./", "abc"),
    ],
)
def test_lifecycle_scripts_are_analysed(pkg: Path, line: str, deleted: str) -> None:
    """Commands that run lifecycle scripts analyse those scripts like ``npm run``."""
    a = analyse(line, str(pkg), HOME)
    got = sorted(p.rsplit("/", 1)[-1] for p in targets(a, "deletes", pkg))
    assert got == sorted(deleted)


def test_lifecycle_follows_the_prefix(pkg: Path, tmp_path: Path) -> None:
    """``npm --prefix DIR pack`` runs DIR's scripts, not the current folder's."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "package.json").write_text(json.dumps({"scripts": {"prepack": "rm -rf zz"}}))
    a = analyse(f"npm --prefix {other} pack", str(pkg), HOME)
    assert [os.path.basename(p) for c in a.commands for p in c.deletes] == ["zz"]


def test_lifecycle_version_after_force_push_is_destructive(pkg: Path) -> None:
    """``npm version patch`` runs postversion's ``git push -f``."""
    assert "git-destructive" in classes("npm version patch", pkg)


@pytest.mark.parametrize("line", ["npm version", "npm pack --ignore-scripts", "npm run check"])
def test_no_lifecycle_without_scripts_running(pkg: Path, line: str) -> None:
    """``npm version`` alone prints versions; ``--ignore-scripts`` runs none."""
    a = analyse(line, str(pkg), HOME)
    assert not any(c.deletes for c in a.commands)


def test_astro_build_is_not_an_install(worktree: Path) -> None:
    """Only ``astro add`` installs."""
    assert "package-install" not in classes("npx astro build", worktree)
