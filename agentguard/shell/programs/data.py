"""Database, cache and queue clients (``psql``, ``mysql``, ``mongosh``, ``redis-cli``,
``kafka-*`` …): they reach a network service, read and write the files their options name,
and handle production data when their target names a production host or variable.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

import re

from agentguard.shell import listed
from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.effects import Effects, fact_set, operands, option_values
from agentguard.shell.model import SimpleCommand, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

# A URI's host: ``scheme://[user[:password]@]host[:port][/…]``; several hosts may be
# listed (``mongodb://a,b/db``).
# The look-behind starts a scheme only where a run of scheme characters starts: without
# it a long word is tried from each of its characters, and 40 KB take seconds. A quote
# ends the host (the whole line is read as written, quotes and all).
_URI = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/\s]*@)?([^/?\s'\x22]+)")
# A connection string's host: libpq's ``host=H dbname=D`` and a URI's ``?host=H&…``
# (``postgresql:///app?host=H`` aims at H whatever the URI's own host), ODBC's ``Server=H;…``.
_KEYWORD_HOST = re.compile(
    r"(?:^|[\s;?&])(?:host|hostaddr|server|data source|service)=([^\s;&]+)", re.I
)
# A variable expanded into an argument: ``$NAME``, ``${NAME…}``.
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# Name parts that say production, in a host (``prod-db.internal``, ``db.production.x``)
# or a variable (``DATABASE_URL_PROD``); ``product`` or ``prodigy`` are not among them.
_PRODUCTION_PARTS = frozenset({"prod", "production", "prd", "live"})
# SQL Server's protocol prefixes of a server name (``tcp:db,1433``).
_PROTOCOLS = frozenset({"tcp:", "np:", "lpc:"})
# What a line may take a production target from without a ``$``: ``$(printenv NAME)``,
# a plain word an indirect expansion names (``n=PROD_DB; psql "${!n}"``), and a dotenv
# file named for production (``source .env.production``).
_PRINTENV = re.compile(r"\bprintenv\s+([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_FILE = re.compile(r"(?<![\w.-])[\w.-]*\.env\b[\w.-]*")
# Builtins whose ``NAME=VALUE`` arguments set a variable.
_SETTERS = frozenset({"export", "declare", "typeset", "local", "readonly"})


def host_names(text: str) -> list[str]:
    """The bare host names of a target: ``[user@]host[:port]`` items, comma-separated, a
    bracketed IPv6 address, and MongoDB's ``set/host`` (``--host rs0/db-1:27017``) and
    ``host/db`` (``mongosh db-1/app``) forms, whose every part is a candidate."""
    names = []
    for given in text.split(","):
        # sqlcmd's ``tcp:host,port``: the protocol is not the host.
        protocol = given[:4].lower() in _PROTOCOLS or given[:3].lower() in _PROTOCOLS
        item = given.split(":", 1)[1] if protocol else given
        for part in item.rsplit("@", 1)[-1].split("/"):
            # ``[::1]:5432``, ``db:5432``: the port is not part of the name.
            name = part[1:].split("]", 1)[0] if part[:1] == "[" else part.split(":", 1)[0]
            if name:
                names.append(name.lower())
    return names


def production_host(text: str) -> bool:
    """Whether a host (``host[:port]``, comma-separated lists) names production."""
    for name in host_names(text):
        parts = re.split(r"[.\-_]", name)
        if any(p.rstrip("0123456789") in _PRODUCTION_PARTS for p in parts):
            return True
    return False


def production_variable(name: str) -> bool:
    """Whether a variable's name marks it as production (``PROD_DB``, ``MONGO_URL_PROD``)."""
    return any(p.rstrip("0123456789") in _PRODUCTION_PARTS for p in name.lower().split("_"))


def _production_host(fx: Effects, text: str) -> bool:
    """A host (``host[:port]``, comma-separated lists) that names production by its name
    or because the policy lists it (``production.hosts``)."""
    return _production_host_in(fx.known, text)


