"""What one effective command does: its classes and the paths it reads, writes, deletes.

Classes: ``read-only``, ``file-write``, ``file-delete``, ``network``,
``package-install``, ``deploy``, ``git-destructive``, ``branch-switch``, ``merge``,
``secret-read``, ``env-dump``, ``opaque``, ``guard-tamper``. The tables are flat on
purpose: a reviewer should see every program the guard knows in one place.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell.model import SimpleCommand, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

_F = frozenset

AGENT_CLIS = _w(
    "claude codex gemini aider opencode cursor-agent goose amp qwen crush copilot cline droid kiro"
)
# Environment variables that move an agent CLI's configuration (and so its hooks).
_AGENT_CONFIG_VARS = _w(
    "CLAUDE_CONFIG_DIR CODEX_HOME GEMINI_CONFIG_DIR XDG_CONFIG_HOME HOME "
    "CLAUDE_CODE_USE_BEDROCK AIDER_CONFIG"
)
_AGENT_TAMPER_FLAGS = _w(
    "--settings --setting-sources --dangerously-skip-permissions "
    "--allow-dangerously-skip-permissions --dangerously-bypass-approvals-and-sandbox "
    "--yolo --full-auto --config-dir --plugin-dir --permission-prompt-tool "
    "--disallowedTools --allowedTools --allowed-tools --disallowed-tools"
)
_TAMPER_VARS = ("AGENTGUARD", "CLAUDE_CONFIG_DIR", "CODEX_HOME")
_NULL_TARGETS = _F(("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-", "/dev/zero"))

READ_ONLY = _w(
    "ls pwd echo printf true false test [ which type whoami id date uname hostname wc diff "
    "cmp stat file du df ps uptime basename dirname realpath readlink tree cat head tail less "
    "more bat batcat nl tac rev fold fmt column expand unexpand paste comm cut tr grep egrep "
    "fgrep rg ag ack jq md5sum sha1sum sha256sum sha512sum cksum b2sum base64 base32 xxd od "
    "hexdump strings seq sleep yes expr bc dc cal nproc free lsof locale tput clear "
    "history jobs wait cd pushd popd dirs : exit return shift hash ulimit umask getconf "
    "lsb_release arch nvm sort uniq look find fd fdfind tokei cloc sed awk gawk mawk nawk"
)
# Readers: value options (skipped with their value) and whether the first operand is
# not a file (a pattern, a filter, a script).
_READERS: dict[str, tuple[frozenset[str], bool]] = {
    "cat": (_F(), False),
    "tac": (_F(("-s", "--separator")), False),
    "nl": (_F(("-b", "-d", "-f", "-h", "-i", "-l", "-n", "-s", "-v", "-w")), False),
    "head": (_F(("-n", "-c", "--lines", "--bytes")), False),
    "tail": (_F(("-n", "-c", "--lines", "--bytes", "-s", "--pid", "--sleep-interval")), False),
    "less": (_F(("-p", "-x", "-y", "-b", "-h", "-j", "-z", "-o", "-O", "-t", "-T")), False),
    "more": (_F(("-n",)), False),
    "bat": (_F(("-l", "--language", "-r", "--line-range", "--style", "--theme", "-H")), False),
    "batcat": (_F(("-l", "--language", "-r", "--line-range", "--style", "--theme")), False),
    "base64": (_F(("-w", "--wrap")), False),
    "base32": (_F(("-w", "--wrap")), False),
    "xxd": (_F(("-c", "-g", "-l", "-s", "-o", "-n", "-C", "-cols", "-len", "-seek")), False),
    "od": (_F(("-A", "-j", "-N", "-t", "-w", "-S")), False),
    "hexdump": (_F(("-n", "-s", "-e", "-f")), False),
    "strings": (_F(("-n", "-t", "-e", "--bytes", "--radix", "--encoding")), False),
    "md5sum": (_F(), False),
    "sha1sum": (_F(), False),
    "sha256sum": (_F(), False),
    "sha512sum": (_F(), False),
    "cksum": (_F(), False),
    "b2sum": (_F(), False),
    "wc": (_F(), False),
    "diff": (_F(("-U", "-C", "-x", "-X", "-I", "--label", "-L", "-W", "-F")), False),
    "cmp": (_F(("-i", "-n", "--bytes", "--ignore-initial")), False),
    "comm": (_F(("--output-delimiter",)), False),
    "paste": (_F(("-d", "--delimiters")), False),
    "cut": (_F(("-b", "-c", "-d", "-f", "--output-delimiter")), False),
    "fold": (_F(("-w", "--width")), False),
    "fmt": (_F(("-w", "-p", "-g")), False),
    "rev": (_F(), False),
    "column": (_F(("-s", "-c", "-t", "-o", "-N", "-R", "-E", "-W")), False),
    "expand": (_F(("-t",)), False),
    "unexpand": (_F(("-t",)), False),
    "file": (_F(("-m", "-f", "-F", "-e", "-P")), False),
    "sort": (
        _F(("-k", "-t", "-S", "-T", "-o", "--output", "--field-separator", "--key", "--parallel")),
        False,
    ),
    "uniq": (_F(("-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars")), False),
    "grep": (
        _F(
            (
                "-m",
                "-A",
                "-B",
                "-C",
                "-d",
                "-D",
                "--max-count",
                "--context",
                "--label",
                "--binary-files",
                "--devices",
                "--directories",
                "--color",
                "--colour",
            )
        ),
        True,
    ),
    "egrep": (_F(("-m", "-A", "-B", "-C")), True),
    "fgrep": (_F(("-m", "-A", "-B", "-C")), True),
    "rg": (
        _F(
            (
                "-m",
                "-A",
                "-B",
                "-C",
                "-g",
                "--glob",
                "-t",
                "--type",
                "-T",
                "--type-not",
                "-j",
                "-M",
                "--max-depth",
                "-d",
                "--max-columns",
                "--max-count",
                "--context",
                "--after-context",
                "--before-context",
                "--sort",
                "--sortr",
                "--iglob",
                "-E",
                "--encoding",
                "--color",
                "--colors",
                "--type-add",
                "-r",
                "--replace",
                "--engine",
            )
        ),
        True,
    ),
    "ag": (_F(("-m", "-A", "-B", "-C", "-G", "--ignore", "--depth")), True),
    "ack": (_F(("-m", "-A", "-B", "-C", "--type")), True),
    "jq": (
        _F(
            (
                "--indent",
                "--tab",
                "--arg",
                "--argjson",
                "--slurpfile",
                "--rawfile",
                "--args",
                "--jsonargs",
            )
        ),
        True,
    ),
    "source": (_F(), False),
    ".": (_F(), False),
}
_PATTERN_OPTS = _F(("-e", "-f", "--regexp", "--file"))


class _Ctx:
    """Target collection for one command; paths are resolved at the end."""

    __slots__ = ("args", "base", "cmd", "cwd", "env", "pending", "words")

    def __init__(self, cmd: SimpleCommand, words: list[Word], base: str, env: Mapping[str, str]):
        self.cmd = cmd
        self.words = words
        self.args = words[1:]
        self.base = base
        self.cwd = cmd.cwd
        self.env = env
        self.pending: list[tuple[str, Word, str | None]] = []

    def add(self, kind: str, word: Word) -> None:
        self.pending.append((kind, word, self.cwd))

    def cls(self, *names: str) -> None:
        self.cmd.classes.update(names)

    def finish(self) -> None:
        cmd = self.cmd
        for kind, word, cwd in self.pending:
            text = word.text
            if text in _NULL_TARGETS or text.startswith("/dev/fd/"):
                continue
            if text.startswith(("/dev/tcp/", "/dev/udp/")):
                cmd.classes.add("network")
                continue
            bucket = {"read": cmd.reads, "write": cmd.writes, "delete": cmd.deletes}[kind]
            if word.dynamic:
                cmd.unresolved.append((kind, text))
                continue
            if cwd is None:
                cmd.unresolved.append((kind, text))
            root = cwd or self.base
            if word.glob:
                import glob as globmod

                found = sorted(globmod.glob(os.path.join(root, text)))
                for path in found:
                    bucket.append(os.path.normpath(path))
                if found:
                    continue
            if text.startswith("~"):
                home = self.env.get("HOME")
                if home and (text == "~" or text.startswith("~/")):
                    text = home + text[1:]
                else:
                    cmd.unresolved.append((kind, text))
                    continue
            path = os.path.normpath(os.path.join(root, text))
            if path not in bucket:
                bucket.append(path)


def operands(
    args: Iterable[Word], value_opts: frozenset[str] = _F(), flags_with_value: str = ""
) -> tuple[list[Word], list[tuple[str, Word]]]:
    """Split arguments into operands and ``(option, value)`` pairs.

    ``value_opts`` take the next word (``-n 5``) or an attached one (``--lines=5``,
    ``-n5``); after ``--`` everything is an operand.
    """
    ops: list[Word] = []
    opts: list[tuple[str, Word]] = []
    items = list(args)
    i, n = 0, len(items)
    while i < n:
        w = items[i]
        text = w.text
        if text == "--":
            ops.extend(items[i + 1 :])
            break
        if text.startswith("-") and text != "-" and not w.dynamic:
            if "=" in text and text.startswith("--"):
                name, _, value = text.partition("=")
                opts.append((name, Word(value, w.dynamic, w.glob)))
            elif text in value_opts:
                if i + 1 < n:
                    opts.append((text, items[i + 1]))
                i += 2
                continue
            elif not text.startswith("--") and len(text) > 2 and text[:2] in value_opts:
                opts.append((text[:2], Word(text[2:])))
            else:
                opts.append((text, Word("")))
            i += 1
            continue
        ops.append(w)
        i += 1
    return ops, opts


def _has_short(opts: list[tuple[str, Word]], letter: str, long: str = "") -> bool:
    for name, _ in opts:
        if long and name == long:
            return True
        if not name.startswith("--") and letter in name[1:]:
            return True
    return False


def _opt_values(opts: list[tuple[str, Word]], *names: str) -> list[Word]:
    return [value for name, value in opts if name in names]


def classify(cmd: SimpleCommand, words: list[Word], base: str, env: Mapping[str, str]) -> None:
    """Fill ``cmd``'s classes and targets from its words and redirections."""
    ctx = _Ctx(cmd, words, base, env)
    for redirect in cmd.redirects:
        op = redirect.op
        if op in ("<<", "<<<"):
            continue
        target = redirect.target
        if op in (">&", "<&") and (target.text.isdigit() or target.text == "-"):
            continue
        if target.text in _NULL_TARGETS:
            continue
        if op in ("<", "<&"):
            ctx.add("read", target)
        else:
            ctx.cls("file-write")
            ctx.add("write", target)
            if op == "<>":
                ctx.add("read", target)
    for name, value in cmd.assigns.items():
        if name.upper().startswith("AGENTGUARD"):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"sets {name}")
        if name in ("GIT_DIR", "GIT_WORK_TREE"):
            cmd.repo = os.path.normpath(os.path.join(cmd.cwd or base, value))
    if words:
        name = cmd.program
        if cmd.dyn and cmd.dyn[0]:
            cmd.classes.add("opaque")
            cmd.notes.append("program name from an expansion")
        else:
            handler = _PROGRAMS.get(name)
            if handler is None and name[:6] == "python":
                handler = _python
            if handler is not None:
                handler(ctx)
            elif name in READ_ONLY:
                ctx.cls("read-only")
            if name in _READERS:
                _reads(ctx, name)
            if name in AGENT_CLIS:
                _agent_cli(ctx)
    elif not cmd.redirects and cmd.assigns and "guard-tamper" not in cmd.classes:
        # A bare ``X=1`` sets a shell variable; nothing runs.
        cmd.classes.add("read-only")
    ctx.finish()
    # A command that writes, deletes or does anything riskier is not read-only.
    if cmd.classes - {"read-only", "secret-read", "env-dump"}:
        cmd.classes.discard("read-only")


