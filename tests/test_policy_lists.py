"""The policy's name lists (issue 11, items 2 and 3): ``secrets.variables`` makes a team's
own credential variables secret reads in every expansion form, and ``production.hosts``/
``production.variables`` make a data client aimed at them production data; entries are
validated where they are written, layers join, and the lists only ever add."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.errors import PolicyError
from agentguard.hook import run as hook
from agentguard.policy.compiler import build
from agentguard.policy.lists import findings
from agentguard.policy.loader import load_files
from agentguard.shell import analyse
from agentguard.shell.declared import for_worktree
from agentguard.shell.listed import with_lists
from agentguard.starglob import match as glob_match

LISTS = """\
secrets:
  variables: [ACME_*, signing_seed]
production:
  hosts: [db-main.acme.com, "*.db.acme.internal"]
  variables: [ACME_DB]
"""

POLICY = """\
version: 1
agents:
  search: {branch: agent/search, worktree: project, owns: ["**"], checks: [build]}
checks:
  build: {run: npm run build}
commands:
  - {id: env-dump, builtin: env-dump, decision: ask}
  - {id: production, builtin: production-data, decision: deny}
  - {id: network, builtin: network, decision: allow}
"""


def _write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _known(tmp_path: Path, lists: str = LISTS) -> Any:
    """The analyser's knowledge for a policy with ``lists``, as the hook builds it."""
    compiled = build([_write(tmp_path, POLICY + lists)])
    return for_worktree(with_lists(compiled["programs"], compiled), str(tmp_path))


def _classes(line: str, known: Any) -> set[str]:
    analysis = analyse(line, "/nonexistent-lists", {"HOME": "/home/u"}, programs=known)
    return set().union(*(cmd.classes for cmd in analysis.commands))


class Hook:
    """The PreToolUse hook in-process, as agent ``search``."""

    def __init__(self, tmp_path: Path, policy: str) -> None:
        self.project = tmp_path / "project"
        self.project.mkdir()
        self.env = {
            "AGENTGUARD_HOME": str(tmp_path / "state"),
            "AGENTGUARD_POLICY": str(_write(tmp_path, policy)),
            "AGENTGUARD_AGENT": "search",
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.project),
        }

    def bash(self, line: str) -> str:
        """allow, ask, deny, or none (no opinion) for one Bash line."""
        event = {
            "session_id": "s-lists",
            "cwd": str(self.project),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": line},
            "tool_use_id": "toolu_lists",
        }
        out = io.StringIO()
        assert hook.main(["PreToolUse"], io.StringIO(json.dumps(event)), out, self.env) == 0
        if not out.getvalue():
            return "none"
        decision: str = json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"]
        return decision


def test_the_compiled_lists_are_normalised(tmp_path: Path) -> None:
    """Variables are stored upper-cased, hosts lower-cased without a trailing dot, each once."""
    lists = """\
secrets: {variables: [acme_seed, ACME_SEED, "*_DSN"]}
production: {hosts: [DB-Main.Acme.com., db-main.acme.com], variables: [acme_db]}
"""
    compiled = build([_write(tmp_path, POLICY + lists)])
    assert compiled["secrets"] == {"variables": ["ACME_SEED", "*_DSN"]}
    assert compiled["production"] == {"hosts": ["db-main.acme.com"], "variables": ["ACME_DB"]}


def test_a_policy_without_lists_compiles_empty_ones(tmp_path: Path) -> None:
    """No section: empty lists, and the analyser gets no knowledge mapping at all."""
    compiled = build([_write(tmp_path, POLICY)])
    assert compiled["secrets"] == {"variables": []}
    assert compiled["production"] == {"hosts": [], "variables": []}
    assert with_lists(compiled["programs"], compiled) == {}


@pytest.mark.parametrize(
    ("lists", "where", "says"),
    [
        ("secrets: {variables: [$ACME_SEED]}", "secrets.variables[0]", "no $"),
        ("secrets: {variables: [1ACME]}", "secrets.variables[0]", "not starting with a digit"),
        ("secrets: {variables: [ACME-SEED]}", "secrets.variables[0]", "shell variable name"),
        ('secrets: {variables: ["*"]}', "secrets.variables[0]", "matches every variable"),
        ('production: {variables: ["**"]}', "production.variables[0]", "every variable"),
        ("production: {hosts: ['postgres://db-main.acme.com']}", "production.hosts[0]", "scheme"),
        ("production: {hosts: ['db-main.acme.com:5432']}", "production.hosts[0]", "port"),
        ("production: {hosts: ['db main']}", "production.hosts[0]", "host name or address"),
        ("production: {hosts: ['*.*']}", "production.hosts[0]", "matches every host"),
        ("production: {servers: [db]}", "production.servers", "unknown field"),
    ],
)
def test_a_bad_entry_is_refused_where_it_is_written(
    tmp_path: Path, lists: str, where: str, says: str
) -> None:
    """Each bad entry is an error at its own line, saying what is wrong and how to write it."""
    with pytest.raises(PolicyError) as caught:
        build([_write(tmp_path, POLICY + lists + "\n")])
    problem = caught.value.problems[0]
    assert problem.field == where
    assert problem.line == POLICY.count("\n") + 1
    assert says in problem.message


