"""Normalise a path the way the kernel will see it, and judge it. Hot path.

One judgement serves every route to a file: Write/Edit/Read, and the targets
the shell analyser finds in redirections, ``cp``, ``sed -i`` and friends.
Order of judgement for a write: self-protection (no policy can lower it), path
classes (everyone, owners included), the agent's worktree, ``cannot_touch``,
other agents' ownership, the agent's own ownership, the unowned default.

"May this agent change this path" is :func:`may_change`: :func:`protected_name`
(self-protection by name) and :func:`lane` (the agent's lane). ``verify`` and ``lint``
call it on relative paths; the hook asks the same two in its order, self-protection
extended to the absolute roots only it knows (policy files, state home, the package).
"""

from __future__ import annotations

import os

from agentguard.decision import ALLOW, ASK, DENY, Match
from agentguard.engine.pathnames import folds, inside, lookalike, normalise
from agentguard.engine.patterns import deciding_pattern, deciding_tree, inside_patterns, pattern_hit
from agentguard.engine.subagent_paths import subagent_matches

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Final

    from agentguard.policy.compiled_types import CompiledPolicy, CompiledSubagent

# /proc/self/environ, /proc/1/environ, /proc/thread-self/environ: the whole environment.


def _proc_environ(path: str) -> bool:
    """``/proc/<pid>/environ`` or ``/proc/<pid>/task/<tid>/environ`` (a process's variables).

    Spelled without ``re``, which a Write would otherwise import for this alone; like the
    ``$`` of the pattern it replaces, one trailing newline is allowed.
    """
    parts = (path[:-1] if path.endswith("\n") else path).split("/")
    return (
        parts[:2] == ["", "proc"]
        and parts[-1] == "environ"
        and all(parts[2:-1])
        and (len(parts) == 4 or (len(parts) == 6 and parts[3] == "task"))
    )


READ: Final = "read"
WRITE: Final = "write"
DELETE: Final = "delete"

# Path components that no agent may write under, wherever they appear. Compared
# case-insensitively: on a case-insensitive filesystem `.Claude` is `.claude`.
PROTECTED_COMPONENTS = (".claude", ".git", ".agentguard")
PROTECTED_NAMES = ("agentguard.yaml", "agentguard.yml")

SELF_PROTECTION = (
    "agentguard's own files (the policy, .claude/, hook scripts, agentguard state and logs,"
    " git internals and config) cannot be changed by an agent, whatever the policy says."
)


class Context:
    """What a path judgement needs to know about the caller and its surroundings."""

    __slots__ = (
        "agent",
        "agent_worktree",
        "fold",
        "forms",
        "home_dir",
        "other_worktrees",
        "policy",
        "protected",
        "subagent_tree",
        "subagents",
        "worktree",
    )

    def __init__(
        self,
        policy: CompiledPolicy,
        agent: str | None,
        worktree: str,
        protected: list[str],
        other_worktrees: list[str] | None = None,
        home_dir: str | None = None,
        agent_worktree: str | None = None,
    ) -> None:
        self.policy = policy
        self.agent = agent
        # The folder the agent's relative paths and ownership patterns are judged in.
        self.worktree = worktree
        self.agent_worktree = agent_worktree
        # Absolute roots nobody writes: policy files, state home, the package, ~/.claude …
        self.protected = protected
        # Other worktrees of the repository and of other agents: never writable.
        self.other_worktrees = other_worktrees or []
        self.home_dir = home_dir
        # The calling subagent's sections of the policy, (agent_type, compiled section):
        # restrictions added to every write it makes (:func:`subagent_matches`).
        self.subagents: list[tuple[str, CompiledSubagent]] = []
        # The calling subagent's own isolation worktree (.claude/worktrees/agent-<its id>),
        # where its paths are judged as if in ``worktree``; None for anyone else.
        self.subagent_tree: str | None = None
        # Each guarded folder's spellings, resolved once per call, not once per path.
        self.forms: dict[str, list[str]] = {}
        # Whether paths ignore case (:func:`folds_case`), probed at the first judgement.
        self.fold: bool | None = None


def folds_case(ctx: Context) -> bool:
    """Whether the caller's paths are judged regardless of case (:func:`.pathnames.folds`)."""
    if ctx.fold is None:
        ctx.fold = folds(ctx.policy["defaults"].get("case_insensitive_paths", "auto"), ctx.worktree)
    return ctx.fold


def _worktree_forms(folder: str, ctx: Context) -> list[str]:
    forms = ctx.forms.get(folder)
    if forms is None:
        forms = [os.path.normpath(folder)]
        real = os.path.realpath(folder)
        if real not in forms:
            forms.append(real)
        ctx.forms[folder] = forms
    return forms