# -- families -----------------------------------------------------------------------
def _reads(ctx: _Ctx, name: str) -> None:
    value_opts, first_is_pattern = _READERS[name]
    ops, opts = operands(ctx.args, value_opts | _PATTERN_OPTS)
    if first_is_pattern and not _opt_values(opts, *_PATTERN_OPTS) and ops:
        ops = ops[1:]
    if name == "jq":
        for opt, value in opts:
            if opt in ("--slurpfile", "--rawfile"):
                ctx.cmd.notes.append(f"{opt} reads a file")
            del value
        ops = [w for w in ops if not w.text.startswith("{") and w.text != "."]
    if name == "uniq" and len(ops) > 1:
        ctx.cls("file-write")
        ctx.add("write", ops[1])
        ops = ops[:1]
    if name == "xxd" and len(ops) > 1:
        ctx.cls("file-write")
        ctx.add("write", ops[1])
        ops = ops[:1]
    for value in _opt_values(opts, "-f", "--file"):
        ctx.add("read", value)
    for w in ops:
        ctx.add("read", w)
    if name == "sort":
        for value in _opt_values(opts, "-o", "--output"):
            ctx.cls("file-write")
            ctx.add("write", value)
    if name in ("source", "."):
        ctx.cls("opaque")
        ctx.cmd.notes.append("runs a script in the current shell")


