"""``agentguard integrate plan|run`` on real repositories with real linked worktrees.

Every repository here is made by ``git init``, its agents' branches and worktrees by
``agentguard agents up``; each agent commits in its own worktree, and its gate is what
the hook recorded for its session (an edit, its check, a Stop), fed through the real
hook entry point. Merges and checks of ``run`` are real git merges and real processes.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from world import git, write

from agentguard.commands import agents, integrate
from agentguard.commands.agents import Context
from agentguard.coordinate.imports import Aliases, imports, js_specifiers
from agentguard.coordinate.plan import Plan, make
from agentguard.coordinate.reviews import REVIEW_KEY
from agentguard.hook import run as hook

INTEGRATION = "integration/line"
CHECK = "make check"


def policy(owned: Mapping[str, list[str]], interfaces: str = "", gate: str = "true") -> str:
    """A policy: one agent per entry (branch agent/NAME, worktree ../wt-NAME), an integrator."""
    lines = ["version: 1", "agents:"]
    for name, owns in owned.items():
        lines += [
            f"  {name}:",
            f"    branch: agent/{name}",
            f"    worktree: ../wt-{name}",
            f"    owns: {json.dumps(owns)}",
            "    checks: [check]",
        ]
    lines += [
        "  integrator:",
        f"    branch: {INTEGRATION}",
        "    worktree: .",
        "    checks: [gate]",
        "integration:",
        f"  branch: {INTEGRATION}",
        "  owner: integrator",
        interfaces,
        "checks:",
        f"  check: {{run: {CHECK}}}",
        f"  gate: {{run: {json.dumps(gate)}}}",
    ]
    return "\n".join(lines) + "\n"


class Repo:
    """A repository made by ``agents up``, with helpers to act as each agent."""

    def __init__(self, root: Path, text: str, files: Mapping[str, str]) -> None:
        self.root = root
        self.main = root / "main"
        self.main.mkdir(parents=True)
        git(self.main, "init", "-q", "-b", "main")
        write(self.main, "agentguard.yaml", text)
        for rel, body in files.items():
            write(self.main, rel, body)
        git(self.main, "add", "-A")
        git(self.main, "commit", "-q", "-m", "base")
        out = io.StringIO()
        assert agents.main(["up", "-C", str(self.main)], out=out) in (0, 1), out.getvalue()
        if INTEGRATION in text:
            git(self.main, "checkout", "-q", INTEGRATION)
        self.calls = 0

    def wt(self, agent: str) -> Path:
        """The agent's worktree."""
        return self.root / f"wt-{agent}"

    def commit(self, agent: str, files: Mapping[str, str], message: str = "work") -> None:
        """The agent changes ``files`` in its worktree and commits them."""
        for rel, body in files.items():
            write(self.wt(agent), rel, body)
        git(self.wt(agent), "add", "-A")
        git(self.wt(agent), "commit", "-q", "-m", message)

    def hook(self, agent: str, name: str, **fields: Any) -> dict[str, Any] | None:
        """One hook call of ``agent``'s session in its worktree, through the real entry."""
        wt = self.wt(agent)
        event = {"session_id": f"s-{agent}", "cwd": str(wt), "hook_event_name": name, **fields}
        env = {**os.environ, "AGENTGUARD_AGENT": agent, "CLAUDE_PROJECT_DIR": str(wt)}
        out = io.StringIO()
        assert hook.main([name], stdin=io.StringIO(json.dumps(event)), stdout=out, env=env) == 0
        return json.loads(out.getvalue()) if out.getvalue() else None

    def tool(self, agent: str, tool: str, tool_input: dict[str, Any], response: Any) -> None:
        """A tool call as Claude Code reports it: PreToolUse, then PostToolUse."""
        self.calls += 1
        ids = {"tool_name": tool, "tool_input": tool_input, "tool_use_id": f"t{self.calls}"}
        self.hook(agent, "PreToolUse", **ids)
        self.hook(agent, "PostToolUse", **ids, tool_response=response, duration_ms=1)

    def edit(self, agent: str, rel: str) -> None:
        """The agent writes ``rel`` (as the hooks see it)."""
        path = str(self.wt(agent) / rel)
        self.tool(agent, "Write", {"file_path": path, "content": "x"}, {"type": "update"})

    def finish(self, agent: str, rel: str, *, stop: bool = True) -> None:
        """An edit, the agent's check passing after it, and a Stop the gate lets through."""
        self.edit(agent, rel)
        self.tool(agent, "Bash", {"command": CHECK}, {"stdout": "ok", "stderr": ""})
        if stop:
            assert self.hook(agent, "Stop", stop_hook_active=False) is None

    def work(self, agent: str, files: Mapping[str, str]) -> None:
        """The agent's whole task: edits (gate passed), then a commit of them."""
        self.finish(agent, next(iter(files)))
        self.commit(agent, files)

    def plan(self) -> Plan:
        """The plan, computed as ``integrate plan`` computes it."""
        return make(Context(str(self.main), os.environ, None), os.environ)

    def cli(self, *args: str, cwd: Path | None = None) -> tuple[int, str]:
        """``agentguard integrate ARGS`` in ``cwd`` (default: the integrator's worktree)."""
        out = io.StringIO()
        code = integrate.main([*args, "-C", str(cwd or self.main)], out=out)
        return code, out.getvalue()


