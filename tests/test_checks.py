"""The Stop gate's evidence is the shell analyser's reading of a line, not a second one."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_loops import Guard

from agentguard.shell import analyse, checks
from agentguard.shell.lexer import fast_parse

WT = "/work/repo-agent-search"
ENV = {"HOME": "/home/u"}
CHECKS = {
    "check": "npm run check",
    "build": "ASTRO_TELEMETRY_DISABLED=1 npm run build",
    "test": "npm test",
    "vitest": "npx vitest",
}

# (line, checks credited, index of the last element that may write with the credited
# checks skipped, or None). ``npm test`` is a checker: running it is not an edit;
# ``npm run check`` may run anything, so it is one unless credited.
LINES = [
    ("npm test", ["test"], None),
    ("npx vitest", ["vitest"], None),
    ("ASTRO_TELEMETRY_DISABLED=1 npm run build", ["build"], None),
    ("npm run check && npm test", ["check", "test"], None),
    ("git status && npm test", ["test"], None),
    ("npm test && touch src/a.ts", ["test"], 1),
    ("touch src/a.ts && npm test", ["test"], 0),
    ("npm test 2>&1", ["test"], None),
    ("npm test > /tmp/test.log 2>&1", ["test"], None),
    ("npm test > test.log", ["test"], None),
    ("npm test && echo done > /tmp/done", ["test"], None),
    ("npm test && echo done > done.txt", ["test"], 1),
    ("npm test # third try", ["test"], None),
    ("npm test &&\n  npm run check", ["check", "test"], None),
    ("npm test && # and then\n  npm run check", ["check", "test"], None),
    (f"cd {WT} && npm test", ["test"], None),
    ("set -o pipefail && npm test", ["test"], None),
    ("npm run check && git diff --stat", [], 0),  # git diff exits 1 on a difference
    ("npm run check && npx prettier --write src", ["check"], 1),
    # The exit status is not the check's own.
    ("npm test || true", [], None),
    ("npm run check || true", [], 0),
    ("npm test; exit 0", [], None),
    ("npm test; true", [], None),
    ("npm test | tee test.log", [], 1),
    ("npm test | tee /tmp/test.log", [], None),
    ("npm test 2>&1 | tail -20", [], None),
    ("npm run check 2>&1 | tail -20", [], 0),
    ("set -o pipefail; npm test | tail -20", [], None),
    ("npm test &", [], None),
    ("false || npm test", [], None),
    ("npm test && grep -q ok test.log", [], None),
    ("npm test && git diff --quiet", [], None),
    ("npm run check && git diff --quiet", [], 0),
    # Only looks like it ran the check.
    ("echo npm test", [], None),
    ("# npm test", [], None),
    ("echo 'npm test' # npm test", [], None),
    ("CI=1 npm test", [], None),
    ("timeout 60 npm test", [], None),
    ("env npm test", [], None),
    ("npx vitest run", [], 0),
    ("npm run test", [], 0),
    # The fast lexer refuses these: they prove nothing, the analyser says if they write.
    ("(npm test)", [], None),
    ("(npm run check)", [], 0),
    ("{ npm test; }", [], None),
    ("! npm test", [], None),
    ("! npm run check", [], 0),
    ("npm test <<EOF\nx\nEOF", [], None),
    ("bash -c 'npm test || true'", [], None),
    ("npm run $CHECK", [], 0),
    ("npm test && ls src/*.ts", [], None),
    ("npm run check && ls src/*.ts", [], 0),
    ("cat <<EOF > src/a.ts\nx\nEOF", [], 0),
    ("ls src/*.ts", [], None),
]


@pytest.mark.parametrize(("line", "credited", "wrote"), LINES)
def test_credit_and_writes_of_a_line(line: str, credited: list[str], wrote: int | None) -> None:
    """Which checks a line runs with its own status, and the last element that may write."""
    spans = checks.check_positions(line, WT, WT, CHECKS)
    skip = {i for first, last in spans.values() for i in range(first, last + 1)}
    assert (sorted(spans), checks.writes(line, WT, ENV, skip)) == (credited, wrote)


@pytest.mark.parametrize(("line", "credited", "wrote"), LINES)
def test_evidence_and_the_analyser_read_a_line_alike(
    line: str, credited: list[str], wrote: int | None
) -> None:
    """A credited line is one the analyser read with the fast lexer too, and whether the
    line writes is what the analyser (PreToolUse's reading) says of its commands."""
    del wrote
    analysis = analyse(line, WT, ENV)
    if credited:
        assert analysis.parser == "fast"
    if "/tmp/" in line:
        return  # a scratch redirection is left out of the reading, by design (below)
    says = bool(analysis.errors) or any(checks.may_write(c, WT) for c in analysis.commands)
    assert (checks.writes(line, WT, ENV) is not None) is says


@pytest.mark.parametrize(("line", "credited", "wrote"), LINES)
def test_each_element_holds_the_analysers_commands(
    line: str, credited: list[str], wrote: int | None
) -> None:
    """The commands attributed to each element of a line are the analyser's, in order."""
    del credited, wrote
    raws = fast_parse(line)
    if raws is None:
        return
    per_raw = checks.analysed(raws, line, WT, ENV)
    assert per_raw is not None and len(per_raw) == len(raws)
    whole = analyse(line, WT, ENV).commands
    scratch_free = "/tmp/" not in line  # a scratch redirection is left out, by design
    if scratch_free:
        assert [c.text for cmds in per_raw for c in cmds] == [c.text for c in whole]
        assert [c.classes for cmds in per_raw for c in cmds] == [c.classes for c in whole]


@pytest.mark.parametrize(
    ("line", "writes"),
    [
        ("grep -i todo src/a.ts", False),
        ("sort -u words.txt", False),
        ("agentguard lint", False),
        ("timeout 60 pytest -q", False),
        ("uv run pytest", False),
        ("bash -c 'npm test'", False),
        ("vitest -u", True),
        ("ruff format .", True),
        ("ruff check .", False),
        ("python3 tools/gen.py > /tmp/gen.log", True),
        ("echo x > /tmp/scratch", False),
        ("cp src/a.ts /tmp/a.ts", False),
        ("rm -rf /tmp/build", False),
        ("rm -rf build", True),
        ("git stash", True),
        ("git merge main", True),
        ("npm install", True),
        ("make", True),
        ("source .venv/bin/activate", True),
        ("git diff > /tmp/a.patch", False),
    ],
)
def test_what_counts_as_an_edit(line: str, writes: bool) -> None:
    """Reading, checking and scratch files are not edits; file effects, installs, merges,
    what the analyser cannot see into and programs it knows nothing of are."""
    assert (checks.writes(line, WT, ENV) is not None) is writes


def test_a_project_in_the_temp_folder_is_still_the_project(tmp_path: Path) -> None:
    """A write under the temp folder is scratch only outside the project's own folder."""
    cwd = str(tmp_path)
    assert checks.writes("echo x > src/a.ts", cwd, ENV) == 0
    assert checks.writes(f"touch {cwd}/b.ts", cwd, ENV) == 0
    assert checks.writes("touch /tmp/elsewhere-marker", cwd, ENV) is None


def test_lenient_exit_facts() -> None:
    """grep, diff, test … and git diff/grep end a line with an exit 1 that reads as success."""
    for line in ("grep -q x f", "/usr/bin/diff a b", "test -f x", "git diff --quiet", "git grep x"):
        raws = fast_parse(line)
        assert raws is not None and checks.lenient_last(raws[-1]), line
    for line in ("git status", "npm test", "git log --grep x"):
        raws = fast_parse(line)
        assert raws is not None and not checks.lenient_last(raws[-1]), line


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """A project whose caller is agent ``dev`` (checks: ``sh unit.sh``)."""
    return Guard(tmp_path)


def _gate(guard: Guard) -> str:
    guard.call("Stop")
    return str(guard.records("Stop")[-1]["gate"])


@pytest.mark.parametrize(
    "line",
    [
        "echo sh unit.sh",
        "# sh unit.sh",
        "sh unit.sh || true",
        "sh unit.sh; exit 0",
        "sh unit.sh | tee log",
        "(sh unit.sh)",
        "timeout 60 sh unit.sh",
    ],
)
def test_a_line_that_only_looks_like_the_check_opens_no_gate(guard: Guard, line: str) -> None:
    """Run after an edit, in a line that succeeded, none of these lets the agent stop."""
    guard.write("src/a.ts")
    guard.ok(line)
    assert _gate(guard) != "passed"
    guard.ok("sh unit.sh # the real one")
    assert _gate(guard) == "passed"


def test_a_failed_chain_fails_the_check_it_holds(guard: Guard) -> None:
    """``false && sh unit.sh`` failing records the check as failed, never as passed."""
    guard.write("src/a.ts")
    guard.fail("false && sh unit.sh", "Exit code 1")
    assert _gate(guard) == "blocked"
    assert "failed" in str(guard.records("Stop")[-1])


@pytest.mark.parametrize(("line", "credited", "wrote"), LINES)
def test_the_write_profile_answers_as_the_analysis(
    line: str, credited: list[str], wrote: int | None
) -> None:
    """What PreToolUse keeps for the post event gives what ``writes`` gives, for any skip."""
    del credited, wrote
    profile = checks.write_profile(line, WT, ENV)
    spans = checks.check_positions(line, WT, WT, CHECKS)
    credited_skip = {i for first, last in spans.values() for i in range(first, last + 1)}
    for skip in (set(), credited_skip, {0}, set(range(8))):
        assert checks.writes_in(profile, skip) == checks.writes(line, WT, ENV, skip), skip


@pytest.mark.parametrize("profile", ["", "01", "-", "*3", "*x.", "012.", "1 0.", "0.1."])
def test_a_malformed_write_profile_is_refused(profile: str) -> None:
    """A truncated or malformed profile raises (the post event then analyses the line)."""
    with pytest.raises(ValueError, match="write profile"):
        checks.writes_in(profile)


BOUND_POST = """
import io, json, sys
from agentguard.hook import run as hook
def call(name, **fields):
    event = {"session_id": "s", "cwd": sys.argv[1], "hook_event_name": name, **fields}
    out = io.StringIO()
    assert hook.main([name], stdin=io.StringIO(json.dumps(event)), stdout=out, env=env) == 0
env = json.loads(sys.argv[2])
line = {"command": sys.argv[3]}
if sys.argv[4] == "pre":
    call("PreToolUse", tool_name="Bash", tool_input=line, tool_use_id=sys.argv[5])
else:
    call("PostToolUse", tool_name="Bash", tool_input=line, tool_use_id=sys.argv[5],
         tool_response={"stdout": "", "stderr": "", "interrupted": False})
    print("agentguard.shell.expand" in sys.modules)
"""


@pytest.mark.parametrize("line", ["touch src/a.ts", "sh unit.sh && echo x > out.txt"])
def test_a_bound_post_event_loads_no_analyser(tmp_path: Path, line: str) -> None:
    """The PostToolUse of a call PreToolUse let through reads whether the line writes from
    the marker; an unbound one (no marker) still analyses it."""
    import json
    import subprocess
    import sys

    guard = Guard(tmp_path)
    args = [sys.executable, "-c", BOUND_POST, str(guard.root), json.dumps(guard.env), line]

    def run(*rest: str) -> str:
        return subprocess.run([*args, *rest], capture_output=True, text=True, check=True).stdout

    run("pre", "t1")
    assert (run("post", "t1"), run("post", "t2")) == ("False\n", "True\n")
    assert guard.records("PostToolUse")[0].get("edit") is True


def test_facts_for_another_folder_or_malformed_are_not_read(tmp_path: Path) -> None:
    """PreToolUse's facts count only for the folder they were made in and when they parse;
    otherwise the post event analyses the line itself (-1, lenient unknown)."""
    from agentguard.hook.post_tool_use import read_facts, wrote_from
    from agentguard.state.seen import digest

    here = digest("cwd", str(tmp_path))
    assert read_facts(f"{here}:01.l", str(tmp_path)) == ("01.", True)
    assert read_facts(f"{here}:-.s", str(tmp_path)) == ("-.", False)
    # A marker written before the flag: its profile still counts, leniency is unknown.
    assert read_facts(f"{here}:01.", str(tmp_path)) == ("01.", None)
    assert read_facts(f"{here}:01.l", str(tmp_path / "src")) == ("", None)
    assert read_facts("", str(tmp_path)) == ("", None)
    assert wrote_from(read_facts(f"{here}:01.s", str(tmp_path))[0], set()) == 1
    assert wrote_from(read_facts(f"{here}:01l", str(tmp_path))[0], set()) == -1
    assert wrote_from(read_facts(f"{here}:", str(tmp_path))[0], set()) == -1


def test_lenient_last_from_the_marker_matches_the_analysis() -> None:
    """The flag PreToolUse keeps gives check_positions the answer it would compute."""
    for line in ("npm run check", "npm run check && grep -q x f", "npm run check && git diff"):
        computed = checks.check_positions(line, WT, WT, CHECKS)
        flag = checks.last_is_lenient(line)
        assert checks.check_positions(line, WT, WT, CHECKS, flag) == computed
    assert checks.last_is_lenient("npm run check && grep -q x f")
    assert not checks.last_is_lenient("npm run check")
