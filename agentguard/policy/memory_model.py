"""The policy's ``memory:`` section: shared memory's budget and accepted findings. Cold path."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from agentguard.policy.fields import Strict


class MemoryBudget(Strict):
    """How much memory one agent's worktree may load at start (``agentguard memory lint``)."""

    lines: int | None = Field(None, ge=1, description="Most lines of memory one agent loads.")
    bytes: int | None = Field(None, ge=1, description="Most bytes of memory one agent loads.")


class MemoryWaiver(Strict):
    """One accepted finding of ``agentguard memory lint``, with a reason and an expiry date."""

    rule: str = Field(description="The finding's code, e.g. memory-path or memory-repeated.")
    file: str = Field(
        description="Gitignore-style pattern of the memory file, relative to the repository."
    )
    match: str = Field(
        "",
        description="Text the finding's line or message must contain (empty: any finding).",
    )
    reason: str = Field(min_length=1, description="Why the finding is accepted.")
    until: date = Field(description="Last day the waiver holds (YYYY-MM-DD); then it fails.")


class Memory(Strict):
    """Shared memory (CLAUDE.md, AGENTS.md, .claude/rules/): budget and accepted findings."""

    budget: MemoryBudget = Field(default_factory=MemoryBudget)  # type: ignore[arg-type]
    waivers: list[MemoryWaiver] = Field(
        default_factory=list, description="Findings accepted until a date, each with a reason."
    )
