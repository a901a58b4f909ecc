"""Reading decision logs for review: which files, one record at a time, and filters. Cold path.

The hook writes one log per repository (``log.py``); a reviewer reads that one, or many
machines' logs shipped to one place. ``sources`` turns what the user named (a file, a
folder, a glob) into files; ``records`` streams them a line at a time, so a view that
folds records (a summary, loop episodes) uses memory that does not grow with the log.
"""

from __future__ import annotations

import glob
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO

from agentguard.errors import LogReadError
from agentguard.state import log

Record = dict[str, Any]

# What ``--decision`` can select, and the record fields that carry it.
DECISIONS = ("allow", "ask", "deny", "none", "blocked", "escalated", "pending", "passed", "error")
_JUDGED = ("PreToolUse", "PreSkillShellCommand")
_RELATIVE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _in_folder(folder: str) -> list[str]:
    """Every decision log below ``folder`` (shipped logs keep their machine's subfolder)."""
    found: list[str] = []
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".jsonl") or re.search(r"\.jsonl\.\d+$", name):
                found.append(os.path.join(top, name))
    # Rotated copies (name.jsonl.N) are older than name.jsonl: oldest first per log.
    return sorted(found, key=_age_key)


def _age_key(path: str) -> tuple[str, int]:
    match = re.search(r"^(.*\.jsonl)(?:\.(\d+))?$", path)
    if not match:
        return (path, 0)
    return (match.group(1), -int(match.group(2) or 0))


def sources(home: str, given: Sequence[str] = ()) -> list[str]:
    """The log files to read: each ``given`` file, folder or glob; else ``home``'s own log.

    Raises LogReadError naming a source that matches no log file.
    """
    if not given:
        return log.files(home)
    files: list[str] = []
    for source in given:
        path = os.path.expanduser(source)
        if os.path.isdir(path):
            found = _in_folder(path)
        elif os.path.isfile(path):
            found = [path]
        else:
            found = sorted(
                (p for p in glob.glob(path, recursive=True) if os.path.isfile(p)), key=_age_key
            )
        if not found:
            raise LogReadError(
                f"--log {source}: no decision log there (give a decisions.jsonl file,"
                " a folder of shipped logs, or a quoted glob such as 'logs/*/*.jsonl')"
            )
        files += [f for f in found if f not in files]
    return files


def records(files: Iterable[str]) -> Iterator[Record]:
    """Every parseable record of ``files`` in file order, one line in memory at a time.

    Lines that do not parse (a torn tail, a foreign line in a shipped file) are skipped.
    """
    for file in files:
        try:
            fh = open(file, encoding="utf-8", errors="replace")  # noqa: SIM115 - a generator
        except OSError:
            continue
        with fh:
            for line in fh:
                record = log.parse_line(line)
                if record is not None:
                    yield record


def outcomes(record: Record) -> set[str]:
    """What ``--decision`` may match on this record (a judged call's answer, a Stop's gate).

    In observe mode the answer is the one that would have been given.
    """
    found: set[str] = set()
    if record.get("event") in _JUDGED:
        output = record.get("would") if record.get("mode") == "observe" else record.get("output")
        found.add(str(output) if output in ("allow", "ask", "deny") else "none")
    gate = record.get("gate")
    if gate:
        found.add(str(gate))
    if record.get("escalation"):
        found.add("escalated")
    if record.get("error"):
        found.add("error")
    return found


def parse_time(text: str, now: float | None = None) -> str:
    """A ``--since``/``--until`` value as a log timestamp (UTC, the hook's own format).

    Takes a relative age (``90s``, ``15m``, ``2h``, ``3d``, ``1w``: that long ago) or an ISO
    date or time (``2026-12-02``, ``2026-12-02T14:30``, with an offset or ``Z``; a time
    without an offset is UTC, as the log is).
    """
    text = text.strip()
    match = _RELATIVE.match(text)
    if match:
        delta = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        moment = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc) - delta
    else:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise LogReadError(
                f"{text!r} is not a time: give an age such as 30m, 2h or 3d, or an ISO"
                " date or time such as 2026-12-02 or 2026-12-02T14:30Z"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Filter:
    """Which records a view shows; every field left None selects everything."""

    agent: str | None = None
    session: str | None = None
    since: str | None = None
    until: str | None = None
    decision: str | None = None

    def __call__(self, record: Record) -> bool:
        """Whether ``record`` passes every filter given."""
        if self.agent is not None and str(record.get("agent") or "") != self.agent:
            return False
        if self.session is not None and record.get("session") != self.session:
            return False
        ts = str(record.get("ts") or "")
        if self.since is not None and ts < self.since:
            return False
        if self.until is not None and ts > self.until:
            return False
        return self.decision is None or self.decision in outcomes(record)

    def apply(self, stream: Iterable[Record]) -> Iterator[Record]:
        """The records of ``stream`` that pass."""
        return (r for r in stream if self(r))


def follow(path: str, poll: float = 0.25, stop: float | None = None) -> Iterator[Record]:
    """Records appended to the log at ``path`` from now on, as they arrive.

    The file is opened (at its end) before this returns, so a record appended after the
    call is never missed. Survives rotation (the hook renames the file under its lock and
    starts a new one): when the path names another file, the rest of the old one is read,
    then the new one from its start. ``stop`` (seconds) ends the stream, for tests; by
    default it never ends.
    """
    fh: TextIO | None = None  # no log yet: the first one the hook writes is read whole
    try:
        opened = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        pass
    else:
        opened.seek(0, os.SEEK_END)
        fh = opened
    return _follow(path, fh, poll, None if stop is None else time.monotonic() + stop)


def _follow(path: str, fh: TextIO | None, poll: float, deadline: float | None) -> Iterator[Record]:
    pending = ""
    try:
        while deadline is None or time.monotonic() < deadline:
            if fh is None:
                try:
                    fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
                except FileNotFoundError:
                    time.sleep(poll)
                    continue
            chunk = fh.read()
            if chunk:
                pending += chunk
                *lines, pending = pending.split("\n")
                for line in lines:
                    record = log.parse_line(line)
                    if record is not None:
                        yield record
                continue
            try:
                rotated = os.stat(path).st_ino != os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                rotated = False
            if rotated:
                fh.close()
                fh = None
                pending = ""
                continue
            time.sleep(poll)
    finally:
        if fh is not None:
            fh.close()
