"""What one effective command does: its classes and the paths it reads, writes, deletes.

Classes: ``read-only``, ``file-write``, ``file-delete``, ``network``,
``package-install``, ``deploy``, ``git-destructive``, ``branch-switch``, ``merge``,
``secret-read``, ``env-dump``, ``opaque``, ``guard-tamper``, ``privilege``.

The dispatch: the program's catalogue entry (``shell/catalogue.py``) names the family
module (``shell/programs/<family>.py``) and the handler in it, imported only when a
line names one of its programs; a program without a handler gets the entry's classes.
What applies to every program stays here: redirections, assignments, the readers
(``cat``, ``grep`` …), output options of programs the catalogue does not know, operands
that name existing files, and reads of the environment.

Hot path: standard library only.
"""

from __future__ import annotations

import os
import sys

from agentguard.redact import secret_var
from agentguard.regexes import compiled
from agentguard.shell import guardentry, listed
from agentguard.shell.catalogue import ENVIRONMENT, PROGRAMS, WRAPPERS
from agentguard.shell.effects import NULL_TARGETS, Effects, fact_set, operands, option_values
from agentguard.shell.model import Word
from agentguard.shell.variables import flag_code_vars, hook_switch, loaded_vars

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from types import ModuleType
    from typing import Any

    from agentguard.shell.model import SimpleCommand

_NO_FACTS: dict[str, object] = {}
_PATTERN_OPTS = frozenset(("-e", "-f", "--regexp", "--file"))
_FAMILY_PACKAGE = "agentguard.shell.programs."


def _family(name: str) -> ModuleType:
    """The family module ``shell/programs/<name>.py``, imported on first use."""
    module = sys.modules.get(_FAMILY_PACKAGE + name)
    if module is None:
        __import__(_FAMILY_PACKAGE + name)
        module = sys.modules[_FAMILY_PACKAGE + name]
    return module


def handler_of(facts: Mapping[str, object]) -> Callable[[Effects], None] | None:
    """The handler a catalogue entry names (``family`` module, ``handler`` function)."""
    family = facts.get("family")
    if not isinstance(family, str):
        return None
    handler: Callable[[Effects], None] = getattr(_family(family), str(facts["handler"]))
    return handler


def _dispatch(fx: Effects, facts: Mapping[str, object]) -> None:
    handler = handler_of(facts)
    if handler is not None:
        handler(fx)
    elif "classes" in facts:
        classes = facts["classes"]
        fx.cls(*(classes if isinstance(classes, tuple) else ()))
        if facts.get("output_options"):
            # tree -o FILE writes its listing (grep -o, by contrast, takes no value:
            # read-only programs are not scanned for output options in general).
            _output_options(fx)
    else:
        _output_options(fx)
        if facts is _NO_FACTS and fx.cmd.program not in WRAPPERS:
            _unknown_operands(fx)
    reader = facts.get("reader")
    if isinstance(reader, dict):
        _reads(fx, reader)
    if facts.get("agent_cli"):
        _family("environment").agent_cli(fx)
    if not facts.get("names_only"):
        _operand_reads(fx, _jq_args(fx)[0] if fx.cmd.program == "jq" else None)


def privileged(name: str) -> bool:
    """Whether ``name`` runs a command as another user (``sudo``, ``doas``, ``su`` …).

    A command run through one, at any depth of wrappers, is ``privilege``: no rule may
    wave it through, because it skips the prompt Claude Code itself shows for it.
    """
    return bool(PROGRAMS.get(name, _NO_FACTS).get("privilege"))


def privilege_programs() -> frozenset[str]:
    """Every program the catalogue marks as running commands as another user."""
    return frozenset(name for name, facts in PROGRAMS.items() if facts.get("privilege"))


