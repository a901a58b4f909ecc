"""Shared memory, reviewed like code: what every agent loads, and what in it is wrong. Cold path.

Memory is what Claude Code puts in every session's context before the first prompt:
``CLAUDE.md`` (at the root, in subfolders, in ``.claude/``), ``CLAUDE.local.md``,
``AGENTS.md``, ``.claude/rules/**/*.md``, the files those ``@import`` (Claude Code follows
imports 5 hops deep, never inside code spans or blocks), and the organisation-managed
file (``/etc/claude-code/CLAUDE.md`` on Linux). It grows after every review comment and
never shrinks, so this module checks it against the repository and the policy.

Facts (errors): a command that does not exist (a package.json script, a make target, a
pyproject script, a program on PATH), a path that does not exist, a gate that is not a
check of the verification matrix, a line the policy contradicts (judged by the hook's
own code), an ``@import`` that does not resolve, a rule repeated across files, and an
agent's memory over the policy's budget. Heuristics (warnings, opt-in): dated narrative,
directory trees, rules that contradict each other.
"""

from __future__ import annotations

import datetime
import fnmatch
import glob
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from agentguard.engine.identity import agent_worktree, base_dir
from agentguard.engine.patterns import deciding_pattern
from agentguard.policy.compiler import gitignore_regexes
from agentguard.policy.lint_lanes import MEMORY_NAMES
from agentguard.policy.loader import Loaded
from agentguard.policy.model import PolicyTest

MANAGED_ENV = "AGENTGUARD_MANAGED_MEMORY"
MANAGED_DEFAULT = "/etc/claude-code/CLAUDE.md"
# "Imported files can recursively import additional files, with a max-depth of 5 hops"
# (Claude Code memory docs, "CLAUDE.md imports").
IMPORT_DEPTH = 5

CODES: dict[str, str] = {
    "memory-command": "a command it tells agents to run does not exist",
    "memory-path": "a path it names does not exist",
    "memory-gate": "a command presented as the gate is not a check of the policy",
    "memory-policy": "a line the policy contradicts (denies, asks, another's files, skips)",
    "memory-import": "an @import that does not resolve, or lies beyond 5 hops",
    "memory-repeated": "the same rule in more than one memory file",
    "memory-budget": "an agent's memory is over the policy's budget",
    "memory-waiver": "a waiver that expired or waives nothing",
    "memory-dated": "dated or 'currently' narrative (heuristic)",
    "memory-tree": "a directory tree that restates the repository (heuristic)",
    "memory-conflict": "two rules in memory that contradict each other (heuristic)",
}

_SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build", ".tox", ".astro"}
)


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read than a list of quoted words)."""
    return frozenset(text.split())


_SHELL_LANGS = frozenset({"sh", "bash", "shell", "console", "zsh", "shell-session"})
_SHELL_BUILTINS = _wordset(
    "cd echo export source . test [ true false set unset exit read eval exec printf pwd alias "
    "type command builtin wait trap shift return local"
)
_RUNNERS = _wordset(
    "npm pnpm yarn bun npx make uv poetry pdm hatch just pytest ruff mypy tox nox cargo go "
    "python python3 pip node deno git agentguard"
)
_FILE_EXTS = _wordset(
    "md mdx py ts tsx js jsx mjs cjs json yaml yml toml astro css scss html sh txt cfg ini "
    "lock sql rs go java rb vue svelte env"
)
_MAKE_RULE = re.compile(r"^([A-Za-z0-9_./%-][^:=\s]*(?:[ \t]+[^:=\s]+)*)[ \t]*::?(?!=)", re.M)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)")
_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_IMPORT = re.compile(r"(?:^|(?<=[\s(]))@([^\s`)\]]+)")
_PATHLIKE = re.compile(r"^(?:\./|\.\./)?[\w.@-]+(?:/[\w.@*-]+)*/?$")
_RUN_BEFORE = re.compile(r"\b(run|execute|invoke|use)\s*(:\s*)?$", re.IGNORECASE)
_GATE = re.compile(
    r"\bbefore (you |)(stop|stopping|finish|finishing|commit|committing|push|pushing|hand"
    r"(ing)? off|open(ing)? a (pr|pull request)|you'?re done|declaring)|\bthe (gate|check"
    r"|checks|verification) (is|are)\b|\bmust pass\b|\bgate:|\bdefinition of done\b",
    re.IGNORECASE,
)
_PERMIT = re.compile(
    r"\b(you (may|can)(?! ?not|'t|\u2019t)|feel free to|it'?s (fine|ok|okay) to|(are|is) allowed to"
    r"|go ahead and|no need to ask|without asking|(don'?t|do not|never) need to ask)\b",
    re.IGNORECASE,
)
# Things memory permits in words, each as a call the policy can judge.
_PERMITTED_ACTS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"force[- ]?push|push (-f|--force)", re.I), {"command": "git push --force"}),
    (re.compile(r"push (directly )?to main", re.I), {"command": "git push origin HEAD:main"}),
    (re.compile(r"reset --hard|hard reset", re.I), {"command": "git reset --hard HEAD~1"}),
    (re.compile(r"delete (the |old |stale )?branch", re.I), {"command": "git branch -D old"}),
    (
        re.compile(r"install (new )?(packages|dependencies|deps)|add (a )?dependenc", re.I),
        {"command": "npm install left-pad"},
    ),
    (re.compile(r"\bdeploy", re.I), {"command": "npx wrangler deploy"}),
    (re.compile(r"read (the )?\.env|read secrets", re.I), {"tool": "Read", "path": ".env"}),
    (
        re.compile(r"edit (the )?(lockfile|package-lock)", re.I),
        {"tool": "Edit", "path": "package-lock.json"},
    ),
)
_SKIP = re.compile(
    r"\b(skip|bypass|disable|ignore)\s+(the\s+|all\s+|any\s+)?(failing\s+)?(checks?|tests?"
    r"|hooks?|verification|gate|lint(ing|s)?|ci|pre-commit|agentguard)\b|--no-verify"
    r"|\bno need to (run|test)\b|\b(don'?t|do not) (bother|need to) (run|test)"
    r"|\bwithout (running )?(the )?(tests|checks)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(never|not|don'?t|mustn'?t|no)\b[^.;]*$", re.IGNORECASE)
_EDIT = re.compile(
    r"\b(edit|change|modify|update|rewrite|fix|write to|touch|refactor|add to)\b", re.I
)
_DATED = re.compile(
    r"\b(currently|right now|at the moment|as of|for now|recently|these days|nowadays"
    r"|this week|last week|yesterday|temporar(y|ily)|until further notice)\b"
    r"|\b(19|20)\d\d-\d\d(-\d\d)?\b"
    r"|\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?"
    r"|sep(tember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? (19|20)\d\d\b",
    re.IGNORECASE,
)
_TREE = re.compile(r"[├└│]──|^\s*[|`+\\]--\s")
_POLARITY = re.compile(
    r"\b(always|never|do not|don'?t|must not|mustn'?t|must|should not|shouldn'?t|should"
    r"|avoid|prefer)\s+(.+)",
    re.IGNORECASE,
)
_NEGATIVE = frozenset({"never", "do not", "don't", "dont", "must not", "mustn't", "mustnt"})
_NEGATIVE |= {"should not", "shouldn't", "shouldnt", "avoid"}


class MemoryFinding:
    """One located finding in a memory file, with the fix."""

    __slots__ = ("code", "col", "file", "fix", "line", "message", "severity", "text", "waiver")

    def __init__(
        self,
        code: str,
        file: str,
        line: int,
        col: int,
        message: str,
        fix: str,
        severity: str = "error",
        text: str = "",
    ) -> None:
        self.code = code
        self.file = file
        self.line = line
        self.col = col
        self.message = message
        self.fix = fix
        self.severity = severity
        # The source line, for waivers that match on text.
        self.text = text
        self.waiver: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        out = {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver
        return out

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order of output: by file, then position, then code."""
        return (self.file, self.line, self.col, self.code)

    def __repr__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.code}: {self.message}"