def _writes_all(value_opts: frozenset[str] = _F()) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        ops, opts = operands(ctx.args, value_opts)
        ctx.cls("file-write")
        for w in ops:
            ctx.add("write", w)
        for value in _opt_values(opts, "-r", "--reference"):
            ctx.add("read", value)

    return handler


def _find(ctx: _Ctx) -> None:
    roots: list[Word] = []
    for w in ctx.args:
        if w.text.startswith(("-", "(", "!", ")")):
            break
        roots.append(w)
    roots = roots or [Word(".")]
    ctx.cls("read-only")
    args = ctx.args
    for i, w in enumerate(args):
        if w.text == "-delete":
            ctx.cls("file-delete")
            for root in roots:
                ctx.add("delete", root)
        elif w.text in ("-fprint", "-fprint0", "-fls", "-fprintf") and i + 1 < len(args):
            ctx.cls("file-write")
            ctx.add("write", args[i + 1])


def _tee(ctx: _Ctx) -> None:
    ops, _ = operands(ctx.args)
    if ops:
        ctx.cls("file-write")
    for w in ops:
        ctx.add("write", w)


def _copy_like(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    value_opts = _F(
        (
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "-m",
            "--mode",
            "-o",
            "--owner",
            "-g",
            "--group",
        )
    )
    ops, opts = operands(ctx.args, value_opts)
    target_dir = _opt_values(opts, "-t", "--target-directory")
    ctx.cls("file-write")
    if name == "install" and _has_short(opts, "d", "--directory"):
        for w in ops:
            ctx.add("write", w)
        return
    if target_dir:
        sources, dests = ops, target_dir
    elif name == "ln" and len(ops) == 1:
        sources, dests = ops, [Word(os.path.basename(ops[0].text.rstrip("/")) or ".")]
    else:
        sources, dests = ops[:-1], ops[-1:]
    for w in sources:
        ctx.add("delete" if name == "mv" else "read", w)
        if name == "mv":
            ctx.add("read", w)
    for w in dests:
        ctx.add("write", w)
    if name == "mv" and sources:
        ctx.cls("file-delete")


def _rm(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops, opts = operands(ctx.args, _F(("-n", "--iterations", "-s", "--size")))
    if name == "shred" and not _has_short(opts, "u", "--remove"):
        ctx.cls("file-write")
        for w in ops:
            ctx.add("write", w)
        return
    ctx.cls("file-delete")
    for w in ops:
        ctx.add("delete", w)


def _dd(ctx: _Ctx) -> None:
    for w in ctx.args:
        key, eq, value = w.text.partition("=")
        if not eq:
            continue
        if key == "of":
            ctx.cls("file-write")
            ctx.add("write", Word(value, w.dynamic, w.glob))
        elif key == "if":
            ctx.add("read", Word(value, w.dynamic, w.glob))


def _chmod(ctx: _Ctx) -> None:
    ops: list[Word] = []
    reference = False
    for w in ctx.args:
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
    ctx.cls("file-write")
    for w in ops if reference else ops[1:]:
        ctx.add("write", w)


def _sed(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args, _F(("-e", "-f", "-l", "--expression", "--file", "--line-length"))
    )
    scripts = _opt_values(opts, "-e", "--expression", "-f", "--file")
    if not scripts and ops:
        scripts, ops = [ops[0]], ops[1:]
    in_place = any(
        name == "--in-place" or (not name.startswith("--") and "i" in name[1:]) for name, _ in opts
    )
    for w in ops:
        ctx.add("write" if in_place else "read", w)
        if in_place:
            ctx.add("read", w)
    if in_place:
        ctx.cls("file-write")
    else:
        ctx.cls("read-only")
    for script in scripts:
        if _sed_runs_or_writes(script.text):
            ctx.cls("opaque")
            ctx.cmd.notes.append("sed script writes files or runs commands (w/e)")


def _sed_runs_or_writes(script: str) -> bool:
    """GNU sed's ``e`` command and ``w``/``W`` commands or ``s///w`` flag."""
    stripped = script.strip()
    for sep in (";", "\n", "}"):
        for raw in stripped.split(sep):
            part = raw.strip().lstrip("0123456789,$/!^ ")
            if part[:1] in ("e", "w", "W") and (len(part) == 1 or part[1] in " \t"):
                return True
    return "/w " in stripped or "/e" in stripped.replace("/e/", "")


def _awk(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args,
        _F(("-F", "-v", "-f", "-i", "--field-separator", "--assign", "--file", "--include")),
    )
    programs = _opt_values(opts, "-f", "--file")
    if programs:
        ctx.cls("opaque")
        ctx.cmd.notes.append("awk program from a file")
    elif ops:
        program, ops = ops[0], ops[1:]
        text = program.text
        if program.dynamic or "system" in text or "|" in text or ">" in text or "getline" in text:
            ctx.cls("opaque")
            ctx.cmd.notes.append("awk program runs commands or writes files")
    in_place = any(v.text == "inplace" for v in _opt_values(opts, "-i", "--include"))
    for w in ops:
        if "=" in w.text and not w.text.startswith(("/", ".")):
            continue
        ctx.add("read", w)
        if in_place:
            ctx.add("write", w)
    if in_place:
        ctx.cls("file-write")
    elif "opaque" not in ctx.cmd.classes:
        ctx.cls("read-only")


def _perl(ctx: _Ctx) -> None:
    ops, opts = operands(ctx.args, _F(("-e", "-E", "-M", "-m", "-I", "-x", "-0", "-l")))
    code = _opt_values(opts, "-e", "-E")
    in_place = any(not n.startswith("--") and "i" in n[1:] for n, _ in opts)
    if not code and any(not n.startswith("--") and ("e" in n[1:] or "E" in n[1:]) for n, _ in opts):
        code = [Word("")]
        # ``-pie 's/…/'``: the code is the first operand.
        if ops:
            ops = ops[1:]
    if code:
        ctx.cls("opaque")
        ctx.cmd.notes.append("perl runs inline code")
    elif ops:
        ops = ops[1:]
    for w in ops:
        ctx.add("write" if in_place else "read", w)
    if in_place:
        ctx.cls("file-write")


def _interpreter(flags: frozenset[str], stdin_opaque: bool = True) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        args = ctx.args
        for i, w in enumerate(args):
            text = w.text
            if text in flags or any(text.startswith(f + "=") for f in flags if f[:2] == "--"):
                ctx.cls("opaque")
                ctx.cmd.notes.append(f"{ctx.cmd.program} {text} runs inline code")
                return
            if text == "-":
                break
            if not text.startswith("-"):
                return
            if text in ("--version", "-v", "-V", "--help", "-h"):
                return
            if ctx.cmd.program in ("node", "nodejs", "bun", "deno") and text == "--test":
                return  # the runtime's test runner: it runs the project's test files
            del i
        if stdin_opaque:
            ctx.cls("opaque")
            ctx.cmd.notes.append(f"{ctx.cmd.program} reads its program from standard input")

    return handler


def _python(ctx: _Ctx) -> None:
    args = ctx.args
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "-c" or (
            text.startswith("-")
            and not text.startswith("--")
            and "c" in text[1:]
            and text[1:].replace("c", "").isalpha() is not False
            and text[-1] == "c"
        ):
            ctx.cls("opaque")
            ctx.cmd.notes.append("python -c runs inline code")
            return
        if text == "-m" and i + 1 < len(args):
            module = args[i + 1].text
            rest = args[i + 2 :]
            if module in ("pip", "pip3"):
                _pip(ctx, rest)
            elif module in ("http.server", "SimpleHTTPServer", "smtpd"):
                ctx.cls("network")
            elif module in ("venv", "virtualenv"):
                ctx.cls("file-write")
                for w in [w for w in rest if not w.text.startswith("-")][:1]:
                    ctx.add("write", w)
            return
        if text in ("-W", "-X", "-Q"):
            i += 2
            continue
        if text in ("--version", "-V", "--help", "-h"):
            return
        if text == "-" or not text.startswith("-"):
            if text == "-":
                break
            return
        i += 1
    ctx.cls("opaque")
    ctx.cmd.notes.append("python reads its program from standard input")


def _agent_cli(ctx: _Ctx) -> None:
    cmd = ctx.cmd
    changed = [n for n in cmd.assigns if n in _AGENT_CONFIG_VARS]
    flags = [
        w.text
        for w in ctx.args
        if w.text.split("=", 1)[0] in _AGENT_TAMPER_FLAGS
        or w.text in ("--permission-mode=bypassPermissions",)
    ]
    args = [w.text for w in ctx.args]
    for i, text in enumerate(args[:-1]):
        if text == "--permission-mode" and args[i + 1] in ("bypassPermissions", "acceptEdits"):
            flags.append(f"{text} {args[i + 1]}")
        if cmd.program == "codex" and text in ("-c", "--config", "-s", "--sandbox"):
            flags.append(f"{text} {args[i + 1]}")
        if cmd.program == "gemini" and text in ("-y",):
            flags.append(text)
    if changed or flags:
        cmd.classes.add("guard-tamper")
        cmd.notes.append(
            f"starts {cmd.program} with a changed configuration: " + ", ".join(changed + flags)
        )
    else:
        cmd.notes.append(f"starts another agent: {cmd.program}")


def _export(ctx: _Ctx) -> None:
    cmd = ctx.cmd
    args = [w.text for w in ctx.args]
    names = [a.split("=", 1)[0] for a in args if not a.startswith("-")]
    dumps = not args if cmd.program == "set" else not names
    if dumps and cmd.program in ("export", "declare", "typeset", "readonly", "set"):
        cmd.classes.update(("env-dump", "secret-read"))
        return
    if cmd.program == "set" and names:
        cmd.classes.add("read-only")
        return
    for name in names:
        if name.upper().startswith(_TAMPER_VARS):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{cmd.program} {name}")
    if "guard-tamper" not in cmd.classes:
        cmd.classes.add("read-only")


def _printenv(ctx: _Ctx) -> None:
    ctx.cls("env-dump", "secret-read")


def _tar(ctx: _Ctx) -> None:
    args = ctx.args
    mode = ""
    archive: Word | None = None
    directory: Word | None = None
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
    if mode == "x":
        ctx.cls("file-write")
        ctx.add("write", directory or Word("."))
        if archive is not None:
            ctx.add("read", archive)
    elif mode in ("c", "r", "u"):
        ctx.cls("file-write")
        if archive is not None:
            ctx.add("write", archive)
        for w in ops:
            ctx.add("read", w)
    else:
        ctx.cls("read-only")
        if archive is not None:
            ctx.add("read", archive)


def _archive_tool(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops, opts = operands(ctx.args, _F(("-d", "-x", "-i", "-P", "-S", "--suffix")))
    if name == "unzip":
        if _has_short(opts, "l") or _has_short(opts, "t") or _has_short(opts, "p"):
            ctx.cls("read-only")
            return
        ctx.cls("file-write")
        dest = _opt_values(opts, "-d")
        ctx.add("write", dest[0] if dest else Word("."))
        for w in ops[:1]:
            ctx.add("read", w)
        return
    if name == "zip":
        ctx.cls("file-write")
        for w in ops[:1]:
            ctx.add("write", w)
        for w in ops[1:]:
            ctx.add("read", w)
        return
    # gzip and friends replace each file with its (de)compressed form.
    if _has_short(opts, "c", "--stdout") or _has_short(opts, "l") or _has_short(opts, "t"):
        for w in ops:
            ctx.add("read", w)
        return
    ctx.cls("file-write", "file-delete")
    for w in ops:
        ctx.add("write", w)
        ctx.add("delete", w)


def _patch(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args,
        _F(
            (
                "-p",
                "-i",
                "-o",
                "-d",
                "-r",
                "-B",
                "-D",
                "-F",
                "-V",
                "-z",
                "--input",
                "--output",
                "--directory",
                "--strip",
            )
        ),
    )
    ctx.cls("file-write")
    strip = 0
    for value in _opt_values(opts, "-p", "--strip"):
        strip = int(value.text) if value.text.isdigit() else 0
    patchfile: Word | None = None
    inputs = _opt_values(opts, "-i", "--input")
    if inputs:
        patchfile = inputs[0]
    elif len(ops) >= 2:
        patchfile = ops[1]
    else:
        for redirect in ctx.cmd.redirects:
            if redirect.op == "<":
                patchfile = redirect.target
    for value in _opt_values(opts, "-o", "--output"):
        ctx.add("write", value)
        return
    if ops:
        ctx.add("write", ops[0])
        return
    _patch_targets(ctx, patchfile, strip)


def _patch_targets(ctx: _Ctx, patchfile: Word | None, strip: int, root: str | None = None) -> None:
    """Write targets named by a unified diff (``+++ b/path``), read from the patch file."""
    if patchfile is not None and not patchfile.dynamic:
        path = os.path.join(ctx.cwd or ctx.base, patchfile.text)
        ctx.add("read", patchfile)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read(1 << 20).splitlines()
        except OSError:
            lines = None
        if lines is not None:
            found = False
            for line in lines:
                if line.startswith(("+++ ", "--- ", "rename to ", "rename from ")):
                    name = line.split(" ", 2)[-1] if line.startswith("rename") else line[4:]
                    name = name.split("\t", 1)[0].strip()
                    if name == "/dev/null":
                        continue
                    parts = name.split("/")
                    name = "/".join(parts[strip:]) if strip else name
                    if name:
                        found = True
                        saved = ctx.cwd
                        ctx.cwd = root or ctx.cwd
                        ctx.add("write", Word(name))
                        ctx.cwd = saved
            if found:
                return
    ctx.cmd.unresolved.append(("write", "(the files named by the patch)"))


def _network(ctx: _Ctx) -> None:
    ctx.cls("network")
    name = ctx.cmd.program
    if name == "curl":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-o",
                    "--output",
                    "-T",
                    "--upload-file",
                    "-d",
                    "--data",
                    "--data-binary",
                    "--data-raw",
                    "--data-urlencode",
                    "-F",
                    "--form",
                    "-K",
                    "--config",
                    "-c",
                    "--cookie-jar",
                    "-D",
                    "--dump-header",
                    "-H",
                    "--header",
                    "-X",
                    "--request",
                    "-u",
                    "--user",
                    "-e",
                    "-A",
                    "-b",
                    "--cookie",
                    "-m",
                    "--max-time",
                    "--output-dir",
                    "-w",
                    "--write-out",
                    "-x",
                    "--proxy",
                    "--connect-timeout",
                    "-r",
                    "--retry",
                    "--cacert",
                    "--cert",
                    "--key",
                    "-E",
                )
            ),
        )
        for value in _opt_values(
            opts, "-o", "--output", "-c", "--cookie-jar", "-D", "--dump-header"
        ):
            ctx.cls("file-write")
            ctx.add("write", value)
        if _has_short(opts, "O", "--remote-name") and ops:
            ctx.cls("file-write")
            url = ops[-1].text.split("?", 1)[0]
            ctx.add(
                "write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", ops[-1].dynamic)
            )
        for value in _opt_values(opts, "-T", "--upload-file", "-K", "--config"):
            ctx.add("read", value)
        for value in _opt_values(
            opts, "-d", "--data", "--data-binary", "--data-urlencode", "-F", "--form", "--data-raw"
        ):
            text = value.text.split("=", 1)[-1] if value.text[:1] != "@" else value.text
            if text.startswith(("@", "<")):
                ctx.add("read", Word(text[1:], value.dynamic, value.glob))
    elif name == "wget":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-O",
                    "--output-document",
                    "-o",
                    "--output-file",
                    "-P",
                    "--directory-prefix",
                    "-i",
                    "--input-file",
                    "--post-file",
                    "--body-file",
                    "-a",
                    "--append-output",
                    "-U",
                    "--user-agent",
                    "--header",
                    "-t",
                    "-T",
                )
            ),
        )
        outs = _opt_values(
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
            ctx.add("write", value)
        if not _opt_values(opts, "-O", "--output-document", "-P", "--directory-prefix"):
            for w in ops:
                url = w.text.split("?", 1)[0]
                ctx.add(
                    "write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", w.dynamic)
                )
        ctx.cls("file-write")
        for value in _opt_values(opts, "-i", "--input-file", "--post-file", "--body-file"):
            ctx.add("read", value)
    elif name in ("scp", "rsync", "sftp"):
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-e",
                    "--rsh",
                    "-i",
                    "-P",
                    "-p",
                    "-F",
                    "-o",
                    "-c",
                    "-l",
                    "-S",
                    "-J",
                    "--port",
                    "--exclude",
                    "--include",
                    "--filter",
                    "-f",
                    "--timeout",
                    "--password-file",
                    "--files-from",
                    "--exclude-from",
                    "--include-from",
                    "--log-file",
                    "--backup-dir",
                    "--temp-dir",
                    "--partial-dir",
                    "--chmod",
                    "--chown",
                    "-T",
                    "--bwlimit",
                    "--max-size",
                    "--min-size",
                )
            ),
        )
        remote = [w for w in ops if _is_remote(w.text)]
        if name == "rsync" and not remote:
            ctx.cmd.classes.discard("network")
        for value in _opt_values(opts, "--password-file", "--files-from", "-i"):
            ctx.add("read", value)
        for value in _opt_values(opts, "--log-file"):
            ctx.add("write", value)
        if ops and not _is_remote(ops[-1].text):
            ctx.cls("file-write")
            ctx.add("write", ops[-1])
            if name == "rsync" and any(n.startswith("--delete") for n, _ in opts):
                ctx.cls("file-delete")
                ctx.add("delete", ops[-1])
        for w in ops[:-1]:
            if not _is_remote(w.text):
                ctx.add("read", w)
    elif name == "ssh":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-i",
                    "-F",
                    "-p",
                    "-l",
                    "-o",
                    "-L",
                    "-R",
                    "-D",
                    "-J",
                    "-W",
                    "-b",
                    "-c",
                    "-E",
                    "-e",
                    "-m",
                    "-O",
                    "-Q",
                    "-S",
                    "-w",
                    "-B",
                    "-I",
                )
            ),
        )
        for value in _opt_values(opts, "-i", "-F"):
            ctx.add("read", value)
        if len(ops) > 1:
            ctx.cmd.notes.append("runs a command on a remote host")