def classify(
    cmd: SimpleCommand,
    words: list[Word],
    base: str,
    env: Mapping[str, str],
    prior: Sequence[SimpleCommand] = (),
    programs: Mapping[str, Any] | None = None,
) -> None:
    """Fill ``cmd``'s classes and targets from its words and redirections (``prior``:
    the commands before it in the same line, whose written files it may run;
    ``programs``: the policy's declarations, added to what the catalogue knows)."""
    name = cmd.program if words else ""
    facts = PROGRAMS.get(name)
    if facts is None and name[:6] == "python":
        facts = PROGRAMS["python"]  # python3, python3.12 …
    fx = Effects(cmd, words, base, env, prior, facts or _NO_FACTS, programs)
    for redirect in cmd.redirects:
        op = redirect.op
        if op in ("<<", "<<<"):
            continue
        target = redirect.target
        if op in (">&", "<&") and (target.text.isdigit() or target.text == "-"):
            continue
        if target.text in NULL_TARGETS:
            continue
        if op in ("<", "<&"):
            fx.add("read", target)
        else:
            fx.cls("file-write")
            fx.add("write", target)
            if op == "<>":
                fx.add("read", target)
    program = words[0].text if words else ""
    flag_code_vars(cmd, [(name, cmd.assigns[name]) for name in loaded_vars(program, cmd.assigns)])
    if (
        program in _ASSIGNING
        and len(words) > 1
        and (program not in ("printf", "wait") or any(w.text[:2] in ("-v", "-p") for w in words))
    ):
        # ``read PATH <<< /tmp/evil; ls``: a builtin assigning a variable that is already
        # exported (PATH, HOME …) changes which code the later commands run.
        from agentguard.shell.tsstate import setter_names

        names = setter_names(program, [w.text for w in words[1:]])
        if names is None:
            cmd.classes.add("opaque")
            cmd.notes.append(f"{program} assigns a variable named at run time")
        else:
            flag_code_vars(cmd, [(name, None) for name in sorted(names)])
    for name, value in cmd.assigns.items():
        if "$(<" in value:
            _read_substitutions(fx, value)
        if name.upper().startswith("AGENTGUARD"):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"sets {name}")
        if program.rsplit("/", 1)[-1] == "git" and hook_switch(name, value):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{name}={value} switches the repository's git hooks off")
        if name in ("GIT_DIR", "GIT_WORK_TREE"):
            cmd.repo = os.path.normpath(os.path.join(cmd.cwd or base, value))
    if words:
        entry = guardentry.program(words[0].text, None if cmd.dyn[:1] == [True] else fx.cwd)
        if entry == guardentry.HOOK:
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{words[0].text} is agentguard's hook entry; {guardentry.NOTE}")
        elif cmd.dyn and cmd.dyn[0]:
            cmd.classes.add("opaque")
            cmd.notes.append("program name from an expansion")
            if entry == guardentry.CLI:
                _family("guard").command_line(fx, fx.args)
        elif entry == guardentry.CLI:
            _family("guard").command_line(fx, fx.args)
        else:
            _dispatch(fx, fx.facts)
            if programs and (programs.get("names") or programs.get("paths")):
                # Loaded only for a policy that declares programs.
                from agentguard.shell import declared

                declared.apply(fx, programs, facts is not None)
        for w in words:
            if w.dynamic and "$(<" in w.text:
                _read_substitutions(fx, w.text)
    elif not cmd.redirects and cmd.assigns and not cmd.classes & {"guard-tamper", "opaque"}:
        # A bare ``X=1`` sets a shell variable; nothing runs.
        cmd.classes.add("read-only")
    fx.finish()
    for path in cmd.reads:
        if path.startswith("/proc/") and path.endswith("/environ"):
            cmd.classes.update(("env-dump", "secret-read"))
    _environment_reads(cmd, words, programs)
    mark_privilege(cmd)
    # A command that writes, deletes or does anything riskier is not read-only.
    if cmd.classes - {"read-only", "secret-read", "env-dump"}:
        cmd.classes.discard("read-only")


def privilege_wrapper(cmd: SimpleCommand) -> str | None:
    """The privilege wrapper ``cmd`` runs through (``sudo``, ``doas``, ``su -c`` …): the
    program itself or any wrapper of its chain (``env``, ``bash -c``, ``xargs`` …)."""
    if privileged(cmd.program):
        return cmd.program
    for layer in cmd.via:
        name = layer.split(" ", 1)[0]
        if privileged(name):
            return name
    return None


