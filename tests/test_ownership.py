"""The hook and ``verify`` judge ownership with one function: on every golden path case they agree.

Each PreToolUse case whose tool writes or reads one path runs through the hook (in process)
and through the judgement ``verify`` uses (:func:`agentguard.engine.paths.may_change`) on the
same path, relative to the caller's worktree. The lane rules the hook reports
(self-protection, cannot-touch, ownership, unowned-write, unassigned-agent) must be the
objections ``verify`` finds, and a read never meets one.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_cases import POLICIES, case_dirs, load_case
from world import World

from agentguard.claude import tools
from agentguard.commands.verify import judge_file
from agentguard.decision import ALLOW
from agentguard.engine import evaluate
from agentguard.engine.call import prepare
from agentguard.engine.pathnames import normalise
from agentguard.engine.paths import may_change, worktree_rel
from agentguard.hook.run import main
from agentguard.policy import compiled

LANE = {"self-protection", "cannot-touch", "ownership", "unowned-write", "unassigned-agent"}
BUNDLED = Path(__file__).resolve().parent.parent / "policies" / "default.yaml"


def _path_cases() -> list[Any]:
    out = []
    for folder in case_dirs():
        event = json.loads((folder / "event.json").read_text("utf-8"))
        tool = event.get("tool_name") if isinstance(event, dict) else None
        kind = tools.kind(tool) if isinstance(tool, str) else None
        field = tools.path_field(tool) if isinstance(tool, str) else ""
        tool_input = event.get("tool_input") if isinstance(event, dict) else None
        if not isinstance(tool_input, dict) or kind not in (tools.WRITE, tools.READ):
            continue
        if not isinstance(event.get("cwd"), str):
            continue
        if not isinstance(tool_input.get(field), str) or not tool_input[field]:
            continue
        if load_case(folder).get("xfail"):
            continue
        out.append(pytest.param(folder, id=f"{folder.parent.name}/{folder.name}"))
    return out


CASES = _path_cases()


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One AGENTGUARD_HOME for every case: its cache keeps each policy compiled once."""
    return tmp_path_factory.mktemp("agree") / "agentguard-home"


def _setting(
    folder: Path, world: World, tmp: Path, state: Path
) -> tuple[dict[str, Any], dict[str, str]]:
    """The case's event and hook environment, as tests/test_cases.py builds them."""
    case = load_case(folder)
    extra = {"state": str(state)}
    policy = None
    if case.get("policy"):
        name = str(case["policy"])
        if name == "@default":
            policy = str(BUNDLED)
        else:
            target = tmp / "policy" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(world.substitute((POLICIES / name).read_text("utf-8"), extra))
            policy = str(target)
        extra["policy"] = policy
    event = world.substitute(json.loads((folder / "event.json").read_text("utf-8")), extra)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(world.home),
        "AGENTGUARD_HOME": str(state),
        "CLAUDE_PROJECT_DIR": str(world.worktree_of(Path(event["cwd"]))),
    }
    env.update({k: str(v) for k, v in world.substitute(case.get("env") or {}, extra).items()})
    if policy:
        env[compiled.POLICY_ENV] = policy
    return event, env


def _hook_rules(event: dict[str, Any], env: dict[str, str]) -> set[str] | None:
    """The lane rules among the hook's logged matches; None when the call failed (on_error)."""
    main(["PreToolUse"], io.StringIO(json.dumps(event)), io.StringIO(), env)
    log = Path(env["AGENTGUARD_HOME"]) / "logs" / "decisions.jsonl"
    record = json.loads(log.read_text("utf-8").splitlines()[-1])
    if record.get("error"):
        return None
    return {m["rule"] for m in record.get("matches", []) if m["rule"] in LANE}


def test_the_corpus_has_path_cases_of_every_kind() -> None:
    """The comparison covers writes and reads of many cases, not a handful."""
    assert len(CASES) >= 100


