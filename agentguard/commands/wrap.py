"""``agentguard wrap [--cap N] -- CMD …``: a team's own hook, with a loop cap.

Register ``agentguard wrap -- ./scripts/format.sh`` where ``./scripts/format.sh`` was
registered. The event on stdin goes to CMD unchanged; CMD's stdout, stderr and exit
code come back unchanged, so the hook behaves as before, until it *blocks* (exit 2,
or JSON ``decision: block`` / ``permissionDecision: deny``) with the same failure
signature more than N times in a row in one session. That block is turned into an
escalation instead of another lap: the action goes through, the human sees a
``systemMessage``, and the decision log records it. A non-blocking run ends the
streak. N defaults to the policy's ``loops.stop_blocks`` for Stop/SubagentStop (never
above Claude Code's own cap) and ``loops.same_failure`` for other events.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

from agentguard.commands import usage
from agentguard.engine import loops
from agentguard.engine.loops import agent_key, subject_of
from agentguard.errors import GuardError
from agentguard.signature import fingerprint, normalise_error, normalise_subject
from agentguard.state import home as state
from agentguard.state import log
from agentguard.state import records as counters


def blocked(returncode: int, stdout: bytes, stderr: bytes) -> str | None:
    """The block's text when a hook's result blocks (exit 2 or a JSON block), else None."""
    if returncode == 2:
        return stderr.decode("utf-8", "replace") or "(no stderr)"
    text = stdout.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return None
    try:
        output = json.loads(text)
    except ValueError:
        return None
    if not isinstance(output, dict):
        return None
    if output.get("decision") == "block":
        return str(output.get("reason") or "Blocked by hook")
    specific = output.get("hookSpecificOutput")
    if isinstance(specific, dict) and specific.get("permissionDecision") == "deny":
        return str(specific.get("permissionDecisionReason") or "Denied by hook")
    return None


def _identity(
    event: Mapping[str, Any], cwd: str, home: str
) -> tuple[str | None, Mapping[str, Any]]:
    """The caller's agent and the policy (best effort: a wrapper must not fail on them)."""
    from agentguard.engine.identity import identify
    from agentguard.policy import compiled

    try:
        files = compiled.discover(cwd, os.environ)
        policy = compiled.load(files, home).data
        return identify(policy, cwd, os.environ, files).agent, policy
    except (GuardError, OSError, KeyError, ValueError):
        return None, {}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the wrapped hook; pass its result through or turn a repeated block into an escalation."""
    started = time.perf_counter()
    parser = argparse.ArgumentParser(
        prog="agentguard wrap",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cap", type=int, help="blocks with one signature before escalating")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARG …]")
    args = parser.parse_args(argv)
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        parser.error("give the hook command after --, e.g. agentguard wrap -- ./format.sh")
    if args.cap is not None and args.cap < 1:
        parser.error("--cap must be at least 1")
    data = sys.stdin.buffer.read()
    try:
        event = json.loads(data) if data.strip() else {}
    except ValueError:
        event = {}
    if not isinstance(event, dict):
        event = {}
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as exc:
        # The same as a missing hook script: non-blocking, and said plainly.
        sys.stderr.write(f"agentguard wrap: cannot run {command[0]!r}: {exc.strerror}\n")
        return 1
    try:
        escalate, record, text = _account(args, command, event, done, started)
    except Exception as exc:  # bookkeeping must never swallow the team hook's own verdict
        sys.stderr.write(
            f"agentguard wrap: could not record this run ({type(exc).__name__}: {exc});"
            " passing the hook's result through\n"
        )
        escalate, record, text = False, {}, None
    if escalate:
        first = " ".join((text or "").split())[:300]
        message = (
            f"agentguard: the hook `{' '.join(command)[:120]}` blocked {record['count']} times"
            f" in a row with the same failure (signature {record['signature']}); letting this"
            f" {record.get('event') or 'action'} through so the agent does not loop."
            f" A human should look: {first}"
        )
        sys.stdout.write(json.dumps({"systemMessage": message}))
        sys.stdout.flush()
        return 0
    sys.stdout.buffer.write(done.stdout)
    sys.stdout.flush()
    sys.stderr.buffer.write(done.stderr)
    sys.stderr.flush()
    return done.returncode


def _account(
    args: argparse.Namespace,
    command: list[str],
    event: dict[str, Any],
    done: subprocess.CompletedProcess[bytes],
    started: float,
) -> tuple[bool, dict[str, Any], str | None]:
    """Count this run's block (if any) and log it; whether to escalate, the record, the block."""
    text = blocked(done.returncode, done.stdout, done.stderr)
    cwd = str(event.get("cwd") or os.getcwd())
    home = state.home(cwd, os.environ)
    session = str(event.get("session_id") or "")
    name = str(event.get("hook_event_name") or "")
    agent, policy = _identity(event, cwd, home)
    key = "wrap:" + fingerprint(("wrap", name, "\x1f".join(command)))
    record: dict[str, Any] = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z",
        "event": name,
        "session": session,
        "cwd": cwd,
        "agent": agent,
        "wrap": " ".join(command)[:500],
        "exit": done.returncode,
    }
    tool = str(event.get("tool_name") or "")
    if tool:
        record["tool"] = tool
    escalate = False
    if text is None:
        record["wrap_result"] = "pass"
        if counters.read_record(home, session, agent_key(agent), key):
            counters.reset(home, session, agent_key(agent), key)
    else:
        subject = subject_of(tool, event.get("tool_input")) if tool else ""
        sig = fingerprint(
            (
                "wrap",
                name,
                " ".join(command),
                tool,
                normalise_subject(tool, subject),
                normalise_error(text),
            )
        )
        if args.cap is not None:
            cap = args.cap
        else:
            cap = loops.event_cap(policy, name, os.environ) if policy else loops.DEFAULT_CAP
        seen: dict[str, int] = {}

        def bump(rec: dict[str, Any]) -> dict[str, Any]:
            stored = rec.get("sigs")
            sigs: dict[str, Any] = stored if isinstance(stored, dict) else {}
            done_before = int(sigs.get(sig) or 0)
            if done_before >= cap:
                seen["escalate"] = done_before
                sigs = {}
            else:
                sigs = {sig: done_before + 1}  # a different block starts a new streak
                seen["count"] = done_before + 1
            rec["sigs"] = sigs
            return rec

        counters.update_record(home, session, agent_key(agent), key, bump)
        record.update(signature=sig, error_line=" ".join(text.split())[:200])
        if "escalate" in seen:
            escalate = True
            record.update(wrap_result="escalated", escalation="wrap", count=seen["escalate"])
        else:
            record.update(wrap_result="block", count=seen["count"])
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
    try:
        log.append(home, record)
    except OSError as exc:
        sys.stderr.write(f"agentguard wrap: could not write the decision log: {exc}\n")
    return escalate, record, text
