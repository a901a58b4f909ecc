"""Archivers and compressors: ``tar``, ``zip``/``unzip``, ``gzip`` and kin, ``cpio``, ``7z``.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell.effects import (
    Effects,
    carries_links,
    fact_set,
    has_short,
    names_from,
    operands,
    option_values,
)
from agentguard.shell.model import Word


def tar(fx: Effects) -> None:
    """``tar``: creating writes the archive, extracting writes the folder, listing reads."""
    args = fx.args
    mode = ""
    archive: Word | None = None
    directory: Word | None = None
    lists: list[Word | None] = []
    ops: list[Word] = []
    i = 0
    while i < len(args):
        text = args[i].text
        if i == 0 and not text.startswith("-") and text.isalpha():
            text = "-" + text  # old style: ``tar czf out.tgz …``
        if text.startswith("--"):
            key, eq, value = text.partition("=")
            if key == "--file":
                archive = Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None)
                i += 1 if eq else 2
                continue
            if key == "--directory":
                directory = Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None)
                i += 1 if eq else 2
                continue
            if key == "--files-from":
                lists.append(Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None))
                i += 1 if eq else 2
                continue
            for long, m in (
                ("--extract", "x"),
                ("--get", "x"),
                ("--create", "c"),
                ("--list", "t"),
                ("--append", "r"),
                ("--update", "u"),
            ):
                if key == long:
                    mode = m
            i += 1
            continue
        if text.startswith("-") and len(text) > 1:
            letters = text[1:]
            for m in "xctru":
                if m in letters:
                    mode = mode or m
            if "C" in letters and i + 1 < len(args):
                directory = args[i + 1]
                i += 1
            if "T" in letters:
                if letters.endswith("T"):
                    lists.append(args[i + 1] if i + 1 < len(args) else None)
                    i += 1
                else:
                    lists.append(Word(letters.split("T", 1)[1]))
            if "f" in letters:
                if letters.endswith("f") and i + 1 < len(args):
                    archive = args[i + 1]
                    i += 1
                elif not letters.endswith("f"):
                    archive = Word(letters.split("f", 1)[1])
            i += 1
            continue
        ops.append(args[i])
        i += 1
    _tar_opaque(fx)
    for names in lists:
        names_from(fx, names)
    if mode == "x":
        fx.cls("file-write")
        fx.add("write", directory or Word("."))
        if archive is not None:
            fx.add("read", archive)
        carries_links(
            fx,
            [archive if archive is None or archive.text != "-" else None],
            directory or Word("."),
        )
    elif mode in ("c", "r", "u"):
        fx.cls("file-write")
        if archive is not None:
            fx.add("write", archive)
        for w in ops:
            fx.add("read", w)
    else:
        fx.cls("read-only")
        if archive is not None:
            fx.add("read", archive)


def _tar_opaque(fx: Effects) -> bool:
    for w in fx.args:
        key = w.text.split("=", 1)[0]
        if key in (
            "--use-compress-program",
            "--to-command",
            "--info-script",
            "--new-volume-script",
            "--rsh-command",
            "--rmt-command",
            "--checkpoint-action",
            "-I",
            "-F",
        ) or (key[:1] == "-" and key[1:2] != "-" and ("I" in key or "F" in key)):
            if key == "--checkpoint-action" and "exec" not in w.text:
                continue
            fx.cls("opaque")
            fx.cmd.notes.append(f"tar {key} runs a program")
            return True
    return False


def archive_tool(fx: Effects) -> None:
    """``zip``/``unzip`` and the single-file compressors (``gzip`` replaces each file)."""
    name = fx.cmd.program
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    if name == "unzip":
        if has_short(opts, "l") or has_short(opts, "t") or has_short(opts, "p"):
            fx.cls("read-only")
            return
        fx.cls("file-write")
        dest = option_values(opts, "-d")
        fx.add("write", dest[0] if dest else Word("."))
        for w in ops[:1]:
            fx.add("read", w)
        carries_links(fx, ops[:1] or [None], dest[0] if dest else Word("."))
        return
    if name == "zip":
        if any("@" in n for n, _ in opts if not n.startswith("--")) or any(
            n == "--names-stdin" for n, _ in opts
        ):
            names_from(fx, None)
        fx.cls("file-write")
        for w in ops[:1]:
            fx.add("write", w)
        for w in ops[1:]:
            fx.add("read", w)
        return
    # gzip and friends replace each file with its (de)compressed form.
    if has_short(opts, "c", "--stdout") or has_short(opts, "l") or has_short(opts, "t"):
        for w in ops:
            fx.add("read", w)
        return
    fx.cls("file-write", "file-delete")
    for w in ops:
        fx.add("write", w)
        fx.add("delete", w)


def cpio(fx: Effects) -> None:
    """``cpio -i/-o/-p``: extraction, archive creation, pass-through copy."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    names = {n for n, _ in opts}
    archive = option_values(opts, "-F", "--file", "-I", "-O")
    folder = option_values(opts, "-D", "--directory")
    mode = next((m for n in names for m in "iop" if not n.startswith("--") and m in n[1:]), "") or {
        "--extract": "i",
        "--create": "o",
        "--pass-through": "p",
    }.get(next((n for n in names if n in ("--extract", "--create", "--pass-through")), ""), "")
    if mode == "i":
        if has_short(opts, "t", "--list"):
            fx.cls("read-only")
            return
        fx.cls("file-write")
        fx.add("write", folder[0] if folder else Word("."))
        fx.cmd.unresolved.append(("write", "(the files named in the archive)"))
        for w in archive:
            fx.add("read", w)
    elif mode == "p":
        fx.cls("file-write")
        for w in ops[:1] or folder:
            fx.add("write", w)
        names_from(fx, None)
        if has_short(opts, "l", "--link"):
            # Hard links to unnamed files: writing through them writes those files.
            fx.cmd.unresolved.append(("write", "(hard links to the files named on stdin)"))
    elif mode == "o":
        for w in archive:
            fx.cls("file-write")
            fx.add("write", w)
        names_from(fx, None)


def sevenzip(fx: Effects) -> None:
    """``7z x/e`` extracts, ``7z a/u/d/rn`` changes the archive, anything else reads it."""
    args = fx.args
    verb = args[0].text if args else ""
    ops = [w for w in args[1:] if not w.text.startswith("-")]
    outs = [Word(w.text[2:], w.dynamic) for w in args if w.text.startswith("-o") and w.text[2:]]
    if verb in ("x", "e"):
        fx.cls("file-write")
        fx.add("write", outs[0] if outs else Word("."))
        for w in ops[:1]:
            fx.add("read", w)
    elif verb in ("a", "u", "d", "rn"):
        fx.cls("file-write")
        for w in ops[:1]:
            fx.add("write", w)
        for w in ops[1:]:
            fx.add("read" if verb in ("a", "u") else "write", w)
    else:
        fx.cls("read-only")
        for w in ops[:1]:
            fx.add("read", w)
