"""Fixtures for end-to-end tests: the Claude Code binary (per version) and a project per test.

Every test that uses ``claude_bin`` (or ``claude_project``) runs once per version of
:func:`harness.claude_versions`; ``@pytest.mark.requires_claude("X.Y.Z")`` skips it on
older versions. See the harness docstring.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import ClaudeProject, binary_version, claude_at_least, claude_versions, require_claude


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``claude_bin`` over the supported versions (the id is the version)."""
    if "claude_bin" in metafunc.fixturenames:
        metafunc.parametrize("claude_bin", claude_versions(), indirect=True, scope="session")


@pytest.fixture(scope="session")
def claude_bin(request: pytest.FixtureRequest) -> str:
    """The binary of this run's Claude Code version (skips when absent, fails under CI)."""
    version = str(getattr(request, "param", None) or claude_versions()[0])
    return require_claude(version)


@pytest.fixture
def claude_version(request: pytest.FixtureRequest, claude_bin: str) -> str:
    """This run's Claude Code version; skips a test whose ``requires_claude`` it is below."""
    version = binary_version(claude_bin) or "unknown"
    marker = request.node.get_closest_marker("requires_claude")
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError(
                f"{request.node.nodeid}: write requires_claude with one version string, "
                'e.g. @pytest.mark.requires_claude("2.1.295")'
            )
        minimum = marker.args[0]
        if not claude_at_least(version, minimum):
            pytest.skip(f"needs Claude Code {minimum} or newer; this is {version}")
    return version


@pytest.fixture(autouse=True)
def _requires_claude(request: pytest.FixtureRequest) -> None:
    """Apply ``requires_claude`` to any test that runs the binary, however it gets it."""
    if request.node.get_closest_marker("requires_claude") is None:
        return
    if "claude_bin" not in request.fixturenames:
        raise pytest.UsageError(
            f"{request.node.nodeid}: requires_claude needs a test that uses claude_project, "
            "claude_bin or claude_version"
        )
    request.getfixturevalue("claude_version")


@pytest.fixture
def claude_project(tmp_path: Path, claude_bin: str, claude_version: str) -> ClaudeProject:
    """A fresh project folder and isolated HOME that trusts it."""
    return ClaudeProject(tmp_path / "project", tmp_path / "home", claude_bin, claude_version)
