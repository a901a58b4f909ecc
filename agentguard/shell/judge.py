"""Judging an analysed command line against compiled command rules and built-in floors.

A compiled rule is a plain dict::

    {"id": str, "decision": "allow" | "ask" | "deny", "justification": str,
     "patterns": [[token, ...], ...], "builtin": str | None}

A command carrying ``privilege`` (run through ``sudo``, ``doas``, ``su -c`` … at any
depth) is never explicitly allowed: an allow rule that matches it is recorded but
grants nothing, lowers no floor, and a script it comes from does not cover it.

Floors no policy can lower: ``guard-tamper`` -> deny; ``branch-switch`` -> deny
(rule ``identity``); ``opaque`` and unparseable lines -> at least ask unless an allow
rule's pattern names that exact command (assignments included: ``PATH=x git status``
is not ``git status``); unresolved write/delete targets -> ask; a glob too large to
list (``shell.limits``) -> ask (rule ``glob-limit``);
``merge`` and ref moves -> judged against the integration rules (rule ``integration``).
Every read/write/delete target goes through ``judge_path``.

Hot path: standard library only.
"""

from __future__ import annotations

from agentguard.decision import ALLOW, ASK, DENY, Match, strictest
from agentguard.shell.rules import allow_matches, match_argv, pattern_matches_any_layer

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.


TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from agentguard.git.refs import Refs
    from agentguard.shell.model import Analysis, Context, SimpleCommand

    JudgePath = Callable[[str, str], Iterable[Match]]

_NO_FACTS: dict[str, object] = {}
_MERGE_INTO_CURRENT = frozenset(("merge", "rebase", "cherry-pick", "pull", "am"))


class Judgement(list):  # type: ignore[type-arg]
    """The matches for one line (a ``list[Match]``) plus the line's verdict.

    ``explicit_allow`` is true only when every simple command was matched by an allow
    rule and nothing stricter matched: only then may the hook print ``allow``.
    ``privileged`` lists the commands that run through a privilege wrapper: while it is
    not empty, no rule of any kind may grant the call.
    """

    __slots__ = ("explicit_allow", "privileged")

    def __init__(self, matches: Iterable[Match] = ()) -> None:
        super().__init__(matches)
        self.explicit_allow = False
        self.privileged: list[str] = []

    @property
    def decision(self) -> str:
        """The strictest decision among the matches (allow when none)."""
        return strictest(m.decision for m in self)


def judge(
    analysis: Analysis,
    rules: Sequence[Mapping[str, object]],
    judge_path: JudgePath | None = None,
    context: Context | None = None,
) -> Judgement:
    """Every match for every simple command of ``analysis`` (see the module doc)."""
    out = Judgement()
    allowed: list[bool] = []
    for cmd in analysis.commands:
        privileged = "privilege" in cmd.classes
        _conditions(cmd, rules, out)
        rule_allow, pattern_allow = _rules(cmd, rules, out, privileged)
        if privileged:
            from agentguard.shell.classify import privilege_wrapper  # loaded by the analysis

            wrapper = privilege_wrapper(cmd)
            out.privileged.append(
                cmd.text if cmd.program == wrapper else f"{cmd.text} (via {wrapper})"
            )
            rule_allow = pattern_allow = False
        allowed.append(rule_allow)
        _floors(cmd, pattern_allow, out)
        if judge_path is not None:
            for path in cmd.reads:
                out.extend(judge_path(path, "read"))
            for path in cmd.writes:
                out.extend(judge_path(path, "write"))
            for path in cmd.deletes:
                out.extend(judge_path(path, "delete"))
        if "merge" in cmd.classes or (cmd.subcommand == "push" and cmd.refs):
            found = _integration(cmd, context)
            if found is not None:
                out.append(found)
    for error in analysis.errors:
        out.append(
            Match(
                "unparseable",
                ASK,
                "The command could not be fully parsed, so its meaning cannot be established.",
                error,
            )
        )
    covered = [
        ok
        or (
            cmd.covered_by is not None
            and allowed[cmd.covered_by]
            and "privilege" not in cmd.classes
        )
        for ok, cmd in zip(allowed, analysis.commands, strict=True)
    ]
    out.explicit_allow = (
        bool(covered) and all(covered) and not out.privileged and out.decision == ALLOW
    )
    return out


def _missing_env(rule: Mapping[str, object], cmd: SimpleCommand) -> list[str]:
    needed = rule.get("require_env") or ()
    return [name for name in needed if name not in cmd.env_set]  # type: ignore[attr-defined]


def _env_allow(tokens: Sequence[str], cmd: SimpleCommand, needed: Sequence[str]) -> bool:
    """An allow of a conditioned rule: the required variables' assignments are its own."""
    others = {k: v for k, v in cmd.assigns.items() if k not in needed}
    return match_argv(tokens, cmd.argv, others, True)


