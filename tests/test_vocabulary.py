"""vocabulary.py: every rule id the hook reports is listed once, and no policy may take one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from agentguard.policy import fields, model
from agentguard.vocabulary import BUILTIN_CLASSES, BUILTIN_RULE_IDS

PACKAGE = Path(__file__).resolve().parent.parent / "agentguard"
# The hook's code: whatever it reports comes from these folders.
HOT = ("hook", "engine", "shell", "state", "claude")
_LABEL = re.compile(r"\[agentguard:([a-z][a-z0-9-]*)\]")


def _literal_ids(node: ast.expr) -> list[str] | None:
    """The rule ids a ``Match`` first argument can be when it is written out; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, other = _literal_ids(node.body), _literal_ids(node.orelse)
        return None if body is None or other is None else body + other
    return None


def emitted(source: str) -> set[str]:
    """Rule ids a module's code reports: ``Match("id", …)`` and ``[agentguard:id]`` in text."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "Match":
                found.update(_literal_ids(node.args[0]) or [])
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(_LABEL.findall(node.value))
    return found


def _hot_ids() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for folder in HOT:
        for file in sorted((PACKAGE / folder).rglob("*.py")):
            for rule in emitted(file.read_text("utf-8")):
                out.setdefault(rule, set()).add(str(file.relative_to(PACKAGE)))
    return out


def test_the_walker_finds_literal_and_conditional_ids_and_labels() -> None:
    """The collector sees the forms the hook writes ids in, and skips a policy's own ids."""
    source = (
        'Match("opaque", ASK, "x")\n'
        'Match("a" if x else "b", DENY, "y")\n'
        'Match(cls["id"], DENY, "z")\n'
        'reason = f"[agentguard:loop] again {sig}"\n'
    )
    assert emitted(source) == {"opaque", "a", "b", "loop"}


def test_every_rule_id_the_hook_reports_is_in_the_vocabulary() -> None:
    """A new Match("…") literal on the hot path fails here until vocabulary.py lists it."""
    unknown = {rule: sorted(files) for rule, files in _hot_ids().items()}
    unknown = {rule: files for rule, files in unknown.items() if rule not in BUILTIN_RULE_IDS}
    assert unknown == {}


def test_every_vocabulary_id_is_reported_somewhere() -> None:
    """No id is reserved for nothing: each one is reported by the hook's code."""
    assert sorted(BUILTIN_RULE_IDS - set(_hot_ids())) == []


def test_the_model_reserves_the_vocabulary_and_offers_its_classes() -> None:
    """The policy model's reserved ids and builtin choices are the vocabulary itself."""
    assert fields.RESERVED_IDS == BUILTIN_RULE_IDS
    schema = model.CommandRule.model_json_schema()
    choices = next(s for s in schema["properties"]["builtin"]["anyOf"] if "enum" in s)
    assert tuple(choices["enum"]) == BUILTIN_CLASSES


@pytest.mark.parametrize("rule", sorted(BUILTIN_RULE_IDS))
def test_no_policy_rule_may_take_a_builtin_id(rule: str) -> None:
    """A command rule named like a built-in judgement (opaque, web …) does not validate."""
    with pytest.raises(ValidationError, match="reserved for agentguard's own rules"):
        model.CommandRule(id=rule, ask=["curl"])


@pytest.mark.parametrize("rule", ["opaque-code", "web-ok", "privilege", "network"])
def test_a_policy_may_name_a_rule_after_a_class(rule: str) -> None:
    """Ids that only resemble the vocabulary (or name the class a rule decides) still load."""
    assert model.CommandRule(id=rule, ask=["curl"]).id == rule
