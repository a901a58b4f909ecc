"""``agentguard lint``: a golden corpus of broken policies, one folder per check.

Each folder ``tests/cases/lint/<case>/`` holds ``policy.yaml`` and ``expected.txt``, the
exact output of ``agentguard lint policy.yaml`` run from that folder (line and column
included). Optional: ``args`` (extra options on one line) and ``files.txt`` (tracked
files: the case then runs in a fresh git repository holding them, with the policy at its
top, so the unowned-paths check has a tree to look at). The exit status is 1 when the
expected output holds an error (or, with ``--strict``, a warning), else 0. Add a
regression by adding a folder; ``AGENTGUARD_UPDATE_GOLDEN=1`` rewrites expected files
(review the diff).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agentguard.commands import lint as lint_cmd
from agentguard.policy import lint as lint_mod
from agentguard.policy.loader import load_files
from agentguard.policy.witnesses import witnesses

CASES = Path(__file__).parent / "cases" / "lint"
UPDATE = os.environ.get("AGENTGUARD_UPDATE_GOLDEN") == "1"
REPO = Path(__file__).resolve().parents[1]


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "policy.yaml").is_file())


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _run(folder: Path, args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    before = os.getcwd()
    os.chdir(folder)
    try:
        code = lint_cmd.main([*args, "policy.yaml"], out=out)
    finally:
        os.chdir(before)
    return code, out.getvalue()


@pytest.mark.parametrize("case", _case_names())
def test_case(case: str, tmp_path: Path) -> None:
    """The case's exact output and the exit status its severities imply."""
    folder = CASES / case
    args = (folder / "args").read_text().split() if (folder / "args").exists() else []
    where = folder
    listing = folder / "files.txt"
    if listing.exists():
        where = tmp_path / "repo"
        where.mkdir()
        _git(where, "init", "-q", "-b", "main")
        names = listing.read_text().split()
        for name in names:
            target = where / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("x\n")
        _git(where, "add", *names)
        _git(where, "commit", "-q", "-m", "files")
        shutil.copy(folder / "policy.yaml", where / "policy.yaml")
    code, output = _run(where, args)
    expected_file = folder / "expected.txt"
    if UPDATE:
        expected_file.write_text(output)
    assert output == expected_file.read_text()
    failing = ["[error:", "::error"]
    if "--strict" in args:
        failing += ["[warning:", "::warning"]
    assert code == (1 if any(mark in output for mark in failing) else 0)


def test_every_check_has_a_case() -> None:
    """Every check code in lint.CODES has a golden case, and the cases emit no other code."""
    emitted = set()
    for case in _case_names():
        text = (CASES / case / "expected.txt").read_text()
        for line in text.splitlines():
            if line.endswith("]") and ": " in line:
                emitted.add(line.rsplit(": ", 1)[-1].rstrip("]"))
            if line.startswith("::") and "(" in line:
                emitted.add(line.split("(", 1)[1].split(")", 1)[0])
    assert set(lint_mod.CODES) - emitted == set(), "a check code without a golden case"
    assert emitted - set(lint_mod.CODES) == set(), "a check code missing from lint.CODES"


@pytest.mark.parametrize(
    "policy",
    ["policies/default.yaml", "policies/examples/astro-blog-discovery.yaml"],
)
def test_shipped_policies_are_clean(policy: str) -> None:
    """The shipped policies produce no error and no warning."""
    findings = lint_cmd.lint_paths([str(REPO / policy)])
    assert [f.text() for f in findings if f.severity != "info"] == []


def test_json_format_carries_every_field(tmp_path: Path) -> None:
    """--format json lists each finding with file, position, field, severity and check code."""
    out = io.StringIO()
    code = lint_cmd.main(
        ["--format", "json", str(CASES / "undefined-check" / "policy.yaml")], out=out
    )
    body = json.loads(out.getvalue())
    assert code == 1
    assert body["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert body["findings"] == [
        {
            "file": str(CASES / "undefined-check" / "policy.yaml"),
            "line": 7,
            "col": 21,
            "field": "agents.metadata.checks[1]",
            "message": body["findings"][0]["message"],
            "severity": "error",
            "code": "undefined-check",
        }
    ]
    assert "typecheck" in body["findings"][0]["message"]


def test_layered_folder_is_one_policy(tmp_path: Path) -> None:
    """A folder is linted as one layered policy: a check defined in a later layer counts."""
    (tmp_path / "10-agents.yaml").write_text(
        "agents:\n  a:\n    owns: [src/**]\n    checks: [build]\n"
    )
    (tmp_path / "20-checks.yaml").write_text("checks:\n  build: {run: make}\n")
    assert lint_cmd.lint_paths([str(tmp_path)]) == []
    findings = lint_cmd.lint_paths([str(tmp_path / "10-agents.yaml")])
    assert [f.code for f in findings] == ["undefined-check"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("src/**", ["src/x", "src/x/y"]),
        ("dist/", ["dist/x", "dist/x/y"]),
        ("*.md", ["x.md"]),
        ("/README.md", ["README.md"]),
        ("src/[ab]*.ts", ["src/ax.ts"]),
        ("!src/keep.ts", []),
    ],
)
def test_witnesses(pattern: str, expected: list[str]) -> None:
    """Witness paths are concrete paths the pattern really matches."""
    assert witnesses(pattern) == expected


def test_wildcard_overlap_limit_is_documented(tmp_path: Path) -> None:
    """Two wildcard patterns sharing only unconstructed instances are not reported (known limit)."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "agents:\n  a: {owns: ['src/a*'], checks: [c]}\n  b: {owns: ['src/*.ts'], checks: [c]}\n"
        "checks:\n  c: {run: make}\n"
    )
    codes = [f.code for f in lint_mod.lint(load_files([str(policy)]))]
    assert "overlapping-ownership" not in codes