class Doc:
    """One memory file: its lines, which of them are code, its inline code spans."""

    def __init__(self, path: str, shown: str, text: str, depth: int = 0) -> None:
        self.path = path
        self.shown = shown
        self.text = text
        self.depth = depth
        self.lines = text.splitlines()
        self.bytes = len(text.encode("utf-8"))
        # Per line: None outside a fenced block, else the fence's language ("" for none).
        self.fence: list[str | None] = []
        # Fenced blocks: (first line number, language, [(line number, text)]).
        self.blocks: list[tuple[int, str, list[tuple[int, str]]]] = []
        self.frontmatter: dict[str, str] = {}
        self._scan()

    def _scan(self) -> None:
        open_fence: tuple[str, str, int] | None = None
        body: list[tuple[int, str]] = []
        start = 0
        if self.lines and self.lines[0].strip() == "---":
            for i in range(1, len(self.lines)):
                if self.lines[i].strip() == "---":
                    start = i + 1
                    break
                key, _, value = self.lines[i].partition(":")
                self.frontmatter[key.strip()] = value.strip()
        for i, line in enumerate(self.lines):
            if i < start:
                self.fence.append("")  # frontmatter is not prose
                continue
            m = _FENCE.match(line)
            if open_fence is None and m:
                open_fence = (m.group(1)[0], m.group(2).lower(), i + 1)
                body = []
                self.fence.append(open_fence[1])
                continue
            if open_fence is not None:
                self.fence.append(open_fence[1])
                if line.strip().startswith(open_fence[0] * 3):
                    self.blocks.append((open_fence[2], open_fence[1], body))
                    open_fence = None
                else:
                    body.append((i + 1, line))
                continue
            self.fence.append(None)
        if open_fence is not None:
            self.blocks.append((open_fence[2], open_fence[1], body))

    def prose(self) -> Iterator[tuple[int, str]]:
        """(line number, text) of every line outside fenced blocks and frontmatter."""
        for i, line in enumerate(self.lines):
            if self.fence[i] is None:
                yield i + 1, line

    def conditional(self) -> bool:
        """A rules file scoped by ``paths:`` frontmatter loads only for matching files."""
        return bool(self.frontmatter.get("paths"))


def spans(line: str) -> list[tuple[int, str]]:
    """Inline code spans of ``line``: (1-based column of the text, text)."""
    return [(m.start(2) + 1, m.group(2).strip()) for m in _SPAN.finditer(line)]


