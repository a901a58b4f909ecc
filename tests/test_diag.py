"""``agentguard -v``: structured diagnostics of cold-path commands on stderr (structlog)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _compile(
    *flags: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env.update(env_extra or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "agentguard",
            *flags,
            "compile",
            str(REPO / "policies/default.yaml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )


def test_verbose_prints_the_steps() -> None:
    """With -v the compile command reports the policy files it found and how long it took."""
    proc = _compile("-v")
    assert "policy.found" in proc.stderr
    assert "policy.checked" in proc.stderr
    assert proc.stdout.startswith("compiled ")


def test_quiet_by_default() -> None:
    """Without -v nothing but the result is printed."""
    proc = _compile()
    assert proc.stderr == ""


def test_json_format_for_ci() -> None:
    """AGENTGUARD_LOG_FORMAT=json turns every diagnostic into a parseable JSON line."""
    proc = _compile("-v", env_extra={"AGENTGUARD_LOG_FORMAT": "json"})
    events = [json.loads(line) for line in proc.stderr.splitlines()]
    assert [e["event"] for e in events] == ["policy.found", "policy.checked"]
    assert events[0]["files"] == [str(REPO / "policies/default.yaml")]
