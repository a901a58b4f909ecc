"""The compiled policy: fast pattern forms agree with pathspec, and the cache key tracks content."""

from __future__ import annotations

import itertools

import pytest
from pathspec import GitIgnoreSpec

from agentguard.engine.patterns import fast_form, pattern_hit
from agentguard.policy.compiler import gitignore_regexes

PATTERNS = [
    ".env",
    ".env.*",
    "*.pem",
    "dist/",
    "/dist/",
    "notes/",
    "data/production/",
    "src/content/config.ts",
    "/top.txt",
    "src/content/**",
    "src/layouts/**",
    "*.private.md",
    "package-lock.json",
    "id_rsa",
    "**/.ssh/**",
    "**/.aws/credentials",
    "**/src/content",
    "**/content/**",
    "**/content/config.ts",
    "**/.ssh/",
    "**/*.pem",
    "src/*.ts",
    "*",
    "a*",
    "**",
    "foo/**/bar",
    "!src/content/x.md",
    "build",
    "tests/**",
    "docs/test-plan.md",
    ".astro/",
    "node_modules/",
]
NAMES = [
    "",
    "src",
    "content",
    "config.ts",
    ".env",
    ".env.local",
    "x.pem",
    "dist",
    "notes",
    "data",
    "production",
    "top.txt",
    "layouts",
    "a.private.md",
    "package-lock.json",
    ".ssh",
    "id_rsa",
    "foo",
    "bar",
    "abc",
    "build",
    "tests",
    "docs",
    "test-plan.md",
    ".astro",
    "node_modules",
    "x.md",
    ".aws",
    "credentials",
]


def _paths() -> list[str]:
    out = set()
    for depth in (1, 2, 3):
        for combo in itertools.product(NAMES, repeat=depth):
            if all(combo):
                out.add("/".join(combo))
    return sorted(out)


PATHS = _paths()


@pytest.mark.parametrize("pattern", PATTERNS)
def test_fast_form_agrees_with_pathspec(pattern: str) -> None:
    """Every pattern, fast or regex, decides exactly as pathspec's GitIgnoreSpec on ~20k paths."""
    body = pattern.lstrip("!")
    spec = GitIgnoreSpec.from_lines([body])
    entry = gitignore_regexes([body])[0]
    wrong = [p for p in PATHS if pattern_hit(entry, p) != spec.match_file(p)]
    assert wrong[:10] == []


@pytest.mark.parametrize(
    ("pattern", "form"),
    [
        (".env", ("name", ".env")),
        ("dist/", ("dir", "dist")),
        ("*.pem", ("suffix", ".pem")),
        (".env.*", ("stem", ".env.")),
        ("src/content/config.ts", ("path", "src/content/config.ts")),
        ("src/content/**", ("prefix", "src/content/")),
        ("data/production/", ("prefix", "data/production/")),
        ("src/*.ts", None),
        ("**/.ssh/**", ("under", ".ssh")),
        ("**/.aws/credentials", ("within", ".aws/credentials")),
        ("**/.ssh/", None),
        ("**/*.pem", None),
        ("with\\ escape", None),
    ],
)
def test_fast_form_table(pattern: str, form: tuple[str, str] | None) -> None:
    """Simple patterns get a string test; real globs keep their regex."""
    assert fast_form(pattern) == form