def _in_subagent_tree(path: str, ctx: Context) -> str | None:
    """``path`` relative to the caller's own isolation worktree, when strictly inside it."""
    if ctx.subagent_tree is None:
        return None
    for form in _worktree_forms(ctx.subagent_tree, ctx):
        rel = inside(path, form)
        if rel:
            return rel
    return None


def protected_name(path: str) -> str | None:
    """Why self-protection guards ``path`` by its names alone (a ``.git``/``.claude``/
    ``.agentguard`` component, the policy's file name), or None. Relative or absolute."""
    parts = lookalike(path.casefold()).split("/")
    for component in PROTECTED_COMPONENTS:
        if component in parts:
            return f"{component}/ is protected"
    if parts[-1] in PROTECTED_NAMES:
        return f"{parts[-1]} is the policy"
    return None


def self_protected(path: str, ctx: Context) -> str | None:
    """Why ``path`` is one of agentguard's own protected files, or None."""
    folded = lookalike(path.casefold())
    # Inside the caller's own isolation worktree only the part below it counts: the
    # worktree's own .claude/, .git and policy copy stay protected, the folder holding it
    # (.claude/worktrees/) does not make every file of the subagent's work protected.
    own = _in_subagent_tree(path, ctx)
    why = protected_name(own if own is not None else path)
    if why is not None:
        return why
    for root in ctx.protected:
        root_folded = root.casefold()
        if folded == root_folded or folded.startswith(root_folded.rstrip("/") + "/"):
            return f"{root} is protected"
    return None


def worktree_rel(path: str, ctx: Context) -> str | None:
    """``path`` relative to the caller's worktree (its own isolation worktree first), or None."""
    own = _in_subagent_tree(path, ctx)
    if own is not None:
        return own  # judged as the same path in the parent's worktree: the parent's lane
    for form in _worktree_forms(ctx.worktree, ctx):
        rel = inside(path, form)
        if rel is not None:
            return rel
    return None


def judge(raw: str, mode: str, cwd: str, ctx: Context) -> list[Match]:
    """Every match that speaks about ``mode`` access to ``raw`` (relative to ``cwd``)."""
    matches: list[Match] = []
    seen: set[tuple[str, str, str]] = set()
    for path in normalise(raw, cwd, ctx.home_dir):
        for match in judge_one(path, mode, ctx):
            key = (match.rule, match.decision, match.what)
            if key not in seen:
                seen.add(key)
                matches.append(match)
    return matches


def _contents(path: str, rel: str | None, mode: str, ctx: Context) -> list[Match]:
    """A write or delete of a whole folder is a write of everything in it."""
    if rel is None:
        return []
    out: list[Match] = []
    try:
        names = {n.casefold() for n in os.listdir(path)}
    except OSError:
        names = set()
    inner = [n for n in (*PROTECTED_COMPONENTS, *PROTECTED_NAMES) if n in names]
    inner_root = next((r for r in ctx.protected if inside(r, path) not in (None, "")), None)
    if inner or inner_root:
        out.append(
            Match(
                "self-protection",
                DENY,
                SELF_PROTECTION,
                what=f"{mode} {rel or path}: it contains {inner[0] if inner else inner_root}",
                fix="Ask a human to make this change.",
            )
        )
    agent = ctx.agent
    agents = ctx.policy["agents"]
    if agent is not None:
        me: Mapping[str, Any] = agents.get(agent, {})
        forbidden = inside_patterns(me.get("cannot_touch", []), rel)
        if forbidden is not None:
            out.append(
                Match(
                    "cannot-touch",
                    DENY,
                    f"Agent {agent!r} may not edit paths matching {forbidden!r}, and"
                    f" {rel or 'the worktree'} contains them.",
                    what=f"{mode} {rel or path}",
                    fix=_owned_hint(me),
                )
            )
        for name, spec in agents.items():
            if name == agent:
                continue
            owned = inside_patterns(spec["owns"], rel)
            if owned is not None:
                out.append(
                    Match(
                        "ownership",
                        DENY,
                        f"{rel or 'the worktree'} contains {owned!r}, owned by agent {name!r}.",
                        what=f"{mode} {rel or path}",
                        fix="Leave it to that agent, or ask the planner to reassign it.",
                    )
                )
                break
    for cls in ctx.policy["paths"]:
        if cls[WRITE] == ALLOW:
            continue
        pattern = inside_patterns(cls["patterns"], rel)
        if pattern is not None:
            out.append(
                Match(
                    cls["id"],
                    cls[WRITE],
                    cls["justification"] or f"{cls['id']} paths need {cls[WRITE]}.",
                    what=f"{mode} {rel or path} contains {pattern!r}",
                )
            )
    return out


