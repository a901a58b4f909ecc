"""The log at volume, through DuckDB (an optional extra: ``pip install 'agentguard[duckdb]'``).

Cold path. Python streams the log fine to a few million lines; past that, and for many
machines' logs at once, DuckDB reads the JSON lines (or a Parquet export of them) in
parallel, columnar, outside the interpreter. ``summary`` here computes exactly what
``agentguard logs summary`` computes (a test holds the two to the same numbers), and
``to_parquet`` writes the export other engines read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentguard.errors import EngineError
from agentguard.observe import logread

# The fields the views read, with their types: everything else in a record is ignored.
COLUMNS = {
    "ts": "VARCHAR",
    "event": "VARCHAR",
    "session": "VARCHAR",
    "agent": "VARCHAR",
    "tool": "VARCHAR",
    "decision": "VARCHAR",
    "output": "VARCHAR",
    "mode": "VARCHAR",
    "would": "VARCHAR",
    "gate": "VARCHAR",
    "failure": "BOOLEAN",
    "loop": "BOOLEAN",
    "rules": "VARCHAR[]",
    "escalation": "VARCHAR",
    "error": "VARCHAR",
    "evidence": "VARCHAR",
    "wrap_result": "VARCHAR",
    "signature": "VARCHAR",
    "count": "BIGINT",
    "tool_use_id": "VARCHAR",
    "cwd": "VARCHAR",
    "branch": "VARCHAR",
    "answer": "VARCHAR",
    "decided_by": "VARCHAR",
}


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise EngineError(
            "--engine duckdb needs DuckDB: pip install 'agentguard[duckdb]' (or duckdb)"
        ) from None
    return duckdb


def _source(files: Sequence[str]) -> tuple[str, list[Any]]:
    """A FROM clause over the JSON lines (or Parquet files) and its parameters."""
    if files and all(f.endswith(".parquet") for f in files):
        return "read_parquet(?)", [list(files)]
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    return (
        f"read_json(?, format = 'newline_delimited', columns = {columns}, ignore_errors = true)",
        [list(files)],
    )


def _where(chosen: logread.Filter) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    if chosen.agent is not None:
        clauses.append("coalesce(agent, '') = ?")
        params.append(chosen.agent)
    if chosen.session is not None:
        clauses.append("session = ?")
        params.append(chosen.session)
    if chosen.since is not None:
        clauses.append("ts >= ?")
        params.append(chosen.since)
    if chosen.until is not None:
        clauses.append("ts <= ?")
        params.append(chosen.until)
    if chosen.decision is not None:
        said = "CASE WHEN mode = 'observe' THEN would ELSE output END"
        judged = "event IN ('PreToolUse', 'PreSkillShellCommand')"
        clauses.append(
            "(CASE"
            f" WHEN ? IN ('allow', 'ask', 'deny') THEN {judged} AND {said} = ?"
            f" WHEN ? = 'none' THEN {judged}"
            f" AND coalesce({said}, '') NOT IN ('allow', 'ask', 'deny')"
            " WHEN ? = 'escalated' THEN escalation IS NOT NULL OR gate = 'escalated'"
            " WHEN ? = 'error' THEN error IS NOT NULL"
            " ELSE gate = ? END)"
        )
        params += [chosen.decision] * 6
    return " AND ".join(clauses), params


_SUMMARY = """
SELECT coalesce(nullif(agent, ''), '(unassigned)') AS agent,
  count(*) AS calls,
  count(*) FILTER (WHERE judged AND decision = 'allow' AND said = 'allow') AS allow,
  count(*) FILTER (WHERE judged AND decision = 'ask') AS ask,
  count(*) FILTER (WHERE judged AND decision = 'deny') AS deny,
  count(*) FILTER (WHERE failure)
    + count(*) FILTER (WHERE blocked AND coalesce(gate, '') = '') AS failures,
  count(*) FILTER (WHERE loop OR list_contains(coalesce(rules, []), 'loop')) AS loops,
  count(*) FILTER (WHERE blocked AND coalesce(gate, '') <> '') AS stop_blocks,
  count(*) FILTER (WHERE escalation IS NOT NULL AND escalation <> '') AS escalations,
  count(*) FILTER (WHERE error IS NOT NULL AND error <> '') AS errors,
  count(*) FILTER (WHERE evidence = 'unbound') AS unbound,
  count(*) FILTER (WHERE mode = 'observe') AS observed,
  count(*) FILTER (WHERE answer = 'approved' AND decided_by = 'human') AS approved
FROM (
  SELECT *, event IN ('PreToolUse', 'PreSkillShellCommand') AS judged,
    CASE WHEN mode = 'observe' THEN would ELSE output END AS said,
    (gate = 'blocked' OR wrap_result = 'block') IS TRUE AS blocked
  FROM {source} WHERE {where}
)
GROUP BY 1 ORDER BY 1
"""


def summary(files: Sequence[str], chosen: logread.Filter) -> dict[str, dict[str, int]]:
    """``logs summary`` computed by DuckDB: per agent, the same counts as the Python view."""
    duckdb = _duckdb()
    if not files:
        return {}
    source, params = _source(files)
    where, more = _where(chosen)
    try:
        rows = (
            duckdb.connect()
            .execute(_SUMMARY.format(source=source, where=where), [*params, *more])
            .fetchall()
        )
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB could not read the log: {exc}") from None
    names = [
        "calls",
        "allow",
        "ask",
        "deny",
        "failures",
        "loops",
        "stop_blocks",
        "escalations",
        "errors",
        "unbound",
        "observed",
        "approved",
    ]
    return {row[0]: dict(zip(names, (int(v) for v in row[1:]), strict=True)) for row in rows}


def to_parquet(files: Sequence[str], chosen: logread.Filter, out: str) -> int:
    """Write the filtered records' review columns to ``out`` as Parquet; the row count."""
    duckdb = _duckdb()
    source, params = _source(files)
    where, more = _where(chosen)
    con = duckdb.connect()
    try:
        escaped = out.replace("'", "''")
        con.execute(
            f"COPY (SELECT * FROM {source} WHERE {where} ORDER BY ts)"
            f" TO '{escaped}' (FORMAT parquet)",
            [*params, *more],
        )
        count = con.execute("SELECT count(*) FROM read_parquet(?)", [out]).fetchone()
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB could not write {out}: {exc}") from None
    return int(count[0]) if count else 0
