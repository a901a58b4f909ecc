"""Policy loading: located errors (``file:line:col: field.path: message``) and layering."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentguard.errors import PolicyError
from agentguard.policy.compiler import build
from agentguard.policy.loader import load_files


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def _errors(*files: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        build(list(files))
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "version: 1\ndefaults:\n  on_error: deny\n    unowned_write: ask\n",
            "4:18",
            "YAML does not parse: mapping values are not allowed here; fix the syntax there",
        ),
        (
            "version: 1\nagents:\n  search:\n    branch: agent/x\n    ownz: [a]\n",
            "5:5",
            "agents.search.ownz: unknown field; remove it or check its spelling against the schema",
        ),
        (
            "version: 1\npaths:\n  - id: s\n    match: [a]\n    reed: ask\n",
            "5:5",
            "paths[0].reed: unknown field; remove it or check its spelling against the schema",
        ),
        (
            "version: 1\ndefaults:\n  on_error: maybe\n",
            "3:13",
            "defaults.on_error: Input should be 'allow', 'ask' or 'deny'",
        ),
        (
            "version: 1\nmcp:\n  - id: m\n    tools: [mcp__x__*]\n    decision: yes\n",
            "5:15",
            "mcp[0].decision: Input should be 'allow', 'ask' or 'deny'",
        ),
        (
            "version: 1\ndefaults:\n  on_error: deny\n  on_error: ask\n",
            "4:3",
            "defaults.on_error: duplicate key (first defined at line 3); YAML would keep only the"
            " last one, so remove one of them",
        ),
        (
            "version: 1\npaths:\n  - id: ownership\n    match: [a]\n",
            "3:9",
            "paths[0].id: rule id 'ownership' is reserved for agentguard's own rules (the hook"
            " reports its own judgements under it); rename it, for example to 'team-ownership'",
        ),
        (
            "version: 1\ncommands:\n  - id: self-protection\n    allow: [ls]\n",
            "3:9",
            "commands[0].id: rule id 'self-protection' is reserved for agentguard's own rules (the"
            " hook reports its own judgements under it); rename it, for example to"
            " 'team-self-protection'",
        ),
        (
            "version: 1\ncommands:\n  - id: net\n    builtin: network\n",
            "3:5",
            "commands[0]: a rule with 'builtin' needs a 'decision' (allow, ask or deny)",
        ),
        (
            "version: 1\npaths:\n  - id: sec\n    match: [.env]\n    read: ask\n"
            "    examples: [.env, src/env.ts]\n",
            "6:22",
            "paths[0].examples[1]: example 'src/env.ts' does not match any of ['.env'];"
            " fix the pattern or the example",
        ),
        (
            "version: 1\npaths:\n  - id: sec\n    match: ['*.env']\n    not_examples:\n"
            "      - prod.env\n",
            "6:9",
            "paths[0].not_examples[0]: counter-example 'prod.env' matches ['*.env'];"
            " narrow the pattern or drop the example",
        ),
        (
            "version: 1\nmcp:\n  - id: m\n    tools: [mcp__gh__get_*]\n    decision: allow\n"
            "    examples: [mcp__gh__create_issue]\n",
            "6:16",
            "mcp[0].examples[0]: example 'mcp__gh__create_issue' does not match ['mcp__gh__get_*']",
        ),
        (
            "version: 1\ntools:\n  - id: t\n    tools: [Cron*]\n    decision: deny\n"
            "    not_examples: [CronList]\n",
            "6:20",
            "tools[0].not_examples[0]: counter-example 'CronList' matches ['Cron*']",
        ),
        ("version: 2\n", "1:10", "version: Input should be 1"),
        ("- a\n- b\n", "1:1", "a policy is a mapping (version:, agents:, paths: …)"),
    ],
    ids=[
        "yaml-syntax",
        "unknown-field-in-agent",
        "unknown-field-in-list-item",
        "wrong-decision-default",
        "wrong-decision-mcp",
        "duplicate-key",
        "reserved-id-path",
        "reserved-id-command",
        "builtin-without-decision",
        "path-example-not-matching",
        "path-counter-example-matching",
        "mcp-example-not-matching",
        "tools-counter-example-matching",
        "wrong-version",
        "not-a-mapping",
    ],
)
def test_located_error(tmp_path: Path, text: str, where: str, message: str) -> None:
    """Each problem reads ``file:line:col: field.path: message`` and points at the culprit."""
    file = _write(tmp_path, "team.yaml", text)
    assert _errors(file) == [f"{file}:{where}: {message}"]


def test_every_problem_is_reported(tmp_path: Path) -> None:
    """Several problems in one file are all reported, each at its own place."""
    file = _write(
        tmp_path,
        "team.yaml",
        "version: 1\ndefaults:\n  on_error: nope\n  unknown_tool: never\n",
    )
    errors = _errors(file)
    assert [e.split(": ")[0] for e in errors] == [f"{file}:3:13", f"{file}:4:17"]


@pytest.mark.parametrize("text", ["", "\n  \n", "# nothing yet\n\n# at all\n", "---\n"])
def test_an_empty_policy_does_not_load(tmp_path: Path, text: str) -> None:
    """A 0-byte, blank or comment-only policy is an error, never "no rules" (all allowed)."""
    with pytest.raises(PolicyError) as caught:
        build([_write(tmp_path, "empty.yaml", text)])
    assert "the policy is empty" in str(caught.value)


BASE = """\
version: 1
defaults:
  on_error: deny
  unowned_write: ask
