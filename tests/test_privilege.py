"""Privilege wrappers (issue 8, item 9): a command run as another user is never waved
through by any rule, and the shipped policies ask for it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.decision import ALLOW, ASK
from agentguard.hook import run as hook
from agentguard.shell import Context, analyse, judge

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO / "policies" / "default.yaml"
EXAMPLE = REPO / "policies" / "examples" / "astro-blog-discovery.yaml"
HOME = {"HOME": "/home/u"}

# A policy that allows everything it can: inspection by pattern, the built-in classes,
# and Bash as a tool. None of it may grant a privileged command.
PERMISSIVE = """\
version: 1
defaults: {unassigned_agent: allow, unknown_command: allow}
commands:
  - {id: inspection, allow: ["ls", "git status", "npm run check", "sudo", "cat"]}
  - {id: reads, builtin: read-only, decision: allow}
  - {id: root, builtin: privilege, decision: allow}
tools:
  - {id: bash-ok, tools: [Bash, Monitor], decision: allow}
web:
  allow_domains: [example.com]
"""

# What Claude Code runs through a privilege wrapper, in the spellings the issue names.
PRIVILEGED = [
    "sudo ls /root",
    "sudo ls -la /root/.ssh",
    "doas ls",
    "sudoedit notes.txt",
    "su -c 'ls'",
    "su",
    "pkexec ls",
    "run0 ls",
    "run0 --user=root --no-ask-password git status",
    "runuser -u root -- ls",
    "env sudo ls",
    "nice -n 5 sudo ls",
    "timeout 5 doas ls",
    "ls | xargs sudo cat",
    "bash -c 'sudo ls'",
    "git status && sudo ls",
    "echo $(sudo ls /root)",
    "/usr/bin/sudo ls",
    "sudo -u root -E -- ls",
    "sudo -i",
]
# The names as words: nothing runs as another user.
NOT_PRIVILEGED = [
    "echo sudo",
    "grep sudo notes.txt",
    "man sudo",
    'git commit -m "sudo"',
    "which doas",
    "command -v pkexec",
    "ls sudo",
]


class Hook:
    """The hook entry point in-process, with a policy, a state folder and a project."""

    def __init__(self, tmp_path: Path, policy: str | Path) -> None:
        self.project = tmp_path / "project"
        self.project.mkdir()
        self.state = tmp_path / "state"
        if isinstance(policy, str):
            path = tmp_path / "policy.yaml"
            path.write_text(policy, "utf-8")
            policy = path
        self.env = {
            "AGENTGUARD_HOME": str(self.state),
            "AGENTGUARD_POLICY": str(policy),
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.project),
        }

    def decide(
        self, tool_input: dict[str, Any], tool: str = "Bash", name: str = "PreToolUse"
    ) -> str:
        """The decision printed for one call: allow, ask, deny, or none (no output)."""
        event = {
            "session_id": "s-priv",
            "cwd": str(self.project),
            "hook_event_name": name,
            "tool_name": tool,
            "tool_input": tool_input,
            "tool_use_id": "toolu_priv",
        }
        out = io.StringIO()
        assert hook.main([name], io.StringIO(json.dumps(event)), out, self.env) == 0
        if not out.getvalue():
            return "none"
        decision: str = json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"]
        return decision


@pytest.mark.parametrize("line", PRIVILEGED)
def test_privileged_lines_carry_the_class(line: str, tmp_path: Path) -> None:
    """Every spelling of a privilege wrapper marks the command it runs ``privilege``."""
    analysis = analyse(line, str(tmp_path), HOME)
    assert any("privilege" in cmd.classes for cmd in analysis.commands)
    assert not any(
        "read-only" in cmd.classes for cmd in analysis.commands if "privilege" in cmd.classes
    )


@pytest.mark.parametrize("line", NOT_PRIVILEGED)
def test_wrapper_names_as_words_are_not_privilege(line: str, tmp_path: Path) -> None:
    """A wrapper's name as an argument, a message or a search term is not privilege."""
    analysis = analyse(line, str(tmp_path), HOME)
    assert analysis.classes & {"privilege"} == set()


def test_the_wrapped_command_is_still_analysed(tmp_path: Path) -> None:
    """``sudo git push -f`` is a force push run as root: both classes, the push decides."""
    (cmd,) = analyse("sudo -u root -E -- git push -f", str(tmp_path), HOME).commands
    assert cmd.argv == ["git", "push", "-f"]
    assert {"git-destructive", "privilege"} <= cmd.classes
    assert "runs as another user through sudo" in cmd.notes


def test_no_rule_grants_a_privileged_command(tmp_path: Path) -> None:
    """An allow pattern and an allow built-in match, but grant nothing and say so."""
    rules: list[dict[str, object]] = [
        {"id": "inspection", "decision": ALLOW, "justification": "", "patterns": [["ls"]]},
        {"id": "root", "decision": ALLOW, "justification": "", "builtin": "privilege"},
    ]
    plain = judge(analyse("ls", str(tmp_path), HOME), rules)
    assert plain.explicit_allow is True
    wrapped = judge(analyse("sudo ls", str(tmp_path), HOME), rules)
    assert wrapped.explicit_allow is False
    assert wrapped.decision == ALLOW
    assert wrapped.privileged == ["ls (via sudo)"]
    assert {m.rule for m in wrapped} == {"inspection", "root"}
    assert all("never explicitly allowed" in m.what for m in wrapped)


