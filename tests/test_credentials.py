"""Credential stores and credential commands: the built-in class, its fields, the send floor."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from agentguard.engine.patterns import deciding_pattern
from agentguard.policy import credentials
from agentguard.policy.compiler import gitignore_regexes
from agentguard.policy.model import CommandRule, PathClass

COMPILED = gitignore_regexes(list(credentials.PATTERNS))


@pytest.mark.parametrize("path", credentials.EXAMPLES)
def test_every_store_example_is_a_credential_store(path: str) -> None:
    """Each example path (one per tool family) matches the built-in list."""
    assert deciding_pattern(COMPILED, path) is not None


@pytest.mark.parametrize("path", credentials.NOT_EXAMPLES)
def test_ordinary_files_are_not_credential_stores(path: str) -> None:
    """Look-alikes (src/aws.ts, an editor's config, a kube cache) do not match."""
    assert deciding_pattern(COMPILED, path) is None


def test_a_builtin_class_needs_no_patterns_but_a_plain_one_does() -> None:
    """``builtin: credential-stores`` stands alone; a class with neither is refused."""
    PathClass(id="creds", builtin="credential-stores", read="ask")
    with pytest.raises(ValidationError, match="needs 'match' patterns or a 'builtin'"):
        PathClass(id="empty", read="ask")


def test_send_on_a_command_rule_goes_with_builtin() -> None:
    """``send`` decides what a built-in class reads, so a token-pattern rule cannot carry it."""
    CommandRule(id="c", builtin="credential-read", decision="ask", send="deny")
    with pytest.raises(ValidationError, match="'send' goes with 'builtin'"):
        CommandRule(id="c", ask=["gh auth token"], send="deny")


def _compiled(policy: dict[str, Any]) -> dict[str, Any]:
    from agentguard.policy.compiler import compile_policy
    from agentguard.policy.model import Policy

    return compile_policy(Policy.model_validate(policy))


def test_the_compiled_class_carries_the_builtin_list_and_its_own_patterns() -> None:
    """The compiler expands the built-in list, keeps the class's own patterns after it."""
    compiled = _compiled(
        {
            "version": 1,
            "paths": [
                {
                    "id": "creds",
                    "builtin": "credential-stores",
                    "match": ["deploy/keys/**"],
                    "read": "ask",
                    "send": "deny",
                }
            ],
        }
    )
    (cls,) = compiled["paths"]
    assert cls["send"] == "deny"
    assert deciding_pattern(cls["patterns"], "home/u/.ssh/id_rsa") is not None
    assert deciding_pattern(cls["patterns"], "deploy/keys/prod.pem") is not None
    assert deciding_pattern(cls["patterns"], "src/index.ts") is None
