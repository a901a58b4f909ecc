"""Observe mode: every decision computed and logged as what would have happened, none enforced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_loops import POLICY, Guard

from agentguard.commands import logs
from agentguard.policy import lint, loader

OBSERVING = POLICY.replace(
    "defaults: {on_error: deny, unknown_command: allow}",
    "defaults: {on_error: deny, unknown_command: allow, mode: observe}",
)


def _story(guard: Guard) -> list[object]:
    """A force push, a write to the hooks' settings, a loop past its cap, an unproven Stop."""
    outputs: list[object] = [
        guard.pre("git push --force origin main"),
        guard.call(
            "PreToolUse",
            tool_name="Write",
            tool_input={
                "file_path": str(guard.root / ".claude" / "settings.json"),
                "content": "{}",
            },
        ),
    ]
    guard.write("src/a.ts")
    for n in range(4):
        guard.fail("npm test", f"FAILED test_{n % 1}")
    outputs.append(guard.pre("npm test"))
    outputs.append(guard.call("Stop"))
    return outputs


def test_observe_mode_enforces_nothing(tmp_path: Path) -> None:
    """The policy's observe mode: Claude Code hears nothing, the log says what would have been."""
    guard = Guard(tmp_path, policy=OBSERVING)
    assert _story(guard) == [None, None, None, None]
    pre = guard.records("PreToolUse")
    assert [r["mode"] for r in pre] == ["observe"] * len(pre)
    assert pre[0]["would"] == "deny" or pre[0]["would"] == "ask"
    assert pre[0]["output"] == "none" and pre[0]["decision"] in ("deny", "ask")
    assert pre[1]["would"] == "deny"  # self-protection
    assert pre[-1]["would"] == "ask" and "loop" in pre[-1]["rules"]
    (stop,) = guard.records("Stop")
    assert (stop["gate"], stop["would"], stop["output"]) == ("blocked", "block", "none")


def test_the_same_story_is_enforced_without_it(tmp_path: Path) -> None:
    """Control: the same calls under the enforcing policy get their answers."""
    outputs = _story(Guard(tmp_path))
    assert all(output is not None for output in outputs)
    stop = outputs[-1]
    assert isinstance(stop, dict) and stop["decision"] == "block"


@pytest.mark.parametrize(
    ("policy", "env", "observed"),
    [
        (POLICY, "observe", True),  # a trial of an enforcing policy
        (OBSERVING, "enforce", False),  # enforcement tried on an observing one
        (POLICY, "nonsense", False),  # an unknown value changes nothing
    ],
)
def test_the_environment_overrides_the_policy(
    tmp_path: Path, policy: str, env: str, observed: bool
) -> None:
    """AGENTGUARD_MODE in the hook's environment wins over defaults.mode, both ways."""
    guard = Guard(tmp_path, policy=policy)
    guard.env["AGENTGUARD_MODE"] = env
    output = guard.pre("git push --force origin main")
    assert (output is None) == observed
    assert ("mode" in guard.records()[-1]) == observed


def test_logs_show_what_would_have_happened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """timeline says "would deny", summary counts the would-be answers and says none held."""
    guard = Guard(tmp_path, policy=OBSERVING)
    _story(guard)
    assert logs.main(["--home", str(guard.home), "timeline"]) == 0
    out = capsys.readouterr().out
    assert "would ask" in out and "would block" in out
    assert logs.main(["--home", str(guard.home), "summary", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["dev"]
    assert row["ask"] >= 2 and row["observed"] == len(guard.records())
    assert logs.main(["--home", str(guard.home), "summary"]) == 0
    assert "none was enforced" in capsys.readouterr().out
    argv = ["--home", str(guard.home), "sessions", "--decision", "ask", "--format", "json"]
    assert logs.main(argv) == 0
    assert json.loads(capsys.readouterr().out)[0]["ask"] >= 2


def test_lint_warns_about_observe_mode(tmp_path: Path) -> None:
    """A policy that observes is flagged, with where and how to turn enforcement on."""
    path = tmp_path / "agentguard.yaml"
    path.write_text(OBSERVING)
    findings = lint.lint(loader.load_files([str(path)]))
    (finding,) = [f for f in findings if f.code == "observe-mode"]
    assert finding.severity == "warning"
    assert "nothing is enforced" in finding.text() and ":2:" in finding.text()


def test_a_would_be_deny_still_binds_its_post_event(tmp_path: Path) -> None:
    """Observing, a denied-in-theory call runs: its PostToolUse is evidence, not unbound."""
    guard = Guard(tmp_path, policy=OBSERVING)
    guard.ok("git push --force origin main")
    pre, post = guard.records()[-2:]
    assert (pre["would"], post["event"]) in (("deny", "PostToolUse"), ("ask", "PostToolUse"))
    assert post.get("evidence") != "unbound"
    assert "answer" not in post  # no dialog opened, so no human answered