def test_an_allow_pattern_does_not_lower_the_opaque_floor(tmp_path: Path) -> None:
    """``allow: [sudo]`` names ``sudo -s`` exactly, yet the shell it opens still asks."""
    rules: list[dict[str, object]] = [
        {"id": "admin", "decision": ALLOW, "justification": "", "patterns": [["sudo", "-s"]]},
    ]
    result = judge(analyse("sudo -s", str(tmp_path), HOME), rules)
    assert result.decision == ASK
    assert any(m.rule == "opaque" for m in result)


def test_an_allowed_script_does_not_cover_its_privileged_commands(tmp_path: Path) -> None:
    """``npm run X`` allowed covers its script, except what the script runs as root."""
    rules: list[dict[str, object]] = [
        {"id": "gate", "decision": ALLOW, "justification": "", "patterns": [["npm", "run", "x"]]},
    ]
    (tmp_path / "package.json").write_text('{"scripts": {"x": "astro check"}}')
    ok = judge(analyse("npm run x", str(tmp_path), HOME), rules, None, Context("a"))
    assert ok.explicit_allow is True
    (tmp_path / "package.json").write_text('{"scripts": {"x": "sudo astro check"}}')
    root = judge(analyse("npm run x", str(tmp_path), HOME), rules, None, Context("a"))
    assert root.explicit_allow is False
    assert root.privileged == ["astro check (via sudo)"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("sudo ls /root", "ask"),
        ("sudo ls -la /root/.ssh", "ask"),
        ("doas ls", "ask"),
        ("ls", "allow"),
        ("echo sudo", "none"),
    ],
)
def test_the_default_policy_asks_where_it_used_to_allow(
    line: str, expected: str, tmp_path: Path
) -> None:
    """The issue's lines: the default policy's ``inspection`` allowed them; now they ask."""
    assert Hook(tmp_path, DEFAULT).decide({"command": line}) == expected


@pytest.mark.parametrize("line", PRIVILEGED)
def test_a_permissive_policy_never_allows_privilege(line: str, tmp_path: Path) -> None:
    """Allow patterns, allow built-ins and a tools class that allows Bash: no opinion."""
    assert Hook(tmp_path, PERMISSIVE).decide({"command": line}) in ("none", "ask", "deny")


def test_the_permissive_policy_still_allows_plain_commands(tmp_path: Path) -> None:
    """The control: the same policy explicitly allows ``ls`` and ``git status``."""
    guard = Hook(tmp_path, PERMISSIVE)
    assert guard.decide({"command": "ls"}) == "allow"
    assert guard.decide({"command": "git status && ls"}) == "allow"


def test_monitor_and_skill_commands_are_not_granted_either(tmp_path: Path) -> None:
    """Monitor (even with an allowed WebSocket) and skill shell commands get no allow."""
    guard = Hook(tmp_path, PERMISSIVE)
    feed = {"url": "wss://example.com/feed"}
    assert guard.decide({"command": "ls", "ws": feed}, tool="Monitor") == "allow"
    assert guard.decide({"command": "sudo ls", "ws": feed}, tool="Monitor") == "none"
    assert guard.decide({"command": "ls"}, name="PreSkillShellCommand") == "allow"
    assert guard.decide({"command": "sudo ls"}, name="PreSkillShellCommand") == "none"


def test_the_log_says_why_no_grant_was_given(tmp_path: Path) -> None:
    """The decision log records which command withheld the grant."""
    guard = Hook(tmp_path, PERMISSIVE)
    assert guard.decide({"command": "git status && sudo ls"}) == "none"
    lines = (guard.state / "logs" / "decisions.jsonl").read_text("utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["explicit"] is False
    assert record["withheld"] == ["ls (via sudo) runs as another user"]


def test_explain_says_the_grant_is_withheld(tmp_path: Path) -> None:
    """``explain`` shows the allow that matched and why it grants nothing."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(PERMISSIVE, "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env["AGENTGUARD_HOME"] = str(tmp_path / "state")
    argv = [sys.executable, "-m", "agentguard", "explain", "--policy", str(policy)]
    proc = subprocess.run(
        [*argv, "--", "sudo ls /root"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "classes: privilege" in proc.stdout
    assert "what: ls /root (run through a privilege wrapper: never explicitly allowed)" in (
        proc.stdout
    )
    assert "no grant: ls /root (via sudo) runs as another user" in proc.stdout
    assert "decision: none" in proc.stdout


@pytest.mark.parametrize("policy", [DEFAULT, EXAMPLE], ids=["default", "example"])
@pytest.mark.parametrize(
    "line", ["sudo git status", "doas ls", "su -c 'ls'", "pkexec ls", "run0 ls", "sudo"]
)
def test_shipped_policies_ask(policy: Path, line: str, tmp_path: Path) -> None:
    """Both shipped policies carry a ``privilege`` rule that asks."""
    text = policy.read_text("utf-8")
    assert "builtin: privilege" in text
    assert Hook(tmp_path, policy).decide({"command": line}) == "ask"
