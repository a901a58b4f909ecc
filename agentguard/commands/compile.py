"""``agentguard compile``: load, check and cache the policy, as the first hook call would.

Useful after editing the policy (so no agent pays the rebuild) and in CI, and needed for a
policy too large to compile within the hook's time budget: the hook then answers its
``on_error`` decision, saying to run this, which compiles with no budget. Prints
every problem as ``file:line:col: field.path: message`` and exits 1 on any.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from agentguard import diag
from agentguard.commands import usage
from agentguard.errors import GuardError, PolicyError
from agentguard.policy import compiled
from agentguard.policy.loader import discover
from agentguard.state import home as state


def main(argv: Sequence[str] | None = None) -> int:
    """Compile the policy found for ``--cwd`` (or the files given)."""
    parser = argparse.ArgumentParser(prog="agentguard compile", description=usage.plain(__doc__))
    parser.add_argument("files", nargs="*", help="policy files or folders (default: discovery)")
    parser.add_argument("--cwd", default=os.getcwd(), help="the worktree to discover from")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    try:
        if args.files:
            files = [f for spec in args.files for f in discover(spec)]
        else:
            files = compiled.discover(args.cwd, env)
        from agentguard.policy.compiler import build

        log = diag.log(command="compile")
        log.info("policy.found", files=files)
        started = time.perf_counter()
        data = build(files)
        log.info("policy.checked", ms=round((time.perf_counter() - started) * 1000, 1))
        # Written whatever the cache held: a compile the hook's budget cut off is cached as
        # an error until this replaces it.
        loaded = compiled.save([os.path.abspath(f) for f in files], state.home(args.cwd, env), data)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except GuardError as exc:
        print(f"agentguard compile: {exc}", file=sys.stderr)
        return 1
    print(f"compiled {', '.join(files)} -> policy {loaded.key}")
    return 0
