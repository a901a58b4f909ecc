"""PostToolUse and PostToolUseFailure: failures into the counters, edits and checks into
the evidence. Hot path.

Per (session, agent), in :mod:`agentguard.state.records`:

- ``attempt:<subject signature>``: the failures of one command (or path) in the current
  episode, ``sigs = {failure signature: {count, line}}``. Each failure bumps its
  signature; a success of the same subject ends the episode (the record is reset).
  PreToolUse reads this one record (:func:`agentguard.hook.pre_tool_use.loop_matches`):
  a signature at ``loops.same_failure`` or more makes the next identical attempt ``ask``.
- ``evidence``: the last edit and each check's last result (:mod:`agentguard.state.evidence`),
  which the Stop gate reads (:mod:`agentguard.hook.stop`).

Every handler returns an :class:`agentguard.hook.session.Outcome`; failures raise and are
turned into ``on_error`` by :func:`agentguard.hook.run.main`.
"""

from __future__ import annotations

import os

from agentguard.claude import tools, wire
from agentguard.engine.loops import attempt_key, cap, subject_of
from agentguard.hook.session import Context, Outcome, subagent_of
from agentguard.state import records as counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.hook.session import Invocation

# Failure signatures one attempt record keeps; the rarest goes first.
_MAX_SIGS = 16


def post_tool_use(invocation: Invocation) -> Outcome:
    """Record edits and check results; a Bash response reporting failure is a failure."""
    from agentguard.state import evidence  # only PostToolUse and Stop need it

    ctx = Context(invocation)
    event = ctx.event
    tool = str(event.get("tool_name") or "")
    tool_input = event.get("tool_input")
    extra: dict[str, Any] = {}
    bound, facts = _bind(ctx, tool, tool_input, extra)
    if tool == "Bash":
        error = _bash_failure(event.get("tool_response"))
        if error is not None:
            return _failure(invocation, ctx, tool, tool_input, error, extra, facts)
    now = evidence.now()
    if tool == "Bash" and isinstance(tool_input, dict):
        command = tool_input.get("command")
        if isinstance(command, str):
            unfinished = _unfinished(tool_input, event.get("tool_response"))
            if unfinished:
                extra["uncredited"] = unfinished
            credit = bound and not unfinished
            _bash_evidence(invocation, ctx, command, True, now, "", extra, credit, facts)
    elif tools.kind(tool) == tools.WRITE and isinstance(tool_input, dict):
        path = tool_input.get(tools.path_field(tool))
        if isinstance(path, str) and path and _inside(path, ctx.worktree, invocation.cwd):
            _note(ctx, extra, edit_at=now, sub=subagent_of(event))
            extra["edit"] = True
    subject = subject_of(tool, tool_input)
    if subject and bound:
        key = attempt_key(tool, subject)
        try:
            if counters.read_record(ctx.home, ctx.session, ctx.key, key):
                # The same attempt succeeded: that failure episode is over.
                counters.reset(ctx.home, ctx.session, ctx.key, key)
                extra["episode_closed"] = True
        except OSError as exc:
            # The count stays as it was: the next attempt may be asked, never let through.
            extra["episode_kept"] = _why(exc)
        from agentguard.state import ledger

        ledger.clear_uncounted(ctx.home, ctx.session, ctx.key, key, ctx.env)
    return Outcome(_told(None, extra), extra=extra)


def post_tool_use_failure(invocation: Invocation) -> Outcome:
    """Count the failure's signature; at ``loops.same_failure`` tell the agent to diagnose."""
    ctx = Context(invocation)
    event = ctx.event
    tool = str(event.get("tool_name") or "")
    extra: dict[str, Any] = {}
    _bound, facts = _bind(ctx, tool, event.get("tool_input"), extra)
    if event.get("is_interrupt") is True:
        extra["interrupt"] = True
        return Outcome(None, extra=extra)
    error = event.get("error")
    text = error if isinstance(error, str) else str(error or "")
    return _failure(invocation, ctx, tool, event.get("tool_input"), text, extra, facts)


def _why(exc: BaseException) -> str:
    from agentguard.state import ledger

    return ledger.describe(exc)


def _started(event: Mapping[str, Any], now: float) -> float:
    """When the tool started: now minus its reported duration."""
    duration = event.get("duration_ms")
    if isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration > 0:
        return now - duration / 1000.0
    return now


def _inside(path: str, folder: str, cwd: str) -> bool:
    full = os.path.normpath(os.path.join(cwd, os.path.expanduser(path)))
    root = os.path.normpath(folder)
    if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
        return True
    real, real_root = os.path.realpath(full), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _bash_failure(response: Any) -> str | None:
    """The error text when a PostToolUse Bash response reports a failure, else None."""
    if not isinstance(response, dict):
        return None
    for field in ("exitCode", "exit_code", "returncode", "code"):
        value = response.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value != 0:
            stderr = str(response.get("stderr") or "")
            stdout = str(response.get("stdout") or "")
            return f"Exit code {value}\n{stderr or stdout}"
    return None


