"""The compiled policy's shape, for mypy only: import it under ``TYPE_CHECKING``, never at run time.

The hook reads the compiled policy from JSON (:mod:`agentguard.policy.compiled`) as plain
dicts and lists; these ``TypedDict``s name every key the compiler writes
(:mod:`agentguard.policy.compiler`), so mypy checks each read of it on the hot path at no
run-time cost. A compiled pattern is the JSON array ``[regex, include, source, fast]``,
typed as its tuple shape (a list read from the cache behaves the same for every read:
index, length, unpacking).
"""

from __future__ import annotations

from typing import Literal, TypedDict

from typing_extensions import NotRequired

Decision = Literal["allow", "ask", "deny"]
# ``fast_form``: ("path" | "prefix" | "name" | "dir" | "suffix" | "stem" | "within"
# | "under", text).
FastForm = tuple[str, str]
# ``[regex, include, source, fast]``: the regex pathspec compiled, whether it includes (a
# negation does not), the pattern as written, its string test (None: use the regex).
CompiledPattern = tuple[str, bool, str, FastForm | None]


class CompiledDefaults(TypedDict):
    """``defaults:`` as validated."""

    mode: Literal["enforce", "observe"]
    on_error: Decision
    unassigned_agent: Decision
    unowned_write: Decision
    case_insensitive_paths: Literal["auto"] | bool
    unknown_tool: Decision
    unknown_command: Decision
    outside_write: Decision


class CompiledAgent(TypedDict):
    """One agent; ``branch_re`` is its branch glob as a regex."""

    description: str
    branch: str | None
    branch_re: str | None
    worktree: str | None
    owns: list[CompiledPattern]
    cannot_touch: list[CompiledPattern]
    checks: list[str]


class CompiledIntegration(TypedDict):
    """``integration:``."""

    branch: str
    owner: str | None


class CompiledInterface(TypedDict):
    """One shared interface."""

    description: str
    providers: list[CompiledPattern]
    consumers: list[CompiledPattern]


class CompiledPathClass(TypedDict):
    """One path class."""

    id: str
    patterns: list[CompiledPattern]
    read: Decision
    write: Decision
    # Decision for sending what the class holds over the network (None: the read decides).
    send: Decision | None
    justification: str


class CompiledCommandRule(TypedDict):
    """One decision list of a command rule, or its built-in class, or an approval's allow."""

    id: str
    justification: str
    decision: Decision
    builtin: str | None
    patterns: list[list[str]]
    # A built-in class's decision for sending what it reads over the network.
    send: NotRequired[Decision | None]
    # Token patterns of the approvals that lift this ask rule.
    unless: NotRequired[list[list[str]]]
    # An allow's variables that must be set in the command's own environment, and what
    # the command is without them (a built-in class, ask or deny; None: no allow).
    require_env: NotRequired[list[str]]
    otherwise: NotRequired[str | None]


class CompiledToolClass(TypedDict):
    """One MCP or tool class; ``tools_re``/``sources_re`` are its globs as one regex each."""

    id: str
    tools: list[str]
    tools_re: str
    sources_re: str | None
    arguments: Literal["read", "write"] | None
    decision: Decision
    justification: str


class CompiledWeb(TypedDict):
    """``web:``."""

    fetch: Decision
    search: Decision
    allow_domains: list[str]
    deny_domains: list[str]
    justification: str


class CompiledCheck(TypedDict):
    """One row of the verification matrix."""

    run: str
    description: str


class CompiledLoops(TypedDict):
    """``loops:``."""

    same_failure: int
    stop_blocks: int


class CompiledSubagent(TypedDict):
    """One subagent section; ``owns`` None is the parent's lane."""

    description: str
    read_only: bool
    owns: list[CompiledPattern] | None
    cannot_touch: list[CompiledPattern]
    commands: list[CompiledCommandRule]
    tools: list[CompiledToolClass]


class CompiledProgram(TypedDict):
    """One ``programs:`` declaration, as :mod:`agentguard.shell.declared` applies it."""

    key: str
    classes: list[str]
    writes: Literal["operands", "first", "last"] | None
    reads: Literal["operands", "first", "last"] | None
    writes_options: list[str]
    reads_options: list[str]
    values: list[str]


class CompiledPrograms(TypedDict, total=False):
    """``programs:`` by name and by worktree-relative script path; ``{}`` declares none."""

    names: dict[str, CompiledProgram]
    paths: dict[str, CompiledProgram]


class CompiledSecrets(TypedDict):
    """``secrets:``: variable globs (``*`` only), upper-cased."""

    variables: list[str]


class CompiledProduction(TypedDict):
    """``production:``: host globs lower-cased, variable globs upper-cased (``*`` only)."""

    hosts: list[str]
    variables: list[str]


class CompiledBody(TypedDict):
    """What :func:`agentguard.policy.compiler.compile_policy` returns: the policy, unstamped."""

    defaults: CompiledDefaults
    agents: dict[str, CompiledAgent]
    integration: CompiledIntegration | None
    interfaces: dict[str, CompiledInterface]
    paths: list[CompiledPathClass]
    writable_outside: list[CompiledPattern]
    commands: list[CompiledCommandRule]
    mcp: list[CompiledToolClass]
    tools: list[CompiledToolClass]
    web: CompiledWeb
    checks: dict[str, CompiledCheck]
    loops: CompiledLoops
    subagents: dict[str, CompiledSubagent]
    programs: CompiledPrograms
    secrets: CompiledSecrets
    production: CompiledProduction


class CompiledPolicy(CompiledBody):
    """What the hook reads: the body stamped (:func:`agentguard.policy.compiled.stamp`) with
    the compiled form's format and the agentguard version that built it."""

    format: int
    version: str
