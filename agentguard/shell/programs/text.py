"""Text filters with a program of their own or an in-place mode: ``sed``, ``awk``,
``yq``, ``jq``'s filter, ``sort``/``split``/``csplit``, ``iconv``, ``shuf``.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell.effects import (
    NULL_TARGETS,
    Effects,
    fact_set,
    operands,
    option_values,
    write_option_values,
)
from agentguard.shell.model import Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

_SED_SIMPLE = frozenset("=dDgGhHlLnNpPqQxzF}{#")


def sed(fx: Effects) -> None:
    """``sed``: reads its files, or rewrites them with ``-i``; a script may write (``w``)
    or run (``e``)."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    scripts = option_values(opts, "-e", "--expression")
    files = option_values(opts, "-f", "--file")
    if not scripts and not files and ops:
        scripts, ops = [ops[0]], ops[1:]
    in_place = any(
        name == "--in-place" or (not name.startswith("--") and "i" in name[1:]) for name, _ in opts
    )
    for w in ops:
        fx.add("write" if in_place else "read", w)
        if in_place:
            fx.add("read", w)
    if in_place:
        fx.cls("file-write")
    else:
        fx.cls("read-only")
    for w in files:
        fx.add("read", w)
        fx.cls("opaque")
        fx.cmd.notes.append("sed script from a file")
    for script in scripts:
        runs, writes, reads = sed_script(script.text)
        if runs or script.dynamic:
            fx.cls("opaque")
            fx.cmd.notes.append("sed script runs commands (e) or cannot be read")
        for name in reads:
            fx.add("read", Word(name))
        for name in writes:
            fx.cls("file-write", "opaque")
            fx.cmd.notes.append(f"sed script writes {name}")
            fx.add("write", Word(name))


def sed_script(script: str) -> tuple[bool, list[str], list[str]]:
    """``(runs code, files written, files read)`` of a sed script (GNU syntax).

    A small parser rather than a pattern: ``w`` hides as ``wFILE``, as an ``s`` flag
    after any delimiter (``s|x|y|w FILE``) and after addresses; an ``e`` command or
    flag runs a shell command. Anything it does not understand counts as running code.
    """
    writes: list[str] = []
    reads: list[str] = []
    i, n = 0, len(script)

    def to_eol(k: int) -> tuple[str, int]:
        end = script.find("\n", k)
        end = n if end < 0 else end
        return script[k:end].strip(), end

    def delimited(k: int, delim: str) -> int:
        # Index after the closing ``delim``; backslash escapes the next character.
        while k < n:
            c = script[k]
            if c == "\\":
                k += 2
                continue
            if c == delim:
                return k + 1
            k += 1
        return -1

    while i < n:
        c = script[i]
        if c in " \t\n;}{!":
            i += 1
            continue
        # Addresses: numbers, $, /re/, \cREc, first~step, +N, ~N, separated by ``,``.
        while i < n and script[i] in "0123456789$,~+/\\ \t!":
            c = script[i]
            if c == "/":
                i = delimited(i + 1, "/")
            elif c == "\\" and i + 1 < n:
                i = delimited(i + 2, script[i + 1])
            else:
                i += 1
            if i < 0:
                return True, writes, reads
            while i < n and script[i] in "IM":
                i += 1
        if i >= n:
            break
        c = script[i]
        i += 1
        if c in _SED_SIMPLE:
            if c in "qQlL":
                while i < n and script[i] in "0123456789 ":
                    i += 1
            continue
        if c in "aic":
            _, i = to_eol(i)
        elif c in "btT:v":
            while i < n and script[i] not in ";\n}":
                i += 1
        elif c in "rRwW":
            name, i = to_eol(i)
            (reads if c in "rR" else writes).append(name)
        elif c == "e":
            return True, writes, reads
        elif c in "sy":
            if i >= n or script[i] in "\\\n":
                return True, writes, reads
            delim = script[i]
            i = delimited(i + 1, delim)
            i = delimited(i, delim) if i >= 0 else -1
            if i < 0:
                return True, writes, reads
            while c == "s" and i < n and script[i] not in ";\n}":
                flag = script[i]
                if flag == "e":
                    return True, writes, reads
                if flag in "wW":
                    name, i = to_eol(i + 1)
                    writes.append(name)
                    break
                if flag not in "gpiImM0123456789 \t":
                    return True, writes, reads
                i += 1
        else:
            return True, writes, reads
    return False, [w for w in writes if w not in NULL_TARGETS], reads


def awk(fx: Effects) -> None:
    """``awk``: reads its files; a program that runs commands or writes is opaque."""
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    programs = option_values(opts, "-f", "--file")
    if programs:
        fx.cls("opaque")
        fx.cmd.notes.append("awk program from a file")
    elif ops:
        program, ops = ops[0], ops[1:]
        text = program.text
        if program.dynamic or "system" in text or "|" in text or ">" in text or "getline" in text:
            fx.cls("opaque")
            fx.cmd.notes.append("awk program runs commands or writes files")
    in_place = any(v.text == "inplace" for v in option_values(opts, "-i", "--include"))
    for w in ops:
        if "=" in w.text and not w.text.startswith(("/", ".")):
            continue
        fx.add("read", w)
        if in_place:
            fx.add("write", w)
    if in_place:
        fx.cls("file-write")
    elif "opaque" not in fx.cmd.classes:
        fx.cls("read-only")