def _note(ctx: Context, extra: dict[str, Any], **fields: Any) -> None:
    """Record evidence; a record that cannot be written is noted as lost, never dropped."""
    from agentguard.state import evidence, ledger

    try:
        evidence.note(ctx.home, ctx.session, ctx.key, **fields)
    except OSError as exc:
        why = _why(exc)
        extra["unrecorded"] = why
        extra["unrecorded_kept"] = ledger.note_edit(ctx.home, ctx.session, why, ctx.env)


def _told(output: dict[str, Any] | None, extra: dict[str, Any]) -> dict[str, Any] | None:
    """``output`` with a word to the human when the call's record or count was lost."""
    if "unrecorded" in extra:
        text = (
            f"agentguard could not record this call ({extra['unrecorded']}); the verification"
            " gate counts it as an edit, so every check must pass again before Stop."
        )
    elif "uncounted" in extra:
        text = (
            f"agentguard could not count this failure ({extra['uncounted']}); the next"
            " identical attempt will need a human's approval."
        )
    else:
        return output
    if output is None:
        return wire.message(f"agentguard: {text}")
    return {**output, "systemMessage": f"agentguard: {text}"}


def _bind(ctx: Context, tool: str, tool_input: Any, extra: dict[str, Any]) -> tuple[bool, str]:
    """Whether this post event belongs to a call PreToolUse let through (:mod:`seen`),
    and the facts PreToolUse noted for it (``""`` when unbound).

    An unbound event proves nothing: it credits no check, counts no failure and closes
    no failure episode. The edits it reports are still recorded, because an edit can
    only raise the bar the Stop gate sets.
    """
    from agentguard.state import seen

    raw_id = ctx.event.get("tool_use_id")
    tool_use_id = raw_id if isinstance(raw_id, str) else ""
    bound_to = seen.digest(tool, subject_of(tool, tool_input))
    why, decision, facts = seen.take(ctx.home, ctx.session, tool_use_id, bound_to)
    if why.startswith("no PreToolUse"):
        from agentguard.state import ledger

        kept = ledger.take_seen(ctx.home, ctx.session, tool_use_id, ctx.env)
        if kept is not None:
            why, decision = seen.check(kept, bound_to)
            decision = decision.partition(" ")[0]
    if why:
        # Unbound: not even a human's approval of an ask can be read from it.
        extra["evidence"] = "unbound"
        extra["unbound"] = why
        return False, ""
    extra.update(seen.answer(decision))
    return True, facts


def _unfinished(tool_input: Mapping[str, Any], response: Any) -> str:
    """Why a Bash PostToolUse proves nothing about the command's exit status, or ``""``.

    A run sent to the background is still going (its PostToolUse reports the start), an
    interrupted or timed-out one did not finish, and a ``returnCodeInterpretation`` means
    Claude Code read a non-zero exit as success.
    """
    if tool_input.get("run_in_background"):
        return "run in the background"
    if isinstance(response, dict):
        if response.get("backgroundTaskId") or response.get("backgroundedByUser"):
            return "moved to the background"
        if response.get("interrupted"):
            return "interrupted"
        if response.get("returnCodeInterpretation"):
            return "exit status reinterpreted by Claude Code"
    return ""


def _bash_evidence(
    invocation: Invocation,
    ctx: Context,
    command: str,
    ok: bool,
    now: float,
    line: str,
    extra: dict[str, Any],
    credit: bool = True,
    facts: str = "",
) -> None:
    """Credit (or fail) the checks ``command`` ran and record an edit if it may write.

    With ``credit`` false (a run that did not finish in the foreground) no check is
    credited or failed; edits are still recorded. ``facts``, from the marker of the
    call's PreToolUse, say whether the line may write without analysing it again.
    """
    from agentguard.shell import checks  # only PostToolUse needs it

    profile, lenient = read_facts(facts, invocation.cwd)
    spans = (
        checks.check_positions(command, invocation.cwd, ctx.worktree, ctx.checks, lenient)
        if ctx.checks and credit
        else {}
    )
    skip = {i for first, last in spans.values() for i in range(first, last + 1)}
    wrote = wrote_from(profile, skip)
    if wrote == -1:
        wrote = checks.writes(command, invocation.cwd, invocation.env, skip)
    started = _started(ctx.event, now)
    results: dict[str, dict[str, Any]] = {}
    for name, (_first, last) in spans.items():
        # A write after the check in the same line makes the check stale at once.
        stale = wrote is not None and wrote > last
        result: dict[str, Any] = {"ok": ok and not stale, "at": started}
        if not ok:
            result["line"] = line
        tool_use_id = ctx.event.get("tool_use_id")
        if isinstance(tool_use_id, str):
            result["tool_use_id"] = tool_use_id
        results[name] = result
    edit_at: float | None = None
    if wrote is not None:
        # A write before the checks in the line happened before they started.
        edit_at = now if any(wrote > last for _f, last in spans.values()) or not spans else started
        extra["edit"] = True
    if results:
        extra["checks"] = {name: ("passed" if r["ok"] else "failed") for name, r in results.items()}
    if results or edit_at is not None:
        _note(ctx, extra, edit_at=edit_at, checks=results, sub=subagent_of(ctx.event))


