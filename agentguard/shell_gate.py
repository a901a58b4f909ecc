"""Bridge from a Bash call to the shell analyser. Hot path (imported for Bash only)."""

from __future__ import annotations

from agentguard.decision import ALLOW, Match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.gate import Call


def judge_command(command: str, call: Call) -> list[Match]:
    """Every match about the command line ``command``."""
    decision = call.policy["defaults"]["unknown_command"]
    if decision == ALLOW:
        return []
    return [Match("unknown-command", decision, "No rule covers this command.", what=command)]
