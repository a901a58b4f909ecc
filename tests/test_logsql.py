"""``--engine duckdb`` and the Parquet export give the numbers the Python views give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentguard.commands import logs


def _summary(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert logs.main([*argv, "--format", "json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


@pytest.mark.parametrize(
    "filters",
    [
        [],
        ["--agent", "search"],
        ["--session", "demo-loop-search"],
        ["--decision", "deny"],
        ["--decision", "ask"],
        ["--decision", "none"],
        ["--decision", "blocked"],
        ["--since", "2000-01-01", "--until", "2100-01-01"],
        ["--since", "2100-01-01"],
    ],
)
def test_duckdb_summary_equals_python(
    demo_home: Path, capsys: pytest.CaptureFixture[str], filters: list[str]
) -> None:
    """The same counts per agent, with every filter, on a log real hook calls wrote."""
    argv = ["--home", str(demo_home), "summary", *filters]
    python = _summary(capsys, *argv)
    duck = _summary(capsys, *argv, "--engine", "duckdb")
    assert duck == python
    if not filters:
        assert python  # the demo logged calls: the comparison is not of two empty tables


def test_parquet_export_reads_back(
    demo_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export to Parquet, then summarise the Parquet file: the same numbers."""
    out = tmp_path / "log.parquet"
    argv = ["--home", str(demo_home), "export", "--format", "parquet", "--out", str(out)]
    assert logs.main(argv) == 0
    assert "records as parquet" in capsys.readouterr().err
    python = _summary(capsys, "--home", str(demo_home), "summary")
    duck = _summary(capsys, "summary", "--engine", "duckdb", "--log", str(out))
    assert duck == python


def test_parquet_needs_a_file(demo_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Parquet is binary: without --out it is refused, not printed."""
    assert logs.main(["--home", str(demo_home), "export", "--format", "parquet"]) == 2
    assert "needs --out FILE" in capsys.readouterr().err
