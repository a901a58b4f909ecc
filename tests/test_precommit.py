"""The pre-commit hooks agentguard publishes, and the ones this repository runs on itself."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from agentguard.commands.root import COMMANDS

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
OWN = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def test_published_hooks_run_real_subcommands() -> None:
    """agentguard-lint and agentguard-verify exist and name agentguard subcommands."""
    hooks = {h["id"]: h for h in PUBLISHED}
    assert set(hooks) == {"agentguard-lint", "agentguard-verify"}
    for hook in hooks.values():
        program, command = shlex.split(hook["entry"])[:2]
        assert program == "agentguard"
        assert command in COMMANDS


@pytest.mark.parametrize(
    ("path", "linted"),
    [
        ("agentguard.yaml", True),
        ("sub/agentguard.yml", True),
        (".agentguard/10-team.yaml", True),
        ("policies/agentguard.schema.json", False),
        (".github/workflows/ci.yaml", False),
        (".agentguard/nested/x.yaml", False),
    ],
)
def test_lint_hook_files_pattern(path: str, linted: bool) -> None:
    """The lint hook fires on the project's policy files and nothing else."""
    (hook,) = [h for h in PUBLISHED if h["id"] == "agentguard-lint"]
    assert bool(re.search(hook["files"], path)) is linted


def test_own_hook_lints_the_shipped_policies() -> None:
    """This repository's own pre-commit hook passes on policies/ (strict)."""
    (local,) = [r for r in OWN["repos"] if r["repo"] == "local"]
    (hook,) = local["hooks"]
    files = sorted(
        str(p.relative_to(REPO))
        for p in (REPO / "policies").rglob("*.y*ml")
        if re.search(hook["files"], str(p.relative_to(REPO)))
    )
    assert files, "the hook's pattern matches no policy"
    words = shlex.split(hook["entry"])
    assert words[:3] == ["python", "-m", "agentguard"]
    proc = subprocess.run(
        [sys.executable, *words[1:], *files], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
