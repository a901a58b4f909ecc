"""The decision log under concurrent hook processes, rotation, a full disk and an unwritable
home."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentguard.state import log

# A writer appending small records with a low rotation threshold (8 writers x 60 lines is
# about 190 kB: several rotations, within the 6 files kept), so concurrent writers race
# across rotations.
WRITER = """
import sys
from agentguard.state import log
home, n, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(lines):
    log.append(home, {"writer": n, "i": i, "pad": "x" * (n * 97 % 700)}, max_bytes=60000)
"""


def _event(n: int, cwd: Path) -> bytes:
    return json.dumps(
        {
            "hook_event_name": "PreToolUse",
            "session_id": f"s{n}",
            "cwd": str(cwd),
            "tool_name": "Read",
            "tool_input": {"file_path": f"f{n}.txt"},
        }
    ).encode()


def test_thirty_two_hook_processes_lose_no_line(tmp_path: Path) -> None:
    """32 real hook processes started at once: every line is present and parses."""
    home = tmp_path / "home"
    env = dict(os.environ, AGENTGUARD_HOME=str(home))
    env.pop("AGENTGUARD_POLICY", None)
    # Compile the policy cache first, so all 32 race on the log, not on the compiler.
    subprocess.run(
        [sys.executable, "-m", "agentguard", "hook", "PreToolUse"],
        input=_event(-1, tmp_path),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "agentguard", "hook", "PreToolUse"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        for _ in range(32)
    ]
    # Every process gets its event first; closing all stdins together releases them at
    # once, so the 32 decide and append concurrently (communicate() one by one would not).
    for n, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write(_event(n, tmp_path))
        proc.stdin.flush()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.stdin = None  # closed already: communicate() must not flush it
    for proc in procs:
        proc.communicate(timeout=120)
    assert [p.returncode for p in procs] == [0] * 32
    lines = Path(log.log_path(str(home))).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["session"] for r in records) == sorted(f"s{n}" for n in range(-1, 32))
    assert all(r["event"] == "PreToolUse" and "latency_ms" in r for r in records)


def test_concurrent_appends_across_rotations_keep_every_line(tmp_path: Path) -> None:
    """Writers racing across rotations: no line torn, lost or duplicated."""
    home = str(tmp_path / "home")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, home, str(n), "60"]) for n in range(8)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    seen = [(r["writer"], r["i"]) for r in log.read(home)]
    assert sorted(seen) == sorted((n, i) for n in range(8) for i in range(60))
    assert Path(log.log_path(home) + ".1").exists()


def test_rotation_moves_full_file_aside(tmp_path: Path) -> None:
    """A log past its size limit rotates to .1 and the newest lines stay readable in order."""
    home = str(tmp_path)
    for i in range(30):
        log.append(home, {"i": i, "pad": "y" * 100}, max_bytes=1000)
    current = Path(log.log_path(home))
    assert current.stat().st_size <= 1000
    assert Path(f"{current}.1").exists()
    assert [r["i"] for r in log.read(home)][-5:] == [25, 26, 27, 28, 29]


def test_unwritable_home_is_reported_not_fatal(tmp_path: Path) -> None:
    """The hook still answers when the log cannot be written, and says why on stderr."""
    blocker = tmp_path / "home"
    blocker.write_text("a file where the state folder should be")
    env = dict(os.environ, AGENTGUARD_HOME=str(blocker))
    env.pop("AGENTGUARD_POLICY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "agentguard", "hook", "PreToolUse"],
        input=_event(0, tmp_path),
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0
    assert b"could not write the decision log" in proc.stderr
    assert b"Traceback" not in proc.stderr


def _failing_write(monkeypatch: pytest.MonkeyPatch, error: int) -> None:
    """The next write to the log writes half its bytes; the one after raises ``error``."""
    real = os.write
    calls: list[int] = []

    def write(fd: int, data: bytes | memoryview) -> int:
        if not os.readlink(f"/proc/self/fd/{fd}").endswith(log.LOG_NAME):
            return real(fd, data)
        calls.append(fd)
        if len(calls) == 1:
            return real(fd, bytes(data[: len(data) // 2]))
        monkeypatch.setattr(os, "write", real)
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize(
    "error", [errno.ENOSPC, errno.EDQUOT, errno.EIO], ids=["ENOSPC", "EDQUOT", "EIO"]
)
def test_a_failed_append_leaves_no_fragment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    """A short write then an error is cut back: the next record starts on a fresh line."""
    home = str(tmp_path)
    log.append(home, {"i": 0})
    before = Path(log.log_path(home)).read_bytes()
    _failing_write(monkeypatch, error)
    with pytest.raises(OSError) as raised:
        log.append(home, {"i": 1, "pad": "z" * 5000})
    assert raised.value.errno == error
    assert Path(log.log_path(home)).read_bytes() == before
    log.append(home, {"i": 2})
    lines = Path(log.log_path(home)).read_text().splitlines()
    assert [json.loads(line)["i"] for line in lines] == [0, 2]


def test_a_failed_append_through_the_hook_keeps_the_log_parseable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full while the hook logs: the hook still answers; every line left parses."""
    import io

    from agentguard.hook import run as hook

    env = {"AGENTGUARD_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}
    for n in range(3):
        if n == 1:
            _failing_write(monkeypatch, errno.ENOSPC)
        out = io.StringIO()
        assert hook.main(["PreToolUse"], io.StringIO(_event(n, tmp_path).decode()), out, env) == 0
    lines = Path(log.log_path(str(tmp_path / "home"))).read_text().splitlines()
    assert len(lines) == 2
    assert all(isinstance(json.loads(line), dict) for line in lines)