def _is_remote(text: str) -> bool:
    if "://" in text:
        return True
    head = text.split("/", 1)[0]
    return ":" in head and not head.startswith(".")


# -- package managers ---------------------------------------------------------------
_INSTALL_VERBS = {
    "npm": _w(
        "install i in ins inst insta instal isnt isnta isntal isntall add ci "
        "clean-install ic install-clean isntall-clean update up upgrade udpate "
        "uninstall un unlink remove rm r link ln dedupe ddp rebuild rb install-test it "
        "install-ci-test cit init create innit prune"
    ),
    "pnpm": _w(
        "add install i update up upgrade remove rm uninstall un link ln unlink import "
        "fetch rebuild rb prune dedupe install-test it setup create init env"
    ),
    "yarn": _w(
        "add install upgrade up remove upgrade-interactive dedupe link unlink import "
        "create init global"
    ),
    "bun": _w("install i add a remove rm update upgrade link unlink create init pm"),
    "pip": _w("install uninstall"),
    "pipx": _w("install inject upgrade upgrade-all reinstall reinstall-all uninstall run uninject"),
    "uv": _w("add remove sync pip tool python venv init lock"),
    "poetry": _w("add install update remove lock self init new"),
    "cargo": _w("install add remove rm update uninstall"),
    "gem": _w("install update uninstall"),
    "go": _w("get install"),
    "composer": _w("install require update remove upgrade"),
    "conda": _w("install create update remove upgrade env"),
    "mamba": _w("install create update remove upgrade env"),
    "micromamba": _w("install create update remove env"),
    "deno": _w("install add remove uninstall"),
    "brew": _w("install upgrade uninstall remove reinstall tap untap link unlink bundle update"),
    "apt": _w("install remove purge upgrade update dist-upgrade full-upgrade autoremove reinstall"),
    "apt-get": _w(
        "install remove purge upgrade update dist-upgrade autoremove reinstall build-dep source"
    ),
    "aptitude": _w("install remove purge upgrade update safe-upgrade full-upgrade"),
    "dnf": _w("install remove erase upgrade update reinstall downgrade autoremove"),
    "yum": _w("install remove erase upgrade update reinstall downgrade autoremove"),
    "zypper": _w("install in remove rm update up dist-upgrade dup"),
    "apk": _w("add del upgrade update fix"),
    "snap": _w("install remove refresh"),
    "flatpak": _w("install uninstall update"),
    "nix-env": _w("-i -iA --install -e --uninstall -u --upgrade"),
    "dotnet": _w("add restore tool"),
    "bundle": _w("install update add remove"),
    "rustup": _w("install update toolchain component target default"),
}
_PUBLISH_VERBS = {
    "npm": _w("publish unpublish deprecate dist-tag owner access team org token star unstar"),
    "pnpm": _F(("publish",)),
    "yarn": _F(("publish",)),
    "bun": _F(("publish",)),
    "poetry": _F(("publish",)),
    "uv": _F(("publish",)),
    "cargo": _F(("publish", "yank", "owner")),
    "gem": _F(("push", "yank", "owner")),
    "twine": _F(("upload", "register")),
    "deno": _F(("publish", "deploy")),
}
_REGISTRY_VERBS = {
    "npm": _w(
        "view v info show search s se find outdated audit ping whoami login logout "
        "adduser add-user repo docs bugs fund doctor"
    ),
    "pnpm": _w("audit outdated view info search login logout whoami"),
    "yarn": _w("info outdated audit npm search login logout"),
    "pip": _w("download search index wheel"),
    "cargo": _w("fetch search login"),
    "go": _F(("mod",)),
    "gem": _F(("search", "fetch")),
}
_READ_VERBS = {
    "npm": _w(
        "ls list ll la config get prefix root bin help explain why version -v --version query"
    ),
    "pip": _w("list show freeze check --version -V help inspect debug"),
}