def test_layers_join_their_lists(tmp_path: Path) -> None:
    """A later policy file adds names to an earlier one's lists; it cannot drop them."""
    first = _write(tmp_path, POLICY + LISTS, "10-base.yaml")
    second = _write(
        tmp_path,
        "version: 1\nsecrets: {variables: [TEAM_SEED]}\nproduction: {hosts: [db-2.acme.com]}\n",
        "20-team.yaml",
    )
    compiled = build([first, second])
    assert compiled["secrets"]["variables"] == ["ACME_*", "SIGNING_SEED", "TEAM_SEED"]
    assert compiled["production"]["hosts"] == [
        "db-main.acme.com",
        "*.db.acme.internal",
        "db-2.acme.com",
    ]
    assert compiled["production"]["variables"] == ["ACME_DB"]


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("ACME_*", "ACME_SEED", True),
        ("ACME_*", "ACME_", True),
        ("ACME_*", "XACME_SEED", False),
        ("*_DSN", "SENTRY_DSN", True),
        ("*_DSN", "DSN", False),
        ("A*B*C", "AXBYC", True),
        ("A*B*C", "ABC", True),
        ("A*B*C", "ACB", False),
        ("A*A", "A", False),
        ("*.db.acme.internal", "pg.db.acme.internal", True),
        ("*.db.acme.internal", "db.acme.internal", False),
        ("db-main.acme.com", "db-main.acme.com", True),
        ("db-main.acme.com", "db-main.acme.com.evil.net", False),
    ],
)
def test_glob_match(pattern: str, text: str, matches: bool) -> None:
    """``*`` is any run of characters (dots too); everything else is itself."""
    assert glob_match(pattern, text) is matches


# Every expansion form of a listed secret: the value or a part of it is a secret read.
READS = [
    "echo $ACME_SEED",
    "echo ${ACME_SEED}",
    'echo "${ACME_SEED:0:4}"',
    "echo ${ACME_SEED:-none}",
    "echo ${ACME_SEED:+set}",
    "echo ${ACME_SEED/a/b}",
    "echo ${ACME_SEED^^}",
    "echo ${ACME_SEED#ab}",
    "echo $signing_seed",
    'curl -H "X-Seed: $SIGNING_SEED" https://api.example.com',
    "S=$ACME_SEED node build.js",
    "declare -p ACME_SEED",
]


@pytest.mark.parametrize("line", READS)
def test_a_listed_secret_expanded_is_a_secret_read(tmp_path: Path, line: str) -> None:
    """Each form reads the listed variable's value: secret-read (and env-dump, the class
    the built-in names get); the same line without the list reads nothing secret."""
    assert {"secret-read", "env-dump"} <= _classes(line, _known(tmp_path))
    assert "secret-read" not in _classes(line, None)


@pytest.mark.parametrize("line", ["echo ${#ACME_SEED}", "echo ${#HOME}", "echo ${!ACME_*}"])
def test_a_length_or_a_name_list_is_not_a_secret_read(tmp_path: Path, line: str) -> None:
    """``${#X}`` is the value's length and ``${!X*}`` the names starting with X: neither
    holds the value."""
    assert "secret-read" not in _classes(line, _known(tmp_path))


@pytest.mark.parametrize(
    "line", ["echo ${!name}", 'n=ACME_SEED; echo "${!n}"', "echo ${!ref:0:4}", "echo ${!HOME}"]
)
def test_an_indirect_expansion_is_a_possible_secret_read(line: str) -> None:
    """``${!name}`` reads the variable whose name ``name`` holds, which only the run
    decides: it is judged a secret read, policy or not (the guard cannot rule one out)."""
    assert "secret-read" in _classes(line, None)


