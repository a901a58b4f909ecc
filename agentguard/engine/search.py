"""What a search reads beyond the folder it names: the secrets in it, what its glob selects.

Grep (and ``grep -r``/``rg`` on a Bash line) reads the contents of everything under
the folder it is pointed at, so naming the folder is reading the secrets in it.
"""

from __future__ import annotations

import os

from agentguard.decision import ALLOW, Match
from agentguard.engine import paths
from agentguard.engine.pathnames import normalise
from agentguard.engine.patterns import samples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.engine.paths import Context


def folder_secrets(raw: str, cwd: str, ctx: Context, hidden: bool = True) -> list[Match]:
    """Read-restricted files directly inside folder ``raw`` (what a recursive search reads).

    Only the folder's own entries are looked at (one ``listdir``): a search of the
    worktree root reads ``.env`` there even though the call never names it. ``hidden``
    is false for ripgrep, which skips dot-files unless told otherwise.
    """
    out: list[Match] = []
    seen: set[str] = set()
    for path in normalise(raw, cwd, ctx.home_dir)[:1]:
        try:
            names = os.listdir(path)
        except OSError:
            return []
        for name in names[:5000]:
            if not hidden and name.startswith("."):
                continue
            for match in paths.judge_one(os.path.join(path, name), paths.READ, ctx):
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


def glob_secrets(glob: str, ctx: Context) -> list[Match]:
    """Read-restricted path classes whose files a search's ``glob`` selects (``.env``, ``*.env``).

    A glob passed to ripgrep overrides its skipping of hidden and ignored files, so
    naming a secret in it reads the secret.
    """
    import fnmatch

    out: list[Match] = []
    globs = [g.rsplit("/", 1)[-1] for g in braces(glob.strip())]
    for cls in ctx.policy["paths"]:
        decision = cls[paths.READ]
        if decision == ALLOW:
            continue
        for entry in cls["patterns"]:
            if not entry[1]:
                continue
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