def _blank_spans(line: str) -> str:
    return _SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _shown(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return path if rel.startswith("../..") else rel


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _walk(root: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names) of the checkout at ``root``, without nested checkouts."""
    for folder, dirs, files in os.walk(root):
        if folder != root and os.path.exists(os.path.join(folder, ".git")):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        yield folder, files


def memory_files(root: str) -> list[str]:
    """Every memory file in the repository at ``root`` (absolute paths, in walk order).

    Nested repositories and worktrees (a folder holding ``.git``) are another checkout's
    memory, and dependency or build folders are not the team's: both are skipped.
    """
    out: list[str] = []
    for folder, files in _walk(root):
        rel = os.path.relpath(folder, root)
        in_rules = rel == os.path.join(".claude", "rules") or rel.startswith(
            os.path.join(".claude", "rules") + os.sep
        )
        for name in sorted(files):
            if name in MEMORY_NAMES or (in_rules and name.endswith(".md")):
                out.append(os.path.join(folder, name))
    return out


def managed_path(env: Mapping[str, str], override: str | None = None) -> str:
    """The organisation-managed memory file: ``override``, ``$AGENTGUARD_MANAGED_MEMORY``,
    else Claude Code's Linux path."""
    return override or env.get(MANAGED_ENV) or MANAGED_DEFAULT


class Memory:
    """The memory docs of one checkout, with their imports followed (5 hops)."""

    def __init__(self, root: str, home: str, managed: str | None) -> None:
        self.root = root
        self.home = home
        self.docs: dict[str, Doc] = {}
        self.findings: list[MemoryFinding] = []
        # Imports of each doc, resolved: (line, col, raw, absolute path or None).
        self.imports: dict[str, list[tuple[int, int, str, str | None]]] = {}
        if managed and os.path.isfile(managed):
            self.add(managed, shown=os.path.abspath(managed))  # not the repository's: absolute
        for path in memory_files(root):
            self.add(path)

    def add(self, path: str, depth: int = 0, shown: str | None = None) -> Doc | None:
        """Read ``path`` (once) and follow its imports; None when it cannot be read."""
        path = os.path.normpath(path)
        if path in self.docs:
            return self.docs[path]
        text = _read(path)
        if text is None:
            return None
        doc = Doc(path, shown or _shown(path, self.root), text, depth)
        self.docs[path] = doc
        found: list[tuple[int, int, str, str | None]] = []
        for number, line in doc.prose():
            for m in _IMPORT.finditer(_blank_spans(line)):
                raw = m.group(1).rstrip(".,;:!?")
                if "/" not in raw and "." not in raw:
                    continue  # an @mention, not a file
                target = self._resolve(raw, os.path.dirname(path))
                found.append((number, m.start(1), raw, target))
                if target is None:
                    self.findings.append(
                        MemoryFinding(
                            "memory-import",
                            doc.shown,
                            number,
                            m.start(1),
                            f"@{raw} does not resolve to a file, so it imports nothing",
                            "fix the path (relative to this file), or delete the import",
                            text=line,
                        )
                    )
                elif depth + 1 > IMPORT_DEPTH:
                    self.findings.append(
                        MemoryFinding(
                            "memory-import",
                            doc.shown,
                            number,
                            m.start(1),
                            f"@{raw} is hop {depth + 1}; Claude Code follows imports only"
                            f" {IMPORT_DEPTH} hops deep, so it is never loaded",
                            "import it from a file nearer the root, or inline it",
                            text=line,
                        )
                    )
                else:
                    self.add(target, depth + 1)
        self.imports[path] = found
        return doc

    def _resolve(self, raw: str, folder: str) -> str | None:
        if raw.startswith("~/"):
            path = os.path.join(self.home, raw[2:])
        elif os.path.isabs(raw):
            path = raw
        else:
            path = os.path.join(folder, raw)
        return os.path.normpath(path) if os.path.isfile(path) else None

    def loaded_at_start(self, worktree: str, managed: str | None) -> list[Doc]:
        """The docs a session started in ``worktree`` loads before the first prompt."""
        order: list[str] = []
        if managed and os.path.isfile(managed):
            order.append(managed)
        ancestors = []
        folder = os.path.dirname(worktree)
        while folder and folder != os.path.dirname(folder):
            ancestors.append(folder)
            folder = os.path.dirname(folder)
        for parent in reversed(ancestors):
            order += [os.path.join(parent, n) for n in ("CLAUDE.md", "CLAUDE.local.md")]
        order += [
            os.path.join(worktree, "CLAUDE.md"),
            os.path.join(worktree, ".claude", "CLAUDE.md"),
        ]
        rules = os.path.join(worktree, ".claude", "rules")
        order += sorted(glob.glob(os.path.join(rules, "**", "*.md"), recursive=True))
        order.append(os.path.join(worktree, "CLAUDE.local.md"))
        out: list[Doc] = []
        seen: set[str] = set()

        def visit(path: str, depth: int) -> None:
            path = os.path.normpath(path)
            if path in seen or not os.path.isfile(path):
                return
            doc = self.add(path, depth)
            if doc is None or (depth == 0 and doc.conditional()):
                return
            seen.add(path)
            out.append(doc)
            for _, _, _, target in self.imports.get(path, []):
                if target is not None and depth < IMPORT_DEPTH:
                    visit(target, depth + 1)

        for path in order:
            visit(path, 0)
        return out


# --- the repository's commands ---------------------------------------------------------------


class Repo:
    """What a command in memory may refer to: scripts, make targets, programs."""

    def __init__(self, root: str, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = env
        self._makefiles: dict[str, set[str] | None] = {}
        self.pyproject_scripts = _pyproject_scripts(os.path.join(root, "pyproject.toml"))
        path = env.get("PATH", os.defpath)
        extra = [os.path.join(root, ".venv", "bin"), os.path.join(root, "node_modules", ".bin")]
        self.path = os.pathsep.join([path, *extra])
        self.names = {name for _, files in _walk(root) for name in files}

    def make_targets(self, folder: str) -> set[str] | None:
        """Targets of the Makefile in ``folder``; None when there is none."""
        if folder not in self._makefiles:
            targets: set[str] | None = None
            for name in ("GNUmakefile", "makefile", "Makefile"):
                text = _read(os.path.join(folder, name))
                if text is not None:
                    targets = set()
                    for m in _MAKE_RULE.finditer(text):
                        targets.update(m.group(1).split())
                    break
            self._makefiles[folder] = targets
        return self._makefiles[folder]

    def on_path(self, program: str, cwd: str) -> bool:
        """Whether ``program`` runs: a shell builtin, a file, or a program on PATH."""
        if program in _SHELL_BUILTINS:
            return True
        if "/" in program:
            return os.path.exists(os.path.join(cwd, program))
        return shutil.which(program, path=self.path) is not None


def _pyproject_scripts(path: str) -> set[str] | None:
    text = _read(path)
    if text is None:
        return None
    # The keys of three tables are all that is needed; tomllib is not in Python 3.10.
    out: set[str] = set()
    table = ""
    for line in text.splitlines():
        head = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if head:
            table = head.group(1).strip()
            continue
        key = re.match(r"^\s*\"?([\w.-]+)\"?\s*=", line)
        if key and table in ("project.scripts", "tool.poetry.scripts", "tool.pdm.scripts"):
            out.add(key.group(1))
    return out


def _package_scripts(folder: str) -> dict[str, Any] | None:
    text = _read(os.path.join(folder, "package.json"))
    if text is None:
        return None
    try:
        scripts = json.loads(text).get("scripts", {})
    except (ValueError, AttributeError):
        return None
    return scripts if isinstance(scripts, dict) else {}


def _words(command: str) -> list[list[str]]:
    """The simple commands of a shell line, each as its words (parsed, not split)."""
    from agentguard.shell import parse

    try:
        raws, errors, _ = parse(command)
    except Exception:
        return []
    if errors:
        return []
    return [
        [*(f"{name}={value.text}" for name, value in raw.assigns), *(w.text for w in raw.words)]
        for raw in raws
        if raw.words
    ]


def command_problem(words: list[str], repo: Repo, cwd: str) -> tuple[str, str] | None:
    """Why the simple command ``words`` does not exist here (message, fix), or None."""
    argv = [w for w in words if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w)]
    if not argv:
        return None
    program = argv[0]
    if any(c in program for c in "$*?<>{}") or program.startswith("-"):
        return None  # a placeholder or an expansion: nothing to look up
    args = argv[1:]
    if program in ("npm", "pnpm", "yarn", "bun"):
        script = _script_of(program, args)
        if script is None:
            return None
        scripts = _package_scripts(cwd)
        if scripts is None:
            return (
                f"`{' '.join(argv)}` runs a script, but there is no package.json",
                "name a command that exists, or add package.json",
            )
        if script not in scripts:
            known = ", ".join(sorted(scripts)[:6]) or "none"
            return (
                f"`{' '.join(argv)}`: package.json has no script {script!r}",
                f"use one of its scripts ({known}), or add {script!r} to it",
            )
        return None
    if program == "make":
        targets = [a for a in args if not a.startswith("-") and "=" not in a]
        if any(a.startswith(("-C", "-f", "--directory", "--file")) for a in args):
            return None
        defined = repo.make_targets(cwd)
        if defined is None:
            return (f"`{' '.join(argv)}`: there is no Makefile", "name a command that exists")
        missing = [t for t in targets if t not in defined]
        if missing:
            known = ", ".join(sorted(t for t in defined if not t.startswith("."))[:6])
            return (
                f"`{' '.join(argv)}`: the Makefile has no target {missing[0]!r}",
                f"use one of its targets ({known or 'none'}), or add it",
            )
        return None
    if program in ("uv", "poetry", "pdm") and args and args[0] == "run":
        rest = [a for a in args[1:] if not a.startswith("-")]
        if not rest or "/" in rest[0] or rest[0].endswith(".py"):
            return None
        name = rest[0]
        entries = repo.pyproject_scripts or set()
        if name in entries or repo.on_path(name, cwd) or name in ("python", "python3"):
            return None
        return (
            f"`{' '.join(argv)}`: {name!r} is neither a pyproject.toml script nor a program",
            "add it to [project.scripts], or name the command that runs it",
        )
    if not repo.on_path(program, cwd):
        return (
            f"`{' '.join(argv)}`: program {program!r} is not on PATH",
            "name a command that exists here, or say how to install it",
        )
    return None


def _script_of(program: str, args: list[str]) -> str | None:
    plain = [a for a in args if not a.startswith("-")]
    if not plain:
        return None
    verb = plain[0]
    if verb in ("run", "run-script"):
        return plain[1] if len(plain) > 1 else None
    if verb in ("test", "start", "stop", "restart") and program == "npm":
        return verb
    if program in ("pnpm", "yarn", "bun") and verb not in _PM_VERBS:
        return verb
    return None


_PM_VERBS = _wordset(
    "install i add remove rm update up upgrade exec dlx x create init ci link unlink publish "
    "pack why list ls outdated audit config set get info view store import rebuild prune "
    "patch dedupe env help version workspaces workspace global cache login logout whoami bin "
    "root test"
)


# --- judging with the policy -----------------------------------------------------------------


class Judge:
    """Decisions of the policy for an agent's call, by the hook's own code (like ``test``)."""

    def __init__(self, loaded: Loaded) -> None:
        from agentguard.commands.policytest import Layout

        self.loaded = loaded
        self._tmp = tempfile.TemporaryDirectory(prefix="agentguard-memory-")
        self.layout = Layout(loaded, os.path.realpath(self._tmp.name))
        self._cache: dict[tuple[str | None, str, str, str], tuple[str, list[str]]] = {}

    def close(self) -> None:
        """Remove the throwaway layout."""
        self._tmp.cleanup()

    def decide(
        self, agent: str | None, *, command: str = "", tool: str = "Bash", path: str = ""
    ) -> tuple[str, list[str]]:
        """(decision, deciding rule ids) for ``agent`` running ``command`` or ``tool`` on
        ``path``; ``none`` when no rule speaks."""
        from agentguard.claude import wire
        from agentguard.commands.explain import explain
        from agentguard.commands.policytest import build_event
        from agentguard.errors import GuardError

        key = (agent, command, tool, path)
        if key in self._cache:
            return self._cache[key]
        test = PolicyTest.model_validate(
            {
                "agent": agent,
                "tool": tool if not command else "Bash",
                "command": command or None,
                "path": path or None,
                "expect": "none",
            }
        )
        try:
            worktree = self.layout.worktree(agent)
            event = build_event(test, worktree)
            evaluation, _ = explain(event, self.layout.env(agent, worktree))
        except (GuardError, ValueError, OSError):
            result: tuple[str, list[str]] = ("none", [])
        else:
            output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, "")
            got = evaluation.decision if output else "none"
            rules = sorted({m.rule for m in evaluation.matches if m.decision == got})
            result = (got, rules)
        self._cache[key] = result
        return result