def mark_privilege(cmd: SimpleCommand) -> None:
    """Add ``privilege`` (and a note naming the wrapper) when ``cmd`` runs through one."""
    wrapper = privilege_wrapper(cmd)
    if wrapper is not None and "privilege" not in cmd.classes:
        cmd.classes.add("privilege")
        cmd.notes.append(f"runs as another user through {wrapper}")


# ``$NAME`` and ``${NAME…}`` in every form that yields the value or a part of it
# (``${X:0:4}``, ``${X:-d}``, ``${X/a/b}``, ``${X^^}`` …), and ``${X:+y}``, which says
# whether it is set (and y is often the value itself). Not ``${#NAME}``: a length.
_EXPANSION = r"\$\{?([A-Za-z_][A-Za-z0-9_]*)"
# ``${!NAME}`` (and ``${!NAME:0:4}`` …): the value of the variable NAME names, which only
# the run decides. Not ``${!NAME*}``/``${!NAME@}`` (names) nor ``${!NAME[@]}`` (keys).
_INDIRECT = r"\$\{!([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_]*(?:[*@]\}|\[))"
# A process's environment file under a name the guard cannot resolve (/proc/$PPID/…).
_PROC_ENVIRON = r"/proc/[^/\s]+/(?:task/[^/\s]+/)?environ(?![\w.-])"
# jq's ``env`` builtin and ``$ENV`` are the whole environment (``.env`` is a field).
_JQ_ENV = r"\$ENV\b|(?<![\w$.])env\b"


def secret_name(name: str, programs: Mapping[str, Any] | None = None) -> bool:
    """Whether variable ``name`` holds a credential: by its name (redact.secret_var) or
    because the policy lists it (``secrets.variables``)."""
    return secret_var(name) or (programs is not None and listed.secret_variable(programs, name))


# Builtins that assign the variables their arguments name (``declare`` and ``export`` are
# the environment handler's).
_ASSIGNING = frozenset(("read", "printf", "mapfile", "readarray", "getopts", "wait", "let"))


def _environment_reads(
    cmd: SimpleCommand, words: Sequence[Word], programs: Mapping[str, Any] | None = None
) -> None:
    """Reads of the environment that do not say ``env``: an expanded secret variable
    (``echo $CLAUDE_CODE_MESSAGING_TOKEN``, a variable the policy lists, an indirect
    ``${!name}``), ``declare -p SECRET``, a /proc environ file under a dynamic name, jq's
    ``env``, awk's ``ENVIRON`` and ``ps e``."""
    found: list[str] = []
    expanded = [w.text for w in words if w.dynamic]
    expanded += [r.target.text for r in cmd.redirects if r.target.dynamic]
    expanded += list(cmd.assigns.values())
    texts = [text for text in expanded if "$" in text]
    names = {n for text in texts for n in compiled(_EXPANSION).findall(text)}
    secrets = sorted(n for n in names if secret_name(n, programs))
    if secrets:
        shown = ", ".join(f"${n}" for n in secrets)
        found.append(f"expands {shown}, which holds a credential")
    indirect = sorted(
        {n for text in texts if "${!" in text for n in compiled(_INDIRECT).findall(text)}
    )
    if indirect:
        shown = ", ".join(f"${{!{n}}}" for n in indirect)
        found.append(f"expands {shown}: the variable it reads is named at run time")
    program = cmd.program if words else ""
    args = [w.text for w in words[1:]]
    if program in fact_set(ENVIRONMENT, "declarers") and any(
        a.startswith("-") and not a.startswith("--") and "p" in a for a in args
    ):
        printed = [a for a in args if not a.startswith(("-", "+")) and secret_name(a, programs)]
        if printed:
            found.append(f"{program} -p prints {', '.join(printed)}, which holds a credential")
    texts = [w.text for w in words] + [r.target.text for r in cmd.redirects]
    if any(compiled(_PROC_ENVIRON).search(t) for t in texts if "environ" in t):
        found.append("reads a process's environment file")
    if program == "jq" and any(compiled(_JQ_ENV).search(a) for a in args if "env" in a.lower()):
        found.append("jq's env and $ENV hold the environment")
    if program in ("awk", "gawk", "mawk", "nawk") and any("ENVIRON" in a for a in args):
        found.append("awk's ENVIRON holds the environment")
    if program == "ps":
        # BSD-style ``ps e``/``ps auxe`` appends each process's environment; ``-e`` (all
        # processes) and an option's value (``-u eve``) are something else.
        previous = ""
        for a in args:
            if a.isalpha() and "e" in a and not previous.startswith("-"):
                found.append("ps e prints each process's environment")
                break
            previous = a
    if found:
        cmd.classes.update(("env-dump", "secret-read"))
        cmd.notes.extend(found)