@pytest.fixture(autouse=True)
def _isolated(agentguard_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test: its own state folder, a fixed git identity, no user git config."""
    for key in ("NAME", "EMAIL"):
        monkeypatch.setenv(f"GIT_AUTHOR_{key}", "Integrator" if key == "NAME" else "i@example.com")
        monkeypatch.setenv(f"GIT_COMMITTER_{key}", "Integrator" if key == "NAME" else "i@e.com")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("AGENTGUARD_AGENT", raising=False)
    monkeypatch.delenv("AGENTGUARD_POLICY", raising=False)
    monkeypatch.setenv(
        "PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )


def order(plan: Plan) -> list[str]:
    """The merge order as branch names."""
    return [s.branch for s in plan.order]


# --- the plan --------------------------------------------------------------------------

SHARED = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n"


def test_conflicting_branches_are_listed_and_the_fewest_conflicts_go_first(
    tmp_path: Path,
) -> None:
    """a rewrites the shared file (conflicts with b and c), b and c edit far apart: b, c, a."""
    owned = {n: ["shared.txt", f"{n}/**"] for n in ("a", "b", "c")}
    repo = Repo(tmp_path, policy(owned), {"shared.txt": SHARED})
    repo.work("a", {"shared.txt": "ONE\nTWO\nTHREE\nFOUR\nFIVE\nSIX\nSEVEN\n"})
    repo.work("b", {"shared.txt": SHARED.replace("one", "uno")})
    repo.work("c", {"shared.txt": SHARED.replace("seven", "siete")})
    plan = repo.plan()
    assert [(c.ours, c.theirs, c.files) for c in plan.conflicts] == [
        ("agent/a", "agent/b", ["shared.txt"]),
        ("agent/a", "agent/c", ["shared.txt"]),
    ]
    assert [b.conflicts for b in plan.branches] == [[], [], []]
    assert order(plan) == ["agent/b", "agent/c", "agent/a"]
    assert plan.lanes == [["agent/b", "agent/c", "agent/a"]]
    assert all(b.ready for b in plan.branches)
    # Nothing moved: no worktree, no ref, no index.
    assert git(repo.main, "status", "--short") == ""
    assert git(repo.main, "branch", "--show-current").strip() == INTEGRATION


def test_a_conflict_with_the_integration_branch_names_its_files(tmp_path: Path) -> None:
    """A commit on the integration branch that a branch's change collides with is named."""
    repo = Repo(tmp_path, policy({"a": ["shared.txt"]}), {"shared.txt": SHARED})
    repo.work("a", {"shared.txt": "mine\n"})
    write(repo.main, "shared.txt", "theirs\n")
    git(repo.main, "commit", "-qam", "integration moved")
    plan = repo.plan()
    assert plan.branch("agent/a").conflicts == ["shared.txt"]
    assert [(c.ours, c.theirs) for c in plan.conflicts] == [(INTEGRATION, "agent/a")]
    assert plan.branch("agent/a").behind == 1
    assert plan.branch("agent/a").ahead == 1


INTERFACE = """\
interfaces:
  content-schema:
    description: The post schema the pages read.
    providers: [src/content/config.ts]
    consumers: [src/pages/**]
"""


def declared_repo(tmp_path: Path) -> Repo:
    """pages (listed first) consumes what content provides; docs stands alone."""
    owned = {
        "pages": ["src/pages/**"],
        "docs": ["docs/**"],
        "content": ["src/content/**"],
    }
    files = {"src/content/config.ts": "export const a = 1;\n", "src/pages/index.astro": "x\n"}
    repo = Repo(tmp_path, policy(owned, INTERFACE), files)
    repo.work("pages", {"src/pages/index.astro": "tagList\n"})
    repo.work("docs", {"docs/guide.md": "guide\n"})
    repo.work("content", {"src/content/config.ts": "export const topics = 1;\n"})
    return repo


def test_a_declared_interface_needs_review_and_orders_provider_first(tmp_path: Path) -> None:
    """content changes the provider, pages a consumer: review needed; content, pages, docs."""
    repo = declared_repo(tmp_path)
    plan = repo.plan()
    assert [(r.interface, r.declared, r.provider, r.consumer) for r in plan.reviews] == [
        ("content-schema", True, "agent/content", "agent/pages")
    ]
    review = plan.reviews[0]
    assert (review.provider_files, review.consumer_files, review.reviewed) == (
        ["src/content/config.ts"],
        ["src/pages/index.astro"],
        False,
    )
    assert "each can build alone" in review.why
    assert order(plan) == ["agent/content", "agent/pages", "agent/docs"]
    assert plan.lanes == [["agent/content", "agent/pages"], ["agent/docs"]]
    assert [s.blocked for s in plan.order] == [
        "content-schema with agent/pages",
        "content-schema with agent/content",
        "",
    ]
    assert plan.order[0].why == "provides content-schema to agent/pages"
    assert plan.order[1].why == "consumes from agent/content: merges after it"


def test_a_recorded_review_holds_for_those_tips_only(tmp_path: Path) -> None:
    """The human's git config record clears the pair; a later commit asks again."""
    repo = declared_repo(tmp_path)
    review = repo.plan().reviews[0]
    git(repo.main, "config", "--local", "--add", REVIEW_KEY, review.record.split('"')[1])
    plan = repo.plan()
    assert [r.reviewed for r in plan.reviews] == [True]
    assert [s.blocked for s in plan.order] == ["", "", ""]
    # A prefix of the tips is not the tips: a commit can be made to match a prefix.
    short = f"content-schema {review.tips[0][:12]} {review.tips[1][:12]}"
    git(repo.main, "config", "--local", "--replace-all", REVIEW_KEY, short)
    assert [r.reviewed for r in repo.plan().reviews] == [False]
    git(repo.main, "config", "--local", "--replace-all", REVIEW_KEY, review.record.split('"')[1])
    repo.work("pages", {"src/pages/index.astro": "tagList again\n"})
    assert [r.reviewed for r in repo.plan().reviews] == [False]


TSCONFIG = """\
{
  // comments and trailing commas, as tsconfig allows
  "$schema": "https://json.schemastore.org/tsconfig",
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@/*": ["src/*"], },
  },
}
"""


def test_an_undeclared_typescript_import_edge_is_flagged(tmp_path: Path) -> None:
    """ui imports lib's file through the @/ alias, page through a .js relative specifier."""
    owned = {
        "ui": ["src/components/**"],
        "page": ["src/pages/**"],
        "lib": ["src/lib/**"],
        "other": ["src/other/**"],
    }
    files = {
        "tsconfig.json": TSCONFIG,
        "src/lib/tags.ts": "export type Tag = string;\n",
        "src/lib/unchanged.ts": "export const u = 1;\n",
        "src/components/Filter.tsx": "export {};\n",
        "src/pages/list.ts": "export {};\n",
    }
    repo = Repo(tmp_path, policy(owned), files)
    repo.work(
        "ui",
        {
            "src/components/Filter.tsx": (
                "import React from 'react';\n"
                "import type { Tag } from '@/lib/tags';\n"
                "import { u } from '@/lib/unchanged';\n"
                "// import { x } from '../other/x';\n"
            )
        },
    )
    repo.work("page", {"src/pages/list.ts": "export { type Tag } from '../lib/tags.js';\n"})
    repo.work("other", {"src/other/x.ts": "export const x = 1;\n"})
    repo.work("lib", {"src/lib/tags.ts": "export type Tag = { name: string };\n"})
    plan = repo.plan()
    assert [(r.interface, r.declared, r.provider, r.consumer, r.edges) for r in plan.reviews] == [
        (
            "imports",
            False,
            "agent/lib",
            "agent/ui",
            [("src/components/Filter.tsx", "src/lib/tags.ts")],
        ),
        ("imports", False, "agent/lib", "agent/page", [("src/pages/list.ts", "src/lib/tags.ts")]),
    ]
    assert "src/components/Filter.tsx imports src/lib/tags.ts" in plan.reviews[0].why
    assert order(plan) == ["agent/lib", "agent/ui", "agent/page", "agent/other"]
    assert plan.lanes == [["agent/lib", "agent/ui", "agent/page"], ["agent/other"]]


def test_an_undeclared_python_import_edge_is_flagged(tmp_path: Path) -> None:
    """api imports core's module (absolute and relative forms): core before api."""
    owned = {"api": ["app/api/**"], "core": ["app/core/**"], "cli": ["app/cli/**"]}
    files = {
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/models.py": "class User: ...\n",
        "app/api/__init__.py": "",
        "app/api/views.py": "",
        "app/api/forms.py": "",
        "app/cli/__init__.py": "",
        "app/cli/main.py": "",
    }
    repo = Repo(tmp_path, policy(owned), files)
    repo.work(
        "api",
        {
            "app/api/views.py": "from app.core import models\nimport json\n",
            "app/api/forms.py": "from ..core.models import User\n",
        },
    )
    repo.work("cli", {"app/cli/main.py": "import app.api\n"})
    repo.work("core", {"app/core/models.py": "class User:\n    name: str\n"})
    plan = repo.plan()
    assert [(r.provider, r.consumer, sorted(r.edges)) for r in plan.reviews] == [
        (
            "agent/core",
            "agent/api",
            [
                ("app/api/forms.py", "app/core/models.py"),
                ("app/api/views.py", "app/core/models.py"),
            ],
        )
    ]
    assert order(plan) == ["agent/core", "agent/api", "agent/cli"]


def test_independent_branches_get_one_lane_each_in_policy_order(tmp_path: Path) -> None:
    """Disjoint files, no interface, no conflict: three parallel lanes, policy order."""
    owned = {n: [f"{n}/**"] for n in ("x", "y", "z")}
    repo = Repo(tmp_path, policy(owned), {})
    for n in ("z", "x", "y"):
        repo.work(n, {f"{n}/file.txt": n})
    plan = repo.plan()
    assert order(plan) == ["agent/x", "agent/y", "agent/z"]
    assert plan.lanes == [["agent/x"], ["agent/y"], ["agent/z"]]
    assert {s.why for s in plan.order} == {
        "independent: shares no file or interface with another ready branch"
    }
    assert plan.reviews == []
    assert plan.conflicts == []


def test_readiness_needs_ownership_a_clean_worktree_and_a_passing_stop(tmp_path: Path) -> None:
    """Each way a branch is not ready is named, and only ready ones are ordered."""
    owned = {n: [f"{n}/**"] for n in ("ok", "lane", "dirty", "edited", "blocked", "silent")}
    repo = Repo(tmp_path, policy(owned), {})
    repo.work("ok", {"ok/f": "1"})
    repo.work("lane", {"lane/f": "1", "ok/f": "stolen"})
    repo.work("dirty", {"dirty/f": "1"})
    write(repo.wt("dirty"), "dirty/g", "uncommitted")
    repo.work("edited", {"edited/f": "1"})
    repo.edit("edited", "edited/f")  # after the passing Stop
    repo.edit("blocked", "blocked/f")
    assert repo.hook("blocked", "Stop", stop_hook_active=False) is not None  # refused
    repo.commit("blocked", {"blocked/f": "1"})
    repo.commit("silent", {"silent/f": "1"})  # a commit with no session on record
    plan = repo.plan()
    reasons = {b.agent: b.reasons for b in plan.branches}
    assert reasons["ok"] == []
    assert reasons["lane"] == ["ownership fails against main: 1 file(s) outside lane's lane (ok/f)"]
    assert reasons["dirty"][0].startswith("1 uncommitted change(s) in ")
    assert [g for g in reasons["edited"]] == [
        "gate: edited after the last passing Stop"
        f" ({plan.branch('agent/edited').gate.ts}); the checks must pass again"
    ]
    assert reasons["blocked"][0].startswith("gate: the last Stop (")
    assert reasons["blocked"][0].endswith("was blocked: check not passed after the last edit")
    assert reasons["silent"] == ["gate: no Stop of silent in its worktree on record"]
    assert order(plan) == ["agent/ok"]


def test_plan_formats_text_json_markdown(tmp_path: Path) -> None:
    """text fits 80 columns; json carries the same plan; markdown is a PR comment."""
    repo = declared_repo(tmp_path)
    code, text = repo.cli("plan")
    assert code == 0
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "content-schema: agent/content -> agent/pages: NEEDS" in text
    assert "git config --local --add agentguard.reviewed" in text
    code, raw = repo.cli("plan", "--format", "json")
    value = json.loads(raw)
    assert [s["branch"] for s in value["order"]] == ["agent/content", "agent/pages", "agent/docs"]
    assert value["interfaces"][0]["interface"] == "content-schema"
    assert value["interfaces"][0]["reviewed"] is False
    code, markdown = repo.cli("plan", "--format", "markdown")
    assert markdown.startswith("### agentguard integration plan")
    assert "1. `agent/content` (lane 1): provides content-schema to agent/pages." in markdown


def test_the_plan_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No integration section: exit 2 with what to add."""
    repo = Repo(tmp_path, "version: 1\nagents:\n  a: {branch: agent/a, worktree: ../wt-a}\n", {})
    code, _ = repo.cli("plan")
    assert code == 2
    assert capsys.readouterr().err == (
        "agentguard integrate plan: the policy names no integration branch;"
        " add `integration: {branch: …, owner: …}`\n"
    )


# --- run -------------------------------------------------------------------------------


def head(repo: Repo) -> str:
    """The integration branch's commit."""
    return git(repo.main, "rev-parse", f"refs/heads/{INTEGRATION}").strip()


def test_run_stops_at_a_failing_check_and_keeps_the_last_good_merge(tmp_path: Path) -> None:
    """a merges, b breaks the owner's check (its merge is reset), c is not tried."""
    owned = {n: [f"{n}/**", "BROKEN"] if n == "b" else [f"{n}/**"] for n in ("a", "b", "c")}
    repo = Repo(tmp_path, policy(owned, gate="test ! -e BROKEN"), {})
    repo.work("a", {"a/f": "1"})
    repo.work("b", {"b/f": "1", "BROKEN": "yes"})
    repo.work("c", {"c/f": "1"})
    start = head(repo)
    evidence = tmp_path / "evidence.md"
    code, output = repo.cli("run", "--evidence", str(evidence))
    assert code == 1
    after = head(repo)
    assert git(repo.main, "rev-parse", f"{after}^1").strip() == start
    assert git(repo.main, "rev-parse", f"{after}^2").strip() == repo.plan().branch("agent/a").head
    assert not (repo.main / "BROKEN").exists()
    assert git(repo.main, "status", "--short") == ""
    assert git(repo.main, "rev-parse", "refs/heads/main").strip() == start  # main untouched
    block = evidence.read_text(encoding="utf-8")
    assert block in output
    assert "| 1 | `agent/a` @ " in block
    assert "gate ok" in block
    assert "| 2 | `agent/b` @ " in block and "(reset)" in block
    assert "- `agent/b`: check gate (`test ! -e BROKEN`) failed after its merge" in block
    assert "- `agent/c`: not tried: the run stopped before it" in block
    assert "Nothing was merged into main" in block


def test_run_merges_all_in_order_when_checks_pass(tmp_path: Path) -> None:
    """Every ready branch merges in the planned order, each followed by the owner's check."""
    repo = Repo(tmp_path, policy({n: [f"{n}/**"] for n in ("a", "b")}), {})
    repo.work("b", {"b/f": "1"})
    repo.work("a", {"a/f": "1"})
    code, output = repo.cli("run")
    assert code == 0, output
    subjects = git(repo.main, "log", "--format=%s", "--merges", INTEGRATION).splitlines()
    assert subjects == [
        f"Merge agent/b into {INTEGRATION} (agentguard integrate run)",
        f"Merge agent/a into {INTEGRATION} (agentguard integrate run)",
    ]
    assert repo.plan().order == []  # both merged now


def test_run_stops_at_an_interface_that_needs_review(tmp_path: Path) -> None:
    """content and pages wait for their review: nothing merges; once recorded, both do."""
    repo = declared_repo(tmp_path)
    start = head(repo)
    code, output = repo.cli("run")
    assert code == 1
    assert head(repo) == start
    assert "- `agent/content`: interface review needed: content-schema with agent/pages" in output
    review = repo.plan().reviews[0]
    git(repo.main, "config", "--local", "--add", REVIEW_KEY, review.record.split('"')[1])
    code, output = repo.cli("run")
    assert code == 0, output
    assert len(git(repo.main, "log", "--merges", "--format=%H", INTEGRATION).split()) == 3


def test_a_non_owner_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """run from an agent's worktree, or naming an agent in the environment: refused."""
    repo = Repo(tmp_path, policy({"a": ["a/**"]}), {})
    repo.work("a", {"a/f": "1"})
    start = head(repo)
    code, _ = repo.cli("run", cwd=repo.wt("a"))
    assert code == 1
    err = capsys.readouterr().err
    assert "refused: only the integration owner (integrator) merges into integration/line" in err
    assert "this is a (from branch)" in err
    os.environ["AGENTGUARD_AGENT"] = "a"
    try:
        code, _ = repo.cli("run")
    finally:
        del os.environ["AGENTGUARD_AGENT"]
    assert code == 1
    assert "this is a (from env)" in capsys.readouterr().err
    assert head(repo) == start


# --- imports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import a from './a'", ["./a"]),
        ('import { b,\n  c } from "../b";', ["../b"]),
        ("import type { T } from '@/t'", ["@/t"]),
        ("import './side.css'", ["./side.css"]),
        ("export * from './all'", ["./all"]),
        ("export { x as y } from './x'", ["./x"]),
        ("const m = await import('./lazy')", ["./lazy"]),
        ("const r = require('./req')", ["./req"]),
        ("/* import a from './gone' */ // import b from './gone2'", []),
        ("const url = 'https://x.dev/a'; import z from './z'", ["./z"]),
    ],
)
def test_js_specifiers(source: str, expected: list[str]) -> None:
    """Every import form names its specifier; commented-out imports name none."""
    assert js_specifiers(source) == expected