# --- the checks ------------------------------------------------------------------------------


def _candidates(doc: Doc) -> Iterator[tuple[int, int, str, str]]:
    """Commands memory tells agents to run: (line, col, command, the line's text).

    From fenced shell blocks (``$ `` prompts stripped, comments skipped), and from
    inline code spans that start with a known runner or follow "run"/"use".
    """
    for _, lang, body in doc.blocks:
        if lang not in _SHELL_LANGS:
            continue
        for number, line in body:
            text = line.strip()
            col = len(line) - len(line.lstrip()) + 1
            if lang in ("console", "shell-session"):
                if not text.startswith("$ "):
                    continue
                text, col = text[2:], col + 2
            elif text.startswith("$ "):
                text, col = text[2:], col + 2
            if text and not text.startswith("#"):
                yield number, col, text, line
    for number, line in doc.prose():
        for col, text in spans(line):
            first = text.split()[0] if text.split() else ""
            before = line[: max(col - 2, 0)]
            runner = " " in text and first in _RUNNERS
            if runner or (first and _RUN_BEFORE.search(before)):
                yield number, col, text, line


def check_commands(docs: Iterable[Doc], repo: Repo) -> list[MemoryFinding]:
    """Commands memory tells agents to run that do not exist in the repository."""
    out: list[MemoryFinding] = []
    for doc in docs:
        folder = os.path.dirname(doc.path)
        for number, col, command, line in _candidates(doc):
            for words in _words(command):
                problem = command_problem(words, repo, repo.root)
                if problem is not None and folder != repo.root:
                    problem = problem and command_problem(words, repo, folder)
                if problem is not None:
                    message, fix = problem
                    out.append(
                        MemoryFinding(
                            "memory-command", doc.shown, number, col, message, fix, text=line
                        )
                    )
                    break
    return out


