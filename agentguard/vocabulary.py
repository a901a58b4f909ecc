"""agentguard's own words: the built-in command classes and the rule ids it reports. Hot, data.

The policy model builds its ``builtin`` choices and its reserved rule ids from here, and
tests/test_vocabulary.py walks the hook's code and checks that every rule id it can
report is listed here (and that every id listed is reported somewhere). A policy rule
may not take one of these ids: a reader of the log or of the agent's message could not
tell the policy's rule from agentguard's own judgement.
"""

from __future__ import annotations

# What the shell analyser says a simple command does; a command rule's ``builtin`` names one.
BUILTIN_CLASSES: tuple[str, ...] = (
    "read-only",
    "file-write",
    "file-delete",
    "network",
    "package-install",
    "deploy",
    "git-destructive",
    "branch-switch",
    "merge",
    "secret-read",
    "credential-read",
    "env-dump",
    "opaque",
    "guard-tamper",
    "privilege",
    "agent-cli",
    "production-data",
)

# Every rule id the hook reports on its own account (a Match, ``[agentguard:ID]`` in a
# message), by where it comes from.
BUILTIN_RULE_IDS: frozenset[str] = frozenset(
    {
        # paths: self-protection, lanes, the unowned default, a process's environment
        "self-protection",
        "ownership",
        "cannot-touch",
        "unowned-write",
        "outside-worktree",
        "unassigned-agent",
        "process-environment",
        "subagent",
        # who is calling, and where branches meet
        "identity",
        "integration",
        # tools and the web
        "unknown-tool",
        "web",
        # shell lines: what the analyser cannot see, list or parse, and its floors
        "unknown-command",
        "unknown-program",
        "opaque",
        "glob-limit",
        "unresolved",
        "unparseable",
        "guard-tamper",
        # the hook itself: failures, loops, the Stop gate, a missing install
        "on-error",
        "loop",
        "gate",
        "not-installed",
    }
)
