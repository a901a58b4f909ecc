"""policy/compiled_types.py: the TypedDicts name what the compiler writes, at no run-time cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agentguard.policy import compiled
from agentguard.policy import compiled_types as types
from agentguard.policy.compiler import build

POLICY = """\
version: 1
agents:
  search: {branch: agent/search, owns: [src/pages/**], cannot_touch: [src/x.ts], checks: [b]}
integration: {branch: integration/blog, owner: search}
interfaces:
  schema: {providers: [src/content/config.ts], consumers: [src/pages/**]}
paths:
  - {id: secrets, match: [.env], read: deny}
commands:
  - {id: net, builtin: network, decision: ask}
  - {id: git-read, allow: [git status], ask: [git push]}
approved:
  - {id: pushes, justification: reviewed, commands: [git push origin], lifts: [git-read]}
mcp:
  - {id: gh, tools: [mcp__github__*], decision: ask}
tools:
  - {id: agents, tools: [Agent], decision: allow}
checks:
  b: {run: npm run build}
subagents:
  Explore: {read_only: true, tools: [{id: web-no, tools: [WebFetch], decision: deny}]}
"""


def test_every_key_the_compiler_writes_is_typed(tmp_path: Path) -> None:
    """Each compiled section has exactly the keys its TypedDict names (no more, no fewer)."""
    file = tmp_path / "agentguard.yaml"
    file.write_text(POLICY)
    policy = build([str(file)])

    def keys(typed: type) -> set[str]:
        return set(typed.__annotations__)

    assert set(policy) == keys(types.CompiledBody)
    assert set(compiled.stamp(policy)) == keys(types.CompiledPolicy)
    assert set(policy["defaults"]) == keys(types.CompiledDefaults)
    assert set(policy["agents"]["search"]) == keys(types.CompiledAgent)
    assert set(policy["integration"] or {}) == keys(types.CompiledIntegration)
    assert set(policy["interfaces"]["schema"]) == keys(types.CompiledInterface)
    assert set(policy["paths"][0]) == keys(types.CompiledPathClass)
    rules = policy["commands"]
    typed = keys(types.CompiledCommandRule)
    # NotRequired: an approval's lift, a built-in class's send, a conditioned allow's env.
    optional = {"unless", "send", "require_env", "otherwise"}
    assert all(typed - optional <= set(r) <= typed for r in rules)
    assert any("unless" in r for r in rules) and any("send" in r for r in rules)
    assert set(policy["mcp"][0]) == set(policy["tools"][0]) == keys(types.CompiledToolClass)
    assert set(policy["web"]) == keys(types.CompiledWeb)
    assert set(policy["checks"]["b"]) == keys(types.CompiledCheck)
    assert set(policy["loops"]) == keys(types.CompiledLoops)
    assert set(policy["subagents"]["Explore"]) == keys(types.CompiledSubagent)
    regex, include, source, fast = policy["agents"]["search"]["owns"][0]
    assert (type(regex), include, source, fast) == (
        str,
        True,
        "src/pages/**",
        ("prefix", "src/pages/"),
    )


def test_the_hook_never_imports_the_types(tmp_path: Path) -> None:
    """A Write call loads neither compiled_types nor typing: the shapes are for mypy only."""
    driver = (
        "import sys, json\n"
        "from agentguard.hook.run import main\n"
        "main(['PreToolUse'])\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "s",
        "cwd": str(tmp_path),
        "tool_name": "Write",
        "tool_input": {"file_path": "src/a.ts", "content": "x"},
    }
    env = dict(os.environ, AGENTGUARD_HOME=str(tmp_path / "home"), AGENTGUARD_BUDGET="25")
    env.pop("AGENTGUARD_POLICY", None)
    for _ in range(2):  # the first call compiles the policy (cold path), the second is the hook's
        proc = subprocess.run(
            [sys.executable, "-c", driver],
            input=json.dumps(event),
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
    modules = json.loads(proc.stderr.rsplit("MODULES ", 1)[1])
    assert "agentguard.policy.compiled_types" not in modules
    assert "typing" not in modules
    assert "agentguard.engine.paths" in modules