def _path_spans(doc: Doc) -> Iterator[tuple[int, int, str, str, bool]]:
    """Paths memory names: (line, col, path, line text, from a link)."""
    for number, line in doc.prose():
        for col, text in spans(line):
            if _PATHLIKE.match(text) and (
                "/" in text or (text.rsplit(".", 1)[-1].lower() in _FILE_EXTS and "." in text)
            ):
                if text.startswith("@") or text.endswith("/.") or text in ("./", "../"):
                    continue
                yield number, col, text, line, False
        for m in _LINK.finditer(_blank_spans(line)):
            target = m.group(1).split("#", 1)[0]
            if not target or "://" in target or target.startswith(("mailto:", "#", "/")):
                continue
            yield number, m.start(1) + 1, target, line, True


def check_paths(
    docs: Iterable[Doc], repo: Repo, branches: Sequence[str] = ()
) -> list[MemoryFinding]:
    """Paths memory names that exist neither beside it nor from the repository root.

    Spans that are not paths though they look like one are skipped: a branch of the
    policy (``agent/blog-search-ui``, globs too) or one the line calls a branch, and a
    host name (``github.com/org/repo``).
    """
    out: list[MemoryFinding] = []
    for doc in docs:
        folder = os.path.dirname(doc.path)
        for number, col, path, line, link in _path_spans(doc):
            bases = [folder] if link else [folder, repo.root]
            if _exists(path, bases) or ("/" not in path and not link and path in repo.names):
                continue
            if not link and _not_a_path(path, line[: max(col - 2, 0)], branches):
                continue
            out.append(
                MemoryFinding(
                    "memory-path",
                    doc.shown,
                    number,
                    col,
                    f"{path} does not exist"
                    + (" (relative to this file)" if link else " in the repository"),
                    "fix the path, or delete the rule if what it named is gone",
                    text=line,
                )
            )
    return out


_HOST = re.compile(r"^[\w-]+(\.[\w-]+)*\.(com|org|net|io|dev|app|co|ai|sh|gg)(/|$)")
_BRANCH_WORD = re.compile(r"\b(branch|branches|ref|checkout|switch)\b\W*$", re.IGNORECASE)