def read_facts(facts: str, cwd: str) -> tuple[str, bool | None]:
    """The write profile and the lenient flag in PreToolUse's ``facts`` (:func:`agentguard.
    hook.pre_tool_use.facts`); ``""`` and None for what is missing or for another folder."""
    from agentguard.state.seen import digest

    where, _sep, profile = facts.partition(":")
    if not profile or where != digest("cwd", os.path.abspath(cwd)):
        return "", None
    flag = profile[-1]
    if flag in "ls" and profile[:-1].endswith("."):
        return profile[:-1], flag == "l"
    return profile, None  # a marker from before the flag: the profile alone


def wrote_from(profile: str, skip: set[int]) -> int | None:
    """The index :func:`agentguard.shell.checks.writes` read from PreToolUse's write
    ``profile``; -1 when it is missing or malformed (the line must be analysed)."""
    from agentguard.shell.checks import writes_in

    if not profile:
        return -1
    try:
        return writes_in(profile, skip)
    except ValueError:
        return -1


def _failure(
    invocation: Invocation,
    ctx: Context,
    tool: str,
    tool_input: Any,
    error: str,
    extra: dict[str, Any],
    facts: str = "",
) -> Outcome:
    """Count a failure of a bound call; an unbound one only has its edits recorded."""
    from agentguard import signature
    from agentguard.state import evidence

    subject = subject_of(tool, tool_input)
    sig = signature.signature(tool, subject, error)
    line = signature.first_error_line(error)
    key = attempt_key(tool, subject)

    def bump(record: dict[str, Any]) -> dict[str, Any]:
        sigs = record.get("sigs")
        if not isinstance(sigs, dict):
            sigs = {}
        entry = sigs.get(sig) if isinstance(sigs.get(sig), dict) else None
        count = int(entry.get("count") or 0) + 1 if entry else 1
        sigs[sig] = {"count": count, "line": line}
        if len(sigs) > _MAX_SIGS:
            weakest = min((s for s in sigs if s != sig), key=lambda s: sigs[s]["count"])
            del sigs[weakest]
        record["sigs"] = sigs
        record["tool"] = tool
        record["subject"] = subject[:300]
        record["count"] = max(v["count"] for v in sigs.values())
        return record

    bound = extra.get("evidence") != "unbound"
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    extra.update(failure=True, signature=sig, error_line=line)
    if not bound:
        if tool == "Bash" and isinstance(command, str):
            _bash_evidence(invocation, ctx, command, False, evidence.now(), line, extra, False)
        return Outcome(_told(None, extra), extra=extra)
    try:
        stored = counters.update_record(ctx.home, ctx.session, ctx.key, key, bump)
    except OSError as exc:
        # An uncounted failure is not zero failures: the ledger keeps that it happened,
        # and PreToolUse asks before this exact call runs again.
        from agentguard.state import ledger

        why = _why(exc)
        extra["uncounted"] = why
        extra["uncounted_kept"] = ledger.note_uncounted(
            ctx.home, ctx.session, ctx.key, key, why, ctx.env
        )
        stored = {"sigs": {sig: {"count": 0}}}
    count = int(stored["sigs"][sig]["count"])
    if "uncounted" not in extra:
        extra["count"] = count
    if tool == "Bash" and isinstance(command, str):
        _bash_evidence(invocation, ctx, command, False, evidence.now(), line, extra, True, facts)
    if count < cap(ctx.policy, "same_failure"):
        return Outcome(_told(None, extra), extra=extra)
    extra["loop"] = True
    what = signature.describe(tool, subject, error)
    text = (
        f"[agentguard:loop] You are repeating the same failure: {what} (signature {sig},"
        f" {count} times in this session). Retrying will not fix it. Stop and diagnose the"
        " root cause (read the full error, the code it points at and what changed) before"
        " running it again; the next identical attempt needs a human's approval."
    )
    return Outcome(_told(wire.context(invocation.name, text), extra), extra=extra)
