"""``agentguard logs``: sessions, filters, shipped logs, tail, formats and the evidence block."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_loops import Guard

from agentguard.commands import logs
from agentguard.errors import LogReadError
from agentguard.observe import logread, views
from agentguard.state import log

ERROR = "Exit code 1\nFAILED tests/test_a.py::test_b - assert {n} == 0"


@pytest.fixture
def two(tmp_path: Path) -> Guard:
    """Agent dev: session sess-1 loops on ``npm test`` and stops blocked; sess-2 is denied."""
    guard = Guard(tmp_path)
    guard.write("src/a.ts")
    for n in (1, 2, 3):
        guard.fail("npm test", ERROR.format(n=n))
    guard.pre("npm test")  # the loop ask
    guard.call("Stop")  # blocked: unit not run
    guard.session = "sess-2"
    guard.pre("git push --force origin main")
    guard.ok("ls")
    return guard


def _run(capsys: pytest.CaptureFixture[str], guard: Guard, *argv: str) -> tuple[int, str, str]:
    code = logs.main(["--home", str(guard.home), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _record(ts: str, **fields: Any) -> dict[str, Any]:
    return {"ts": ts, "event": "PreToolUse", "session": "s", "agent": "a", **fields}


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")


def test_sessions_one_row_per_session(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """Each session with its agent, worktree, counts and how its last Stop ended."""
    code, out, _ = _run(capsys, two, "sessions", "--format", "json")
    assert code == 0
    rows = {row["session"]: row for row in json.loads(out)}
    assert set(rows) == {"sess-1", "sess-2"}
    first, second = rows["sess-1"], rows["sess-2"]
    assert (first["agent"], first["ask"], first["stop"]) == ("dev", 1, "blocked")
    assert first["loops"] >= 1 and first["worktree"] == str(two.root)
    assert (second["deny"] + second["ask"], second["stop"]) == (1, "")
    assert first["calls"] + second["calls"] == len(two.records())


def test_every_text_view_fits_80_columns(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """sessions, summary, loops, timeline and tail print lines of at most 80 characters."""
    for view in ("sessions", "summary", "loops", "timeline", "tail"):
        extra = ["--no-follow"] if view == "tail" else []
        code, out, _ = _run(capsys, two, view, *extra, "--session", "sess-1")
        assert code == 0, view
        assert out.strip(), view
        assert max(len(line) for line in out.splitlines()) <= 80, view


def test_every_view_speaks_json(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format json`` prints JSON on every view (tail: one object per line)."""
    for view in ("sessions", "summary", "loops", "timeline", "evidence"):
        code, out, _ = _run(capsys, two, view, "--format", "json", "--agent", "dev")
        assert code == 0, view
        json.loads(out)
    code, out, _ = _run(capsys, two, "tail", "--no-follow", "--format", "json", "-n", "3")
    assert [json.loads(line)["session"] for line in out.splitlines()] == ["sess-2"] * 3


def test_filters_apply_to_every_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--agent, --session, --since, --until and --decision select the same records."""
    path = tmp_path / "decisions.jsonl"
    _write(
        path,
        [
            _record(
                "2026-12-01T10:00:00.000Z", agent="a", session="s1", output="deny", decision="deny"
            ),
            _record(
                "2026-12-01T11:00:00.000Z", agent="a", session="s1", output="ask", decision="ask"
            ),
            _record(
                "2026-12-02T09:00:00.000Z",
                agent="b",
                session="s2",
                output="allow",
                decision="allow",
            ),
            _record(
                "2026-12-02T10:00:00.000Z", event="Stop", agent="b", session="s2", gate="blocked"
            ),
        ],
    )

    def sessions(*argv: str) -> list[tuple[str, int]]:
        code = logs.main(["sessions", "--log", str(path), "--format", "json", *argv])
        assert code == 0
        return [(r["session"], r["calls"]) for r in json.loads(capsys.readouterr().out)]

    assert sessions() == [("s1", 2), ("s2", 2)]
    assert sessions("--agent", "b") == [("s2", 2)]
    assert sessions("--session", "s1") == [("s1", 2)]
    assert sessions("--since", "2026-12-02") == [("s2", 2)]
    assert sessions("--until", "2026-12-01T10:30Z") == [("s1", 1)]
    assert sessions("--decision", "deny") == [("s1", 1)]
    assert sessions("--decision", "blocked") == [("s2", 1)]
    assert sessions("--decision", "none") == []  # every judged call here spoke
    code = logs.main(["summary", "--log", str(path), "--format", "json", "--decision", "ask"])
    assert code == 0 and json.loads(capsys.readouterr().out)["a"]["ask"] == 1


def test_relative_and_bad_times() -> None:
    """Ages count back from now; an ISO time without offset is UTC; nonsense is refused."""
    now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    assert logread.parse_time("2h", now=now) == "2027-01-15T06:00:00.000Z"
    assert logread.parse_time("3d", now=now) == "2027-01-12T08:00:00.000Z"
    assert logread.parse_time("2026-12-02T14:30") == "2026-12-02T14:30:00.000Z"
    assert logread.parse_time("2026-12-02T16:30+02:00") == "2026-12-02T14:30:00.000Z"
    with pytest.raises(LogReadError, match="give an age such as 30m"):
        logread.parse_time("yesterday")


def test_a_bad_filter_exits_2_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A time that does not parse, or a --log that names nothing: exit 2, say what to give."""
    assert logs.main(["--home", str(tmp_path), "summary", "--since", "soon"]) == 2
    assert "give an age such as 30m" in capsys.readouterr().err
    assert logs.main(["summary", "--log", str(tmp_path / "nothing*.jsonl")]) == 2
    assert "no decision log there" in capsys.readouterr().err