def _package(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    if name[:3] == "pip" and name[3:].replace(".", "").isdigit():
        name = "pip"
    args = ctx.args
    i = 0
    while i < len(args) and args[i].text.startswith("-") and not args[i].dynamic:
        if name in ("nix-env", "pacman"):
            break
        i += (
            2
            if args[i].text
            in (
                "--prefix",
                "-C",
                "--dir",
                "--filter",
                "-F",
                "--cwd",
                "-w",
                "--workspace",
                "--manifest-path",
                "--directory",
            )
            else 1
        )
    verb = args[i].text if i < len(args) else ""
    ctx.cmd.subcommand = verb or None
    if i < len(args) and args[i].dynamic:
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} sub-command from an expansion")
        return
    if name == "pip":
        _pip(ctx, args)
        return
    if name == "deno" and verb in ("eval", "repl"):
        ctx.cls("opaque")
        ctx.cmd.notes.append("deno eval runs inline code")
        return
    if name == "pacman":
        if any(a.text[:2] in ("-S", "-U", "-R") for a in args):
            ctx.cls("package-install", "network")
        return
    if name == "yarn" and not verb:
        ctx.cls("package-install", "network")
        return
    if name == "uv" and verb == "pip" and i + 1 < len(args):
        if args[i + 1].text in ("install", "uninstall", "sync", "compile"):
            ctx.cls("package-install", "network")
        return
    if name == "uv" and verb == "run":
        return
    if name == "go" and verb == "mod":
        sub = args[i + 1].text if i + 1 < len(args) else ""
        if sub in ("download", "tidy", "vendor", "get"):
            ctx.cls("network")
            if sub == "tidy":
                ctx.cls("file-write")
                ctx.add("write", Word("go.mod"))
        return
    if name == "npm" and verb == "version":
        if i + 1 < len(args) and not args[i + 1].text.startswith("-"):
            ctx.cls("file-write")
            ctx.add("write", Word("package.json"))
        return
    if (
        name == "npm"
        and verb in ("pkg", "set-script")
        and any(a.text in ("set", "delete") for a in args[i + 1 :])
    ):
        ctx.cls("file-write")
        ctx.add("write", Word("package.json"))
        return
    if verb in _PUBLISH_VERBS.get(name, ()):
        ctx.cls("deploy", "network")
        return
    if verb in _INSTALL_VERBS.get(name, ()):
        if name in ("uv", "dotnet") and verb in ("tool", "python", "venv", "init", "lock"):
            sub = args[i + 1].text if i + 1 < len(args) else ""
            if verb == "lock":
                ctx.cls("network")
                return
            if verb in ("venv", "init") or sub in ("list", "dir", "find", "--help"):
                return
            if verb == "tool" and sub == "run":
                return
        if (
            name == "brew"
            and verb == "bundle"
            and i + 1 < len(args)
            and args[i + 1].text in ("check", "list")
        ):
            return
        ctx.cls("package-install", "network")
        return
    if verb in _REGISTRY_VERBS.get(name, ()):
        ctx.cls("network")
        return
    if verb in _READ_VERBS.get(name, ()) or verb in ("--version", "-v", "version", "help"):
        ctx.cls("read-only")


