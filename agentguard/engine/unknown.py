"""Programs agentguard does not know, given protected or foreign files. Hot path.

A program that is neither in the catalogue nor declared in the policy's ``programs:``
may write any file it is given (``sponge .claude/settings.json`` rewrites it in place),
so its operands are not only reads: one that names agentguard's own files is denied, one
in another agent's lane (owned by another agent, forbidden to this one, or in another
agent's worktree) asks. Files the agent owns and neutral ones stay as they were: the
guard does not alarm on ``mytool src/mine.ts`` for want of a table.
"""

from __future__ import annotations

from agentguard.decision import ASK, DENY, Match
from agentguard.engine import paths
from agentguard.engine.pathnames import inside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.engine.paths import Context
    from agentguard.shell.model import Analysis, SimpleCommand

_FIX = (
    "Declare the program in the policy's programs: section (what it reads and writes),"
    " or ask a human to run it."
)


def matches(analysis: Analysis, ctx: Context) -> list[Match]:
    """What the unknown programs of a line may do to the files they are given."""
    out: list[Match] = []
    for cmd in analysis.commands:
        for path in cmd.unknown_operands:
            match = _judge(cmd, path, ctx)
            if match is not None:
                out.append(match)
    return out


def _judge(cmd: SimpleCommand, path: str, ctx: Context) -> Match | None:
    """The one objection to ``cmd`` (an unknown program) being given ``path``, or None."""
    program = cmd.program
    why = paths.self_protected(path, ctx)
    if why is not None:
        return Match(
            "unknown-program",
            DENY,
            f"{program} is a program agentguard does not know, so it may write what it is"
            f" given, and {why}: " + paths.SELF_PROTECTION,
            what=f"{program} given {paths.worktree_rel(path, ctx) or path}",
            fix=_FIX,
        )
    rel = paths.worktree_rel(path, ctx)
    if rel is None:
        for tree in ctx.other_worktrees:
            if inside(path, tree) is not None:
                return _foreign(program, path, f"it is in the worktree {tree}")
        return None
    if not rel:
        return None
    for rule, _decision, subject in paths.lane(
        ctx.policy, ctx.agent, rel, fold=paths.folds_case(ctx)
    ):
        if rule == paths.OWNERSHIP:
            return _foreign(program, rel, f"it is owned by agent {subject!r}")
        if rule == paths.CANNOT_TOUCH:
            return _foreign(program, rel, f"agent {ctx.agent!r} may not edit {subject!r}")
    return None


def _foreign(program: str, shown: str, why: str) -> Match:
    """An unknown program given a file of another agent's lane: a human decides."""
    return Match(
        "unknown-program",
        ASK,
        f"{program} is a program agentguard does not know, so it may write what it is"
        f" given, and {shown} is not this agent's to change ({why}).",
        what=f"{program} given {shown}",
        fix=_FIX,
    )