def _not_a_path(text: str, before: str, branches: Sequence[str]) -> bool:
    if _HOST.match(text) or _BRANCH_WORD.search(before):
        return True
    return any(fnmatch.fnmatchcase(text, b) for b in branches)


def _exists(path: str, bases: Sequence[str]) -> bool:
    for base in bases:
        full = os.path.join(base, path)
        if any(c in path for c in "*?["):
            if glob.glob(full, recursive=True):
                return True
        elif os.path.exists(full):
            return True
    return False


def _check_runs(loaded: Loaded) -> dict[str, list[list[str]]]:
    return {name: _words(c.run) for name, c in loaded.policy.checks.items()}


def check_gates(docs: Iterable[Doc], loaded: Loaded) -> list[MemoryFinding]:
    """Commands presented as the gate that are not a check of the verification matrix."""
    policy = loaded.policy
    used = {c for a in policy.agents.values() for c in a.checks} or set(policy.checks)
    runs = _check_runs(loaded)
    allowed = [w for name in used for w in runs.get(name, [])]
    names = ", ".join(sorted({policy.checks[n].run for n in used if n in policy.checks}))
    out: list[MemoryFinding] = []
    for doc in docs:
        for number, line in doc.prose():
            if not _GATE.search(line):
                continue
            for col, text in spans(line):
                parts = _words(text)
                if not parts or not any(p[0] in _RUNNERS for p in parts):
                    continue
                if all(p in allowed for p in parts):
                    continue
                out.append(
                    MemoryFinding(
                        "memory-gate",
                        doc.shown,
                        number,
                        col,
                        f"`{text}` is presented as the gate, but it is no check of the"
                        f" policy; its checks run: {names or 'nothing'}",
                        "name the policy's checks (agentguard.yaml checks:), or add this"
                        " one there and to the agents that need it",
                        text=line,
                    )
                )
    return out


def check_policy(docs: Iterable[Doc], loaded: Loaded, judge: Judge) -> list[MemoryFinding]:
    """Lines the policy contradicts: they permit what it denies or asks, send an agent to
    another agent's files, or tell agents to skip the checks."""
    policy = loaded.policy
    agents: list[str | None] = list(policy.agents) or [None]
    out: list[MemoryFinding] = []
    for doc in docs:
        commands: dict[int, list[tuple[int, str]]] = {}
        for number, col, command, _ in _candidates(doc):
            commands.setdefault(number, []).append((col, command))
        for number, line in doc.prose():
            out.extend(_permits(doc, number, line, commands.get(number, []), agents, judge))
            out.extend(_others_files(doc, number, line, agents, judge, loaded))
            m = _SKIP.search(line)
            if m and not _NEGATED.search(line[: m.start()]):
                gate = sorted({c for a in policy.agents.values() for c in a.checks})
                out.append(
                    MemoryFinding(
                        "memory-policy",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"tells agents to skip checks ({m.group(0)!r}); the policy's gate"
                        f" requires {', '.join(gate) or 'its checks'} after the last edit",
                        "delete the line; to change the gate, change the policy's checks",
                        text=line,
                    )
                )
        # Commands in shell blocks: a command the policy denies outright.
        for number, col, command, line in _candidates(doc):
            if doc.fence[number - 1] is None:
                continue
            for agent in agents:
                decision, rules = judge.decide(agent, command=command)
                if decision == "deny":
                    out.append(
                        _contradiction(
                            doc, number, col, line, f"`{command}`", agent, decision, rules
                        )
                    )
                    break
    return out


def _contradiction(
    doc: Doc,
    number: int,
    col: int,
    line: str,
    what: str,
    agent: str | None,
    decision: str,
    rules: list[str],
    permits: bool = False,
) -> MemoryFinding:
    who = f"agent {agent}" if agent else "an unassigned caller"
    verb = "denies it to" if decision == "deny" else "asks a human first for"
    said = "permits" if permits else "tells agents to run"
    return MemoryFinding(
        "memory-policy",
        doc.shown,
        number,
        col,
        f"{said} {what}, but the policy {verb} {who} ({', '.join(rules) or decision})",
        "delete the line, or say that it needs a human's approval",
        text=line,
    )


def _permits(
    doc: Doc,
    number: int,
    line: str,
    commands: list[tuple[int, str]],
    agents: list[str | None],
    judge: Judge,
) -> list[MemoryFinding]:
    m = _PERMIT.search(line)
    if not m:
        return []
    calls: list[tuple[int, str, dict[str, str]]] = [
        (col, f"`{cmd}`", {"command": cmd}) for col, cmd in commands
    ]
    prose = _blank_spans(line)
    for pattern, call in _PERMITTED_ACTS:
        hit = pattern.search(prose)
        if hit:
            calls.append((hit.start() + 1, repr(hit.group(0)), call))
    if _EDIT.search(prose):
        for col, text in spans(line):
            if _PATHLIKE.match(text) and not any(c in text for c in "*?["):
                calls.append((col, f"editing {text}", {"tool": "Edit", "path": text}))
    out = []
    for col, what, call in calls:
        for agent in agents:
            decision, rules = judge.decide(
                agent,
                command=call.get("command", ""),
                tool=call.get("tool", "Bash"),
                path=call.get("path", ""),
            )
            if "path" in call and set(rules) <= {"ownership", "cannot-touch", "unowned-write"}:
                continue  # another agent's lane: _others_files says so; unowned: the default
            if decision in ("ask", "deny"):
                out.append(
                    _contradiction(doc, number, col, line, what, agent, decision, rules, True)
                )
                break
    return out


