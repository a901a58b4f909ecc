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
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from agentguard.commands import usage
from agentguard.commands.logs_evidence import evidence_view
from agentguard.commands.logs_text import (
    print_line,
    print_loops,
    print_sessions,
    print_summary,
    print_timeline,
)
from agentguard.errors import EngineError, GuardError, LogReadError
from agentguard.observe import logread
from agentguard.observe.views import (
    iter_loop_episodes,
    sessions,
    summary,
    timeline,
)
from agentguard.state import home as state
from agentguard.state import log

if TYPE_CHECKING:
    pass

Record = dict[str, Any]


def _home(args: argparse.Namespace) -> str:
    return str(args.home) if args.home else state.home(os.getcwd(), os.environ)


# --- evidence ----------------------------------------------------------------------------


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
        return print_sessions(sessions(stream), as_json)
    if args.view == "summary" and args.engine == "duckdb":
        from agentguard.observe import logsql

        try:
            return print_summary(logsql.summary(files, chosen), as_json)
        except EngineError as exc:
            sys.stderr.write(f"agentguard logs summary: {exc}\n")
            return 2
    if args.view == "summary":
        return print_summary(summary(stream), as_json)
    if args.view == "loops":
        return print_loops((e for _, e in iter_loop_episodes(stream)), as_json)
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
    return evidence_view(home, files, chosen, args, as_json)


def _timeline_view(
    stream: Iterable[Record], files: list[str], chosen: logread.Filter, as_json: bool
) -> int:
    session = chosen.session
    if session is None:
        # The latest session among the calls the filters let through.
        for record in stream:
            session = str(record.get("session") or "") or session
        if session is None:
            return print_timeline([], as_json)
        stream = logread.Filter(**{**chosen.__dict__, "session": session}).apply(
            logread.records(files)
        )
    # Shipped logs from several machines interleave: order the one session by time.
    rows = sorted(timeline(stream, session), key=lambda r: str(r.get("ts") or ""))
    if not as_json and chosen.session is None:
        print(f"session {session} (the latest; pass --session ID for another)")
    return print_timeline(rows, as_json)


def _tail(
    home: str, files: list[str], args: argparse.Namespace, chosen: logread.Filter, as_json: bool
) -> int:
    from collections import deque

    last = deque(chosen.apply(logread.records(files)), maxlen=max(args.lines, 0))
    for record in last:
        print_line(record, as_json)
    if args.no_follow:
        return 0
    target = files[-1] if args.log and files else log.log_path(home)
    news = logread.follow(target, stop=args.seconds)  # opened here: nothing slips past
    if not as_json:
        sys.stderr.write(f"following {target} (Ctrl-C to stop)\n")
        sys.stderr.flush()
    try:
        for record in chosen.apply(news):
            print_line(record, as_json)
    except KeyboardInterrupt:
        pass
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