def test_js_resolution_follows_typescript() -> None:
    """Extension-less, index files, .js naming .ts, aliases; packages resolve to nothing."""
    files = {"src/a.ts", "src/dir/index.tsx", "src/b.ts", "src/c.astro", "lib/d.js"}
    aliases = Aliases({"@/*": ["src/*"], "~d": ["lib/d.js"]}, None)
    text = (
        "import a from './a'; import d from './dir'; import b from './b.js';"
        " import c from '@/c.astro'; import e from '~d'; import r from 'react'"
    )
    assert imports("src/x.ts", text, files, aliases) == [
        "src/a.ts",
        "src/dir/index.tsx",
        "src/b.ts",
        "src/c.astro",
        "lib/d.js",
    ]
    assert imports("README.md", text, files, aliases) == []


@pytest.mark.parametrize(
    ("agent", "where", "command", "classes", "decision"),
    [
        ("a", "wt-a", "agentguard integrate plan --format json", ["read-only"], "none"),
        ("integrator", "main", "agentguard integrate run", ["merge"], "none"),
        ("a", "wt-a", "agentguard integrate run", ["merge"], "deny"),
        ("a", "main", "agentguard integrate run --evidence e.md", ["merge"], "deny"),
        ("a", "wt-a", "python3 -m agentguard integrate run", ["merge"], "deny"),
        ("a", "wt-a", "agentguard integrate frob", ["guard-tamper"], "deny"),
        ("integrator", "main", 'agentguard integrate "$ACTION"', ["guard-tamper"], "deny"),
    ],
)
def test_agents_may_plan_and_only_the_owner_may_run(
    tmp_path: Path,
    agent: str,
    where: str,
    command: str,
    classes: list[str],
    decision: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The hook lets any agent run plan (read-only); run only the integration owner on the
    integration branch; anything else under ``integrate`` stays guard tampering."""
    from agentguard.commands import explain

    repo = Repo(tmp_path, policy({"a": ["a/**"]}), {})
    cwd = tmp_path / where
    explain.main(["--cwd", str(cwd), "--agent", agent, "--format", "json", "--", command])
    value = json.loads(capsys.readouterr().out)
    assert [c["classes"] for c in value["commands"]["commands"]][-1:] == [classes]
    assert value["decision"] == decision
    if decision == "deny" and classes == ["merge"]:
        assert "integration" in [m["rule"] for m in value["matches"]]
    assert repo.main.exists()