@pytest.mark.parametrize("folder", CASES)
def test_hook_and_verify_agree(
    folder: Path, world: World, tmp_path: Path, state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook's lane rules for the case's path are exactly verify's objections to it."""
    monkeypatch.chdir(world.root)
    event, env = _setting(folder, world, tmp_path, state)
    hook = _hook_rules(event, env)
    if hook is None:
        pytest.skip("the hook answers on_error here (a broken policy or event): nothing to judge")
    tool = event["tool_name"]
    if tools.kind(tool) == tools.READ:
        assert hook == set(), "ownership never restricts a read"
        return
    files = compiled.discover(event["cwd"], env)
    policy = compiled.load(files, env["AGENTGUARD_HOME"]).data
    call = prepare(policy, files, event["cwd"], env, env["AGENTGUARD_HOME"])
    evaluate.bind_subagent(call, event)
    agent = call.identity.agent
    raw = event["tool_input"][tools.path_field(tool)]
    verify: set[str] = set()
    inside_tree = False
    for path in normalise(raw, event["cwd"], env["HOME"]):
        rel = worktree_rel(path, call.paths)
        if not rel:
            continue
        inside_tree = True
        objections = may_change(policy, agent, rel)
        verify |= {rule for rule, decision, _ in objections if decision != ALLOW}
        if agent is not None and agent in policy["agents"]:
            assert (judge_file(policy, agent, rel) is None) == (not objections), rel
    if not inside_tree:
        verify = hook & {"self-protection"}  # outside the worktree verify has nothing to judge
        assert hook <= {"self-protection"}
    assert hook == verify


POLICY: dict[str, Any] = {
    "defaults": {"unowned_write": "allow", "unassigned_agent": "ask"},
    "agents": {
        "metadata": {"owns": [["", True, "src/content/**", ["prefix", "src/content/"]]]},
        "search": {
            "owns": [["", True, "src/pages/**", ["prefix", "src/pages/"]]],
            "cannot_touch": [["", True, "src/pages/legal.md", ["path", "src/pages/legal.md"]]],
        },
    },
    "integration": {"branch": "integration/blog", "owner": "integrator"},
}


@pytest.mark.parametrize(
    ("agent", "rel", "integrating", "expected"),
    [
        ("search", "src/pages/a.astro", False, []),
        ("search", "src/pages", False, []),  # the root of its own tree
        ("search", "src/pages/legal.md", False, [("cannot-touch", "deny", "src/pages/legal.md")]),
        ("search", "src/content/a.md", False, [("ownership", "deny", "metadata")]),
        ("search", "README.md", False, [("unowned-write", "allow", "")]),
        (None, "src/pages/a.astro", False, [("unassigned-agent", "ask", "")]),
        (
            "search",
            ".git/config",
            False,
            [("self-protection", "deny", ".git/ is protected"), ("unowned-write", "allow", "")],
        ),
        (
            "search",
            "AgentGuard.YAML",
            False,
            [
                ("self-protection", "deny", "agentguard.yaml is the policy"),
                ("unowned-write", "allow", ""),
            ],
        ),
        ("integrator", "src/content/a.md", True, []),
        ("integrator", "src/pages/legal.md", True, []),
        ("integrator", "NOTES.md", True, [("unowned-write", "deny", "")]),
        (
            "integrator",
            ".claude/settings.json",
            True,
            [("self-protection", "deny", ".claude/ is protected"), ("unowned-write", "deny", "")],
        ),
    ],
)
def test_may_change(
    agent: str | None, rel: str, integrating: bool, expected: list[tuple[str, str, str]]
) -> None:
    """Self-protection first, then the lane; merged work (integrating) needs only an owner."""
    assert may_change(POLICY, agent, rel, integrating=integrating) == expected


@pytest.mark.parametrize(
    ("agent", "rel", "merged", "why"),
    [
        ("search", "README.md", None, "outside search's owned paths"),
        ("search", "src/content/a.md", None, "owned by metadata, not by search"),
        ("integrator", "src/pages/a.astro", None, None),
        ("integrator", "NOTES.md", None, "no agent owns it, so no agent branch should change it"),
        ("ghost", "src/pages/a.astro", None, "agent ghost is not defined in the policy"),
        ("search", "src/content/a.md", True, None),
    ],
)
def test_verify_words_each_objection(
    agent: str, rel: str, merged: bool | None, why: str | None
) -> None:
    """verify's reason is its wording of the first objection; unowned fails even when allowed."""
    assert judge_file(POLICY, agent, rel, merged=merged) == why
