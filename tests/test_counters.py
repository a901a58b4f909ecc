"""Counts per (session, agent, key): exact, crash-safe, O(1), safe file names."""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentguard.state import records as counters

ROOT = str(Path(__file__).resolve().parent.parent)

# Waits for the go file so that all workers start incrementing together.
WORKER = r"""
import os, sys, time
from agentguard.state import records as counters
home, go, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
open(go + "." + str(os.getpid()), "w").close()
while not os.path.exists(go):
    time.sleep(0.002)
for _ in range(n):
    print(counters.increment(home, "sess", "agent", "sig"), flush=True)
"""

# Increments once, stopping forever at ``phase`` after touching the marker file.
CRASHER = r"""
import os, sys, time
from agentguard.state import records as counters
home, marker, phase = sys.argv[1], sys.argv[2], sys.argv[3]

def stop():
    open(marker, "w").close()
    time.sleep(120)

if phase == "locked":
    real_read = counters._read
    def _read(path):
        stop()
        return real_read(path)
    counters._read = _read
elif phase == "mid_write":
    real_write = counters._write
    def _write(fd, data):
        real_write(fd, data[: len(data) // 2])
        stop()
    counters._write = _write
elif phase == "after_replace":
    real_store = counters._store
    def _store(base, record):
        real_store(base, record)
        stop()
    counters._store = _store
counters.increment(home, "sess", "agent", "sig")
"""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child exited early: {proc.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"child never reached {path.name}")
        time.sleep(0.005)


