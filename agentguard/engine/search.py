"""What a search reads beyond the folder it names: the secrets in it, what its glob selects.

Grep (and ``grep -r``/``rg`` on a Bash line) reads the contents of everything under
the folder it is pointed at, so naming the folder is reading the secrets in it; a
search's file filters (grep's ``--include``/``--exclude``, ripgrep's ``-g``/``-t``, the
Grep tool's ``glob``/``type``) narrow that to what they select (:class:`Filter`).
"""

from __future__ import annotations

import os

from agentguard.decision import ALLOW, Match
from agentguard.engine import paths
from agentguard.engine.pathnames import normalise
from agentguard.engine.patterns import deciding_pattern, samples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentguard.engine.paths import Context


# ripgrep's built-in file types (``rg --type-list``) that agentguard knows; a type
# not listed here filters nothing, so the search is judged as reading everything.
RG_TYPES = {
    "astro": "*.astro",
    "c": "*.[chH] *.[chH].in *.cats",
    "cpp": "*.[ChH] *.cc *.cpp *.cxx *.hh *.hpp *.hxx *.inl",
    "css": "*.css *.scss",
    "go": "*.go",
    "html": "*.ejs *.htm *.html",
    "java": "*.java *.jsp *.jspx *.properties",
    "js": "*.cjs *.js *.jsx *.mjs *.vue",
    "markdown": "*.markdown *.md *.mdown *.mdwn *.mdx *.mkd *.mkdn *.mkdown *.ron *.workbook",
    "md": "*.markdown *.md *.mdown *.mdwn *.mdx *.mkd *.mkdn *.mkdown *.ron *.workbook",
    "py": "*.py *.pyi",
    "ruby": "*.gemspec *.rb .irbrc Gemfile",
    "rust": "*.rs",
    "sh": "*.bash *.bashrc *.csh *.cshrc *.ksh *.kshrc *.sh *.tcsh *.zsh",
    "svelte": "*.svelte",
    "ts": "*.cts *.mts *.ts *.tsx",
    "vue": "*.vue",
}


# How many entries of a protected folder a filtered search looks at to tell whether its
# filters select anything there (``notes/`` holds only ``*.md``, the search reads ``*.ts``).
SCAN_INSIDE = 2000


