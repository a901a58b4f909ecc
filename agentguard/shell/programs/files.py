"""Programs that create, copy, move, link, change or delete files: ``cp``, ``mv``, ``ln``,
``rm``, ``touch``, ``chmod``, ``dd``, ``patch`` …

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

import os

from agentguard.shell.effects import (
    Effects,
    carries_links,
    fact_set,
    has_short,
    link_targets,
    operands,
    option_values,
    patch_body,
    patch_targets,
    stdin_body,
)
from agentguard.shell.model import Word


def writes_all(fx: Effects) -> None:
    """Every operand is written (``touch``, ``mkdir`` …); ``-r FILE`` is read."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    fx.cls("file-write")
    for w in ops:
        fx.add("write", w)
    for value in option_values(opts, "-r", "--reference"):
        fx.add("read", value)


def find(fx: Effects) -> None:
    """``find``: reads below its roots; ``-delete`` deletes them, ``-fprint FILE`` writes."""
    roots: list[Word] = []
    for w in fx.args:
        if w.text.startswith(("-", "(", "!", ")")):
            break
        roots.append(w)
    roots = roots or [Word(".")]
    fx.cls("read-only")
    args = fx.args
    for i, w in enumerate(args):
        if w.text == "-delete":
            fx.cls("file-delete")
            for root in roots:
                fx.add("delete", root)
        elif w.text in ("-fprint", "-fprint0", "-fls", "-fprintf") and i + 1 < len(args):
            fx.cls("file-write")
            fx.add("write", args[i + 1])


def tee(fx: Effects) -> None:
    """``tee FILE…`` writes every operand."""
    ops, _ = operands(fx.args)
    if ops:
        fx.cls("file-write")
    for w in ops:
        fx.add("write", w)


def copy_like(fx: Effects) -> None:
    """``cp``/``mv``/``install``/``ln``: sources read (moved: deleted), destination written."""
    name = fx.cmd.program
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    target_dir = option_values(opts, "-t", "--target-directory")
    fx.cls("file-write")
    if name == "install" and has_short(opts, "d", "--directory"):
        for w in ops:
            fx.add("write", w)
        return
    if target_dir:
        sources, dests = ops, target_dir
    elif name in ("ln", "link") and len(ops) == 1:
        sources, dests = ops, [Word(os.path.basename(ops[0].text.rstrip("/")) or ".")]
    else:
        sources, dests = ops[:-1], ops[-1:]
    for w in sources:
        fx.add("delete" if name == "mv" else "read", w)
        if name == "mv":
            fx.add("read", w)
    for w in dests:
        fx.add("write", w)
    if name == "mv" and sources:
        fx.cls("file-delete")
    symbolic = (name == "ln" and has_short(opts, "s", "--symbolic")) or (
        name == "cp" and has_short(opts, "s", "--symbolic-link")
    )
    hard = not symbolic and (
        name in ("ln", "link") or (name == "cp" and has_short(opts, "l", "--link"))
    )
    if symbolic or hard:
        link_targets(fx, sources, dests[0] if dests else None, bool(target_dir), symbolic)
    elif (
        name == "cp"
        and dests
        and (
            any(n in ("--archive", "--recursive", "--no-dereference") for n, _ in opts)
            or any(has_short(opts, letter) for letter in "arRPd")
        )
    ):
        carries_links(fx, sources, dests[0])


def rm(fx: Effects) -> None:
    """``rm``/``rmdir``/``unlink`` delete their operands; ``shred`` without ``-u``
    overwrites them."""
    name = fx.cmd.program
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    if name == "shred" and not has_short(opts, "u", "--remove"):
        fx.cls("file-write")
        for w in ops:
            fx.add("write", w)
        return
    fx.cls("file-delete")
    for w in ops:
        fx.add("delete", w)


def dd(fx: Effects) -> None:
    """``dd of=FILE`` writes FILE, ``if=FILE`` reads it."""
    for w in fx.args:
        key, eq, value = w.text.partition("=")
        if not eq:
            continue
        if key == "of":
            fx.cls("file-write")
            fx.add("write", Word(value, w.dynamic, w.glob))
        elif key == "if":
            fx.add("read", Word(value, w.dynamic, w.glob))