def _conditions(
    cmd: SimpleCommand, rules: Sequence[Mapping[str, object]], out: list[Match]
) -> None:
    """An allow conditioned on variables the command lacks: it is its ``otherwise``."""
    for rule in rules:
        if rule.get("decision") != ALLOW or not rule.get("require_env"):
            continue
        missing = _missing_env(rule, cmd)
        patterns = rule.get("patterns") or ()
        needed: list[str] = rule["require_env"]  # type: ignore[assignment]
        if not missing or not any(_env_allow(t, cmd, needed) for t in patterns):  # type: ignore[attr-defined]
            continue
        otherwise = rule.get("otherwise")
        what = f"{cmd.text} (without {', '.join(missing)} set)"
        if otherwise in (ASK, DENY):
            out.append(
                Match(
                    str(rule.get("id", "?")),
                    str(otherwise),
                    str(rule.get("justification", "")),
                    what,
                )
            )
        elif otherwise:
            cmd.classes.add(str(otherwise))
            cmd.notes.append(f"without {', '.join(missing)} set")


_UNGRANTED = " (run through a privilege wrapper: never explicitly allowed)"


def _rules(
    cmd: SimpleCommand,
    rules: Sequence[Mapping[str, object]],
    out: list[Match],
    privileged: bool = False,
) -> tuple[bool, bool]:
    rule_allow = pattern_allow = False
    # An allow that matches a privileged command is kept (explain shows it) but says
    # that it grants nothing.
    clamp = _UNGRANTED if privileged else ""
    for rule in rules:
        unless = rule.get("unless")
        if unless and any(allow_matches(t, cmd) for t in unless):  # type: ignore[attr-defined]
            continue  # a reviewed approval lifts this ask for this command
        decision = str(rule.get("decision", ASK))
        rule_id = str(rule.get("id", "?"))
        justification = str(rule.get("justification", ""))
        builtin = rule.get("builtin")
        if builtin and builtin in cmd.classes:
            label = builtin
            if builtin == "privilege":
                from agentguard.shell.classify import privilege_wrapper

                label = f"privilege: {privilege_wrapper(cmd)}"
            what = f"{cmd.text} [{label}]" + (clamp if decision == ALLOW else "")
            out.append(Match(rule_id, decision, justification, what))
            rule_allow = rule_allow or decision == ALLOW
        patterns = rule.get("patterns") or ()
        matcher: Callable[[Sequence[str], SimpleCommand], bool] = (
            allow_matches if decision == ALLOW else pattern_matches_any_layer
        )
        if decision == ALLOW and rule.get("require_env"):
            needed: list[str] = rule["require_env"]  # type: ignore[assignment]
            if _missing_env(rule, cmd):
                patterns = ()
            else:
                # A closure, not functools.partial: functools costs the hook its import
                # (with collections, about 2 ms) on every Bash call.
                def env_matcher(
                    tokens: Sequence[str], c: SimpleCommand, needed: list[str] = needed
                ) -> bool:
                    return _env_allow(tokens, c, needed)

                matcher = env_matcher
        for tokens in patterns:  # type: ignore[attr-defined]
            if matcher(tokens, cmd):
                what = cmd.text + (clamp if decision == ALLOW else "")
                out.append(Match(rule_id, decision, justification, what))
                if decision == ALLOW:
                    rule_allow = pattern_allow = True
                break
    return rule_allow, pattern_allow


def _floors(cmd: SimpleCommand, pattern_allow: bool, out: list[Match]) -> None:
    classes = cmd.classes
    why = "; ".join(cmd.notes)
    if "guard-tamper" in classes:
        out.append(
            Match(
                "guard-tamper",
                DENY,
                "Agents may not disable, bypass or reconfigure "
                "the guard or another agent's settings.",
                _what(cmd, why),
            )
        )
    if "branch-switch" in classes:
        out.append(
            Match(
                "identity",
                DENY,
                "Switching this worktree's branch changes which agent it belongs to.",
                _what(cmd, ", ".join(cmd.refs)),
                "Create a separate worktree for another branch.",
            )
        )
    if "opaque" in classes and not pattern_allow:
        out.append(
            Match(
                "opaque", ASK, "The guard cannot see what this command will run.", _what(cmd, why)
            )
        )
    for limit in cmd.limits:
        out.append(
            Match(
                "glob-limit",
                ASK,
                "The guard stopped listing what this command touches, so it cannot"
                " judge every path.",
                f"{cmd.text} [{limit}]",
                "Name the files, or a narrower glob, or ask a human.",
            )
        )
    for kind, text in cmd.unresolved:
        # An unknown read target matters only for a program that prints what it reads
        # (catalogue ``prints_reads``): there it may be a secret.
        if kind == "read":
            # Imported here: the Stop gate and PostToolUse import this package, not it.
            from agentguard.shell.catalogue import PROGRAMS

            if not PROGRAMS.get(cmd.program, _NO_FACTS).get("prints_reads"):
                continue
        out.append(
            Match(
                "unresolved",
                ASK,
                f"The {kind} target of this command cannot be established before it runs.",
                f"{cmd.text} [{kind}: {text}]",
            )
        )


def _what(cmd: SimpleCommand, detail: str) -> str:
    return f"{cmd.text} ({detail})" if detail else cmd.text


