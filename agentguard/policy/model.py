"""The policy model: pydantic v2, strict (``extra="forbid"``), cold path only.

One YAML file, or several layered in order, each validated on its own against
these models (so an error always points into the file that holds it) and then
merged. The JSON Schema in ``policies/agentguard.schema.json`` is generated from
here by ``agentguard schema``; the field descriptions are what an editor shows.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from agentguard.policy.fields import (
    AGENT_NAME,
    OTHERWISE_DOC,
    REQUIRE_ENV_DOC,
    RULE_ID,
    SUBAGENT_TYPE,
    BuiltinClass,
    Decision,
    Strict,
    check_env_condition,
    check_id,
)
from agentguard.policy.lists import Production, Secrets
from agentguard.policy.memory_model import Memory
from agentguard.policy.programs import Programs


class Defaults(Strict):
    """What the guard decides where no rule speaks."""

    mode: Literal["enforce", "observe"] = Field(
        "enforce",
        description=(
            "enforce: Claude Code gets every decision. observe: a trial; every decision is"
            " computed and logged as what would have happened, and nothing is enforced"
            " (AGENTGUARD_MODE=observe|enforce in the hook's environment overrides it)."
        ),
    )
    on_error: Decision = Field(
        "deny",
        description="Decision when the guard itself fails (bad policy, bad input, a crash).",
    )
    unassigned_agent: Decision = Field(
        "ask",
        description="Decision for a write or a command by a caller with no established identity.",
    )
    unowned_write: Decision = Field(
        "ask",
        description="Decision for a write inside the agent's worktree that no owned path covers.",
    )
    unknown_tool: Decision = Field(
        "ask", description="Decision for a tool (or MCP tool) that no rule or built-in knows."
    )
    case_insensitive_paths: Literal["auto"] | bool = Field(
        "auto",
        description="Whether lanes and path classes ignore case (auto: probe the file system).",
    )
    unknown_command: Decision = Field(
        "allow",
        description="Decision for a shell command that no rule and no built-in class speaks about.",
    )
    outside_write: Decision = Field(
        "deny",
        description=(
            "Decision for a write outside the agent's own worktree (a sibling worktree, /etc),"
            " except paths listed in writable_outside."
        ),
    )


class Agent(Strict):
    """One agent: one identity, one branch, one worktree, the files it owns."""

    description: str = Field("", description="What this agent is for (shown by explain).")
    branch: str | None = Field(
        None,
        description="The agent's branch, or a glob of branches (agent/search-*). Identifies it.",
    )
    worktree: str | None = Field(
        None,
        description=(
            "The agent's worktree, relative to the folder of the policy file that declares it"
            " (or absolute). Writes outside it are denied."
        ),
    )
    owns: list[str] = Field(
        default_factory=list,
        description="Gitignore-style patterns (relative to the worktree) the agent may edit.",
    )
    cannot_touch: list[str] = Field(
        default_factory=list,
        description="Gitignore-style patterns the agent may never edit, even if it owns a parent.",
    )
    checks: list[str] = Field(
        default_factory=list,
        description="Names of checks (see checks) that must pass after the last edit before Stop.",
    )


class Integration(Strict):
    """The one branch where agent branches meet, and who may move them there."""

    branch: str = Field(description="The integration branch, e.g. integration/blog-discovery.")
    owner: str | None = Field(
        None, description="The agent (or human) who alone merges agent branches into it."
    )


class Interface(Strict):
    """A shared interface: files that provide it and files that consume it.

    Two agent branches where one changes a provider and another a consumer need an
    interface review before either merges (``agentguard integrate plan`` says so).
    """

    description: str = Field("", description="What the interface is (shown by the plan).")
    providers: list[str] = Field(
        min_length=1,
        description="Gitignore-style patterns of the files that define it (src/content/config.ts).",
    )
    consumers: list[str] = Field(
        min_length=1,
        description="Gitignore-style patterns of the files that use it (src/pages/**).",
    )


class PathClass(Strict):
    """A class of paths that holds for every agent, owners included."""

    id: str = Field(description="Rule id, shown to the agent and in the log.")
    builtin: Literal["credential-stores"] | None = Field(
        None,
        description=(
            "A built-in list of paths this class also matches: credential-stores is where"
            " ssh, cloud, cluster, registry, forge, hosting and database tools and the"
            " password stores keep credentials (agentguard explain --credential-stores)."
        ),
    )
    match: list[str] = Field(
        default_factory=list,
        description="Gitignore-style patterns, relative to the worktree (or the built-in's).",
    )
    read: Decision = Field("allow", description="Decision for reading a matching path.")
    write: Decision = Field("allow", description="Decision for writing or deleting one.")
    send: Decision | None = Field(
        None,
        description=(
            "Decision for a command line that reads a matching path and also reaches the"
            " network (curl -d @FILE, scp FILE host:, cat FILE | nc …): sending it away."
            " A path an ssh-like tool only authenticates with (ssh -i KEY) is not sent."
        ),
    )
    justification: str = Field("", description="Why: shown to the agent and to the human.")
    examples: list[str] = Field(
        default_factory=list, description="Paths that must match (checked when the policy loads)."
    )
    not_examples: list[str] = Field(
        default_factory=list, description="Paths that must not match (checked at load)."
    )

    _v_id = field_validator("id")(check_id)

    @model_validator(mode="after")
    def _has_patterns(self) -> PathClass:
        if not self.match and self.builtin is None:
            raise ValueError("a path class needs 'match' patterns or a 'builtin' list")
        return self


class ToolClass(Strict):
    """A class of tools by name glob; the first class that matches a tool decides."""

    id: str = Field(description="Rule id, shown to the agent and in the log.")
    tools: list[str] = Field(
        min_length=1,
        description="Tool-name globs: Agent, CronCreate, mcp__github__get_*, mcp__*.",
    )
    decision: Decision = Field(description="Decision for a matching tool call.")
    sources: list[str] = Field(
        default_factory=list,
        description=(
            "MCP only: globs of the server's mcp_server.source (Claude Code 2.1.332+: project,"
            " user, local, plugin, managed, enterprise, claudeai, sdk, dynamic, agent). The class"
            " matches only servers from these sources; a call without mcp_server (older"
            " versions) matches no class that lists sources. Empty: any source."
        ),
    )
    arguments: Literal["read", "write"] | None = Field(
        None,
        description=(
            "How the tools' path arguments (path, paths, file, file_path, source, destination,"
            " file:// uri) are judged: as reads (like Read) or writes (like Write). Unset: from"
            " the tool's verb (read_*, get_*, list_* read; anything else writes)."
        ),
    )
    justification: str = Field("", description="Why: shown to the agent and to the human.")
    examples: list[str] = Field(
        default_factory=list, description="Tool names that must match this class."
    )
    not_examples: list[str] = Field(
        default_factory=list, description="Tool names that must not match this class."
    )

    _v_id = field_validator("id")(check_id)


class Web(Strict):
    """WebFetch and WebSearch."""

    fetch: Decision = Field("ask", description="Decision for WebFetch outside the domain lists.")
    search: Decision = Field("ask", description="Decision for WebSearch.")
    allow_domains: list[str] = Field(
        default_factory=list,
        description="Domains (and their subdomains) WebFetch may reach without asking.",
    )
    deny_domains: list[str] = Field(
        default_factory=list, description="Domains (and subdomains) WebFetch may never reach."
    )
    justification: str = Field(
        "Network access is outside the task's scope unless the policy lists the domain.",
        description="Why: shown when web access is not allowed.",
    )


class CommandRule(Strict):
    """A shell-command rule: token patterns or a built-in class, and a decision."""

    id: str = Field(description="Rule id, shown to the agent and in the log.")
    justification: str = Field("", description="Why: shown to the agent and to the human.")
    allow: list[str] = Field(
        default_factory=list,
        description=(
            "Token patterns allowed without asking: 'git status', 'npm run check',"
            " 'git push --force' (flags may appear anywhere), 'git log|diff' (alternatives)."
        ),
    )
    ask: list[str] = Field(default_factory=list, description="Token patterns that need a human.")
    deny: list[str] = Field(default_factory=list, description="Token patterns never allowed.")
    builtin: BuiltinClass | None = Field(
        None,
        description=(
            "A built-in command class this rule decides (with decision). A command run"
            " through a privilege wrapper (sudo, doas, su, pkexec, run0, runuser) is never"
            " explicitly allowed: an allow for it leaves the decision to Claude Code."
        ),
    )
    decision: Decision | None = Field(None, description="Decision for the built-in class.")
    send: Decision | None = Field(
        None,
        description=(
            "With builtin: the decision for a line where another command reaches the"
            " network, which sends what this class reads (gh auth token | curl -d @- …)."
        ),
    )
    require_env: list[str] = Field(default_factory=list, description=REQUIRE_ENV_DOC)
    otherwise: BuiltinClass | Decision | None = Field(None, description=OTHERWISE_DOC)
    match: list[str] = Field(
        default_factory=list,
        description="Command lines this rule must fire on (checked when the policy loads).",
    )
    not_match: list[str] = Field(
        default_factory=list, description="Command lines this rule must not fire on."
    )

    _v_id = field_validator("id")(check_id)

    @model_validator(mode="after")
    def _shape(self) -> CommandRule:
        check_env_condition(self.require_env, self.otherwise, bool(self.allow))
        if self.builtin is not None and self.decision is None:
            raise ValueError("a rule with 'builtin' needs a 'decision' (allow, ask or deny)")
        if self.builtin is None and self.decision is not None:
            raise ValueError(
                "'decision' goes with 'builtin'; for token patterns use the allow/ask/deny lists"
            )
        if self.builtin is None and self.send is not None:
            raise ValueError("'send' goes with 'builtin': it decides what that class reads")
        if self.builtin is None and not (self.allow or self.ask or self.deny):
            raise ValueError(
                "a command rule needs 'builtin' or at least one allow/ask/deny pattern"
            )
        return self


class Check(Strict):
    """One row of the verification matrix."""

    run: str = Field(description="The exact command line whose success proves the check.")
    description: str = Field("", description="What it proves (shown when Stop is blocked).")


class Loops(Strict):
    """Caps on repetition."""

    same_failure: int = Field(
        3, ge=1, description="Escalate after the same failure signature this many times."
    )
    stop_blocks: int = Field(
        3, ge=1, description="Let the agent stop (and tell a human) after this many Stop blocks."
    )


class Subagent(Strict):
    """Rules for one subagent type, on top of its parent's: they only ever narrow.

    A subagent's call is judged as its parent's call first (identity, lane, path classes,
    command rules); these rules add matches, and the strictest decision wins. An allow
    here grants nothing: it cannot lift a parent's deny or ask.
    """

    description: str = Field("", description="What this subagent type is for (shown by lint).")
    read_only: bool = Field(
        False,
        description=(
            "No writes of any kind: every file write (Write, Edit, shell targets, MCP path"
            " arguments) is denied, MCP tools that write are denied, and only shell commands"
            " agentguard knows to be read-only run."
        ),
    )
    owns: list[str] | None = Field(
        None,
        description=(
            "Gitignore-style patterns (relative to the parent's worktree) this subagent may"
            " edit, intersected with its parent's lane: a write must be allowed to the parent"
            " and match here. Unset: the parent's lane. Empty: no file writes."
        ),
    )
    cannot_touch: list[str] = Field(
        default_factory=list,
        description="Gitignore-style patterns this subagent may never edit.",
    )
    commands: list[CommandRule] = Field(
        default_factory=list,
        description=(
            "Extra shell-command rules (deny and ask; an allow has no effect, lint warns)."
        ),
    )
    tools: list[ToolClass] = Field(
        default_factory=list,
        description=(
            "Extra tool classes (WebFetch, Agent, mcp__* …); a deny or ask class applies, an"
            " allow class has no effect (lint warns)."
        ),
    )


# Classes the article keeps manual: a recurring approval never turns them into a rule.
MANUAL_CLASSES = frozenset(
    {
        "secret-read",
        "env-dump",
        "deploy",
        "git-destructive",
        "guard-tamper",
        "branch-switch",
        "merge",
        "privilege",
    }
)


class Approval(Strict):
    """A reviewed exception: commands a human approved again and again, no longer asked.

    For a simple command matching ``commands``, the ask rules named in ``lifts`` do not
    fire and the approval allows it explicitly; every other rule still applies, so a deny
    or another ask still wins. ``agentguard logs suggest`` and ``agentguard approve``
    write these from the decision log.
    """

    id: str = Field(description="Approval id, shown in the log when it lets a command through.")
    justification: str = Field(description="Why this no longer needs a human.")
    commands: list[str] = Field(
        min_length=1, description="Token patterns, as in command rules: 'npm run test:e2e'."
    )
    lifts: list[str] = Field(
        min_length=1, description="Ids of the ask rules this approval lifts for these commands."
    )
    evidence: str = Field("", description="What the log showed: approvals, by whom, since when.")
    match: list[str] = Field(
        default_factory=list, description="Command lines this approval must let through."
    )
    not_match: list[str] = Field(
        default_factory=list, description="Command lines it must leave to the rules."
    )

    _v_id = field_validator("id")(check_id)


class PolicyTest(Strict):
    """A policy-level test run by ``agentguard test``."""

    name: str = Field("", description="A name for the report.")
    agent: str | None = Field(None, description="The calling agent (none: unassigned).")
    agent_type: str | None = Field(
        None, description="The call comes from a subagent of this type (Explore, reviewer …)."
    )
    agent_id: str | None = Field(
        None, description="The subagent's id (default with agent_type: a fixed test id)."
    )
    isolated: bool = Field(
        False,
        description=(
            "The subagent was started with isolation: worktree; relative paths are judged in"
            " its own worktree, .claude/worktrees/agent-<agent_id>/."
        ),
    )
    tool: str | None = Field(None, description="Tool name (Write, Read, Bash, mcp__x__y …).")
    path: str | None = Field(None, description="File path for file tools (relative: worktree).")
    command: str | None = Field(None, description="Command line for Bash.")
    url: str | None = Field(None, description="URL for WebFetch.")
    event: dict[str, Any] | None = Field(None, description="A whole hook event instead.")
    expect: Decision | Literal["none"] = Field(
        description="Expected decision ('none': no rule speaks, Claude Code decides)."
    )
    rule: str | None = Field(None, description="A rule id that must be among the deciding rules.")


class Policy(Strict):
    """An agentguard policy (one file; several files layer in order)."""

    version: Literal[1] = Field(1, description="Policy format version.")
    defaults: Defaults = Field(default_factory=Defaults)  # type: ignore[arg-type]
    agents: dict[Annotated[str, Field(pattern=AGENT_NAME.pattern)], Agent] = Field(
        default_factory=dict, description="Agents by name."
    )
    integration: Integration | None = None
    interfaces: dict[Annotated[str, Field(pattern=RULE_ID.pattern)], Interface] = Field(
        default_factory=dict,
        description="Shared interfaces by name: who provides them, who consumes them.",
    )
    paths: list[PathClass] = Field(
        default_factory=list, description="Path classes that hold for every agent."
    )
    writable_outside: list[str] = Field(
        default_factory=list,
        description="Absolute globs outside the worktree an agent may still write (/tmp/**).",
    )
    commands: list[CommandRule] = Field(default_factory=list, description="Shell-command rules.")
    programs: Programs = Field(
        default_factory=dict,
        description=(
            "What programs agentguard does not know do (sponge writes its operand, an"
            " in-house CLI's --out writes, ./tools/migrate deploys), by name or script path;"
            " added to the built-in knowledge, never taking from it."
        ),
    )
    secrets: Secrets = Field(
        default_factory=Secrets,
        description="Variables that hold credentials, beyond the names agentguard knows.",
    )
    production: Production = Field(
        default_factory=Production,
        description="Hosts and variables that name production, beyond the names agentguard knows.",
    )
    approved: list[Approval] = Field(
        default_factory=list,
        description="Reviewed exceptions from recurring human approvals (agentguard approve).",
    )
    mcp: list[ToolClass] = Field(
        default_factory=list, description="MCP tool classes; the first that matches decides."
    )
    tools: list[ToolClass] = Field(
        default_factory=list,
        description="Other tool classes (Agent, CronCreate …); the first that matches decides.",
    )
    web: Web = Field(default_factory=Web)  # type: ignore[arg-type]
    checks: dict[str, Check] = Field(default_factory=dict, description="The verification matrix.")
    loops: Loops = Field(default_factory=Loops)  # type: ignore[arg-type]
    subagents: dict[Annotated[str, Field(pattern=SUBAGENT_TYPE.pattern)], Subagent] = Field(
        default_factory=dict,
        description=(
            "Rules per subagent type (the event's agent_type), narrowing the parent's; '*'"
            " applies to every subagent."
        ),
    )
    tests: list[PolicyTest] = Field(default_factory=list, description="Policy tests.")
    memory: Memory = Field(default_factory=Memory)
