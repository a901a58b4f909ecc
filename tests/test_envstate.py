"""Which variables a command's own environment holds (issue 11 item 6)."""

from __future__ import annotations

import pytest

from agentguard.policy.model import CommandRule
from agentguard.shell import analyse


def _env_of_last(line: str) -> frozenset[str]:
    return analyse(line, "/nonexistent-agentguard-test", {}).commands[-1].env_set


@pytest.mark.parametrize(
    "line",
    [
        "X=1 npm run build",
        "env X=1 npm run build",
        "export X=1 && npm run build",
        "X=1; export X; npm run build",
        "declare -x X=1; npm run build",
        "env -u X X=1 npm run build",
        'export X=1; bash -c "npm run build"',
    ],
)
def test_set_in_the_commands_environment(line: str) -> None:
    """These lines give the last command X with a non-empty value."""
    assert "X" in _env_of_last(line)


@pytest.mark.parametrize(
    "line",
    [
        "npm run build",
        "X= npm run build",
        "X=$Y npm run build",
        "X=1; npm run build",
        "export X=; npm run build",
        "export X=1; unset X; npm run build",
        "export X=1; export -n X; npm run build",
        "export X=1; X=; npm run build",
        "export X=1; env -u X npm run build",
        "X=1 env -u X npm run build",
        "export X=1; env -i npm run build",
        "(export X=1); npm run build",
        "export X=1 | true; npm run build",
        "false && export X=1; npm run build",
        "for i in 1; do export X=1; done; npm run build",
    ],
)
def test_not_set_in_the_commands_environment(line: str) -> None:
    """These lines do not give the last command X (bash semantics, on the safe side)."""
    assert "X" not in _env_of_last(line)


def test_otherwise_needs_require_env() -> None:
    """`otherwise` without `require_env` is refused with a fix."""
    with pytest.raises(ValueError, match="require_env"):
        CommandRule(id="x", allow=["npm run build"], otherwise="network")


def test_require_env_needs_an_allow_and_names() -> None:
    """`require_env` conditions an allow and holds variable names."""
    with pytest.raises(ValueError, match="allow"):
        CommandRule(id="x", ask=["npm run build"], require_env=["X"])
    with pytest.raises(ValueError, match="variable name"):
        CommandRule(id="x", allow=["npm run build"], require_env=["1X"])