def _jq_args(fx: Effects) -> tuple[Word | None, list[Word] | None]:
    """jq's filter word and the files it reads (:func:`programs.text.jq_args`); both None
    when its options leave them unclear."""
    found: tuple[Word | None, list[Word]] | None = _family("text").jq_args(fx.args)
    return found if found is not None else (None, None)


_SEARCH_EXCLUDES = frozenset(("--exclude", "--exclude-dir"))


def _operand_reads(fx: Effects, program_text: Word | None = None) -> None:
    """Every operand naming an existing file is read, unless it is already a target.

    A program the guard has no table for (``sdiff .env x``, ``pr .env``) may print what
    it reads; naming a protected file must not pass silently for want of a table.
    ``program_text`` is the one word the program reads as code, not as a file name (jq's
    filter: ``jq .env package.json`` reads package.json, and ``.env`` is a field).
    """
    root = fx.cwd
    if root is None:
        return
    named = {w.text for _, w, _ in fx.pending}
    for w in fx.args:
        if w is program_text:
            continue
        text = w.text
        if w.dynamic or w.glob or not text or text in named:
            continue
        if text[0] == "-":
            # ``--env-file=.env``, ``--input=.env``: an attached value naming a file;
            # a search's ``--exclude=.env`` names what it does not read.
            option, _, text = text.partition("=")
            if option in _SEARCH_EXCLUDES and fx.facts.get("search"):
                continue
            if not text or text in named:
                continue
        if text in NULL_TARGETS or text.startswith("/proc/self/fd"):
            continue
        if os.path.isfile(os.path.join(root, text)):
            named.add(text)
            fx.add("read", Word(text))


def _unknown_operands(fx: Effects) -> None:
    """The files an unknown program is given, which it may write: every literal operand
    and every ``--option=VALUE`` value that looks like a path (has a ``/`` or a ``.``, or
    names something that exists). Judged in engine/unknown.py, not here: only protected
    and foreign files make them matter, and the hook's path context knows which those are.
    """
    root = fx.cwd or fx.base
    home = fx.env.get("HOME")
    # ``-o FILE`` is already a write (:func:`_output_options`), judged as one.
    written = {w.text for kind, w, _ in fx.pending if kind != "read"}
    for w in fx.args:
        text = w.text
        if w.dynamic or w.glob or not text or text == "--" or text in written:
            continue
        if text[0] == "-":
            text = text.partition("=")[2]
            if not text:
                continue
        if text in NULL_TARGETS or "://" in text:
            continue
        if text[0] == "~":
            if not home or not (text == "~" or text[:2] == "~/"):
                continue
            text = home + text[1:]
        path = os.path.normpath(os.path.join(root, text))
        if ("/" in text or "." in text or os.path.exists(path)) and (
            path not in fx.cmd.unknown_operands
        ):
            fx.cmd.unknown_operands.append(path)