def chmod(fx: Effects) -> None:
    """``chmod``/``chown``/``chgrp`` change their operands after the mode (all of them
    with ``--reference``)."""
    ops: list[Word] = []
    reference = False
    for w in fx.args:
        if w.text in (
            "-R",
            "-v",
            "-c",
            "-f",
            "-h",
            "-H",
            "-L",
            "-P",
            "--recursive",
            "--verbose",
            "--changes",
            "--silent",
            "--quiet",
            "--dereference",
            "--no-dereference",
            "--",
        ):
            continue
        if w.text.startswith("--reference="):
            reference = True
            continue
        ops.append(w)
    fx.cls("file-write")
    for w in ops if reference else ops[1:]:
        fx.add("write", w)


def patch(fx: Effects) -> None:
    """``patch``: writes the file named, or every file the patch names."""
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    fx.cls("file-write")
    # Without -p, patch takes each header's base name (``--- a/src/x.ts`` patches
    # ``x.ts`` here); -1 asks the diff reader for both that and the whole name.
    strip = -1
    for value in option_values(opts, "-p", "--strip"):
        strip = int(value.text) if value.text.isdigit() else -1
    patchfile: Word | None = None
    inputs = option_values(opts, "-i", "--input")
    if inputs:
        patchfile = inputs[0]
    elif len(ops) >= 2:
        patchfile = ops[1]
    else:
        for redirect in fx.cmd.redirects:
            if redirect.op == "<":
                patchfile = redirect.target
    for value in option_values(opts, "-o", "--output"):
        fx.add("write", value)
        return
    # -d DIR: patch works in DIR, so the names in the patch are DIR's.
    root = None
    for value in option_values(opts, "-d", "--directory"):
        if value.dynamic:
            fx.cmd.unresolved.append(("write", "(the files named by the patch)"))
            return
        root = os.path.join(fx.cwd or fx.base, value.text)
    if ops:
        saved, fx.cwd = fx.cwd, root or fx.cwd
        fx.add("write", ops[0])
        fx.cwd = saved
        return
    body = stdin_body(fx.cmd.redirects) if patchfile is None or patchfile.text == "-" else None
    if body is not None:
        patch_body(fx, body, strip, root)
        return
    patch_targets(fx, patchfile, strip, root)


def mktemp(fx: Effects) -> None:
    """``mktemp -p DIR``/``--tmpdir=DIR`` creates a file in DIR; a template without
    them is relative to the current folder."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    folders = option_values(opts, "-p", "--tmpdir")
    template = ops[0].text if ops else "tmp.XXXXXXXXXX"
    dynamic = any(w.dynamic for w in ops)
    if folders and folders[0].text:
        target = Word(os.path.join(folders[0].text, template), folders[0].dynamic or dynamic)
    elif ops and not has_short(opts, "t") and not any(n == "--tmpdir" for n, _ in opts):
        target = Word(template, dynamic)
    else:
        return  # $TMPDIR or /tmp
    fx.cls("file-write")
    fx.add("write", target)


def mknod(fx: Effects) -> None:
    """``mknod NAME``: creates NAME."""
    ops, _ = operands(fx.args, fact_set(fx.facts, "values"))
    fx.cls("file-write")
    for w in ops[:1]:
        fx.add("write", w)


def rename(fx: Effects) -> None:
    """``rename EXPR FILE…``: deletes the files under their old names; the new ones are unknown."""
    ops, _ = operands(fx.args, fact_set(fx.facts, "values"))
    fx.cls("file-write", "file-delete")
    for w in ops[1:]:
        fx.add("delete", w)
    fx.cmd.unresolved.append(("write", "(the renamed files' new names)"))


def script_log(fx: Effects) -> None:
    """``script [FILE]``: the session log (``typescript`` by default) and ``-I/-O/-B/-T`` logs."""
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    fx.cls("file-write")
    for value in option_values(
        opts, "-I", "-O", "-B", "-T", "--log-in", "--log-out", "--log-io", "--log-timing"
    ):
        fx.add("write", value)
    fx.add("write", ops[0] if ops else Word("typescript"))