def _production_host_in(known: Mapping[str, Any] | None, text: str) -> bool:
    if production_host(text):
        return True
    if known is None:
        return False
    return any(listed.production_host(known, name) for name in host_names(text))


def _production_variable(fx: Effects, name: str) -> bool:
    """A variable that holds a production target, by its name or the policy's list."""
    return _production_variable_in(fx.known, name)


def _production_variable_in(known: Mapping[str, Any] | None, name: str) -> bool:
    return production_variable(name) or listed.production_variable(known, name)


def line_production(line: str, known: Mapping[str, Any] | None) -> str | None:
    """Why ``line`` names production anywhere (a production variable expanded, a URI or
    connection string aimed at a production host), or None."""
    names = _VARIABLE.findall(line) + _PRINTENV.findall(line)
    if "${!" in line:  # ``n=DATABASE_URL_PROD; psql "${!n}"``: the name is a plain word
        names += _NAME.findall(line)
    for name in names:
        if _production_variable_in(known, name):
            return f"the line expands {name}, a production variable"
    for name in _ENV_FILE.findall(line):
        if production_variable(re.sub(r"[.-]", "_", name)):
            return f"the line names {name}, a production environment file"
    for host in _URI.findall(line) + _KEYWORD_HOST.findall(line):
        if _production_host_in(known, host):
            return f"the line names {host}, a production host"
    return None


def _split(text: str) -> list[str]:
    """The hosts a text names as URIs (a plain text is its own candidate host)."""
    hosts = _URI.findall(text)
    return hosts if hosts else [text]


def client(fx: Effects) -> None:
    """A data client: network; ``read_options``/``write_options`` name files; a host option,
    a URI or a production variable in any argument marks production data (production by
    its name, or listed by the policy: ``production.hosts``, ``production.variables``)."""
    fx.cls("network")
    facts = fx.facts
    ops, opts = operands(fx.args, fact_set(facts, "values"))
    for value in option_values(opts, *fact_set(facts, "read_options")):
        fx.add("read", value)
    writes = option_values(opts, *fact_set(facts, "write_options"))
    for value in writes:
        fx.cls("file-write")
        fx.add("write", value)
    if facts.get("reads_operands"):
        for w in ops:
            if "://" not in w.text:
                fx.add("read", w)
    production = any(
        _production_host(fx, h) for w in _hosts(facts, ops, opts) for h in _split(w.text)
    )
    for w in fx.args:
        named = _URI.findall(w.text) + _KEYWORD_HOST.findall(w.text)
        if any(_production_host(fx, h) for h in named) or any(
            _production_variable(fx, v) for v in _VARIABLE.findall(w.text)
        ):
            production = True
    # A prefix assignment aims the client too (``PGHOST=prod-db psql``), and so does a
    # variable the line exported before it; one that copies a production variable or
    # URI does whatever its name. What earlier commands of the line set and the line's
    # own text are judged once the whole line is analysed (:func:`mark_line`).
    host_variables = fact_set(facts, "host_variables")
    if _aimed(fx.known, {**fx.cmd.exported, **fx.cmd.assigns}, host_variables):
        production = True
    if production:
        fx.cls("production-data")
        fx.cmd.notes.append("the target names a production host or variable")


def _hosts(
    facts: Mapping[str, object], ops: list[Word], opts: list[tuple[str, Word]]
) -> list[Word]:
    """The words that name a client's target: host options, and profile options (a saved
    profile or configuration file picks the target as a host does, and its name is judged
    the same way: ``mysql --login-path=production``, ``kcat -F prod.conf``); the operands
    of a client that takes its host as one, bar a script (``mongosh localhost x.js``)."""
    hosts = option_values(
        opts, *fact_set(facts, "host_options"), *fact_set(facts, "profile_options")
    )
    if facts.get("host_operands"):
        hosts.extend(w for w in ops if not w.text.endswith(".js"))
    return hosts


