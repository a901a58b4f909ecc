"""The demo's two later scenes: the loop cap (a check failing again and again, a Stop
refused until the checks pass) and the integration plan after each agent finished.

Cold path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentguard.commands.demo_world import fields, git, run_hook

FILTER_FAILURE = (
    "Exit code 1\n"
    " ✕ filters posts by tag ({ms} ms)\n"
    "AssertionError: expected {got} to equal 3\n"
    "    at tests/search-filter.mjs:{line}:9\n"
)


SEARCH_CHECKS = (
    "agentguard verify",
    "npm run check",
    "ASTRO_TELEMETRY_DISABLED=1 npm run build",
    "npm run test:search-filter",
    "agentguard logs evidence",
)


def loop_script(wt: Path) -> list[tuple[str, dict[str, Any], str]]:
    """(event, event fields, what the row shows) for the loop scene."""
    page = str(wt / "src/pages/blog/index.astro")
    steps: list[tuple[str, dict[str, Any], str]] = [
        (
            "PostToolUse",
            {"tool_name": "Write", "tool_input": {"file_path": page, "content": "<ul>…</ul>"},
             "tool_response": {"type": "update"}},
            "Write src/pages/blog/index.astro",
        ),
        ("Stop", {"stop_hook_active": False}, "tries to stop"),
    ]  # fmt: skip
    for n in range(3):
        steps.append(
            (
                "PostToolUseFailure",
                {
                    "tool_name": "Bash",
                    "tool_input": {"command": "npm run test:search-filter"},
                    "error": FILTER_FAILURE.format(ms=11 + 7 * n, got=2 + n % 2, line=40 + n),
                    # The scene's calls follow each other within milliseconds; a longer
                    # duration would start the run before the edit, and the gate would
                    # rightly not count it.
                    "duration_ms": 1,
                },
                f"npm run test:search-filter fails (attempt {n + 1})",
            )
        )
    steps.append(
        (
            "PreToolUse",
            {"tool_name": "Bash", "tool_input": {"command": "npm run test:search-filter"}},
            "npm run test:search-filter again, unchanged",
        )
    )
    steps.append(("Stop", {"stop_hook_active": True}, "tries to stop"))
    for command in SEARCH_CHECKS:
        steps.append(
            (
                "PostToolUse",
                {
                    "tool_name": "Bash",
                    "tool_input": {"command": command},
                    "tool_response": {"stdout": "ok", "stderr": "", "interrupted": False},
                    "duration_ms": 1,
                },
                f"{command} passes",
            )
        )
    steps.append(("Stop", {"stop_hook_active": True}, "tries to stop"))
    return steps


def _loop_outcome(event: str, output: dict[str, Any] | None) -> tuple[str, str]:
    """(what agentguard did, why) for one row of the loop scene."""
    if output is None:
        return (
            ("stop allowed", "every check passed after the last edit")
            if event
            in (
                "Stop",
                "SubagentStop",
            )
            else ("recorded", "")
        )
    specific = output.get("hookSpecificOutput") or {}
    if "permissionDecision" in specific:
        return specific["permissionDecision"], str(specific.get("permissionDecisionReason", ""))
    if output.get("decision") == "block":
        listed = [
            line[2:].split(":", 1)[0] + " (" + line.rsplit("[", 1)[-1].rstrip("]") + ")"
            for line in str(output.get("reason", "")).splitlines()
            if line.startswith("- ")
        ]
        text = "; ".join(listed).replace("not run since your last edit", "not run")
        return "block", "checks not passed since the last edit: " + text
    if "additionalContext" in specific:
        return "context", str(specific["additionalContext"])
    return "message", str(output.get("systemMessage", ""))


def loop_scene(wt: Path, env: dict[str, str], root: Path) -> list[dict[str, str]]:
    """Replay the loop scene for the search agent through the real hook; its rows."""
    rows = []
    env_step = dict(env, CLAUDE_PROJECT_DIR=str(wt))
    for n, (event_name, more, shown) in enumerate(loop_script(wt), 1):
        event = {
            **fields("demo-loop-search", root / "loop.jsonl", wt),
            "hook_event_name": event_name,
            **more,
        }
        if "tool_name" in more:
            event["tool_use_id"] = f"toolu_loop_{n:02d}"
            if event_name != "PreToolUse":
                # Claude Code judges every call before it runs, and a post event counts
                # only for a call its PreToolUse saw (agentguard.state.seen).
                pre = {k: v for k, v in event.items() if k not in ("error", "tool_response")}
                run_hook({**pre, "hook_event_name": "PreToolUse"}, env_step, wt)
        action, why = _loop_outcome(event_name, run_hook(event, env_step, wt))
        if why.startswith("[agentguard:"):
            why = why[why.index("]") + 1 :].strip()
        rows.append({"event": event_name, "call": shown, "outcome": action, "reason": why})
    return rows


# The article's failure: the search agent renames the tag data shape in the listing page
# while the metadata agent changes the content schema for the same idea. Each builds alone.
SCENE_COMMITS = {
    "metadata": (
        "src/content/config.ts",
        "export const collections = { blog: { schema: { topics: 'string[]' } } };\n",
        "content schema: tags become topics",
    ),
    "search": (
        "src/pages/blog/index.astro",
        "---\nconst tagged = posts.filter((p) => p.data.tagList.includes(tag));\n---\n<ul></ul>\n",
        "index: filter by tagList",
    ),
    "review": (
        "tests/search-filter.mjs",
        "// the index still filters by text and tag\n",
        "tests: search filter regression",
    ),
}


def _finish(agent: str, wt: Path, rel: str, env: dict[str, str], root: Path) -> None:
    """The agent's edit, its checks passing, and a Stop the gate lets through (the log)."""
    from agentguard.policy.compiled import discover, load

    files = discover(str(wt), env)
    policy = load(files, env["AGENTGUARD_HOME"]).data
    checks = [policy["checks"][n]["run"] for n in policy["agents"][agent]["checks"]]
    calls: list[tuple[str, dict[str, Any]]] = [
        ("Write", {"file_path": str(wt / rel), "content": "…"}),
        *(("Bash", {"command": command}) for command in checks),
    ]
    env_step = dict(env, CLAUDE_PROJECT_DIR=str(wt))
    base = fields(f"demo-finish-{agent}", root / f"finish-{agent}.jsonl", wt)
    for n, (tool, tool_input) in enumerate(calls, 1):
        call = {**base, "tool_name": tool, "tool_input": tool_input}
        call["tool_use_id"] = f"toolu_finish_{agent}_{n:02d}"
        run_hook({**call, "hook_event_name": "PreToolUse"}, env_step, wt)
        response = {"type": "update"} if tool == "Write" else {"stdout": "ok", "stderr": ""}
        post = {**call, "hook_event_name": "PostToolUse", "tool_response": response}
        run_hook({**post, "duration_ms": 1}, env_step, wt)
    run_hook({**base, "hook_event_name": "Stop", "stop_hook_active": False}, env_step, wt)


def integration_scene(worktrees: dict[str, Path], env: dict[str, str], root: Path) -> Any:
    """Each agent commits its work (its gate passed); the integration plan over the three."""
    from agentguard.commands.agents import Context
    from agentguard.coordinate.plan import make

    for agent, (rel, text, message) in SCENE_COMMITS.items():
        wt = worktrees[agent]
        if agent != "search":  # search's gate passed at the end of the loop scene
            _finish(agent, wt, rel, env, root)
        (wt / rel).parent.mkdir(parents=True, exist_ok=True)
        (wt / rel).write_text(text, encoding="utf-8")
        git(wt, "add", rel)
        git(wt, "commit", "-qm", message)
    return make(Context(str(worktrees["integrator"]), env, None), env)
