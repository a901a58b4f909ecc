"""The policy's name lists: ``secrets.variables``, ``production.hosts``, ``production.variables``.

agentguard knows secret variables by their names (``GITHUB_TOKEN``, ``PGPASSWORD``,
``DATABASE_URL`` …) and production hosts and variables by a name part (``prod-db``,
``MONGO_URL_PROD``); a team's own names say neither (``ACME_DB``, ``db-main.acme.com``).
These lists add them: a listed secret variable expanded into a command is a secret read
as a built-in one is, and a data client aimed at a listed host or variable handles
production data. They only ever add to the built-in knowledge, never take from it.

An entry is a name or a glob whose only wildcard is ``*`` (``ACME_*``, ``*.prod.acme.internal``);
variables are matched ignoring case, as the built-in names are, hosts ignoring case as
DNS does. Cold path: the pydantic models, their compiled form, and lint's findings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from agentguard.policy.fields import Strict
from agentguard.report import Finding
from agentguard.starglob import match as glob_match

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledProduction, CompiledSecrets
    from agentguard.policy.loader import Loaded

_VARIABLE = re.compile(r"^[A-Za-z_*][A-Za-z0-9_*]*$")
_HOST = re.compile(r"^[A-Za-z0-9*][A-Za-z0-9.*-]*$")


def _check_variable(value: str) -> str:
    if not _VARIABLE.match(value) or value[0].isdigit():
        raise ValueError(
            f"variable {value!r}: write a shell variable name (letters, digits and _, not"
            " starting with a digit, no $), with * for any run of characters: ACME_DB_URL,"
            " ACME_*"
        )
    if not value.strip("*"):
        raise ValueError(
            f"variable {value!r}: a bare * matches every variable (HOME, PATH …); name the"
            " variables, or a prefix such as ACME_*"
        )
    return value.upper()


def _check_host(value: str) -> str:
    host = value.rstrip(".")
    if "://" in value or "/" in value or ":" in value or "@" in value:
        raise ValueError(
            f"host {value!r}: write the host name alone (db-main.acme.com), without a scheme,"
            " user, port or path"
        )
    if not _HOST.match(host) or ".." in host:
        raise ValueError(
            f"host {value!r}: write a host name or address (letters, digits, . and -), with *"
            " for any run of characters: db-main.acme.com, *.prod.acme.internal"
        )
    if not host.strip("*."):
        raise ValueError(
            f"host {value!r}: a glob of only * and . matches every host; name the hosts, or a"
            " domain such as *.prod.acme.internal"
        )
    return host.lower()


VariableGlob = Annotated[str, AfterValidator(_check_variable)]
HostGlob = Annotated[str, AfterValidator(_check_host)]


class Secrets(Strict):
    """Names of the environment variables that hold credentials, beyond the built-in ones."""

    variables: list[VariableGlob] = Field(
        default_factory=list,
        description=(
            "Variable names or * globs (ACME_SIGNING_SEED, ACME_*), ignoring case; expanding"
            " one into a command ($X, ${X:0:4}, ${X:-d} …) is a secret read, as for the"
            " built-in names (*TOKEN, *SECRET, *PASSWORD, *_KEY, DATABASE_URL …)."
        ),
    )


class Production(Strict):
    """What names production, beyond the built-in name parts (prod, production, prd, live)."""

    hosts: list[HostGlob] = Field(
        default_factory=list,
        description=(
            "Host names or * globs (db-main.acme.com, *.prod.acme.internal), ignoring case;"
            " a database, cache or queue client aimed at one handles production data."
        ),
    )
    variables: list[VariableGlob] = Field(
        default_factory=list,
        description=(
            "Variable names or * globs (ACME_DB, ACME_MAIN_*) that hold a production target;"
            ' a data client given one (psql "$ACME_DB") handles production data.'
        ),
    )


def merge(base: object, layer: object) -> object:
    """A later policy file's list section on top of an earlier one's: the lists join (a
    layer only ever adds names, as the lists only ever add to the built-in knowledge)."""
    if not isinstance(base, dict) or not isinstance(layer, dict):
        return layer
    out = dict(base)
    for key, value in layer.items():
        earlier = out.get(key)
        if isinstance(earlier, list) and isinstance(value, list):
            out[key] = [*earlier, *(v for v in value if v not in earlier)]
        else:
            out[key] = value
    return out


def compile_secrets(secrets: Secrets) -> CompiledSecrets:
    """The hook's form: the variable globs, upper-cased and de-duplicated, in order."""
    return {"variables": list(dict.fromkeys(secrets.variables))}