agents:
  search:
    branch: agent/search
    owns: [src/pages/**]
  metadata:
    branch: agent/metadata
    owns: [src/content/**]
paths:
  - id: secrets
    match: [.env]
    read: ask
  - id: lockfiles
    match: [package-lock.json]
    write: ask
  - id: generated
    match: [dist/]
    write: ask
"""

OVERLAY = """\
version: 1
defaults:
  unowned_write: deny
agents:
  search:
    branch: agent/search-v2
    owns: [src/components/**]
paths:
  - id: private
    match: [notes/]
    read: ask
  - id: lockfiles
    match: [package-lock.json, pnpm-lock.yaml]
    write: deny
"""


def test_layering(tmp_path: Path) -> None:
    """Later defaults override key by key; same-id rules replace in place; agents by name."""
    base = _write(tmp_path, "10-base.yaml", BASE)
    overlay = _write(tmp_path, "20-overlay.yaml", OVERLAY)
    policy = load_files([base, overlay]).policy
    assert policy.defaults.on_error == "deny"
    assert policy.defaults.unowned_write == "deny"
    assert [p.id for p in policy.paths] == ["secrets", "lockfiles", "generated", "private"]
    lockfiles = policy.paths[1]
    assert (lockfiles.match, lockfiles.write) == (["package-lock.json", "pnpm-lock.yaml"], "deny")
    # An agent is replaced as a whole, not merged field by field.
    assert policy.agents["search"].owns == ["src/components/**"]
    assert policy.agents["search"].branch == "agent/search-v2"
    assert policy.agents["metadata"].owns == ["src/content/**"]


def test_layering_order_matters(tmp_path: Path) -> None:
    """The same two files in the other order give the other file the last word."""
    base = _write(tmp_path, "base.yaml", BASE)
    overlay = _write(tmp_path, "overlay.yaml", OVERLAY)
    policy = load_files([overlay, base]).policy
    assert policy.defaults.unowned_write == "ask"
    assert policy.agents["search"].owns == ["src/pages/**"]


def test_layered_validation_error_points_into_its_file(tmp_path: Path) -> None:
    """A bad value in the second file is reported in the second file."""
    base = _write(tmp_path, "base.yaml", BASE)
    overlay = _write(tmp_path, "overlay.yaml", "version: 1\nweb:\n  fetch: sometimes\n")
    assert _errors(base, overlay) == [
        f"{overlay}:3:10: web.fetch: Input should be 'allow', 'ask' or 'deny'"
    ]


def test_layered_example_error_in_new_rule_points_into_its_file(tmp_path: Path) -> None:
    """A failing example of a rule that only the overlay defines is reported in the overlay."""
    base = _write(tmp_path, "base.yaml", BASE)
    overlay = _write(
        tmp_path,
        "overlay.yaml",
        "version: 1\npaths:\n  - id: keys\n    match: ['*.pem']\n    read: ask\n"
        "    examples: [id_rsa]\n",
    )
    (error,) = _errors(base, overlay)
    assert error.startswith(f"{overlay}:")


def test_layered_example_error_in_replaced_rule_points_into_the_overlay(tmp_path: Path) -> None:
    """An overlay that replaces a rule by id and breaks its example is blamed, not the base."""
    base = _write(
        tmp_path,
        "base.yaml",
        "version: 1\npaths:\n  - id: secrets\n    match: [.env]\n    read: ask\n"
        "    examples: [.env]\n",
    )
    overlay = _write(
        tmp_path,
        "overlay.yaml",
        "version: 1\npaths:\n  - id: extra\n    match: [x.txt]\n  - id: secrets\n"
        "    match: [.secret]\n    read: ask\n    examples: [.env]\n",
    )
    (error,) = _errors(base, overlay)
    assert error.startswith(f"{overlay}:8:16: ")


def test_unreadable_file(tmp_path: Path) -> None:
    """A missing file is a located problem, not a crash."""
    missing = str(tmp_path / "nope.yaml")
    (error,) = _errors(missing)
    assert error.startswith(f"{missing}:1:1: cannot read policy file")


def test_the_shipped_policies_load() -> None:
    """The default policy and the article's example load, with every example holding."""
    root = Path(__file__).resolve().parent.parent / "policies"
    for file in (root / "default.yaml", root / "examples" / "astro-blog-discovery.yaml"):
        assert build([str(file)])["defaults"]["on_error"] == "deny"
