"""Hook latency against a minimal Python hook, as ratios measured in one run.

    .venv/bin/python benchmarks/latency.py            # all scenarios
    .venv/bin/python benchmarks/latency.py --runs 60 --only write,edit

Each scenario pipes the same event into (a) a minimal hook that only parses the
JSON and prints ``{}``, (b) agentguard's hook as the console script and (c) the same
hook through the project's committed entry (``.claude/hooks/agentguard``, which finds
the console script on PATH), with the same interpreter, interleaved run by run so that
machine noise hits all alike. The figure that
matters is the ratio of medians; absolute times depend on the machine.
Budgets (design.md section 9): file tools 1.3x, shell commands 1.6x.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agentguard.commands.demo_world import build_world

REPO = Path(__file__).resolve().parent.parent
MINIMAL = "import json, sys\njson.load(sys.stdin)\nprint('{}')\n"


def _event(cwd: Path, tool: str, tool_input: dict[str, Any], name: str = "PreToolUse") -> bytes:
    return json.dumps(
        {
            "session_id": "bench-session",
            "transcript_path": str(cwd / "t.jsonl"),
            "cwd": str(cwd),
            "permission_mode": "default",
            "hook_event_name": name,
            "tool_name": tool,
            "tool_input": tool_input,
            "tool_use_id": "toolu_bench",
        }
    ).encode()


class Scenario:
    """One event, its budget, an optional setup run before timing starts, and an optional
    PreToolUse event run (untimed) before each timed run of a post event, with the same
    tool_use_id, so that the post event is bound to its call as in a real session."""

    def __init__(
        self,
        name: str,
        event: Callable[[Path], bytes],
        budget: float | None,
        hook_event: str = "PreToolUse",
        setup: Callable[[Path, dict[str, str]], None] | None = None,
        pre: Callable[[Path], bytes] | None = None,
    ) -> None:
        self.name = name
        self.event = event
        self.budget = budget
        self.hook_event = hook_event
        self.setup = setup
        self.pre = pre


def _repo(root: Path) -> Path:
    """The demo's world (the article's blog, example policy, one worktree per agent).

    Returns the search agent's worktree: hooks run there, as they would for that agent.
    """
    return build_world(root)["search"]


def scenarios() -> list[Scenario]:
    """The measured events."""
    return [
        Scenario(
            "write",
            lambda r: _event(
                r, "Write", {"file_path": str(r / "src/pages/blog/index.astro"), "content": "x"}
            ),
            1.3,
        ),
        Scenario(
            "edit",
            lambda r: _event(
                r,
                "Edit",
                {
                    "file_path": str(r / "src/content/blog/post.md"),
                    "old_string": "a",
                    "new_string": "b",
                },
            ),
            1.3,
        ),
        Scenario("read", lambda r: _event(r, "Read", {"file_path": str(r / "README.md")}), 1.3),
        Scenario("bash-simple", lambda r: _event(r, "Bash", {"command": "git status"}), 1.6),
        Scenario(
            "bash-compound",
            lambda r: _event(
                r,
                "Bash",
                {
                    "command": "git status && npm run check | tee /tmp/check.log;"
                    " git diff --stat main...HEAD && ls -la src/pages/blog || echo done"
                },
            ),
            1.6,
        ),
        Scenario(
            "bash-nested",
            lambda r: _event(
                r,
                "Bash",
                {"command": "bash -c \"sh -c 'git push origin \\$(git branch --show-current)'\""},
            ),
            None,
        ),
    ]


# The 47-byte line, against a tree of 4096 folders six levels down built beside
# the repository (never /sys): the glob cap asks after 256 matches instead of listing
# and resolving every one (minutes before the cap; the budget's on_error after 5 s).
HUGE_GLOB = "cat {tree}/*/*/*/*/*/* > /dev/null; git push -f"


def _big_tree(repo: Path, env: dict[str, str]) -> None:
    """The tree HUGE_GLOB expands: four folders per level, six levels."""
    del env
    level = [repo.parent / "big"]
    if level[0].exists():
        return
    for _ in range(6):
        level = [folder / f"d{i}" for folder in level for i in range(4)]
        for folder in level:
            folder.mkdir(parents=True)


def limit_scenarios() -> list[Scenario]:
    """Hostile sizes: a huge glob and a line nested past the analysis limit."""
    return [
        Scenario(
            "bash-huge-glob",
            lambda r: _event(r, "Bash", {"command": HUGE_GLOB.format(tree=r.parent / "big")}),
            None,
            setup=_big_tree,
        ),
        Scenario(
            "bash-deep-nesting",
            lambda r: _event(r, "Bash", {"command": "echo " + "$(" * 3000 + "x" + ")" * 3000}),
            None,
        ),
    ]


HISTORY = 10_000
SEARCH_CHECKS = (
    "agentguard verify",
    "npm run check",
    "ASTRO_TELEMETRY_DISABLED=1 npm run build",
    "npm run test:search-filter",
    "agentguard logs evidence",
)


def _post_event(cwd: Path, name: str, command: str) -> bytes:
    """A PostToolUse (successful Bash) or Stop event of the search agent's session."""
    event: dict[str, Any] = {
        "session_id": "bench-session",
        "transcript_path": str(cwd / "t.jsonl"),
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": name,
    }
    if name == "Stop":
        event.update(stop_hook_active=False, last_assistant_message="done")
    else:
        event.update(
            tool_name="Bash",
            tool_input={"command": command},
            tool_response={"stdout": "ok", "stderr": "", "interrupted": False},
            tool_use_id="toolu_bench",
            duration_ms=1200,
        )
    return json.dumps(event).encode()


