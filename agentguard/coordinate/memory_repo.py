"""What memory names in the repository: the commands it tells agents to run and the
paths it points at, checked against what exists. Cold path."""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from agentguard.coordinate.memory_docs import (
    PATHLIKE,
    Doc,
    MemoryFinding,
    blank_spans,
    read_text,
    spans,
    walk_checkout,
)


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read than a list of quoted words)."""
    return frozenset(text.split())


_SHELL_LANGS = frozenset({"sh", "bash", "shell", "console", "zsh", "shell-session"})

_SHELL_BUILTINS = _wordset(
    "cd echo export source . test [ true false set unset exit read eval exec printf pwd alias "
    "type command builtin wait trap shift return local"
)

RUNNERS = _wordset(
    "npm pnpm yarn bun npx make uv poetry pdm hatch just pytest ruff mypy tox nox cargo go "
    "python python3 pip node deno git agentguard"
)

_FILE_EXTS = _wordset(
    "md mdx py ts tsx js jsx mjs cjs json yaml yml toml astro css scss html sh txt cfg ini "
    "lock sql rs go java rb vue svelte env"
)

_MAKE_RULE = re.compile(r"^([A-Za-z0-9_./%-][^:=\s]*(?:[ \t]+[^:=\s]+)*)[ \t]*::?(?!=)", re.M)

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")

_RUN_BEFORE = re.compile(r"\b(run|execute|invoke|use)\s*(:\s*)?$", re.IGNORECASE)


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
        self.names = {name for _, files in walk_checkout(root) for name in files}

    def make_targets(self, folder: str) -> set[str] | None:
        """Targets of the Makefile in ``folder``; None when there is none."""
        if folder not in self._makefiles:
            targets: set[str] | None = None
            for name in ("GNUmakefile", "makefile", "Makefile"):
                text = read_text(os.path.join(folder, name))
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
    text = read_text(path)
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
    text = read_text(os.path.join(folder, "package.json"))
    if text is None:
        return None
    try:
        scripts = json.loads(text).get("scripts", {})
    except (ValueError, AttributeError):
        return None
    return scripts if isinstance(scripts, dict) else {}


def shell_words(command: str) -> list[list[str]]:
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


def candidates(doc: Doc) -> Iterator[tuple[int, int, str, str]]:
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
            runner = " " in text and first in RUNNERS
            if runner or (first and _RUN_BEFORE.search(before)):
                yield number, col, text, line


def check_commands(docs: Iterable[Doc], repo: Repo) -> list[MemoryFinding]:
    """Commands memory tells agents to run that do not exist in the repository."""
    out: list[MemoryFinding] = []
    for doc in docs:
        folder = os.path.dirname(doc.path)
        for number, col, command, line in candidates(doc):
            for words in shell_words(command):
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
            if PATHLIKE.match(text) and (
                "/" in text or (text.rsplit(".", 1)[-1].lower() in _FILE_EXTS and "." in text)
            ):
                if text.startswith("@") or text.endswith("/.") or text in ("./", "../"):
                    continue
                yield number, col, text, line, False
        for m in _LINK.finditer(blank_spans(line)):
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