def _others_files(
    doc: Doc,
    number: int,
    line: str,
    agents: list[str | None],
    judge: Judge,
    loaded: Loaded,
) -> list[MemoryFinding]:
    if not _EDIT.search(_blank_spans(line)) or agents == [None]:
        return []
    out = []
    for col, text in spans(line):
        if not (_PATHLIKE.match(text) and "/" in text) or any(c in text for c in "*?["):
            continue
        denied = []
        for agent in agents:
            if agent is None or re.search(rf"\b{re.escape(agent)}\b", line, re.I):
                continue  # the line speaks to that agent by name
            decision, rules = judge.decide(agent, tool="Edit", path=text)
            if decision == "deny" and {"ownership", "cannot-touch"} & set(rules):
                denied.append(agent)
        if denied:
            owners = [
                n
                for n, a in loaded.policy.agents.items()
                if deciding_pattern(gitignore_regexes(a.owns), text) is not None
            ]
            owner = f"owned by {', '.join(owners)}" if owners else "not theirs"
            out.append(
                MemoryFinding(
                    "memory-policy",
                    doc.shown,
                    number,
                    col,
                    f"tells every agent to edit {text} ({owner}); the policy denies it to"
                    f" {', '.join(denied)}",
                    "name the agent that owns it, or move the rule to that agent's prompt",
                    text=line,
                )
            )
    return out


def _normal(line: str) -> str:
    text = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line)
    text = re.sub(r"[`*_~>#\[\]()]", "", text).lower()
    text = re.sub(r"\s+", " ", text).strip(" .,;:!")
    return text


def check_repeated(docs: Sequence[Doc]) -> list[MemoryFinding]:
    """The same rule (the same line, modulo markup) in two memory files."""
    first: dict[str, tuple[Doc, int]] = {}
    out: list[MemoryFinding] = []
    for doc in docs:
        for number, line in doc.prose():
            if line.lstrip().startswith("#"):
                continue  # a heading is not a rule
            key = _normal(line)
            if len(key.split()) < 4:
                continue
            if key in first and first[key][0] is not doc:
                other, at = first[key]
                out.append(
                    MemoryFinding(
                        "memory-repeated",
                        doc.shown,
                        number,
                        len(line) - len(line.lstrip()) + 1,
                        f"this rule is also at {other.shown}:{at}; every agent loading both"
                        " reads it twice, and the copies drift apart",
                        f"keep it in one file (delete it here or in {other.shown})",
                        text=line,
                    )
                )
            else:
                first.setdefault(key, (doc, number))
    return out


def check_budget(
    memory: Memory, loaded: Loaded, managed: str | None
) -> tuple[list[MemoryFinding], dict[str, dict[str, Any]]]:
    """Each agent's memory at start (what its worktree loads) against the policy's budget."""
    policy = loaded.policy
    budget = policy.memory.budget
    out: list[MemoryFinding] = []
    usage: dict[str, dict[str, Any]] = {}
    base = base_dir(loaded.files)
    targets: list[tuple[str, str]] = []
    for name, spec in policy.agents.items():
        worktree = agent_worktree(spec.model_dump(), base)
        if not worktree or not os.path.isdir(worktree):
            worktree = memory.root  # not checked out: its branch holds this checkout's memory
        targets.append((name, worktree))
    if not targets:
        targets.append(("(any)", memory.root))
    for name, worktree in targets:
        docs = memory.loaded_at_start(worktree, managed)
        lines = sum(len(d.lines) for d in docs)
        size = sum(d.bytes for d in docs)
        usage[name] = {
            "worktree": worktree,
            "lines": lines,
            "bytes": size,
            "files": [d.shown for d in docs],
        }
        for unit, limit, used in (("lines", budget.lines, lines), ("bytes", budget.bytes, size)):
            if limit is None or used <= limit:
                continue
            doc, number = _crossing(docs, unit, limit)
            out.append(
                MemoryFinding(
                    "memory-budget",
                    doc.shown,
                    number,
                    1,
                    f"agent {name} loads {used} {unit} of memory (budget {limit}); the"
                    " budget is crossed here",
                    "delete rules that no longer match the repo, or move detail into docs"
                    " read on demand",
                    text=doc.lines[number - 1] if doc.lines else "",
                )
            )
    return out, usage


def _crossing(docs: Sequence[Doc], unit: str, limit: int) -> tuple[Doc, int]:
    total = 0
    for doc in docs:
        for i, line in enumerate(doc.lines):
            total += 1 if unit == "lines" else len(line.encode("utf-8")) + 1
            if total > limit:
                return doc, i + 1
    return docs[-1], max(len(docs[-1].lines), 1)


def check_dated(docs: Iterable[Doc]) -> list[MemoryFinding]:
    """Heuristic: narrative that dates ("currently", "as of", a date)."""
    out = []
    for doc in docs:
        for number, line in doc.prose():
            m = _DATED.search(_blank_spans(line))
            if m:
                out.append(
                    MemoryFinding(
                        "memory-dated",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"dated narrative ({m.group(0)!r}) is true only when written",
                        "state the rule without the date, or delete it",
                        "warning",
                        text=line,
                    )
                )
    return out


