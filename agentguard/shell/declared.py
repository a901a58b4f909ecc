"""Program knowledge the policy declares (its ``programs:`` section), for the classifier.

The compiled section is ``{"names": {name: spec}, "paths": {path: spec}}``; a name
matches the program however it is called (``sponge``, ``/usr/bin/sponge``), a path
matches the script it names (``./tools/migrate``, ``tools/migrate`` from the top,
``../tools/migrate`` from a subfolder). :func:`for_worktree` makes the paths absolute
once per call; the classifier calls :func:`apply` where it dispatches,
after the built-in handler, so a declaration only ever adds classes and targets.

Hot path: standard library only, plain dicts and lists.
"""

from __future__ import annotations

import os

from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.effects import operands
from agentguard.shell.listed import lists_of

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from agentguard.shell.effects import Effects
    from agentguard.shell.model import Word


def known(name: str) -> bool:
    """Whether the catalogue knows program ``name``: a declaration for it may add classes
    and targets, never ``read-only`` (a policy cannot make ``rm`` read-only)."""
    return name in PROGRAMS or name[:6] == "python"


def for_worktree(programs: Mapping[str, Any] | None, worktree: str) -> dict[str, Any] | None:
    """The compiled section with its script paths made absolute under ``worktree`` (and the
    policy's name lists, :mod:`agentguard.shell.listed`, kept); ``None`` when the policy
    declares nothing (the classifier then looks nothing up)."""
    if not programs:
        return None
    lists = lists_of(programs)
    if not (programs.get("names") or programs.get("paths") or lists):
        return None
    paths = programs.get("paths") or {}
    return {
        "names": programs.get("names") or {},
        "paths": {
            os.path.normpath(os.path.join(worktree, rel)): spec for rel, spec in paths.items()
        },
        **lists,
    }


def find(programs: Mapping[str, Any], word: str, name: str, cwd: str) -> dict[str, Any] | None:
    """The declaration for a command whose first word is ``word`` (basename ``name``),
    run in ``cwd``: its script path's first, then its name's; ``None`` for neither."""
    if "/" in word:
        spec = programs["paths"].get(os.path.normpath(os.path.join(cwd, word)))
        if spec is not None:
            return spec  # type: ignore[no-any-return]
    return programs["names"].get(name)  # type: ignore[no-any-return]


def _chosen(words: Sequence[Word], which: str | None) -> Sequence[Word]:
    if which == "operands":
        return words
    if which == "first":
        return words[:1]
    if which == "last":
        return words[-1:]
    return ()


def apply(fx: Effects, programs: Mapping[str, Any], builtin: bool) -> None:
    """Add the declaration for ``fx``'s program, if the policy has one, to what it does.

    ``builtin`` says the catalogue knows the program, in which case a declared
    ``read-only`` is ignored: the declaration adds, it never takes away. A name's
    ``read-only`` is ignored too when the program is called by a path.
    """
    word = fx.words[0].text
    spec = find(programs, word, fx.cmd.program, fx.cwd or fx.base)
    if spec is None:
        return
    ops, opts = operands(fx.args, frozenset(spec["values"]))
    # A name's read-only holds for the program found on PATH, not for a file of that name
    # the agent may have made (./acme-status): only a path declaration names that file.
    lifts = builtin or ("/" in word and "/" not in spec["key"])
    if not lifts:
        # Declared: its operands do what the declaration says, not an unknown program's
        # possible writes (engine/unknown.py). A name called by a path stays unknown.
        fx.cmd.unknown_operands.clear()
    classes = [c for c in spec["classes"] if not (lifts and c == "read-only")]
    if classes:
        fx.cls(*classes)
    writes = list(_chosen(ops, spec["writes"]))
    writes += [value for option, value in opts if option in spec["writes_options"]]
    reads = list(_chosen(ops, spec["reads"]))
    reads += [value for option, value in opts if option in spec["reads_options"]]
    for target in writes:
        fx.add("write", target)
    if writes:
        fx.cls("file-write")
    for target in reads:
        fx.add("read", target)
    if classes or writes or reads:
        fx.cmd.notes.append(f"the policy declares what {spec['key']} does (programs: section)")
