"""``agentguard test [PATH…]``: run the ``tests:`` a policy carries, like ``opa test``.

    agentguard test                     # the policy the hook would use here
    agentguard test agentguard.yaml --format github

Each test names an agent, a call (``tool`` + ``path``, a ``command``, a ``url``, or a
whole hook ``event``), the decision expected (allow, ask, deny, or none: no opinion)
and optionally a rule id that must be among the deciding rules. It is evaluated by the
hook's own code (``explain``: discovery, compiled policy, identity, path judgement) in a
synthetic layout built in a temporary folder: a main worktree holding a copy of the
policy, and each agent's worktree where the policy puts it, with the agent's branch
checked out, so the real identity and path code resolve as in the agent's session.
Relative paths in tests are relative to the agent's worktree. A test may come from a
subagent of the agent (``agent_type``, optionally ``agent_id``), and with ``isolated``
from one in its own isolation worktree (``.claude/worktrees/agent-<id>/``, where its
relative paths then lie). Exit status: 1 when a
test fails, 2 when the policy does not load, else 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from typing import Any, TextIO

from agentguard.claude import tools, wire
from agentguard.commands import usage
from agentguard.commands.explain import explain
from agentguard.engine.identity import agent_worktree
from agentguard.errors import GuardError, PolicyError
from agentguard.policy import compiled
from agentguard.policy.loader import Loaded, discover, load_files
from agentguard.policy.model import Policy, PolicyTest
from agentguard.report import FORMATS, Outcome, render_outcomes

UNASSIGNED_BRANCH = "agentguard-test/unassigned"
# The subagent id of a test that names agent_type but no agent_id.
TEST_AGENT_ID = "a0000000000000000"


class Layout:
    """A throwaway repository layout: the main worktree, agents' worktrees, state and HOME."""

    def __init__(self, loaded: Loaded, root: str) -> None:
        self.loaded = loaded
        self.tmp = root
        self.main = os.path.join(root, "repo")
        self.state = os.path.join(root, "state")
        self.home = os.path.join(root, "home")
        for folder in (self.main, self.state, self.home):
            os.makedirs(folder, exist_ok=True)
        os.makedirs(os.path.join(self.main, ".git", "worktrees"), exist_ok=True)
        files = loaded.files
        if len(files) == 1:
            self.policy = os.path.join(self.main, compiled.PROJECT_FILE)
            shutil.copyfile(files[0], self.policy)
        else:
            self.policy = os.path.join(self.main, compiled.PROJECT_DIR)
            os.makedirs(self.policy, exist_ok=True)
            for i, file in enumerate(files):
                name = f"{i:02d}-{os.path.basename(file)}"
                shutil.copyfile(file, os.path.join(self.policy, name))
        self._set_head(os.path.join(self.main, ".git"), UNASSIGNED_BRANCH)

    @staticmethod
    def _set_head(git_dir: str, branch: str) -> None:
        with open(os.path.join(git_dir, "HEAD"), "w", encoding="utf-8") as fh:
            fh.write(f"ref: refs/heads/{branch}\n")

    def worktree(self, agent: str | None) -> str:
        """The agent's worktree with its branch checked out (created on first use)."""
        policy = self.loaded.policy
        spec = policy.agents.get(agent) if agent else None
        branch = UNASSIGNED_BRANCH
        if spec is not None and spec.branch:
            # A branch glob (agent/search-*) gets a concrete name it matches.
            branch = re.sub(r"[*?]|\[[^\]]*\]", "x", spec.branch)
        elif agent is not None and policy.integration and policy.integration.owner == agent:
            branch = policy.integration.branch
        path = agent_worktree(spec.model_dump(), self.main) if spec is not None else None
        path = path or self.main
        if os.path.normpath(path) == os.path.normpath(self.main):
            self._set_head(os.path.join(self.main, ".git"), branch)
            return self.main
        if not _inside(path, self.tmp):
            return path  # an absolute worktree elsewhere: judged by path only, nothing created
        name = os.path.basename(path) or "wt"
        git_dir = os.path.join(self.main, ".git", "worktrees", name)
        os.makedirs(git_dir, exist_ok=True)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, ".git"), "w", encoding="utf-8") as fh:
            fh.write(f"gitdir: {git_dir}\n")
        with open(os.path.join(git_dir, "commondir"), "w", encoding="utf-8") as fh:
            fh.write("../..\n")
        self._set_head(git_dir, branch)
        return path

    def env(self, agent: str | None, worktree: str) -> dict[str, str]:
        """The hook environment of the agent's session."""
        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": self.home,
            compiled.POLICY_ENV: self.policy,
            "AGENTGUARD_HOME": self.state,
            "CLAUDE_PROJECT_DIR": worktree,
        }
        if agent:
            env["AGENTGUARD_AGENT"] = agent
        return env


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(
        folder
    )


def _subagent_fields(test: PolicyTest, worktree: str) -> tuple[dict[str, str], str]:
    """The event's ``agent_id``/``agent_type`` and the folder the subagent works in.

    Claude Code puts an isolated subagent in ``.claude/worktrees/agent-<agent_id>/`` of
    the project and sends that folder as the event's cwd.
    """
    fields: dict[str, str] = {}
    if test.agent_type is not None:
        fields["agent_type"] = test.agent_type
    if test.agent_id is not None or test.agent_type is not None or test.isolated:
        fields["agent_id"] = test.agent_id or TEST_AGENT_ID
    where = worktree
    if test.isolated:
        where = os.path.join(worktree, ".claude", "worktrees", f"agent-{fields['agent_id']}")
    return fields, where


