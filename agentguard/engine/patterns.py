"""Compiled gitignore-style patterns: how one is written for the hook, and which one decides. Hot.

The compiler turns each pattern into ``[regex, include, source, fast]`` (see
:func:`fast_form` for ``fast``); everything that asks "does this list cover this path"
(the hook's path judgement, ``verify``, ``lint``, the integration plan, the compiler's
example checks) asks :func:`deciding_pattern`, so gitignore's "the last match wins" is
written once. ``re`` is imported only for a pattern no string test decides.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from agentguard.policy.compiled_types import CompiledPattern, FastForm

# Characters that make a pattern a real glob (or escape one).
_GLOB_CHARS = "*?[]\\"


def _globby(text: str) -> bool:
    return any(c in text for c in _GLOB_CHARS)


def fast_form(pattern: str) -> FastForm | None:
    """A string test equivalent to a simple gitignore pattern, or None for a real glob.

    Compiling a regex costs the hook tens of microseconds per pattern on every call;
    most policy patterns are a file name (``.env``), a folder (``dist/``), an extension
    (``*.pem``), a name prefix (``.env.*``), a path (``src/content/config.ts``), a
    folder's contents (``src/content/**``), or a path or a folder's contents at any
    depth (``**/.aws/credentials``, ``**/.ssh/**``: the credential stores), and a string
    comparison decides those.
    tests/test_compiler.py checks each form against pathspec on a corpus of paths.
    """
    body = pattern[1:] if pattern.startswith("!") else pattern
    if not body or body.startswith("\\") or body != body.strip():
        return None
    dir_only = body.endswith("/")
    core = body.rstrip("/") if dir_only else body
    anchored = core.startswith("/") or "/" in core
    core = core.lstrip("/")
    if not core or "//" in core:
        return None
    if not anchored:
        if not _globby(core):
            return ("dir" if dir_only else "name", core)
        if dir_only:
            return None
        if core.startswith("*") and not _globby(core[1:]):
            return ("suffix", core[1:])
        if core.endswith("*") and not _globby(core[:-1]) and core[:-1]:
            return ("stem", core[:-1])
        return None
    if core.startswith("**/") and not dir_only:
        rest = core[3:]
        if rest.endswith("/**") and rest[:-3] and not _globby(rest[:-3]):
            return ("under", rest[:-3])
        if rest and not _globby(rest):
            return ("within", rest)
        return None
    if core.endswith("/**") and not _globby(core[:-3]) and core[:-3]:
        return ("prefix", core[:-3] + "/")
    if not _globby(core):
        return ("prefix" if dir_only else "path", core + "/" if dir_only else core)
    return None


def pattern_hit(entry: CompiledPattern, rel: str, fold: bool = False) -> bool:
    """Whether one compiled gitignore pattern ``[regex, include, source, fast]`` matches ``rel``
    (regardless of case when ``fold``: the file system does not tell the spellings apart)."""
    fast = entry[3] if len(entry) > 3 else None
    if fast is not None:
        kind, text = fast
        if fold:
            rel, text = rel.casefold(), text.casefold()
        if kind == "path":
            return rel == text or rel.startswith(text + "/")
        if kind == "prefix":
            return rel.startswith(text)
        # The regexes' ``.+/`` never spans a newline and needs a character before the
        # slash: those rare paths (never a worktree-relative one) go to the regex.
        if kind == "within" and "\n" not in rel and not rel.startswith("/"):
            return f"/{text}/" in f"/{rel}/"
        if kind == "under" and "\n" not in rel and not rel.startswith("/"):
            return f"/{text}/" in f"/{rel}"
        parts = rel.split("/")
        if kind == "name":
            return text in parts
        if kind == "dir":
            return text in parts[:-1]
        if kind == "suffix":
            return any(part.endswith(text) for part in parts)
        if kind == "stem":
            return any(part.startswith(text) for part in parts)
    import re

    return re.match(entry[0], rel, re.IGNORECASE if fold else 0) is not None


def deciding_pattern(
    compiled: Iterable[CompiledPattern], rel: str, fold: bool = False
) -> str | None:
    """The pattern that decides ``rel`` in a gitignore-style list (last match wins), or None.

    None also when the deciding match is a negation (``!keep.md``): the path is not covered.
    """
    hit = None
    for entry in compiled:
        if pattern_hit(entry, rel, fold):
            hit = entry[2] if entry[1] else None
    return hit


def deciding_tree(compiled: Sequence[CompiledPattern], rel: str, fold: bool = False) -> str | None:
    """Like :func:`deciding_pattern`, and a folder is covered when ``folder/**`` is: the root
    of an owned tree (``mkdir src/components/search`` for ``src/components/search/**``)
    belongs to the tree's owner, and a forbidden tree's root is forbidden too."""
    hit = deciding_pattern(compiled, rel, fold)
    if hit is None and rel:
        hit = deciding_pattern(compiled, rel + "/.", fold)
    return hit


def literal_prefix(entry: CompiledPattern) -> str | None:
    """The fixed leading folder of an anchored pattern (``src/c/`` of ``src/c/*.md``)."""
    fast = entry[3] if len(entry) > 3 else None
    if fast is not None:
        return str(fast[1]) if fast[0] in ("path", "prefix") else None
    source = str(entry[2]).lstrip("!")
    core = source.lstrip("/")
    if "/" not in source.rstrip("/") and not source.startswith("/"):
        return None  # unanchored: may match at any depth
    cut = min((core.find(c) for c in "*?[\\" if c in core), default=len(core))
    head = core[:cut]
    return head[: head.rfind("/") + 1] if "/" in head else None


def inside_patterns(compiled: Iterable[CompiledPattern], rel: str) -> str | None:
    """A pattern of ``compiled`` that designates something inside folder ``rel``."""
    folder = rel + "/" if rel else ""
    for entry in compiled:
        if not entry[1]:
            continue
        prefix = literal_prefix(entry)
        if prefix is not None and prefix.startswith(folder) and prefix != folder.rstrip("/"):
            return str(entry[2])
    return None


def samples(entry: CompiledPattern) -> list[str]:
    """File names a pattern stands for, to test a search glob against (``x.pem`` for ``*.pem``)."""
    fast = entry[3] if len(entry) > 3 else None
    if fast is None:
        return []
    kind, text = fast
    if kind in ("name", "path"):
        return [text.rsplit("/", 1)[-1]]
    if kind == "suffix":
        return ["x" + text]
    if kind == "stem":
        return [text + "x"]
    return []
