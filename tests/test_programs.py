"""The policy's ``programs:`` section (issue 10, item 3): a team declares what agentguard
does not know about a program, the hook judges it like the built-in knowledge, examples
are checked where the policy loads, and no declaration takes anything away."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.commands import explain
from agentguard.errors import PolicyError
from agentguard.hook import run as hook
from agentguard.policy.compiler import build
from agentguard.policy.loader import load_files
from agentguard.policy.programcheck import describe
from agentguard.shell import analyse
from agentguard.shell.declared import for_worktree

PROGRAMS = """\
programs:
  sponge:
    description: moreutils' sponge soaks up standard input, then writes FILE.
    writes: first
    examples:
      "sponge out.txt": {classes: [file-write], writes: [out.txt]}
  linkinator: {classes: [network]}
  ./tools/migrate: {classes: [deploy]}
  acme-cli:
    writes_options: [--out]
    values: [--profile]
    examples:
      "acme-cli build --profile prod --out dist/site.json": {writes: [dist/site.json]}
      "acme-cli status --profile prod": {writes: []}
"""

POLICY = """\
version: 1
agents:
  search:
    branch: agent/search
    worktree: project
    owns: [src/**]
    cannot_touch: [docs/**]
    checks: [build]
  docs:
    branch: agent/docs
    worktree: ../elsewhere
    owns: [docs/**]
    checks: [build]
checks:
  build: {run: npm run build}
commands:
  - {id: network, builtin: network, decision: NETWORK}
  - {id: deploys, builtin: deploy, decision: ask}
"""


class Hook:
    """The PreToolUse hook in-process, as agent ``search`` in its worktree."""

    def __init__(self, tmp_path: Path, policy: str) -> None:
        self.project = tmp_path / "project"
        self.project.mkdir()
        path = tmp_path / "policy.yaml"
        path.write_text(policy, "utf-8")
        self.env = {
            "AGENTGUARD_HOME": str(tmp_path / "state"),
            "AGENTGUARD_POLICY": str(path),
            "AGENTGUARD_AGENT": "search",
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.project),
        }

    def decide(self, tool_input: dict[str, Any], tool: str = "Bash") -> str:
        """allow, ask, deny, or none (no opinion)."""
        event = {
            "session_id": "s-programs",
            "cwd": str(self.project),
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
            "tool_use_id": "toolu_programs",
        }
        out = io.StringIO()
        assert hook.main(["PreToolUse"], io.StringIO(json.dumps(event)), out, self.env) == 0
        if not out.getvalue():
            return "none"
        decision: str = json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"]
        return decision

    def bash(self, line: str) -> str:
        """The decision for one Bash line."""
        return self.decide({"command": line})


def _policy(network: str = "ask", programs: str = PROGRAMS) -> str:
    return POLICY.replace("NETWORK", network) + programs


@pytest.fixture
def guarded(tmp_path: Path) -> Hook:
    """The hook with the declarations above."""
    return Hook(tmp_path, _policy())


@pytest.mark.parametrize(
    "line, path",
    [
        ("sponge docs/guide.md", "docs/guide.md"),
        ("sort -u words | sponge docs/guide.md", "docs/guide.md"),
        ("sponge .claude/settings.json", ".claude/settings.json"),
        ("acme-cli build --profile prod --out docs/site.json", "docs/site.json"),
        ("acme-cli build --out=.git/config", ".git/config"),
        ("env LANG=C timeout 5 sponge docs/guide.md", "docs/guide.md"),
    ],
)
def test_a_declared_write_is_judged_like_a_write(guarded: Hook, line: str, path: str) -> None:
    """A declared writer's target gets the very decision a Write of it gets: deny for a
    foreign lane or a protected file, through wrappers too."""
    assert guarded.decide({"file_path": path, "content": "x"}, tool="Write") == "deny"
    assert guarded.bash(line) == "deny"


def test_a_declared_write_in_the_own_lane_passes(guarded: Hook) -> None:
    """The agent's own files stay writable, and an option's value that is not declared a
    write (``--profile``) is not judged as one."""
    assert guarded.bash("sponge src/index.ts") == "none"
    assert guarded.bash("acme-cli build --profile docs/x --out src/site.json") == "none"


def test_without_the_declaration_the_write_is_unseen(tmp_path: Path) -> None:
    """Without the declarations a write is not seen as one: an unknown program given a
    file of another lane only asks (``unknown-program``), and a network program passes."""
    bare = Hook(tmp_path, _policy(programs=""))
    assert bare.bash("sponge docs/guide.md") == "ask"
    assert bare.bash("linkinator https://example.com") == "none"


@pytest.mark.parametrize("decision", ["ask", "deny"])
def test_a_declared_network_program_follows_the_network_rule(tmp_path: Path, decision: str) -> None:
    """``linkinator`` declared network asks or denies as the policy's network rule says,
    called directly or through npx from node_modules."""
    hooked = Hook(tmp_path, _policy(network=decision))
    assert hooked.bash("linkinator https://example.com") == decision
    assert hooked.bash("npx --no-install linkinator ./dist") == decision


@pytest.mark.parametrize(
    "line", ["./tools/migrate up", "tools/migrate up", "cd tools && ./migrate --dry-run"]
)
def test_a_declared_script_is_a_deploy(guarded: Hook, line: str) -> None:
    """A repository script declared deploy asks, however its path is spelt from where it runs."""
    assert guarded.bash(line) == "ask"


def test_a_script_declaration_names_that_script_only(guarded: Hook) -> None:
    """Another script of the same name elsewhere is not the declared one."""
    assert guarded.bash("./scripts/migrate up") == "none"


def test_examples_that_fail_refuse_the_policy_with_their_location(tmp_path: Path) -> None:
    """A failing example makes the policy unusable, located at the example's line."""
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: 1\nprograms:\n  sponge:\n    writes: operands\n    examples:\n"
        '      "sponge a b": {writes: [a]}\n',
        "utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        build([str(path)])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.col) == (str(path), 6, 7)
    assert "yields writes ['a', 'b'] (expected ['a'])" in problem.message


def test_the_hook_fails_closed_on_a_failing_example(tmp_path: Path) -> None:
    """The hook does not run on a policy whose declarations do not hold: on_error."""
    broken = PROGRAMS.replace("writes: [out.txt]", "writes: [elsewhere.txt]")
    assert Hook(tmp_path, _policy(programs=broken)).bash("ls") == "deny"


def test_command_rule_examples_see_declarations(tmp_path: Path) -> None:
    """A network rule's match example may name a program only the policy declares."""
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: 1\ncommands:\n  - id: network\n    builtin: network\n    decision: ask\n"
        '    match: ["linkinator https://example.com"]\n'
        "programs:\n  linkinator: {classes: [network]}\n",
        "utf-8",
    )
    assert build([str(path)])["programs"]["names"]["linkinator"]["classes"] == ["network"]


# --- nothing a declaration says takes anything away ------------------------------------------

WEAKENING = [
    ("rm", "rm: {classes: [read-only]}", "cannot make it read-only"),
    ("curl", "curl: {classes: [read-only]}", "cannot make it read-only"),
    ("sudo", "sudo: {classes: [read-only]}", "runs commands as another user"),
    ("doas", "doas: {writes: operands}", "runs commands as another user"),
    ("env", "env: {classes: [network]}", "runs the command it is given"),
    ("bash", "bash: {classes: [read-only]}", "runs the command it is given"),
    ("tools/rm", "tools/rm: {classes: [read-only]}", "cannot make it read-only"),
    ("agentguard", "agentguard: {classes: [read-only]}", "is agentguard itself"),
]


@pytest.mark.parametrize("name, declaration, why", WEAKENING, ids=[w[0] for w in WEAKENING])
def test_a_declaration_cannot_make_a_dangerous_program_harmless(
    tmp_path: Path, name: str, declaration: str, why: str
) -> None:
    """Declaring rm, curl or a privilege wrapper read-only (or anything of a program
    agentguard unwraps) is refused with a located error."""
    path = tmp_path / "policy.yaml"
    path.write_text(f"version: 1\nprograms:\n  {declaration}\n", "utf-8")
    with pytest.raises(PolicyError) as caught:
        build([str(path)])
    assert [p.line for p in caught.value.problems] == [3]
    assert why in caught.value.problems[0].message


@pytest.mark.parametrize(
    "line, floor",
    [
        ("rm -rf src", "file-delete"),
        ("curl https://example.com", "network"),
        ("sudo ls", "privilege"),
        ("git push --force origin main", "git-destructive"),
    ],
)
def test_the_classifier_ignores_read_only_for_a_known_program(line: str, floor: str) -> None:
    """Even a hand-made compiled form declaring them read-only changes no built-in class."""
    spec = {
        "classes": ["read-only"],
        "writes": None,
        "reads": None,
        "writes_options": [],
        "reads_options": [],
        "values": [],
    }
    names = {n: {**spec, "key": n} for n in ("rm", "curl", "sudo", "ls", "git")}
    programs = for_worktree({"names": names, "paths": {}}, "/w")
    classes = analyse(line, "/w", {}, programs=programs).classes
    assert floor in classes
    assert "read-only" not in classes


def test_an_unknown_program_may_be_declared_read_only(tmp_path: Path) -> None:
    """For a program agentguard does not know, read-only is the team's word for it as
    found on PATH; a write through a redirection still makes the line a write, and a file
    of the same name called by a path (one the agent may have made) is not it."""
    path = tmp_path / "policy.yaml"
    path.write_text("version: 1\nprograms:\n  acme-status: {classes: [read-only]}\n", "utf-8")
    programs = for_worktree(build([str(path)])["programs"], "/w")
    assert analyse("acme-status --all", "/w", {}, programs=programs).classes == {"read-only"}
    redirected = analyse("acme-status > out.txt", "/w", {}, programs=programs)
    assert redirected.classes == {"file-write"}
    made_here = analyse("./acme-status --all", "/w", {}, programs=programs)
    assert made_here.classes == set(), "a file of that name is not the declared program"


@pytest.mark.parametrize(
    "key", ["../tools/x", "/usr/local/bin/acme", "tools//x", "a b", "tools/./x", "-rf"]
)
def test_bad_program_keys_are_located_errors(tmp_path: Path, key: str) -> None:
    """A key is a program name or a path inside the worktree; anything else is refused."""
    path = tmp_path / "policy.yaml"
    path.write_text(f'version: 1\nprograms:\n  "{key}": {{classes: [network]}}\n', "utf-8")
    with pytest.raises(PolicyError) as caught:
        load_files([str(path)])
    assert caught.value.problems[0].line == 3
    assert "program" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "body, why",
    [
        ("{values: [--profile]}", "needs classes, writes"),
        ("{classes: [read-only], writes: operands}", "read-only goes alone"),
        ("{writes_options: [--out=FILE]}", "no '='"),
        ("{classes: [harmless]}", "read-only"),
        ("{harmless: true, classes: [network]}", "unknown field"),
    ],
)
def test_declarations_are_validated(tmp_path: Path, body: str, why: str) -> None:
    """Shapes that would mean nothing, or contradict themselves, are schema errors."""
    path = tmp_path / "policy.yaml"
    path.write_text(f"version: 1\nprograms:\n  acme: {body}\n", "utf-8")
    with pytest.raises(PolicyError) as caught:
        load_files([str(path)])
    assert why in str(caught.value)


def test_a_later_layer_replaces_a_declaration_by_name(tmp_path: Path) -> None:
    """Policy files layer: a later file's declaration of a program replaces the earlier."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("version: 1\nprograms:\n  acme: {classes: [network]}\n", "utf-8")
    second.write_text("version: 1\nprograms:\n  acme: {classes: [deploy]}\n", "utf-8")
    compiled = build([str(first), str(second)])
    assert compiled["programs"]["names"]["acme"]["classes"] == ["deploy"]


def test_the_compiled_form_is_plain_data(tmp_path: Path) -> None:
    """What the hook loads is JSON as it is, and nothing at all without declarations."""
    path = tmp_path / "policy.yaml"
    path.write_text(_policy(), "utf-8")
    compiled = build([str(path)])["programs"]
    assert json.loads(json.dumps(compiled)) == compiled
    assert set(compiled["names"]) == {"sponge", "linkinator", "acme-cli"}
    assert compiled["paths"]["tools/migrate"]["classes"] == ["deploy"]
    path.write_text(_policy(programs=""), "utf-8")
    assert build([str(path)])["programs"] == {}


def test_explain_shows_the_declared_write_judged(
    guarded: Hook, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``explain "sponge .claude/settings.json"`` lists the write, the declaration's note
    and the self-protection deny."""
    for key, value in guarded.env.items():
        monkeypatch.setenv(key, value)
    code = explain.main(["--cwd", str(guarded.project), "--", "sponge .claude/settings.json"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"writes:  {guarded.project / '.claude' / 'settings.json'}" in out
    assert "the policy declares what sponge does" in out
    assert "[self-protection]" in out
    assert "decision: deny" in out


def test_describe_says_what_is_declared_and_which_wins(tmp_path: Path) -> None:
    """explain's report of a declaration: its facts, and that a known program keeps its
    built-in knowledge beside it while an unknown one has only the declaration."""
    path = tmp_path / "policy.yaml"
    path.write_text(_policy() + "  rsync: {classes: [deploy]}\n", "utf-8")
    compiled = build([str(path)])["programs"]
    assert describe(compiled, "acme-cli") == [
        "declared by the policy (programs: acme-cli):",
        "  classes: -",
        "  writes the value of: --out",
        "  options with a value: --out --profile",
        "  which wins: the declaration: agentguard knows nothing else of it",
    ]
    assert describe(compiled, "rsync")[-1].startswith("  which wins: both:")
    assert describe(compiled, "migrate")[0] == "declared by the policy (programs: ./tools/migrate):"
    assert describe(compiled, "tools/migrate") == describe(compiled, "migrate")
    assert describe(compiled, "rm") == []


def test_explain_program_reports_the_declaration_beside_the_builtin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``explain --program`` prints the catalogue's knowledge, the policy's declaration
    and which wins: both for a known program, the declaration alone for an unknown one."""
    path = tmp_path / "policy.yaml"
    path.write_text(_policy() + "  rsync: {classes: [deploy]}\n", "utf-8")
    assert explain.main(["--policy", str(path), "--program", "rsync"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rsync: known to agentguard")
    assert "network.py" in out
    assert "declared by the policy (programs: rsync):\n  classes: deploy\n" in out
    assert "which wins: both: the declaration adds" in out
    assert explain.main(["--policy", str(path), "--program", "sponge"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "sponge: not in agentguard's catalogue; the policy declares it"
    assert "  writes: the first operand" in out
    args = ["--policy", str(path), "--format", "json", "--program", "acme-cli"]
    assert explain.main(args) == 0
    (declared,) = json.loads(capsys.readouterr().out)["policy"]
    assert declared["writes_options"] == ["--out"]
    assert declared["wins"] == "the declaration: agentguard knows nothing else of it"