def sort_split(fx: Effects) -> None:
    """``sort``/``split``/``csplit``: read-only, or writing pieces beside a prefix."""
    name = fx.cmd.program
    for w in fx.args:
        key = w.text.split("=", 1)[0]
        if (name == "sort" and key == "--compress-program") or (
            name == "split" and key == "--filter"
        ):
            fx.cls("opaque")
            fx.cmd.notes.append(f"{name} {key} runs a program")
    if name == "sort":
        fx.cls("read-only")
    elif name == "split":
        ops, opts = operands(
            fx.args,
            fact_set(fx.facts, "values"),
        )
        prefix = ops[1] if len(ops) > 1 else Word("x")
        fx.cls("file-write")
        fx.add("write", Word(prefix.text + "aa", prefix.dynamic, prefix.glob))
        for w in ops[:1]:
            fx.add("read", w)
    elif name == "csplit":
        ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
        prefixes = option_values(opts, "-f", "--prefix") or [Word("xx")]
        fx.cls("file-write")
        fx.add("write", Word(prefixes[0].text + "00", prefixes[0].dynamic))
        for w in ops[:1]:
            fx.add("read", w)


def iconv(fx: Effects) -> None:
    """``iconv -o FILE``: writes FILE; the operands are read."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    for value in option_values(opts, "-o", "--output"):
        fx.cls("file-write")
        fx.add("write", value)
    for w in ops:
        fx.add("read", w)


def yq(fx: Effects) -> None:
    """``yq -i EXPR FILE…`` rewrites the files in place."""
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    if ops and ops[0].text in ("e", "eval", "ea", "eval-all"):
        ops = ops[1:]
    if ops and not option_values(opts, "--from-file", "--expression"):
        ops = ops[1:]
    in_place = any(
        n in ("--inplace", "-i") or (n[:1] == "-" and n[1:2] != "-" and "i" in n[1:])
        for n, _ in opts
    )
    for value in option_values(opts, "--from-file"):
        fx.add("read", value)
    for w in ops:
        fx.add("read", w)
        if in_place:
            fx.add("write", w)
    fx.cls("file-write" if in_place else "read-only")


def output_option(fx: Effects) -> None:
    """Programs whose only file output is an option's value (``shuf -o FILE``)."""
    write_option_values(fx, tuple(fact_set(fx.facts, "output_options")))


# jq's options by what follows them (jq 1.7 manual); any other option leaves the line unclear.
# fmt: off
_JQ_FLAGS = frozenset((
    "--null-input", "--raw-input", "--slurp", "--compact-output", "--raw-output",
    "--join-output", "--raw-output0", "--ascii-output", "--sort-keys", "--color-output",
    "--monochrome-output", "--tab", "--unbuffered", "--stream", "--stream-errors", "--seq",
    "--exit-status", "--args", "--jsonargs",
))
# fmt: on
# Short flags, alone or bundled (``-nr``); f is -f: the first operand is the filter's file.
_JQ_FLAG_LETTERS = frozenset("nRscrjaSCMef")
_JQ_FROM_FILE = frozenset(("-f", "--from-file"))
_JQ_FILE_VALUES = frozenset(("--slurpfile", "--rawfile"))  # NAME FILE: FILE is read
_JQ_TWO_VALUES = frozenset(("--arg", "--argjson")) | _JQ_FILE_VALUES
_JQ_ONE_VALUE = frozenset(("--indent", "-L"))


def jq_args(args: Sequence[Word]) -> tuple[Word | None, list[Word]] | None:
    """jq's filter word and the files it reads; None when its options leave them unclear.

    The first operand is the filter (code, not a file name: ``jq .env package.json`` reads
    package.json), unless ``-f`` makes it the filter's file; every later operand is an input
    file, and so is the FILE of ``--slurpfile``/``--rawfile NAME FILE``. Operands after
    ``--args``/``--jsonargs`` stay files (jq reads them as strings): a stricter reading than
    jq's, never a laxer one. An option it does not know, ``--``, ``-`` or a dynamic word give
    None: the caller then reads every word naming a file.
    """
    found: list[Word] = []
    files: list[Word] = []
    from_file = False
    i = 0
    while i < len(args):
        word = args[i]
        text = word.text
        if word.dynamic or text in ("-", "--"):
            return None
        if not text.startswith("-"):
            found.append(word)
            i += 1
        elif text in _JQ_TWO_VALUES:
            if i + 2 >= len(args) or args[i + 2].dynamic:
                return None
            if text in _JQ_FILE_VALUES:
                files.append(args[i + 2])
            i += 3
        elif text in _JQ_ONE_VALUE:
            i += 2
        elif text in _JQ_FLAGS or text in _JQ_FROM_FILE or set(text[1:]) <= _JQ_FLAG_LETTERS:
            from_file = from_file or text in _JQ_FROM_FILE or (text[1] != "-" and "f" in text)
            i += 1
        elif text.startswith("-L"):  # -Ldir
            i += 1
        else:
            return None
    if from_file:
        return None, found + files
    if not found:
        return None
    return found[0], found[1:] + files
