"""Fixtures for end-to-end tests: the Claude Code binary and a throwaway project per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import ClaudeProject, require_claude


@pytest.fixture(scope="session")
def claude_bin() -> str:
    """The Claude Code binary (skips the test when absent, fails under CI)."""
    return require_claude()


@pytest.fixture
def claude_project(tmp_path: Path, claude_bin: str) -> ClaudeProject:
    """A fresh project folder and isolated HOME that trusts it."""
    return ClaudeProject(tmp_path / "project", tmp_path / "home", claude_bin)