class Filter:
    """Which file names a recursive search reads, from its file filters.

    ``rules`` are (include, glob) in command-line order; ``types``/``types_not`` are
    ripgrep types (None when a type is unknown: then it selects everything). ``rg``
    says whose semantics apply: for grep the last matching ``--include``/``--exclude``
    wins and a file no rule matches is read unless the first rule is an include; for
    ripgrep the last matching ``-g`` wins, an include glob overrides the skipping of
    hidden files, and once any include glob is given a file none matches is skipped.
    """

    __slots__ = ("dirs_excluded", "hidden", "icase", "rg", "rules", "types", "types_not")

    def __init__(self, rg: bool, hidden: bool) -> None:
        self.rg = rg
        self.hidden = hidden
        self.rules: list[tuple[bool, str]] = []
        self.dirs_excluded: list[str] = []
        self.types: list[str] | None = []
        self.types_not: list[str] = []
        self.icase: set[str] = set()  # ``--iglob`` globs (lower-cased): match any case

    def includes(self) -> list[str]:
        """The globs (and known type globs) that select files: what the search reads."""
        out = [glob for include, glob in self.rules if include]
        for name in self.types or ():
            out.extend(RG_TYPES[name].split())
        return out

    def narrows(self) -> bool:
        """Whether the filters select only some files (an include glob or a known type)."""
        return bool(self.types) or any(include for include, _ in self.rules)

    def selects_inside(self, folder: str) -> bool:
        """Whether any file below ``folder`` is one the search reads.

        Looks at most ``SCAN_INSIDE`` entries; past that the answer is yes (the folder
        is judged whole, as without filters).
        """
        budget = SCAN_INSIDE
        stack = [folder]
        while stack:
            try:
                with os.scandir(stack.pop()) as entries:
                    for entry in entries:
                        budget -= 1
                        if budget < 0:
                            return True
                        is_dir = entry.is_dir(follow_symlinks=False)
                        if not self.reads(entry.name, is_dir):
                            continue
                        if is_dir:
                            stack.append(entry.path)
                        else:
                            return True
            except OSError:
                return True
        return False

    def add_type(self, name: str, negated: bool) -> None:
        """A ``-t``/``--type-not`` of ``name``; an unknown type makes ``-t`` select all."""
        known = RG_TYPES.get(name)
        if negated:
            if known:
                self.types_not.extend(known.split())
        elif known is None:
            self.types = None
        elif self.types is not None:
            self.types.append(name)

    def reads(self, name: str, is_dir: bool) -> bool:
        """Whether the search reads the entry ``name`` of a folder it searches."""
        import fnmatch

        def hit(glob: str) -> bool:
            subject = name.lower() if glob in self.icase else name
            glob = glob.rstrip("/").rsplit("/", 1)[-1]
            return any(fnmatch.fnmatchcase(subject, g) for g in braces(glob))

        if is_dir:
            # A folder is still entered unless excluded; its secrets are its own entries'.
            if any(hit(g) for g in self.dirs_excluded):
                return False
            if self.rg:
                last = next((inc for inc, g in reversed(self.rules) if hit(g)), None)
                return last is not False and (self.hidden or not name.startswith("."))
            return self.hidden or not name.startswith(".")
        last = next((inc for inc, g in reversed(self.rules) if hit(g)), None)
        if not self.rg:
            if last is not None:
                return last
            return not self.rules or not self.rules[0][0]
        if last is False or any(fnmatch.fnmatchcase(name, g) for g in self.types_not):
            return False
        if self.types and not any(
            fnmatch.fnmatchcase(name, g) for t in self.types for g in RG_TYPES[t].split()
        ):
            return False
        if last is True:
            return True  # an include glob overrides ripgrep's hidden and ignore rules
        if any(inc for inc, _ in self.rules):
            return False
        return self.hidden or not name.startswith(".")


def grep_filter(argv: Sequence[str]) -> Filter:
    """GNU grep's ``--include``/``--exclude``/``--exclude-dir`` (``=GLOB`` or a separate word)."""
    out = Filter(rg=False, hidden=True)
    names = {"--include": "include", "--exclude": "exclude", "--exclude-dir": "dir"}
    for i, word in enumerate(argv[1:], 1):
        if word == "--":
            break
        option, eq, value = word.partition("=")
        if option not in names:
            continue
        if not eq:
            if i + 1 >= len(argv):
                continue
            value = argv[i + 1]
        if names[option] == "dir":
            out.dirs_excluded.append(value)
        else:
            out.rules.append((names[option] == "include", value))
    return out


def rg_filter(argv: Sequence[str], hidden: bool) -> Filter:
    """ripgrep's (and ugrep's) ``-g``/``--glob``/``--iglob``, ``!`` negation, and types."""
    out = Filter(rg=True, hidden=hidden)
    takes = {"-g": "glob", "--glob": "glob", "--iglob": "glob", "-t": "type", "--type": "type"}
    takes.update({"-T": "not", "--type-not": "not", "--type-add": "add"})
    i = 1
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            break
        option, value = word, None
        if word.startswith("--") and "=" in word:
            option, value = word.split("=", 1)
        elif word[:2] in ("-g", "-t", "-T") and len(word) > 2:
            option, value = word[:2], word[2:]
        kind = takes.get(option)
        if kind is None:
            continue
        if value is None:
            if i >= len(argv):
                break
            value = argv[i]
            i += 1
        if kind == "glob":
            if option == "--iglob":
                value = value.lower()
                out.icase.add(value.lstrip("!"))
            if value.startswith("!"):
                out.rules.append((False, value[1:]))
            else:
                out.rules.append((True, value))
        elif kind == "add":
            # A type defined on the line is not the built-in one: ``-t`` selects all.
            out.types = None
        else:
            out.add_type(value, kind == "not")
    return out


