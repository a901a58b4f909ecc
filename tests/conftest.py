"""Shared fixtures: an isolated agentguard state folder, and the article's repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from world import World, build_world


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