def compile_production(production: Production) -> CompiledProduction:
    """The hook's form: host globs lower-cased, variable globs upper-cased, de-duplicated."""
    return {
        "hosts": list(dict.fromkeys(production.hosts)),
        "variables": list(dict.fromkeys(production.variables)),
    }


def _warn(loaded: Loaded, where: tuple[str | int, ...], message: str) -> Finding:
    return Finding("list-adds-nothing", loaded.locate(where, message, "warning"))


def _covered(entries: list[str], i: int) -> str | None:
    """An earlier entry of the same list that already matches everything entry ``i`` does."""
    entry = entries[i]
    for other in entries[:i]:
        # A glob covers an entry when it matches the entry's text read literally: * in the
        # entry then stands for itself, which the covering glob's * also matches.
        if glob_match(other, entry):
            return other
    return None


def _production_by_name(entry: str, host: bool) -> bool:
    """Whether every name ``entry`` matches is production by the built-in name parts: a
    part of it that stays a whole part whatever its ``*`` stand for (``*.prod.acme.x``)."""
    from agentguard.shell.programs.data import production_host, production_variable

    if "*" not in entry:
        return production_host(entry) if host else production_variable(entry)
    pieces = entry.split("*")
    separators = ".-_" if host else "_"
    for i, piece in enumerate(pieces):
        text = piece
        for sep in separators[1:]:
            text = text.replace(sep, separators[0])
        parts = text.split(separators[0])
        # The first part runs on from a * before it, the last into a * after it.
        whole = parts[1 if i > 0 else 0 : len(parts) - 1 if i < len(pieces) - 1 else None]
        probe = separators[0].join(p for p in whole if p)
        if probe and (production_host(probe) if host else production_variable(probe)):
            return True
    return False


def findings(loaded: Loaded) -> list[Finding]:
    """Lint warnings: list entries that add nothing (a built-in already knows the name, or
    an earlier entry covers it)."""
    from agentguard.redact import secret_var

    policy = loaded.policy
    out: list[Finding] = []
    sections: list[tuple[tuple[str, str], list[str], str]] = [
        (("secrets", "variables"), policy.secrets.variables, "variable"),
        (("production", "variables"), policy.production.variables, "variable"),
        (("production", "hosts"), policy.production.hosts, "host"),
    ]
    for where, entries, kind in sections:
        for i, entry in enumerate(entries):
            path = (*where, i)
            covering = _covered(entries, i)
            if covering is not None:
                out.append(
                    _warn(
                        loaded,
                        path,
                        f"{kind} {entry!r} is already matched by {covering!r} above"
                        " (matching ignores case); remove it",
                    )
                )
                continue
            if where == ("secrets", "variables"):
                # A glob's names are not all secrets by name: only a name is checked.
                known = "*" not in entry and secret_var(entry)
            else:
                known = _production_by_name(entry, where == ("production", "hosts"))
            if known:
                what = "a secret" if where[0] == "secrets" else "production"
                it = f"every {kind} it matches" if "*" in entry else "it"
                out.append(
                    _warn(
                        loaded,
                        path,
                        f"{kind} {entry!r}: agentguard already knows {it} as {what} by name;"
                        " remove it (the list is for names the built-in patterns miss)",
                    )
                )
    return out