def _increment_in_child(home: str) -> int:
    """Increment from a fresh process, failing (not hanging) if the lock were stale."""
    code = "import sys; from agentguard.state import records as counters; "
    code += "print(counters.increment(sys.argv[1], 'sess', 'agent', 'sig'))"
    done = subprocess.run(
        [sys.executable, "-c", code, home],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    return int(done.stdout)


def _lock_is_free(base: str) -> bool:
    fd = os.open(base + ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_increment_get_reset(tmp_path: Path) -> None:
    """Counts start at 1, are read back, and start again after a reset."""
    home = str(tmp_path)
    assert counters.get(home, "s", "a", "k") == 0
    assert [counters.increment(home, "s", "a", "k") for _ in range(3)] == [1, 2, 3]
    assert counters.get(home, "s", "a", "k") == 3
    counters.reset(home, "s", "a", "k")
    assert counters.get(home, "s", "a", "k") == 0
    assert counters.read_record(home, "s", "a", "k") == {}
    assert counters.increment(home, "s", "a", "k") == 1


def test_reset_of_unknown_key_creates_nothing(tmp_path: Path) -> None:
    """Resetting a key that never counted neither fails nor creates folders."""
    counters.reset(str(tmp_path), "s", "a", "k")
    assert list(tmp_path.iterdir()) == []


def test_keys_sessions_and_agents_are_isolated(tmp_path: Path) -> None:
    """A count belongs to exactly one (session, agent, key)."""
    home = str(tmp_path)
    counters.increment(home, "s1", "a", "k")
    counters.increment(home, "s1", "a", "k")
    counters.increment(home, "s2", "a", "k")
    counters.increment(home, "s1", "b", "k")
    counters.increment(home, "s1", "a", "k2")
    assert [
        counters.get(home, "s1", "a", "k"),
        counters.get(home, "s2", "a", "k"),
        counters.get(home, "s1", "b", "k"),
        counters.get(home, "s1", "a", "k2"),
        counters.get(home, "s2", "b", "k2"),
    ] == [2, 1, 1, 1, 0]


def test_record_has_first_and_last_seen_and_names(tmp_path: Path) -> None:
    """The record keeps the first and last time and the original names."""
    home = str(tmp_path)
    counters.increment(home, "sess/1", "agent a", "sig", now=100.0)
    counters.increment(home, "sess/1", "agent a", "sig", now=250.5)
    assert counters.read_record(home, "sess/1", "agent a", "sig") == {
        "count": 2,
        "first": 100.0,
        "last": 250.5,
        "session": "sess/1",
        "agent": "agent a",
        "key": "sig",
    }
    counters.reset(home, "sess/1", "agent a", "sig")
    counters.increment(home, "sess/1", "agent a", "sig", now=300.0)
    assert counters.read_record(home, "sess/1", "agent a", "sig")["first"] == 300.0


def test_update_record_keeps_caller_fields(tmp_path: Path) -> None:
    """Generic records carry the caller's fields, and increments keep them."""
    home = str(tmp_path)

    def block(record: dict[str, object]) -> dict[str, object]:
        blocks = record.get("blocks", {})
        assert isinstance(blocks, dict)
        blocks["checks-missing"] = blocks.get("checks-missing", 0) + 1
        record["blocks"] = blocks
        record["last_edit"] = 42.0
        return record

    counters.update_record(home, "s", "main", "stop", block, now=1.0)
    counters.update_record(home, "s", "main", "stop", block, now=2.0)
    counters.increment(home, "s", "main", "stop", now=3.0)
    record = counters.read_record(home, "s", "main", "stop")
    assert record["blocks"] == {"checks-missing": 2}
    assert record["last_edit"] == 42.0
    assert (record["count"], record["first"], record["last"]) == (1, 1.0, 3.0)


def test_read_record_is_a_copy(tmp_path: Path) -> None:
    """Mutating a read record changes nothing on disk."""
    home = str(tmp_path)
    counters.increment(home, "s", "a", "k")
    counters.read_record(home, "s", "a", "k")["count"] = 99
    assert counters.get(home, "s", "a", "k") == 1


def test_failing_update_writes_nothing_and_releases_the_lock(tmp_path: Path) -> None:
    """An update function that raises or returns garbage leaves the record and lock alone."""
    home = str(tmp_path)
    counters.increment(home, "s", "a", "k")

    def boom(record: dict[str, object]) -> dict[str, object]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        counters.update_record(home, "s", "a", "k", boom)
    with pytest.raises(TypeError, match="return the new record as a dict"):
        counters.update_record(home, "s", "a", "k", lambda record: None)  # type: ignore[arg-type,return-value]
    base = counters.record_base(home, "s", "a", "k")
    assert _lock_is_free(base)
    assert counters.get(home, "s", "a", "k") == 1
    assert counters.increment(home, "s", "a", "k") == 2


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[1, 2]", b'{"count": "7"}', b'{"count": true}', b"\xff\xfe"]
)
def test_unreadable_or_foreign_record_counts_as_empty(tmp_path: Path, content: bytes) -> None:
    """A torn, non-object or mistyped record counts as 0 and is replaced by a valid one."""
    home = str(tmp_path)
    counters.increment(home, "s", "a", "k")
    base = counters.record_base(home, "s", "a", "k")
    Path(base + ".json").write_bytes(content)
    assert counters.get(home, "s", "a", "k") == 0
    assert counters.increment(home, "s", "a", "k") == 1
    assert json.loads(Path(base + ".json").read_bytes())["count"] == 1


HOSTILE_NAMES = [
    "",
    ".",
    "..",
    "../../../etc/passwd",
    "/",
    "a/b",
    "a_b",
    "A",
    "a",
    "a\x00b",
    "ünïcødé 🚀",
    "\ud800",
    "x" * 10_000,
    "x" * 10_001,
    ".hidden",
    "con",
    "-rf",
]


def test_hostile_names_stay_inside_and_stay_distinct(tmp_path: Path) -> None:
    """Any session/agent/key string maps to a distinct file name inside the counters folder."""
    home = str(tmp_path)
    root = os.path.realpath(os.path.join(home, counters.FOLDER))
    bases = set()
    for name in HOSTILE_NAMES:
        base = counters.record_base(home, name, name, name)
        assert os.path.realpath(base).startswith(root + os.sep)
        assert all(len(part.encode()) <= 100 for part in Path(base).relative_to(home).parts)
        assert not Path(base).name.startswith(".")
        bases.add(base)
        assert counters.increment(home, name, name, name) == 1
        record = counters.read_record(home, name, name, name)
        assert (record["session"], record["agent"], record["key"]) == (name, name, name)
    # Case-only differences stay distinct even on a case-insensitive file system.
    assert len({base.lower() for base in bases}) == len(HOSTILE_NAMES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [counters.FOLDER]
    assert len(list(tmp_path.glob("counters/*/*/*.json"))) == len(HOSTILE_NAMES)


def test_safe_name_is_readable_and_stable() -> None:
    """The file name starts with the readable name and ends with a fixed-length hash."""
    name = counters.safe_name("session-1234.abc")
    assert name.startswith("session-1234.abc-")
    assert len(name) == len("session-1234.abc-") + 16
    assert name == counters.safe_name("session-1234.abc")
    assert counters.safe_name("a/b").startswith("a_b-")
    assert counters.safe_name("a/b") != counters.safe_name("a_b")


def test_iter_records_lists_every_record(tmp_path: Path) -> None:
    """The cold path can enumerate records, per session or all."""
    home = str(tmp_path)
    counters.increment(home, "s1", "a", "k1")
    counters.increment(home, "s1", "b", "k2")
    counters.increment(home, "s2", "a", "k1")
    everything = {(r["session"], r["agent"], r["key"]) for r in counters.iter_records(home)}
    assert everything == {("s1", "a", "k1"), ("s1", "b", "k2"), ("s2", "a", "k1")}
    one = {(r["agent"], r["key"]) for r in counters.iter_records(home, "s1")}
    assert one == {("a", "k1"), ("b", "k2")}
    assert list(counters.iter_records(str(tmp_path / "nowhere"))) == []


class _FileSpy:
    """Records every file opened and every folder listed while active."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened: list[str] = []
        self.listed: list[str] = []
        real_open = os.open

        def spy_open(path: str, *args: int) -> int:
            self.opened.append(os.fspath(path))
            return real_open(path, *args)

        def spy_list(*args: object) -> list[str]:
            self.listed.append(repr(args))
            return []

        monkeypatch.setattr(os, "open", spy_open)
        for name in ("listdir", "scandir", "walk"):
            monkeypatch.setattr(os, name, spy_list)
        monkeypatch.setattr("builtins.open", spy_list)


def _size_without_stamp(path: str) -> int:
    """The record's size without its ``last`` timestamp, whose float repr varies in width."""
    with open(path, encoding="utf-8") as fh:
        record = json.load(fh)
    return os.path.getsize(path) - len(json.dumps(record["last"]))


def test_per_call_work_does_not_depend_on_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10,000 other keys and 1,000 increments later, a call opens the same three files."""
    home = str(tmp_path)
    base = counters.record_base(home, "s", "a", "sig")
    counters.increment(home, "s", "a", "sig")

    with monkeypatch.context() as patch:
        spy = _FileSpy(patch)
        counters.increment(home, "s", "a", "sig")
        assert counters.get(home, "s", "a", "sig") == 2
    before = spy.opened
    assert spy.listed == []
    assert before == [base + ".lock", base + ".json", base + ".tmp", base + ".json"]
    size_before = _size_without_stamp(base + ".json")

    for i in range(10_000):
        counters.increment(home, "s", "a", f"other-{i}")
    for _ in range(1_000):
        counters.increment(home, "s", "a", "sig")

    with monkeypatch.context() as patch:
        spy = _FileSpy(patch)
        assert counters.increment(home, "s", "a", "sig") == 1_003
        assert counters.get(home, "s", "a", "sig") == 1_003
    assert spy.listed == []
    assert spy.opened == before
    # The record grows only with the digits of the count.
    assert _size_without_stamp(base + ".json") - size_before <= 3
    assert len(os.listdir(os.path.dirname(base))) == 2 * 10_001


def test_concurrent_processes_count_exactly(tmp_path: Path) -> None:
    """32 processes x 50 increments at once give exactly 1,600, each value handed out once."""
    home = str(tmp_path / "home")
    go = str(tmp_path / "go")
    procs = [_python(WORKER, home, go, "50") for _ in range(32)]
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob("go.*"))) < len(procs):
            assert time.monotonic() < deadline, "workers did not start"
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.01)
        Path(go).touch()
        outputs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert [p.returncode for p in procs] == [0] * 32, [err for _out, err in outputs]
    values = sorted(int(v) for out, _err in outputs for v in out.split())
    assert values == list(range(1, 1601))
    assert counters.get(home, "sess", "agent", "sig") == 1600


@pytest.mark.parametrize(("phase", "kept"), [("locked", 0), ("mid_write", 0), ("after_replace", 1)])
def test_killed_process_loses_only_its_own_increment(tmp_path: Path, phase: str, kept: int) -> None:
    """SIGKILL while holding the lock or mid-write: the record stays valid, no lock goes stale."""
    home = str(tmp_path / "home")
    for _ in range(3):
        counters.increment(home, "sess", "agent", "sig")
    base = counters.record_base(home, "sess", "agent", "sig")
    marker = tmp_path / "marker"
    proc = _python(CRASHER, home, str(marker), phase)
    try:
        _wait_for(marker, proc)
        # The child really holds the lock at the moment it dies.
        assert not _lock_is_free(base)
        if phase == "mid_write":
            partial = Path(base + ".tmp").read_bytes()
            with pytest.raises(ValueError):
                json.loads(partial)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert _lock_is_free(base)
    assert json.loads(Path(base + ".json").read_bytes())["count"] == 3 + kept
    assert counters.get(home, "sess", "agent", "sig") == 3 + kept
    assert _increment_in_child(home) == 4 + kept
    assert counters.increment(home, "sess", "agent", "sig") == 5 + kept
    assert json.loads(Path(base + ".json").read_bytes())["count"] == 5 + kept


def test_random_kill_during_contention(tmp_path: Path) -> None:
    """A worker killed at a random moment loses at most its one unacknowledged increment."""
    home = str(tmp_path / "home")
    go = str(tmp_path / "go")
    procs = [_python(WORKER, home, go, "150") for _ in range(6)]
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob("go.*"))) < len(procs):
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.01)
        Path(go).touch()
        # Kill the first worker somewhere in the middle of its run, not after it.
        victim = procs[0]
        assert victim.stdout is not None
        early = [victim.stdout.readline() for _ in range(random.randint(1, 100))]
        os.kill(victim.pid, signal.SIGKILL)
        # readline() buffered more of the pipe than the lines it returned, and
        # communicate() reads past that buffer: the rest comes from the file object.
        early.append(victim.stdout.read())
        victim.communicate()  # reaps it and closes its pipes
        outputs = [("".join(early), "")] + [p.communicate(timeout=60) for p in procs[1:]]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert procs[0].returncode == -signal.SIGKILL
    assert [p.returncode for p in procs[1:]] == [0] * 5
    acked = [int(v) for out, _err in outputs for v in out.split()]
    assert len(acked) == len(set(acked))
    final = counters.get(home, "sess", "agent", "sig")
    assert final in (len(acked), len(acked) + 1)
    assert _increment_in_child(home) == final + 1


def test_import_stays_light() -> None:
    """Importing the module pulls in neither typing nor hashlib nor dataclasses."""
    code = (
        "import sys, tempfile, agentguard.state.records as c;"
        "c.increment(tempfile.mkdtemp(), 's', 'a', 'k');"
        "print(','.join(m for m in ('typing', 'hashlib', 'dataclasses') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