def _aimed(
    known: Mapping[str, Any] | None, values: Mapping[str, str], host_variables: frozenset[str]
) -> bool:
    """Whether variables with these ``values`` aim a client at production: a host variable
    holding a production host, or a value naming a production URI or variable."""
    for name, value in values.items():
        if (
            (name in host_variables and _production_host_in(known, value))
            or any(_production_host_in(known, h) for h in _URI.findall(value))
            or any(_production_variable_in(known, v) for v in _VARIABLE.findall(value))
        ):
            return True
    return False


def mark_line(commands: list[SimpleCommand], line: str, known: Mapping[str, Any] | None) -> None:
    """Mark the data clients among ``commands`` (network, not yet production data) that the
    rest of the line aims at production, in one pass over the commands.

    A variable an earlier command set (``X=$MONGO_URL_PROD; mongosh "$X"``, ``export``,
    transitively ``A=$PROD; B=$A``) is judged as the client would get it, and so is one
    in a host word the line's tracking leaves alone (``H=prod-db; psql -h "${H:-x}"``)
    and a host variable set earlier, exported or not (one the environment already
    exports takes a plain assignment). Failing that, the line's own text
    (:func:`line_production`) decides.
    """
    values: dict[str, str] = {}
    text: list[str | None] = []  # line_production's answer, once asked
    for cmd in commands:
        facts = PROGRAMS.get(cmd.program) if cmd.argv else None
        if (
            facts is not None
            and facts.get("family") == "data"
            and "network" in cmd.classes
            and "production-data" not in cmd.classes
        ):
            why = _from_earlier(cmd, facts, values, known)
            if why is None:
                if not text:
                    text.append(line_production(line, known))
                why = text[0]
            if why is not None:
                cmd.classes.add("production-data")
                cmd.notes.append(why)
        values.update(cmd.assigns)
        if cmd.argv and cmd.argv[0] in _SETTERS:  # ``export X=$PROD_DB``
            for arg in cmd.argv[1:]:
                name, eq, value = arg.partition("=")
                if eq and not arg.startswith("-"):
                    values[name] = value


def _from_earlier(
    cmd: SimpleCommand,
    facts: Mapping[str, object],
    values: Mapping[str, str],
    known: Mapping[str, Any] | None,
) -> str | None:
    """Why the values earlier commands set aim ``cmd`` at production, or None."""
    args = [Word(t, d) for t, d in zip(cmd.argv[1:], cmd.dyn[1:], strict=False)]
    ops, opts = operands(args, fact_set(facts, "values"))
    in_hosts = _follow(
        values, [v for w in _hosts(facts, ops, opts) for v in _VARIABLE.findall(w.text)]
    )
    if any(_production_host_in(known, h) for v in in_hosts.values() for h in _split(v)):
        return "a host variable set earlier in the line names production"
    host_variables = fact_set(facts, "host_variables")
    expanded = [v for w in args for v in _VARIABLE.findall(w.text)]
    if _aimed(known, _follow(values, [*expanded, *host_variables]), host_variables):
        return "a variable set earlier in the line names production"
    return None


def _follow(values: Mapping[str, str], names: list[str]) -> dict[str, str]:
    """The ``values`` of the variables ``names``, and of those their values expand in turn."""
    found: dict[str, str] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in found or name not in values:
            continue
        found[name] = values[name]
        todo.extend(_VARIABLE.findall(values[name]))
    return found


def client_or_local(fx: Effects) -> None:
    """``clickhouse``: ``clickhouse local`` runs SQL on local files (opaque); the other
    sub-commands (``client`` …) are :func:`client`."""
    if fx.args and fx.args[0].text in fact_set(fx.facts, "local_verbs"):
        fx.cls("opaque")
        fx.cmd.notes.append(f"{fx.cmd.program} {fx.args[0].text} runs SQL on local files")
        return
    client(fx)
