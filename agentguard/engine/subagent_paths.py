"""What a subagent's own sections of the policy add to a write: denies only. Hot path."""

from __future__ import annotations

from agentguard.decision import DENY, Match
from agentguard.engine.patterns import deciding_tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledSubagent


def subagent_matches(
    rel: str | None, shown: str, mode: str, subagents: list[tuple[str, CompiledSubagent]]
) -> list[Match]:
    """What the caller's subagent sections (``(type, section)``) say about a write: denies only.

    They come on top of everything the parent would be told (self-protection, lanes,
    path classes), so a subagent's writes are the intersection of its parent's and its own.
    """
    out: list[Match] = []
    for kind, spec in subagents:
        fix = "Report the change to the parent agent, which may make it."
        if spec["read_only"]:
            out.append(
                Match(
                    "subagent",
                    DENY,
                    f"Subagents of type {kind!r} are read-only under this policy.",
                    what=f"{mode} {shown}",
                    fix=fix,
                )
            )
            continue
        owns = spec["owns"]
        if owns is not None and (rel is None or deciding_tree(owns, rel) is None):
            allowed = ", ".join(entry[2] for entry in owns if entry[1]) or "nothing"
            out.append(
                Match(
                    "subagent",
                    DENY,
                    f"Subagents of type {kind!r} may edit only {allowed} (within their"
                    " parent's lane).",
                    what=f"{mode} {shown}",
                    fix=fix,
                )
            )
        forbidden = deciding_tree(spec["cannot_touch"], rel) if rel is not None else None
        if forbidden is not None:
            out.append(
                Match(
                    "subagent",
                    DENY,
                    f"Subagents of type {kind!r} may not edit paths matching {forbidden!r}.",
                    what=f"{mode} {shown}",
                    fix=fix,
                )
            )
    return out