def check_trees(docs: Iterable[Doc]) -> list[MemoryFinding]:
    """Heuristic: a fenced directory tree, which restates the repository and goes stale."""
    out = []
    for doc in docs:
        for start, _, body in doc.blocks:
            rows = sum(1 for _, line in body if _TREE.search(line))
            if rows >= 2:
                out.append(
                    MemoryFinding(
                        "memory-tree",
                        doc.shown,
                        start,
                        1,
                        f"a directory tree ({len(body)} lines) restates the repository and"
                        " goes stale with every move",
                        "delete it: agents list files themselves (git ls-files)",
                        "warning",
                        text=doc.lines[start - 1],
                    )
                )
    return out


def check_conflicts(docs: Sequence[Doc]) -> list[MemoryFinding]:
    """Heuristic: "always X" here, "never X" there (any polarity pair on the same words)."""
    seen: dict[str, tuple[bool, Doc, int, str]] = {}
    out = []
    for doc in docs:
        for number, line in doc.prose():
            m = _POLARITY.search(line)
            if not m:
                continue
            word = m.group(1).lower().replace("\u2019", "'")
            negative = word in _NEGATIVE
            words = re.sub(r"[^\w\s-]", " ", m.group(2).lower()).split()[:6]
            key = " ".join(words)
            if len(words) < 2:
                continue
            if key in seen and seen[key][0] != negative:
                _, other, at, said = seen[key]
                out.append(
                    MemoryFinding(
                        "memory-conflict",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"{m.group(0).strip()!r} contradicts {said!r} at {other.shown}:{at}",
                        "keep the rule that holds and delete the other",
                        "warning",
                        text=line,
                    )
                )
            else:
                seen.setdefault(key, (negative, doc, number, m.group(0).strip()))
    return out


# --- waivers ---------------------------------------------------------------------------------


def apply_waivers(
    findings: list[MemoryFinding], loaded: Loaded, today: datetime.date, root: str
) -> list[MemoryFinding]:
    """Mark findings the policy waives; add a finding for each expired or unused waiver.

    Waivers live in the policy (``memory: waivers:``), which agents cannot edit, so only
    a human accepts a finding; an expired waiver fails the run until it is renewed.
    """
    extra: list[MemoryFinding] = []
    for i, waiver in enumerate(loaded.policy.memory.waivers):
        compiled = gitignore_regexes([waiver.file])
        problem = loaded.locate(("memory", "waivers", i), "")
        where = (_shown(os.path.abspath(problem.file), root), problem.line, problem.col)
        hits = [
            f
            for f in findings
            if f.code == waiver.rule
            and deciding_pattern(compiled, f.file) is not None
            and (not waiver.match or waiver.match in f.text or waiver.match in f.message)
        ]
        if waiver.until < today:
            extra.append(
                MemoryFinding(
                    "memory-waiver",
                    where[0],
                    where[1],
                    where[2],
                    f"the waiver of {waiver.rule} in {waiver.file} expired on"
                    f" {waiver.until.isoformat()} ({waiver.reason})",
                    "fix the finding and delete the waiver, or renew its date",
                )
            )
            continue
        if not hits:
            extra.append(
                MemoryFinding(
                    "memory-waiver",
                    where[0],
                    where[1],
                    where[2],
                    f"the waiver of {waiver.rule} in {waiver.file} waives nothing",
                    "delete it: the finding it accepted is gone",
                    "warning",
                )
            )
        for f in hits:
            if f.waiver is None:
                f.waiver = f"until {waiver.until.isoformat()}: {waiver.reason}"
    return findings + extra


class Result:
    """Everything ``memory lint`` found: findings, waived findings, per-agent usage."""

    def __init__(
        self,
        findings: list[MemoryFinding],
        usage: dict[str, dict[str, Any]],
        files: list[str],
    ) -> None:
        self.findings = sorted(
            (f for f in findings if f.waiver is None), key=MemoryFinding.sort_key
        )
        self.waived = sorted(
            (f for f in findings if f.waiver is not None), key=MemoryFinding.sort_key
        )
        self.usage = usage
        self.files = files


def lint_memory(
    root: str,
    loaded: Loaded,
    env: Mapping[str, str],
    *,
    managed: str | None = None,
    heuristics: bool = False,
    today: datetime.date | None = None,
) -> Result:
    """Lint the memory of the checkout at ``root`` against ``loaded``'s policy."""
    root = os.path.realpath(root)
    home = env.get("HOME") or os.path.expanduser("~")
    memory = Memory(root, home, managed)
    docs = list(memory.docs.values())
    repo = Repo(root, env)
    judge = Judge(loaded)
    try:
        findings = list(memory.findings)
        findings += check_commands(docs, repo)
        branches = [a.branch for a in loaded.policy.agents.values() if a.branch]
        if loaded.policy.integration:
            branches.append(loaded.policy.integration.branch)
        findings += check_paths(docs, repo, branches)
        findings += check_gates(docs, loaded)
        findings += check_policy(docs, loaded, judge)
        findings += check_repeated(docs)
        budget, usage = check_budget(memory, loaded, managed)
        findings += budget
        if heuristics:
            findings += check_dated(docs) + check_trees(docs) + check_conflicts(docs)
    finally:
        judge.close()
    findings = _dedupe(findings)
    findings = apply_waivers(findings, loaded, today or datetime.date.today(), root)
    return Result(findings, usage, [d.shown for d in docs])


def _dedupe(findings: list[MemoryFinding]) -> list[MemoryFinding]:
    seen: set[tuple[str, str, int, int, str]] = set()
    out = []
    for f in findings:
        key = (f.code, f.file, f.line, f.col, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
