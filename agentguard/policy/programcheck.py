"""Checks of the policy's ``programs:`` section against the real analyser. Cold path.

:func:`problems` (errors; the loader and ``lint`` both refuse a policy that has one):
a declaration for a program agentguard unwraps or runs as another user (``sudo``,
``env``, ``timeout`` …: it judges the command they run, so the declaration would never
apply), ``read-only`` declared for a program the catalogue knows (a policy cannot make
``rm`` read-only), and examples the analyser does not bear out.

:func:`findings` (lint only): a declaration for a program the catalogue knows that adds
nothing, judged on its examples (or the bare program name): the built-in knowledge
already says it all, so the declaration only misleads its reader.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from typing import Any

from agentguard.errors import Problem
from agentguard.policy.loader import Loaded
from agentguard.policy.programs import Expect, Program, compile_programs, script_path
from agentguard.report import Finding
from agentguard.shell import analyse
from agentguard.shell.classify import privileged
from agentguard.shell.declared import for_worktree, known
from agentguard.shell.guardentry import program as guard_program

# Where examples run: a folder that does not exist, so no file of this machine's
# (a package.json, a Makefile) changes what an example means.
EXAMPLE_ROOT = os.path.join(os.sep, "nonexistent-agentguard-example")
_PROBE = "agentguard-probe"


def base_name(key: str) -> str:
    """The program name a key is called by (``migrate`` for ``./tools/migrate``)."""
    path = script_path(key)
    return posixpath.basename(path) if path is not None else key


def unwraps(name: str) -> bool:
    """Whether agentguard runs ``name``'s argument as a command of its own (``env X``,
    ``timeout 5 X``, ``bash -c X``): it judges that command, never ``name`` itself."""
    for shape in ("{} {}", "{} 1 {}", "{} -c {}"):
        analysis = analyse(shape.format(name, _PROBE), EXAMPLE_ROOT, {})
        if any(cmd.argv[:1] == [_PROBE] and cmd.via for cmd in analysis.commands):
            return True
    return False


def builtin_line(line: str) -> dict[str, Any]:
    """What the built-in knowledge alone yields for ``line`` (explain and the checks)."""
    return _yield(analyse(line, EXAMPLE_ROOT, {}))


def declared_line(line: str, compiled: Mapping[str, Any]) -> dict[str, Any]:
    """What ``line`` yields with the policy's declarations (``compile_programs`` form)."""
    programs = for_worktree(compiled, EXAMPLE_ROOT)
    return _yield(analyse(line, EXAMPLE_ROOT, {}, programs=programs))


def _yield(analysis: Any) -> dict[str, Any]:
    def rel(paths: Sequence[str]) -> list[str]:
        return sorted({os.path.relpath(p, EXAMPLE_ROOT) for p in paths})

    cmds = analysis.commands
    return {
        "classes": sorted(analysis.classes),
        "writes": rel([p for c in cmds for p in c.writes]),
        "reads": rel([p for c in cmds for p in c.reads]),
        "deletes": rel([p for c in cmds for p in c.deletes]),
        "unresolved": sorted({f"{k}: {t}" for c in cmds for k, t in c.unresolved}),
    }


def _differences(expect: Expect, got: dict[str, Any]) -> list[str]:
    out = []
    for field in ("classes", "writes", "reads"):
        wanted = getattr(expect, field)
        if wanted is None:
            continue
        if field != "classes":
            wanted = [posixpath.normpath(w) for w in wanted]
        if sorted(set(wanted)) != got[field]:
            out.append(f"{field} {got[field]} (expected {sorted(set(wanted))})")
    return out


def problems(loaded: Loaded) -> list[Problem]:
    """Declarations that cannot apply or would weaken the built-in knowledge, and
    examples that do not hold; each located at its key, class or example."""
    declared = loaded.policy.programs
    if not declared:
        return []
    out: list[Problem] = []
    compiled = compile_programs(declared, known)
    for key, spec in declared.items():
        name = base_name(key)
        refused = _refusal(name)
        if refused:
            out.append(loaded.locate(("programs", key), f"program {key!r}: {refused}"))
            continue
        if "read-only" in spec.classes and known(name):
            index = spec.classes.index("read-only")
            built = builtin_line(name)["classes"]
            out.append(
                loaded.locate(
                    ("programs", key, "classes", index),
                    f"program {key!r}: agentguard knows {name} (built-in classes:"
                    f" {', '.join(built) or 'none on its own'}); a policy adds to what it"
                    " knows and cannot make it read-only: remove read-only",
                )
            )
        out += _examples(loaded, key, spec, compiled)
    return out


