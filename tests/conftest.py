"""Shared fixtures: an isolated state folder, the article's repository, the demo's log."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from world import World, build_world

from agentguard import budget


@pytest.fixture(autouse=True, scope="session")
def _generous_budget() -> Iterator[None]:
    """In-process hook calls get a 60 s budget instead of 5 s while tests run.

    A shared CI machine can starve a process for seconds; the budget is a safety net
    against commands that make the guard work for minutes, not a latency check (speed
    lives in benchmarks/). Tests of the budget itself set AGENTGUARD_BUDGET explicitly.
    """
    before = budget.DEFAULT
    budget.DEFAULT = 60.0
    yield
    budget.DEFAULT = before


@pytest.fixture
def agentguard_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``AGENTGUARD_HOME`` for this test (logs, cache, crash files land here)."""
    home = tmp_path / "agentguard-home"
    monkeypatch.setenv("AGENTGUARD_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The article's repository with real linked worktrees, built once per session (git is slow)."""
    return build_world(tmp_path_factory.mktemp("world") / "w")


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The state folder of one ``agentguard demo`` run: a log written by real hook calls."""
    tmp = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env["TMPDIR"] = str(tmp)
    done = subprocess.run(
        [sys.executable, "-m", "agentguard", "demo", "--keep"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    kept = Path(re.findall(r"kept: (\S+)", done.stdout)[-1])
    yield kept / "state"
    shutil.rmtree(kept, ignore_errors=True)
