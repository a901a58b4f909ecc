"""``agentguard logs`` at size, against an equivalent ``jq`` pass, as ratios from one run.

    .venv/bin/python benchmarks/logs_scale.py                 # 100k and 1M lines
    .venv/bin/python benchmarks/logs_scale.py --sizes 100000 --runs 5

Writes synthetic decision logs shaped like the hook's own records (judged calls with
their matches, successes, failures with signatures, Stop gates; about 450 bytes a line),
then times ``logs summary`` and ``logs loops`` (JSON output) beside a ``jq -n 'reduce
inputs …'`` that folds the same fields, interleaved run by run so machine noise hits both
alike. Prints each side's median wall time and the ratio (agentguard / jq: below 1 is
faster), and agentguard's peak resident memory, which should not grow with the log.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

JQ = {
    "summary": (
        'reduce inputs as $r ({}; ($r.agent // "(unassigned)") as $a'
        " | .[$a].calls += 1"
        ' | if ($r.event == "PreToolUse" and ($r.output // "") != "none")'
        "   then .[$a][$r.output] += 1 else . end"
        " | if $r.failure then .[$a].failures += 1 else . end"
        ' | if $r.gate == "blocked" then .[$a].stop_blocks += 1 else . end)'
    ),
    "loops": (
        "reduce (inputs | select(.signature)) as $r ({};"
        ' .[$r.session + "/" + $r.signature] |= ((. // {first: $r.ts, count: 0})'
        " | .count += 1 | .last = $r.ts))"
    ),
}


def _records(n: int, seed: int = 7) -> Any:
    """``n`` records like the hook's, spread over agents, sessions and loops."""
    rnd = random.Random(seed)
    agents = ("search", "metadata", "review", "integrator")
    for i in range(n):
        agent = agents[i % 4]
        base = {
            "ts": f"2026-12-01T{(i // 3_600_000) % 24:02d}:{(i // 60_000) % 60:02d}:"
            f"{(i // 1000) % 60:02d}.{i % 1000:03d}Z",
            "version": "0.1.0",
            "session": f"sess-{agent}-{i // 2000}",
            "cwd": f"/work/repo-agent-{agent}",
            "policy": "16455d8e637c297a94295d10c9210843",
            "agent": agent,
            "identity": "branch",
            "latency_ms": round(rnd.uniform(20, 40), 2),
        }
        kind = rnd.random()
        if kind < 0.45:
            output = rnd.choice(("none", "none", "allow", "ask", "deny"))
            base.update(
                event="PreToolUse",
                tool="Bash",
                input={"command": f"npm run test:{agent} -- --grep case{i % 97}"},
                tool_use_id=f"toolu_{i:08d}",
                decision="allow" if output == "none" else output,
                output=output,
                rules=["ownership"] if output == "deny" else [],
                matches=[
                    {
                        "rule": "ownership",
                        "decision": "deny",
                        "justification": "src/content/config.ts is owned by agent 'metadata'.",
                        "what": "write src/content/config.ts",
                    }
                ]
                if output == "deny"
                else [],
            )
        elif kind < 0.8:
            base.update(event="PostToolUse", tool="Bash", tool_use_id=f"toolu_{i:08d}")
            base["input"] = {"command": "npm run check"}
        elif kind < 0.97:
            base.update(
                event="PostToolUseFailure",
                tool="Bash",
                tool_use_id=f"toolu_{i:08d}",
                input={"command": "npm run test:search-filter"},
                failure=True,
                signature=f"{(i % 13):016x}",
                count=1 + i % 3,
                error_line="✕ filters posts by tag (11 ms)",
            )
        else:
            base.update(event="Stop", gate=rnd.choice(("blocked", "passed")), signature="5" * 16)
        yield base


def _write(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for record in _records(n):
            fh.write(json.dumps(record, separators=(",", ":")) + "\n")


def _has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _timed(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="lines, comma separated")
    parser.add_argument("--runs", type=int, default=3, help="paired runs per view and size")
    args = parser.parse_args(argv)
    jq = shutil.which("jq")
    if jq is None:
        print("jq is not installed (apt-get install jq): nothing to compare with")
        return 1
    agentguard = [sys.executable, "-m", "agentguard", "logs"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="agentguard-logs-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"decisions-{size}.jsonl"
            _write(path, size)
            megabytes = path.stat().st_size / 1e6
            engines = [("summary", []), ("loops", [])]
            if _has_duckdb():
                engines.insert(1, ("summary", ["--engine", "duckdb"]))
            for view, extra in engines:
                program = JQ[view]
                ours, theirs, peaks = [], [], []
                for _ in range(args.runs):
                    seconds, peak = _timed(
                        [*agentguard, view, *extra, "--log", str(path), "--format", "json"]
                    )
                    ours.append(seconds)
                    peaks.append(peak)
                    theirs.append(_timed([jq, "-n", "-c", program, str(path)])[0])
                a, j = statistics.median(ours), statistics.median(theirs)
                name = f"{view} (duckdb)" if extra else view
                rows.append((f"{size:,}", f"{megabytes:.0f} MB", name, a, j, max(peaks) / 1024))
            path.unlink()
    print(
        f"{'lines':>10} {'size':>7} {'view':16} {'agentguard':>11}"
        f" {'jq':>8} {'ratio':>6} {'peak':>8}"
    )
    for lines, size, view, a, j, peak in rows:
        print(
            f"{lines:>10} {size:>7} {view:16} {a:>10.2f}s {j:>7.2f}s {a / j:>5.2f}x {peak:>6.0f}MB"
        )
    print(f"median of {args.runs} paired runs; ratio below 1: agentguard is faster than jq")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
