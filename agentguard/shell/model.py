"""The shapes shell analysis produces: words, raw commands, simple commands, the analysis.

Hot path: standard library only, ``__slots__`` classes instead of dataclasses.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

# The environment a command inherits from the line when the line exported nothing
# (shared, never written to).
_NOTHING: dict[str, str] = {}


# git's global options that take a value as the next word (``git -C dir status``), shared
# by the classifier and the rule matcher so that both skip the same words.
GIT_GLOBAL_VALUE = frozenset(
    (
        "-C",
        "-c",
        "--git-dir",
        "--work-tree",
        "--namespace",
        "--exec-path",
        "--config-env",
        "--super-prefix",
        "--list-cmds",
    )
)


class Word:
    """One word as bash will see it after quote removal.

    ``dynamic`` is true when the word holds an expansion the guard cannot resolve
    (``$X``, ``$(…)``, an arithmetic expansion …); ``glob`` when it holds an unquoted
    ``*``, ``?`` or ``[`` that bash would expand against the file system.
    """

    __slots__ = ("dynamic", "glob", "text")

    def __init__(self, text: str, dynamic: bool = False, glob: bool = False) -> None:
        self.text = text
        self.dynamic = dynamic
        self.glob = glob

    def __repr__(self) -> str:
        flags = ("$" if self.dynamic else "") + ("*" if self.glob else "")
        return f"Word({self.text!r}{', ' + flags if flags else ''})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Word)
            and self.text == other.text
            and self.dynamic == other.dynamic
            and self.glob == other.glob
        )

    def __hash__(self) -> int:
        return hash((self.text, self.dynamic, self.glob))


class Redirect:
    """A redirection: operator (``>``, ``>>``, ``<``, ``&>``, ``>&``, ``<<``, ``<<<`` …),
    the file descriptor it names (or ``None``) and its target word.

    For here-documents and here-strings the target is the body (its text is what the
    command reads on standard input).
    """

    __slots__ = ("fd", "op", "target")

    def __init__(self, op: str, target: Word, fd: str | None = None) -> None:
        self.op = op
        self.target = target
        self.fd = fd

    def __repr__(self) -> str:
        return f"Redirect({self.fd or ''}{self.op} {self.target!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Redirect)
            and self.op == other.op
            and self.fd == other.fd
            and self.target == other.target
        )

    def __hash__(self) -> int:
        return hash((self.op, self.fd, self.target))


class RawCommand:
    """A simple command as the parser found it, before unwrapping.

    ``scope`` identifies the shell the command runs in (a subshell, a pipeline
    element and a substitution each get their own), so that ``cd`` only moves the
    commands that really follow it. ``op_after`` is the operator that follows it
    (``&&``, ``||``, ``;``, ``|``, ``&`` or ``""``).
    """

    __slots__ = ("assigns", "certain", "fed_by", "op_after", "redirects", "scope", "words")

    def __init__(
        self,
        words: list[Word],
        assigns: list[tuple[str, Word]] | None = None,
        redirects: list[Redirect] | None = None,
        scope: tuple[int, ...] = (),
        op_after: str = "",
        certain: bool = True,
    ) -> None:
        self.words = words
        # False inside loops, conditionals, functions and substitutions: the command may
        # run zero or many times, so a ``cd`` or assignment there leaves state unknown.
        self.certain = certain
        self.assigns = assigns if assigns is not None else []
        self.redirects = redirects if redirects is not None else []
        self.scope = scope
        self.op_after = op_after
        # The simple command whose output this one reads, when both are plain commands
        # side by side in a pipeline (``echo a | xargs rm``): ``xargs`` reads its words.
        self.fed_by: RawCommand | None = None

    def key(self) -> tuple[object, ...]:
        """Everything the analysis depends on, for comparing two parsers' results."""
        return (
            tuple(self.words),
            tuple(self.assigns),
            tuple(self.redirects),
        )

    def __repr__(self) -> str:
        return f"RawCommand({self.assigns!r}, {self.words!r}, {self.redirects!r})"


class SimpleCommand:
    """One command that will run, after unwrapping, with what it does.

    ``argv``/``dyn`` are the effective command (``sudo env X=1 git push`` gives
    ``git push``); ``layers`` keeps every wrapper level's argv, outermost first.
    Targets are absolute, normalised paths. ``unresolved`` lists targets the guard
    could not establish (``(kind, text)``), ``via`` the wrapper chain, ``script`` the
    package.json script the command came from.
    """

    __slots__ = (
        "argv",
        "assigns",
        "classes",
        "covered_by",
        "cwd",
        "deletes",
        "dyn",
        "env_set",
        "exported",
        "layers",
        "limits",
        "notes",
        "reads",
        "redirects",
        "refs",
        "repo",
        "script",
        "subcommand",
        "text",
        "unknown_operands",
        "unresolved",
        "via",
        "writes",
    )

    def __init__(
        self,
        argv: list[str],
        dyn: list[bool],
        assigns: dict[str, str],
        cwd: str | None,
        via: list[str],
        layers: list[list[str]],
    ) -> None:
        self.argv = argv
        self.dyn = dyn
        self.assigns = assigns
        self.cwd = cwd
        self.via = via
        self.layers = layers
        self.redirects: list[Redirect] = []
        self.classes: set[str] = set()
        self.reads: list[str] = []
        self.writes: list[str] = []
        self.deletes: list[str] = []
        self.unresolved: list[tuple[str, str]] = []
        # A program agentguard does not know may write what it is given: the paths its
        # operands name (absolute), judged by engine/unknown.py for protected and foreign files.
        self.unknown_operands: list[str] = []
        # Where the analysis stopped short (a glob too large to list): the command asks.
        self.limits: list[str] = []
        self.refs: list[str] = []
        self.repo: str | None = None
        self.script: str | None = None
        # The sub-command of programs that have them (``git push`` -> ``push``).
        self.subcommand: str | None = None
        self.notes: list[str] = []
        # The index of the command (in the same analysis) whose explicit allow covers
        # this one: the commands of an allowed ``npm run X`` script.
        self.covered_by: int | None = None
        # Variables known to hold a non-empty value in this command's own environment:
        # its literal prefix assignments and what the line exported before it. The
        # agent's shell environment is unknown to the hook, so it never counts.
        self.env_set: frozenset[str] = frozenset()
        # What the line exported before this command, with the values (``export
        # PGHOST=prod-db; psql``): the environment it inherits beyond its own prefix.
        self.exported: Mapping[str, str] = _NOTHING
        self.text = _render(argv, assigns)

    @property
    def program(self) -> str:
        """Basename of the program (``git`` for ``/usr/bin/git``), ``""`` for none."""
        if not self.argv:
            return ""
        return self.argv[0].rsplit("/", 1)[-1]

    def as_dict(self) -> dict[str, object]:
        """Plain form for ``explain --json`` and the log."""
        out: dict[str, object] = {
            "text": self.text,
            "argv": list(self.argv),
            "classes": sorted(self.classes),
        }
        for name in ("reads", "writes", "deletes", "refs", "notes", "via"):
            value = getattr(self, name)
            if value:
                out[name] = list(value)
        if self.limits:
            out["limits"] = list(self.limits)
        if self.unresolved:
            out["unresolved"] = [f"{kind}: {text}" for kind, text in self.unresolved]
        if self.assigns:
            out["assigns"] = dict(self.assigns)
        if self.repo:
            out["repo"] = self.repo
        if self.script:
            out["script"] = self.script
        return out

    def __repr__(self) -> str:
        return f"SimpleCommand({self.text!r}, {sorted(self.classes)!r})"


def _render(argv: list[str], assigns: Mapping[str, str]) -> str:
    parts = [f"{k}={_quote(v)}" for k, v in assigns.items()]
    parts.extend(_quote(a) for a in argv)
    return " ".join(parts)


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")


def _quote(text: str) -> str:
    if text and all(c in _PLAIN for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


class Analysis:
    """The result of analysing one command line."""

    __slots__ = ("command", "commands", "cwd", "errors", "parser", "programs")

    def __init__(
        self, command: str, cwd: str, parser: str, programs: Mapping[str, Any] | None = None
    ) -> None:
        self.command = command
        self.cwd = cwd
        self.parser = parser
        # The policy's programs section (shell.declared.for_worktree), or None.
        self.programs = programs
        self.commands: list[SimpleCommand] = []
        self.errors: list[str] = []

    @property
    def classes(self) -> set[str]:
        """Union of every simple command's classes."""
        out: set[str] = set()
        for cmd in self.commands:
            out |= cmd.classes
        return out

    def as_dict(self) -> dict[str, object]:
        """Plain form for ``explain --json``."""
        return {
            "command": self.command,
            "parser": self.parser,
            "errors": list(self.errors),
            "commands": [c.as_dict() for c in self.commands],
        }

    def __repr__(self) -> str:
        return f"Analysis({self.parser}, {self.commands!r}, errors={self.errors!r})"


class Context:
    """Who is acting, for judging ref moves: the agent, its branch, the integration
    branch and its owner, and every agent's branch (``{agent: branch}``)."""

    __slots__ = ("agent", "agent_branches", "branch", "integration_branch", "integration_owner")

    def __init__(
        self,
        agent: str | None = None,
        branch: str | None = None,
        integration_branch: str | None = None,
        integration_owner: str | None = None,
        agent_branches: Mapping[str, str] | None = None,
    ) -> None:
        self.agent = agent
        self.branch = branch
        self.integration_branch = integration_branch
        self.integration_owner = integration_owner
        self.agent_branches = dict(agent_branches or {})