def _strip_remote(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/remotes/origin/", "origin/", "upstream/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


# Placeholders the classifier uses for sources the line does not name.
_PLACEHOLDERS = frozenset(("(upstream)", "(patches)"))


def _integration(cmd: SimpleCommand, context: Context | None) -> Match | None:
    justification = "Agent branches move only into the integration branch, by its owner."
    if context is None or context.agent is None:
        return Match("integration", ASK, justification + " The acting agent is unknown.", cmd.text)
    own = context.branch
    integ = context.integration_branch
    is_owner = context.agent == context.integration_owner
    if cmd.subcommand == "worktree" and cmd.program != "gh":
        return _worktree_branch(cmd, context)
    if cmd.subcommand == "agentguard-integrate-run":  # programs/guard.INTEGRATE_RUN
        if is_owner and own is not None and own == integ:
            return None
        return Match(
            "integration",
            DENY,
            justification,
            f"{cmd.text} (merges into {own or 'this worktree'}: only"
            f" {context.integration_owner or 'the integration owner'} runs it, on {integ})",
            "Run `agentguard integrate plan` to see the order, and hand it to the owner.",
        )
    others = {b for a, b in context.agent_branches.items() if a != context.agent and b}
    others.discard(integ or "")
    refs = [_strip_remote(r) for r in cmd.refs]
    if cmd.subcommand in _MERGE_INTO_CURRENT or cmd.program == "gh":
        target = own if cmd.program != "gh" else None
        if target is not None and target == integ:
            if is_owner:
                return None
            return Match("integration", DENY, justification, f"{cmd.text} (into {integ})")
        if target is not None and target == own:
            return _sources(cmd, context, justification)
        return Match("integration", DENY, justification, f"{cmd.text} (target branch unknown)")
    bad = [r for r in refs if not (r == own or (r == integ and is_owner))]
    if not bad:
        return None
    return Match("integration", DENY, justification, f"{cmd.text} (moves {', '.join(bad)})")


def _sources(cmd: SimpleCommand, context: Context, justification: str) -> Match | None:
    """Judge what a merge, rebase or cherry-pick brings into the agent's own branch."""
    revs = [ref for ref in cmd.refs if ref not in _PLACEHOLDERS]
    foreign, unknown = _refs(context, cmd.repo or cmd.cwd).strangers(revs)
    if foreign:
        return Match(
            "integration",
            DENY,
            justification,
            f"{cmd.text} (brings {', '.join(foreign)} into {context.branch})",
        )
    if unknown:
        return Match(
            "integration",
            ASK,
            justification + " The guard cannot tell whose work this is.",
            f"{cmd.text} ({', '.join(unknown)})",
            "Name the branch the commits come from, or ask a human.",
        )
    return None


def _worktree_branch(cmd: SimpleCommand, context: Context) -> Match | None:
    """``worktree add``: checking out, creating (``-b``) or resetting (``-B``) a branch."""
    justification = "Agent branches move only into the integration branch, by its owner."
    own = context.branch
    integ = context.integration_branch
    is_owner = context.agent == context.integration_owner
    created = _created_branches(cmd.argv)
    if not created:
        bad = [r for r in map(_strip_remote, cmd.refs) if r != own]
        if not bad:
            return None
        return Match("integration", DENY, justification, f"{cmd.text} (moves {', '.join(bad)})")
    resolver = _refs(context, cmd.repo or cmd.cwd)
    for name in created:
        kind = resolver.by_name(name)
        if kind == "other" or (kind == "fine" and not (name == integ and is_owner)):
            return Match("integration", DENY, justification, f"{cmd.text} (moves {name})")
    starts = [r for r in cmd.refs if r not in created]
    if any(resolver.kind(r) == "other" for r in starts):
        return Match(
            "integration",
            DENY,
            justification,
            f"{cmd.text} (starts from {', '.join(starts)})",
        )
    return Match(
        "integration",
        ASK,
        justification + " This creates or resets a branch outside the agent's worktree.",
        f"{cmd.text} ({', '.join(created)})",
        "Work on the agent's own branch in its own worktree.",
    )


def _refs(context: Context, repo: str | None) -> Refs:
    """The reader of whose work a revision names, for ``context``'s agent in ``repo``
    (loaded only for a line that merges or moves a ref)."""
    from agentguard.git.refs import Refs

    return Refs(
        context.agent, context.branch, context.integration_branch, context.agent_branches, repo
    )


def _created_branches(argv: Sequence[str]) -> list[str]:
    """The ``-b``/``-B`` values of a ``git worktree add`` (short options may bundle)."""
    out: list[str] = []
    i = argv.index("worktree") + 1 if "worktree" in argv else len(argv)
    while i < len(argv):
        text = argv[i]
        i += 1
        if text == "--":
            break
        if text.startswith("-") and not text.startswith("--"):
            for j, letter in enumerate(text[1:], start=1):
                if letter in "bB":
                    value = text[j + 1 :]
                    if not value and i < len(argv):
                        value = argv[i]
                        i += 1
                    out.append(value.removeprefix("refs/heads/"))
                    break
    return out
