"""PreToolUse: judge a tool call before it runs. Hot path.

The policy's evaluation of the call (:mod:`agentguard.engine.evaluate`), plus a ``loop``
ask when this exact attempt already failed ``loops.same_failure`` times; then the
marker that binds the call's PostToolUse to it (:mod:`agentguard.state.seen`).
"""

from __future__ import annotations

import os

from agentguard.claude import wire
from agentguard.decision import ASK, DENY, Match
from agentguard.engine.loops import agent_key, attempt_key, cap, subject_of
from agentguard.errors import GuardError
from agentguard.hook.session import Outcome, observing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.decision import Evaluation
    from agentguard.engine.call import Call
    from agentguard.hook.session import Invocation


def pre_tool_use(invocation: Invocation) -> Outcome:
    """Judge a tool call before it runs."""
    evaluation, call = judge(invocation, invocation.event)
    for match in loop_matches(invocation, call):
        evaluation.add(match)
    if observing(invocation):
        # Observing, every call runs (a would-be deny too) and no dialog opens: each gets a
        # marker, and none claims a human answered.
        _remember(invocation, "observe")
    elif evaluation.decision != DENY:
        _remember(invocation, evaluation.decision)
    output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, evaluation.reason())
    return Outcome(output, evaluation)


def judge(invocation: Invocation, event: Mapping[str, Any]) -> tuple[Evaluation, Call]:
    """Load the policy, establish who is calling, and judge ``event`` as a tool call."""
    from agentguard.engine.call import prepare
    from agentguard.engine.evaluate import evaluate

    policy = invocation.load_policy()
    call = prepare(policy, invocation.files, invocation.cwd, invocation.env, invocation.home)
    invocation.record["agent"] = call.identity.agent
    invocation.record["identity"] = call.identity.source
    if call.identity.branch:
        invocation.record["branch"] = call.identity.branch  # exported as vcs.ref.head.name
    try:
        return evaluate(event, call), call
    except ValueError as exc:
        raise GuardError(str(exc)) from None


def _remember(invocation: Invocation, decision: str) -> None:
    """Leave the marker that binds this call's PostToolUse to it (:mod:`agentguard.state.seen`).

    A denied call never runs, so it gets none: a post event for it is forged. A marker
    that cannot be written costs the call its evidence (its checks are not credited),
    never the call itself. The marker keeps ``decision``, so that the PostToolUse of an
    asked call can record the human's approval.
    """
    event = invocation.event
    tool_use_id = event.get("tool_use_id")
    tool = event.get("tool_name")
    if not isinstance(tool_use_id, str) or not tool_use_id or not isinstance(tool, str):
        return
    from agentguard.state import seen

    bound_to = seen.digest(tool, subject_of(tool, event.get("tool_input")))
    sid = str(invocation.record.get("session") or "")
    try:
        seen.note(invocation.home, sid, tool_use_id, bound_to, decision, facts(invocation))
    except OSError as exc:
        from agentguard.state import ledger

        # Kept elsewhere, so that the failure this call may report is still counted.
        env = invocation.env
        kept = ledger.note_seen(invocation.home, sid, tool_use_id, bound_to, env, decision)
        invocation.record["seen"] = f"unrecorded (kept: {kept}): {exc}"[:300]


def facts(invocation: Invocation) -> str:
    """What the PostToolUse of this Bash call needs of its line, for its marker (or ``""``).

    ``<digest of the cwd>:<write profile><l|s>`` (:func:`agentguard.shell.checks.write_profile`,
    then whether the line's last element hides its exit status 1, ``l``, or not, ``s``):
    the analyser is loaded here already, and the post event would otherwise load it again
    to learn whether the line may write. Bound to the cwd, because the profile depends on
    it; a post event in another folder analyses the line itself.
    """
    event = invocation.event
    tool_input = event.get("tool_input")
    if event.get("tool_name") != "Bash" or not isinstance(tool_input, dict):
        return ""
    command = tool_input.get("command")
    if not isinstance(command, str):
        return ""
    from agentguard.shell.checks import last_is_lenient, write_profile
    from agentguard.state.seen import digest

    profile = write_profile(command, invocation.cwd, invocation.env)
    lenient = "l" if last_is_lenient(command) else "s"
    return f"{digest('cwd', os.path.abspath(invocation.cwd))}:{profile}{lenient}"


def loop_matches(invocation: Invocation, call: Call) -> list[Match]:
    """A ``loop`` ask when this exact attempt already failed ``same_failure`` times."""
    event = invocation.event
    tool = event.get("tool_name")
    if not isinstance(tool, str):
        return []
    subject = subject_of(tool, event.get("tool_input"))
    if not subject:
        return []
    key = attempt_key(tool, subject)
    sid = str(invocation.record.get("session") or "")
    agent = agent_key(call.identity.agent)
    what = f"{tool} {subject[:120]}"
    fix = "Diagnose the root cause first; a human decides whether to run it again."
    from agentguard.state import ledger
    from agentguard.state import records as counters

    try:
        record = counters.read_record(invocation.home, sid, agent, key)
    except OSError as exc:
        # An unreadable count is not zero: it may be at the cap already.
        why = ledger.describe(exc)
        invocation.record["count_unreadable"] = why
        return [
            Match(
                "loop",
                ASK,
                "agentguard cannot read how often this exact call already failed"
                f" ({why}), so it cannot tell whether this repeats a loop.",
                what=what,
                fix="A human checks agentguard's state folder and approves or refuses.",
            )
        ]
    lost = ledger.uncounted(invocation.home, sid, agent, key, invocation.env)
    if lost:
        invocation.record["uncounted"] = lost
        return [
            Match(
                "loop",
                ASK,
                f"A failure of this exact call could not be counted ({lost}), so agentguard"
                " cannot tell whether this repeats a loop.",
                what=what,
                fix=fix,
            )
        ]
    sigs = record.get("sigs")
    if not isinstance(sigs, dict) or not sigs:
        return []
    limit = cap(call.policy, "same_failure")
    sig, entry = max(sigs.items(), key=lambda item: int(item[1].get("count") or 0))
    count = int(entry.get("count") or 0)
    if count < limit:
        return []
    invocation.record["signature"] = sig
    invocation.record["count"] = count
    return [
        Match(
            "loop",
            ASK,
            f"This exact call already failed {count} times in this session with the same"
            f" failure (signature {sig}): {entry.get('line') or '(no output)'}."
            " Running it again unchanged repeats the loop.",
            what=what,
            fix=fix,
        )
    ]
