"""Output fits the terminal: tables at its width (80 when unknown), findings wrapped on a
terminal only, nothing ever cut, colour only on a terminal and never under NO_COLOR."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from demorun import Demo

from agentguard import report, terminal
from agentguard.errors import Problem

LONG = (
    "policies/team.yaml:14:7: agents.search.owns[2]: the pattern src/pages/blog/**/index.astro"
    " overlaps agent metadata's src/pages/**, so both would own"
    " src/pages/blog/2026/a-very-long-post-name/index.astro [warning: overlap]"
)


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        """It is one."""
        return True


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_wrap_fits_and_keeps_every_word(columns: int) -> None:
    """Every wrapped line fits (bar a word longer than a line), every word survives in order."""
    lines = terminal.wrap(LONG, columns)
    assert all(len(line) <= columns or " " not in line.strip() for line in lines)
    assert " ".join(" ".join(lines).split()) == " ".join(LONG.split())
    assert all(line.startswith("    ") for line in lines[1:])


def test_a_label_hangs_its_value() -> None:
    """`policy:   value` continues under the value, not under the label."""
    lines = terminal.wrap("policy:   " + "word " * 30, 50)
    assert all(line.startswith(" " * 10) for line in lines[1:])


def test_fill_wraps_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal gets lines of its width; a pipe gets each line whole."""
    monkeypatch.setenv("COLUMNS", "60")
    assert terminal.fill(LONG, io.StringIO()) == LONG
    wrapped = terminal.fill(LONG, Tty()).split("\n")
    assert len(wrapped) > 1 and max(map(len, wrapped)) <= 60


def test_width_is_80_when_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """No COLUMNS and no terminal behind stdout: 80; COLUMNS wins."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("shutil.get_terminal_size", os.terminal_size)  # what it says unasked
    assert terminal.width() == 80
    monkeypatch.undo()
    monkeypatch.setenv("COLUMNS", "132")
    assert terminal.width() == 132


@pytest.mark.parametrize(
    ("stream", "no_color", "expected"),
    [(Tty(), None, True), (Tty(), "1", False), (io.StringIO(), None, False), (Tty(), "", True)],
)
def test_colour_only_on_a_terminal_without_no_color(
    stream: io.StringIO, no_color: str | None, expected: bool
) -> None:
    """NO_COLOR (any non-empty value) turns colour off; a pipe never gets it."""
    env = {} if no_color is None else {"NO_COLOR": no_color}
    assert terminal.colour(stream, env) is expected


def test_lint_findings_wrap_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """lint's text on a 60-column terminal: no line wider, every word of the finding kept."""
    monkeypatch.setenv("COLUMNS", "60")
    problem = Problem("policies/team.yaml", 14, 7, "agents.search.owns[2]", LONG, "warning")
    finding = report.Finding("overlap", problem)
    out = Tty()
    report.render_findings([finding], "text", out)
    lines = out.getvalue().splitlines()
    assert max(map(len, lines)) <= 60
    assert " ".join(" ".join(lines[:-1]).split()) == " ".join(finding.text().split())
    piped = io.StringIO()
    report.render_findings([finding], "text", piped)
    assert piped.getvalue().splitlines()[0] == finding.text()


@pytest.fixture(scope="module")
def demo_rows(demo_runs: Demo) -> list[dict[str, str]]:
    """The demo's rows, as JSON (every reason whole)."""
    rows: list[dict[str, str]] = json.loads(demo_runs.main("--format", "json"))["calls"]
    return rows


@pytest.mark.parametrize("columns", [60, 80, 150])
def test_demo_fits_the_terminal_and_keeps_every_reason(
    columns: int, demo_rows: list[dict[str, str]], demo_runs: Demo
) -> None:
    """At any width the demo's lines fit it, and each call's reason is there in full."""
    # 80 columns is the session's kept run; the others are the same main over its replay.
    text = demo_runs.kept()[1] if columns == 80 else demo_runs.main(columns=columns)
    assert max(len(line) for line in text.splitlines()) <= columns
    flat = _flat(text)
    for row in demo_rows:
        assert _flat(row["reason"]) in flat, row["call"]


def _flat(text: str) -> str:
    """``text``'s characters without white space (a long path may be split across lines),
    each run's temporary folder named alike."""
    return re.sub(r"agentguard-demo-[a-z0-9_]{8}", "ROOT", "".join(text.split()))


@pytest.mark.parametrize("columns", [80, 120])
def test_logs_timeline_is_as_wide_as_the_terminal(
    columns: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One call per line, as wide as the terminal: a long command shows as much as fits."""
    from agentguard.commands import logs
    from agentguard.state import log

    monkeypatch.setenv("COLUMNS", str(columns))
    home = str(tmp_path / "home")
    command = "npm run build -- " + " ".join(f"--flag-{n}" for n in range(40))
    log.append(
        home,
        {
            "ts": "2026-12-02T10:00:00.000Z",
            "event": "PreToolUse",
            "session": "s1",
            "agent": "dev",
            "tool": "Bash",
            "input": {"command": command},
            "decision": "allow",
            "output": "allow",
        },
    )
    assert logs.main(["timeline", "--home", home, "--session", "s1"]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert len(line) == columns and line.endswith("…")