def test_logs_shipped_from_many_machines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder of machines' logs (rotated copies included) and a glob read as one log."""
    shipped = tmp_path / "shipped"
    _write(shipped / "host-a" / "decisions.jsonl.1", [_record("2026-12-01T10:00:00.000Z")])
    _write(shipped / "host-a" / "decisions.jsonl", [_record("2026-12-01T12:00:00.000Z")])
    _write(
        shipped / "host-b" / "decisions.jsonl",
        [_record("2026-12-01T11:00:00.000Z", agent="b", session="t")],
    )
    (shipped / "host-b" / "notes.txt").write_text("not a log")
    files = logread.sources("unused", [str(shipped)])
    assert [Path(f).relative_to(shipped).as_posix() for f in files] == [
        "host-a/decisions.jsonl.1",
        "host-a/decisions.jsonl",
        "host-b/decisions.jsonl",
    ]
    assert logs.main(["summary", "--log", str(shipped / "*" / "*.jsonl"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert (rows["a"]["calls"], rows["b"]["calls"]) == (1, 1)  # the glob took no .jsonl.1
    assert logs.main(["timeline", "--log", str(shipped), "--session", "s", "--format", "json"]) == 0
    times = [r["ts"] for r in json.loads(capsys.readouterr().out)]
    assert times == ["2026-12-01T10:00:00.000Z", "2026-12-01T12:00:00.000Z"]


def test_records_stream_a_line_at_a_time(tmp_path: Path) -> None:
    """The reader yields the first record before it has read the rest of the file."""
    path = tmp_path / "decisions.jsonl"
    _write(path, [_record("2026-12-01T10:00:00.000Z", n=1)])
    stream = logread.records([str(path)])
    assert next(stream)["n"] == 1
    with path.open("a", encoding="utf-8") as fh:  # written after the first record was read
        fh.write("torn {\n" + json.dumps(_record("2026-12-01T10:00:01.000Z", n=2)) + "\n")
    assert [r["n"] for r in stream] == [2]


def test_follow_sees_new_records_across_rotation(tmp_path: Path) -> None:
    """``tail`` follows appends by other processes, through the hook's own rotation."""
    home = str(tmp_path / "state")
    log.append(home, _record("2026-12-01T10:00:00.000Z", n=0))
    seen: list[int] = []

    def reader() -> None:
        for record in logread.follow(log.log_path(home), poll=0.02, stop=5):
            seen.append(int(record["n"]))
            if len(seen) == 6:
                return

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.3)  # the reader starts at the end: record 0 is history, not news
    for n in range(1, 7):
        # A small cap rotates the file on every other append, as a busy log does at 20 MB.
        log.append(home, _record("2026-12-01T10:00:00.000Z", n=n, pad="x" * 200), max_bytes=600)
        time.sleep(0.1)
    thread.join(10)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert os.path.exists(log.log_path(home) + ".1")  # it did rotate


def test_tail_prints_the_last_calls_then_follows(two: Guard) -> None:
    """``logs tail`` in its own process: the last calls, then one line per new call."""
    env = {**os.environ, "AGENTGUARD_HOME": str(two.home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentguard", "logs", "tail", "-n", "2", "--for", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = [proc.stdout.readline(), proc.stdout.readline()]
    assert all("sess-2" not in line and line.strip() for line in first)
    assert "$ ls" in first[-1]
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("following ")  # from here on, appends are news
    two.session = "sess-3"
    two.ok("git status --short")
    news = [proc.stdout.readline(), proc.stdout.readline()]
    proc.kill()
    proc.communicate()
    assert all("$ git status --short" in line for line in news)
    assert [line.split()[1] for line in news] == ["pre", "post"]


def test_evidence_lists_the_branch_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The block names the files the branch changed since its base, beside the commands."""
    guard = Guard(tmp_path)
    root = str(guard.root)

    def git(*argv: str) -> None:
        subprocess.run(["git", "-C", root, *argv], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "a")
    git("checkout", "-q", "-b", "dev")
    (guard.root / "src").mkdir()
    (guard.root / "src" / "a.ts").write_text("x")
    git("add", "src/a.ts")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "b")
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    monkeypatch.chdir(root)
    monkeypatch.setenv("AGENTGUARD_POLICY", guard.env["AGENTGUARD_POLICY"])
    code, out, _ = _run(capsys, guard, "evidence", "--agent", "dev")
    assert code == 0
    assert "**Files changed** (on dev since main" in out
    assert "- `src/a.ts`" in out
    assert "- `agentguard.yaml`" not in out  # uncommitted: counted, not listed
    assert "uncommitted changes not listed" in out


def test_evidence_covers_several_sessions(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """``--all-sessions``: one block over every session of the agent."""
    code, out, _ = _run(capsys, two, "evidence", "--agent", "dev", "--all-sessions")
    assert code == 0
    assert "2 sessions (`sess-1`, `sess-2`)" in out
    assert "git push --force origin main" in out and "npm test" in out
    code, out, _ = _run(capsys, two, "evidence", "--agent", "dev")
    assert "session `sess-2`" in out and "npm test" not in out  # the latest only


def test_evidence_with_no_calls_says_so(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """No calls for the agent: the block itself says it proves nothing, and exits 1."""
    code, out, err = _run(capsys, two, "evidence", "--agent", "nobody")
    assert code == 1
    assert "**no guarded calls were recorded**, so this block proves nothing" in out
    assert "no guarded calls for agent 'nobody'" in err


def test_a_closed_pipe_is_quiet(two: Guard) -> None:
    """``agentguard logs … | head``: no traceback when the reader stops early."""
    pad = "x" * 400  # well past a pipe's 64 KiB buffer, so the writer meets the closed end
    with open(log.log_path(str(two.home)), "a", encoding="utf-8") as fh:
        for n in range(2000):
            fh.write(json.dumps(_record(f"2026-12-01T10:00:{n % 60:02d}.000Z", pad=pad)) + "\n")
    env = {**os.environ, "AGENTGUARD_HOME": str(two.home)}
    done = subprocess.run(
        f"{sys.executable} -m agentguard logs tail --no-follow -n 2000 --format json | head -1",
        shell=True,
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    assert len(done.stdout.splitlines()) == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_loop_episodes_stream() -> None:
    """An episode is reported when it ends, before the rest of the log is read."""
    consumed: list[int] = []

    def failures() -> Any:
        for n, count in enumerate((1, 2, 3, 1, 2, 1, 2, 3, 4)):
            consumed.append(n)
            yield {
                "ts": f"2026-12-01T10:00:0{n}.000Z",
                "event": "PostToolUseFailure",
                "session": "s",
                "agent": "a",
                "failure": True,
                "signature": "sig",
                "count": count,
            }

    stream = views.iter_loop_episodes(failures())
    position, first = next(stream)
    assert (position, first["count"]) == (0, 3)
    assert consumed == [0, 1, 2, 3]  # the fourth record ended it; nothing more was read
    assert [e["count"] for _, e in stream] == [2, 4]


def test_home_before_or_after_the_view(two: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """``logs --home X summary`` and ``logs summary --home X`` read the same folder."""
    assert logs.main(["--home", str(two.home), "summary", "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert logs.main(["summary", "--home", str(two.home), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == before and before
