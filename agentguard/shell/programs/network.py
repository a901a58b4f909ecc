"""Network clients that also touch local files: ``curl``, ``wget``, ``scp``/``sftp``/``rsync``,
``ssh``, ``ssh-keygen``, ``openssl``.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

import os

from agentguard.shell.effects import (
    Effects,
    carries_links,
    fact_set,
    has_short,
    is_remote,
    names_from,
    operands,
    option_values,
)
from agentguard.shell.model import Word


def curl(fx: Effects) -> None:
    """``curl``: ``-o``/``-O``/``-c``/``-D`` write, ``-T``/``-K``/``-d @FILE`` read."""
    fx.cls("network")
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    for value in option_values(opts, "-o", "--output", "-c", "--cookie-jar", "-D", "--dump-header"):
        fx.cls("file-write")
        fx.add("write", value)
    if has_short(opts, "O", "--remote-name") and ops:
        fx.cls("file-write")
        url = ops[-1].text.split("?", 1)[0]
        fx.add("write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", ops[-1].dynamic))
    for value in option_values(opts, "-T", "--upload-file", "-K", "--config"):
        fx.add("read", value)
    for value in option_values(
        opts, "-d", "--data", "--data-binary", "--data-urlencode", "-F", "--form", "--data-raw"
    ):
        text = value.text.split("=", 1)[-1] if value.text[:1] != "@" else value.text
        if text.startswith(("@", "<")):
            fx.add("read", Word(text[1:], value.dynamic, value.glob))


def wget(fx: Effects) -> None:
    """``wget``: writes the file it fetches (or ``-O``/``-P``/log options), reads ``-i`` lists."""
    fx.cls("network")
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    outs = option_values(
        opts,
        "-O",
        "--output-document",
        "-o",
        "--output-file",
        "-a",
        "--append-output",
        "-P",
        "--directory-prefix",
    )
    for value in outs:
        fx.add("write", value)
    if not option_values(opts, "-O", "--output-document", "-P", "--directory-prefix"):
        for w in ops:
            url = w.text.split("?", 1)[0]
            fx.add("write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", w.dynamic))
    fx.cls("file-write")
    for value in option_values(opts, "-i", "--input-file", "--post-file", "--body-file"):
        fx.add("read", value)


def remote_copy(fx: Effects) -> None:
    """``scp``/``sftp``/``rsync``: the local destination is written, local sources read;
    ``rsync`` between local folders is no network use."""
    fx.cls("network")
    name = fx.cmd.program
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    remote = [w for w in ops if is_remote(w.text)]
    if name == "rsync" and not remote:
        fx.cmd.classes.discard("network")
    for value in option_values(opts, "--password-file", "-i" if name != "rsync" else ""):
        fx.add("read", value)
    for value in option_values(opts, "--files-from"):
        names_from(fx, value)
    for link_dest in option_values(opts, "--link-dest"):
        # Unchanged files become hard links into DIR: writing them writes DIR. A
        # relative DIR is relative to the destination folder.
        fx.cls("file-write")
        dest = ops[-1] if ops and not is_remote(ops[-1].text) else None
        target = link_dest
        if dest is not None and not link_dest.text.startswith(("/", "~")):
            joined = os.path.join(dest.text, link_dest.text)
            target = Word(joined, link_dest.dynamic or dest.dynamic)
        fx.add("write", target)
    if (
        name == "rsync"
        and ops
        and not is_remote(ops[-1].text)
        and (
            any(n in ("--archive", "--links") for n, _ in opts)
            or has_short(opts, "a")
            or has_short(opts, "l")
        )
    ):
        carries_links(fx, [w for w in ops[:-1] if not is_remote(w.text)] or [None], ops[-1])
    for value in option_values(opts, "--log-file"):
        fx.add("write", value)
    if ops and not is_remote(ops[-1].text):
        fx.cls("file-write")
        fx.add("write", ops[-1])
        if name == "rsync" and any(n.startswith("--delete") for n, _ in opts):
            fx.cls("file-delete")
            fx.add("delete", ops[-1])
    for w in ops[:-1]:
        if not is_remote(w.text):
            fx.add("read", w)
            if any(n == "--remove-source-files" for n, _ in opts):
                fx.cls("file-delete")
                fx.add("delete", w)
    for n, value in opts:
        plain_ssh = value.text.split(" ", 1)[0].rsplit("/", 1)[-1] == "ssh"
        if n in ("-e", "--rsh", "--rsync-path") and name == "rsync" and not plain_ssh:
            fx.cls("opaque")
            fx.cmd.notes.append(f"rsync {n} {value.text} runs a program")


def ssh(fx: Effects) -> None:
    """``ssh``: reads ``-i``/``-F`` files; a command after the host runs remotely."""
    fx.cls("network")
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    for value in option_values(opts, "-i", "-F"):
        fx.add("read", value)
    if len(ops) > 1:
        fx.cmd.notes.append("runs a command on a remote host")


def openssl(fx: Effects) -> None:
    """``openssl``: ``-out``/``-keyout`` write, ``-in``/``-key`` read, ``s_client`` connects."""
    args = fx.args
    verb = args[0].text if args else ""
    if verb in ("s_client", "s_server", "s_time", "ocsp") or any(
        w.text in ("-connect", "-proxy") for w in args
    ):
        fx.cls("network")
    for i, w in enumerate(args[:-1]):
        value = args[i + 1]
        if w.text in ("-out", "-keyout"):
            fx.cls("file-write")
            fx.add("write", value)
        elif w.text in ("-in", "-inkey", "-key", "-pass", "-passin", "-kfile", "-CAfile"):
            if value.text.startswith("file:"):
                value = Word(value.text[5:], value.dynamic)
            if ":" not in value.text:
                fx.add("read", value)


def ssh_keygen(fx: Effects) -> None:
    """``ssh-keygen -f FILE`` writes FILE and FILE.pub unless it only reads a key."""
    ops, opts = operands(
        fx.args,
        fact_set(fx.facts, "values"),
    )
    del ops
    files = option_values(opts, "-f")
    reads_only = any(n in ("-l", "-y", "-B", "-F", "-D", "-e") for n, _ in opts)
    for w in files:
        if reads_only:
            fx.add("read", w)
        else:
            fx.cls("file-write")
            fx.add("write", w)
            fx.add("write", Word(w.text + ".pub", w.dynamic, w.glob))
