"""What every policy model shares: the decision and class types, rule ids, the strict base. Cold.

Rule ids follow one pattern and may not be one of agentguard's own
(:data:`agentguard.vocabulary.BUILTIN_RULE_IDS`); the ``builtin`` classes are the
vocabulary's too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from agentguard.vocabulary import BUILTIN_CLASSES, BUILTIN_RULE_IDS

Decision = Literal["allow", "ask", "deny"]

# The names a rule's ``builtin`` may take, from agentguard's one vocabulary; mypy sees a str,
# pydantic and the JSON Schema the Literal of every class.
if TYPE_CHECKING:
    BuiltinClass = str
else:
    BuiltinClass = Literal[BUILTIN_CLASSES]

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
AGENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Claude Code's agent_type: built-in (Explore, Plan, general-purpose), a custom agent of
# .claude/agents/*.md, or a plugin's (plugin:name); "*" is every subagent.
SUBAGENT_TYPE = re.compile(r"^(?:\*|[A-Za-z0-9][A-Za-z0-9._:-]*)$")

# Rule ids the guard reports for its own judgements; a policy may not reuse them, or a log
# reader (and the agent) could not tell a policy rule from a built-in one.
RESERVED_IDS = BUILTIN_RULE_IDS
# How the loader's message says so (lint gives such a problem its own code, reserved-id).
RESERVED_MARK = "is reserved for agentguard's own rules"


class Strict(BaseModel):
    """Base for every policy model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_id(value: str) -> str:
    """``value`` when it is a usable rule id: the id pattern, and none of agentguard's own."""
    if not RULE_ID.match(value):
        raise ValueError(
            f"rule id {value!r} must be lower-case letters, digits, '.', '_' or '-'"
            " and start with a letter or digit"
        )
    if value in RESERVED_IDS:
        raise ValueError(
            f"rule id {value!r} {RESERVED_MARK} (the hook reports its own judgements under"
            f" it); rename it, for example to 'team-{value}'"
        )
    return value


REQUIRE_ENV_DOC = (
    "With allow: variables that must hold a non-empty value in the command's own"
    " environment (a prefix assignment, env NAME=1, or an earlier export in the same"
    " line; the agent's shell environment is unknown and never counts)."
)
OTHERWISE_DOC = (
    "With require_env: what an allowed command is without them: a built-in class"
    " (decided by the policy's rule for it, e.g. network) or ask/deny."
)


def check_env_condition(require_env: list[str], otherwise: str | None, has_allow: bool) -> None:
    """A command rule's ``require_env``/``otherwise`` make sense, or ``ValueError``."""
    if require_env and not has_allow:
        raise ValueError("'require_env' conditions an allow: add the 'allow' patterns")
    if otherwise is not None and not require_env:
        raise ValueError("'otherwise' goes with 'require_env': name the variables")
    if otherwise == "allow":
        raise ValueError("'otherwise: allow' makes require_env pointless; use ask or deny")
    for name in require_env:
        if (
            not name
            or not (name[0].isalpha() or name[0] == "_")
            or not (name.replace("_", "a").isalnum())
        ):
            raise ValueError(f"require_env: {name!r} is not a variable name; write NAME")
