"""The PreToolUse golden corpus, run through the hook's entry point ``hook.main`` in-process.

Each folder ``tests/cases/pretooluse/<expected>/<case>/`` holds ``event.json``
(with placeholders such as ``{search}``, see :mod:`world`) and optionally
``case.yaml``: ``env`` (extra hook environment), ``rule`` (a rule id among the
deciding rules), ``reason_contains``, ``policy`` (a file under ``_policies/``,
with placeholders, used through ``AGENTGUARD_POLICY`` instead of the world's
``agentguard.yaml``; ``@default`` is the bundled default policy; ``{policy}``
and ``{state}`` name the policy file and the ``AGENTGUARD_HOME`` of the run),
``note`` (what the case pins) and ``xfail`` (a known bug, with its description).
Add a regression by adding a folder.

Each case gets what a hook process would: its own fresh ``AGENTGUARD_HOME``, only its
environment, the world's root as working folder (:func:`hookcall.in_process`). A dozen
cases also go through the real process entries (``python -m agentguard hook`` and the
checkout's ``hooks/agentguard``) in :func:`test_smoke_case_through_a_process`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hookcall import CHECKOUT_ENTRY, Done, in_process, in_subprocess
from world import World

CASES = Path(__file__).parent / "cases" / "pretooluse"
POLICIES = CASES / "_policies"
EXPECTED = ("allow", "ask", "deny", "none")
CASE_KEYS = {"env", "rule", "reason_contains", "policy", "note", "xfail"}
# Policy placeholder for the bundled default policy, instead of a file under _policies/.
BUNDLED = "@default"
OUTPUT_KEYS = {"hookEventName", "permissionDecision", "permissionDecisionReason"}


def case_dirs() -> Iterator[Path]:
    """Every case folder, in a stable order."""
    for expected in EXPECTED:
        folder = CASES / expected
        if folder.is_dir():
            yield from sorted(p for p in folder.iterdir() if p.is_dir())


def load_case(folder: Path) -> dict[str, Any]:
    """The ``case.yaml`` of ``folder`` as a mapping (empty when absent)."""
    path = folder / "case.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    assert isinstance(data, dict), f"{path}: expected a mapping"
    return data


def _params() -> list[Any]:
    out = []
    for folder in case_dirs():
        case = load_case(folder)
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=str(case["xfail"])))
        out.append(pytest.param(folder, id=str(folder.relative_to(CASES)), marks=marks))
    return out


def _policy_file(name: str, world: World, tmp: Path, extra: dict[str, str]) -> str:
    if name == BUNDLED:
        return str(Path(__file__).resolve().parent.parent / "policies" / "default.yaml")
    text = world.substitute((POLICIES / name).read_text("utf-8"), extra)
    target = tmp / "policy" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return str(target)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiled policies shared by the cases: the cache is keyed by content, so sharing is sound.

    Building a policy imports pydantic and PyYAML (the slow path); seeding each
    case's fresh ``AGENTGUARD_HOME`` with what earlier cases compiled keeps the
    corpus fast, and the first case of each policy still exercises the rebuild.
    """
    return tmp_path_factory.mktemp("warm-cache")


Runner = Callable[[list[str], str, dict[str, str], Path], Done]


def run_case(
    folder: Path, world: World, tmp: Path, seed: Path | None = None, runner: Runner = in_process
) -> tuple[Done, Path]:
    """Run the case in ``folder`` through the hook's PreToolUse entry (in-process by default)."""
    case = load_case(folder)
    state = tmp / "agentguard-home"
    if seed is not None:
        shutil.copytree(seed, state / "cache")
    extra = {"state": str(state)}
    policy = None
    if case.get("policy"):
        policy = _policy_file(str(case["policy"]), world, tmp, extra)
        extra["policy"] = policy
    event = world.substitute(json.loads((folder / "event.json").read_text("utf-8")), extra)
    cwd = event.get("cwd") if isinstance(event, dict) else None
    project = world.worktree_of(Path(cwd)) if isinstance(cwd, str) else world.search
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(world.home),
        "AGENTGUARD_HOME": str(state),
        "CLAUDE_PROJECT_DIR": str(project),
    }
    env.update({k: str(v) for k, v in world.substitute(case.get("env") or {}, extra).items()})
    if policy:
        env["AGENTGUARD_POLICY"] = policy
    done = runner(["PreToolUse"], json.dumps(event), env, world.root)
    if seed is not None:
        for built in (state / "cache").glob("policy-*.json"):
            if not (seed / built.name).exists():
                shutil.copy(built, seed / built.name)
    return done, state


@pytest.mark.parametrize("folder", _params())
def test_case(folder: Path, world: World, tmp_path: Path, warm_cache: Path) -> None:
    """The hook's wire output, deciding rule and log line match the case's expectation."""
    check_case(folder, *run_case(folder, world, tmp_path, warm_cache), world)


