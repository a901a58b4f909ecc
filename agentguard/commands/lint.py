"""``agentguard lint [PATH…]``: validate policies and check them as a whole, for people and CI.

    agentguard lint                          # the policy the hook would use here
    agentguard lint agentguard.yaml policies/examples/blog.yaml
    agentguard lint .agentguard/             # a folder: its *.yaml files layered in name order
    agentguard lint --format github --strict
    agentguard lint .claude/settings.json    # a Claude Code settings file: will it be read?

Each PATH is one policy (a folder is one layered policy). Reported: YAML and schema
errors, rule examples that do not hold, and the semantic checks of agentguard/policy/lint.py
(overlapping ownership, undefined checks, shadowed rules …), each as
``file:line:col: field.path: message [severity: check]``. Exit status: 1 when any error
(or, with --strict, any warning) was found, 2 on a usage problem, else 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from agentguard.claude import settings_check
from agentguard.commands import usage
from agentguard.errors import GuardError, PolicyError, Problem
from agentguard.policy import compiled
from agentguard.policy.lint import lint, problems_as_findings
from agentguard.policy.loader import discover, load_files
from agentguard.report import FORMATS, Finding, render_findings


def lint_paths(paths: Sequence[str]) -> list[Finding]:
    """Every finding for the policies named by ``paths`` (each a file or a layered folder).

    A ``.json`` file is a Claude Code settings file: it is checked for the values that make
    any version in use drop it whole (agentguard/claude/settings_check.py).
    """
    findings: list[Finding] = []
    for spec in paths:
        if spec.endswith(".json") and os.path.isfile(spec):
            findings.extend(lint_settings(spec))
            continue
        files = discover(spec)
        try:
            loaded = load_files(files)
        except PolicyError as exc:
            findings.extend(problems_as_findings(exc.problems))
            continue
        findings.extend(lint(loaded))
    return findings


def lint_settings(path: str) -> list[Finding]:
    """Findings for a Claude Code settings file, against every Claude Code version."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return [Finding("settings", Problem(path, 1, 1, "", f"cannot read: {exc}"))]
    _, hazards = settings_check.check_text(text, None)
    out = []
    for hazard in hazards:
        line, col = settings_check.locate(text, hazard.where, hazard.value)
        field = "" if hazard.where.split(":")[0].isdigit() else hazard.where
        message = f"{hazard.message}; {hazard.fix}"
        out.append(Finding("settings", Problem(path, line, col, field, message, hazard.severity)))
    return out


def failed(findings: Sequence[Finding], strict: bool) -> bool:
    """Whether ``findings`` fail the run: any error, or any warning under ``strict``."""
    failing = {"error", "warning"} if strict else {"error"}
    return any(f.severity in failing for f in findings)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Lint policies; 0 clean (or warnings only), 1 on errors, 2 on a usage problem."""
    parser = argparse.ArgumentParser(
        prog="agentguard lint",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="policy files or folders")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    paths = list(args.paths)
    if not paths:
        try:
            files = compiled.discover(os.getcwd(), os.environ)
        except GuardError as exc:
            print(f"agentguard lint: {exc}", file=sys.stderr)
            return 2
        # A layered .agentguard/ folder is one policy: lint it as such.
        folder = os.path.dirname(files[0])
        paths = [folder] if len(files) > 1 else files
    findings = lint_paths(paths)
    render_findings(findings, args.format, stream, extra={"policies": paths})
    return 1 if failed(findings, args.strict) else 0


if __name__ == "__main__":
    raise SystemExit(main())