def _pip(ctx: _Ctx, args: list[Word]) -> None:
    verbs = [a.text for a in args if not a.text.startswith("-")]
    verb = verbs[0] if verbs else ""
    if verb in ("install", "uninstall"):
        ctx.cls("package-install", "network")
    elif verb in _REGISTRY_VERBS["pip"]:
        ctx.cls("network")
    elif verb in _READ_VERBS["pip"] or not verb:
        ctx.cls("read-only")


# -- deploys ------------------------------------------------------------------------
_DEPLOY_VERBS: dict[str, frozenset[str]] = {
    "wrangler": _w(
        "deploy publish rollback delete secret versions triggers d1 kv kv:key "
        "kv:namespace kv:bulk r2 queues"
    ),
    "netlify": _w(
        "deploy sites:delete sites:create env:set env:unset functions:deploy link unlink"
    ),
    "ntl": _w("deploy"),
    "fly": _w(
        "deploy launch scale secrets apps machine machines destroy restart volumes "
        "releases ips certs"
    ),
    "flyctl": _w("deploy launch scale secrets apps machine machines destroy restart volumes"),
    "kubectl": _w(
        "apply delete create replace patch scale rollout set edit annotate label "
        "drain cordon uncordon taint run expose autoscale exec cp attach"
    ),
    "oc": _w(
        "apply delete create replace patch scale rollout set edit annotate label "
        "run expose new-app start-build"
    ),
    "terraform": _w("apply destroy import taint untaint state force-unlock workspace"),
    "tofu": _w("apply destroy import taint untaint state force-unlock workspace"),
    "terragrunt": _w("apply destroy import run-all taint state"),
    "pulumi": _w("up update destroy refresh import cancel stack config"),
    "helm": _w("install upgrade uninstall delete rollback push"),
    "serverless": _w("deploy remove rollback"),
    "sls": _w("deploy remove rollback"),
    "cdk": _w("deploy destroy bootstrap"),
    "sam": _w("deploy delete sync"),
    "railway": _w("up deploy redeploy down delete"),
    "surge": _F(),
    "heroku": _w(
        "create destroy deploy releases:rollback config:set config:unset ps:scale "
        "apps:destroy addons:create addons:destroy"
    ),
    "docker": _F(("push",)),
    "podman": _F(("push",)),
    "ansible-playbook": _F(),
    "firebase": _w(
        "deploy hosting:channel:deploy functions:delete firestore:delete "
        "database:set database:push database:update database:remove "
        "hosting:disable"
    ),
    "gh-pages": _F(),
}
# Programs whose every invocation deploys (empty verb set above) unless only asking help.
_DEPLOY_ALWAYS = _F(("surge", "ansible-playbook", "gh-pages"))