def _history(size: int) -> Callable[[Path, dict[str, str]], None]:
    """A setup giving the session ``size`` logged events (and their counters) in a fresh home.

    The log and the counters are what a long session leaves behind: ``size`` decision
    records, a failure record per tenth event, and an evidence record whose checks all
    passed after the last edit (so Stop takes the full gate path and lets the agent stop).
    """

    def setup(repo: Path, env: dict[str, str]) -> None:
        sys.path.insert(0, str(REPO))
        from agentguard.engine import loops
        from agentguard.state import evidence, log
        from agentguard.state import records as counters

        home = repo.parent / f"home-{size}"
        shutil.rmtree(home, ignore_errors=True)
        env["AGENTGUARD_HOME"] = str(home)
        path = Path(log.log_path(str(home)))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for n in range(size):
                record = {
                    "ts": "2026-01-01T00:00:00.000Z",
                    "event": ("PreToolUse", "PostToolUse", "PostToolUseFailure")[n % 3],
                    "session": "bench-session",
                    "agent": "search",
                    "tool": "Bash",
                    "input": {"command": f"npm run test -- shard{n}"},
                    "decision": "allow",
                    "output": "none",
                }
                fh.write(json.dumps(record) + "\n")
        for n in range(size // 10):
            counters.update_record(
                str(home),
                "bench-session",
                "search",
                loops.attempt_key("Bash", f"npm run test -- shard{n}"),
                lambda r: {**r, "sigs": {"0" * 16: {"count": 1, "line": "x"}}, "count": 1},
            )
        evidence.note(str(home), "bench-session", "search", edit_at=1.0)
        results = {name: {"ok": True, "at": 2.0} for name in ("ownership", "check", "build")}
        results.update(
            {"search-filter": {"ok": True, "at": 2.0}, "evidence": {"ok": True, "at": 2.0}}
        )
        evidence.note(str(home), "bench-session", "search", checks=results)

    return setup


def _pre_bash(command: str) -> Callable[[Path], bytes]:
    """The PreToolUse of a Bash call, for a bound post event's untimed setup."""
    return lambda r: _event(r, "Bash", {"command": command})


# A line that runs the check and then writes: the post event must learn that it writes.
CHECK_THEN_WRITE = "npm run check && echo done > notes.txt"


def history_scenarios() -> list[Scenario]:
    """PostToolUse and Stop on an empty session and on one with ``HISTORY`` logged events.

    The PostToolUse scenarios are bound (their PreToolUse ran first, untimed) but for
    ``post-bash-unbound``, which has no marker and analyses its line itself.
    """
    out = [
        Scenario(
            "post-bash-unbound",
            lambda r: _post_event(r, "PostToolUse", CHECK_THEN_WRITE),
            None,
            "PostToolUse",
            _history(0),
        ),
        Scenario(
            "post-bash-write",
            lambda r: _post_event(r, "PostToolUse", CHECK_THEN_WRITE),
            None,
            "PostToolUse",
            _history(0),
            _pre_bash(CHECK_THEN_WRITE),
        ),
    ]
    for size, label in ((0, "fresh"), (HISTORY, "10k")):
        out.append(
            Scenario(
                f"post-bash-{label}",
                lambda r: _post_event(r, "PostToolUse", "npm run check"),
                None,
                "PostToolUse",
                _history(size),
                _pre_bash("npm run check"),
            )
        )
        out.append(
            Scenario(
                f"stop-{label}",
                lambda r: _post_event(r, "Stop", ""),
                None,
                "Stop",
                _history(size),
            )
        )
    return out


def _call(data: bytes, n: int) -> bytes:
    """Run ``n`` of an event: a new tool call with its own tool_use_id, so that PreToolUse
    writes a new evidence marker every time, as in a real session."""
    return data.replace(b'"toolu_bench"', f'"toolu_bench_{n:05d}"'.encode())


def _time(cmd: Sequence[str], data: bytes, env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, input=data, stdout=subprocess.DEVNULL, env=env, cwd=cwd, check=True)
    return time.perf_counter() - start


def hook_command() -> list[str]:
    """How settings.json runs the hook: the console script beside the interpreter, if any."""
    script = Path(sys.executable).parent / "agentguard"
    if script.exists():
        return [str(script), "hook"]
    return [sys.executable, "-m", "agentguard", "hook"]


def entry_command(repo: Path) -> list[str]:
    """How a project-scope install runs the hook: the committed entry, finding agentguard on PATH.

    The entry is written into the benchmark's repository as ``install`` writes it; the
    interpreter's folder goes on PATH (as pipx's does), so the entry's lookup is measured too.
    """
    sys.path.insert(0, str(REPO))
    from agentguard.claude import entry

    target = repo / entry.PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(entry.SCRIPT)
    target.chmod(0o755)
    return [str(target)]


def measure(runs: int, only: set[str] | None) -> list[dict[str, Any]]:
    """Median times and ratios for every scenario (the console script and the entry)."""
    results = []
    with tempfile.TemporaryDirectory(prefix="agentguard-bench-") as tmp:
        root = Path(tmp)
        repo = _repo(root)
        minimal = root / "minimal_hook.py"
        minimal.write_text(MINIMAL)
        env = dict(os.environ)
        # A real install has its bytecode cached; some sandboxes set this and make every
        # import recompile from source, which would measure the sandbox, not the hook.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(REPO / "agentguard")],
            env=env,
            check=True,
        )
        env.update(
            AGENTGUARD_HOME=str(root / "home"),
            AGENTGUARD_AGENT="search",
            CLAUDE_PROJECT_DIR=str(repo),
            PYTHONPATH=str(REPO),
        )
        env.pop("AGENTGUARD_PYTHON", None)
        env["PATH"] = f"{Path(hook_command()[0]).parent}:{env.get('PATH', os.defpath)}"
        via_entry = entry_command(repo)
        for scenario in scenarios() + limit_scenarios() + history_scenarios():
            if only and scenario.name not in only:
                continue
            if scenario.setup:
                scenario.setup(repo, env)
            data = scenario.event(repo)
            ours = [*hook_command(), scenario.hook_event]
            mine = [*via_entry, scenario.hook_event]
            base = [sys.executable, str(minimal)]
            pre = scenario.pre(repo) if scenario.pre else None

            def bind(n: int, pre: bytes | None = pre) -> None:
                if pre is not None:  # untimed: the PreToolUse of the same call
                    _time([*hook_command(), "PreToolUse"], _call(pre, n), env, repo)

            for n in range(3):  # warm the compiled-policy cache and the OS caches
                bind(n)
                _time(ours, _call(data, n), env, repo)
                bind(n)
                _time(mine, _call(data, n), env, repo)
                _time(base, _call(data, n), env, repo)
            a: list[float] = []
            b: list[float] = []
            c: list[float] = []
            for n in range(3, runs + 3):
                a.append(_time(base, _call(data, n), env, repo))
                bind(n)
                b.append(_time(ours, _call(data, n), env, repo))
                bind(n)
                c.append(_time(mine, _call(data, n), env, repo))
            ma, mb, mc = statistics.median(a), statistics.median(b), statistics.median(c)
            results.append(
                {
                    "scenario": scenario.name,
                    "minimal_ms": round(ma * 1000, 2),
                    "agentguard_ms": round(mb * 1000, 2),
                    "ratio": round(mb / ma, 3),
                    "entry_ms": round(mc * 1000, 2),
                    "entry_ratio": round(mc / ma, 3),
                    "budget": scenario.budget,
                }
            )
        shutil.rmtree(root / "home", ignore_errors=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="timed runs per scenario")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (a table) or json"
    )
    args = parser.parse_args(argv)
    only = {s for s in args.only.split(",") if s} or None
    results = measure(args.runs, only)
    if args.format == "json":
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{'scenario':16} {'minimal':>8} {'agentguard':>10} {'ratio':>6}"
        f" {'entry':>8} {'ratio':>6} {'budget':>6}"
    )
    for r in results:
        budget = f"{r['budget']:.1f}x" if r["budget"] else "record"
        worst = max(r["ratio"], r["entry_ratio"])
        flag = "" if not r["budget"] or worst <= r["budget"] else "  OVER"
        print(
            f"{r['scenario']:16} {r['minimal_ms']:>6.1f}ms {r['agentguard_ms']:>8.1f}ms"
            f" {r['ratio']:>5.2f}x {r['entry_ms']:>6.1f}ms {r['entry_ratio']:>5.2f}x"
            f" {budget:>6}{flag}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
