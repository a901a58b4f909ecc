"""The policy's name lists (``secrets.variables``, ``production.hosts``/``variables``), for
the classifier.

The analyser's ``programs`` mapping is what the policy tells it beyond the catalogue: the
declared programs (:mod:`agentguard.shell.declared`) and, under the keys of :data:`KEYS`,
these lists. :func:`with_lists` puts them there from the compiled policy; the classifier
asks :func:`secret_variable`, :func:`production_host` and :func:`production_variable`.
An entry is a name or a glob whose one wildcard is ``*``, matched by
:func:`agentguard.starglob.match`: variables upper-cased, hosts lower-cased, as the
compiler stores the entries.

Hot path: standard library only, plain dicts and lists.
"""

from __future__ import annotations

from agentguard.starglob import match as glob_match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from agentguard.policy.compiled_types import CompiledBody

SECRETS = "secret_variables"
HOSTS = "production_hosts"
VARIABLES = "production_variables"
KEYS = (SECRETS, HOSTS, VARIABLES)


def _any(patterns: Sequence[str], text: str) -> bool:
    return any(glob_match(p, text) for p in patterns)


def with_lists(programs: Mapping[str, Any] | None, policy: CompiledBody) -> Any:
    """``programs`` (the compiled ``programs:`` section, or None) with the compiled policy's
    name lists added; unchanged when the policy lists nothing."""
    secrets = (policy.get("secrets") or {}).get("variables") or []
    production = policy.get("production") or {}
    hosts = production.get("hosts") or []
    variables = production.get("variables") or []
    if not (secrets or hosts or variables):
        return programs
    out = dict(programs) if programs else {}
    out.update({SECRETS: secrets, HOSTS: hosts, VARIABLES: variables})
    return out


def lists_of(programs: Mapping[str, Any]) -> dict[str, Any]:
    """Only the name lists of an analyser's ``programs`` mapping (kept across a rebuild)."""
    return {key: programs[key] for key in KEYS if key in programs}


def secret_variable(programs: Mapping[str, Any] | None, name: str) -> bool:
    """Whether the policy lists variable ``name`` as holding a credential."""
    listed = programs.get(SECRETS) if programs else None
    return bool(listed) and _any(listed, name.upper())  # type: ignore[arg-type]


def production_host(programs: Mapping[str, Any] | None, host: str) -> bool:
    """Whether the policy lists ``host`` (a bare host name, any case) as production."""
    listed = programs.get(HOSTS) if programs else None
    return bool(listed) and _any(listed, host.lower().rstrip("."))  # type: ignore[arg-type]


def production_variable(programs: Mapping[str, Any] | None, name: str) -> bool:
    """Whether the policy lists variable ``name`` as holding a production target."""
    listed = programs.get(VARIABLES) if programs else None
    return bool(listed) and _any(listed, name.upper())  # type: ignore[arg-type]