def _deploy(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops = [w for w in ctx.args if not w.text.startswith("-")]
    flags = [w.text for w in ctx.args if w.text.startswith("-")]
    verb = ops[0].text if ops else ""
    ctx.cmd.subcommand = verb or None
    if "--help" in flags or "-h" in flags or verb == "help" or "--version" in flags:
        ctx.cls("read-only")
        return
    if ops and ops[0].dynamic:
        ctx.cls("opaque")
        return
    if name in ("vercel", "vc"):
        if (
            not verb
            or verb
            in (
                "deploy",
                "promote",
                "redeploy",
                "rollback",
                "alias",
                "remove",
                "rm",
                "domains",
                "dns",
                "secrets",
                "certs",
            )
            or "--prod" in flags
        ):
            ctx.cls("deploy", "network")
        else:
            ctx.cls("network")
        return
    if name in _DEPLOY_ALWAYS:
        ctx.cls("deploy", "network")
        return
    if name == "wrangler" and verb == "pages" and len(ops) > 1:
        if ops[1].text in ("deploy", "publish"):
            ctx.cls("deploy", "network")
        return
    if name == "docker" and verb in ("pull", "login", "search"):
        ctx.cls("network")
        return
    if name in ("docker", "podman") and verb != "push":
        return
    if name in ("aws", "gcloud", "az"):
        words = [w.text for w in ops]
        risky = (
            "create",
            "update",
            "delete",
            "put",
            "deploy",
            "publish",
            "remove",
            "terminate",
            "run-instances",
            "start",
            "stop",
            "reboot",
            "modify",
            "attach",
            "detach",
            "invoke",
            "import",
            "register",
            "deregister",
            "set",
            "add",
            "cp",
            "mv",
            "rm",
            "sync",
            "mb",
            "rb",
            "apply",
            "scale",
            "restart",
            "upload",
            "submit",
            "replace",
            "patch",
            "rollback",
            "enable",
            "disable",
        )
        ctx.cls("network")
        if any(w.split("-", 1)[0] in risky or w in risky for w in words[1:]):
            ctx.cls("deploy")
        return
    if verb in _DEPLOY_VERBS.get(name, ()):
        if (
            name == "terraform"
            and verb == "workspace"
            and len(ops) > 1
            and ops[1].text in ("list", "show", "select")
        ):
            ctx.cls("network")
            return
        ctx.cls("deploy", "network")
        return
    ctx.cls("network")


def _gh(ctx: _Ctx) -> None:
    ops = [w.text for w in ctx.args if not w.text.startswith("-")]
    flags = [w.text for w in ctx.args if w.text.startswith("-")]
    ctx.cls("network")
    if len(ops) < 1:
        return
    group, action = ops[0], ops[1] if len(ops) > 1 else ""
    ctx.cmd.subcommand = group
    if (group, action) in (
        ("release", "create"),
        ("release", "upload"),
        ("release", "delete"),
        ("release", "edit"),
        ("workflow", "run"),
        ("run", "rerun"),
        ("repo", "delete"),
        ("repo", "create"),
        ("repo", "edit"),
        ("repo", "rename"),
        ("repo", "archive"),
        ("secret", "set"),
        ("secret", "delete"),
        ("variable", "set"),
        ("variable", "delete"),
        ("workflow", "enable"),
        ("workflow", "disable"),
    ):
        ctx.cls("deploy")
    elif (group, action) == ("pr", "merge"):
        ctx.cls("merge")
        ctx.cmd.refs.append("(pull request base)")
    elif (group, action) == ("auth", "token") or (group == "auth" and "--show-token" in flags):
        ctx.cls("secret-read")
    elif group == "api":
        method = ""
        for i, f in enumerate(ctx.args):
            if f.text in ("-X", "--method") and i + 1 < len(ctx.args):
                method = ctx.args[i + 1].text.upper()
            elif f.text.startswith(("--method=", "-X")) and len(f.text) > 2:
                method = f.text.split("=", 1)[-1].removeprefix("-X").upper()
        if method in ("POST", "PUT", "PATCH", "DELETE") or any(
            f in ("-f", "-F", "--field", "--raw-field", "--input") for f in flags
        ):
            ctx.cls("deploy")


def _formatter(
    write_flags: tuple[str, ...], default_writes: bool = False, read_flags: tuple[str, ...] = ()
) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        texts = [w.text for w in ctx.args]
        writes = default_writes or any(t.split("=", 1)[0] in write_flags for t in texts)
        if any(t in read_flags for t in texts):
            writes = False
        if ctx.cmd.program == "ruff":
            writes = ("format" in texts and "--check" not in texts and "--diff" not in texts) or (
                "--fix" in texts
            )
        if not writes:
            return
        ctx.cls("file-write")
        ops = [
            w
            for w in ctx.args
            if not w.text.startswith("-") and w.text not in ("format", "check", "lint", "fmt")
        ]
        for w in ops or [Word(".")]:
            ctx.add("write", w)

    return handler


from agentguard.shell.git import classify_git  # noqa: E402  (git needs the helpers above)

_PROGRAMS: dict[str, Callable[[_Ctx], None]] = {
    "tee": _tee,
    "cp": _copy_like,
    "mv": _copy_like,
    "install": _copy_like,
    "ln": _copy_like,
    "touch": _writes_all(_F(("-d", "-r", "-t", "--date", "--reference"))),
    "truncate": _writes_all(_F(("-s", "-r", "--size", "--reference"))),
    "mkdir": _writes_all(_F(("-m", "--mode"))),
    "mkfifo": _writes_all(_F(("-m", "--mode"))),
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "setfacl": _chmod,
    "chattr": _chmod,
    "rm": _rm,
    "rimraf": _rm,
    "find": _find,
    "rmdir": _rm,
    "unlink": _rm,
    "shred": _rm,
    "dd": _dd,
    "sed": _sed,
    "gsed": _sed,
    "awk": _awk,
    "gawk": _awk,
    "mawk": _awk,
    "nawk": _awk,
    "perl": _perl,
    "node": _interpreter(_F(("-e", "-p", "--eval", "--print", "-pe"))),
    "nodejs": _interpreter(_F(("-e", "-p", "--eval", "--print"))),
    "ruby": _interpreter(_F(("-e",))),
    "php": _interpreter(_F(("-r",))),
    "lua": _interpreter(_F(("-e",))),
    "Rscript": _interpreter(_F(("-e",))),
    "julia": _interpreter(_F(("-e", "--eval"))),
    "osascript": _interpreter(_F(("-e",))),
    "pwsh": _interpreter(_F(("-c", "-Command", "-command", "-EncodedCommand"))),
    "powershell": _interpreter(_F(("-c", "-Command", "-command", "-EncodedCommand"))),
    "tclsh": _interpreter(_F(()), True),
    "tsx": _interpreter(_F(("-e", "-p", "--eval", "--print"))),
    "ts-node": _interpreter(_F(("-e", "-p", "--eval", "--print"))),
    "crontab": lambda ctx: ctx.cls("opaque"),
    "at": lambda ctx: ctx.cls("opaque"),
    "batch": lambda ctx: ctx.cls("opaque"),
    "export": _export,
    "declare": _export,
    "typeset": _export,
    "local": _export,
    "readonly": _export,
    "set": _export,
    "unset": _export,
    "printenv": _printenv,
    "compgen": _printenv,
    "tar": _tar,
    "unzip": _archive_tool,
    "zip": _archive_tool,
    "gzip": _archive_tool,
    "gunzip": _archive_tool,
    "bzip2": _archive_tool,
    "bunzip2": _archive_tool,
    "xz": _archive_tool,
    "unxz": _archive_tool,
    "zstd": _archive_tool,
    "patch": _patch,
    "curl": _network,
    "wget": _network,
    "scp": _network,
    "sftp": _network,
    "rsync": _network,
    "ssh": _network,
    "gh": _gh,
    "prettier": _formatter(("--write", "-w")),
    "eslint": _formatter(("--fix",)),
    "black": _formatter((), True, ("--check", "--diff")),
    "isort": _formatter((), True, ("--check", "--check-only", "--diff", "-c")),
    "ruff": _formatter(()),
    "gofmt": _formatter(("-w",)),
    "goimports": _formatter(("-w",)),
    "rustfmt": _formatter((), True, ("--check",)),
    "biome": _formatter(("--write", "--apply", "--fix")),
    "git": classify_git,
}
for _name in (
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "socat",
    "ftp",
    "http",
    "https",
    "xh",
    "aria2c",
    "ping",
    "dig",
    "nslookup",
    "host",
    "whois",
    "traceroute",
    "mtr",
):
    _PROGRAMS[_name] = _network
for _name in (*_INSTALL_VERBS, "pacman", "pip3", "twine", "npm", "pnpm", "yarn", "bun"):
    _PROGRAMS.setdefault(_name, _package)


def _upgrader(ctx: _Ctx) -> None:
    """Dependency upgraders (npm-check-updates): they query the registry, and with
    ``-u`` rewrite package.json, which is a dependency upgrade."""
    ctx.cls("network")
    args = ctx.args
    if any(a.text in ("-u", "--upgrade") or a.text.startswith("--upgrade=") for a in args):
        ctx.cls("package-install", "file-write")
        ctx.add("write", Word("package.json"))


for _name in ("npm-check-updates", "ncu", "taze"):
    _PROGRAMS[_name] = _upgrader
for _name in (*_DEPLOY_VERBS, "vercel", "vc", "aws", "gcloud", "az"):
    _PROGRAMS.setdefault(_name, _deploy)
