r"""The memory files of a checkout, read: what each holds and what it imports. Cold path.

:class:`Memory` finds every memory file (``CLAUDE.md`` and its kin, ``.claude/rules``, the
organisation-managed file), follows their ``@import``\ s 5 hops deep as Claude Code does,
and knows which of them a session started in a worktree loads; :class:`Doc` is one file
with its fenced blocks and code spans; :class:`MemoryFinding` is one located finding.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from agentguard.policy.lint_lanes import MEMORY_NAMES

MANAGED_ENV = "AGENTGUARD_MANAGED_MEMORY"

MANAGED_DEFAULT = "/etc/claude-code/CLAUDE.md"

# "Imported files can recursively import additional files, with a max-depth of 5 hops"
# (Claude Code memory docs, "CLAUDE.md imports").
IMPORT_DEPTH = 5

_SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build", ".tox", ".astro"}
)

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)")

_SPAN = re.compile(r"(`+)(.+?)\1")

_IMPORT = re.compile(r"(?:^|(?<=[\s(]))@([^\s`)\]]+)")

PATHLIKE = re.compile(r"^(?:\./|\.\./)?[\w.@-]+(?:/[\w.@*-]+)*/?$")


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


def blank_spans(line: str) -> str:
    """``line`` with its inline code spans blanked (same length, so columns still hold)."""
    return _SPAN.sub(lambda m: " " * len(m.group(0)), line)


def shown_path(path: str, root: str) -> str:
    """How a finding names ``path``: relative to the checkout at ``root``, unless far outside."""
    rel = os.path.relpath(path, root)
    return path if rel.startswith("../..") else rel


def read_text(path: str) -> str | None:
    """The UTF-8 text of ``path``; None when it cannot be read as such."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def walk_checkout(root: str) -> Iterator[tuple[str, list[str]]]:
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
    for folder, files in walk_checkout(root):
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
        text = read_text(path)
        if text is None:
            return None
        doc = Doc(path, shown or shown_path(path, self.root), text, depth)
        self.docs[path] = doc
        found: list[tuple[int, int, str, str | None]] = []
        for number, line in doc.prose():
            for m in _IMPORT.finditer(blank_spans(line)):
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
