"""The policy's ``programs:`` section: what a team knows about programs agentguard does not.

A declaration names a program (``sponge``, ``linkinator``, an in-house ``acme-cli``) or a
script of the repository (``./tools/migrate``, relative to the worktree) and says what it
does: the classes it carries (``network``, ``deploy`` …), which of its operands it writes
or reads, which of its options name a file it writes or reads, and which options take a
value. Examples (a command line and what it must yield) are checked against the real
analyser when the policy loads, as command rules' ``match`` examples are.

Declarations only ever add to what agentguard knows: the built-in catalogue still judges
every program it knows, and a declaration's classes and targets are judged beside it.
``read-only`` may be declared only for a program agentguard does not know (a policy
cannot make ``rm`` read-only); a program agentguard unwraps (``sudo``, ``env``,
``timeout`` …) cannot be declared at all. Cold path: pydantic models and the compiled
form the hook reads.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from agentguard.policy.fields import BuiltinClass, Strict

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledProgram, CompiledPrograms

Operands = Literal["operands", "first", "last"]

_NAME = re.compile(r"^[A-Za-z0-9_+@][A-Za-z0-9_.+@:-]*$")
_PATH = re.compile(r"^(?:\./)?[A-Za-z0-9_.+@-][A-Za-z0-9_.+@/-]*$")
_OPTION = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9_.-]*$")


def check_program_key(key: str) -> str:
    """A program name (``sponge``) or a repository script (``./tools/migrate``)."""
    if "/" not in key:
        if not _NAME.match(key):
            raise ValueError(
                f"program {key!r}: a name is letters, digits and _ . + @ : -, as the"
                " program is called (sponge, acme-cli); a script is a path with a /"
            )
        return key
    path = key[2:] if key.startswith("./") else key
    parts = path.split("/")
    if not _PATH.match(key) or ".." in parts or "" in parts or "." in parts:
        raise ValueError(
            f"program {key!r}: a script is a path inside the worktree, relative to its top"
            " (./tools/migrate or tools/migrate), without '..', '//' or a leading '/'"
        )
    return key


def _check_option(value: str) -> str:
    if not _OPTION.match(value):
        raise ValueError(
            f"option {value!r}: write it as the program takes it, '--out' or '-o'"
            " (no '=' and no value)"
        )
    return value


Option = Annotated[str, AfterValidator(_check_option)]
ProgramKey = Annotated[str, AfterValidator(check_program_key)]


class Expect(Strict):
    """What one example line must yield; each field given is compared exactly."""

    classes: list[BuiltinClass] | None = Field(
        None,
        description=("The classes the whole line carries (built-in and declared), in any order."),
    )
    writes: list[str] | None = Field(
        None,
        description=(
            "The files it writes, relative to the folder it runs in ([] : writes nothing)."
        ),
    )
    reads: list[str] | None = Field(
        None, description="The files it reads, relative to the folder it runs in."
    )


class Program(Strict):
    """What one program does, beyond what agentguard knows of it."""

    description: str = Field("", description="What the program is (shown by explain).")
    classes: list[BuiltinClass] = Field(
        default_factory=list,
        description=(
            "Classes every run carries (network, deploy, opaque …), judged by the command"
            " rules that name them. read-only only for a program agentguard does not know."
        ),
    )
    writes: Operands | None = Field(
        None,
        description=(
            "Which operands it writes: every one (operands), the first or the last; judged"
            " like a Write of each."
        ),
    )
    reads: Operands | None = Field(
        None, description="Which operands it reads: operands, first or last; judged like a Read."
    )
    writes_options: list[Option] = Field(
        default_factory=list,
        description="Options whose value is a file it writes (--out FILE, --out=FILE, -o FILE).",
    )
    reads_options: list[Option] = Field(
        default_factory=list,
        description="Options whose value is a file it reads (--config FILE).",
    )
    values: list[Option] = Field(
        default_factory=list,
        description=(
            "Other options that take a value (--profile NAME), so the value is not read as an"
            " operand."
        ),
    )
    examples: dict[str, Expect] = Field(
        default_factory=dict,
        description=(
            "Command lines and what each must yield (classes, writes, reads), checked"
            " against the analyser when the policy loads."
        ),
    )

    @model_validator(mode="after")
    def _shape(self) -> Program:
        if not (
            self.classes or self.writes or self.reads or self.writes_options or self.reads_options
        ):
            raise ValueError(
                "a program declaration needs classes, writes, reads, writes_options or"
                " reads_options: values and examples alone change nothing"
            )
        if "read-only" in self.classes and (
            len(self.classes) > 1 or self.writes or self.writes_options
        ):
            raise ValueError(
                "read-only goes alone: a program that writes or carries another class is"
                " not read-only"
            )
        return self


Programs = dict[ProgramKey, Program]


def script_path(key: str) -> str | None:
    """The worktree-relative path a script key names, ``None`` for a program name."""
    if "/" not in key:
        return None
    return posixpath.normpath(key)


def compile_programs(programs: Programs, known: Callable[[str], bool]) -> CompiledPrograms:
    """The hook's form: ``{"names": {name: spec}, "paths": {relative path: spec}}``.

    ``known``: whether the built-in catalogue knows a program; a ``read-only`` declared
    for one it knows is dropped here (lint refuses it; the classifier ignores it too).
    """
    names: dict[str, CompiledProgram] = {}
    paths: dict[str, CompiledProgram] = {}
    for key, program in programs.items():
        path = script_path(key)
        base = posixpath.basename(path) if path is not None else key
        classes = [c for c in program.classes if not (c == "read-only" and known(base))]
        spec: CompiledProgram = {
            "key": key,
            "classes": classes,
            "writes": program.writes,
            "reads": program.reads,
            "writes_options": list(program.writes_options),
            "reads_options": list(program.reads_options),
            "values": sorted({*program.values, *program.writes_options, *program.reads_options}),
        }
        if path is None:
            names[key] = spec
        else:
            paths[path] = spec
    return {"names": names, "paths": paths}
