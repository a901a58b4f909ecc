"""Shell-command analysis: what a Bash tool call will really run, and how to judge it.

``analyse(command, cwd, env)`` parses the line (a fast stdlib lexer for the common
case, tree-sitter-bash for everything else), unwraps wrappers, resolves package.json
scripts, tracks ``cd``, and classifies every simple command. ``judge(...)`` applies
compiled command rules and the built-in floors. See README.md in this folder.

Hot path: standard library only; tree-sitter is loaded only when a line needs it. The
analyser (the expander and the program knowledge) is imported on first use: importing one
module of this package (``shell.lexer`` for the Stop gate's evidence) does not load it.
"""

from __future__ import annotations

import os

from agentguard.shell.judge import Judgement, judge
from agentguard.shell.lexer import fast_parse
from agentguard.shell.model import Analysis, Context, RawCommand, SimpleCommand
from agentguard.shell.rules import pattern_matches, validate_pattern

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

__all__ = [
    "Analysis",
    "Context",
    "Judgement",
    "SimpleCommand",
    "analyse",
    "bench",
    "fires",
    "judge",
    "parse",
    "pattern_matches",
    "validate_pattern",
]


def parse(
    line: str, known: Mapping[str, str] | None = None, force_tree_sitter: bool = False
) -> tuple[list[RawCommand], list[str], str]:
    """Raw commands of ``line``, syntax errors, and which parser produced them."""
    if not force_tree_sitter:
        raws = fast_parse(line)
        if raws is not None:
            return raws, [], "fast"
    from agentguard.shell.tsparse import ts_parse

    raws, errors = ts_parse(line, known)
    return raws, errors, "tree-sitter"


def analyse(
    command: str,
    cwd: str,
    env: Mapping[str, str] | None = None,
    force_tree_sitter: bool = False,
    programs: Mapping[str, Any] | None = None,
) -> Analysis:
    """Analyse one Bash command line run in ``cwd`` (``env``: the caller's environment,
    used for ``~``/``$HOME``; defaults to this process's; ``programs``: the policy's
    declarations, from ``shell.declared.for_worktree``)."""
    env = os.environ if env is None else env
    cwd = os.path.abspath(cwd)
    home = env.get("HOME")
    known = {"HOME": home} if home else {}
    raws, errors, which = parse(command, known, force_tree_sitter)
    analysis = Analysis(command, cwd, which, programs)
    analysis.errors.extend(errors)

    def nested(text: str, names: Mapping[str, str]) -> tuple[list[RawCommand], list[str], str]:
        return parse(text, names, force_tree_sitter)

    from agentguard.shell.expand import Expander

    expander = Expander(analysis, env, nested)
    expander.run(raws, cwd, [], 0)
    _production_line(analysis, programs)
    return analysis


def _production_line(analysis: Analysis, programs: Mapping[str, Any] | None) -> None:
    """Data clients the rest of the line aims at production (:func:`data.mark_line`): the
    data family is loaded only when the line ran one of its programs."""
    from agentguard.shell.catalogue import PROGRAMS

    if any(PROGRAMS.get(cmd.program, {}).get("family") == "data" for cmd in analysis.commands):
        from agentguard.shell.programs.data import mark_line

        mark_line(analysis.commands, analysis.command, programs)


def fires(
    rules: Sequence[Mapping[str, Any]],
    example: str,
    programs: Mapping[str, Any] | None = None,
) -> bool:
    """Whether any of ``rules`` (one policy rule, compiled) speaks about ``example``.

    Used by the compiler to check a rule's ``match`` / ``not_match`` examples when the
    policy loads; the example runs in a folder that does not exist, with no environment,
    so no file of the machine checking the policy changes its meaning. ``programs``: the
    policy's compiled programs section, so its declarations count.
    """
    ids = {rule["id"] for rule in rules}
    root = os.path.join(os.sep, "nonexistent-agentguard-example")
    if programs:
        from agentguard.shell.declared import for_worktree

        programs = for_worktree(programs, root)
    analysis = analyse(example, root, {}, programs=programs)
    return any(m.rule in ids for m in judge(analysis, rules))


# Lines for the latency benchmark (issue 3): a simple command, a long compound one, and
# one nested through ``bash -c``.
BENCH_LINES = {
    "simple": "git status",
    "compound": "git status && npm run check | tee out.log; echo done",
    "nested": "bash -c 'cd src && bash -c \"git diff --stat && rm -rf dist\"'",
}
BENCH_RULES: list[dict[str, object]] = [
    {
        "id": "git-inspection",
        "decision": "allow",
        "justification": "Inspection is free.",
        "patterns": [["git", "status"], ["git", "diff"], ["git", "log"]],
        "builtin": None,
    },
    {
        "id": "history-rewrite",
        "decision": "ask",
        "justification": "Needs a human.",
        "patterns": [],
        "builtin": "git-destructive",
    },
    {
        "id": "network",
        "decision": "ask",
        "justification": "Needs a human.",
        "patterns": [],
        "builtin": "network",
    },
]


def bench(kind: str = "simple", cwd: str | None = None) -> str:
    """Analyse and judge one benchmark line (``simple``/``compound``/``nested``) and
    return the decision: what the Bash hook does per call, minus reading the policy."""
    analysis = analyse(BENCH_LINES.get(kind, kind), cwd or os.getcwd())
    return judge(analysis, BENCH_RULES, lambda path, mode: (), Context("bench")).decision