def judge_one(path: str, mode: str, ctx: Context) -> list[Match]:
    """Every match about ``mode`` access to one already normalised absolute ``path``."""
    policy = ctx.policy
    out: list[Match] = []
    rel = worktree_rel(path, ctx)
    shown = rel if rel else path
    writing = mode != READ
    if not writing and _proc_environ(path):
        out.append(
            Match(
                "process-environment",
                ASK,
                "A process's environment holds its secrets (API keys, tokens).",
                what=f"read {path}",
                fix="Ask a human for the one value you need.",
            )
        )
    if writing and os.path.isdir(path) and not os.path.islink(path):
        out.extend(_contents(path, rel, mode, ctx))
    if writing:
        why = self_protected(path, ctx)
        if why:
            out.append(
                Match(
                    "self-protection",
                    DENY,
                    SELF_PROTECTION,
                    what=f"{mode} {shown}: {why}",
                    fix="Ask a human to make this change.",
                )
            )
        if ctx.subagents:
            out.extend(subagent_matches(rel, shown, mode, ctx.subagents))
    subject = rel if rel is not None and rel != "" else path.lstrip("/")
    # A folder is matched by folder patterns (``notes/`` covers the folder ``notes``
    # that Grep or LS is pointed at), which gitignore spells with a trailing slash.
    folder = os.path.isdir(path)
    fold = folds_case(ctx)
    for cls in policy["paths"]:
        decision = cls[READ] if mode == READ else cls[WRITE]
        if decision == ALLOW:
            continue
        pattern = deciding_pattern(cls["patterns"], subject, fold)
        if pattern is None and folder:
            pattern = deciding_pattern(cls["patterns"], subject + "/.", fold)
        if pattern is not None:
            out.append(
                Match(
                    cls["id"],
                    decision,
                    cls["justification"] or f"{cls['id']} paths need {decision}.",
                    what=f"{mode} {shown} matches {pattern!r}",
                )
            )
    if not writing:
        return out
    if rel is None:
        out.extend(_outside(path, mode, ctx))
        return out
    me: Mapping[str, Any] = policy["agents"].get(ctx.agent, {}) if ctx.agent else {}
    for rule, verdict, subject in lane(policy, ctx.agent, rel, fold=fold):
        if verdict != ALLOW:
            # The unassigned caller's write is shown as the hook saw it, the others in the lane.
            what = f"{mode} {shown}" if rule == UNASSIGNED else f"{mode} {rel}"
            out.append(_lane_match(rule, verdict, subject, ctx.agent, me, what))
    return out


UNASSIGNED = "unassigned-agent"
CANNOT_TOUCH = "cannot-touch"
OWNERSHIP = "ownership"
UNOWNED = "unowned-write"


def lane(
    policy: CompiledPolicy,
    agent: str | None,
    rel: str,
    *,
    integrating: bool = False,
    fold: bool = False,
) -> list[tuple[str, str, str]]:
    """What the agent's lane says about ``agent`` changing ``rel`` (relative to its worktree).

    ``(rule, decision, subject)`` for each objection, in order, ``[]`` when the path is the
    agent's own: ``cannot-touch`` (subject: the pattern), ``ownership`` (the owner),
    ``unowned-write`` and ``unassigned-agent`` (the policy's default decision, which may be
    allow: ``verify`` still counts it, the hook says nothing). ``integrating`` is the one
    intended difference, for the integration owner on the integration branch (``verify``):
    the branch carries the agents' merged work, so a path some agent owns is in the lane
    and one nobody owns is not. ``fold``: the file system ignores case, so patterns do.
    A name differing from a forbidden or foreign path only by trailing dots or blanks
    (:func:`~agentguard.engine.pathnames.lookalike`) is judged as that path.
    """
    agents = policy["agents"]
    defaults = policy["defaults"]
    if integrating:
        if any(deciding_tree(spec["owns"], rel) for spec in agents.values()):
            return []
        return [(UNOWNED, DENY, "")]
    if agent is None:
        return [(UNASSIGNED, defaults["unassigned_agent"], "")]
    out: list[tuple[str, str, str]] = []
    me: Mapping[str, Any] = agents.get(agent, {})
    plain = lookalike(rel)
    forms = (rel,) if plain == rel else (rel, plain)
    cannot = me.get("cannot_touch", [])
    forbidden = next((f for r in forms if (f := deciding_tree(cannot, r, fold))), None)
    if forbidden is not None:
        out.append((CANNOT_TOUCH, DENY, forbidden))
    if deciding_tree(me.get("owns", []), rel, fold) is not None:
        return out
    for name, spec in agents.items():
        if name != agent and any(deciding_tree(spec["owns"], r, fold) for r in forms):
            out.append((OWNERSHIP, DENY, name))
            return out
    out.append((UNOWNED, defaults["unowned_write"], ""))
    return out


