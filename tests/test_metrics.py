"""``agentguard metrics``: cost per merged change from real merges and the decision log."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from world import INTEGRATION_BRANCH, World, build_world, git, write

from agentguard.commands import metrics as command
from agentguard.state import log

SEARCH = "agent/blog-search-ui"
METADATA = "agent/metadata-filter-contract"
REVIEW = "agent/blog-render-verifier"


def _ts(minutes_ago: float) -> str:
    moment = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _records(world: World) -> list[dict[str, Any]]:
    """Search: an ask (approved), a deny, a failing check twice, a blocked Stop; metadata's
    records are from before the hook logged branches; review never merges."""
    transcript = world.root / "search.jsonl"
    transcript.write_text(
        json.dumps({"type": "user", "message": {"role": "user", "content": "go"}})
        + "\n"
        + json.dumps(
            {"type": "assistant", "message": {"role": "assistant", "model": "claude-opus-4-8"}}
        )
        + "\n"
    )
    base = {"version": "0.1.0", "identity": "branch"}
    search = {**base, "agent": "search", "branch": SEARCH, "session": "s1"}
    failure = {"event": "PostToolUseFailure", "tool": "Bash", "failure": True}
    return [
        {
            **search,
            "ts": _ts(90),
            "event": "PreToolUse",
            "tool": "Bash",
            "output": "ask",
            "answer": "approved",
        },
        {**search, "ts": _ts(89), "event": "PreToolUse", "tool": "Edit", "output": "deny"},
        {
            **search,
            "ts": _ts(88),
            **failure,
            "signature": "ab",
            "count": 1,
            "checks": {"search-filter": "failed"},
        },
        {
            **search,
            "ts": _ts(87),
            **failure,
            "signature": "ab",
            "count": 2,
            "checks": {"search-filter": "failed"},
        },
        {
            **search,
            "ts": _ts(86),
            "event": "Stop",
            "gate": "blocked",
            "transcript": str(transcript),
        },
        {
            **base,
            "agent": "metadata",
            "session": "s2",
            "ts": _ts(60),
            "event": "PreToolUse",
            "output": "deny",
        },
        {
            **base,
            "agent": "review",
            "branch": REVIEW,
            "session": "s3",
            "ts": _ts(30),
            "event": "PreToolUse",
            "output": "ask",
        },
    ]


@pytest.fixture
def merged(tmp_path: Path) -> tuple[World, Path]:
    """Search and metadata merged into the integration branch (metadata's branch deleted
    after), review still open, the integration branch merged into main; the log."""
    world = build_world(tmp_path / "w")
    write(world.search, "src/pages/blog/index.astro", "<search />\n")
    write(world.search, "src/components/search/Box.astro", "<box />\n")
    git(world.search, "add", "src/pages/blog/index.astro", "src/components/search/Box.astro")
    git(world.search, "commit", "-q", "-m", "search")
    write(world.metadata, "src/content/config.ts", "export const x = 1;\n")
    git(world.metadata, "commit", "-q", "-am", "metadata")
    write(world.review, "tests/render.test.mjs", "ok\n")
    git(world.review, "add", "tests")
    git(world.review, "commit", "-q", "-m", "review, not merged")
    for branch in (SEARCH, METADATA):
        git(world.repo, "merge", "-q", "--no-ff", branch, "-m", f"Merge branch '{branch}'")
    git(world.repo, "worktree", "remove", "--force", str(world.metadata))
    git(world.repo, "branch", "-q", "-D", METADATA)
    git(world.repo, "checkout", "-q", "main")
    git(world.repo, "merge", "-q", "--no-ff", INTEGRATION_BRANCH, "-m", "Merge integration")
    git(world.repo, "checkout", "-q", INTEGRATION_BRANCH)
    home = tmp_path / "state"
    for record in _records(world):
        log.append(str(home), record)
    return world, home


def _run(
    merged: tuple[World, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
) -> str:
    world, home = merged
    monkeypatch.chdir(world.repo)
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    assert command.main(["--home", str(home), *argv]) == 0
    return capsys.readouterr().out


def test_one_row_per_agent_branch(
    merged: tuple[World, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Merged branches (one deleted after its merge) and the open one, each with its cost."""
    result = json.loads(_run(merged, monkeypatch, capsys, "--format", "json"))
    assert result["into"] == INTEGRATION_BRANCH
    rows = {row["branch"]: row for row in result["branches"]}
    assert set(rows) == {SEARCH, METADATA, REVIEW}
    search = rows[SEARCH]
    assert (search["merged"], search["agent"], search["model"]) == (
        True,
        "search",
        "claude-opus-4-8",
    )
    assert (search["asks"], search["approvals"], search["denials"]) == (1, 1, 1)
    assert (search["failed_checks"], search["loops"], search["stop_blocks"]) == (2, 1, 1)
    assert sorted(search["files"]) == [
        "src/components/search/Box.astro",
        "src/pages/blog/index.astro",
    ]
    assert 85 * 60 < search["elapsed_s"] < 95 * 60  # first call 90 minutes before the merge
    metadata = rows[METADATA]  # its branch is gone; its merge subject still names it
    assert (metadata["merged"], metadata["agent"], metadata["denials"]) == (True, "metadata", 1)
    assert metadata["files"] == ["src/content/config.ts"]
    review = rows[REVIEW]
    assert (review["merged"], review["status"]) == (False, "open (charged to its task)")
    assert review["asks"] == 1 and review["files"] == ["tests/render.test.mjs"]
    (integration,) = result["integration"]
    assert (integration["branch"], integration["into"], integration["merged"]) == (
        INTEGRATION_BRANCH,
        "main",
        True,
    )


def test_totals_per_merged_change(
    merged: tuple[World, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """By agent and by model, with what one merged change cost on average; open ones apart."""
    result = json.loads(_run(merged, monkeypatch, capsys, "--format", "json"))
    by_model = result["by_model"]
    assert by_model["claude-opus-4-8"]["per_merged_change"]["interventions"] == 1
    assert by_model["unknown"]["merged"] == 1 and by_model["unknown"]["branches"] == 2
    assert result["by_agent"]["review"]["per_merged_change"] is None


def test_text_and_csv(
    merged: tuple[World, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text tables fit 80 columns; CSV has one row per branch with a header."""
    text = _run(merged, monkeypatch, capsys)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "open" in text and "per merged change, by model:" in text
    rows = list(csv.DictReader(io.StringIO(_run(merged, monkeypatch, capsys, "--format", "csv"))))
    assert {r["branch"] for r in rows} == {SEARCH, METADATA, REVIEW, INTEGRATION_BRANCH}
    assert next(r for r in rows if r["branch"] == SEARCH)["denials"] == "1"


def test_outside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not in git: exit 2 with the reason, no traceback."""
    monkeypatch.chdir(tmp_path)
    assert command.main(["--home", str(tmp_path / "s")]) == 2
    assert "agentguard metrics:" in capsys.readouterr().err