def filtered_secrets(raw: str, cwd: str, ctx: Context, selection: Filter) -> list[Match]:
    """What a recursive search with ``selection`` reads of secrets: the read-restricted
    entries of folder ``raw`` it selects, and the secret classes its include globs name
    (a glob that selects ``.env`` reads the ``.env`` files of every folder below)."""
    out = folder_secrets(raw, cwd, ctx, selection.hidden, selection)
    seen = {match.rule for match in out}
    out.extend(m for m in named_secrets(selection, ctx) if m.rule not in seen)
    return out


def named_secrets(selection: Filter, ctx: Context) -> list[Match]:
    """The secret classes a search's include globs name, wherever the files are.

    A glob names a class when the file it typically selects (its ``*`` read as
    nothing, then as ``x``) is in the class: ``.env*`` names ``.env``, while ``*.md``
    only could (``*.private.md``) and is judged by the folder's entries instead.
    """
    out: list[Match] = []
    seen: set[str] = set()
    for glob in selection.includes():
        for match in glob_secrets(glob, ctx, typical=True):
            if match.rule not in seen:
                seen.add(match.rule)
                out.append(match)
    return out


def folder_secrets(
    raw: str, cwd: str, ctx: Context, hidden: bool = True, selection: Filter | None = None
) -> list[Match]:
    """Read-restricted files directly inside folder ``raw`` (what a recursive search reads).

    Only the folder's own entries are looked at (one ``listdir``): a search of the
    worktree root reads ``.env`` there even though the call never names it. ``hidden``
    is false for ripgrep, which skips dot-files unless told otherwise; ``selection``
    (when given) decides instead which entries the search reads.
    """
    out: list[Match] = []
    seen: set[str] = set()
    for path in normalise(raw, cwd, ctx.home_dir)[:1]:
        try:
            names = os.listdir(path)
        except OSError:
            return []
        for name in names[:5000]:
            entry = os.path.join(path, name)
            is_dir = os.path.isdir(entry)
            if selection is not None:
                if not selection.reads(name, is_dir):
                    continue
            elif not hidden and name.startswith("."):
                continue
            found = paths.judge_one(entry, paths.READ, ctx)
            narrowed = found and is_dir and selection is not None and selection.narrows()
            if narrowed and selection is not None and not selection.selects_inside(entry):
                continue  # a protected folder with nothing the filters select
            for match in found:
                if match.rule not in seen:
                    seen.add(match.rule)
                    out.append(match)
    return out


def braces(glob: str) -> list[str]:
    """``{a,b}`` alternatives of a ripgrep glob, one level (enough for file-name globs)."""
    start = glob.find("{")
    end = glob.find("}", start + 1)
    if start < 0 or end < 0:
        return [glob]
    return [glob[:start] + alt + glob[end + 1 :] for alt in glob[start + 1 : end].split(",")]


def glob_secrets(glob: str, ctx: Context, typical: bool = False) -> list[Match]:
    """Read-restricted path classes whose files a search's ``glob`` selects (``.env``, ``*.env``).

    A glob passed to ripgrep overrides its skipping of hidden and ignored files, so
    naming a secret in it reads the secret.
    """
    import fnmatch

    out: list[Match] = []
    globs = [g.rsplit("/", 1)[-1] for g in braces(glob.strip())]
    names = [g.replace("*", fill).replace("?", "x") for g in globs for fill in ("", "x")]
    for cls in ctx.policy["paths"]:
        decision = cls[paths.READ]
        if decision == ALLOW:
            continue
        for entry in cls["patterns"]:
            if not entry[1]:
                continue
            if typical:
                hit = next((n for n in names if deciding_pattern([entry], n)), None)
            else:
                hit = next(
                    (s for s in samples(entry) for g in globs if fnmatch.fnmatchcase(s, g)), None
                )
            if hit is not None:
                out.append(
                    Match(
                        cls["id"],
                        decision,
                        cls["justification"] or f"{cls['id']} paths need {decision}.",
                        what=f"search glob {glob!r} selects {entry[2]!r}",
                    )
                )
                break
    return out
