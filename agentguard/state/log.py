"""The decision log: one JSON line per hook call, safe under concurrent hooks. Hot path.

Claude Code starts every matching hook at once, and parallel tool calls run
their hooks at once too, so many processes append to one file. Each line goes
out in a single ``write`` on an ``O_APPEND`` descriptor while holding an
exclusive ``flock``; rotation happens under the same lock, and a writer that
finds the file rotated under it reopens before writing, so no line is torn,
interleaved or left in a rotated file by mistake. An append that fails part-way (disk
full, a short write followed by an error) is cut back to the size the file had before
it, still under the lock, so that no fragment glues itself to the next record.
"""

from __future__ import annotations

import fcntl
import os

from agentguard import wirejson

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

LOG_NAME = "decisions.jsonl"
MAX_BYTES = 20 * 1024 * 1024
KEEP = 5


def log_dir(home: str) -> str:
    """The folder holding the decision logs."""
    return os.path.join(home, "logs")


def log_path(home: str) -> str:
    """The current decision log file."""
    return os.path.join(log_dir(home), LOG_NAME)


def _rotate(path: str) -> None:
    for i in range(KEEP - 1, 0, -1):
        older = f"{path}.{i}"
        if os.path.exists(older):
            os.replace(older, f"{path}.{i + 1}")
    os.replace(path, f"{path}.1")


def append(
    home: str, record: dict[str, Any], max_bytes: int = MAX_BYTES, secrets: Sequence[str] = ()
) -> None:
    """Append ``record`` as one line to the log under ``home``; raise OSError on failure.

    Every value in ``secrets`` (the hook environment's credentials) is redacted first.
    """
    text = wirejson.dumps(record, separators=(",", ":"), default_str=True)
    if secrets:
        from agentguard.redact import scrub_line

        text = scrub_line(text, secrets)
    line = (text + "\n").encode("utf-8")
    path = log_path(home)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for _ in range(5):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue  # rotated between open and lock: reopen the new file
            mine = os.fstat(fd)
            if (mine.st_ino, mine.st_dev) != (current.st_ino, current.st_dev):
                continue
            if mine.st_size and mine.st_size + len(line) > max_bytes:
                _rotate(path)
                continue
            view = memoryview(line)
            try:
                while view:
                    view = view[os.write(fd, view) :]
            except BaseException:
                # Only lock holders write, so the size seen under the lock is where this
                # record began: cutting back there leaves whole lines only.
                try:  # noqa: SIM105 - contextlib costs an import on the hot path
                    os.ftruncate(fd, mine.st_size)
                except OSError:
                    pass
                raise
            return
        finally:
            os.close(fd)  # closing releases the lock
    raise OSError(f"could not append to {path}: it kept rotating under us")


def parse_line(line: str) -> dict[str, Any] | None:
    """One log line as a record, or None for a torn or foreign line (cold-path readers)."""
    try:
        value = wirejson.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def files(home: str, include_rotated: bool = True) -> list[str]:
    """The log files under ``home`` that exist, oldest first (rotated copies, then current)."""
    path = log_path(home)
    older = [f"{path}.{i}" for i in range(KEEP, 0, -1)] if include_rotated else []
    return [f for f in (*older, path) if os.path.isfile(f)]


def read(home: str, include_rotated: bool = True) -> list[dict[str, Any]]:
    """Every parseable record, oldest first (cold path helper; tolerant of a torn tail)."""
    out: list[dict[str, Any]] = []
    for file in files(home, include_rotated):
        try:
            with open(file, encoding="utf-8") as fh:
                out += [r for r in map(parse_line, fh) if r is not None]
        except OSError:
            continue
    return out