@pytest.mark.parametrize(
    "line",
    [
        "declare -n r=ACME_SEED; echo $r",
        'typeset -n r=signing_seed; printf %s "${r:0:4}"',
        "declare -n r; r=ACME_SEED; echo $r",
        "declare -n r=GITHUB_TOKEN; echo $r",
    ],
)
def test_a_name_reference_to_a_secret_is_a_secret_read(tmp_path: Path, line: str) -> None:
    """``$r`` for ``declare -n r=X`` reads X: a listed or built-in secret target makes the
    read a secret read (the shell state's tracking resolves r, the lists judge X)."""
    assert "secret-read" in _classes(line, _known(tmp_path))


def test_a_name_reference_to_a_name_the_run_decides_is_opaque(tmp_path: Path) -> None:
    """``declare -n r=$v; echo $r`` may read any variable: opaque, so it asks."""
    assert "opaque" in _classes("declare -n r=$v; echo $r", _known(tmp_path))


@pytest.mark.parametrize("line", ["declare -n r=HOME; echo $r", "export -n ACME_SEED"])
def test_a_name_reference_to_an_ordinary_variable_is_not(tmp_path: Path, line: str) -> None:
    """A reference to an ordinary variable, and ``export -n`` (un-export), read no secret."""
    assert "secret-read" not in _classes(line, _known(tmp_path))


def test_an_indirect_expansion_of_keys_is_not_a_secret_read() -> None:
    """``${!arr[@]}`` lists an array's keys, not any value."""
    assert "secret-read" not in _classes("echo ${!arr[@]}", None)


PRODUCTION = [
    "psql -h db-main.acme.com -c 'select 1'",
    "psql --host=DB-MAIN.acme.com:5432 app",
    "psql 'postgres://app:pw@db-main.acme.com/app'",
    "psql -d 'host=pg.db.acme.internal dbname=app'",
    "redis-cli -u redis://cache.db.acme.internal:6379 FLUSHALL",
    "mongosh mongodb://a.db.acme.internal,b.db.acme.internal/app",
    'psql "$ACME_DB" -c "truncate orders"',
    'psql "${ACME_DB:-postgres://localhost/app}"',
    "PGHOST=db-main.acme.com psql app",
    'DATABASE=$ACME_DB psql "$DATABASE"',
    # A variable an earlier command set carries the listed one to the client.
    'X=$ACME_DB; psql "$X"',
    'export X="$ACME_DB"; psql "$X" -c "truncate orders"',
    'A=${ACME_DB}; B=$A; psql "$B"',
    "PGHOST=db-main.acme.com; psql app",
    # Anywhere in the line, however the value reaches the client.
    'read X <<< "$ACME_DB"; psql "$X"',
    'echo "$ACME_DB" | xargs psql',
    'read U <<< postgres://db-main.acme.com/app; psql "$U"',
    "timeout 30 mysql -h db-main.acme.com blog",
    "psql 'postgresql:///app?sslmode=require&host=db-main.acme.com'",
    "mongosh --host rs0/a.db.acme.internal:27017,b.db.acme.internal:27017",
    "mongosh db-main.acme.com/app",
]


@pytest.mark.parametrize("line", PRODUCTION)
def test_a_client_aimed_at_a_listed_target_is_production_data(tmp_path: Path, line: str) -> None:
    """A listed host (option, URI, connection string, host list, PGHOST) or a listed
    variable makes the client production-data; without the lists it is only network."""
    assert {"network", "production-data"} <= _classes(line, _known(tmp_path))
    assert "production-data" not in _classes(line, None)


@pytest.mark.parametrize(
    "line",
    [
        "psql -h localhost -c 'select 1'",
        "psql -h db-main.acme.com.example.net",
        "psql -h db.acme.internal",
        "redis-cli -u redis://cache.acme.com",
        'psql "$ACME_DB_TEST"',
        "echo db-main.acme.com",
        'echo "$ACME_DB"; ls',
        'X=$ACME_DB_TEST; psql "$X"',
        "X=db-main.acme.com; psql app",
    ],
)
def test_a_neighbour_of_a_listed_target_is_not_production(tmp_path: Path, line: str) -> None:
    """A host that only looks like a listed one, another variable, or a program that is
    not a data client: no production-data."""
    assert "production-data" not in _classes(line, _known(tmp_path))


@pytest.mark.parametrize(
    "line",
    [
        'source .env.production && psql "$DATABASE_URL"',
        'set -a; . config/.env.prod; set +a; mongosh "$MONGO_URL"',
        'psql "$(printenv DATABASE_URL_PROD)"',
        'n=DATABASE_URL_PROD; psql "${!n}"',
        "dropdb -h db-production01.internal app",
        "PGSERVICE=prod psql",
        "mysql --login-path=production app",
    ],
)
def test_a_production_source_without_a_listed_name_is_production(line: str) -> None:
    """A production dotenv file, printenv or an indirect expansion of a production
    variable, a numbered production host, a service or saved login named production:
    production data with no lists."""
    assert {"network", "production-data"} <= _classes(line, None)


