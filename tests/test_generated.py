"""Generated files are current, and the shipped policies satisfy the generated schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from agentguard.claude import plugin
from agentguard.commands import schema
from agentguard.commands.install import render_project_settings

REPO = Path(__file__).resolve().parent.parent
POLICIES = sorted((REPO / "policies").rglob("*.yaml"))


def test_schema_is_current() -> None:
    """policies/agentguard.schema.json equals the schema generated from the models."""
    committed = (REPO / "policies" / "agentguard.schema.json").read_text(encoding="utf-8")
    assert committed == schema.render(), "stale schema: run `agentguard schema --write`"


def test_project_settings_are_current() -> None:
    """This repository's .claude/settings.json holds exactly agentguard's generated hooks."""
    committed = (REPO / ".claude" / "settings.json").read_text(encoding="utf-8")
    assert committed == render_project_settings(committed), (
        "stale .claude/settings.json: run"
        " `python -c 'from agentguard.commands.install import render_project_settings as r;"
        ' print(r(open(".claude/settings.json").read()), end="")\' > .claude/settings.json`'
    )


def test_plugin_files_are_current() -> None:
    """The plugin's manifest, marketplace, hooks files and entry equal what is generated."""
    assert plugin.stale(REPO) == [], (
        "stale plugin files: run `python -m agentguard.claude.plugin --write`"
    )


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_policy_satisfies_schema(path: Path) -> None:
    """Every shipped policy validates against the generated JSON Schema (editor view)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema.generate())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert [e.message for e in errors] == []


def test_schema_rejects_what_the_model_rejects() -> None:
    """The schema and the pydantic model agree on an unknown field and a bad decision."""
    validator = jsonschema.Draft202012Validator(schema.generate())
    assert not validator.is_valid({"version": 1, "defualts": {}})
    assert not validator.is_valid({"version": 1, "defaults": {"on_error": "maybe"}})
    assert validator.is_valid({"version": 1, "defaults": {"on_error": "ask"}})


def test_schema_carries_descriptions() -> None:
    """Editors show field documentation: every property of Agent has a description."""
    generated = schema.generate()
    agent = generated["$defs"]["Agent"]["properties"]
    assert {name for name, spec in agent.items() if "description" not in spec} == set()
    assert json.dumps(generated)  # serialisable as the file is
