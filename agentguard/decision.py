"""Decisions and the evaluation that explains them.

Hot path: standard library only. Decisions are plain strings so that the
compiled policy, the log and the wire output share one spelling.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable

ALLOW = "allow"
ASK = "ask"
DENY = "deny"
DECISIONS = (ALLOW, ASK, DENY)
_RANK = {ALLOW: 0, ASK: 1, DENY: 2}


def rank(decision: str) -> int:
    """Order of a decision: allow < ask < deny."""
    return _RANK[decision]


def strictest(decisions: Iterable[str], default: str = ALLOW) -> str:
    """The strictest of ``decisions``; ``default`` when there are none."""
    best = default
    for decision in decisions:
        if _RANK[decision] > _RANK[best]:
            best = decision
    return best


class Match:
    """One rule that spoke about a call: which rule, what it decided, and why."""

    __slots__ = ("decision", "fix", "grant", "justification", "rule", "what")

    def __init__(
        self,
        rule: str,
        decision: str,
        justification: str,
        what: str = "",
        fix: str = "",
        grant: bool = False,
    ) -> None:
        self.rule = rule
        self.decision = decision
        self.justification = justification
        self.what = what
        self.fix = fix
        # An allow that the policy states explicitly (an allow list, an allow class).
        # Only such allows reach the wire: anything else leaves Claude Code's own prompt.
        self.grant = grant and decision == ALLOW

    def as_dict(self) -> dict[str, str]:
        """Plain form for the log and for ``explain --json``."""
        out = {"rule": self.rule, "decision": self.decision, "justification": self.justification}
        if self.what:
            out["what"] = self.what
        if self.fix:
            out["fix"] = self.fix
        if self.grant:
            out["grant"] = "yes"
        return out

    def __repr__(self) -> str:
        return f"Match({self.rule!r}, {self.decision!r}, what={self.what!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Match) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.rule, self.decision, self.what))


class Evaluation:
    """The result of judging one call: a decision and every match behind it.

    ``explicit`` is true when the decision is an ``allow`` that a rule grants;
    only then does the hook print ``permissionDecision: allow``. Otherwise an
    allow stays silent and Claude Code's own permission flow applies.
    ``withheld`` names what rules out any explicit allow for this call, whatever
    grants its matches carry (a command run through ``sudo``: Claude Code's own
    prompt must stay).
    """

    __slots__ = ("agent", "matches", "notes", "withheld")

    def __init__(self, agent: str | None = None) -> None:
        self.agent = agent
        self.matches: list[Match] = []
        self.notes: list[str] = []
        self.withheld: list[str] = []

    def add(self, match: Match) -> None:
        """Record a match."""
        self.matches.append(match)

    @property
    def decision(self) -> str:
        """The strictest decision among the matches (allow when nothing matched)."""
        return strictest(m.decision for m in self.matches)

    @property
    def explicit(self) -> bool:
        """True when the decision is allow, a rule explicitly grants it and nothing
        withholds the grant."""
        if self.withheld:
            return False
        return self.decision == ALLOW and any(m.grant for m in self.matches)

    def deciding(self) -> list[Match]:
        """The matches that carry the final decision."""
        final = self.decision
        return [m for m in self.matches if m.decision == final]

    def reason(self) -> str:
        """The message Claude sees: the deciding rules, why, and what to do instead."""
        # One entry per rule and justification, naming everything it matched: a rule
        # that fires on three simple commands is said once, with the three of them.
        grouped: dict[tuple[str, str], list[str]] = {}
        fixes: list[str] = []
        for m in self.deciding():
            whats = grouped.setdefault((m.rule, m.justification), [])
            if m.what and m.what not in whats:
                whats.append(m.what)
            # Fixes of several rules often share a sentence ("Stay within your owned
            # paths: …"): say each sentence once.
            for sentence in m.fix.replace(". ", ".\n").splitlines():
                if sentence.strip() and sentence.strip() not in fixes:
                    fixes.append(sentence.strip())
        parts = []
        for (rule, justification), whats in grouped.items():
            text = f"[agentguard:{rule}] {justification}"
            if whats:
                text += f" ({'; '.join(whats)})"
            parts.append(text)
        return " ".join(parts + fixes)