@pytest.mark.parametrize(
    "line",
    [
        "mongosh localhost scripts/prod-cleanup.js",
        "mongosh mongodb://localhost:27017/app seed/live_data.js",
        'DB_HOST=db.dev; psql -h "${DB_HOST:-localhost}"',
        "psql -h product-db01 -c 'select 1'",
        "sqlcmd -S tcp:localhost,1433 -Q 'select 1'",
        "source .env.local && psql -h localhost",
        "mysql --login-path=local app",
        'n=DATABASE_URL_DEV; psql "${!n}"',
    ],
)
def test_a_local_client_is_not_production(line: str) -> None:
    """A script operand, a local default, a name that only contains prod, a local profile
    or dotenv file: the client is network, not production data."""
    classes = _classes(line, None)
    assert "network" in classes
    assert "production-data" not in classes


def test_the_hook_judges_the_lists(tmp_path: Path) -> None:
    """Through the hook: a listed secret's expansion asks (env-dump) and a listed host is
    denied (production), where the same lines without the lists pass."""
    guarded = Hook(tmp_path, POLICY + LISTS)
    assert guarded.bash("echo ${ACME_SEED:0:4}") == "ask"
    assert guarded.bash("psql -h db-main.acme.com -c 'select 1'") == "deny"
    assert guarded.bash('psql "$ACME_DB"') == "deny"
    assert guarded.bash("psql -h localhost -c 'select 1'") == "allow"
    assert guarded.bash("echo ${#ACME_SEED}") == "none"
    bare = tmp_path / "bare"
    bare.mkdir()
    unlisted = Hook(bare, POLICY)
    assert unlisted.bash("echo ${ACME_SEED:0:4}") == "none"
    assert unlisted.bash("psql -h db-main.acme.com -c 'select 1'") == "allow"


def test_a_rule_example_may_rely_on_the_lists(tmp_path: Path) -> None:
    """Command rules' match examples are checked with the lists, so an example naming a
    listed host holds (and fails to hold without the list)."""
    rule = (
        "  - id: prod-example\n    builtin: production-data\n    decision: ask\n"
        "    match: [\"psql -h db-main.acme.com -c 'select 1'\"]\n"
    )
    build([_write(tmp_path, POLICY + rule + LISTS)])
    with pytest.raises(PolicyError, match="does not fire on its example"):
        build([_write(tmp_path, POLICY + rule)])


def test_lint_warns_on_entries_that_add_nothing(tmp_path: Path) -> None:
    """A built-in name, a glob whose every match is production by name, and an entry an
    earlier one covers are warnings; the team's own names are not."""
    lists = """\
secrets: {variables: [GITHUB_TOKEN, STRIPE_KEY, DATABASE_URL, ACME_*, ACME_SEED, DEPLOY_HOOK_URL]}
production:
  hosts: [prod-db.acme.com, "*.prd.acme.com", db-main.acme.com, "*.db.acme.internal"]
  variables: [MONGO_URL_PROD, "*_LIVE", ACME_DB]
"""
    loaded = load_files([str(_write(tmp_path, POLICY + lists))])
    warned = sorted(f.problem.field for f in findings(loaded))
    assert warned == [
        "production.hosts[0]",
        "production.hosts[1]",
        "production.variables[0]",
        "production.variables[1]",
        "secrets.variables[0]",
        "secrets.variables[1]",
        "secrets.variables[2]",
        "secrets.variables[4]",
    ]
    assert all(f.severity == "warning" and f.code == "list-adds-nothing" for f in findings(loaded))


def test_the_log_hides_a_listed_secret_s_value(tmp_path: Path) -> None:
    """A listed secret's value pasted into a command is redacted in the decision log, as
    a built-in secret's is; without the list it is kept (its name says nothing)."""
    value = "seed-9f8e7d6c5b4a3210"
    guarded = Hook(tmp_path, POLICY + LISTS)
    guarded.env["ACME_SEED"] = value
    guarded.bash(f"node sign.js --seed {value}")
    logged = (tmp_path / "state" / "logs" / "decisions.jsonl").read_text("utf-8")
    assert value not in logged
    assert "node sign.js --seed [REDACTED]" in logged
    bare = tmp_path / "bare"
    bare.mkdir()
    unlisted = Hook(bare, POLICY)
    unlisted.env["ACME_SEED"] = value
    unlisted.bash(f"node sign.js --seed {value}")
    assert value in (bare / "state" / "logs" / "decisions.jsonl").read_text("utf-8")
