"""``agentguard memory lint``: review the memory every agent loads, like code.

    agentguard memory lint                # this checkout, the policy found here
    agentguard memory lint --heuristics   # also dated text, trees, conflicts
    agentguard memory lint --format github

Reads CLAUDE.md (root, subfolders, .claude/), CLAUDE.local.md, AGENTS.md,
.claude/rules/**, what they @import (5 hops, as Claude Code does) and the
managed file (/etc/claude-code/CLAUDE.md; --managed or
AGENTGUARD_MANAGED_MEMORY moves it). Facts are errors; heuristics are
warnings. A finding is accepted in the policy, until a date:

    memory:
      budget: {lines: 200, bytes: 12000}   # per agent: what its worktree loads
      waivers:
        - {rule: memory-path, file: CLAUDE.md, match: legacy/,
           until: 2027-01-31, reason: legacy/ returns with the v2 import}

Exit status: 1 when an error (with --strict, a warning) remains, 2 on a
usage problem, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import TextIO

from agentguard.commands import usage
from agentguard.coordinate.memory import Result, lint_memory
from agentguard.coordinate.memory_docs import managed_path
from agentguard.errors import GuardError, PolicyError
from agentguard.policy import compiled
from agentguard.policy.loader import load_files
from agentguard.report import FORMATS, annotation

WIDTH = 80


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(result: Result) -> str:
    """``2 errors, 1 warning, 1 waived``."""
    errors = sum(1 for f in result.findings if f.severity == "error")
    warnings = len(result.findings) - errors
    return (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}, {len(result.waived)} waived"
    )


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


def render(result: Result, fmt: str, out: TextIO, extra: dict[str, object]) -> None:
    """Write ``result`` as text (80 columns), JSON or GitHub annotations."""
    if fmt == "json":
        body = dict(extra)
        body["files"] = result.files
        body["findings"] = [f.as_dict() for f in result.findings]
        body["waived"] = [f.as_dict() for f in result.waived]
        body["agents"] = result.usage
        errors = sum(1 for f in result.findings if f.severity == "error")
        body["summary"] = {
            "error": errors,
            "warning": len(result.findings) - errors,
            "waived": len(result.waived),
        }
        out.write(json.dumps(body, indent=2) + "\n")
        return
    for f in result.findings:
        if fmt == "github":
            out.write(
                annotation(
                    f.severity,
                    f"{f.message}; fix: {f.fix}",
                    file=f.file,
                    line=f.line,
                    col=f.col,
                    title=f"agentguard memory lint ({f.code})",
                )
                + "\n"
            )
            continue
        out.write(f"{f.file}:{f.line}:{f.col}: {f.severity}: {f.code}\n")
        for line in [*_wrap(f.message), *_wrap(f"fix: {f.fix}")]:
            out.write(line + "\n")
    if fmt == "text":
        for name, use in result.usage.items():
            line = f"memory of {name}: {use['lines']} lines, {use['bytes']} bytes"
            out.write(
                "\n".join(_wrap(f"{line} in {_plural(len(use['files']), 'file')}", "")) + "\n"
            )
    out.write(summary(result) + "\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """``agentguard memory lint``; 0 clean, 1 on errors, 2 on a usage problem."""
    parser = argparse.ArgumentParser(
        prog="agentguard memory",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    lint = sub.add_parser("lint", help="check the memory every agent loads")
    lint.add_argument("--format", choices=FORMATS, default="text", help="output format")
    lint.add_argument(
        "--heuristics", action="store_true", help="also dated text, trees, contradictions"
    )
    lint.add_argument("--strict", action="store_true", help="warnings fail the run too")
    lint.add_argument("--policy", metavar="PATH", help="policy file or folder (default: found)")
    lint.add_argument("--root", metavar="DIR", help="the checkout (default: this worktree)")
    lint.add_argument(
        "--managed", metavar="PATH", help="managed memory file (default /etc/claude-code/…)"
    )
    given = sys.argv[1:] if argv is None else argv
    # Options before the action too (`memory --format github lint`).
    valued = ("--format", "--policy", "--root", "--managed")
    args = parser.parse_args(usage.view_first(given, ("lint",), valued))
    stream = out or sys.stdout
    env = dict(os.environ)
    root = os.path.abspath(args.root or compiled.project_root(os.getcwd(), env))
    try:
        if args.policy:
            spec = args.policy
            files = (
                [os.path.join(spec, n) for n in sorted(os.listdir(spec)) if n.endswith(".yaml")]
                if os.path.isdir(spec)
                else [spec]
            )
        else:
            files = compiled.discover(root, env)
        loaded = load_files(files)
    except (GuardError, PolicyError, OSError) as exc:
        print(f"agentguard memory lint: the policy does not load: {exc}", file=sys.stderr)
        return 2
    result = lint_memory(
        root, loaded, env, managed=managed_path(env, args.managed), heuristics=args.heuristics
    )
    render(result, args.format, stream, {"root": root, "policies": files})
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.severity in failing for f in result.findings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