def _read_substitutions(fx: Effects, text: str) -> None:
    """``$(<FILE)`` reads FILE into the line, like ``$(cat FILE)``."""
    start = text.find("$(<")
    while start >= 0:
        end = text.find(")", start)
        name = text[start + 3 : end if end >= 0 else len(text)].strip().strip("'\"")
        if name:
            fx.add("read", Word(name, "$" in name or "`" in name))
        start = text.find("$(<", start + 3)


def _reads(fx: Effects, reader: Mapping[str, object]) -> None:
    """A program that reads its operands (``cat``, ``grep PATTERN FILE`` …): its
    catalogue ``reader`` gives the options that take a value and whether the first
    operand is a pattern rather than a file."""
    name = fx.cmd.program
    first_is_pattern = reader.get("first_is_pattern", False)
    ops, opts = operands(fx.args, fact_set(reader, "values") | _PATTERN_OPTS)
    if first_is_pattern and not option_values(opts, *_PATTERN_OPTS) and ops:
        ops = ops[1:]
    if name == "jq":
        for opt, value in opts:
            if opt in ("--slurpfile", "--rawfile"):
                fx.cmd.notes.append(f"{opt} reads a file")
            del value
        files = _jq_args(fx)[1]
        if files is not None:
            for w in files:
                fx.add("read", w)
            return
        ops = [w for w in ops if not w.text.startswith("{") and w.text != "."]
    if name == "uniq" and len(ops) > 1:
        fx.cls("file-write")
        fx.add("write", ops[1])
        ops = ops[:1]
    if name == "xxd" and len(ops) > 1:
        fx.cls("file-write")
        fx.add("write", ops[1])
        ops = ops[:1]
    for value in option_values(opts, "-f", "--file"):
        fx.add("read", value)
    for w in ops:
        fx.add("read", w)
    if name == "sort":
        for value in option_values(opts, "-o", "--output"):
            fx.cls("file-write")
            fx.add("write", value)
    if name in ("source", "."):
        fx.cls("opaque")
        fx.cmd.notes.append("runs a script in the current shell")
        if ops and guardentry.script(ops[0].text, None if ops[0].dynamic else fx.cwd):
            fx.cls("guard-tamper")
            fx.cmd.notes.append(f"{ops[0].text} is agentguard's hook entry; {guardentry.NOTE}")


# ``-o json``, ``--output yaml``: an output format, not a file.
_FORMAT_WORDS = frozenset(
    [
        "json",
        "yaml",
        "yml",
        "wide",
        "name",
        "text",
        "table",
        "tsv",
        "csv",
        "raw",
        "none",
        "pretty",
        "short",
        "verbose",
        "cat",
        "export",
        "json-pretty",
        "jsonl",
        "ndjson",
        "xml",
        "html",
        "markdown",
        "md",
        "plain",
    ]
)


def _output_options(fx: Effects) -> None:
    """A program the guard has no table for: ``-o FILE``, ``-oFILE``, ``--output FILE``
    and ``--output=FILE`` name the file it writes (``-o`` only when the value looks like
    a path, since many programs take ``-o`` for an option or a format)."""
    args = fx.args
    for i, w in enumerate(args):
        text = w.text
        value: Word | None = None
        long = False
        if text in ("-o", "--output", "--outfile", "--output-file", "--out-file"):
            value = args[i + 1] if i + 1 < len(args) else None
            long = text != "-o"
        elif text.startswith(("--output=", "--outfile=", "--output-file=", "--out-file=")):
            value = Word(text.partition("=")[2], w.dynamic, w.glob)
            long = True
        elif text.startswith("-o") and len(text) > 2 and not text.startswith("--"):
            value = Word(text[2:], w.dynamic, w.glob)
        elif text == "--":
            return
        if value is None or not value.text or value.text in _FORMAT_WORDS:
            continue
        vt = value.text
        if any(c in vt for c in "={,%"):
            continue
        pathlike = "/" in vt or "." in vt or value.dynamic
        if not pathlike and not long:
            root = fx.cwd or fx.base
            pathlike = os.path.exists(os.path.join(root, vt))
        if pathlike or long:
            fx.cls("file-write")
            fx.add("write", value)
