"""``agentguard demo``: the article's worked example, replayed through the real hook.

Builds the Astro blog in a temporary git repository with the example policy
committed, creates each agent's branch and linked worktree, then replays a
scripted set of tool calls from each agent through ``agentguard hook`` in a
subprocess per call (as Claude Code runs it) and prints what each call got.
Identity comes from the branch checked out in each worktree, as in real use.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentguard import terminal
from agentguard.commands import usage
from agentguard.commands.demo_scenes import integration_scene, loop_scene
from agentguard.commands.demo_world import build_world, decision_of, fields, run_hook, script


@dataclass
class Replay:
    """What one replay of the example produced: the rows of each scene and the plan."""

    root: Path
    home: Path
    calls: list[dict[str, str]]
    loop: list[dict[str, str]]
    plan: Any

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        return {"calls": self.calls, "loop": self.loop, "integration": self.plan.as_dict()}


def main(argv: Sequence[str] | None = None) -> int:
    """Build the example, replay the script, print the table."""
    parser = argparse.ArgumentParser(
        prog="agentguard demo",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: the rows as one JSON object",
    )
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="agentguard-demo-"))
    try:
        if args.format == "text":
            # Said before the replay's few seconds: a person sees what is being built, and a
            # stdout whose reader has already gone ends the run here, not after the replay.
            print(intro(root), flush=True)
        result = replay(root)
        if args.format == "json":
            print(json.dumps(result.as_dict(), indent=2))
        else:
            print(render(result))
    finally:
        if args.keep:
            print(f"\nkept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def replay(root: Path) -> Replay:
    """Build the example under ``root`` and replay every scene through the real hook."""
    worktrees = build_world(root)
    home = root / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env["AGENTGUARD_HOME"] = str(home)
    rows = []
    for n, step in enumerate(script(), 1):
        wt = worktrees[step.agent]
        env_step = dict(env, CLAUDE_PROJECT_DIR=str(wt))
        event = {
            **fields(f"demo-{step.agent}", root / f"{step.agent}.jsonl", wt),
            "hook_event_name": "PreToolUse",
            "tool_name": step.tool,
            "tool_input": step.tool_input(wt),
            "tool_use_id": f"toolu_demo_{n:02d}",
        }
        decision, rule, reason = decision_of(run_hook(event, env_step, wt))
        rows.append(
            {
                "agent": step.agent,
                "call": step.shown,
                "decision": decision,
                "rule": rule,
                "reason": reason,
            }
        )
    loop_rows = loop_scene(worktrees["search"], env, root)
    plan = integration_scene(worktrees, env, root)
    return Replay(root, home, rows, loop_rows, plan)


def intro(root: Path) -> str:
    """What the demo builds and how each call is judged, at the terminal's width."""
    width = terminal.width()
    return "\n".join(
        [
            *terminal.wrap(
                "agentguard demo: the article's Astro blog, three agents and an integrator,"
                f" each in its own git worktree under {root}.",
                width,
                0,
            ),
            *terminal.wrap(
                "Every call below went through `agentguard hook PreToolUse` in its own process.",
                width,
                0,
            ),
        ]
    )


def render(result: Replay) -> str:
    """The three scenes after the intro, at the terminal's width (every reason whole)."""
    return "\n\n".join(
        [
            render_calls(result.calls, result.home),
            render_loops(result.loop),
            render_integration(result.plan),
        ]
    )


def render_calls(rows: list[dict[str, str]], home: Path) -> str:
    """The calls' table a person reads, at the terminal's width (every reason whole)."""
    width = terminal.width()
    lines = [""]
    heads = (("agent", 10), ("tool call", 52), ("decision", 8), ("rule", 17))
    cells = [(r["agent"], r["call"], r["decision"], r["rule"], r["reason"]) for r in rows]
    lines += table(heads, cells, width)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["decision"]] = counts.get(r["decision"], 0) + 1
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("none", "allow", "ask", "deny"))
    done = f"{len(rows)} calls: {summary}. Every decision is in {home}/logs/decisions.jsonl."
    lines += ["", *terminal.wrap(done, width, 0)]
    return "\n".join(lines)


def render_loops(rows: list[dict[str, str]]) -> str:
    """The loop scene's table, at the terminal's width (every reason whole)."""
    width = terminal.width()
    lines = [
        *terminal.wrap(
            "Loop scene: agent search (loops.same_failure: 3, stop_blocks: 3) re-runs"
            " a failing check, then tries to stop before its checks pass.",
            width,
            0,
        ),
        "",
    ]
    heads = (("event", 19), ("call", 46), ("outcome", 12))
    cells = [(r["event"], r["call"], r["outcome"], r["reason"]) for r in rows]
    return "\n".join(lines + table(heads, cells, width))


def table(heads: Sequence[tuple[str, int]], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Rows of fixed columns and a last, wrapped one: the reason.

    Wide enough, the reason is the last column, wrapped under itself; narrower, it goes
    under its row, indented, so no line is wider than ``width`` and no word is cut.
    """
    over = sum(size + 1 for _, size in heads) - 1 - width
    if over > 0:  # the widest column (the call) gives up the room; its cut shows as …
        widest = max(range(len(heads)), key=lambda i: heads[i][1])
        name, size = heads[widest]
        heads = [*heads[:widest], (name, max(10, size - over)), *heads[widest + 1 :]]
    indent = sum(size + 1 for _, size in heads)
    beside = width - indent >= 30
    lines = [
        " ".join(f"{name:{size}}" for name, size in heads) + (" reason" if beside else ""),
        "-" * width,
    ]
    for row in rows:
        fixed = [
            cell if len(cell) <= size else cell[: size - 1] + "…"
            for cell, (_, size) in zip(row[:-1], heads, strict=True)
        ]
        first = " ".join(f"{cell:{size}}" for cell, (_, size) in zip(fixed, heads, strict=True))
        # A path longer than the room is split across lines, never shortened.
        if beside:
            wrapped = textwrap.wrap(row[-1], width - indent, break_on_hyphens=False) or [""]
            lines.append(first + " " + wrapped[0])
            lines.extend(" " * indent + more for more in wrapped[1:])
        else:
            lines.extend(terminal.wrap(first.rstrip(), width, 4))
            lines.extend(
                textwrap.wrap(
                    row[-1],
                    width,
                    initial_indent="    ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            )
    return lines


def render_integration(plan: Any) -> str:
    """The integration scene: the plan the integrator reads, at the terminal's width."""
    from agentguard.commands.integrate import render_text

    text = "\n".join(
        [
            "Integration scene: each agent committed its work and its last Stop passed",
            "the gate. `agentguard integrate plan`, as the integrator runs it:",
            "",
            render_text(plan),
        ]
    )
    width = terminal.width()  # the plan is laid out for 80 columns; a narrower one wraps it
    return "\n".join(part for line in text.split("\n") for part in terminal.wrap(line, width))