def build_event(test: PolicyTest, worktree: str) -> dict[str, Any]:
    """The PreToolUse event a test describes, as Claude Code would send it."""
    fields, where = _subagent_fields(test, worktree)
    if test.event is not None:
        event = dict(test.event)
        event.setdefault("hook_event_name", "PreToolUse")
        event.setdefault("session_id", "agentguard-test")
        event.setdefault("cwd", where)
        for key, value in fields.items():
            event.setdefault(key, value)
        return event
    tool = test.tool or ("Bash" if test.command else "WebFetch" if test.url else None)
    if tool is None:
        raise ValueError("the test names no tool, command, url or event")
    tool_input: dict[str, Any] = {}
    if test.path is not None:
        path = test.path
        if not os.path.isabs(path) and not path.startswith("~"):
            path = os.path.join(where, path)
        tool_input[tools.path_field(tool)] = path
    if test.command is not None:
        tool_input["command"] = test.command
    if test.url is not None:
        tool_input["url"] = test.url
    return {
        "hook_event_name": "PreToolUse",
        "session_id": "agentguard-test",
        "cwd": where,
        "tool_name": tool,
        "tool_input": tool_input,
        **fields,
    }


def _name(test: PolicyTest) -> str:
    if test.name:
        return test.name
    what = test.command or test.path or test.url or ("event" if test.event else "")
    who = test.agent or "(unassigned)"
    if test.agent_type:
        who += f" > {test.agent_type}"
    return f"{who} {test.tool or ''} {what}".replace("  ", " ").strip()


def _locations(loaded: Loaded) -> list[tuple[str, int, int]]:
    """Where each merged test is written: tests concatenate across layers, in file order."""
    out = []
    for marked in loaded.marked:
        tests = marked.data.get("tests")
        for i in range(len(tests) if isinstance(tests, list) else 0):
            line, col = marked.where(("tests", i))
            out.append((marked.file, line, col))
    return out


def run_tests(loaded: Loaded) -> list[Outcome]:
    """One outcome per test of ``loaded``'s policy, evaluated by the hook's code."""
    policy: Policy = loaded.policy
    outcomes: list[Outcome] = []
    locations = _locations(loaded)
    with tempfile.TemporaryDirectory(prefix="agentguard-test-") as tmp:
        layout = Layout(loaded, os.path.realpath(tmp))
        for i, test in enumerate(policy.tests):
            file, line, col = locations[i] if i < len(locations) else (loaded.files[-1], 1, 1)
            name = _name(test)
            try:
                worktree = layout.worktree(test.agent)
                event = build_event(test, worktree)
                evaluation, _ = explain(event, layout.env(test.agent, worktree))
            except (GuardError, ValueError, OSError) as exc:
                outcomes.append(
                    Outcome(
                        name, False, f"could not evaluate: {exc}", file=file, line=line, col=col
                    )
                )
                continue
            output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, "")
            got = evaluation.decision if output else "none"
            deciding = [m.rule for m in evaluation.matches if m.decision == evaluation.decision]
            rules = sorted(set(deciding))
            shown = f"{got} [{', '.join(rules)}]" if rules and got != "none" else got
            ok = got == test.expect and (test.rule is None or test.rule in deciding)
            if ok:
                outcomes.append(Outcome(name, True, shown, file=file, line=line, col=col))
                continue
            expected = test.expect + (f" by rule {test.rule}" if test.rule else "")
            details = [
                f"{m.decision} [{m.rule}] {m.justification}" + (f" ({m.what})" if m.what else "")
                for m in evaluation.matches
            ]
            outcomes.append(
                Outcome(
                    name,
                    False,
                    f"expected {expected}, got {shown} ({file}:{line}:{col})",
                    details=details,
                    file=file,
                    line=line,
                    col=col,
                )
            )
    return outcomes


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run policy tests; 0 all pass, 1 a test failed, 2 the policy does not load."""
    parser = argparse.ArgumentParser(
        prog="agentguard test",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="policy files or folders")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    specs: list[list[str]] = [discover(p) for p in args.paths]
    if not specs:
        try:
            specs = [compiled.discover(os.getcwd(), os.environ)]
        except GuardError as exc:
            print(f"agentguard test: {exc}", file=sys.stderr)
            return 2
    status = 0
    outcomes: list[Outcome] = []
    header: list[str] = []
    for files in specs:
        try:
            loaded = load_files(files)
        except PolicyError as exc:
            for problem in exc.problems:
                print(f"{problem}", file=sys.stderr)
            print(
                "agentguard test: the policy does not load; run `agentguard lint`", file=sys.stderr
            )
            return 2
        if not loaded.policy.tests:
            header.append(f"{', '.join(files)}: no tests (add a tests: section)")
        outcomes.extend(run_tests(loaded))
    render_outcomes(
        outcomes,
        args.format,
        stream,
        tool="agentguard test",
        header=header,
        extra={"policies": [f for files in specs for f in files]},
    )
    if any(not o.ok for o in outcomes):
        status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
