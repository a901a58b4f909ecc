"""Counts and small records per (session, agent, key), shared by concurrent hook processes.

Hot path: standard library only. Several hook processes run at once (parallel tool
calls, a Stop hook racing a PostToolUse), so every read-modify-write happens under an
exclusive ``flock`` and every write is a whole new file moved into place:

- exact: increments are serialised by the lock, none is lost;
- crash-safe: the record is replaced with ``os.replace``, which is atomic, so a process
  killed at any point leaves either the old record or the new one, never a torn file;
  the kernel drops its ``flock`` when it dies, so no lock goes stale;
- O(1): one small file per key; a call opens the lock, the record and the temp file
  of its own key only, whatever the number of keys or increments before it.

On-disk layout, under the state folder ``home`` (``agentguard.state.home.home(...)``)::

    <home>/counters/<session>/<agent>/<key>.json   the record (compact JSON object)
    <home>/counters/<session>/<agent>/<key>.lock   lock target; never replaced or removed
    <home>/counters/<session>/<agent>/<key>.tmp    the next record while it is written

Each of ``<session>``, ``<agent>`` and ``<key>`` is a readable prefix of the name (at
most 24 characters from ``[A-Za-z0-9_.-]``, others replaced by ``_``, no leading dot)
plus ``-`` and 16 hex characters of the name's sha256, so that any string is a safe,
distinct file name (``../x``, ``a/b``, NUL bytes, 10 kB names, names differing only in
case). A record holds ``count``, ``first`` and ``last`` (seconds since the epoch),
``session``, ``agent`` and ``key`` (the original names, for ``logs loops``), plus any
field that ``update_record`` callers add.

Records are not fsynced: the threat is a killed hook process, not a power cut, and an
fsync per hook call costs milliseconds on real disks. A record found unreadable (only a
power cut can cause that) counts as empty.
"""

from __future__ import annotations

import fcntl
import os
import time

from agentguard import wirejson

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from hashlib import sha256
    from typing import Any

    Record = dict[str, Any]
else:
    # ``hashlib`` loads OpenSSL (~2.5 ms here); the builtin module costs ~0.2 ms.
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12 renamed it
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

FOLDER = "counters"
_PREFIX_CHARS = 24
_HASH_CHARS = 16
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_RESERVED = ("count", "first", "last", "session", "agent", "key")


def safe_name(name: str) -> str:
    """A file name for any string: a readable prefix plus a hash of the whole string."""
    prefix = "".join(c if c in _SAFE else "_" for c in name[:_PREFIX_CHARS])
    if prefix.startswith("."):
        prefix = "_" + prefix[1:]
    digest = sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    return f"{prefix}-{digest}"


def record_base(home: str, session: str, agent: str, key: str) -> str:
    """The path of a key's files without their extension (``.json``, ``.lock``, ``.tmp``)."""
    return os.path.join(home, FOLDER, safe_name(session), safe_name(agent), safe_name(key))


def _read(path: str) -> Record:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return {}
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    try:
        record = wirejson.loads(b"".join(chunks))
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _store(base: str, record: Record) -> None:
    data = wirejson.dumps(record, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # A fixed temp name is safe: only the lock holder writes it, and O_TRUNC discards
    # whatever a writer killed mid-write left behind.
    tmp = base + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        _write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, base + ".json")


def _lock(base: str) -> int:
    path = base + ".lock"
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _count(record: Record) -> int:
    value = record.get("count", 0)
    # bool is an int; a hand-edited or foreign record must not count as 1.
    return value if type(value) is int else 0


def read_record(home: str, session: str, agent: str, key: str) -> Record:
    """The record of a key (``{}`` when there is none); a consistent snapshot, no lock."""
    return _read(record_base(home, session, agent, key) + ".json")


def update_record(
    home: str,
    session: str,
    agent: str,
    key: str,
    fn: Callable[[Record], Record],
    now: float | None = None,
) -> Record:
    """Atomically apply ``fn`` to a key's record and store what it returns.

    ``fn`` gets a fresh dict (``{}`` for a new key) and returns the new record; it runs
    under the key's lock, so it must be quick and must not update the same key. If it
    raises, nothing is written. ``first`` is set on creation and ``last`` on every call
    (``now``, default the current time); ``session``, ``agent`` and ``key`` are filled
    in. Returns the stored record.
    """
    stamp = time.time() if now is None else now
    base = record_base(home, session, agent, key)
    fd = _lock(base)
    try:
        old = _read(base + ".json")
        new = fn(dict(old))
        if not isinstance(new, dict):
            raise TypeError(
                f"agentguard.state.records.update_record({key!r}): the update function returned "
                f"{type(new).__name__}; return the new record as a dict"
            )
        new.setdefault("first", old.get("first", stamp))
        new["last"] = stamp
        new.setdefault("session", session)
        new.setdefault("agent", agent)
        new.setdefault("key", key)
        _store(base, new)
        return new
    finally:
        os.close(fd)


def increment(home: str, session: str, agent: str, key: str, now: float | None = None) -> int:
    """Add one to a key's count and return the new count."""

    def bump(record: Record) -> Record:
        record["count"] = _count(record) + 1
        return record

    return _count(update_record(home, session, agent, key, bump, now))


def get(home: str, session: str, agent: str, key: str) -> int:
    """The current count of a key (0 when it has none)."""
    return _count(read_record(home, session, agent, key))


def reset(home: str, session: str, agent: str, key: str) -> None:
    """Forget a key's record (its count starts again from 0)."""
    base = record_base(home, session, agent, key)
    if not os.path.isdir(os.path.dirname(base)):
        return
    fd = _lock(base)
    try:
        # Not contextlib.suppress: the hook path avoids imports it may not need.
        try:  # noqa: SIM105
            os.unlink(base + ".json")
        except FileNotFoundError:
            pass
    finally:
        # The lock file stays: removing it would let a waiter lock an orphaned inode
        # while a newcomer locks a fresh one.
        os.close(fd)


def iter_records(home: str, session: str | None = None) -> Iterator[Record]:
    """Every stored record (of one session, if given). Cold path: walks the folder."""
    root = os.path.join(home, FOLDER)
    if session is not None:
        root = os.path.join(root, safe_name(session))
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".json"):
                record = _read(os.path.join(folder, name))
                if record:
                    yield record
