"""``agentguard logs VIEW``: read the decision log, one view at a time.

Views: sessions, summary, loops, timeline, tail, report, suggest, export,
evidence. Cold path. Every view takes the same filters (``--agent``,
``--session``, ``--since``, ``--until``, ``--decision``), ``--format
text|json``, and ``--log`` to read other logs than this repository's (files,
folders or globs of logs shipped from other machines). Records stream from
disk, so the folding views use memory that does not grow with the log.

- ``sessions``: one line per session: agent, worktree, first and last call,
  calls, asks (and how many a human approved), denies, loops, and how its last
  Stop ended. Where to start when reviewing.
- ``summary``: per agent, calls, decisions, asks, asks a human approved,
  denies, failures, loops, Stop blocks and escalations.
- ``loops``: runaway episodes grouped by signature (a failure repeated, a Stop
  refused again and again, a wrapped hook blocking again), with first/last
  time and count.
- ``timeline``: every call of one session (``--session``; the latest one by
  default), in order.
- ``tail``: the last calls, then every new one as agents make it, one line per
  call.
- ``export``: the records as OTLP/JSON log records (``--format otlp-json``,
  the OpenTelemetry Collector's ``otlpjsonfile`` format) or JSON lines, for a
  fleet's log store.
- ``report``: one self-contained HTML page (``--out FILE.html``): every
  session on one timeline, markers for each ask, deny, escalation and Stop
  block with their details, loop episodes, the Stop gate, per-agent totals,
  filters.
- ``suggest``: rules proposed from asks a human approved again and again
  (``approved:`` entries, each checked to load, lint and pass its tests).
- ``evidence``: a pull-request-ready Markdown block for one agent and session:
  commands run and their results, the files the branch changed, checks passed,
  what was denied or escalated, remaining risk (``--all-sessions``: every
  session of the agent). Exits 0 when it found calls to report (it is the
  example policy's ``evidence`` check).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agentguard import terminal
from agentguard.commands import usage
from agentguard.errors import EngineError, GitError, GuardError, LogReadError
from agentguard.observe import logread
from agentguard.observe.views import (
    JUDGED,
    agent_of,
    approved,
    iter_loop_episodes,
    loop_episodes,
    sessions,
    subject,
    summary,
    timeline,
)
from agentguard.state import home as state
from agentguard.state import log

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledPolicy

Record = dict[str, Any]


def _home(args: argparse.Namespace) -> str:
    return str(args.home) if args.home else state.home(os.getcwd(), os.environ)


def _outcome(record: Record) -> str:
    if record.get("mode") == "observe":
        would = str(record.get("would") or "none")
        return f"would {would}" if would in ("ask", "deny", "block") else "observed"
    return _enforced(record)


def _enforced(record: Record) -> str:
    if record.get("escalation"):
        return f"escalated ({record['escalation']})"
    if record.get("gate"):
        return f"gate {record['gate']}"
    if record.get("failure"):
        return f"failed x{record.get('count', 1)}"
    if record.get("event") in JUDGED:
        said = str(record.get("output") or record.get("decision") or "none")
        # The human answers this one; the call's post event says "approved".
        return f"{said} (human)" if record.get("decided_by") == "human" else said
    if approved(record):
        return "approved"
    if record.get("wrap_result"):
        return f"wrap {record['wrap_result']}"
    return "ok" if record.get("event") == "PostToolUse" else str(record.get("output", ""))


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- evidence ----------------------------------------------------------------------------


def _current(records: list[Record], agent: str | None, session: str | None) -> tuple[str, str]:
    """The (agent, session) to report: given, else the latest in the log."""
    for record in reversed(records):
        if agent is not None and record.get("agent") != agent:
            continue
        if session is not None and record.get("session") != session:
            continue
        if record.get("session"):
            return str(record.get("agent") or ""), str(record["session"])
    return agent or "", session or ""


def _check_table(home: str, agent: str, session: str) -> tuple[list[str], list[str]]:
    """Rows of the checks table and the checks that have not passed (policy permitting)."""
    from agentguard.engine.loops import agent_key
    from agentguard.policy import compiled
    from agentguard.state import evidence

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        policy = compiled.load(files, home).data
    except GuardError as exc:
        return [f"| (policy) | | cannot load: {exc} |"], []
    spec: Mapping[str, Any] = policy["agents"].get(agent) or {}
    names = list(spec.get("checks") or [])
    if not names:
        return [], []
    record = evidence.read(home, session, agent_key(agent or None))
    rows, pending = [], []
    for status in evidence.standing(record, names, policy["checks"]):
        if status.state == "passed":
            result = "passed after the last edit"
        elif status.state == "failed":
            result = f"FAILED: {_short(status.line, 80)}" if status.line else "FAILED"
        else:
            result = "not run since the last edit"
        rows.append(f"| {status.name} | `{status.run}` | {result} |")
        if status.state != "passed":
            pending.append(status.name)
    return rows, pending


def evidence_block(
    records: list[Record],
    home: str,
    agent: str,
    session: str | Sequence[str],
    changes: tuple[list[str], str] | None = None,
) -> str:
    """The Markdown evidence block for one agent over one session or several.

    ``changes`` is the branch's changed files and a note on the base they are measured
    from (``_branch_changes``); the checks table is that of the latest session.
    """
    chosen = [session] if isinstance(session, str) else list(session)
    mine = [r for r in records if r.get("session") in chosen and (r.get("agent") or "") == agent]
    who = f"Agent `{agent or '(unassigned)'}`"
    if len(chosen) == 1:
        where = f"session `{chosen[0]}`"
    else:
        where = f"{len(chosen)} sessions ({', '.join(f'`{s}`' for s in chosen)})"
    if not mine:
        return "\n".join(
            [
                "### agentguard evidence",
                "",
                f"{who}, {where}: **no guarded calls were recorded**, so this block proves"
                " nothing about the change. Check that the hooks are installed"
                " (`agentguard doctor`) and that this is the agent's log.",
            ]
        )
    latest = str(mine[-1].get("session"))
    lines = [
        "### agentguard evidence",
        "",
        f"{who}, {where}: {len(mine)} guarded calls"
        + f", {mine[0].get('ts')} to {mine[-1].get('ts')}.",
        "",
    ]
    if changes is not None:
        files, note = changes
        lines += [f"**Files changed** ({note})", ""]
        if files:
            lines += [f"- `{name}`" for name in files[:200]]
            if len(files) > 200:
                lines.append(f"- … and {len(files) - 200} more")
        elif note.startswith("unknown"):
            lines.append("- could not be listed")
        else:
            lines.append("- none committed")
        lines.append("")
    rows, pending = _check_table(home, agent, latest)
    if rows:
        lines += [
            "**Checks**",
            "",
            "| check | command | result |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    runs = [
        r
        for r in mine
        if r.get("tool") == "Bash" and r.get("event") in ("PostToolUse", "PostToolUseFailure")
    ]
    if runs:
        lines += ["**Commands run**", "", "| # | command | result |", "| --- | --- | --- |"]
        for n, r in enumerate(runs, 1):
            command = _short(subject(r), 90).replace("|", "\\|")
            result = (
                "ok"
                if r.get("event") == "PostToolUse" and not r.get("failure")
                else (f"failed: {_short(r.get('error_line') or '', 70)}")
            )
            if r.get("evidence") == "unbound":
                result += " (unbound: proves nothing)"
            lines.append(f"| {n} | `{command}` | {result.replace('|', '/')} |")
        lines.append("")
    refused = [
        r
        for r in mine
        if (r.get("event") in JUDGED and r.get("output") in ("ask", "deny")) or r.get("escalation")
    ]
    if refused:
        lines += ["**Denied or escalated**", ""]
        for r in refused:
            what = _short(subject(r) or str(r.get("event")), 80)
            reason = _short(str(r.get("reason") or r.get("escalation") or ""), 160)
            kind = "escalated" if r.get("escalation") else str(r.get("output"))
            lines.append(f"- {kind}: `{what}` {reason}")
        lines.append("")
    risks = [f"check `{name}` has not passed since the last edit" for name in pending]
    for episode in loop_episodes(mine):
        risks.append(
            f"{episode['kind']} loop `{_short(str(episode['subject']), 60)}` repeated"
            f" {episode['count']} times (signature {episode['signature']})"
            + (", escalated to a human" if episode["escalated"] else "")
        )
    unbound = [r for r in mine if r.get("evidence") == "unbound"]
    if unbound:
        risks.append(
            f"{len(unbound)} post events matched no call PreToolUse judged (forged, or"
            " their marker was lost); they credited nothing"
        )
    lost = [r for r in mine if r.get("unrecorded") or r.get("uncounted")]
    if lost:
        risks.append(
            f"{len(lost)} calls whose record or failure count could not be written"
            " (agentguard's state folder took no writes); the gate asked for every check again"
        )
    errors = [r for r in mine if r.get("error")]
    if errors:
        risks.append(f"{len(errors)} calls where the guard itself failed (on_error applied)")
    lines += ["**Remaining risk**", ""]
    lines += [f"- {risk}" for risk in risks] or ["- none recorded by agentguard"]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------

_VIEWS = (
    ("sessions", "one line per session: agent, worktree, calls, asks, denies, its Stop"),
    ("summary", "per agent: decisions, asks, denies, failures, loops"),
    ("loops", "runaway episodes grouped by signature"),
    ("timeline", "every call of one session (the latest by default)"),
    ("tail", "the last calls, then each new one as agents make it"),
    ("evidence", "a pull-request Markdown block for one agent's sessions"),
    ("export", "write the records as OTLP/JSON log records (or JSON lines) for a log store"),
    ("report", "write one self-contained HTML page to open in a browser"),
    ("suggest", "rules proposed from asks a human approved again and again"),
)
_FORMATS = {"export": ("otlp-json", "jsonl", "parquet"), "report": ("html",)}


def _parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser, and the options that take a value (to find the view among them)."""
    parser = argparse.ArgumentParser(
        prog="agentguard logs",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    valued: set[str] = {"--home"}
    parser.add_argument("--home", help="state folder (default: this repository's)")
    sub = parser.add_subparsers(dest="view", required=True, metavar="VIEW")
    for name, help_text in _VIEWS:
        p = sub.add_parser(name, help=help_text, description=help_text)

        def add(*flags: str, view: argparse.ArgumentParser = p, **options: Any) -> None:
            action = view.add_argument(*flags, **options)
            if action.nargs != 0:
                valued.update(action.option_strings)

        # Also after the view (`logs summary --home X`), as users type it.
        add("--home", default=argparse.SUPPRESS, help="state folder")
        formats = _FORMATS.get(name, ("text", "json"))
        add("--format", choices=formats, default=formats[0])
        add(
            "--log",
            action="append",
            default=[],
            metavar="PATH",
            help="read this log file, folder of shipped logs, or glob (repeatable)",
        )
        add("--agent", help="only this agent's calls")
        add("--session", help="only this session's calls")
        add("--since", help="only calls after this (2h, 3d, 2026-12-02T14:30)")
        add("--until", help="only calls before this (same forms)")
        add("--decision", choices=logread.DECISIONS, help="only calls that got this")
        if name == "tail":
            add("-n", "--lines", type=int, default=10, help="calls shown first")
            add("--no-follow", action="store_true", help="print them and stop")
            add("--for", dest="seconds", type=float, help=argparse.SUPPRESS)
        if name == "evidence":
            add("--all-sessions", action="store_true", help="every session of the agent")
        if name == "export":
            add("--out", help="write here instead of stdout")
        if name == "summary":
            add(
                "--engine",
                choices=("python", "duckdb"),
                default="python",
                help="duckdb: for large or many logs (pip install 'agentguard[duckdb]')",
            )
        if name == "suggest":
            add("--min", type=int, default=3, help="approvals before a proposal")
        if name == "report":
            add("--out", required=True, help="the page to write (FILE.html)")
    return parser, valued


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``agentguard logs …``."""
    parser, valued = _parser()
    views = [name for name, _ in _VIEWS]
    # Options before the view too (`logs --format json summary`), as users type them.
    args = parser.parse_args(
        usage.view_first(sys.argv[1:] if argv is None else argv, views, valued)
    )
    home = _home(args)
    as_json = args.format == "json"
    try:
        files = logread.sources(home, args.log)
        chosen = logread.Filter(
            agent=args.agent,
            session=args.session,
            since=logread.parse_time(args.since) if args.since else None,
            until=logread.parse_time(args.until) if args.until else None,
            decision=args.decision,
        )
    except LogReadError as exc:
        sys.stderr.write(f"agentguard logs: {exc}\n")
        return 2
    if not files and args.view != "tail":
        where = ", ".join(args.log) or log.log_path(home)
        sys.stderr.write(
            f"agentguard logs: no decision log at {where}; the hook writes it on its first"
            " call (check AGENTGUARD_HOME, or pass --log PATH)\n"
        )
    stream = chosen.apply(logread.records(files))
    if args.view == "sessions":
        return _print_sessions(sessions(stream), as_json)
    if args.view == "summary" and args.engine == "duckdb":
        from agentguard.observe import logsql

        try:
            return _print_summary(logsql.summary(files, chosen), as_json)
        except EngineError as exc:
            sys.stderr.write(f"agentguard logs summary: {exc}\n")
            return 2
    if args.view == "summary":
        return _print_summary(summary(stream), as_json)
    if args.view == "loops":
        return _print_loops((e for _, e in iter_loop_episodes(stream)), as_json)
    if args.view == "timeline":
        return _timeline_view(stream, files, chosen, as_json)
    if args.view == "tail":
        return _tail(home, files, args, chosen, as_json)
    if args.view == "export":
        return _export(stream, args, files, chosen)
    if args.view == "report":
        return _report(stream, files, args.out)
    if args.view == "suggest":
        return _suggest(home, stream, args.min, as_json)
    return _evidence_view(home, files, chosen, args, as_json)


def _timeline_view(
    stream: Iterable[Record], files: list[str], chosen: logread.Filter, as_json: bool
) -> int:
    session = chosen.session
    if session is None:
        # The latest session among the calls the filters let through.
        for record in stream:
            session = str(record.get("session") or "") or session
        if session is None:
            return _print_timeline([], as_json)
        stream = logread.Filter(**{**chosen.__dict__, "session": session}).apply(
            logread.records(files)
        )
    # Shipped logs from several machines interleave: order the one session by time.
    rows = sorted(timeline(stream, session), key=lambda r: str(r.get("ts") or ""))
    if not as_json and chosen.session is None:
        print(f"session {session} (the latest; pass --session ID for another)")
    return _print_timeline(rows, as_json)


def _tail(
    home: str, files: list[str], args: argparse.Namespace, chosen: logread.Filter, as_json: bool
) -> int:
    from collections import deque

    last = deque(chosen.apply(logread.records(files)), maxlen=max(args.lines, 0))
    for record in last:
        _print_line(record, as_json)
    if args.no_follow:
        return 0
    target = files[-1] if args.log and files else log.log_path(home)
    news = logread.follow(target, stop=args.seconds)  # opened here: nothing slips past
    if not as_json:
        sys.stderr.write(f"following {target} (Ctrl-C to stop)\n")
        sys.stderr.flush()
    try:
        for record in chosen.apply(news):
            _print_line(record, as_json)
    except KeyboardInterrupt:
        pass
    return 0


def _evidence_view(
    home: str, files: list[str], chosen: logread.Filter, args: argparse.Namespace, as_json: bool
) -> int:
    agent = args.agent if args.agent is not None else _caller(home)
    mine = [
        r
        for r in logread.Filter(**{**chosen.__dict__, "agent": None}).apply(logread.records(files))
        if agent is None or (r.get("agent") or "") == agent
    ]
    agent, session = _current(mine, agent, args.session)
    picked = sorted({str(r.get("session")) for r in mine if r.get("session")})
    chosen_sessions = picked if args.all_sessions else [session]
    records = [r for r in mine if r.get("session") in chosen_sessions]
    block = evidence_block(records, home, agent, chosen_sessions, changes=_branch_changes(home))
    found = bool(records)
    if as_json:
        print(
            json.dumps(
                {
                    "agent": agent,
                    "session": session,
                    "sessions": chosen_sessions if found else [],
                    "markdown": block,
                    "found": found,
                }
            )
        )
    else:
        print(block)
    if not found:
        where = ", ".join(files) or log.log_path(home)
        sys.stderr.write(
            f"agentguard logs evidence: no guarded calls for agent {agent or '(unassigned)'!r}"
            f" in {where}; pass --session/--agent, or check AGENTGUARD_HOME.\n"
        )
        return 1
    return 0


def _export(
    stream: Iterable[Record], args: argparse.Namespace, files: list[str], chosen: logread.Filter
) -> int:
    from agentguard.observe import otel

    if args.format == "parquet":
        from agentguard.observe import logsql

        if not args.out:
            sys.stderr.write("agentguard logs export: --format parquet needs --out FILE\n")
            return 2
        try:
            count = logsql.to_parquet(files, chosen, args.out)
        except EngineError as exc:
            sys.stderr.write(f"agentguard logs export: {exc}\n")
            return 2
        sys.stderr.write(f"wrote {count} records as parquet to {args.out}\n")
        return 0

    lines: Iterable[str]
    if args.format == "otlp-json":
        lines = otel.export_lines(stream)
    else:
        lines = (json.dumps(r, separators=(",", ":")) for r in stream)
    if not args.out:
        for line in lines:
            print(line)
        return 0
    try:
        count = _write_whole(args.out, lines)
    except OSError as exc:
        sys.stderr.write(f"agentguard logs export: cannot write {args.out}: {exc.strerror}\n")
        return 1
    sys.stderr.write(f"wrote {count} lines of {args.format} to {args.out}\n")
    return 0


def _suggest(home: str, stream: Iterable[Record], minimum: int, as_json: bool) -> int:
    from agentguard.errors import PolicyError
    from agentguard.observe import suggest
    from agentguard.policy import compiled
    from agentguard.policy.loader import load_files

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        policy = load_files(files).policy
    except (GuardError, PolicyError) as exc:
        sys.stderr.write(f"agentguard logs suggest: the policy does not load: {exc}\n")
        return 2
    approved, _ = suggest.approved_asks(stream)
    proposals, notes = suggest.propose(approved, policy, minimum)
    suggest.check(files, proposals)
    good = [p for p in proposals if not p.problem]
    notes += [f"dropped `{p.pattern}`: {p.problem}" for p in proposals if p.problem]
    if as_json:
        print(
            json.dumps(
                {
                    "policy": files,
                    "approvals": len(approved),
                    "suggestions": [
                        {**p.entry(), "approvals": [a.__dict__ for a in p.approvals]} for p in good
                    ],
                    "patch": suggest.patch(good) if good else "",
                    "notes": notes,
                },
                indent=2,
            )
        )
        return 0
    print(f"{len(approved)} asks a human approved in the log; {len(good)} proposals.")
    for note in notes:
        print(f"- {note}")
    if good:
        print(
            f"\nAdd this to {files[-1]} (merge the lists into existing ones), then run"
            " `agentguard lint && agentguard test`;\nor let `agentguard approve --session S"
            " --index K` write one. Each proposal was checked:\nthe policy with it loads,"
            " lints and passes its tests.\n"
        )
        print(suggest.patch(good), end="")
    return 0


def _report(stream: Iterable[Record], files: list[str], out: str) -> int:
    from agentguard.observe import htmlreport

    payload = htmlreport.data(stream, files)
    try:
        _write_whole(out, [htmlreport.render(payload)])
    except OSError as exc:
        sys.stderr.write(f"agentguard logs report: cannot write {out}: {exc.strerror}\n")
        return 1
    url = "file://" + os.path.abspath(out)
    print(f"wrote {out}: {len(payload['calls'])} calls, {len(payload['lanes'])} sessions")
    print(f"open it in a browser: {url}")
    return 0


def _write_whole(path: str, lines: Iterable[str]) -> int:
    """Write ``lines`` to ``path`` through a temporary file, so no reader sees half of it."""
    count = 0
    tmp = f"{path}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line if line.endswith("\n") else line + "\n")
                count += 1
        os.replace(tmp, path)
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return count


def _policy(home: str) -> tuple[CompiledPolicy | None, list[str], str]:
    """The policy in force here: (compiled policy, its files, '') or (None, [], why not)."""
    from agentguard.policy import compiled

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        return compiled.load(files, home).data, files, ""
    except GuardError as exc:
        return None, [], str(exc)


def _branch_changes(home: str) -> tuple[list[str], str]:
    """The files this worktree's branch changed since its base, and which base that is.

    The base is the one ``verify`` and the Stop gate use. On any failure, no files and a
    note saying why (the block says so instead of claiming an empty change).
    """
    from agentguard.commands.verify import agent_base, fork_point
    from agentguard.errors import VerifyError
    from agentguard.git import command as gitcmd

    policy, _, why = _policy(home)
    if policy is None:
        return [], f"unknown: the policy does not load ({why})"
    try:
        top = gitcmd.toplevel(os.getcwd())
        branch = gitcmd.current_branch(top)
        name, ref, source = agent_base(top, policy, branch)
        sha = gitcmd.resolve(top, ref)
        if sha is None:
            return [], f"unknown: the base {name} names no commit here"
        since, fork = fork_point(top, policy, name, sha, source)
        files = gitcmd.changed_files(top, fork)
        dirty = len(gitcmd.status_short(top))
    except (GitError, VerifyError) as exc:
        return [], f"unknown: {exc}"
    note = f"on {branch or '(detached)'} since {since} ({fork[:10]})"
    if dirty:
        note += f"; {dirty} uncommitted changes not listed"
    return files, note


def _caller(home: str) -> str | None:
    """The agent running this command, established as the hook does (None if unknown)."""
    from agentguard.engine.identity import identify

    policy, files, _ = _policy(home)
    if policy is None:
        return None
    return identify(policy, os.getcwd(), os.environ, files).agent


def _print_sessions(rows: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no sessions in the log")
        return 0
    # ask/ok: the asks, and how many of them a human approved.
    print(f"{'session':34} {'agent':12} {'calls':>5} {'ask/ok':>6} {'deny':>4} {'loop':>4} stop")
    for row in rows:
        asked = f"{row['ask']}/{row['approved']}"
        print(
            f"{_short(row['session'], 34):34} {_short(row['agent'], 12):12} {row['calls']:>5}"
            f" {asked:>6} {row['deny']:>4} {row['loops']:>4} {row['stop'] or '-'}"
            + (" (observed)" if row["observed"] else "")
        )
        when = f"{row['first'] or '?'} .. {_clock(str(row['last'] or '?'), row['first'])}"
        print(f"    {when}  {_left(str(row['worktree']), terminal.width() - 4 - len(when) - 2)}")
    return 0


def _clock(ts: str, first: Any) -> str:
    """``ts`` without its date when it is the same day as ``first``."""
    return ts[11:] if str(first or "")[:10] == ts[:10] and len(ts) > 11 else ts


def _print_summary(rows: dict[str, dict[str, int]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    heads = ("calls", "allow", "ask", "approved", "deny", "failures", "loops", "stop_blocks")
    shown = ("calls", "allow", "ask", "apprvd", "deny", "fail", "loops", "stops", "escal")
    print(f"{'agent':14}" + "".join(f"{h:>7}" for h in shown))
    for agent, row in sorted(rows.items()):
        cells = [row[h] for h in (*heads, "escalations")]
        print(f"{_short(agent, 13):14}" + "".join(f"{c:>7}" for c in cells))
    observed = sum(row.get("observed", 0) for row in rows.values())
    if observed:
        print(
            f"observe mode: {observed} calls were only logged; the asks, denies and Stop"
            "\nblocks above would have happened, none was enforced"
        )
    return 0


def _print_loops(episodes: Iterable[Record], as_json: bool) -> int:
    """Print each episode as it ends (a JSON array, streamed, with ``--format json``)."""
    any_ = False
    for e in episodes:
        if as_json:
            print(("[\n" if not any_ else ",\n") + json.dumps(e, indent=2), end="")
            any_ = True
            continue
        any_ = True
        flag = " escalated" if e["escalated"] else ""
        asked = f", {e['asked']} retries asked" if e["asked"] else ""
        print(f"{e['signature']} {e['kind']} x{e['count']}{asked}{flag}  {e['agent']}")
        print(f"    session {e['session']}, {e['first']} .. {_clock(str(e['last']), e['first'])}")
        print(f"    {_short(str(e['subject']), terminal.width() - 4)}")
        if e["line"]:
            print(f"    {_short(e['line'], terminal.width() - 4)}")
    if as_json:
        print("\n]" if any_ else "[]")
    elif not any_:
        print("no loop episodes")
    return 0


_EVENT = {
    "PreToolUse": "pre",
    "PostToolUse": "post",
    "PostToolUseFailure": "post-failed",
    "PreSkillShellCommand": "skill-shell",
}


def _left(text: str, width: int) -> str:
    """``text`` cut from the left (a path's end says the most), to ``width`` characters."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _line(r: Record) -> str:
    """One call on one line as wide as the terminal (80 columns when unknown): time, event,
    agent, outcome, and as much of the subject as fits (a cut shows as …)."""
    event = str(r.get("event", ""))
    head = (
        f"{str(r.get('ts', ''))[11:19]:8} {_short(_EVENT.get(event, event), 11):11}"
        f" {_short(agent_of(r), 10):10} {_short(_outcome(r), 12):12}"
    )
    what_on = subject(r, relative=True)
    tool = str(r.get("tool") or "")
    what = f"$ {what_on}" if tool == "Bash" else " ".join(x for x in (tool, what_on) if x)
    return f"{head} {_short(what, terminal.width() - len(head) - 1)}".rstrip()


def _print_line(record: Record, as_json: bool) -> None:
    print(json.dumps(record) if as_json else _line(record), flush=True)


def _print_timeline(records: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(records, indent=2))
        return 0
    day = ""
    for r in records:
        if str(r.get("ts", ""))[:10] != day:
            day = str(r.get("ts", ""))[:10]
            print(f"-- {day}")
        print(_line(r))
    return 0