def _refusal(name: str) -> str | None:
    if privileged(name):
        return (
            "runs commands as another user; agentguard always judges that as privilege"
            " and no declaration changes it: remove this declaration"
        )
    if guard_program(name, None) is not None:
        return "is agentguard itself, judged by its own rules: remove this declaration"
    if unwraps(name):
        return (
            "runs the command it is given, and agentguard judges that command, never"
            f" {name} itself, so this declaration would never apply: declare the program"
            " it runs instead"
        )
    return None


def _examples(
    loaded: Loaded, key: str, spec: Program, compiled: Mapping[str, Any]
) -> list[Problem]:
    out = []
    for line, expect in spec.examples.items():
        why = "; ".join(_differences(expect, declared_line(line, compiled)))
        if why:
            out.append(
                loaded.locate(
                    ("programs", key, "examples", line),
                    f"program {key!r}: example {line!r} yields {why}; fix the declaration"
                    " or the example (agentguard explain shows what a line yields)",
                )
            )
    return out


def findings(loaded: Loaded) -> list[Finding]:
    """Lint warnings: declarations for programs the catalogue knows that add nothing."""
    declared = loaded.policy.programs
    if not declared:
        return []
    out = []
    compiled = compile_programs(declared, known)
    for key, spec in declared.items():
        name = base_name(key)
        if not known(name) or _refusal(name) or "read-only" in spec.classes:
            continue  # unknown (it adds), or already refused by problems()
        lines = list(spec.examples) or [name]
        if all(builtin_line(line) == declared_line(line, compiled) for line in lines):
            out.append(
                Finding(
                    "program-adds-nothing",
                    loaded.locate(
                        ("programs", key),
                        f"program {key!r}: agentguard already knows {name}, and this"
                        f" declaration adds nothing to it on {', '.join(map(repr, lines))};"
                        " remove it, or give an example that shows what it adds",
                        "warning",
                    ),
                )
            )
    return out


def declarations(programs: dict[str, Any] | None, name: str) -> list[dict[str, Any]]:
    """The compiled declarations that apply to program ``name`` (a name, or a script path
    relative to the worktree's top): its name's, and every script of that name."""
    programs = programs or {}
    path = script_path(name)
    found = []
    if path is None and name in (programs.get("names") or {}):
        found.append(programs["names"][name])
    for rel, spec in (programs.get("paths") or {}).items():
        if rel == path or (path is None and posixpath.basename(rel) == name):
            found.append(spec)
    return found


def which_wins(spec: dict[str, Any]) -> str:
    """How a declaration combines with the built-in knowledge of its program."""
    if known(base_name(spec["key"])):
        return "both: the declaration adds to what agentguard knows of it and takes nothing away"
    return "the declaration: agentguard knows nothing else of it"


def describe(programs: dict[str, Any] | None, name: str) -> list[str]:
    """What the policy declares about program ``name`` (compiled form), as lines for
    ``agentguard explain --program``, saying how it combines with the built-in knowledge;
    ``[]`` when it declares nothing about it."""
    lines = []
    for spec in declarations(programs, name):
        lines.append(f"declared by the policy (programs: {spec['key']}):")
        lines.append(f"  classes: {', '.join(spec['classes']) or '-'}")
        for kind in ("writes", "reads"):
            if spec[kind]:
                lines.append(f"  {kind}: {_OPERANDS[spec[kind]]}")
            if spec[f"{kind}_options"]:
                lines.append(f"  {kind} the value of: {' '.join(spec[f'{kind}_options'])}")
        if spec["values"]:
            lines.append(f"  options with a value: {' '.join(spec['values'])}")
        lines.append(f"  which wins: {which_wins(spec)}")
    return lines


_OPERANDS = {"operands": "every operand", "first": "the first operand", "last": "the last operand"}