def may_change(
    policy: CompiledPolicy,
    agent: str | None,
    rel: str,
    *,
    integrating: bool = False,
    fold: bool = False,
) -> list[tuple[str, str, str]]:
    """Everything that stops ``agent`` changing ``rel``: self-protection, then its :func:`lane`.

    The judgement ``verify`` and ``lint`` use on a path relative to the agent's worktree;
    ``[]`` when the agent may change it.
    """
    why = protected_name(rel)
    head = [("self-protection", DENY, why)] if why is not None else []
    # Without a worktree to probe, only a policy that says the paths ignore case folds them.
    fold = fold or policy["defaults"].get("case_insensitive_paths") is True
    return head + lane(policy, agent, rel, integrating=integrating, fold=fold)


def _lane_match(
    rule: str, decision: str, subject: str, agent: str | None, me: Mapping[str, Any], what: str
) -> Match:
    """The hook's words for one objection of :func:`lane` about ``what`` (``write src/a``)."""
    rel = what.split(" ", 1)[1]
    if rule == UNASSIGNED:
        why = "No agent identity could be established for this worktree, so no write is"
        fix = "Set AGENTGUARD_AGENT in .claude/settings.local.json, or check out the agent's"
        return Match(
            "unassigned-agent", decision, why + " known to be in scope.", what, fix + " branch."
        )
    if rule == CANNOT_TOUCH:
        why = f"Agent {agent!r} may not edit paths matching {subject!r}."
        return Match("cannot-touch", decision, why, what, _owned_hint(me))
    if rule == OWNERSHIP:
        why = f"{rel} is owned by agent {subject!r}; only its owner edits it."
        fix = "Leave it to that agent, or ask the planner to reassign it. " + _owned_hint(me)
        return Match("ownership", decision, why, what, fix)
    why = f"No agent owns {rel}; agent {agent!r} edits only the paths it owns."
    return Match("unowned-write", decision, why, what, _owned_hint(me))


def _owned_hint(spec: Mapping[str, Any]) -> str:
    owned = [entry[2] for entry in spec.get("owns", []) if entry[1]]
    if not owned:
        return "This agent owns no paths: ask a human."
    return "Stay within your owned paths: " + ", ".join(owned) + "."


def _contains_guarded(path: str, ctx: Context) -> str | None:
    """A worktree or protected root that lies inside folder ``path`` (``rm -rf ..``)."""
    for guarded in (ctx.worktree, *ctx.other_worktrees, *ctx.protected):
        for form in _worktree_forms(guarded, ctx):
            if inside(form, path) not in (None, ""):
                return guarded
    return None


def _outside(path: str, mode: str, ctx: Context) -> list[Match]:
    held = _contains_guarded(path, ctx)
    if held is not None:
        # Deleting or rewriting a folder that holds a worktree or agentguard's own files
        # is deleting them, wherever the folder is (writable_outside included).
        return [
            Match(
                "self-protection" if held in ctx.protected else "outside-worktree",
                DENY,
                SELF_PROTECTION
                if held in ctx.protected
                else f"{path} holds the worktree {held}; agents write only in their own.",
                what=f"{mode} {path}: it contains {held}",
                fix=f"Edit files inside your worktree {ctx.worktree}.",
            )
        ]
    for other in ctx.other_worktrees:
        for form in _worktree_forms(other, ctx):
            if inside(path, form) is not None:
                return [
                    Match(
                        "outside-worktree",
                        DENY,
                        f"{path} is in another worktree ({other}); agents write only in their own.",
                        what=f"{mode} {path}",
                        fix=f"Edit files inside your worktree {ctx.worktree}.",
                    )
                ]
    bare = path.lstrip("/")
    for entry in ctx.policy["writable_outside"]:
        if entry[1] and pattern_hit(entry, bare):
            return []
    decision = ctx.policy["defaults"]["outside_write"]
    if decision == ALLOW:
        return []
    return [
        Match(
            "outside-worktree",
            decision,
            f"{path} is outside the agent's worktree ({ctx.worktree}).",
            what=f"{mode} {path}",
            fix=f"Edit files inside your worktree {ctx.worktree}.",
        )
    ]
