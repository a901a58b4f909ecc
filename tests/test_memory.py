"""``agentguard memory lint``: real memory files in real git repositories.

Each kind of finding is seeded into a CLAUDE.md of a fresh ``git init`` repository and
pinned by file, line, column, code and message; a clean memory has none.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from agentguard.cli import main as cli_main
from agentguard.commands import memory as memory_cmd

POLICY = """\
version: 1
agents:
  api:
    branch: agent/api
    worktree: ../wt-api
    owns: [src/api/**]
    checks: [check]
  web:
    branch: agent/web
    worktree: ../wt-web
    owns: [src/web/**]
    checks: [check, build]
checks:
  check: {run: npm run check}
  build: {run: npm run build}
paths:
  - id: shared-memory
    match: [CLAUDE.md, CLAUDE.local.md, AGENTS.md]
    write: ask
commands:
  - id: history-rewrite
    builtin: git-destructive
    decision: ask
  - id: no-deploys
    deny: ["npm run deploy"]
"""

FILES = {
    "package.json": json.dumps(
        {"scripts": {"check": "tsc", "build": "vite build", "deploy": "wrangler deploy"}}
    ),
    "Makefile": "lint:\n\techo lint\n.PHONY: lint\n",
    "pyproject.toml": '[project]\nname = "x"\n\n[project.scripts]\nserve = "x:main"\n',
    "src/api/handler.ts": "export {}\n",
    "src/web/page.ts": "export {}\n",
    "docs/style.md": "# Style\n\nTwo spaces.\n",
}

CLEAN = """\
# Working here

- Run `npm run check` before you stop; the build is `npm run build`.
- Run `make lint` for the linter, `uv run serve` for the server.
- API handlers live in `src/api/handler.ts`, pages in `src/web/`.
- Style: @docs/style.md and [the guide](docs/style.md).
- Force pushes and branch deletion need a human's approval.
- You may not force push, you can't push to main, and never skip the checks.
- Do not commit with `--no-verify`.

```sh
npm run check
git status
```
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def make_repo(root: Path, memory: str | None = None, policy: str = POLICY) -> Path:
    """A git repository with scripts, a Makefile, a pyproject, sources and a policy."""
    repo = root / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for rel, text in {**FILES, "agentguard.yaml": policy}.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    if memory is not None:
        (repo / "CLAUDE.md").write_text(memory, encoding="utf-8")
    return repo


def run(repo: Path, *extra: str, fmt: str = "json") -> tuple[int, str]:
    """Run ``agentguard memory lint`` on ``repo``; the managed path points nowhere."""
    out = io.StringIO()
    code = memory_cmd.main(
        [
            "lint",
            "--root",
            str(repo),
            "--policy",
            str(repo / "agentguard.yaml"),
            "--managed",
            str(repo.parent / "no-managed.md"),
            "--format",
            fmt,
            *extra,
        ],
        out=out,
    )
    return code, out.getvalue()


def findings(repo: Path, *extra: str) -> list[tuple[str, int, int, str, str]]:
    """(file, line, col, code, message) of every finding."""
    _, text = run(repo, *extra)
    body: dict[str, Any] = json.loads(text)
    return [(f["file"], f["line"], f["col"], f["code"], f["message"]) for f in body["findings"]]


def test_clean_memory_has_no_finding(tmp_path: Path) -> None:
    """Memory whose commands, paths, imports, gate and permissions all hold: no finding."""
    repo = make_repo(tmp_path, CLEAN)
    code, text = run(repo, "--heuristics")
    body = json.loads(text)
    assert body["findings"] == []
    assert code == 0
    assert body["files"] == ["CLAUDE.md", "docs/style.md"]


KINDS = [
    (
        "npm-script",
        "# M\n\n- Run `npm run tset` to test.\n",
        (3, 8, "memory-command", "`npm run tset`: package.json has no script 'tset'"),
    ),
    (
        "make-target",
        "Docs: run `make docs`.\n",
        (1, 12, "memory-command", "`make docs`: the Makefile has no target 'docs'"),
    ),
    (
        "pyproject-script",
        "- `uv run migrate` upgrades the database.\n",
        (
            1,
            4,
            "memory-command",
            "`uv run migrate`: 'migrate' is neither a pyproject.toml script nor a program",
        ),
    ),
    (
        "program-not-on-path",
        "```sh\nfrobnicate --all\n```\n",
        (2, 1, "memory-command", "`frobnicate --all`: program 'frobnicate' is not on PATH"),
    ),
    (
        "path",
        "- Schemas live in `src/api/schema.ts`.\n",
        (1, 20, "memory-path", "src/api/schema.ts does not exist in the repository"),
    ),
    (
        "link",
        "See [the guide](docs/guide.md).\n",
        (1, 17, "memory-path", "docs/guide.md does not exist (relative to this file)"),
    ),
    (
        "gate",
        "Run `make lint` before you stop.\n",
        (
            1,
            6,
            "memory-gate",
            "`make lint` is presented as the gate, but it is no check of the policy; its"
            " checks run: npm run build, npm run check",
        ),
    ),
    (
        "permits-what-policy-asks",
        "You may force push your branch.\n",
        (
            1,
            9,
            "memory-policy",
            "permits 'force push', but the policy asks a human first for agent api"
            " (history-rewrite)",
        ),
    ),
    (
        "runs-what-policy-denies",
        "```sh\nnpm run deploy\n```\n",
        (
            2,
            1,
            "memory-policy",
            "tells agents to run `npm run deploy`, but the policy denies it to agent api"
            " (no-deploys)",
        ),
    ),
    (
        "permits-editing-what-policy-protects",
        "- You may edit `agentguard.yaml` to add a rule.\n",
        (
            1,
            17,
            "memory-policy",
            "permits editing agentguard.yaml, but the policy denies it to agent api"
            " (self-protection)",
        ),
    ),
    (
        "another-agents-files",
        "- Update `src/web/page.ts` when an endpoint changes.\n",
        (
            1,
            11,
            "memory-policy",
            "tells every agent to edit src/web/page.ts (owned by web); the policy denies it to api",
        ),
    ),
    (
        "skip-checks",
        "- When in a hurry, skip the tests.\n",
        (
            1,
            20,
            "memory-policy",
            "tells agents to skip checks ('skip the tests'); the policy's gate requires"
            " build, check after the last edit",
        ),
    ),
    (
        "import",
        "Details: @docs/missing.md\n",
        (
            1,
            10,
            "memory-import",
            "@docs/missing.md does not resolve to a file, so it imports nothing",
        ),
    ),
]


@pytest.mark.parametrize(("memory", "expected"), [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_kind_of_fact(
    tmp_path: Path, memory: str, expected: tuple[int, int, str, str]
) -> None:
    """A memory seeded with one kind of fact gets exactly that finding, located, and fails."""
    repo = make_repo(tmp_path, memory)
    assert findings(repo) == [("CLAUDE.md", *expected)]
    assert run(repo)[0] == 1


def test_repeated_rule_across_files(tmp_path: Path) -> None:
    """The same rule in AGENTS.md and CLAUDE.md is reported where it repeats."""
    rule = "- Keep commits small and focused on one change.\n"
    repo = make_repo(tmp_path, "# Memory\n\n" + rule)
    (repo / "AGENTS.md").write_text(rule, encoding="utf-8")
    assert findings(repo) == [
        (
            "CLAUDE.md",
            3,
            1,
            "memory-repeated",
            "this rule is also at AGENTS.md:1; every agent loading both reads it twice, and"
            " the copies drift apart",
        )
    ]


def test_import_beyond_five_hops(tmp_path: Path) -> None:
    """Claude Code follows imports 5 hops deep: the sixth is reported, the fifth is not."""
    repo = make_repo(tmp_path, "@m/1.md\n")
    (repo / "m").mkdir()
    for i in range(1, 7):
        (repo / "m" / f"{i}.md").write_text(f"@m/{i + 1}.md\n" if i < 6 else "end\n")
    # Each import is relative to its own file: m/1.md names m/2.md, i.e. m/m/2.md.
    for i in range(1, 7):
        (repo / "m" / f"{i}.md").write_text(f"@{i + 1}.md\n" if i < 6 else "end\n")
    assert findings(repo) == [
        (
            "m/5.md",
            1,
            1,
            "memory-import",
            "@6.md is hop 6; Claude Code follows imports only 5 hops deep, so it is never loaded",
        )
    ]


def test_subfolder_rules_and_local_memory_are_read(tmp_path: Path) -> None:
    """CLAUDE.md in a subfolder, CLAUDE.local.md and .claude/rules/** are memory too."""
    repo = make_repo(tmp_path, CLEAN)
    (repo / "src" / "web" / "CLAUDE.md").write_text("Run `npm run serve`.\n")
    (repo / "CLAUDE.local.md").write_text("Run `make clean`.\n")
    (repo / ".claude" / "rules" / "deep").mkdir(parents=True)
    (repo / ".claude" / "rules" / "deep" / "x.md").write_text("See `lib/x.ts`.\n")
    assert [(f[0], f[3]) for f in findings(repo)] == [
        (".claude/rules/deep/x.md", "memory-path"),
        ("CLAUDE.local.md", "memory-command"),
        ("src/web/CLAUDE.md", "memory-command"),
    ]


HEURISTIC_MEMORY = """\
# Memory

- Currently we migrate to the new router.
- Always use pnpm for scripts.
- Never use pnpm for scripts.

```
src/
├── api/
└── web/
```
"""


def test_heuristics_are_opt_in(tmp_path: Path) -> None:
    """Dated narrative, directory trees and contradictions: warnings, only with --heuristics."""
    repo = make_repo(tmp_path, HEURISTIC_MEMORY)
    assert findings(repo) == []
    assert findings(repo, "--heuristics") == [
        (
            "CLAUDE.md",
            3,
            3,
            "memory-dated",
            "dated narrative ('Currently') is true only when written",
        ),
        (
            "CLAUDE.md",
            5,
            3,
            "memory-conflict",
            "'Never use pnpm for scripts.' contradicts 'Always use pnpm for scripts.' at"
            " CLAUDE.md:4",
        ),
        (
            "CLAUDE.md",
            7,
            1,
            "memory-tree",
            "a directory tree (3 lines) restates the repository and goes stale with every move",
        ),
    ]
    assert run(repo, "--heuristics")[0] == 0
    assert run(repo, "--heuristics", "--strict")[0] == 1


def _waiver(until: str) -> str:
    return POLICY + (
        "memory:\n  waivers:\n"
        "    - rule: memory-path\n      file: CLAUDE.md\n      match: schema.ts\n"
        f"      until: {until}\n      reason: the schema returns with the v2 import\n"
    )


def test_valid_waiver_accepts_the_finding(tmp_path: Path) -> None:
    """A waiver before its date moves the finding to 'waived' and the run passes."""
    repo = make_repo(tmp_path, "- Schemas live in `src/api/schema.ts`.\n", _waiver("2999-01-31"))
    code, text = run(repo)
    body = json.loads(text)
    assert (code, body["findings"]) == (0, [])
    assert [(w["code"], w["waiver"]) for w in body["waived"]] == [
        ("memory-path", "until 2999-01-31: the schema returns with the v2 import")
    ]


def test_expired_waiver_fails(tmp_path: Path) -> None:
    """A waiver past its date fails at its place in the policy, and the finding is back."""
    repo = make_repo(tmp_path, "- Schemas live in `src/api/schema.ts`.\n", _waiver("2020-01-31"))
    assert findings(repo) == [
        ("CLAUDE.md", 1, 20, "memory-path", "src/api/schema.ts does not exist in the repository"),
        (
            "agentguard.yaml",
            28,
            7,
            "memory-waiver",
            "the waiver of memory-path in CLAUDE.md expired on 2020-01-31 (the schema returns"
            " with the v2 import)",
        ),
    ]
    assert run(repo)[0] == 1


def test_waiver_that_waives_nothing_warns(tmp_path: Path) -> None:
    """A waiver whose finding is gone is a warning: delete it."""
    repo = make_repo(tmp_path, CLEAN, _waiver("2999-01-31"))
    assert [(f[3], f[4]) for f in findings(repo)] == [
        ("memory-waiver", "the waiver of memory-path in CLAUDE.md waives nothing")
    ]


def test_text_format_fits_80_columns(tmp_path: Path) -> None:
    """Text: file:line:col, severity and code, then the message and the fix, wrapped."""
    repo = make_repo(tmp_path, "Run `make lint` before you stop.\n")
    code, text = run(repo, fmt="text")
    assert code == 1
    assert text.splitlines()[:5] == [
        "CLAUDE.md:1:6: error: memory-gate",
        "    `make lint` is presented as the gate, but it is no check of the policy; its",
        "      checks run: npm run build, npm run check",
        "    fix: name the policy's checks (agentguard.yaml checks:), or add this one",
        "      there and to the agents that need it",
    ]
    assert text.splitlines()[-1] == "1 error, 0 warnings, 0 waived"
    assert max(len(line) for line in text.splitlines()) <= 80


def test_github_format_annotates(tmp_path: Path) -> None:
    """GitHub: one workflow-command annotation per finding, then the summary."""
    repo = make_repo(tmp_path, "Docs: run `make docs`.\n")
    _, text = run(repo, fmt="github")
    assert text.splitlines() == [
        "::error file=CLAUDE.md,line=1,col=12,title=agentguard memory lint (memory-command)"
        "::`make docs`: the Makefile has no target 'docs'; fix: use one of its targets"
        " (lint), or add it",
        "1 error, 0 warnings, 0 waived",
    ]


def test_json_format_carries_fix_and_usage(tmp_path: Path) -> None:
    """JSON: each finding with its fix, the files read and each agent's memory size."""
    repo = make_repo(tmp_path, "Docs: run `make docs`.\n")
    body = json.loads(run(repo)[1])
    assert body["findings"][0]["fix"] == "use one of its targets (lint), or add it"
    assert body["summary"] == {"error": 1, "warning": 0, "waived": 0}
    assert body["agents"]["api"]["lines"] == 1
    assert body["agents"]["api"]["files"] == ["CLAUDE.md"]


def test_budget_per_agent_worktree(tmp_path: Path) -> None:
    """Each agent's worktree is measured: only the one whose memory outgrows the budget fails,
    at the line where it crosses; the managed file counts for everyone."""
    policy = POLICY + "memory:\n  budget: {lines: 6, bytes: 4000}\n"
    repo = make_repo(tmp_path, "# Memory\n\n- One rule.\n", policy)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "init")
    _git(repo, "worktree", "add", "-q", "-b", "agent/api", "../wt-api")
    _git(repo, "worktree", "add", "-q", "-b", "agent/web", "../wt-web")
    local = tmp_path / "wt-api" / "CLAUDE.local.md"
    local.write_text("".join(f"- note {i}\n" for i in range(1, 6)))
    managed = tmp_path / "managed.md"
    managed.write_text("- Company rule.\n")
    out = io.StringIO()
    code = memory_cmd.main(
        ["lint", "--root", str(repo), "--managed", str(managed), "--format", "json"], out=out
    )
    body = json.loads(out.getvalue())
    assert code == 1
    assert {n: body["agents"][n]["lines"] for n in ("api", "web")} == {"api": 9, "web": 4}
    assert [(f["file"], f["line"], f["col"], f["message"]) for f in body["findings"]] == [
        (
            "../wt-api/CLAUDE.local.md",
            3,
            1,
            "agent api loads 9 lines of memory (budget 6); the budget is crossed here",
        )
    ]


def test_registered_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``agentguard memory lint`` runs through the CLI and finds this repository's policy."""
    repo = make_repo(tmp_path, CLEAN)
    code = cli_main(["memory", "lint", "--root", str(repo), "--managed", str(tmp_path / "n")])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 errors, 0 warnings, 0 waived"


def test_managed_memory_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AGENTGUARD_MANAGED_MEMORY moves the managed file (Linux: /etc/claude-code/CLAUDE.md);
    it is linted like the repository's memory and counts for every agent."""
    repo = make_repo(tmp_path, CLEAN)
    managed = tmp_path / "managed" / "CLAUDE.md"
    managed.parent.mkdir()
    managed.write_text("- Run `make release` to ship.\n")
    monkeypatch.setenv("AGENTGUARD_MANAGED_MEMORY", str(managed))
    monkeypatch.chdir(repo)
    out = io.StringIO()
    assert memory_cmd.main(["lint", "--format", "json"], out=out) == 1
    body = json.loads(out.getvalue())
    assert [(f["file"], f["line"], f["col"], f["code"]) for f in body["findings"]] == [
        (str(managed), 1, 8, "memory-command")
    ]
    assert body["agents"]["web"]["files"][0] == str(managed)


NOT_FINDINGS = """\
# Lanes

- The web agent updates `src/web/page.ts`; the api agent owns `src/api/`.
- Work on `agent/web`, merge into the branch `integration/main`.
- Upstream lives at `github.com/example/repo`.
- Emails go to ops@example.com; ask @alice.
- `@docs/missing.md` in code is not an import.

```sh
# a comment, not a command
$ npm run check
```
"""


def test_what_only_looks_like_a_finding(tmp_path: Path) -> None:
    """Lines that name the owning agent, branches, host names, e-mail, @mentions, imports
    inside code and comments in shell blocks are no findings."""
    repo = make_repo(tmp_path, NOT_FINDINGS)
    assert findings(repo, "--heuristics") == []


def test_budget_waiver_matches_the_message(tmp_path: Path) -> None:
    """A waiver's match may name the agent of a budget finding (its message, not its line)."""
    policy = POLICY + (
        "memory:\n  budget: {lines: 2}\n  waivers:\n"
        "    - {rule: memory-budget, file: CLAUDE.md, match: agent web, until: 2999-01-01,"
        " reason: web's memory shrinks with the router move}\n"
    )
    repo = make_repo(tmp_path, "# Memory\n\n- One rule.\n", policy)
    assert [f[4] for f in findings(repo)] == [
        "agent api loads 3 lines of memory (budget 2); the budget is crossed here"
    ]