# Cases through a real process (``python -m agentguard hook``): each decision, a path trick,
# a policy and an environment of their own, a guard error. The first four also go through the
# checkout's committed entry, ``hooks/agentguard``.
SMOKE = (
    "allow/webfetch-allowed-domain",
    "ask/secrets-read-env",
    "deny/symlink-file-to-claude-settings",
    "none/write-own-file-relative",
    "ask/on-error-env-ask",
    "deny/bash-redirect-into-claude-command",
    "deny/broken-policy-yaml",
    "deny/policy-file-via-env",
)
SMOKE_CHECKOUT = SMOKE[:4]


def _python_m(argv: list[str], stdin: str, env: dict[str, str], cwd: Path) -> Done:
    # A loaded machine can starve a process for seconds: the budget is not what this checks.
    return in_subprocess(argv, stdin, {"AGENTGUARD_BUDGET": "25", **env}, cwd)


def _checkout_entry(argv: list[str], stdin: str, env: dict[str, str], cwd: Path) -> Done:
    env = {"AGENTGUARD_BUDGET": "25", **env, "AGENTGUARD_PYTHON": sys.executable}
    return in_subprocess(argv, stdin, env, cwd, entry=[str(CHECKOUT_ENTRY)])


@pytest.mark.parametrize(
    ("name", "runner"),
    [pytest.param(n, _python_m, id=f"python-m:{n}") for n in SMOKE]
    + [pytest.param(n, _checkout_entry, id=f"checkout:{n}") for n in SMOKE_CHECKOUT],
)
def test_smoke_case_through_a_process(
    name: str, runner: Runner, world: World, tmp_path: Path, warm_cache: Path
) -> None:
    """A few cases meet their expectation through a real process entry, as in-process."""
    folder = CASES / name
    check_case(folder, *run_case(folder, world, tmp_path, warm_cache, runner), world)


def check_case(folder: Path, done: Done, state: Path, world: World) -> None:
    """Assert that one run of the case in ``folder`` met its expectation."""
    expected = folder.parent.name
    case = load_case(folder)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    reason = ""
    if expected == "none":
        assert done.stdout == ""
    else:
        output = json.loads(done.stdout)
        assert list(output) == ["hookSpecificOutput"]
        specific = output["hookSpecificOutput"]
        assert set(specific) <= OUTPUT_KEYS
        assert specific["hookEventName"] == "PreToolUse"
        assert specific["permissionDecision"] == expected
        reason = specific.get("permissionDecisionReason", "")
        if expected != "allow":
            assert reason.startswith("[agentguard:"), reason
    lines = (state / "logs" / "decisions.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["event"] == "PreToolUse"
    assert record["output"] == expected
    assert isinstance(record["latency_ms"], float)
    deciding = [m["rule"] for m in record.get("matches", []) if m["decision"] == record["decision"]]
    if expected != "none":
        assert record["decision"] == expected
    rule = case.get("rule")
    if rule:
        assert rule in deciding, deciding
        if reason:
            assert f"[agentguard:{rule}]" in reason
    if rule == "on-error":
        assert record["error"]
    if case.get("reason_contains"):
        assert world.substitute(str(case["reason_contains"])) in reason


def test_corpus_layout() -> None:
    """Every folder of the corpus is a known expectation holding cases with known keys."""
    for child in CASES.iterdir():
        assert child.name in (*EXPECTED, "_policies"), child
    for folder in case_dirs():
        assert (folder / "event.json").is_file(), folder
        unknown = set(load_case(folder)) - CASE_KEYS
        assert not unknown, f"{folder}/case.yaml: unknown keys {sorted(unknown)}"
        policy = load_case(folder).get("policy")
        if policy and policy != BUNDLED:
            assert (POLICIES / str(policy)).is_file(), f"{folder}: no policy {policy}"


REQUIRED_TOOLS = (
    "Write",
    "Edit",
    "MultiEdit",
    "NotebookEdit",
    "Read",
    "Glob",
    "Grep",
    "LS",
    "WebFetch",
    "WebSearch",
    "Agent",
    "Task",
    "EnterWorktree",
)


def test_corpus_covers_every_tool_and_decision() -> None:
    """The corpus names every guarded tool, MCP and unknown tools, and has 80+ cases."""
    tools: set[str] = set()
    folders = list(case_dirs())
    for folder in folders:
        event = json.loads((folder / "event.json").read_text("utf-8"))
        if isinstance(event, dict) and isinstance(event.get("tool_name"), str):
            tools.add(event["tool_name"])
    assert set(REQUIRED_TOOLS) <= tools, sorted(set(REQUIRED_TOOLS) - tools)
    assert any(t.startswith("mcp__") for t in tools)
    assert len(folders) >= 80
    for expected in EXPECTED:
        assert any(f.parent.name == expected for f in folders), expected
